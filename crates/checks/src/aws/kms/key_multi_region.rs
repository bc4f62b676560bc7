//! Customer managed KMS keys that are multi-Region keys.
//!
//! Prowler's `kms_cmk_not_multi_region` (see `crate::prowler`): an enabled customer managed key
//! fails when it is a multi-Region key (a primary or a replica, `KeyMetadata.MultiRegion`).
//! Ciphertext made with one multi-Region key can be decrypted with any of its related keys in
//! other Regions, each with its own key policy: a key policy review of one Region no longer
//! tells who can decrypt. AWS advises single-Region keys unless a workload needs the
//! cross-Region property. One result per enabled customer managed key.

use super::each_customer_key;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_key_multi_region",
        title: "Customer managed KMS keys are multi-Region keys",
        description: "A multi-Region key's related keys in other Regions decrypt the same ciphertext under their own key policies; who can decrypt is spread over every Region holding a replica.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsKmsKey,
        standards: &[],
        remediation: Remediation {
            console: "KMS console > Customer managed keys > the key > Regionality: if no workload needs cross-Region decryption, create a single-Region key, re-encrypt the data with it, then schedule deletion of the multi-Region key and its replicas.",
            cli: "aws kms create-key --no-multi-region; aws kms re-encrypt ... --destination-key-id <new-key>; aws kms schedule-key-deletion --key-id <mrk-id>",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_key(ctx, out, |key, res, out| {
        if key.key_state != "Enabled" {
            return;
        }
        match key.multi_region {
            Observed::Known(true) => out.fail(res, "the key is a multi-Region key"),
            Observed::Known(false) => out.pass(res, "the key is a single-Region key"),
            Observed::Unknown(ref why) => out.not_available(res, format!("the key's metadata could not be read: {why}")),
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
            key("single"),
            KmsKey { multi_region: Observed::Known(true), ..key("mrk-1") },
            KmsKey { multi_region: Observed::Unknown("kms:DescribeKey access denied".into()), ..key("unread") },
            KmsKey { multi_region: Observed::Known(true), key_state: "Disabled".into(), ..key("mrk-off") },
            KmsKey { multi_region: Observed::Known(true), key_manager: "AWS".into(), ..key("aws") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).kms = Observed::Unknown("kms:ListKeys access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
