//! Everything collected per region, services concurrently.

use crate::call::Ctx;
use crate::{ec2, services};
use rampart_inventory::Region;

pub(crate) async fn collect(ctx: &Ctx) -> Region {
    let mut r = Region::empty(&ctx.region);
    let (ec2, rds, elb, elbv2, cloudtrail, acm, kms, lambda) = futures::join!(
        ec2::collect(ctx),
        services::rds(ctx),
        services::elb(ctx),
        services::elbv2(ctx),
        services::cloudtrail(ctx),
        services::acm(ctx),
        services::kms(ctx),
        services::lambda(ctx),
    );
    let (ecr, sns, sqs, guardduty, config, securityhub, access_analyzer, service_quotas, s3_access_points, autoscaling, efs) = futures::join!(
        services::ecr(ctx),
        services::sns(ctx),
        services::sqs(ctx),
        services::guardduty(ctx),
        services::config(ctx),
        services::securityhub(ctx),
        services::access_analyzer(ctx),
        services::service_quotas(ctx),
        crate::s3::access_points(ctx),
        services::autoscaling(ctx),
        services::efs(ctx),
    );
    let (log_groups, metric_filters, metric_alarms, secrets, ecs_task_definitions, ecs_clusters, cloudformation_stacks, ecr_registry_scanning) = futures::join!(
        services::log_groups(ctx),
        services::metric_filters(ctx),
        services::metric_alarms(ctx),
        services::secrets(ctx),
        services::ecs_task_definitions(ctx),
        services::ecs_clusters(ctx),
        services::cloudformation_stacks(ctx),
        services::ecr_registry_scanning(ctx),
    );
    r.ec2 = ec2;
    r.rds = rds;
    r.elb = elb;
    r.elbv2 = elbv2;
    r.cloudtrail = cloudtrail;
    r.acm = acm;
    r.kms = kms;
    r.lambda = lambda;
    r.ecr = ecr;
    r.ecr_registry_scanning = ecr_registry_scanning;
    r.sns = sns;
    r.sqs = sqs;
    r.guardduty = guardduty;
    r.config = config;
    r.securityhub = securityhub;
    r.access_analyzer = access_analyzer;
    r.service_quotas = service_quotas;
    r.s3_access_points = s3_access_points;
    r.autoscaling = autoscaling;
    r.efs = efs;
    r.log_groups = log_groups;
    r.metric_filters = metric_filters;
    r.metric_alarms = metric_alarms;
    r.secrets = secrets;
    r.ecs_task_definitions = ecs_task_definitions;
    r.ecs_clusters = ecs_clusters;
    r.cloudformation_stacks = cloudformation_stacks;
    r
}
