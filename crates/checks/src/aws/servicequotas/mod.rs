//! Service Quotas checks: quota usage against the limits Trusted Advisor watches.

pub mod usage;
