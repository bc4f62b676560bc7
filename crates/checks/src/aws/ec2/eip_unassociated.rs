//! Elastic IP addresses that are not associated with a running instance.
//!
//! Trusted Advisor "Unassociated Elastic IP Addresses" (cost optimization): an allocated
//! address not associated with a running EC2 instance is billed and does nothing. An address
//! associated with a network interface that is not an instance's (a NAT gateway, a load
//! balancer) is in use. One result per address.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_eip_unassociated",
        title: "Elastic IP addresses are not associated with a running instance",
        description: "AWS bills every public IPv4 address; one that is not associated, or is associated with a stopped instance, costs money and serves nothing.",
        severity: Severity::Low,
        category: Category::CostOptimization,
        service: "ec2",
        resource_type: ResourceType::Other,
        standards: &[StandardRef::ta("Unassociated Elastic IP Addresses")],
        remediation: Remediation {
            console: "EC2 console > Elastic IPs > the address: associate it with a running instance, or Actions > Release Elastic IP address if nothing needs it.",
            cli: "aws ec2 release-address --allocation-id <eipalloc-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/working-with-eips.html#using-instance-addressing-eips-releasing",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::Other, "elastic-ip", |e| &e.addresses, |account, region, ec2, a, out| {
        let id = if a.allocation_id.is_empty() { &a.public_ip } else { &a.allocation_id };
        let res = resource(account, &region.name, ResourceType::Other, account.arn("ec2", &region.name, &format!("elastic-ip/{id}")), &a.public_ip);
        if a.association_id.is_none() && a.instance_id.is_none() && a.network_interface_id.is_none() {
            return out.fail(res, format!("{} is not associated with anything", a.public_ip));
        }
        let Some(instance_id) = &a.instance_id else {
            return out.pass(res, format!("{} is associated with network interface `{}`", a.public_ip, a.network_interface_id.as_deref().unwrap_or("?")));
        };
        match &ec2.instances {
            Observed::Known(instances) => match instances.iter().find(|i| &i.instance_id == instance_id) {
                Some(i) if i.state == "running" => out.pass(res, format!("{} is associated with running instance `{instance_id}`", a.public_ip)),
                Some(i) => out.fail(res, format!("{} is associated with instance `{instance_id}`, which is {}", a.public_ip, i.state)),
                None => out.not_available(res, format!("{} is associated with instance `{instance_id}`, which is not in the inventory", a.public_ip)),
            },
            Observed::Unknown(why) => out.not_available(res, format!("cannot tell whether instance `{instance_id}` is running: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ElasticIp, Instance};
    use rampart_model::Status;

    fn eip(n: u8, instance: Option<&str>, eni: Option<&str>) -> ElasticIp {
        ElasticIp {
            allocation_id: format!("eipalloc-{n}"),
            public_ip: format!("198.51.100.{n}"),
            association_id: (instance.is_some() || eni.is_some()).then(|| format!("eipassoc-{n}")),
            instance_id: instance.map(Into::into),
            network_interface_id: eni.map(Into::into),
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            Instance { instance_id: "i-run".into(), state: "running".into(), ..Default::default() },
            Instance { instance_id: "i-stop".into(), state: "stopped".into(), ..Default::default() },
        ]);
        ec2(&mut inv).addresses = Observed::Known(vec![
            eip(1, Some("i-run"), Some("eni-1")),
            eip(2, None, Some("eni-nat")),
            eip(3, None, None),
            eip(4, Some("i-stop"), Some("eni-4")),
            eip(5, Some("i-gone"), Some("eni-5")),
        ]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<Status> = r.iter().map(|r| r.status).collect();
        assert_eq!(got, vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        assert!(r[3].reason.contains("stopped"), "{}", r[3].reason);
        assert_eq!(r[2].resource.id, "arn:aws:ec2:us-east-1:123456789012:elastic-ip/eipalloc-3");

        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(run_check(&CHECK, &inv)[0].status, Status::NotAvailable);
        ec2(&mut inv).addresses = Observed::Unknown("ec2:DescribeAddresses access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
