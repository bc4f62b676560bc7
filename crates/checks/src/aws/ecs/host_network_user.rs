//! Security Hub ECS.1 (FSBP): host-network task definitions whose containers run as root.
//!
//! The control: "The control fails for task definitions that have host network mode and
//! container definitions where `privileged=false` or is empty and `user=root` or is empty."
//! A container with no `user` runs as the image's user, root unless the image says otherwise,
//! so an unset user counts as root; `0` (root's uid, alone or as `0:<gid>`) and `root:<group>`
//! are root too. One such container of several fails the task definition; task definitions in
//! another network mode pass. One result per task definition.

use super::{each_task_definition, names};
use crate::{Check, Ctx, Emit};
use rampart_inventory::EcsContainer;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_task_definition_host_network_user",
        title: "ECS task definitions in host network mode run containers as root",
        description: "In host network mode a container shares the instance's network stack; running it as root lets it bind privileged ports and reach interfaces and services of the host.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsTaskDefinition,
        standards: &[StandardRef::fsbp("ECS.1")],
        remediation: Remediation {
            console: "ECS console > Task definitions > the family > Create new revision: set a non-root User on every container, or use the awsvpc network mode.",
            cli: "aws ecs register-task-definition --cli-input-json file://taskdef.json (with \"user\": \"1000:1000\" on each container)",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode",
        },
    },
    run,
};

/// Whether `user` names root: unset, `root`, uid 0, with or without a group.
fn is_root(user: Option<&str>) -> bool {
    match user.map(|u| u.split(':').next().unwrap_or(u).trim()) {
        None | Some("") | Some("root") | Some("0") => true,
        Some(_) => false,
    }
}

fn as_root(c: &EcsContainer) -> bool {
    c.privileged != Some(true) && is_root(c.user.as_deref())
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_task_definition(ctx, out, |td, res, out| {
        if td.network_mode.as_deref() != Some("host") {
            return out.pass(res, format!("network mode is `{}`, not host", td.network_mode.as_deref().unwrap_or("default")));
        }
        let root: Vec<&str> = td.containers.iter().filter(|c| as_root(c)).map(|c| c.name.as_str()).collect();
        if root.is_empty() {
            out.pass(res, "host network mode, every container has a non-root user");
        } else {
            out.fail(res, format!("host network mode with containers running as root: {}", names(root.into_iter())));
        }
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
        let host = |family: &str, containers| EcsTaskDefinition { network_mode: Some("host".into()), ..task(family, containers) };
        let user = |name: &str, u: Option<&str>| EcsContainer { user: u.map(str::to_string), ..container(name) };
        let mut inv = inventory();
        region(&mut inv).ecs_task_definitions = Observed::Known(vec![
            task("awsvpc", vec![user("a", None)]),
            host("non-root", vec![user("a", Some("1000")), user("b", Some("app:app"))]),
            // One of two containers has no user.
            host("one-unset", vec![user("a", Some("1000")), user("b", None)]),
            host("uid-0", vec![user("a", Some("0:0"))]),
            host("root-group", vec![user("a", Some("root:wheel"))]),
            // The control's own exception: privileged=true.
            host("privileged", vec![EcsContainer { privileged: Some(true), ..user("a", None) }]),
        ]);
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::Passed]
        );
        assert!(run_check(&CHECK, &inv)[2].reason.contains("`b`"));
        region(&mut inv).ecs_task_definitions = Observed::Unknown("ecs:ListTaskDefinitionFamilies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
