//! Security Hub ECS.12 (FSBP): clusters without Container Insights.
//!
//! The control: "This control checks if ECS clusters use Container Insights. This control fails
//! if Container Insights are not set up for a cluster." The cluster's `containerInsights`
//! setting must be `enabled` or `enhanced` (enhanced observability includes it); unset is the
//! account default at the cluster's creation, which `DescribeClusters` reports as the setting,
//! so a cluster without the setting fails. One result per cluster.

use crate::aws::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecs_cluster_container_insights",
        title: "ECS clusters do not use Container Insights",
        description: "Without Container Insights a cluster's tasks and services publish no CPU, memory, network or restart metrics: failures and abuse (a crypto-miner's CPU, for one) go unseen.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ecs",
        resource_type: ResourceType::AwsEcsCluster,
        standards: &[StandardRef::fsbp("ECS.12")],
        remediation: Remediation {
            console: "ECS console > Clusters > the cluster > Update cluster > Monitoring: turn on Container Insights (or enhanced observability).",
            cli: "aws ecs update-cluster-settings --cluster <name> --settings name=containerInsights,value=enabled",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/deploy-container-insights-ECS-cluster.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "ecs",
        ResourceType::AwsEcsCluster,
        "cluster",
        |r| &r.ecs_clusters,
        |account, region, c, out| {
            let res = resource(account, &region.name, ResourceType::AwsEcsCluster, c.arn.clone(), &c.name);
            match c.container_insights.as_deref() {
                Some(v @ ("enabled" | "enhanced")) => out.pass(res, format!("Container Insights is `{v}`")),
                Some(v) => out.fail(res, format!("Container Insights is `{v}`")),
                None => out.fail(res, "Container Insights is not set up"),
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcsCluster, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let cluster = |name: &str, ci: Option<&str>| EcsCluster {
            arn: format!("arn:aws:ecs:us-east-1:123456789012:cluster/{name}"),
            name: name.into(),
            container_insights: ci.map(str::to_string),
            services: Observed::Known(vec![]),
        };
        let mut inv = inventory();
        region(&mut inv).ecs_clusters = Observed::Known(vec![
            cluster("on", Some("enabled")),
            cluster("enhanced", Some("enhanced")),
            cluster("off", Some("disabled")),
            cluster("unset", None),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed]);
        region(&mut inv).ecs_clusters = Observed::Unknown("ecs:ListClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
