//! IAM users and roles allowed services they have not used for `thresholds.unused_access_days`
//! (default 90) or more: IAM Access Analyzer's "unused permission" at the service level.
//!
//! Issue 14 item 3. Read from service last accessed data (`GenerateServiceLastAccessedDetails`
//! per principal): IAM lists every service the principal's policies allow, with when the
//! principal last authenticated to it (none within IAM's tracking window: never). A service
//! not used for the limit or more is an unused permission. A role unused as a whole is
//! `iam_role_unused`'s finding and is left out here (every service of it would repeat it);
//! service-linked roles are AWS's. An account that does not let the report be generated
//! (an organisation's policy, a missing permission) gives NOT_AVAILABLE, never a pass.
//! Action-level last access (for S3, EC2, IAM, Lambda) is not read yet. One result per principal.

use super::known_iam;
use crate::aws::{days_since, parse_time};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Observed, ServiceLastAccessed};
use rampart_model::{Category, CheckMeta, Remediation, Resource, ResourceType, Severity, StandardRef, Timestamp};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_unused_permissions",
        title: "IAM users and roles are allowed services they have not used for 90 days or more",
        description: "Permissions to services a principal never uses only widen what a stolen credential can do. The limit is `thresholds.unused_access_days` (default 90, IAM Access Analyzer's).",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[StandardRef::access_analyzer("UnusedPermission")],
        remediation: Remediation {
            console: "IAM console > Users or Roles > the principal > Last Accessed: remove the services it does not use from its policies (or generate a policy from its CloudTrail activity with IAM Access Analyzer).",
            cli: "aws iam generate-service-last-accessed-details --arn <principal-arn>; aws iam get-service-last-accessed-details --job-id <job-id>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
        },
    },
    run,
};

fn judge(res: Resource, accessed: &Observed<Vec<ServiceLastAccessed>>, limit: i64, now: Timestamp, out: &mut Emit) {
    let services = match accessed {
        Observed::Known(s) => s,
        u if u.is_not_collected() => {
            out.not_available(res, "this snapshot was taken before Rampart read service last accessed data: scan again to judge");
            return;
        }
        Observed::Unknown(why) => {
            out.not_available(res, format!("service last accessed data not read: {why}"));
            return;
        }
    };
    let mut unused = Vec::new();
    let mut unreadable = Vec::new();
    for s in services {
        match s.last_authenticated.as_deref() {
            None => unused.push(format!("{} (never)", s.service_namespace)),
            Some(t) => match parse_time(t) {
                Some(when) if days_since(when, now) >= limit => {
                    unused.push(format!("{} ({} days)", s.service_namespace, days_since(when, now)))
                }
                Some(_) => {}
                None => unreadable.push(format!("{} (`{t}`)", s.service_namespace)),
            },
        }
    }
    if !unused.is_empty() {
        out.fail(
            res,
            format!("{} of {} allowed services unused for {limit} days or more: {}", unused.len(), services.len(), unused.join(", ")),
        );
    } else if !unreadable.is_empty() {
        out.not_available(res, format!("last access dates that cannot be read: {}", unreadable.join(", ")));
    } else {
        out.pass(res, format!("each of the {} allowed services was used within {limit} days", services.len()));
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let limit = i64::from(ctx.thresholds.unused_access_days);
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        match &iam.users {
            Observed::Known(users) => {
                for u in users {
                    let res = resource(account, &account.home_region, ResourceType::AwsIamUser, u.arn.clone(), &u.user_name);
                    judge(res, &u.service_last_accessed, limit, ctx.now, out);
                }
            }
            Observed::Unknown(why) => out.not_available(super::account_resource(account), format!("IAM users could not be read: {why}")),
        }
        match &iam.roles {
            Observed::Known(roles) => {
                for r in roles.iter().filter(|r| !r.path.starts_with("/aws-service-role/")) {
                    // A role unused as a whole is iam_role_unused's.
                    let used_within = r.last_used_date.as_deref().and_then(parse_time).is_some_and(|t| days_since(t, ctx.now) < limit);
                    if !used_within {
                        continue;
                    }
                    let res = resource(account, &account.home_region, ResourceType::AwsIamRole, r.arn.clone(), &r.role_name);
                    judge(res, &r.service_last_accessed, limit, ctx.now, out);
                }
            }
            Observed::Unknown(why) => out.not_available(super::account_resource(account), format!("IAM roles could not be read: {why}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Role, User};
    use rampart_model::Status;
    use std::collections::BTreeMap;

    fn svc(ns: &str, last: Option<&str>) -> ServiceLastAccessed {
        ServiceLastAccessed { service_namespace: ns.into(), last_authenticated: last.map(str::to_string), last_authenticated_entity: None }
    }

    fn role(name: &str, used: Option<&str>, accessed: Observed<Vec<ServiceLastAccessed>>) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            path: "/".into(),
            create_date: Some("2020-01-01T00:00:00Z".into()),
            last_used_date: used.map(str::to_string),
            service_last_accessed: accessed,
            ..Role::default()
        }
    }

    #[test]
    fn services_unused_for_the_limit_fail_and_unread_data_is_not_available() {
        let mut inv = inventory();
        let recent = Some("2026-11-20T00:00:00Z");
        iam(&mut inv).roles = Observed::Known(vec![
            role("tidy", recent, Observed::Known(vec![svc("s3", recent)])),
            role("wide", recent, Observed::Known(vec![svc("s3", recent), svc("ec2", None), svc("kms", Some("2026-01-01T00:00:00Z"))])),
            role("unread", recent, Observed::Unknown("iam:GenerateServiceLastAccessedDetails AccessDenied".into())),
            role("idle", Some("2025-01-01T00:00:00Z"), Observed::Known(vec![svc("ec2", None)])),
        ]);
        iam(&mut inv).users = Observed::Known(vec![User {
            user_name: "alice".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            service_last_accessed: Observed::Known(vec![svc("iam", None)]),
            ..User::default()
        }]);
        let results = run_check(&CHECK, &inv);
        let got: BTreeMap<String, (Status, String)> = results.into_iter().map(|r| (r.resource.name, (r.status, r.reason))).collect();
        assert_eq!(got["tidy"].0, Status::Passed);
        assert_eq!(got["wide"].0, Status::Failed);
        assert!(
            got["wide"].1.contains("2 of 3") && got["wide"].1.contains("ec2 (never)") && got["wide"].1.contains("kms (330 days)"),
            "{}",
            got["wide"].1
        );
        assert_eq!(got["unread"].0, Status::NotAvailable);
        assert!(!got.contains_key("idle"), "a role unused as a whole is iam_role_unused's");
        assert_eq!(got["alice"].0, Status::Failed);
        // A longer limit lets kms pass; ec2 was never used.
        let lax = rampart_config::Thresholds { unused_access_days: 400, ..Default::default() };
        let got: BTreeMap<String, String> = run_check_with(&CHECK, &inv, &lax).into_iter().map(|r| (r.resource.name, r.reason)).collect();
        assert!(got["wide"].contains("1 of 3") && !got["wide"].contains("kms"), "{}", got["wide"]);
    }
}
