//! IAM users with a console password and no MFA device, from the credential report
//! (`password_enabled`, `mfa_active`).
//!
//! CIS AWS Foundations v3.0.0 1.10; Security Hub IAM.5. One result per IAM user.
//!
//! AWS: "This control checks whether AWS multi-factor authentication (MFA) is enabled for all IAM
//! users that use a console password" (Security Hub IAM.5; Config
//! `mfa-enabled-for-iam-console-access`); users without a console password pass.

use super::{field, row_resource, user_rows};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_console_mfa",
        title: "IAM users with a console password have no MFA",
        description: "A console password alone can be phished, guessed or reused from another breach; MFA makes a stolen password insufficient to sign in.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::cis("1.10"), StandardRef::fsbp("IAM.5")],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials > Multi-factor authentication (MFA) > Assign MFA device; or remove the console password if the user does not need it.",
            cli: "aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile qr.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code> --authentication-code2 <code>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(rows) = user_rows(account, out) else { continue };
        for row in rows {
            let res = row_resource(account, row);
            match (field(row, "password_enabled"), field(row, "mfa_active")) {
                ("true", "false") => out.fail(res, "console password without MFA"),
                ("true", "true") => out.pass(res, "console password with MFA"),
                ("false", _) => out.pass(res, "no console password"),
                (p, m) => out.not_available(res, format!("credential report has password_enabled=`{p}`, mfa_active=`{m}`")),
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
    fn pass_and_fail() {
        let inv = with(vec![
            row("console-mfa", &[("password_enabled", "true"), ("mfa_active", "true")]),
            row("api-only", &[]),
            row("console-no-mfa", &[("password_enabled", "true")]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed]);
    }

    #[test]
    fn not_available() {
        let mut r = row("x", &[]);
        r.remove("password_enabled");
        assert_eq!(single(&CHECK, &with(vec![r])).0, Status::NotAvailable);
        let mut inv = inventory();
        iam(&mut inv).credential_report = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
