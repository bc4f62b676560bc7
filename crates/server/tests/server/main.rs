//! `rampart serve` end to end: the real server on a loopback port over a real SQLite file
//! that the real pipeline filled with the demo estate. One test binary; one module per area.

mod common;
mod http;

mod access;
mod api;
mod browser;
mod console;
mod lifecycle;
mod login;
