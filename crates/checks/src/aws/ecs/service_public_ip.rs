//! Security Hub ECS.2 (FSBP): services that give their tasks public IP addresses.
//!
//! The control: "This control fails if `AssignPublicIP` is `ENABLED`. This control passes if
//! `AssignPublicIP` is `DISABLED`." Services without awsvpc networking (no such setting) pass.
//! One result per service.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_service_public_ip",
        title: "ECS services assign public IP addresses to their tasks",
        description: "A task with a public IP address is reachable from the internet wherever its security groups allow; tasks belong in private subnets behind a load balancer or NAT gateway.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsService,
        standards: &[StandardRef::fsbp("ECS.2")],
        remediation: Remediation {
            console: "ECS console > Clusters > the cluster > Services > the service > Update service > Networking: turn off Public IP (use private subnets with a NAT gateway or VPC endpoints).",
            cli: "aws ecs update-service --cluster <cluster> --service <service> --network-configuration 'awsvpcConfiguration={subnets=[<subnet>],securityGroups=[<sg>],assignPublicIp=DISABLED}'",
            url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    crate::aws::each_regional(
        ctx,
        out,
        "ecs",
        ResourceType::AwsEcsCluster,
        "cluster",
        |r| &r.ecs_clusters,
        |account, region, c, out| match &c.services {
            Observed::Known(services) => {
                for s in services {
                    let res = resource(account, &region.name, ResourceType::AwsEcsService, s.arn.clone(), &s.name);
                    match s.assign_public_ip.as_deref() {
                        Some("ENABLED") => out.fail(res, "tasks get a public IP address (assignPublicIp ENABLED)"),
                        Some(v) => out.pass(res, format!("assignPublicIp is {v}")),
                        None => out.pass(res, "no awsvpc network configuration: tasks get no public IP address of their own"),
                    }
                }
            }
            Observed::Unknown(why) => {
                let res = resource(
                    account,
                    &region.name,
                    ResourceType::AwsEcsService,
                    format!("{}/services/*", c.arn),
                    &format!("services of {}", c.name),
                );
                out.not_available(res, format!("the services of cluster `{}` could not be read: {why}", c.name));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcsCluster, EcsService};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let service = |name: &str, ip: Option<&str>| EcsService {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:service/main/{name}"),
            name: name.into(),
            launch_type: Some("FARGATE".into()),
            assign_public_ip: ip.map(str::to_string),
        };
        let cluster = |name: &str, services| EcsCluster {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:cluster/{name}"),
            name: name.into(),
            container_insights: None,
            services,
        };
        let mut inv = inventory();
        region(&mut inv).ecs_clusters = Observed::Known(vec![
            cluster(
                "main",
                Observed::Known(vec![service("private", Some("DISABLED")), service("public", Some("ENABLED")), service("bridge", None)]),
            ),
            cluster("unread", Observed::Unknown("ecs:ListServices access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]);
        region(&mut inv).ecs_clusters = Observed::Unknown("ecs:ListClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
