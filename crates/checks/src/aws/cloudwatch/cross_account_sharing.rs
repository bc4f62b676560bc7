//! Accounts that share their CloudWatch data with other accounts.
//!
//! CloudWatch's cross-account console sharing works through an IAM role of the sharing account
//! named `CloudWatch-CrossAccountSharingRole`, which the accounts it trusts assume to read
//! metrics, alarms, dashboards (and, with the broader options, logs and X-Ray traces); the
//! console's "Share your data" creates it. An account fails when that role exists and passes
//! otherwise; whom it trusts is in the reason. One result per account.

use crate::aws::iam::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

const ROLE: &str = "CloudWatch-CrossAccountSharingRole";

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_cross_account_sharing",
        title: "CloudWatch data is shared with other accounts",
        description: "Accounts trusted by the cross-account sharing role can read the account's metrics and alarms (and logs, with the broader options), which name resources and often carry business data; sharing should be deliberate and limited to monitoring accounts.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "CloudWatch console > Settings > Cross-account cross-region > Share your data: review or remove the sharing accounts; or IAM console > Roles > CloudWatch-CrossAccountSharingRole: restrict its trust policy, or delete it.",
            cli: "aws iam get-role --role-name CloudWatch-CrossAccountSharingRole --query Role.AssumeRolePolicyDocument",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        match &iam.roles {
            Observed::Known(roles) => match roles.iter().find(|r| r.role_name == ROLE) {
                Some(role) => {
                    let trusted = role
                        .assume_role_policy_document
                        .as_deref()
                        .and_then(|d| rampart_policy::parse_maybe_url_encoded(d).ok())
                        .map(|doc| trusted_principals(&doc))
                        .filter(|p| !p.is_empty());
                    match trusted {
                        Some(p) => out.fail(res, format!("role `{ROLE}` lets {} read the account's CloudWatch data", p.join(", "))),
                        None => out.fail(res, format!("role `{ROLE}` exists: other accounts can read the account's CloudWatch data")),
                    }
                }
                None => out.pass(res, format!("no role `{ROLE}`")),
            },
            Observed::Unknown(why) => out.not_available(res, format!("IAM roles could not be listed: {why}")),
        }
    }
}

/// The AWS principals that the trust policy's Allow statements name.
fn trusted_principals(doc: &rampart_policy::PolicyDocument) -> Vec<String> {
    let mut out: Vec<String> = doc
        .statements
        .iter()
        .filter(|s| s.effect == rampart_policy::Effect::Allow)
        .flat_map(|s| match &s.principal {
            Some(rampart_policy::Principal::Any) => vec!["everyone (`*`)".to_string()],
            Some(rampart_policy::Principal::Specific(m)) => m.get("AWS").into_iter().flatten().map(|p| format!("`{p}`")).collect(),
            None => vec![],
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Role;
    use rampart_model::Status;

    fn role(name: &str, trust: &str) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            assume_role_policy_document: Some(trust.into()),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
        let mut inv = inventory();
        iam(&mut inv).roles = Observed::Known(vec![role("app", trust)]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        iam(&mut inv).roles = Observed::Known(vec![role("app", trust), role(ROLE, trust)]);
        let (status, reason) = single(&CHECK, &inv);
        assert_eq!(status, Status::Failed);
        assert!(reason.contains("arn:aws:iam::111122223333:root"), "{reason}");
        iam(&mut inv).roles = Observed::Unknown("iam:GetAccountAuthorizationDetails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
