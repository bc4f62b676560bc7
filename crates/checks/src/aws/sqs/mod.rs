//! SQS checks.

pub mod queue_encrypted;
pub mod queue_public;
