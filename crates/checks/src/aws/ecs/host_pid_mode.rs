//! Security Hub ECS.3 (FSBP): task definitions sharing the host's process namespace.
//!
//! The control: "The control fails if the task definition shares the host's process namespace
//! with the containers running on it." That is `pidMode` = `host`. One result per task
//! definition.

use super::each_task_definition;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_host_pid_mode",
        title: "ECS task definitions share the host's process namespace",
        description: "Containers in the host's process namespace see, and can signal or trace, every process of the container instance, including other tasks' and the ECS agent's.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.3")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: set PID mode to task (or leave it unset).",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (without \"pidMode\": \"host\")",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_definition_pidmode",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| match td.pid_mode.as_deref() {
        Some("host") => out.fail(res, "pidMode is `host`"),
        Some(m) => out.pass(res, format!("pidMode is `{m}`")),
        None => out.pass(res, "pidMode is not set (each task has its own namespace)"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{container, task};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcsTaskDefinition, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let with = |family: &str, mode: Option<&str>| EcsTaskDefinition {
            pid_mode: mode.map(str::to_string),
            ..task(family, vec![container("a")])
        };
        let mut inv = inventory();
        region(&mut inv).ecs_task_definitions =
            Observed::Known(vec![with("unset", None), with("task", Some("task")), with("host", Some("host"))]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed]);
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:ListTaskDefinitionFamilies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
