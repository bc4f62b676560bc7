//! ECR checks: private repositories' scanning, tag immutability and lifecycle policies.

pub mod image_scanning;
pub mod lifecycle_policy;
pub mod tag_immutability;
pub mod repository_public;
pub mod registry_enhanced_scanning;

use crate::{resource, Ctx, Emit};
use rampart_inventory::EcrRepository;
use rampart_model::{Resource, ResourceType};

pub(crate) fn each_repository(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&EcrRepository, Resource, &mut Emit)) {
    super::each_regional(ctx, out, "ecr", ResourceType::AwsEcrRepository, "repository", |r| &r.ecr, |account, region, repo, out| {
        let arn = if repo.arn.is_empty() { account.arn("ecr", &region.name, &format!("repository/{}", repo.name)) } else { repo.arn.clone() };
        f(repo, resource(account, &region.name, ResourceType::AwsEcrRepository, arn, &repo.name), out);
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{EcrRepository, Observed};

    /// A repository that passes every ECR check.
    pub fn repo(name: &str) -> EcrRepository {
        EcrRepository {
            name: name.into(),
            arn: format!("arn:aws:ecr:us-east-1:123456789012:repository/{name}"),
            uri: format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}"),
            scan_on_push: true,
            image_tag_mutability: "IMMUTABLE".into(),
            encryption_type: Some("AES256".into()),
            policy: Observed::Known(None),
            lifecycle_policy: Observed::Known(Some("{\"rules\":[]}".into())),
        }
    }
}
