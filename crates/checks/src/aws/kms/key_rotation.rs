//! Automatic rotation of customer managed symmetric KMS keys.
//!
//! CIS AWS Foundations v3.0.0 3.6 (Security Hub KMS.4, which is not part of FSBP). Only
//! enabled, customer managed `SYMMETRIC_DEFAULT` keys with key material from KMS
//! (`Origin` = `AWS_KMS`) are evaluated: imported, custom key store and asymmetric keys cannot
//! be rotated automatically. One result per such key.

use super::each_customer_key;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_key_rotation",
        title: "KMS keys do not rotate their key material automatically",
        description: "Rotating key material limits how much data one key version protects and how long a compromised version stays useful; KMS keeps old versions to decrypt existing data.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsKmsKey,
        standards: &[StandardRef::cis("3.6")],
        remediation: Remediation {
            console: "KMS console > Customer managed keys > the key > Key rotation: select Automatically rotate this KMS key every year and save.",
            cli: "aws kms enable-key-rotation --key-id <key-id>",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_key(ctx, out, |key, res, out| {
        if key.key_state != "Enabled" || key.key_spec != "SYMMETRIC_DEFAULT" || key.origin != "AWS_KMS" {
            return;
        }
        match &key.rotation_enabled {
            Observed::Known(true) => out.pass(res, "automatic key rotation is on"),
            Observed::Known(false) => out.fail(res, "automatic key rotation is off"),
            Observed::Unknown(why) => out.not_available(res, format!("key rotation status could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::key;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::KmsKey;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).kms = Observed::Known(vec![
            key("on"),
            KmsKey { rotation_enabled: Observed::Known(false), ..key("off") },
            KmsKey { rotation_enabled: Observed::Unknown("kms:GetKeyRotationStatus access denied".into()), ..key("unknown") },
            // not evaluated:
            KmsKey { key_manager: "AWS".into(), rotation_enabled: Observed::Known(false), ..key("aws-managed") },
            KmsKey { key_spec: "RSA_2048".into(), rotation_enabled: Observed::Known(false), ..key("asym") },
            KmsKey { origin: "EXTERNAL".into(), rotation_enabled: Observed::Known(false), ..key("imported") },
            KmsKey { key_state: "PendingDeletion".into(), rotation_enabled: Observed::Known(false), ..key("deleting") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).kms = Observed::Unknown("kms:ListKeys access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
