//! Interface VPC endpoints with network interfaces in only one Availability Zone.
//!
//! Prowler's `vpc_endpoint_multi_az_enabled` (see `crate::prowler`): an interface endpoint
//! passes when it has subnets in more than one zone. AWS allows one subnet per zone for an
//! endpoint, so its zones are its subnets; they are named from the region's subnets when those
//! were read. Gateway and Gateway Load Balancer endpoints are not judged. One result per
//! interface endpoint.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use std::collections::{BTreeMap, BTreeSet};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_endpoint_multi_az",
        title: "Interface VPC endpoints are in only one Availability Zone",
        description: "An interface endpoint in one zone stops answering when that zone fails, and clients in other zones pay cross-zone traffic to reach it.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::Other,
        standards: &[],
        remediation: Remediation {
            console: "VPC console > Endpoints > the endpoint > Actions > Manage subnets: select a subnet in a second Availability Zone.",
            cli: "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --add-subnet-ids <subnet-in-another-az>",
            url: "https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::Other, "vpc-endpoint", out) else { continue };
        let endpoints = match &ec2.vpc_endpoints {
            Observed::Known(e) => e,
            Observed::Unknown(why) => {
                let all = resource(
                    account,
                    &region.name,
                    ResourceType::Other,
                    account.arn("ec2", &region.name, "vpc-endpoint/*"),
                    "all vpc-endpoints",
                );
                out.not_available(all, format!("VPC endpoints could not be listed in {}: {why}", region.name));
                continue;
            }
        };
        let zone_of: BTreeMap<&str, &str> = match &ec2.subnets {
            Observed::Known(s) => s.iter().map(|s| (s.subnet_id.as_str(), s.availability_zone.as_str())).collect(),
            Observed::Unknown(_) => BTreeMap::new(),
        };
        for e in endpoints.iter().filter(|e| e.vpc_endpoint_type.eq_ignore_ascii_case("interface")) {
            let res = resource(
                account,
                &region.name,
                ResourceType::Other,
                account.arn("ec2", &region.name, &format!("vpc-endpoint/{}", e.vpc_endpoint_id)),
                &e.vpc_endpoint_id,
            );
            let zones: BTreeSet<&str> = e.subnet_ids.iter().map(|s| zone_of.get(s.as_str()).copied().unwrap_or(s.as_str())).collect();
            let names = zones.iter().copied().collect::<Vec<_>>().join(", ");
            match e.subnet_ids.len() {
                0 => out.fail(res, format!("the endpoint for {} has no subnet", e.service_name)),
                1 => out.fail(res, format!("the endpoint for {} is only in {names}", e.service_name)),
                _ => out.pass(res, format!("the endpoint for {} is in {names}", e.service_name)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Subnet, VpcEndpoint};
    use rampart_model::Status;

    fn endpoint(id: &str, kind: &str, subnets: &[&str]) -> VpcEndpoint {
        VpcEndpoint {
            vpc_endpoint_id: id.into(),
            vpc_endpoint_type: kind.into(),
            service_name: "com.amazonaws.us-east-1.ssm".into(),
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).subnets = Observed::Known(vec![
            Subnet { subnet_id: "subnet-a".into(), availability_zone: "us-east-1a".into(), ..Default::default() },
            Subnet { subnet_id: "subnet-b".into(), availability_zone: "us-east-1b".into(), ..Default::default() },
        ]);
        ec2(&mut inv).vpc_endpoints = Observed::Known(vec![
            endpoint("vpce-two", "Interface", &["subnet-a", "subnet-b"]),
            endpoint("vpce-one", "Interface", &["subnet-a"]),
            endpoint("vpce-s3", "Gateway", &[]),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert_eq!(r[1].reason, "the endpoint for com.amazonaws.us-east-1.ssm is only in us-east-1a");
        ec2(&mut inv).vpc_endpoints = Observed::Unknown("ec2:DescribeVpcEndpoints access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
