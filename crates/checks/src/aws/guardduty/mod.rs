//! GuardDuty checks.

pub mod enabled;
