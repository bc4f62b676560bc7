//! The root user signed in or used an access key within the last day.
//!
//! CIS 1.7 asks to eliminate use of the root user for administrative and daily tasks, a manual
//! recommendation (Rampart does not claim it). This is Prowler's `iam_avoid_root_usage` (see
//! `crate::prowler`): the credential report's root row is read, and a password or access key
//! last used at most [`WINDOW_DAYS`] whole days before the inventory was collected fails (the
//! most recent of the three counts). One result per account.

use super::{account_resource, field, known_iam, ROOT_ROW};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

/// A use of the root user at most this many whole days before collection fails (Prowler's
/// default).
pub const WINDOW_DAYS: i64 = 1;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_root_recent_use",
        title: "The root user was used within the last day",
        description: "The root user can do anything, including closing the account, and its use cannot be limited by IAM policies; everyday work belongs to IAM roles or users, and root use should be rare and explained.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "CloudTrail console > Event history, filter User name = root: find out who used the root user and why; move the task to an IAM role, delete any root access key, and keep the root credentials (with MFA) locked away.",
            cli: "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --max-results 50",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        let rows = match &iam.credential_report {
            Observed::Known(rows) => rows,
            Observed::Unknown(why) => {
                out.not_available(res, format!("credential report could not be read: {why}"));
                continue;
            }
        };
        let Some(root) = rows.iter().find(|r| field(r, "user") == ROOT_ROW) else {
            out.not_available(res, "the credential report has no row for the root user");
            continue;
        };
        let uses: Vec<(&str, i64)> = [
            ("password", "password_last_used"),
            ("access key 1", "access_key_1_last_used_date"),
            ("access key 2", "access_key_2_last_used_date"),
        ]
        .into_iter()
        .filter_map(|(what, column)| parse_time(field(root, column)).map(|t| (what, days_since(t, ctx.now))))
        .collect();
        match uses.iter().min_by_key(|(_, days)| *days) {
            Some((what, days)) if *days <= WINDOW_DAYS => out
                .fail(res, format!("the root user's {what} was used {days} whole day(s) before collection (at most {WINDOW_DAYS} fails)")),
            Some((what, days)) => out.pass(res, format!("the root user was last used {days} day(s) ago ({what})")),
            None => out.pass(res, "the credential report shows no use of the root user's password or access keys"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::row;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn with_root(fields: &[(&str, &str)]) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).credential_report =
            Observed::Known(vec![row(ROOT_ROW, fields), row("alice", &[("password_last_used", "2026-11-27T11:00:00+00:00")])]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        // testkit::now() is 2026-11-27T12:00Z.
        let (s, why) = single(&CHECK, &with_root(&[("password_last_used", "2026-11-27T08:00:00+00:00")]));
        assert_eq!(
            (s, why.as_str()),
            (Status::Failed, "the root user's password was used 0 whole day(s) before collection (at most 1 fails)")
        );
        let (s, why) = single(
            &CHECK,
            &with_root(&[
                ("password_last_used", "2026-10-01T08:00:00+00:00"),
                ("access_key_2_last_used_date", "2026-11-27T02:00:00+00:00"),
            ]),
        );
        assert_eq!(
            (s, why.as_str()),
            (Status::Failed, "the root user's access key 2 was used 0 whole day(s) before collection (at most 1 fails)"),
            "the most recent use counts"
        );
        let (s, why) = single(&CHECK, &with_root(&[("password_last_used", "2026-11-26T08:00:00+00:00")]));
        assert_eq!(s, Status::Failed, "one whole day is within the window: {why}");
        let (s, why) = single(&CHECK, &with_root(&[("password_last_used", "2026-11-20T08:00:00+00:00")]));
        assert_eq!(s, Status::Passed, "{why}");
        assert!(why.contains("7 day(s) ago (password)"), "{why}");
        assert_eq!(single(&CHECK, &with_root(&[("password_last_used", "no_information")])).0, Status::Passed);
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Known(vec![row("alice", &[])]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable, "no root row");
        iam(&mut inv).credential_report = Observed::Unknown("iam:GenerateCredentialReport access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
