//! VPCs whose subnets are all in one Availability Zone (or that have none).
//!
//! Prowler's `vpc_subnet_different_az` (see `crate::prowler`): a VPC passes when its subnets
//! span at least two Availability Zones; one with no subnet, or with subnets in a single zone,
//! fails, since nothing in it can survive the loss of that zone. VPCs shared with the account
//! by another one are judged by their owner. One result per VPC.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use std::collections::{BTreeMap, BTreeSet};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_subnets_multi_az",
        title: "VPCs do not have subnets in more than one Availability Zone",
        description: "Resources in a VPC whose subnets are all in one Availability Zone go down with that zone; spreading subnets over zones is the basis of every highly available design.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Vpc,
        standards: &[],
        remediation: Remediation {
            console: "VPC console > Subnets > Create subnet: choose the VPC and another Availability Zone, with a CIDR block from the VPC's range; then spread the workloads over both.",
            cli: "aws ec2 create-subnet --vpc-id <vpc-id> --availability-zone <another-az> --cidr-block <cidr>",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/create-subnets.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Vpc, "vpc", out) else { continue };
        let all = resource(account, &region.name, ResourceType::AwsEc2Vpc, account.arn("ec2", &region.name, "vpc/*"), "all vpcs");
        let (vpcs, subnets) = match (&ec2.vpcs, &ec2.subnets) {
            (Observed::Known(v), Observed::Known(s)) => (v, s),
            (Observed::Unknown(why), _) => {
                out.not_available(all, format!("VPCs could not be listed in {}: {why}", region.name));
                continue;
            }
            (_, Observed::Unknown(why)) => {
                out.not_available(all, format!("subnets could not be listed in {}: {why}", region.name));
                continue;
            }
        };
        let mut zones: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for s in subnets {
            zones.entry(s.vpc_id.as_str()).or_default().insert(s.availability_zone.as_str());
        }
        for vpc in vpcs.iter().filter(|v| v.owner_id.is_empty() || v.owner_id == account.id) {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2Vpc,
                account.arn("ec2", &region.name, &format!("vpc/{}", vpc.vpc_id)),
                &vpc.vpc_id,
            );
            match zones.get(vpc.vpc_id.as_str()) {
                None => out.fail(res, "the VPC has no subnets"),
                Some(z) if z.len() < 2 => {
                    out.fail(res, format!("all subnets of the VPC are in {}", z.iter().next().copied().unwrap_or("one zone")))
                }
                Some(z) => out.pass(res, format!("the VPC has subnets in {}", z.iter().copied().collect::<Vec<_>>().join(", "))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Subnet, Vpc};
    use rampart_model::Status;

    fn subnet(id: &str, vpc: &str, az: &str) -> Subnet {
        Subnet { subnet_id: id.into(), vpc_id: vpc.into(), availability_zone: az.into(), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let vpc = |id: &str, owner: &str| Vpc { vpc_id: id.into(), owner_id: owner.into(), ..Default::default() };
        ec2(&mut inv).vpcs =
            Observed::Known(vec![vpc("vpc-two", ACCOUNT), vpc("vpc-one", ACCOUNT), vpc("vpc-none", ""), vpc("vpc-shared", "999999999999")]);
        ec2(&mut inv).subnets = Observed::Known(vec![
            subnet("s1", "vpc-two", "us-east-1a"),
            subnet("s2", "vpc-two", "us-east-1b"),
            // Two subnets, one zone: still one zone.
            subnet("s3", "vpc-one", "us-east-1a"),
            subnet("s4", "vpc-one", "us-east-1a"),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed]);
        assert_eq!(r[1].reason, "all subnets of the VPC are in us-east-1a");
        ec2(&mut inv).subnets = Observed::Unknown("ec2:DescribeSubnets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
