//! SNS checks.

pub mod topic_encrypted;
pub mod topic_public;
pub mod subscription_http;
