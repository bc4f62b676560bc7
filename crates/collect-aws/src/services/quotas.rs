//! Service Quotas: the limits of Trusted Advisor's "Service Limits" check whose usage can be
//! counted from the inventory itself. Only the limits are read here; `usage` is left `None`
//! for the caller to count.

use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{Observed, ServiceQuota};

/// (service code, quota code, quota name): regional quotas only. Global quotas (IAM, Route 53)
/// are served by the Service Quotas endpoint of US East (N. Virginia) only, not by each region's,
/// and are not watched yet. The RDS codes are those the RDS and Aurora user guides link to
/// ("Quotas in Amazon RDS", `.../servicequotas/home/services/rds/quotas/L-...`).
const WATCHED: &[(&str, &str, &str)] = &[
    ("vpc", "L-F678F1CE", "VPCs per Region"),
    ("vpc", "L-A4707A72", "Internet gateways per Region"),
    ("vpc", "L-E79EC296", "VPC security groups per Region"),
    ("vpc", "L-DF5E4CA3", "Network interfaces per Region"),
    ("ec2", "L-0263D0A3", "EC2-VPC Elastic IPs"),
    ("ebs", "L-309BACF6", "Snapshots per Region"),
    ("rds", "L-7B6409FD", "DB instances"),
    ("rds", "L-952B80B8", "DB clusters"),
    ("rds", "L-272F1212", "Manual DB instance snapshots"),
    ("rds", "L-9B510759", "Manual DB cluster snapshots"),
    ("rds", "L-A59F4C87", "Event subscriptions"),
    ("elasticloadbalancing", "L-E9E9831D", "Classic Load Balancers per Region"),
    ("elasticloadbalancing", "L-53DA6B97", "Application Load Balancers per Region"),
    ("elasticloadbalancing", "L-69A177A2", "Network Load Balancers per Region"),
];

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<ServiceQuota>> {
    let client = client!(ctx, aws_sdk_servicequotas);
    let results = join_all(WATCHED.iter().map(|&(service, code, name)| {
        let client = &client;
        async move {
            let resource = format!("{service}/{code}");
            // The applied value exists only once a quota was raised (or for some services);
            // otherwise the AWS default is the limit.
            let applied = ctx
                .call_opt("servicequotas:GetServiceQuota", Some(&resource), &["NoSuchResourceException"], client.get_service_quota().service_code(service).quota_code(code).send())
                .await?
                .and_then(|o| o.quota().cloned());
            let quota = match applied.filter(|q| q.value().is_some()) {
                Some(q) => Some(q),
                None => ctx
                    .call_opt("servicequotas:GetAWSDefaultServiceQuota", Some(&resource), &["NoSuchResourceException"], client.get_aws_default_service_quota().service_code(service).quota_code(code).send())
                    .await?
                    .and_then(|o| o.quota().cloned()),
            };
            Ok::<_, String>(quota.and_then(|q| {
                Some(ServiceQuota {
                    service_code: service.to_string(),
                    quota_code: code.to_string(),
                    quota_name: q.quota_name().filter(|n| !n.is_empty()).unwrap_or(name).to_string(),
                    value: q.value()?,
                    usage: None,
                })
            }))
        }
    }))
    .await;
    // A quota that could not be read is left out (its gap is recorded); only when none could be
    // read is the whole list unknown.
    if results.iter().all(Result::is_err) {
        if let Some(Err(reason)) = results.into_iter().next() {
            return Observed::Unknown(reason);
        }
        return Observed::Known(Vec::new());
    }
    Observed::Known(results.into_iter().filter_map(|r| r.ok().flatten()).collect())
}
