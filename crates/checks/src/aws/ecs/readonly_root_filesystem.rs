//! Security Hub ECS.5 (FSBP): containers with a writable root filesystem.
//!
//! The control: "This control fails if the `ReadonlyRootFilesystem` parameter in the container
//! definition of Amazon ECS task definitions is set to `false`." The parameter defaults to
//! false, so a container that does not set it has a writable root filesystem and fails as
//! well. One such container of several fails the task definition. One result per task
//! definition.

use super::{each_task_definition, names};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_readonly_root_filesystem",
        title: "ECS containers can write to their root filesystem",
        description: "A writable root filesystem lets an intruder in the container change its binaries and configuration or drop tools; a read-only one confines writes to the volumes given.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.5")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: select Read only root file system on every container; mount volumes where the application writes.",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (with \"readonlyRootFilesystem\": true)",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_storage",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| {
        let writable: Vec<&str> =
            td.containers.iter().filter(|c| c.readonly_root_filesystem != Some(true)).map(|c| c.name.as_str()).collect();
        if writable.is_empty() {
            out.pass(res, "every container's root filesystem is read-only");
        } else {
            out.fail(res, format!("writable root filesystem: {}", names(writable.into_iter())));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{container, task};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcsContainer, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).ecs_task_definitions = Observed::Known(vec![
            task("read-only", vec![container("a"), container("b")]),
            task("one-false", vec![container("a"), EcsContainer { readonly_root_filesystem: Some(false), ..container("b") }]),
            task("one-unset", vec![container("a"), EcsContainer { readonly_root_filesystem: None, ..container("b") }]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:ListTaskDefinitionFamilies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
