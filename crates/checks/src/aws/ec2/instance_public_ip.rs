//! EC2 instances with a public IPv4 address.
//!
//! Security Hub EC2.9 (FSBP): an instance fails when it has a public IPv4 address (auto-assigned
//! or Elastic IP). Terminated instances are out of scope. One result per instance.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
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
    each_ec2_item(ctx, out, ResourceType::AwsEc2Instance, "instance", |e| &e.instances, |account, region, _, i, out| {
        if i.state == "terminated" {
            return;
        }
        let res = resource(account, &region.name, ResourceType::AwsEc2Instance, account.arn("ec2", &region.name, &format!("instance/{}", i.instance_id)), &i.instance_id);
        match &i.public_ip_address {
            Some(ip) if !ip.is_empty() => out.fail(res, format!("the instance has the public IPv4 address {ip}")),
            _ => out.pass(res, "the instance has no public IPv4 address"),
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
}
