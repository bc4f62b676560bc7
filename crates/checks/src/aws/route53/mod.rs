//! Route 53 checks.

pub mod mx_spf;
