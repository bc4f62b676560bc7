//! Subnets that give every new network interface a public IPv4 address.
//!
//! Security Hub EC2.15 (FSBP): fails when `MapPublicIpOnLaunch` is true. One result per
//! subnet.
//!
//! AWS: "This control checks whether the assignment of public IPs in Amazon Virtual Private Cloud
//! (Amazon VPC) subnets have `MapPublicIpOnLaunch` set to `FALSE`. The control passes if the flag
//! is set to `FALSE`" (Security Hub EC2.15). IPv6 auto-assignment is a separate setting and not
//! part of the control.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_subnet_auto_assign_public_ip",
        title: "Subnets automatically assign public IPv4 addresses",
        description: "Every instance launched in such a subnet gets a public address unless its launcher opts out, exposing it to the internet as soon as a rule allows it.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Subnet,
        standards: &[StandardRef::fsbp("EC2.15")],
        remediation: Remediation {
            console: "VPC console > Subnets > the subnet > Actions > Edit subnet settings: clear Enable auto-assign public IPv4 address.",
            cli: "aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2Subnet, "subnet", |e| &e.subnets, |account, region, _, s, out| {
        let res = resource(account, &region.name, ResourceType::AwsEc2Subnet, account.arn("ec2", &region.name, &format!("subnet/{}", s.subnet_id)), &s.subnet_id);
        if s.map_public_ip_on_launch {
            out.fail(res, "the subnet assigns a public IPv4 address to every new network interface");
        } else {
            out.pass(res, "the subnet does not assign public IPv4 addresses automatically");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Subnet};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).subnets = Observed::Known(vec![
            Subnet { subnet_id: "subnet-private".into(), ..Default::default() },
            Subnet { subnet_id: "subnet-public".into(), map_public_ip_on_launch: true, ..Default::default() },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).subnets = Observed::Unknown("ec2:DescribeSubnets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
