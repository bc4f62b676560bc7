//! Load balancers without a security group, or whose security groups let in ports no listener
//! uses.
//!
//! Trusted Advisor "ELB Security Groups" (now listed as "Classic Load Balancer Security
//! Groups"): yellow when an inbound rule of a VPC security group of the load balancer allows a
//! port that is not a listener port; ICMP is accepted (Path MTU Discovery). Rampart applies the
//! same rule to Application Load Balancers, and to Network Load Balancers that have security
//! groups (an NLB without any is normal and skipped). The peer of a rule does not matter: a
//! port without a listener has no business being open. One result per load balancer.

use super::{classic_resource, region_unknown, v2_resource};
use crate::{Check, Ctx, Emit};
use rampart_inventory::{Ec2, Observed, SgRule};
use rampart_model::{Category, CheckMeta, Remediation, Resource, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_security_groups",
        title: "Load balancer security groups are missing or allow ports without a listener",
        description: "A load balancer's security group should let in exactly its listener ports; anything more widens the attack surface of whatever else shares the group, and a load balancer without a group is unprotected.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[StandardRef::ta("ELB Security Groups")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > the load balancer's group > Inbound rules > Edit: keep only the listener ports (and ICMP for Path MTU Discovery); attach a dedicated group if the load balancer has none.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions '<extra rule>'; aws elb apply-security-groups-to-load-balancer --load-balancer-name <name> --security-groups <sg-id> (v2: aws elbv2 set-security-groups)",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-groups.html",
        },
    },
    run,
};

/// The ports a rule allows beyond `ports`, as a label; `None` if it allows nothing extra.
fn extra(rule: &SgRule, ports: &[i32]) -> Option<String> {
    let proto = match rule.ip_protocol.as_str() {
        "icmp" | "1" | "icmpv6" | "58" => return None,
        "-1" | "all" => return Some("all traffic".to_string()),
        "tcp" | "6" => "tcp",
        "udp" | "17" => "udp",
        p => return Some(format!("protocol {p}")),
    };
    match (rule.from_port, rule.to_port) {
        (Some(f), Some(t)) if f >= 0 && t >= f => {
            let listed = ports.iter().filter(|&&p| f <= p && p <= t).count();
            if (t - f + 1) as usize > listed {
                Some(if f == t { format!("{proto}/{f}") } else { format!("{proto}/{f}-{t}") })
            } else {
                None
            }
        }
        _ => Some(format!("{proto}/all ports")),
    }
}

fn judge(ec2: &Ec2, group_ids: &[String], ports: &[i32], res: Resource, out: &mut Emit) {
    if group_ids.is_empty() {
        return out.fail(res, "the load balancer has no security group");
    }
    let (mut bad, mut missing) = (Vec::new(), Vec::new());
    for id in group_ids {
        match ec2.security_groups.iter().find(|g| &g.group_id == id) {
            Some(sg) => bad.extend(sg.ingress.iter().filter_map(|r| extra(r, ports)).map(|e| format!("{id}: {e}"))),
            None => missing.push(id.as_str()),
        }
    }
    bad.dedup();
    if !bad.is_empty() {
        out.fail(res, format!("inbound rules allow ports without a listener (listeners: {ports:?}): {}", bad.join(", ")));
    } else if !missing.is_empty() {
        out.not_available(res, format!("security groups not in the inventory: {}", missing.join(", ")));
    } else {
        out.pass(res, "security groups allow only the listener ports");
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let ec2 = region.ec2.as_result();
        match &region.elb {
            Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbLoadBalancer, why, out),
            Observed::Known(lbs) => {
                // Only load balancers in a VPC have security groups.
                for lb in lbs.iter().filter(|lb| lb.vpc_id.is_some()) {
                    let res = classic_resource(account, region, lb);
                    let ports: Vec<i32> = lb.listeners.iter().map(|l| l.load_balancer_port).collect();
                    match ec2 {
                        Ok(ec2) => judge(ec2, &lb.security_groups, &ports, res, out),
                        Err(why) => out.not_available(res, format!("security groups could not be read: {why}")),
                    }
                }
            }
        }
        match &region.elbv2 {
            Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbv2LoadBalancer, why, out),
            Observed::Known(v2) => {
                let judged = v2.load_balancers.iter().filter(|lb| lb.kind == "application" || (lb.kind == "network" && !lb.security_groups.is_empty()));
                for lb in judged {
                    let res = v2_resource(account, region, lb);
                    let ports: Vec<i32> = match &lb.listeners {
                        Observed::Known(l) => l.iter().map(|l| l.port).collect(),
                        Observed::Unknown(why) => {
                            out.not_available(res, format!("listeners could not be read: {why}"));
                            continue;
                        }
                    };
                    match ec2 {
                        Ok(ec2) => judge(ec2, &lb.security_groups, &ports, res, out),
                        Err(why) => out.not_available(res, format!("security groups could not be read: {why}")),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ec2::sg::tests::{group, rule, world4};
    use crate::testkit::*;
    use rampart_inventory::{ClassicListener, ClassicLoadBalancer, Elbv2, ListenerV2, LoadBalancerV2};
    use rampart_model::Status;

    fn lb(sgs: &[&str]) -> ClassicLoadBalancer {
        ClassicLoadBalancer {
            name: "web".into(),
            vpc_id: Some("vpc-1".into()),
            security_groups: sgs.iter().map(|s| s.to_string()).collect(),
            listeners: vec![
                ClassicListener { protocol: "HTTPS".into(), load_balancer_port: 443, ..Default::default() },
                ClassicListener { protocol: "HTTP".into(), load_balancer_port: 80, ..Default::default() },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn classic() {
        let mut inv = inventory();
        ec2(&mut inv).security_groups = vec![
            group("sg-ok", vec![rule("tcp", Some(443), Some(443), world4()), rule("tcp", Some(80), Some(80), world4()), rule("icmp", Some(3), Some(4), world4())]),
            group("sg-wide", vec![rule("tcp", Some(80), Some(443), world4())]),
            group("sg-ssh", vec![rule("tcp", Some(22), Some(22), world4())]),
        ];
        region(&mut inv).elb = Observed::Known(vec![lb(&["sg-ok"]), lb(&["sg-wide"]), lb(&["sg-ok", "sg-ssh"]), lb(&[]), lb(&["sg-gone"])]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable; 5]);
    }

    #[test]
    fn v2() {
        let mut inv = inventory();
        ec2(&mut inv).security_groups = vec![group("sg-alb", vec![rule("-1", None, None, world4())])];
        let alb = LoadBalancerV2 {
            arn: "arn:alb".into(),
            kind: "application".into(),
            security_groups: vec!["sg-alb".into()],
            listeners: Observed::Known(vec![ListenerV2 { port: 443, protocol: "HTTPS".into(), ..Default::default() }]),
            ..Default::default()
        };
        let nlb = LoadBalancerV2 { arn: "arn:nlb".into(), kind: "network".into(), listeners: Observed::Known(vec![]), ..Default::default() };
        region(&mut inv).elbv2 = Observed::Known(Elbv2 { load_balancers: vec![alb.clone(), nlb], target_groups: vec![] });
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("all traffic"), "{why}");
        let unknown = LoadBalancerV2 { listeners: Observed::Unknown("denied".into()), ..alb };
        region(&mut inv).elbv2 = Observed::Known(Elbv2 { load_balancers: vec![unknown], target_groups: vec![] });
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
