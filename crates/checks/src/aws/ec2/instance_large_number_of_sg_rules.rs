//! Instances whose security groups hold a large number of rules together.
//!
//! Trusted Advisor "Large Number of EC2 Security Group Rules Applied to an Instance"
//! (performance): yellow when the security groups of a VPC instance hold more than 50 rules
//! (`thresholds.instance_max_security_group_rules`), counted as in
//! `ec2_sg_large_number_of_rules` (one per source or destination), each group once. Terminated
//! instances are skipped. One result per instance.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::{BTreeSet, HashMap};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_large_number_of_sg_rules",
        title: "Instances have more than 50 security group rules applied",
        description: "All the rules of all the groups of an instance are evaluated for its traffic; very many slow connection tracking down and make its exposure hard to review. The limit is `thresholds.instance_max_security_group_rules` (default 50, Trusted Advisor's for VPC instances).",
        severity: Severity::Low,
        category: Category::Performance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::ta("Large Number of EC2 Security Group Rules Applied to an Instance")],
        remediation: Remediation {
            console: "EC2 console > Instances > the instance > Actions > Security > Change security groups: drop groups the instance does not need; merge rules of the remaining groups (prefix lists, wider port ranges).",
            cli: "aws ec2 modify-instance-attribute --instance-id <i-id> --groups <sg-id> [<sg-id> ...]",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let max = ctx.thresholds.instance_max_security_group_rules as usize;
    // The rule count of every group, built once per region.
    let mut counted: Option<(*const rampart_inventory::Ec2, HashMap<String, usize>)> = None;
    each_ec2_item(ctx, out, ResourceType::AwsEc2Instance, "instance", |e| &e.instances, |account, region, ec2, i, out| {
        if i.state == "terminated" || i.state == "shutting-down" {
            return;
        }
        if counted.as_ref().is_none_or(|(p, _)| !std::ptr::eq(*p, ec2)) {
            let map = ec2.security_groups.iter().map(|g| (g.group_id.clone(), g.ingress.len() + g.egress.len())).collect();
            counted = Some((ec2, map));
        }
        let rules = &counted.as_ref().expect("just set").1;
        let res = resource(account, &region.name, ResourceType::AwsEc2Instance, account.arn("ec2", &region.name, &format!("instance/{}", i.instance_id)), &i.instance_id);
        let groups: BTreeSet<&str> = i.security_group_ids.iter().map(String::as_str).collect();
        let missing: Vec<&str> = groups.iter().copied().filter(|g| !rules.contains_key(*g)).collect();
        let n: usize = groups.iter().filter_map(|g| rules.get(*g)).sum();
        if n > max {
            out.fail(res, format!("its {} security group(s) hold {n} rules, more than {max}", groups.len()));
        } else if !missing.is_empty() {
            out.not_available(res, format!("security group(s) {} of the instance are not in the inventory", missing.join(", ")));
        } else {
            out.pass(res, format!("its {} security group(s) hold {n} rules (limit {max})", groups.len()));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::sg::tests::{group, rule, world4};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Observed, SecurityGroup};
    use rampart_model::Status;

    fn sg(id: &str, n: usize) -> SecurityGroup {
        group(id, (0..n).map(|p| rule("tcp", Some(p as i32), Some(p as i32), world4())).collect())
    }

    fn with(groups: &[&str]) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        ec2(&mut inv).security_groups = vec![sg("sg-a", 30), sg("sg-b", 21), sg("sg-c", 20)];
        ec2(&mut inv).instances = Observed::Known(vec![Instance {
            instance_id: "i-1".into(),
            state: "running".into(),
            security_group_ids: groups.iter().map(|g| g.to_string()).collect(),
            ..Default::default()
        }]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(&["sg-a", "sg-c"])).0, Status::Passed, "50 rules is the limit, not over it");
        let (s, why) = single(&CHECK, &with(&["sg-a", "sg-b", "sg-a"]));
        assert_eq!(s, Status::Failed, "{why}");
        assert!(why.contains("2 security group(s) hold 51 rules, more than 50"), "{why}");
        let (s, why) = single(&CHECK, &with(&["sg-c", "sg-gone"]));
        assert_eq!(s, Status::NotAvailable, "{why}");
        let mut inv = with(&["sg-a"]);
        ec2(&mut inv).instances.known_mut().unwrap()[0].state = "terminated".into();
        assert!(run_check(&CHECK, &inv).is_empty());
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
