//! Customer managed IAM policies that allow every action of a service (`"s3:*"`).
//!
//! Security Hub IAM.21:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-21>.
//! A policy fails when an `Allow` statement's `Action` holds a `service:*` wildcard, or `"*"`
//! (`"*:*"`), which is full access to every service, whatever its resources and conditions.
//! Attached and unattached customer managed policies are evaluated (their default version);
//! AWS managed and inline policies are out of scope. One result per customer managed policy.
//!
//! AWS: "The rule is NON_COMPLIANT if any customer managed IAM policy allows full access to at
//! least 1 AWS service." (AWS Config `iam-policy-no-statements-with-full-access`, the rule behind
//! IAM.21,
//! <https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html>).
//! `"Action": "*"` used to be left to IAM.1, so `"*"` on a single resource (which IAM.1, needing
//! `"Resource": "*"`, passes) passed both controls; it now fails IAM.21. Test
//! `all_actions_are_full_access`.

use super::each_customer_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use rampart_policy::{Effect, PolicyDocument};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_policy_service_wildcard",
        title: "IAM customer managed policies allow wildcard actions for services",
        description: "\"service:*\" grants every action of the service, including the destructive and permission-changing ones added in the future; least privilege means listing the actions a job needs.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamPolicy,
        standards: &[StandardRef::fsbp("IAM.21")],
        remediation: Remediation {
            console: "IAM console > Policies > the policy > Edit: replace each \"service:*\" action with the actions the identities need (IAM Access Analyzer can generate a policy from CloudTrail activity).",
            cli: "aws iam create-policy-version --policy-arn <arn> --policy-document file://least-privilege.json --set-as-default",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

/// The `service:*` actions the policy's `Allow` statements grant, in document order.
pub(crate) fn service_wildcards(doc: &PolicyDocument) -> Vec<&str> {
    let mut out: Vec<&str> = doc
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
        .flat_map(|s| s.action.iter().flatten())
        .map(String::as_str)
        .filter(|a| {
            *a == "*"
                || a.split_once(':').is_some_and(|(svc, rest)| {
                    rest == "*" && (svc == "*" || (!svc.is_empty() && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')))
                })
        })
        .collect();
    out.dedup();
    out
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_policy(ctx, out, |_, doc, res, out| {
        let wild = service_wildcards(doc);
        if wild.is_empty() {
            out.pass(res, "no statement allows \"service:*\"");
        } else {
            out.fail(res, format!("allows {}", wild.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ManagedPolicy, Observed};
    use rampart_model::Status;

    fn policy(name: &str, doc: Observed<String>) -> ManagedPolicy {
        ManagedPolicy {
            policy_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:policy/{name}"),
            aws_managed: false,
            attachment_count: 1,
            default_version_id: "v1".into(),
            document: doc,
            permissions_boundary_usage_count: 0,
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let known = |d: &str| Observed::Known(d.to_string());
        let mut aws = policy("AmazonS3FullAccess", known(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#));
        aws.aws_managed = true;
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(vec![
            policy(
                "listed",
                known(
                    r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#,
                ),
            ),
            policy("s3-all", known(r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:*"],"Resource":"arn:aws:s3:::b/*"}]}"#)),
            policy("unknown", Observed::Unknown("iam:GetPolicyVersion access denied".into())),
            aws,
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert_eq!(r[1].reason, "allows s3:*");
        iam(&mut inv).policies = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn all_actions_are_full_access() {
        let known = |d: &str| Observed::Known(d.to_string());
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(vec![
            policy(
                "star-on-bucket",
                known(
                    r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]}"#,
                ),
            ),
            policy("star-star", known(r#"{"Statement":[{"Effect":"Allow","Action":"*:*","Resource":"*"}]}"#)),
            policy("prefixed", known(r#"{"Statement":[{"Effect":"Allow","Action":["ec2:Describe*","s3:Get*"],"Resource":"*"}]}"#)),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Failed, Status::Failed, Status::Passed]);
        assert_eq!(r[0].reason, "allows *");
    }
}
