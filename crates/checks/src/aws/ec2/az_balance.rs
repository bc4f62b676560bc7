//! Regions whose running instances are all in one Availability Zone, or spread unevenly.
//!
//! Trusted Advisor "Amazon EC2 Availability Zone Balance" (fault tolerance): red when a
//! region's instances run in one zone only; yellow when they run in several zones but
//! unevenly. Rampart reads "unevenly" as: the zone with the fewest running instances (of the
//! zones in use) has more than 20 % fewer than the zone with the most. A zone is the zone of
//! the instance's subnet. One result per region with running instances.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_az_balance",
        title: "Running instances of a region are in one Availability Zone, or unevenly spread",
        description: "Instances in a single zone all fail with it; an uneven spread leaves the smaller zones unable to carry the load when the biggest fails.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::Other,
        standards: &[StandardRef::ta("Amazon EC2 Availability Zone Balance")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Edit: choose subnets in two or more zones; for standalone instances launch replacements in the other zones' subnets.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --vpc-zone-identifier <subnet-a>,<subnet-b>,<subnet-c>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html",
        },
    },
    run,
};

/// The most uneven spread still read as balanced: the smallest zone holds at least 80 % of the
/// biggest zone's count.
const MAX_SHORTFALL: f64 = 0.2;

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::Other, "instance", out) else { continue };
        let res = || resource(account, &region.name, ResourceType::Other, account.arn("ec2", &region.name, "availability-zone-balance"), &region.name);
        let (instances, subnets) = match (&ec2.instances, &ec2.subnets) {
            (Observed::Known(i), Observed::Known(s)) => (i, s),
            (i, s) => {
                let why: Vec<&str> = [i.as_result().err(), s.as_result().err()].into_iter().flatten().collect();
                out.not_available(res(), format!("instances or subnets could not be read in {}: {}", region.name, why.join("; ")));
                continue;
            }
        };
        let mut per_zone: BTreeMap<&str, usize> = BTreeMap::new();
        let mut unknown = Vec::new();
        for i in instances.iter().filter(|i| i.state == "running") {
            let Some(subnet_id) = &i.subnet_id else { continue };
            match subnets.iter().find(|s| &s.subnet_id == subnet_id) {
                Some(s) => *per_zone.entry(s.availability_zone.as_str()).or_default() += 1,
                None => unknown.push(i.instance_id.as_str()),
            }
        }
        if per_zone.is_empty() && unknown.is_empty() {
            continue;
        }
        let spread = per_zone.iter().map(|(z, n)| format!("{z}: {n}")).collect::<Vec<_>>().join(", ");
        if !unknown.is_empty() {
            out.not_available(res(), format!("the zone of running instance(s) {} is not known (subnet not in the inventory)", unknown.join(", ")));
        } else if per_zone.len() == 1 {
            out.fail(res(), format!("every running instance is in one zone ({spread})"));
        } else {
            let (most, least) = (*per_zone.values().max().unwrap_or(&0), *per_zone.values().min().unwrap_or(&0));
            if (most - least) as f64 > MAX_SHORTFALL * most as f64 {
                out.fail_with(res(), Severity::Low, format!("running instances are spread unevenly ({spread}): the smallest zone has {least} of the biggest's {most}"));
            } else {
                out.pass(res(), format!("running instances are spread evenly ({spread})"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Subnet};
    use rampart_model::Status;

    fn with(zones: &[(&str, usize)]) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let e = ec2(&mut inv);
        e.subnets = Observed::Known(zones.iter().map(|(z, _)| Subnet { subnet_id: format!("subnet-{z}"), availability_zone: z.to_string(), ..Default::default() }).collect());
        let mut instances = Vec::new();
        for (z, n) in zones {
            for k in 0..*n {
                instances.push(Instance { instance_id: format!("i-{z}-{k}"), state: "running".into(), subnet_id: Some(format!("subnet-{z}")), ..Default::default() });
            }
        }
        instances.push(Instance { instance_id: "i-stopped".into(), state: "stopped".into(), subnet_id: Some("subnet-elsewhere".into()), ..Default::default() });
        e.instances = Observed::Known(instances);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(&[("us-east-1a", 5), ("us-east-1b", 4)])).0, Status::Passed);
        let r = run_check(&CHECK, &with(&[("us-east-1a", 3)]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None), "{}", r[0].reason);
        let r = run_check(&CHECK, &with(&[("us-east-1a", 5), ("us-east-1b", 3)]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Low)), "{}", r[0].reason);
        assert!(r[0].reason.contains("us-east-1a: 5, us-east-1b: 3"), "{}", r[0].reason);
        // No running instance: no result (the stopped one is not counted).
        assert!(run_check(&CHECK, &with(&[])).is_empty());
        let mut inv = with(&[("us-east-1a", 1)]);
        ec2(&mut inv).instances.known_mut().unwrap()[0].subnet_id = Some("subnet-gone".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        ec2(&mut inv).subnets = Observed::Unknown("ec2:DescribeSubnets denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
