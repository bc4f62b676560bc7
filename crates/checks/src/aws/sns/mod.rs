//! SNS checks.

pub mod topic_encrypted;
