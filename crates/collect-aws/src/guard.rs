//! Refuses, before anything is sent, every operation that could change an AWS account.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Operations sent so far in this process, as `service:Operation` (for tests and audits).
static SENT: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Whether an operation name only reads.
pub fn is_read_only(operation: &str) -> bool {
    ["Describe", "List", "Get", "Lookup", "Head"].iter().any(|p| operation.starts_with(p))
        // EC2's route searches only read (`SearchTransitGatewayRoutes`, ...); other services'
        // `Search*` operations are not vetted, so only EC2's known ones pass.
        || SEARCHES.contains(&operation)
        // Builds the credential report server-side; changes nothing in the account.
        || operation == "GenerateCredentialReport"
        // Builds a principal's service last accessed report server-side; changes nothing.
        || operation == "GenerateServiceLastAccessedDetails"
}

/// `Search*` operations known to only read.
const SEARCHES: &[&str] = &["SearchTransitGatewayRoutes"];

/// Operations that change nothing in any account but are not named as reads, by service
/// (as the SDK names it, compared without case) and operation: STS `AssumeRole` only hands
/// out temporary credentials of a member account's role (`rampart scan aws --org`,
/// `--accounts`). Nothing else of STS (nor any other service's `Assume*`) passes.
const VETTED: &[(&str, &str)] = &[("sts", "AssumeRole")];

/// Whether the guard lets `service:operation` through: a read-only operation, or one of
/// [`VETTED`].
pub fn is_allowed(service: &str, operation: &str) -> bool {
    is_read_only(operation) || VETTED.iter().any(|(s, o)| s.eq_ignore_ascii_case(service) && *o == operation)
}

/// Every `service:Operation` this process has sent.
pub fn sent_operations() -> BTreeSet<String> {
    SENT.lock().map(|s| s.clone()).unwrap_or_default()
}

#[derive(Debug, Clone, Copy)]
pub struct ReadOnlyGuard;

impl Intercept for ReadOnlyGuard {
    fn name(&self) -> &'static str {
        "RampartReadOnlyGuard"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(meta) = cfg.load::<Metadata>() else {
            return Err("refusing an operation without metadata: rampart only sends read-only calls".into());
        };
        if !is_allowed(meta.service(), meta.name()) {
            return Err(format!("refusing `{}:{}`: rampart only sends read-only calls", meta.service(), meta.name()).into());
        }
        if let Ok(mut s) = SENT.lock() {
            s.insert(format!("{}:{}", meta.service(), meta.name()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_names() {
        assert!(is_read_only("DescribeInstances"));
        assert!(is_read_only("GetBucketPolicy"));
        assert!(is_read_only("ListUsers"));
        assert!(is_read_only("SearchTransitGatewayRoutes"));
        assert!(!is_read_only("SearchAndDestroy"));
        assert!(!is_read_only("PutBucketPolicy"));
        assert!(!is_read_only("DeleteBucket"));
        assert!(!is_read_only("CreateUser"));
        assert!(!is_read_only("RunInstances"));
    }

    #[test]
    fn only_sts_assume_role_is_vetted_beyond_reads() {
        assert!(is_allowed("STS", "AssumeRole"));
        assert!(is_allowed("Organizations", "ListAccounts"));
        assert!(!is_read_only("AssumeRole"), "AssumeRole passes by service, not by name");
        for (svc, op) in [
            ("STS", "AssumeRoleWithWebIdentity"),
            ("STS", "AssumeRoleWithSAML"),
            ("STS", "DecodeAuthorizationMessage"),
            ("IAM", "AssumeRole"),
            ("Organizations", "CreateAccount"),
            ("Organizations", "InviteAccountToOrganization"),
            ("Organizations", "LeaveOrganization"),
            ("IAM", "UpdateAssumeRolePolicy"),
        ] {
            assert!(!is_allowed(svc, op), "{svc}:{op} must be refused");
        }
    }
}
