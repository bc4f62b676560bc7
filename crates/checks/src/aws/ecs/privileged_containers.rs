//! Security Hub ECS.4 (FSBP): privileged containers.
//!
//! The control: "This control checks if the `privileged` parameter in the container definition
//! of Amazon ECS Task Definitions is set to `true`. The control fails if this parameter is
//! equal to `true`." One privileged container of several fails the task definition. One
//! result per task definition.

use super::{each_task_definition, names};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_privileged_containers",
        title: "ECS task definitions run privileged containers",
        description: "A privileged container has root's powers on the container instance (all devices, all capabilities): escaping it takes nothing.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.4")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: clear Privileged on every container; grant only the Linux capabilities it needs.",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (with \"privileged\": false)",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| {
        let privileged: Vec<&str> = td.containers.iter().filter(|c| c.privileged == Some(true)).map(|c| c.name.as_str()).collect();
        if privileged.is_empty() {
            out.pass(res, "no container is privileged");
        } else {
            out.fail(res, format!("privileged: {}", names(privileged.into_iter())));
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
            task("plain", vec![container("a"), EcsContainer { privileged: Some(false), ..container("b") }]),
            task("one-of-two", vec![container("a"), EcsContainer { privileged: Some(true), ..container("b") }]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:DescribeTaskDefinition access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
