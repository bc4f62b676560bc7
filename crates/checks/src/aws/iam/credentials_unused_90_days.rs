//! IAM user credentials (console password, active access keys) unused for 90 days or more.
//!
//! Security Hub IAM.8 (FSBP; AWS Config `iam-user-unused-credentials-check` with
//! `maxCredentialUsageAge` 90). Read from the credential report like
//! `iam_credentials_unused_45_days`: a password or key never used counts from when it was set.
//! The 90 days are the control's own and not configurable. One result per IAM user.
//!
//! AWS: "This control checks whether your IAM users have passwords or active access keys that have
//! not been used for 90 days" (Security Hub IAM.8).

use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// IAM.8's limit.
pub const MAX_UNUSED_DAYS: i64 = 90;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_credentials_unused_90_days",
        title: "IAM user credentials unused for 90 days or more are not removed",
        description: "Passwords and access keys nobody has used for three months are forgotten credentials that still work; removing them shrinks what an attacker can steal.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::fsbp("IAM.8")],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials: under Console sign-in choose Manage > Disable; make unused access keys Inactive, then delete them.",
            cli: "aws iam delete-login-profile --user-name <user>; aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive; aws iam delete-access-key --user-name <user> --access-key-id <key-id>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    super::credentials_unused_45_days::each_user_unused_for(ctx, out, MAX_UNUSED_DAYS);
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
    fn pass_fail_not_available() {
        let inv = with(vec![
            // 87 days: fails the 45-day CIS check, passes IAM.8.
            row("87-days", &[("password_enabled", "true"), ("password_last_used", "2026-09-01T00:00:00+00:00")]),
            row("old-key", &[("access_key_1_active", "true"), ("access_key_1_last_used_date", "2026-08-01T00:00:00+00:00")]),
            row("never-used-old", &[("password_enabled", "true"), ("password_last_used", "no_information"), ("password_last_changed", "2026-01-01T00:00:00+00:00")]),
            row("inactive-old-key", &[("access_key_1_active", "false"), ("access_key_1_last_used_date", "2025-01-01T00:00:00+00:00")]),
            row("odd", &[("access_key_2_active", "true"), ("access_key_2_last_used_date", "garbage")]),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed, Status::Passed, Status::NotAvailable]);
        assert!(r[1].reason.contains("access key 1 unused for 118 days"), "{}", r[1].reason);
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
