//! Hardware MFA for the root user.
//!
//! Security Hub IAM.6 (FSBP) and CIS AWS Foundations v3.0.0 1.6, as AWS Config's
//! `root-account-hardware-mfa-enabled` reads them: the root user must have MFA
//! (`AccountMFAEnabled` = 1 in `GetAccountSummary`) and no virtual MFA device may belong to it
//! (`ListVirtualMFADevices`: serial `arn:<partition>:iam::<account>:mfa/root-account-mfa-device`
//! or user `arn:<partition>:iam::<account>:root`). One result per account.
//!
//! AWS: "The rule is NON_COMPLIANT if any virtual MFA devices are permitted for signing in with
//! root credentials" (Config `root-account-hardware-mfa-enabled`, behind IAM.6): MFA on plus a
//! virtual device of the root user fails (`fail`), as does no MFA at all.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_root_hardware_mfa",
        title: "Hardware MFA is not enabled for the root user",
        description: "A virtual MFA device lives on a phone or computer that can itself be compromised, cloned or lost; the root user, which can do anything in the account, deserves a dedicated hardware key.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("1.6"), StandardRef::fsbp("IAM.6")],
        remediation: Remediation {
            console: "Sign in as the root user > Security credentials > Multi-factor authentication: assign a hardware TOTP token or FIDO security key, then remove the virtual MFA device.",
            cli: "The root user's MFA can only be managed in the console: https://console.aws.amazon.com/iam/home#/security_credentials",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-hw-mfa-for-root.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        let enabled = match &iam.account_summary {
            Observed::Known(m) => m.get("AccountMFAEnabled").copied(),
            Observed::Unknown(why) => {
                out.not_available(res, format!("account summary could not be read: {why}"));
                continue;
            }
        };
        match enabled {
            Some(1) => {}
            Some(_) => {
                out.fail(res, "the root user has no MFA device at all");
                continue;
            }
            None => {
                out.not_available(res, "the account summary has no `AccountMFAEnabled` entry");
                continue;
            }
        }
        let devices = match &iam.virtual_mfa_devices {
            Observed::Known(d) => d,
            Observed::Unknown(why) => {
                out.not_available(res, format!("virtual MFA devices could not be listed: {why}"));
                continue;
            }
        };
        let root_serial = format!("arn:{}:iam::{}:mfa/root-account-mfa-device", account.partition, account.id);
        let root_arn = format!("arn:{}:iam::{}:root", account.partition, account.id);
        match devices.iter().find(|d| d.serial_number == root_serial || d.user_arn.as_deref() == Some(root_arn.as_str())) {
            Some(d) => out.fail(res, format!("the root user's MFA is the virtual device `{}`", d.serial_number)),
            None => out.pass(res, "the root user has MFA and no virtual MFA device: its MFA is hardware"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::VirtualMfaDevice;
    use rampart_model::Status;

    fn with(mfa: i64, devices: Observed<Vec<VirtualMfaDevice>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).account_summary = Observed::Known([("AccountMFAEnabled".to_string(), mfa)].into());
        iam(&mut inv).virtual_mfa_devices = devices;
        inv
    }

    fn device(serial: &str, user: Option<&str>) -> VirtualMfaDevice {
        VirtualMfaDevice { serial_number: serial.into(), user_arn: user.map(Into::into) }
    }

    #[test]
    fn pass() {
        let users_device = device("arn:aws:iam::123456789012:mfa/alice", Some("arn:aws:iam::123456789012:user/alice"));
        assert_eq!(single(&CHECK, &with(1, Observed::Known(vec![users_device]))).0, Status::Passed);
    }

    #[test]
    fn fail() {
        assert_eq!(single(&CHECK, &with(0, Observed::Known(vec![]))).0, Status::Failed);
        let by_serial = device("arn:aws:iam::123456789012:mfa/root-account-mfa-device", None);
        assert_eq!(single(&CHECK, &with(1, Observed::Known(vec![by_serial]))).0, Status::Failed);
        let by_user = device("arn:aws:iam::123456789012:mfa/my-phone", Some("arn:aws:iam::123456789012:root"));
        assert_eq!(single(&CHECK, &with(1, Observed::Known(vec![by_user]))).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with(1, Observed::Unknown("iam:ListVirtualMFADevices access denied".into()))).0, Status::NotAvailable);
        let mut inv = with(1, Observed::Known(vec![]));
        iam(&mut inv).account_summary = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
