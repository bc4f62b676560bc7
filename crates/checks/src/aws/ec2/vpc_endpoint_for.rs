//! The logic shared by the "VPCs should have an interface endpoint for service X" controls
//! (Security Hub EC2.10, EC2.55, EC2.56, EC2.57, EC2.58, EC2.60; AWS Config rules
//! `service-vpc-endpoint-enabled` and `vpc-endpoint-enabled`,
//! <https://docs.aws.amazon.com/config/latest/developerguide/vpc-endpoint-enabled.html>).
//!
//! A VPC passes when it has an interface endpoint for `com.amazonaws.<region>.<service>` (any
//! partition prefix, e.g. `cn.com.amazonaws...`) or for the service's FIPS endpoint
//! (`<service>-fips`), which the Config rule also accepts. As AWS, only VPCs the account owns
//! ("a VPC that you manage") are evaluated, not VPCs shared with it. One result per VPC.
//!
//! Several endpoints per VPC: any one interface endpoint for the service suffices. Known gap:
//! the inventory does not keep an endpoint's `State`, so an endpoint that is `deleted`,
//! `rejected` or `failed` (DescribeVpcEndpoints lists deleted ones for a while) still makes its
//! VPC pass; closing it needs `State` collected.

use super::known_ec2;
use crate::{resource, Ctx, Emit};
use rampart_inventory::{Observed, VpcEndpoint};
use rampart_model::ResourceType;
use std::collections::HashMap;

/// Whether `e` is an interface endpoint for `service` (`ec2`, `ecr.api`, ...) in `region`.
fn serves(e: &VpcEndpoint, region: &str, service: &str) -> bool {
    e.vpc_endpoint_type == "Interface"
        && [format!(".{region}.{service}"), format!(".{region}.{service}-fips")].iter().any(|suffix| e.service_name.ends_with(suffix.as_str()))
}

pub(crate) fn check(ctx: &Ctx, out: &mut Emit, service: &str) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Vpc, "vpc", out) else { continue };
        let all = resource(account, &region.name, ResourceType::AwsEc2Vpc, account.arn("ec2", &region.name, "vpc/*"), "all vpcs");
        let (vpcs, endpoints) = match (&ec2.vpcs, &ec2.vpc_endpoints) {
            (Observed::Known(v), Observed::Known(e)) => (v, e),
            (Observed::Unknown(why), _) => {
                out.not_available(all, format!("VPCs could not be listed in {}: {why}", region.name));
                continue;
            }
            (_, Observed::Unknown(why)) => {
                out.not_available(all, format!("VPC endpoints could not be listed in {}: {why}", region.name));
                continue;
            }
        };
        // The region's endpoints for the service, by VPC (linear in VPCs plus endpoints).
        let mut serving: HashMap<&str, &VpcEndpoint> = HashMap::new();
        for e in endpoints.iter().filter(|e| serves(e, &region.name, service)) {
            serving.entry(e.vpc_id.as_str()).or_insert(e);
        }
        // "A VPC that you manage": VPCs shared with the account by another one are out of scope.
        for vpc in vpcs.iter().filter(|v| v.owner_id.is_empty() || v.owner_id == account.id) {
            let res = resource(account, &region.name, ResourceType::AwsEc2Vpc, account.arn("ec2", &region.name, &format!("vpc/{}", vpc.vpc_id)), &vpc.vpc_id);
            match serving.get(vpc.vpc_id.as_str()) {
                Some(e) => out.pass(res, format!("interface endpoint {} serves {}", e.vpc_endpoint_id, e.service_name)),
                None => out.fail(res, format!("the VPC has no interface endpoint for com.amazonaws.{}.{service}", region.name)),
            }
        }
    }
}

/// Pass, fail and not-available cases of a check built on [`check`] for `service`.
#[cfg(test)]
pub(crate) fn assert_pass_fail_not_available(c: &crate::Check, service: &str) {
    use crate::testkit::*;
    use rampart_inventory::Vpc;
    use rampart_model::Status;

    let endpoint = |id: &str, vpc: &str, kind: &str, name: &str| VpcEndpoint {
        vpc_endpoint_id: id.into(),
        vpc_id: vpc.into(),
        vpc_endpoint_type: kind.into(),
        service_name: name.into(),
        ..Default::default()
    };
    let vpc = |id: &str| Vpc { vpc_id: id.into(), ..Default::default() };
    let mut inv = inventory();
    let e = ec2(&mut inv);
    let shared = Vpc { owner_id: "210987654321".into(), ..vpc("vpc-shared-with-us") };
    let mine = Vpc { owner_id: ACCOUNT.into(), ..vpc("vpc-ok") };
    e.vpcs = Observed::Known(vec![mine, vpc("vpc-fips"), vpc("vpc-none"), vpc("vpc-other-region"), vpc("vpc-other-service"), vpc("vpc-gateway"), shared]);
    e.vpc_endpoints = Observed::Known(vec![
        endpoint("vpce-1", "vpc-ok", "Interface", &format!("com.amazonaws.us-east-1.{service}")),
        endpoint("vpce-2", "vpc-fips", "Interface", &format!("com.amazonaws.us-east-1.{service}-fips")),
        endpoint("vpce-3", "vpc-other-region", "Interface", &format!("com.amazonaws.eu-west-1.{service}")),
        endpoint("vpce-4", "vpc-other-service", "Interface", &format!("com.amazonaws.us-east-1.{service}x")),
        endpoint("vpce-5", "vpc-gateway", "Gateway", &format!("com.amazonaws.us-east-1.{service}")),
    ]);
    let r = run_check(c, &inv);
    assert_eq!(
        r.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::Failed],
        "{service}"
    );
    assert!(r[2].reason.ends_with(&format!("com.amazonaws.us-east-1.{service}")), "{}", r[2].reason);
    ec2(&mut inv).vpc_endpoints = Observed::Unknown("ec2:DescribeVpcEndpoints access denied".into());
    assert_eq!(single(c, &inv).0, Status::NotAvailable);
    ec2(&mut inv).vpc_endpoints = Observed::Known(vec![]);
    ec2(&mut inv).vpcs = Observed::Unknown("denied".into());
    assert_eq!(single(c, &inv).0, Status::NotAvailable);
}
