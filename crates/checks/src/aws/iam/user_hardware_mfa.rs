//! IAM users without a hardware MFA device (a hardware TOTP token or a FIDO security key).
//!
//! No Security Hub control or CIS recommendation asks it of IAM users (IAM.6 and CIS 1.6 ask it
//! of the root user); it is Prowler's `iam_user_hardware_mfa_enabled` (see `crate::prowler`): a
//! user fails without any MFA device or with a virtual one. IAM names a virtual device by an
//! ARN of type `mfa` (`arn:aws:iam::<account>:mfa/<name>`) and a FIDO key by one of type `u2f`;
//! a hardware TOTP token by its serial number. One result per user.

use super::known_iam;
use super::user_administrator_access::list_unknown;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_hardware_mfa",
        title: "IAM users do not use a hardware MFA device",
        description: "A virtual MFA app lives on a phone or computer that can be compromised or cloned; a hardware token or FIDO security key keeps the second factor out of reach of malware and phishing.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > the user > Security credentials > Multi-factor authentication (MFA) > Assign MFA device: choose Passkey or security key, or Hardware TOTP token; then remove the virtual device.",
            cli: "aws iam enable-mfa-device --user-name <user> --serial-number <token-serial> --authentication-code1 <code1> --authentication-code2 <code2>; aws iam deactivate-mfa-device --user-name <user> --serial-number <virtual-device-arn>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_physical.html",
        },
    },
    run,
};

/// Whether an MFA device serial number names a virtual device.
fn is_virtual(serial: &str) -> bool {
    serial.starts_with("arn:") && serial.split(':').nth(5).is_some_and(|r| r.starts_with("mfa/"))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let users = match &iam.users {
            Observed::Known(u) => u,
            Observed::Unknown(why) => {
                list_unknown(account, ResourceType::AwsIamUser, "users", why, out);
                continue;
            }
        };
        for u in users {
            let res = resource(account, &account.home_region, ResourceType::AwsIamUser, u.arn.clone(), &u.user_name);
            match &u.mfa_devices {
                Observed::Known(d) if d.is_empty() => out.fail(res, "the user has no MFA device"),
                Observed::Known(d) if d.iter().any(|s| is_virtual(s)) => out.fail(res, "the user's MFA device is virtual"),
                Observed::Known(_) => out.pass(res, "the user's MFA devices are hardware tokens or security keys"),
                Observed::Unknown(why) => out.not_available(res, format!("the user's MFA devices could not be listed: {why}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::User;
    use rampart_model::Status;

    fn user(name: &str, devices: Observed<Vec<String>>) -> User {
        User { user_name: name.into(), arn: format!("arn:aws:iam::123456789012:user/{name}"), mfa_devices: devices, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![
            user("token", Observed::Known(vec!["GAHT12345678".into()])),
            user("fido", Observed::Known(vec!["arn:aws:iam::123456789012:u2f/user/fido/key-ABC".into()])),
            user("app", Observed::Known(vec!["arn:aws:iam::123456789012:mfa/app-phone".into()])),
            user("both", Observed::Known(vec!["GAHT12345678".into(), "arn:aws:iam::123456789012:mfa/both".into()])),
            user("none", Observed::Known(vec![])),
            user("unknown", Observed::Unknown("iam:ListMFADevices access denied".into())),
        ]);
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::NotAvailable]
        );
        iam(&mut inv).users = Observed::Unknown("iam:ListUsers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
