//! Security Hub ECS.8 (FSBP): secrets passed to containers as plain environment variables.
//!
//! The control: "This control fails if a single environment variable in any container
//! definition equals `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, or `ECS_ENGINE_AUTH_DATA`."
//! Rampart fails on those names, and also on any variable whose value the `rampart scan
//! secrets` detector matched at collection (an access key under another name); only the
//! redacted matches are in the inventory. One container of several is enough to fail the task
//! definition. One result per task definition.

use super::{each_task_definition, names};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The variable names the control fails on.
pub const NAMES: &[&str] = &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_environment_secrets",
        title: "ECS task definitions pass secrets as plain environment variables",
        description: "Environment variables of a task definition are readable by anyone who can describe it, and are kept in every revision; credentials belong in Secrets Manager or Parameter Store, referenced through `secrets`.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.8")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: move the value into Secrets Manager (or Parameter Store) and reference it under Secrets (ValueFrom) instead of Environment variables; give the task role access; rotate the exposed key.",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (with containerDefinitions[].secrets instead of environment)",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| {
        let mut found: Vec<String> = Vec::new();
        for c in &td.containers {
            for n in c.environment_variable_names.iter().filter(|n| NAMES.contains(&n.as_str())) {
                found.push(format!("container `{}` sets `{n}`", c.name));
            }
            for m in &c.environment_secrets {
                found.push(format!("container `{}`: {m}", c.name));
            }
        }
        if found.is_empty() {
            out.pass(res, format!("no credential in the environment of {}", names(td.containers.iter().map(|c| c.name.as_str()))));
        } else {
            out.fail(res, found.join("; "));
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
        let with_vars =
            |names: &[&str]| EcsContainer { environment_variable_names: names.iter().map(|n| n.to_string()).collect(), ..container("app") };
        let mut inv = inventory();
        region(&mut inv).ecs_task_definitions = Observed::Known(vec![
            task("clean", vec![with_vars(&["REGION", "DB_HOST"])]),
            // One container of two is enough.
            task("named", vec![with_vars(&["REGION"]), EcsContainer { name: "sidecar".into(), ..with_vars(&["ECS_ENGINE_AUTH_DATA"]) }]),
            // A key found in a value under an innocent name.
            task(
                "detected",
                vec![EcsContainer { environment_secrets: vec!["LEGACY: access key id AKIA…".into()], ..with_vars(&["LEGACY"]) }],
            ),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        assert!(run_check(&CHECK, &inv)[1].reason.contains("container `sidecar` sets `ECS_ENGINE_AUTH_DATA`"));
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:ListTaskDefinitionFamilies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
