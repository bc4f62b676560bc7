//! Security Hub ECS.9 (FSBP): containers without a log configuration.
//!
//! The control (and its AWS Config rule `ecs-task-definition-log-configuration`): "This rule is
//! NON_COMPLIANT if an active ECSTaskDefinition does not have the logConfiguration resource
//! defined or the value for logConfiguration is null in at least one container definition."
//! One container without one fails the task definition. One result per task definition.

use super::{each_task_definition, names};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_logging",
        title: "ECS containers have no log configuration",
        description: "Without a log driver a container's output stays on the instance (or, on Fargate, is lost): nothing is left to investigate an incident with.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.9")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: under each container's Logging, turn on log collection (awslogs to CloudWatch, or FireLens).",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (with a logConfiguration on every container)",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| {
        let unlogged: Vec<&str> = td.containers.iter().filter(|c| c.log_driver.is_none()).map(|c| c.name.as_str()).collect();
        if unlogged.is_empty() {
            out.pass(res, "every container has a log configuration");
        } else {
            out.fail(res, format!("no log configuration: {}", names(unlogged.into_iter())));
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
            task("logged", vec![container("a"), container("b")]),
            task("one-unlogged", vec![container("a"), EcsContainer { log_driver: None, ..container("sidecar") }]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        assert!(run_check(&CHECK, &inv)[1].reason.contains("`sidecar`"));
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:ListTaskDefinitionFamilies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
