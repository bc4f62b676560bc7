//! ECS checks: on task definitions, the latest ACTIVE revision of each family, the revision
//! Security Hub's ECS controls evaluate ("This control only evaluates the latest active
//! revision of an Amazon ECS task definition"); on clusters and their services.

pub mod cluster_container_insights;
pub mod environment_secrets;
pub mod host_network_user;
pub mod host_pid_mode;
pub mod logging;
pub mod privileged_containers;
pub mod readonly_root_filesystem;
pub mod service_public_ip;

use crate::aws::each_regional;
use crate::{resource, Ctx, Emit};
use rampart_inventory::EcsTaskDefinition;
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every task definition with its resource, NOT_AVAILABLE once per region whose
/// task definitions could not be read.
pub(crate) fn each_task_definition(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&EcsTaskDefinition, Resource, &mut Emit)) {
    each_regional(
        ctx,
        out,
        "ecs",
        ResourceType::AwsEcsTaskDefinition,
        "task-definition",
        |r| &r.ecs_task_definitions,
        |account, region, td, out| {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEcsTaskDefinition,
                td.arn.clone(),
                &format!("{}:{}", td.family, td.revision),
            );
            f(td, res, out)
        },
    );
}

/// `names` of the containers, as "`a`, `b`".
pub(crate) fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{EcsContainer, EcsTaskDefinition};

    pub fn container(name: &str) -> EcsContainer {
        EcsContainer {
            name: name.into(),
            readonly_root_filesystem: Some(true),
            user: Some("1000".into()),
            log_driver: Some("awslogs".into()),
            ..EcsContainer::default()
        }
    }

    pub fn task(family: &str, containers: Vec<EcsContainer>) -> EcsTaskDefinition {
        EcsTaskDefinition {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:3"),
            family: family.into(),
            revision: 3,
            network_mode: Some("awsvpc".into()),
            pid_mode: None,
            containers,
        }
    }
}
