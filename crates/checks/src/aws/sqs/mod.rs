//! SQS checks.

pub mod queue_encrypted;
