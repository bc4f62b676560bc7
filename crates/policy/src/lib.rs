//! IAM and resource policy documents: parsing, action matching, and S3's
//! definition of a public bucket policy.
//!
//! **Architecture Invariant:** this crate is pure. It reads no files, makes no
//! network calls, reads no clock and logs nothing; every function is a
//! deterministic function of its arguments. Policies come in as text from the
//! collector and leave as values; it never names an AWS SDK type.
//!
//! **API Boundary:** the types and functions re-exported here are used by
//! `checks` and others. Add, don't break.
//!
//! # Map
//!
//! - [`document`]: the parsed policy ([`PolicyDocument`], [`Statement`], ...).
//! - `parse`: text to document, strict about shape ([`parse`],
//!   [`parse_maybe_url_encoded`], [`PolicyError`]).
//! - `glob`: IAM `*` / `?` matching ([`action_matches`]).
//! - [`s3_actions`]: the table of S3 actions and the class of access each gives.
//! - `conditions`: which conditions pin a grant to fixed requesters.
//! - `s3_public`: [`s3_bucket_policy_public_access`].
//! - `public`: [`public_statements`], the same definition applied to the resource
//!   policies of other services (SNS topics, SQS queues, KMS keys).
//!
//! # Sources
//!
//! - Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage",
//!   section "The meaning of 'public'":
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>
//!   (fixed values, the list of restricting keys, the /8 and /32 bounds for
//!   `aws:SourceIp`, the `s3:DataAccessPointArn` exception).
//! - IAM User Guide, "IAM JSON policy element reference" and "Grammar of the
//!   IAM JSON policy language":
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
//! - IAM User Guide, "IAM JSON policy elements: Condition operators" (the
//!   `IfExists` suffix, `ForAnyValue` / `ForAllValues`, negated operators on
//!   a missing key):
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.
//! - IAM API Reference, `GetPolicyVersion`: policy documents are returned
//!   URL-encoded per RFC 3986:
//!   <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html>.
//! - Service Authorization Reference, "Actions, resources, and condition keys
//!   for Amazon S3":
//!   <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>.

mod conditions;
pub mod document;
mod glob;
mod parse;
mod public;
pub mod s3_actions;
mod s3_public;

pub use document::{Condition, Effect, PolicyDocument, Principal, Statement};
pub use conditions::{restriction, Restriction};
pub use glob::{action_covers, action_matches, covers as resource_covers, is_fixed, resource_matches};
pub use parse::{parse, parse_maybe_url_encoded, PolicyError};
pub use s3_actions::{s3_action_class, S3AccessClass, S3_ACTIONS};
pub use public::{public_statements, public_statements_with};
pub use s3_public::{s3_bucket_policy_public_access, PublicAccess};
