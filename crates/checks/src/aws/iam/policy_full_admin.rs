//! Customer-managed IAM policies that grant full administrative privileges (`"*"` on `"*"`).
//!
//! CIS AWS Foundations v3.0.0 1.16 (attached policies); Security Hub IAM.1 (the default version
//! of customer-managed policies; inline and AWS-managed policies are out of scope). A statement
//! counts when it is `Allow` with `Action` `"*"` (or `"*:*"`) and `Resource` `"*"`, whatever its
//! conditions, as IAM.1 does. An unattached admin policy fails with low severity: it grants
//! nothing today but is one attachment away. One result per customer-managed policy.
//!
//! AWS: "The rule is NON_COMPLIANT if any customer managed IAM policy statement includes
//! "Effect": "Allow" with "Action": "*" over "Resource": "*"." (AWS Config
//! `iam-policy-no-statements-with-admin-access`, the rule behind IAM.1,
//! <https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html>).
//! The test is per statement: `"*"` among other actions or resources of one Allow statement
//! fails the policy; `"*"` actions in one statement and `"*"` resources in another do not add
//! up, and a Deny of `*` on `*` elsewhere does not clear an Allow (IAM.1 reads the statement,
//! not the effective permissions). Test `several_statements`.

use super::{account_resource, known_iam};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use rampart_policy::{Effect, PolicyDocument};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_policy_full_admin",
        title: "IAM policies allow full \"*:*\" administrative privileges",
        description: "A policy that allows every action on every resource makes whoever holds it an administrator; least privilege means granting only the actions a job needs.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamPolicy,
        standards: &[StandardRef::cis("1.16"), StandardRef::fsbp("IAM.1")],
        remediation: Remediation {
            console: "IAM console > Policies > the policy > Entities attached: detach it from users, groups and roles that do not need full administration; then edit the policy to list only the needed actions and resources.",
            cli: "aws iam list-entities-for-policy --policy-arn <arn>; aws iam detach-role-policy --role-name <role> --policy-arn <arn> (and detach-user-policy / detach-group-policy)",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

/// Whether a statement of the document allows `*` on `*`.
pub fn grants_full_admin(doc: &PolicyDocument) -> bool {
    doc.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && s.action.as_ref().is_some_and(|a| a.iter().any(|a| a == "*" || a == "*:*"))
            && s.resource.as_ref().is_some_and(|r| r.iter().any(|r| r == "*"))
    })
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let policies = match &iam.policies {
            Observed::Known(p) => p,
            Observed::Unknown(why) => {
                out.not_available(account_resource(account), format!("managed policies could not be read: {why}"));
                continue;
            }
        };
        for p in policies.iter().filter(|p| !p.aws_managed) {
            let res = resource(account, &account.home_region, ResourceType::AwsIamPolicy, p.arn.clone(), &p.policy_name);
            let text = match &p.document {
                Observed::Known(t) => t,
                Observed::Unknown(why) => {
                    out.not_available(res, format!("policy document could not be read: {why}"));
                    continue;
                }
            };
            match rampart_policy::parse_maybe_url_encoded(text) {
                Err(e) => out.malformed(res, format!("policy document {} is not valid: {e}", p.default_version_id)),
                Ok(doc) if grants_full_admin(&doc) => {
                    if p.attachment_count > 0 {
                        out.fail(res, format!("allows \"*\" on \"*\" and is attached to {} identities", p.attachment_count));
                    } else {
                        out.fail_with(res, Severity::Low, "allows \"*\" on \"*\" (not attached to any identity)");
                    }
                }
                Ok(_) => out.pass(res, "no statement allows \"*\" on \"*\""),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::ManagedPolicy;
    use rampart_model::Status;

    fn policy(name: &str, doc: &str, attached: i32) -> ManagedPolicy {
        ManagedPolicy {
            policy_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:policy/{name}"),
            aws_managed: false,
            attachment_count: attached,
            default_version_id: "v1".into(),
            document: Observed::Known(doc.into()),
            permissions_boundary_usage_count: 0,
        }
    }

    fn with(p: Vec<ManagedPolicy>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(p);
        inv
    }

    const ADMIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    const S3_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

    #[test]
    fn fail() {
        let r = run_check(&CHECK, &with(vec![policy("admin", ADMIN, 2), policy("spare", ADMIN, 0)]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        assert_eq!((r[1].status, r[1].severity), (Status::Failed, Some(Severity::Low)));
        // URL-encoded, as IAM returns it.
        let enc = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D";
        assert_eq!(single(&CHECK, &with(vec![policy("enc", enc, 1)])).0, Status::Failed);
    }

    #[test]
    fn pass() {
        let deny = r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        let mut aws = policy("AdministratorAccess", ADMIN, 1);
        aws.aws_managed = true;
        let r = run_check(&CHECK, &with(vec![policy("s3", S3_ONLY, 1), policy("deny", deny, 1), aws]));
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Passed]);
    }

    #[test]
    fn several_statements() {
        let split = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
        assert_eq!(single(&CHECK, &with(vec![policy("split", split, 1)])).0, Status::Passed);
        let mixed = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":["ec2:Describe*","*"],"Resource":["arn:aws:s3:::b","*"]}]}"#;
        assert_eq!(single(&CHECK, &with(vec![policy("mixed", mixed, 1)])).0, Status::Failed);
        let denied = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        assert_eq!(single(&CHECK, &with(vec![policy("denied", denied, 1)])).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        let mut p = policy("x", ADMIN, 1);
        p.document = Observed::Unknown("default policy version missing".into());
        assert_eq!(single(&CHECK, &with(vec![p])).0, Status::NotAvailable);
        assert_eq!(single(&CHECK, &with(vec![policy("bad", "{nope", 1)])).0, Status::NotAvailable);
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
