//! EC2 instances with a public IPv4 address.
//!
//! Security Hub EC2.9 (FSBP): an instance fails when it has a public IPv4 address (auto-assigned
//! or Elastic IP). Terminated instances are out of scope. One result per instance.
//!
//! AWS's sentence for EC2.9 (the configuration item's `publicIp` field, i.e. the instance's
//! primary public address) could not be retrieved verbatim here. Several network interfaces:
//! an Elastic IP on a secondary interface makes the instance just as reachable, but the
//! instance's `PublicIpAddress` only reports the primary interface, so such an instance passed.
//! When the region's network interfaces were read, a public address on any interface attached
//! to the instance now fails it (test `secondary_interface`); when they were not, the instance is
//! judged on its own `PublicIpAddress`, as the control is.
//!
//! AWS: "The control fails if the `publicIp` field is present in the EC2 instance configuration
//! item. This control applies to IPv4 addresses only" (Security Hub EC2.9).

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_public_ip",
        title: "EC2 instances have a public IPv4 address",
        description: "An instance with a public IPv4 address can be reached from the internet whenever a security group or network ACL rule allows it; placing it behind a load balancer or NAT keeps it private.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::fsbp("EC2.9")],
        remediation: Remediation {
            console: "EC2 console: launch a replacement in a private subnet (Auto-assign public IP disabled) behind a load balancer or NAT gateway; disassociate any Elastic IP from the instance.",
            cli: "aws ec2 disassociate-address --association-id <eipassoc-id>; aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, ec2, i, res, out| {
        if let Some(ip) = i.public_ip_address.as_deref().filter(|ip| !ip.is_empty()) {
            return out.fail(res, format!("the instance has the public IPv4 address {ip}"));
        }
        let on_interfaces: Vec<String> = match &ec2.network_interfaces {
            rampart_inventory::Observed::Known(enis) => enis
                .iter()
                .filter(|n| n.attachment_instance_id.as_deref() == Some(i.instance_id.as_str()))
                .flat_map(|n| n.public_ips.iter().map(move |ip| format!("{ip} on {}", n.network_interface_id)))
                .collect(),
            rampart_inventory::Observed::Unknown(_) => Vec::new(),
        };
        if on_interfaces.is_empty() {
            out.pass(res, "the instance has no public IPv4 address")
        } else {
            out.fail(res, format!("an attached network interface has a public IPv4 address: {}", on_interfaces.join(", ")))
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Observed};
    use rampart_model::Status;

    fn inst(id: &str, state: &str, ip: Option<&str>) -> Instance {
        Instance { instance_id: id.into(), state: state.into(), public_ip_address: ip.map(Into::into), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            inst("i-private", "running", None),
            inst("i-public", "running", Some("203.0.113.7")),
            inst("i-gone", "terminated", Some("203.0.113.8")),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn secondary_interface() {
        use rampart_inventory::NetworkInterface;
        let eni = |id: &str, instance: &str, ips: &[&str]| NetworkInterface {
            network_interface_id: id.into(),
            attachment_instance_id: Some(instance.into()),
            public_ips: ips.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![inst("i-a", "running", None), inst("i-b", "running", None)]);
        ec2(&mut inv).network_interfaces =
            Observed::Known(vec![eni("eni-a0", "i-a", &[]), eni("eni-a1", "i-a", &["198.51.100.9"]), eni("eni-b0", "i-b", &[])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Failed, Status::Passed]);
        assert!(r[0].reason.contains("198.51.100.9 on eni-a1"), "{}", r[0].reason);
        // Interfaces not read: judged on the instance's own address, as the control is.
        ec2(&mut inv).network_interfaces = Observed::Unknown("ec2:DescribeNetworkInterfaces access denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed]);
    }
}
