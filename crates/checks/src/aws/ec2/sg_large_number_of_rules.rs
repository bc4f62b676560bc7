//! Security groups with a large number of rules.
//!
//! Trusted Advisor "Large Number of Rules in an EC2 Security Group" (performance): yellow when a
//! VPC security group has more than 50 rules (`thresholds.security_group_max_rules`). Rules are
//! counted as AWS counts security group rules: one per source or destination (CIDR block,
//! prefix list, referenced group) of every inbound and outbound permission. One result per
//! security group.

use super::sg::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_large_number_of_rules",
        title: "Security groups have more than 50 rules",
        description: "Every rule of a group is evaluated for the traffic of every interface it is attached to; many rules slow that down and make the group hard to review. The limit is `thresholds.security_group_max_rules` (default 50).",
        severity: Severity::Low,
        category: Category::Performance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::ta("Large Number of Rules in an EC2 Security Group")],
        remediation: Remediation {
            console: "VPC console > Security groups > the group > Inbound/Outbound rules > Edit: merge adjacent CIDR blocks and port ranges, replace lists of addresses with a managed prefix list, and delete rules nothing needs.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --security-group-rule-ids <sgr-id> ...",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let max = ctx.thresholds.security_group_max_rules as usize;
    each_group(ctx, out, |_, sg, res, out| {
        let (inbound, outbound) = (sg.ingress.len(), sg.egress.len());
        let n = inbound + outbound;
        if n > max {
            out.fail(res, format!("{n} rules ({inbound} inbound, {outbound} outbound), more than {max}"));
        } else {
            out.pass(res, format!("{n} rules (limit {max})"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::sg::tests::{group, rule, world4};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    fn with_rules(n: usize) -> rampart_inventory::Inventory {
        let mut g = group("sg-1", vec![]);
        g.ingress = (0..n).map(|i| rule("tcp", Some(i as i32), Some(i as i32), world4())).collect();
        g.egress = vec![rule("-1", None, None, world4())];
        let mut inv = inventory();
        ec2(&mut inv).security_groups = vec![g];
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_rules(49)).0, Status::Passed);
        let (s, why) = single(&CHECK, &with_rules(50));
        assert_eq!(s, Status::Failed, "{why}");
        assert!(why.contains("51 rules (50 inbound, 1 outbound), more than 50"), "{why}");
        let lax = crate::Thresholds { security_group_max_rules: 60, ..Default::default() };
        assert_eq!(run_check_with(&CHECK, &with_rules(50), &lax)[0].status, Status::Passed);
        let mut inv = with_rules(1);
        account(&mut inv).regions[0].ec2 = Observed::Unknown("ec2:DescribeSecurityGroups denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
