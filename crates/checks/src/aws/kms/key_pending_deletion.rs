//! Customer managed KMS keys scheduled for deletion.
//!
//! Security Hub KMS.3. Once the waiting period ends the key material is gone, and so is every
//! piece of data encrypted under the key. One result per customer managed key.
//!
//! AWS: "The control fails if a KMS key is scheduled for deletion" (Security Hub KMS.3); a replica
//! key pending deletion is scheduled too.

use super::each_customer_key;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_key_pending_deletion",
        title: "KMS keys are scheduled for deletion",
        description: "A deleted KMS key cannot be recovered: data still encrypted under it becomes unreadable for good. Cancel deletions that were not intended while the waiting period lasts.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsKmsKey,
        standards: &[StandardRef::fsbp("KMS.3")],
        remediation: Remediation {
            console: "KMS console > Customer managed keys > the key > Key actions > Cancel key deletion, then enable the key again.",
            cli: "aws kms cancel-key-deletion --key-id <key-id> && aws kms enable-key --key-id <key-id>",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-scheduling-key-deletion.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_key(ctx, out, |key, res, out| {
        if key.key_state == "PendingDeletion" || key.key_state == "PendingReplicaDeletion" {
            out.fail(res, format!("the key is in state `{}`", key.key_state));
        } else {
            out.pass(res, format!("the key is not scheduled for deletion (state `{}`)", key.key_state));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::key;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{KmsKey, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).kms = Observed::Known(vec![
            key("live"),
            KmsKey { key_state: "PendingDeletion".into(), ..key("doomed") },
            KmsKey { key_manager: "AWS".into(), key_state: "PendingDeletion".into(), ..key("aws-managed") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).kms = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
