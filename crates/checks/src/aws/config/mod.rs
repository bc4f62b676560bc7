//! AWS Config checks.

pub mod recorder_enabled;
pub mod recorder_service_role;
