//! Secrets Manager checks and what they share.

pub mod rotated_within_90_days;
pub mod rotation_enabled;
pub mod secret_public;
pub mod unused_90_days;

use crate::aws::each_regional;
use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Region, Secret};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every secret with its resource, NOT_AVAILABLE once per region whose secrets
/// could not be listed.
pub(crate) fn each_secret(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Region, &Secret, Resource, &mut Emit)) {
    each_regional(
        ctx,
        out,
        "secretsmanager",
        ResourceType::AwsSecretsManagerSecret,
        "secret",
        |r| &r.secrets,
        |account, region, s, out| {
            let res = resource(account, &region.name, ResourceType::AwsSecretsManagerSecret, s.arn.clone(), &s.name);
            f(account, region, s, res, out)
        },
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{Observed, Secret};

    pub fn secret(name: &str) -> Secret {
        Secret {
            name: name.into(),
            arn: format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-AbCdEf"),
            created: Some("2026-01-01T00:00:00Z".into()),
            policy: Observed::Known(None),
            ..Secret::default()
        }
    }
}
