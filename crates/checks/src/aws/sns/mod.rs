//! SNS checks.

pub mod topic_encrypted;
pub mod topic_public;
