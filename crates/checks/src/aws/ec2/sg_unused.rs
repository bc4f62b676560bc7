//! Security groups that nothing uses.
//!
//! Prowler's `ec2_securitygroup_not_used` (see `crate::prowler`): a security group other than a
//! VPC's `default` one (which cannot be deleted) fails when no network interface of its region
//! has it, no Lambda function of the region names it, and no rule of another security group
//! refers to it. Network interfaces cover instances, load balancers, RDS, EFS mount targets,
//! VPC endpoints and Lambda's VPC interfaces alike. A group only a launch template or launch
//! configuration names is unused by this definition (nothing runs with it yet). One result per
//! non-default security group.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Observed, SgPeer};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_security_group_unused",
        title: "Security groups are not used by any resource",
        description: "Unused security groups pile up with rules nobody reviews; attaching one later silently opens whatever it allows.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[],
        remediation: Remediation {
            console: "VPC console > Security groups > the group: check Related resources (or the network interfaces filtered by group), then Actions > Delete security groups.",
            cli: "aws ec2 delete-security-group --group-id <sg-id>",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/deleting-security-groups.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let all = || {
            resource(
                account,
                &region.name,
                ResourceType::AwsEc2SecurityGroup,
                account.arn("ec2", &region.name, "security-group/*"),
                "all security groups",
            )
        };
        let ec2 = match &region.ec2 {
            Observed::Known(ec2) => ec2,
            Observed::Unknown(why) => {
                out.not_available(all(), format!("EC2 could not be read in {}: {why}", region.name));
                continue;
            }
        };
        let enis = match &ec2.network_interfaces {
            Observed::Known(e) => e,
            Observed::Unknown(why) => {
                out.not_available(all(), format!("network interfaces (what uses a group) could not be read in {}: {why}", region.name));
                continue;
            }
        };
        let mut used: BTreeSet<&str> = enis.iter().flat_map(|e| e.security_group_ids.iter().map(String::as_str)).collect();
        // Lambda functions in a VPC have interfaces too; their configuration is read when listed.
        if let Observed::Known(functions) = &region.lambda {
            used.extend(functions.iter().flat_map(|f| f.security_group_ids.iter().map(String::as_str)));
        }
        let mut referenced: BTreeSet<&str> = BTreeSet::new();
        for sg in &ec2.security_groups {
            for rule in sg.ingress.iter().chain(&sg.egress) {
                if let SgPeer::Group { group_id, .. } = &rule.peer {
                    if group_id != &sg.group_id {
                        referenced.insert(group_id);
                    }
                }
            }
        }
        for sg in &ec2.security_groups {
            if sg.group_name == "default" {
                continue;
            }
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2SecurityGroup,
                account.arn("ec2", &region.name, &format!("security-group/{}", sg.group_id)),
                &sg.group_name,
            );
            if used.contains(sg.group_id.as_str()) {
                out.pass(res, "a network interface or Lambda function uses the group");
            } else if referenced.contains(sg.group_id.as_str()) {
                out.pass(res, "another security group's rule refers to the group");
            } else {
                out.fail(res, "no network interface or Lambda function uses the group and no other group refers to it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sg::tests::{group, rule};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LambdaFunction, NetworkInterface};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let refers = group(
            "sg-web",
            vec![rule(
                "tcp",
                Some(5432),
                Some(5432),
                SgPeer::Group { group_id: "sg-lb".into(), user_id: None, vpc_peering_connection_id: None },
            )],
        );
        let self_ref = group(
            "sg-self",
            vec![rule("-1", None, None, SgPeer::Group { group_id: "sg-self".into(), user_id: None, vpc_peering_connection_id: None })],
        );
        let mut default = group("sg-default", vec![]);
        default.group_name = "default".into();
        ec2(&mut inv).security_groups = vec![refers, group("sg-lb", vec![]), group("sg-fn", vec![]), self_ref, default];
        ec2(&mut inv).network_interfaces = Observed::Known(vec![NetworkInterface {
            network_interface_id: "eni-1".into(),
            security_group_ids: vec!["sg-web".into()],
            ..Default::default()
        }]);
        region(&mut inv).lambda = Observed::Known(vec![LambdaFunction {
            function_name: "f".into(),
            security_group_ids: vec!["sg-fn".into()],
            ..Default::default()
        }]);
        let r = run_check(&CHECK, &inv);
        // sg-web: an interface; sg-lb: referred to by sg-web; sg-fn: a function; sg-self refers only to itself.
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Passed, Status::Passed, Status::Failed]);
        ec2(&mut inv).network_interfaces = Observed::Unknown("ec2:DescribeNetworkInterfaces access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
