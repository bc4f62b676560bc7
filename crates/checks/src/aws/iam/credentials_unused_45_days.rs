//! IAM user credentials (console password, active access keys) unused for 45 days or more
//! (`thresholds.credentials_unused_days`; the check id keeps the benchmark's number).
//!
//! CIS AWS Foundations v3.0.0 1.12, read from the credential report as the benchmark's audit
//! does: a password or key that was never used counts from when it was set
//! (`password_last_changed`, `access_key_N_last_rotated`). Security Hub checks the same as
//! IAM.22, a control of its CIS standards (not of Foundational Security Best Practices, which
//! has the 90-day IAM.8). One result per IAM user.

use super::{field, row_resource, user_rows};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::CredentialReportRow;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef, Timestamp};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_credentials_unused_45_days",
        title: "IAM user credentials unused for 45 days or more are not disabled",
        description: "Passwords and access keys nobody uses still work: they belong to people who left or to forgotten automation, and their compromise would go unnoticed. The limit is `thresholds.credentials_unused_days` (default 45).",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::cis("1.12")],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials: under Console sign-in choose Manage > Disable; under Access keys make unused keys Inactive, then delete them.",
            cli: "aws iam delete-login-profile --user-name <user>; aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
        },
    },
    run,
};

/// The last use of a credential, or when it was set if never used; `Err` with the raw values.
pub(super) fn last_activity(row: &CredentialReportRow, used: &str, set: &str) -> Result<Timestamp, String> {
    let (u, s) = (field(row, used), field(row, set));
    match parse_time(u) {
        Some(t) => Ok(t),
        None if matches!(u, "N/A" | "no_information") => parse_time(s)
            .or_else(|| parse_time(field(row, "user_creation_time")))
            .ok_or_else(|| format!("{used}=`{u}`, {set}=`{s}`")),
        None => Err(format!("{used}=`{u}`")),
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    // Never looser than CIS 1.12's 45 days.
    each_user_unused_for(ctx, out, i64::from(ctx.thresholds.within_benchmarks().credentials_unused_days));
}

/// One result per IAM user of the credential report: FAILED when an enabled console password
/// or an active access key went unused for `max_unused` days or more. Shared with IAM.8.
pub(super) fn each_user_unused_for(ctx: &Ctx, out: &mut Emit, max_unused: i64) {
    for account in &ctx.inventory.accounts {
        let Some(rows) = user_rows(account, out) else { continue };
        for row in rows {
            let res = row_resource(account, row);
            let (mut stale, mut unknown) = (Vec::new(), Vec::new());
            let mut judge = |what: String, used: &str, set: &str| match last_activity(row, used, set) {
                Ok(t) => {
                    let age = days_since(t, ctx.now);
                    if age >= max_unused {
                        stale.push(format!("{what} unused for {age} days (limit {max_unused})"));
                    }
                }
                Err(raw) => unknown.push(format!("{what}: {raw}")),
            };
            if field(row, "password_enabled") == "true" {
                judge("console password".to_string(), "password_last_used", "password_last_changed");
            }
            for n in [1, 2] {
                if field(row, &format!("access_key_{n}_active")) == "true" {
                    judge(format!("access key {n}"), &format!("access_key_{n}_last_used_date"), &format!("access_key_{n}_last_rotated"));
                }
            }
            if !stale.is_empty() {
                out.fail(res, stale.join("; "));
            } else if !unknown.is_empty() {
                out.not_available(res, format!("cannot tell when credentials were last used: {}", unknown.join("; ")));
            } else {
                out.pass(res, format!("every enabled password and active access key was used within {max_unused} days"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::row;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    fn with(rows: Vec<CredentialReportRow>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Known(rows);
        inv
    }

    #[test]
    fn pass() {
        let inv = with(vec![
            row("recent", &[("password_enabled", "true"), ("password_last_used", "2026-11-20T00:00:00+00:00")]),
            // A key created last week and never used yet.
            row("new-key", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2026-11-20T00:00:00+00:00")]),
            row("nothing", &[]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed; 3]);
    }

    #[test]
    fn fail() {
        let inv = with(vec![
            row("old-login", &[("password_enabled", "true"), ("password_last_used", "2026-09-01T00:00:00+00:00")]),
            row("never-logged-in", &[("password_enabled", "true"), ("password_last_used", "no_information"), ("password_last_changed", "2026-01-01T00:00:00+00:00")]),
            row("old-key", &[("access_key_2_active", "true"), ("access_key_2_last_used_date", "2026-10-01T00:00:00+00:00"), ("access_key_2_last_rotated", "2026-01-01T00:00:00+00:00")]),
        ]);
        let r = run_check(&CHECK, &inv);
        assert!(r.iter().all(|r| r.status == Status::Failed), "{r:#?}");
        assert!(r[2].reason.contains("access key 2 unused for 57 days"), "{}", r[2].reason);
    }

    #[test]
    fn configured_limit_changes_the_verdict() {
        // Last used 87 days ago.
        let inv = with(vec![row("u", &[("password_enabled", "true"), ("password_last_used", "2026-09-01T00:00:00+00:00")])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(limit 45)"), "{}", r[0].reason);
        // 90 days would be looser than CIS 1.12 (the config rejects it): still 45.
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { credentials_unused_days: 90, ..Default::default() });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(limit 45)"), "{}", r[0].reason);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { credentials_unused_days: 30, ..Default::default() });
        assert!(r[0].reason.contains("(limit 30)"), "{}", r[0].reason);
    }

    #[test]
    fn not_available() {
        let inv = with(vec![row("odd", &[("access_key_1_active", "true"), ("access_key_1_last_used_date", "garbage")])]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
