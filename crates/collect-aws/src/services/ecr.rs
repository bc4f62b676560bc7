//! ECR: repositories with scanning, tag mutability, encryption, repository policy and
//! lifecycle policy; the region's registry scanning configuration.

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{EcrRegistryScanning, EcrRepository, EcrScanningRule, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<EcrRepository>> {
    let client = client!(ctx, aws_sdk_ecr);
    let repos = known_or_return!(
        ctx.call("ecr:DescribeRepositories", None, client.describe_repositories().into_paginator().items().send().try_collect()).await
    );

    let out = join_all(repos.iter().map(|r| {
        let client = &client;
        async move {
            let name = r.repository_name().unwrap_or_default().to_string();
            let arn = r.repository_arn().unwrap_or_default().to_string();
            let (policy, lifecycle) = futures::join!(
                ctx.call_opt("ecr:GetRepositoryPolicy", Some(&arn), &["RepositoryPolicyNotFoundException"], client.get_repository_policy().repository_name(&name).send()),
                ctx.call_opt("ecr:GetLifecyclePolicy", Some(&arn), &["LifecyclePolicyNotFoundException"], client.get_lifecycle_policy().repository_name(&name).send()),
            );
            EcrRepository {
                uri: r.repository_uri().unwrap_or_default().to_string(),
                scan_on_push: r.image_scanning_configuration().is_some_and(|c| c.scan_on_push()),
                image_tag_mutability: r.image_tag_mutability().map(|m| m.as_str().to_string()).unwrap_or_default(),
                encryption_type: r.encryption_configuration().map(|e| e.encryption_type().as_str().to_string()),
                policy: observed(policy).map(|p| p.and_then(|p| non_empty(p.policy_text()))),
                lifecycle_policy: observed(lifecycle).map(|p| p.and_then(|p| non_empty(p.lifecycle_policy_text()))),
                name,
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

/// The private registry's scanning configuration in the region: basic or enhanced scanning and
/// the rules that say which repositories are scanned how often.
pub(super) async fn registry_scanning(ctx: &Ctx) -> Observed<EcrRegistryScanning> {
    let client = client!(ctx, aws_sdk_ecr);
    let out = known_or_return!(ctx.call("ecr:GetRegistryScanningConfiguration", None, client.get_registry_scanning_configuration().send()).await);
    let Some(config) = out.scanning_configuration() else {
        return Observed::Unknown("ecr:GetRegistryScanningConfiguration returned no scanningConfiguration".into());
    };
    Observed::Known(EcrRegistryScanning {
        scan_type: config.scan_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        rules: config
            .rules()
            .iter()
            .map(|r| EcrScanningRule {
                scan_frequency: r.scan_frequency().as_str().to_string(),
                filters: r.repository_filters().iter().map(|f| f.filter().to_string()).collect(),
            })
            .collect(),
    })
}
