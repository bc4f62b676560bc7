//! IAM users with two active access keys.
//!
//! CIS AWS Foundations v3.0.0 1.13 "Ensure there is only one active access key available for
//! any single IAM user": from the credential report, a user whose `access_key_1_active` and
//! `access_key_2_active` are both true fails. One result per IAM user.
//!
//! AWS / CIS: "Ensure there is only one active access key available for any single IAM user"
//! (CIS v3.0.0 1.13, title; audit on the credential report's two `access_key_N_active` columns).
//! An inactive second key passes.

use super::{field, row_resource, user_rows};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_one_active_access_key",
        title: "IAM users have more than one active access key",
        description: "Two active keys double what can leak and usually mean a rotation was started and never finished.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::cis("1.13")],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials > Access keys: keep the key in use, deactivate the other, then delete it once nothing fails.",
            cli: "aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(rows) = user_rows(account, out) else { continue };
        for row in rows {
            let res = row_resource(account, row);
            if [1, 2].iter().all(|n| field(row, &format!("access_key_{n}_active")) == "true") {
                out.fail(res, "both access keys are active");
            } else {
                out.pass(res, "at most one access key is active");
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
            row("two", &[("access_key_1_active", "true"), ("access_key_2_active", "true")]),
            row("one", &[("access_key_1_active", "true"), ("access_key_2_active", "false")]),
            row("none", &[("access_key_1_active", "false"), ("access_key_2_active", "false")]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed, Status::Passed]);
        iam(&mut inv).credential_report = Observed::Unknown("iam:GetCredentialReport denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
