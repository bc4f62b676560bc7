//! ECS: the latest ACTIVE revision of every task definition family, the revision AWS Config
//! and Security Hub evaluate. Plain-text environment values are run through the secrets
//! detector here, as for Lambda, and only the variables' names and the redacted matches are
//! kept. Also clusters (their Container Insights setting) and their services (whether tasks
//! get a public IP address).

use super::{known_or_return, lambda::redacted_matches, non_empty};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{EcsCluster, EcsContainer, EcsService, EcsTaskDefinition, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<EcsTaskDefinition>> {
    let client = client!(ctx, aws_sdk_ecs);
    let families = known_or_return!(
        ctx.call(
            "ecs:ListTaskDefinitionFamilies",
            None,
            client
                .list_task_definition_families()
                .status(aws_sdk_ecs::types::TaskDefinitionFamilyStatus::Active)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        )
        .await
    );
    let described = join_all(families.iter().map(|family| {
        let client = &client;
        async move {
            ctx.call("ecs:DescribeTaskDefinition", Some(family), client.describe_task_definition().task_definition(family).send()).await
        }
    }))
    .await;
    // A definition that could not be read cannot be stored as unknown field by field: the
    // whole list is then unknown, so that no check passes on what was not read.
    if let Some(why) = super::first_err(&described) {
        return Observed::Unknown(why);
    }
    let mut out: Vec<EcsTaskDefinition> =
        described.into_iter().flatten().filter_map(|d| d.task_definition().map(task_definition)).collect();
    out.sort_by(|a, b| a.arn.cmp(&b.arn));
    Observed::Known(out)
}

/// Clusters with their settings and services.
pub(super) async fn clusters(ctx: &Ctx) -> Observed<Vec<EcsCluster>> {
    let client = client!(ctx, aws_sdk_ecs);
    let arns =
        known_or_return!(ctx.call("ecs:ListClusters", None, client.list_clusters().into_paginator().items().send().try_collect()).await);
    let mut clusters = Vec::new();
    // DescribeClusters takes at most 100 clusters a call.
    for batch in arns.chunks(100) {
        let out = known_or_return!(
            ctx.call(
                "ecs:DescribeClusters",
                None,
                client.describe_clusters().set_clusters(Some(batch.to_vec())).include(aws_sdk_ecs::types::ClusterField::Settings).send()
            )
            .await
        );
        clusters.extend(out.clusters().to_vec());
    }
    let out = join_all(clusters.iter().map(|c| {
        let client = &client;
        async move {
            let arn = c.cluster_arn().unwrap_or_default().to_string();
            let container_insights = c
                .settings()
                .iter()
                .find(|s| s.name().is_some_and(|n| n.as_str() == "containerInsights"))
                .and_then(|s| non_empty(s.value()));
            EcsCluster {
                name: c.cluster_name().unwrap_or_default().to_string(),
                container_insights,
                services: services(ctx, client, &arn).await,
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

async fn services(ctx: &Ctx, client: &aws_sdk_ecs::Client, cluster: &str) -> Observed<Vec<EcsService>> {
    let arns = known_or_return!(
        ctx.call("ecs:ListServices", Some(cluster), client.list_services().cluster(cluster).into_paginator().items().send().try_collect())
            .await
    );
    let mut out = Vec::new();
    // DescribeServices takes at most 10 services a call.
    for batch in arns.chunks(10) {
        let described = known_or_return!(
            ctx.call(
                "ecs:DescribeServices",
                Some(cluster),
                client.describe_services().cluster(cluster).set_services(Some(batch.to_vec())).send()
            )
            .await
        );
        out.extend(described.services().iter().map(|s| {
            EcsService {
                arn: s.service_arn().unwrap_or_default().to_string(),
                name: s.service_name().unwrap_or_default().to_string(),
                launch_type: s.launch_type().map(|l| l.as_str().to_string()),
                assign_public_ip: s
                    .network_configuration()
                    .and_then(|n| n.awsvpc_configuration())
                    .and_then(|a| a.assign_public_ip())
                    .map(|a| a.as_str().to_string()),
            }
        }));
    }
    Observed::Known(out)
}

fn task_definition(td: &aws_sdk_ecs::types::TaskDefinition) -> EcsTaskDefinition {
    EcsTaskDefinition {
        arn: td.task_definition_arn().unwrap_or_default().to_string(),
        family: td.family().unwrap_or_default().to_string(),
        revision: td.revision(),
        network_mode: td.network_mode().map(|m| m.as_str().to_string()),
        pid_mode: td.pid_mode().map(|m| m.as_str().to_string()),
        containers: td.container_definitions().iter().map(container).collect(),
    }
}

fn container(c: &aws_sdk_ecs::types::ContainerDefinition) -> EcsContainer {
    let mut vars: Vec<(String, String)> =
        c.environment().iter().map(|kv| (kv.name().unwrap_or_default().to_string(), kv.value().unwrap_or_default().to_string())).collect();
    vars.sort();
    let refs: Vec<(&String, &String)> = vars.iter().map(|(n, v)| (n, v)).collect();
    let log = c.log_configuration();
    EcsContainer {
        name: c.name().unwrap_or_default().to_string(),
        privileged: c.privileged(),
        user: non_empty(c.user()),
        readonly_root_filesystem: c.readonly_root_filesystem(),
        log_driver: log.map(|l| l.log_driver().as_str().to_string()),
        log_mode: log.and_then(|l| l.options()).and_then(|o| o.get("mode")).cloned(),
        environment_secrets: redacted_matches(&refs),
        environment_variable_names: vars.into_iter().map(|(n, _)| n).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair};

    #[test]
    fn environment_values_are_scanned_and_only_redacted_matches_kept() {
        // Assembled at run time so that this source holds no key-shaped literal.
        let (id, secret) = (format!("AKIA{}", "Q3EGRN5UVWXYZ2AB"), format!("{}/{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "Ae4Ku9M"));
        let c = ContainerDefinition::builder()
            .name("app")
            .environment(KeyValuePair::builder().name("REGION").value("eu-west-1").build())
            .environment(KeyValuePair::builder().name("AWS_SECRET_ACCESS_KEY").value(secret.clone()).build())
            .environment(KeyValuePair::builder().name("AWS_ACCESS_KEY_ID").value(id.clone()).build())
            .build();
        let got = container(&c);
        assert_eq!(got.environment_variable_names, vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REGION"]);
        assert_eq!(got.environment_secrets, vec![format!("AWS_ACCESS_KEY_ID: access key {id} with secret k9Tz…")]);
        assert!(!format!("{got:?}").contains(&secret), "the secret is never kept whole");
        let clean = container(&ContainerDefinition::builder().name("web").build());
        assert!(clean.environment_secrets.is_empty() && clean.log_driver.is_none());
    }
}
