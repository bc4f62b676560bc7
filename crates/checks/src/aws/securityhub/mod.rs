//! Security Hub checks.

pub mod enabled;
