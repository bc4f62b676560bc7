//! Subnets whose internet-bound traffic leaves through a NAT gateway in another Availability
//! Zone.
//!
//! Trusted Advisor "NAT Gateway AZ Independence" (fault tolerance): yellow when a subnet in one
//! zone routes through a NAT gateway in a different zone — when that zone fails, the subnet
//! loses its way out although its own zone is healthy (and pays cross-zone data transfer). A
//! subnet's route table is its explicit association, else its VPC's main table (as VPC
//! routing works). One result per subnet that routes to a NAT gateway.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Observed, RouteTable, Subnet};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_nat_gateway_az_independence",
        title: "Subnets route through a NAT gateway in another Availability Zone",
        description: "A subnet whose default route leads to a NAT gateway in another zone loses outbound internet access when that zone fails, and its traffic is billed as cross-zone data transfer. Give each zone its own NAT gateway and route table.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Subnet,
        standards: &[StandardRef::ta("NAT Gateway AZ Independence")],
        remediation: Remediation {
            console: "VPC console > NAT gateways > Create NAT gateway in a public subnet of the subnet's zone; then Route tables > a table for that zone with 0.0.0.0/0 → the new NAT gateway, associated with the zone's private subnets.",
            cli: "aws ec2 create-nat-gateway --subnet-id <public-subnet-in-zone> --allocation-id <eipalloc-id>; aws ec2 create-route-table --vpc-id <vpc-id>; aws ec2 create-route --route-table-id <rtb-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-id>; aws ec2 associate-route-table --route-table-id <rtb-id> --subnet-id <subnet-id>",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
        },
    },
    run,
};

/// The route table that routes `subnet`: its explicit association, else its VPC's main table.
fn table_of<'a>(tables: &'a [RouteTable], subnet: &Subnet) -> Option<&'a RouteTable> {
    tables
        .iter()
        .find(|t| t.subnet_ids.iter().any(|s| s == &subnet.subnet_id))
        .or_else(|| tables.iter().find(|t| t.main && t.vpc_id == subnet.vpc_id))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Subnet, "subnet", out) else { continue };
        let lists = (&ec2.subnets, &ec2.route_tables, &ec2.nat_gateways);
        let (subnets, tables, nats) = match lists {
            (Observed::Known(s), Observed::Known(t), Observed::Known(n)) => (s, t, n),
            _ => {
                let why: Vec<&str> = [ec2.subnets.as_result().err(), ec2.route_tables.as_result().err(), ec2.nat_gateways.as_result().err()].into_iter().flatten().collect();
                let res = resource(account, &region.name, ResourceType::AwsEc2Subnet, account.arn("ec2", &region.name, "subnet/*"), "all subnets");
                out.not_available(res, format!("subnets, route tables or NAT gateways could not be read in {}: {}", region.name, why.join("; ")));
                continue;
            }
        };
        for subnet in subnets {
            let Some(table) = table_of(tables, subnet) else { continue };
            let targets: BTreeSet<&str> = table.routes.iter().filter(|r| r.target.starts_with("nat-") && r.state != "blackhole").map(|r| r.target.as_str()).collect();
            if targets.is_empty() {
                continue;
            }
            let res = resource(account, &region.name, ResourceType::AwsEc2Subnet, account.arn("ec2", &region.name, &format!("subnet/{}", subnet.subnet_id)), &subnet.subnet_id);
            let (mut other_zone, mut unknown) = (Vec::new(), Vec::new());
            for nat_id in &targets {
                let zone = nats
                    .iter()
                    .find(|n| n.nat_gateway_id == *nat_id)
                    .and_then(|n| subnets.iter().find(|s| s.subnet_id == n.subnet_id))
                    .map(|s| s.availability_zone.as_str());
                match zone {
                    Some(z) if z == subnet.availability_zone => {}
                    Some(z) => other_zone.push(format!("{nat_id} in {z}")),
                    None => unknown.push(format!("the zone of {nat_id} is not known (NAT gateway or its subnet not in the inventory)")),
                }
            }
            if !other_zone.is_empty() {
                out.fail(res, format!("the subnet is in {} but its route table {} sends traffic through {}", subnet.availability_zone, table.route_table_id, other_zone.join(", ")));
            } else if !unknown.is_empty() {
                out.not_available(res, unknown.join("; "));
            } else {
                out.pass(res, format!("its NAT gateway(s) are in its own zone {}", subnet.availability_zone));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{NatGateway, Route};
    use rampart_model::Status;

    fn subnet(id: &str, zone: &str) -> Subnet {
        Subnet { subnet_id: id.into(), vpc_id: "vpc-1".into(), availability_zone: zone.into(), ..Default::default() }
    }

    fn nat_route(nat: &str) -> Route {
        Route { destination_cidr_block: Some("0.0.0.0/0".into()), target: nat.into(), state: "active".into(), ..Default::default() }
    }

    fn with(tables: Vec<RouteTable>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let e = ec2(&mut inv);
        e.subnets = Observed::Known(vec![subnet("subnet-pub-a", "us-east-1a"), subnet("subnet-a", "us-east-1a"), subnet("subnet-b", "us-east-1b"), subnet("subnet-c", "us-east-1c")]);
        e.nat_gateways = Observed::Known(vec![NatGateway { nat_gateway_id: "nat-a".into(), vpc_id: "vpc-1".into(), subnet_id: "subnet-pub-a".into(), state: "available".into(), ..Default::default() }]);
        e.route_tables = Observed::Known(tables);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        let private = RouteTable { route_table_id: "rtb-private".into(), vpc_id: "vpc-1".into(), subnet_ids: vec!["subnet-a".into(), "subnet-b".into()], routes: vec![nat_route("nat-a")], ..Default::default() };
        let main = RouteTable { route_table_id: "rtb-main".into(), vpc_id: "vpc-1".into(), main: true, routes: vec![nat_route("nat-gone")], ..Default::default() };
        let r = run_check(&CHECK, &with(vec![private, main.clone()]));
        let got: Vec<(&str, Status)> = r.iter().map(|r| (r.resource.name.as_str(), r.status)).collect();
        // subnet-pub-a and subnet-c use the main table, whose NAT gateway is not in the inventory.
        assert_eq!(
            got,
            vec![("subnet-pub-a", Status::NotAvailable), ("subnet-a", Status::Passed), ("subnet-b", Status::Failed), ("subnet-c", Status::NotAvailable)]
        );
        assert!(r[2].reason.contains("us-east-1b") && r[2].reason.contains("nat-a in us-east-1a"), "{}", r[2].reason);
        // Subnets without a NAT route have no result.
        let plain = RouteTable { route_table_id: "rtb-main".into(), vpc_id: "vpc-1".into(), main: true, ..Default::default() };
        assert!(run_check(&CHECK, &with(vec![plain])).is_empty());
        let mut inv = with(vec![main]);
        ec2(&mut inv).route_tables = Observed::Unknown("ec2:DescribeRouteTables denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
