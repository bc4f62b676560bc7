//! Active access keys of IAM users that have not been rotated for 90 days
//! (`thresholds.access_key_max_age_days`).
//!
//! Trusted Advisor "IAM Access Key Rotation" (<https://docs.aws.amazon.com/awssupport/latest/user/security-checks.html>):
//! the last rotation is `access_key_N_last_rotated` of the credential report; yellow when an
//! active key was rotated more than 90 days but less than 2 years ago, red when 2 years or
//! more (the red mark is fixed; a configured maximum age above it moves it up). CIS AWS
//! Foundations v3.0.0 1.14; Security Hub IAM.3. One result per IAM user.

use super::{field, row_resource, user_rows};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Trusted Advisor's red threshold: two years.
pub const RED_AGE_DAYS: i64 = 730;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_access_key_rotation",
        title: "IAM access keys are not rotated every 90 days",
        description: "An active access key that is never rotated stays valid for as long as it exists: a key that leaked long ago can still be used. Keys older than two years are the most at risk. The maximum age is `thresholds.access_key_max_age_days` (default 90).",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[
            StandardRef::ta("IAM Access Key Rotation"),
            StandardRef::cis("1.14"),
            StandardRef::fsbp("IAM.3"),
        ],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials: create a second access key, move every application to it, make the old key inactive, then delete it.",
            cli: "aws iam create-access-key --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <old-key-id>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    // Never looser than CIS 1.14's 90 days.
    let max_age = i64::from(ctx.thresholds.within_benchmarks().access_key_max_age_days);
    let red_age = RED_AGE_DAYS.max(max_age + 1);
    for account in &ctx.inventory.accounts {
        let Some(rows) = user_rows(account, out) else { continue };
        for row in rows {
            let res = row_resource(account, row);
            let (mut red, mut yellow, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
            for n in [1, 2] {
                if field(row, &format!("access_key_{n}_active")) != "true" {
                    continue;
                }
                let rotated = field(row, &format!("access_key_{n}_last_rotated"));
                match parse_time(rotated) {
                    Some(t) => {
                        let age = days_since(t, ctx.now);
                        if age >= red_age {
                            red.push(format!("access key {n} last rotated {age} days ago (more than {max_age})"));
                        } else if age > max_age {
                            yellow.push(format!("access key {n} last rotated {age} days ago (more than {max_age})"));
                        }
                    }
                    None => unknown.push(format!("access key {n} is active but its last rotation is `{rotated}`")),
                }
            }
            if !red.is_empty() {
                red.extend(yellow);
                out.fail_with(res, Severity::High, red.join("; "));
            } else if !yellow.is_empty() {
                out.fail(res, yellow.join("; "));
            } else if !unknown.is_empty() {
                out.not_available(res, unknown.join("; "));
            } else {
                out.pass(res, format!("no active access key is older than {max_age} days"));
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

    fn with(rows: Vec<rampart_inventory::CredentialReportRow>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Known(rows);
        inv
    }

    #[test]
    fn pass() {
        let inv = with(vec![
            row("fresh", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2026-10-01T00:00:00+00:00")]),
            // An old key that is inactive does not count.
            row("inactive", &[("access_key_2_active", "false"), ("access_key_2_last_rotated", "2020-01-01T00:00:00+00:00")]),
            row("<root_account>", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2020-01-01T00:00:00+00:00")]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed]);
    }

    #[test]
    fn yellow_and_red() {
        let inv = with(vec![
            row("yellow", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2026-08-01T00:00:00+00:00")]),
            row("red", &[("access_key_2_active", "true"), ("access_key_2_last_rotated", "2024-11-01T00:00:00+00:00")]),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        assert_eq!((r[1].status, r[1].severity), (Status::Failed, Some(Severity::High)));
        assert!(r[1].reason.contains("access key 2"), "{}", r[1].reason);
    }

    #[test]
    fn configured_max_age_changes_the_verdict() {
        // Rotated 118 days ago: too old for the default 90 days, and still too old under a
        // 180-day threshold, which would be looser than CIS 1.14 (the config rejects it).
        let inv = with(vec![row("u", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2026-08-01T00:00:00+00:00")])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(more than 90)"), "{}", r[0].reason);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { access_key_max_age_days: 180, ..Default::default() });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(more than 90)"), "{}", r[0].reason);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { access_key_max_age_days: 30, ..Default::default() });
        assert!(r[0].reason.contains("(more than 30)"), "{}", r[0].reason);
    }

    #[test]
    fn not_available() {
        let inv = with(vec![row("odd", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "N/A")])]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Unknown("iam:GetCredentialReport access denied".into());
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("iam:GetCredentialReport"));
    }

    /// IAM.3's boundary: rotated 90 days ago is within 90 days (passes), 91 is not; each of the
    /// two keys is judged, and one old key fails the user beside a fresh one.
    #[test]
    fn day_90_and_two_keys() {
        let at_90 = with(vec![row("u", &[("access_key_1_active", "true"), ("access_key_1_last_rotated", "2026-08-29T12:00:00Z")])]);
        assert_eq!(single(&CHECK, &at_90).0, Status::Passed);
        let two = with(vec![row(
            "u",
            &[
                ("access_key_1_active", "true"),
                ("access_key_1_last_rotated", "2026-11-01T00:00:00Z"),
                ("access_key_2_active", "true"),
                ("access_key_2_last_rotated", "2026-08-28T12:00:00Z"),
            ],
        )]);
        let (s, why) = single(&CHECK, &two);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("access key 2 last rotated 91 days ago") && !why.contains("access key 1"), "{why}");
    }
}
