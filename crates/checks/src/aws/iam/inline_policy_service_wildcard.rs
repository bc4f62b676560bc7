//! IAM users, groups and roles with an inline policy that allows every action of a service.
//!
//! Security Hub IAM.21 judges customer managed policies only (`iam_policy_service_wildcard`):
//! "The rule is NON_COMPLIANT if any customer managed IAM policy allows full access to at least
//! 1 AWS service." (AWS Config `iam-policy-no-statements-with-full-access`). An inline policy
//! grants the same power and is reviewed less; this check applies IAM.21's definition to them
//! ([`super::policy_service_wildcard::service_wildcards`]: an `Allow` statement whose `Action`
//! holds `service:*` or `*`, whatever its resources and conditions). One identity fails when
//! any one statement of any one of its inline policies does. Prowler's
//! `iam_inline_policy_no_full_access_to_cloudtrail` and `..._to_kms` ask it for one service
//! each (see `crate::prowler`). One result per user, group and role that has inline policies.

use super::each_identity_inline_policies;
use super::policy_service_wildcard::service_wildcards;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Account, InlinePolicy, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_inline_policy_service_wildcard",
        title: "IAM users, groups or roles have inline policies that allow wildcard actions for services",
        description: "\"service:*\" in an inline policy grants every action of the service (for CloudTrail: stopping and deleting trails; for KMS: scheduling key deletion and rewriting key policies), outside the managed policies reviews usually look at.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users, User groups or Roles > the identity > Permissions > the inline policy > Edit: replace each \"service:*\" with the actions the identity needs.",
            cli: "aws iam put-role-policy --role-name <role> --policy-name <policy> --policy-document file://least-privilege.json (put-user-policy / put-group-policy for users and groups)",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

fn judge(account: &Account, kind: ResourceType, arn: &str, name: &str, inline: &Observed<Vec<InlinePolicy>>, out: &mut Emit) {
    let res = resource(account, &account.home_region, kind, arn.to_string(), name);
    let policies = match inline {
        Observed::Known(p) if p.is_empty() => return,
        Observed::Known(p) => p,
        Observed::Unknown(why) => return out.not_available(res, format!("inline policies could not be read: {why}")),
    };
    let mut wild = Vec::new();
    for p in policies {
        match rampart_policy::parse_maybe_url_encoded(&p.document) {
            Err(e) => return out.malformed(res, format!("inline policy `{}` is not valid: {e}", p.name)),
            Ok(doc) => {
                let w = service_wildcards(&doc);
                if !w.is_empty() {
                    wild.push(format!("`{}` allows {}", p.name, w.join(", ")));
                }
            }
        }
    }
    if wild.is_empty() {
        out.pass(res, format!("none of its {} inline policies allows \"service:*\"", policies.len()));
    } else {
        out.fail(res, wild.join("; "));
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_identity_inline_policies(ctx, out, judge);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Group, Role, User};
    use rampart_model::Status;

    fn inline(name: &str, doc: &str) -> InlinePolicy {
        InlinePolicy { name: name.into(), document: doc.into() }
    }

    const TRAIL_ALL: &str = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":["cloudtrail:*"],"Resource":"*"}]}"#;
    const KMS_DENY: &str =
        r#"{"Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;
    const READ: &str = r#"{"Statement":[{"Effect":"Allow","Action":["s3:Get*","kms:Describe*"],"Resource":"*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![User {
            user_name: "alice".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            // A Deny of kms:* grants nothing; prefixes are not full access.
            inline_policies: Observed::Known(vec![inline("deny", KMS_DENY), inline("read", READ)]),
            ..Default::default()
        }]);
        iam(&mut inv).groups = Observed::Known(vec![Group {
            group_name: "ops".into(),
            arn: "arn:aws:iam::123456789012:group/ops".into(),
            inline_policies: Observed::Unknown("iam:ListGroupPolicies access denied".into()),
            ..Default::default()
        }]);
        // One statement of one of two policies is enough to fail.
        iam(&mut inv).roles = Observed::Known(vec![Role {
            role_name: "app".into(),
            arn: "arn:aws:iam::123456789012:role/app".into(),
            inline_policies: Observed::Known(vec![inline("read", READ), inline("trail", TRAIL_ALL)]),
            ..Default::default()
        }]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::NotAvailable, Status::Failed]);
        assert_eq!(r[2].reason, "`trail` allows cloudtrail:*");
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn malformed_policy_is_not_a_pass() {
        let mut inv = inventory();
        iam(&mut inv).roles = Observed::Known(vec![Role {
            role_name: "app".into(),
            arn: "arn:aws:iam::123456789012:role/app".into(),
            inline_policies: Observed::Known(vec![inline("broken", "{not json")]),
            ..Default::default()
        }]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
