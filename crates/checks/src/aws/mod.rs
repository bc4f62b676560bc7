//! Checks of AWS services, one folder per service, one file per check.

pub mod ec2;
pub mod iam;
pub mod s3;
