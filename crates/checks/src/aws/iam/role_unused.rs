//! IAM roles unused for `thresholds.unused_access_days` (default 90, IAM Access Analyzer's
//! default for unused access) or more.
//!
//! Issue 14 item 3, after Access Analyzer's "unused role" finding. The last use is the role's
//! `RoleLastUsed.LastUsedDate` (`GetAccountAuthorizationDetails`); IAM tracks it over the
//! trailing 400 days only, so a role with no date was not used within that window, and counts
//! from its creation (a role created less than the limit ago is young, not unused).
//! Service-linked roles (`/aws-service-role/`) are left out: AWS creates and deletes them with
//! the service. Users' unused passwords and keys are `iam_credentials_unused_45_days` (CIS
//! 1.12) and `iam_credentials_unused_90_days` (IAM.8); unused permissions within a used role
//! (service last accessed data) are not checked yet. One result per role.

use super::known_iam;
use crate::aws::{days_since, parse_time};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_role_unused",
        title: "IAM roles unused for 90 days or more",
        description: "A role nobody assumes still grants its permissions to whoever its trust policy lets in: a forgotten integration or a departed team's access, and its use would go unnoticed. The limit is `thresholds.unused_access_days` (default 90, IAM Access Analyzer's).",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[StandardRef::access_analyzer("UnusedIAMRole")],
        remediation: Remediation {
            console: "IAM console > Roles > the role: check 'Last activity'; if it is no longer needed, delete it (detach its policies and remove it from instance profiles first).",
            cli: "aws iam get-role --role-name <role> --query Role.RoleLastUsed; aws iam delete-role --role-name <role>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let limit = i64::from(ctx.thresholds.unused_access_days);
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let roles = match &iam.roles {
            Observed::Known(r) => r,
            Observed::Unknown(why) => {
                out.not_available(super::account_resource(account), format!("IAM roles could not be read: {why}"));
                continue;
            }
        };
        for r in roles.iter().filter(|r| !r.path.starts_with("/aws-service-role/")) {
            let res = resource(account, &account.home_region, ResourceType::AwsIamRole, r.arn.clone(), &r.role_name);
            let (when, what) = match (&r.last_used_date, &r.create_date) {
                (Some(used), _) => (parse_time(used), format!("last used {used}")),
                (None, Some(created)) => (parse_time(created), format!("no use recorded in IAM's 400-day window; created {created}")),
                (None, None) => (None, String::new()),
            };
            let Some(when) = when else {
                out.not_available(
                    res,
                    format!("neither a readable last-used date nor a creation date: `{:?}`, `{:?}`", r.last_used_date, r.create_date),
                );
                continue;
            };
            let days = days_since(when, ctx.now);
            if days >= limit {
                out.fail(res, format!("{what}: {days} days ago, the limit is {limit}"));
            } else {
                out.pass(res, format!("{what}: {days} days ago, within {limit}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Role;
    use rampart_model::Status;

    fn role(name: &str, path: &str, created: Option<&str>, used: Option<&str>) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            path: path.into(),
            create_date: created.map(str::to_string),
            last_used_date: used.map(str::to_string),
            ..Role::default()
        }
    }

    #[test]
    fn a_role_is_unused_from_its_last_use_or_its_creation() {
        let mut inv = inventory();
        iam(&mut inv).roles = Observed::Known(vec![
            role("recent", "/", Some("2020-01-01T00:00:00Z"), Some("2026-11-20T00:00:00Z")),
            role("stale", "/", Some("2020-01-01T00:00:00Z"), Some("2026-08-01T00:00:00Z")),
            role("never", "/", Some("2025-01-01T00:00:00Z"), None),
            role("young", "/", Some("2026-11-30T00:00:00Z"), None),
            role("AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/", Some("2020-01-01T00:00:00Z"), None),
            role("dateless", "/", None, None),
        ]);
        let got: std::collections::BTreeMap<String, Status> =
            run_check(&CHECK, &inv).into_iter().map(|r| (r.resource.name, r.status)).collect();
        assert_eq!(got.get("recent"), Some(&Status::Passed), "{got:?}");
        assert_eq!(got.get("stale"), Some(&Status::Failed));
        assert_eq!(got.get("never"), Some(&Status::Failed));
        assert_eq!(got.get("young"), Some(&Status::Passed));
        assert_eq!(got.get("dateless"), Some(&Status::NotAvailable));
        assert!(!got.contains_key("AWSServiceRoleForSupport"), "service-linked roles are AWS's");
        // The limit is configurable.
        let strict = rampart_config::Thresholds { unused_access_days: 5, ..Default::default() };
        let got: std::collections::BTreeMap<String, Status> =
            run_check_with(&CHECK, &inv, &strict).into_iter().map(|r| (r.resource.name, r.status)).collect();
        assert_eq!(got.get("recent"), Some(&Status::Failed));
        account(&mut inv).iam = Observed::Unknown("iam:GetAccountAuthorizationDetails AccessDenied".into());
        assert_eq!(statuses(&CHECK, &inv), [Status::NotAvailable]);
    }
}
