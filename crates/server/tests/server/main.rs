//! `rampart serve` end to end: the real server on a loopback port over a real SQLite file
//! that the real pipeline filled with the demo estate. One test binary; one module per area.
//! `postgres.rs` runs the access walk, sign-in, findings, workflow and Chromium tests over
//! a PostgreSQL database; with `RAMPART_TEST_SERVER_DB=postgres` every test server starts
//! over one (a database of its own on `RAMPART_TEST_POSTGRES`), so the whole suite runs
//! there (`scripts/test` does both).

mod common;
mod http;

mod access;
mod api;
mod browser;
mod console;
mod lifecycle;
mod login;
mod postgres;

mod agents;
mod console_assessments;
mod console_audit;
mod console_automation;
mod console_controls;
mod console_dashboard;
mod console_events;
mod console_insights;
mod console_investigate;
mod console_reach;
mod delivery;
mod import;
mod schedules;
