//! Console users whose access key was made with the user and never used.
//!
//! CIS AWS Foundations v3.0.0 1.11 "Do not setup access keys during initial user setup for all
//! IAM users that have a console password": the audit reads the credential report and flags a
//! user with a console password whose active access key has never been used
//! (`access_key_N_last_used_date` is `N/A`) — a key handed out "just in case" at creation.
//! One result per IAM user with a console password.
//!
//! AWS / CIS: the recommendation's audit (public copies of CIS v3.0.0 1.11) reads the credential
//! report; for a user with `password_enabled` true, an active key whose last-used date is `N/A`
//! was set up with the user and fails. Either key alone fails: a used first key does not excuse
//! an unused second one (`second_key_alone`).

use super::{field, row_resource, user_rows};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_initial_access_key",
        title: "Console users have an access key that was never used",
        description: "An access key created along with a console user and never used is an extra long-lived credential nobody needs; it can leak without anyone noticing it is missing.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::cis("1.11")],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials > Access keys: deactivate and delete the key that shows \"Last used: never\".",
            cli: "aws iam delete-access-key --user-name <user> --access-key-id <key-id>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(rows) = user_rows(account, out) else { continue };
        for row in rows.into_iter().filter(|r| field(r, "password_enabled") == "true") {
            let unused: Vec<String> = [1, 2]
                .into_iter()
                .filter(|n| field(row, &format!("access_key_{n}_active")) == "true" && field(row, &format!("access_key_{n}_last_used_date")) == "N/A")
                .map(|n| format!("access key {n}"))
                .collect();
            let res = row_resource(account, row);
            if unused.is_empty() {
                out.pass(res, "no active access key of this console user is unused");
            } else {
                out.fail(res, format!("{} active but never used", unused.join(" and ")));
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

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Known(vec![
            row("fresh", &[("password_enabled", "true"), ("access_key_1_active", "true"), ("access_key_1_last_used_date", "N/A")]),
            row("used", &[("password_enabled", "true"), ("access_key_1_active", "true"), ("access_key_1_last_used_date", "2026-11-01T00:00:00+00:00")]),
            row("inactive", &[("password_enabled", "true"), ("access_key_1_active", "false"), ("access_key_1_last_used_date", "N/A")]),
            row("ci-bot", &[("password_enabled", "false"), ("access_key_1_active", "true"), ("access_key_1_last_used_date", "N/A")]),
        ]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<(&str, Status)> = r.iter().map(|r| (r.resource.name.as_str(), r.status)).collect();
        assert_eq!(got, vec![("fresh", Status::Failed), ("used", Status::Passed), ("inactive", Status::Passed)]);
        iam(&mut inv).credential_report = Observed::Unknown("iam:GetCredentialReport denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn second_key_alone() {
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Known(vec![row(
            "two-keys",
            &[
                ("password_enabled", "true"),
                ("access_key_1_active", "true"),
                ("access_key_1_last_used_date", "2026-11-01T00:00:00+00:00"),
                ("access_key_2_active", "true"),
                ("access_key_2_last_used_date", "N/A"),
            ],
        )]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("access key 2"), "{}", r[0].reason);
    }
}
