//! KMS checks.

pub mod key_pending_deletion;
pub mod key_rotation;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, KmsKey, Region};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every customer managed key (`KeyManager` = `CUSTOMER`); AWS managed keys are
/// AWS's to rotate and delete.
pub(crate) fn each_customer_key(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&KmsKey, Resource, &mut Emit)) {
    super::each_regional(ctx, out, "kms", ResourceType::AwsKmsKey, "key", |r| &r.kms, |account, region, key, out| {
        if key.key_manager == "CUSTOMER" {
            f(key, key_resource(account, region, key), out);
        }
    });
}

fn key_resource(account: &Account, region: &Region, key: &KmsKey) -> Resource {
    let arn = if key.arn.is_empty() { account.arn("kms", &region.name, &format!("key/{}", key.key_id)) } else { key.arn.clone() };
    resource(account, &region.name, ResourceType::AwsKmsKey, arn, &key.key_id)
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{KmsKey, Observed};

    /// An enabled customer managed symmetric key with rotation on.
    pub fn key(id: &str) -> KmsKey {
        KmsKey {
            key_id: id.into(),
            arn: format!("arn:aws:kms:us-east-1:123456789012:key/{id}"),
            key_manager: "CUSTOMER".into(),
            key_state: "Enabled".into(),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            rotation_enabled: Observed::Known(true),
            policy: Observed::Known("{}".into()),
        }
    }
}
