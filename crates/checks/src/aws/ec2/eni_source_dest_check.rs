//! User-managed network interfaces with source/destination checking disabled.
//!
//! Security Hub EC2.180 (FSBP; AWS Config rule `ec2-enis-source-destination-check-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-180>.
//!
//! AWS: "The rule is NON_COMPLIANT if source/destination check is disabled on these ENIs for
//! 'lambda', 'aws_codestar_connections_managed', 'branch', 'efa', 'interface', and
//! 'quicksight'" (AWS Config `ec2-enis-source-destination-check-enabled`, which "Checks if EC2
//! ENIs managed by users have source/destination check enabled"). An ENI
//! fails when its source/destination check is disabled. As AWS, only ENIs managed by users are in
//! scope (requester-managed ones, created by AWS services, are not) and only the interface types
//! `interface`, `efa`, `branch`, `lambda`, `quicksight` and `aws_codestar_connections_managed`.
//! One result per ENI in scope.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_eni_source_dest_check",
        title: "EC2 network interfaces have source/destination checking disabled",
        description: "With the source/destination check off, an interface accepts and forwards traffic that is neither from nor to it: the instance can act as a router or NAT for other hosts, which only NAT, firewall and routing appliances should do.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2NetworkInterface,
        standards: &[StandardRef::fsbp("EC2.180")],
        remediation: Remediation {
            console: "EC2 console > Network interfaces > the interface: Actions > Change source/dest. check > Enable (unless it belongs to a NAT, firewall or routing appliance).",
            cli: "aws ec2 modify-network-interface-attribute --network-interface-id <eni-id> --source-dest-check",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/work-with-enis.html#modify-source-dest-check",
        },
    },
    run,
};

/// The interface types AWS evaluates.
const IN_SCOPE: &[&str] = &["interface", "efa", "branch", "lambda", "quicksight", "aws_codestar_connections_managed"];

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2NetworkInterface,
        "network-interface",
        |e| &e.network_interfaces,
        |account, region, _, n, out| {
            if n.requester_managed || !IN_SCOPE.contains(&n.interface_type.as_str()) {
                return;
            }
            let id = &n.network_interface_id;
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2NetworkInterface,
                account.arn("ec2", &region.name, &format!("network-interface/{id}")),
                id,
            );
            if n.source_dest_check {
                out.pass(res, "source/destination checking is enabled");
            } else {
                out.fail(res, "source/destination checking is disabled");
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{NetworkInterface, Observed};
    use rampart_model::Status;

    fn eni(id: &str, kind: &str, check: bool, requester_managed: bool) -> NetworkInterface {
        NetworkInterface {
            network_interface_id: id.into(),
            interface_type: kind.into(),
            source_dest_check: check,
            requester_managed,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).network_interfaces = Observed::Known(vec![
            eni("eni-on", "interface", true, false),
            eni("eni-off", "interface", false, false),
            eni("eni-efa-off", "efa", false, false),
            eni("eni-nat-gateway", "nat_gateway", false, false),
            eni("eni-service", "interface", false, true),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        ec2(&mut inv).network_interfaces = Observed::Unknown("ec2:DescribeNetworkInterfaces access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
