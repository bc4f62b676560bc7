//! Security groups of RDS that let the whole internet in.
//!
//! Trusted Advisor "Amazon RDS Security Group Access Risk": red when a (legacy, EC2-Classic)
//! DB security group has a `/0` CIDR rule; yellow when a DB security group references an EC2
//! security group that opens 20, 21, 22, 1433, 1434, 3306, 3389, 4333, 5432 or 5500 to the
//! world. EC2-Classic is retired, so Rampart also applies the same test to what protects DB
//! instances today, their VPC security groups: open to 0.0.0.0/0 or ::/0 on the database
//! port or a Trusted Advisor red port is high severity, on any other port medium.
//! One result per DB security group and per DB instance with VPC security groups.

use super::known_rds;
use crate::aws::ec2::sg::{open_ingress, Proto};
use crate::aws::ec2::sg_specific_ports_unrestricted::RED_PORTS;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_security_group_access_risk",
        title: "RDS security groups allow access from the whole internet",
        description: "A database whose security group accepts connections from 0.0.0.0/0 or ::/0 is exposed to scanning, brute force and exploits of the database engine from anywhere.",
        severity: Severity::High,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::ta("Amazon RDS Security Group Access Risk")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > the DB instance's group > Inbound rules > Edit: replace 0.0.0.0/0 and ::/0 sources with the application's security group or known address ranges. For a legacy DB security group, move the instance into a VPC.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbInstance, out) else { continue };
        // Legacy DB security groups.
        match &rds.db_security_groups {
            Observed::Known(groups) => {
                for g in groups {
                    let arn = if g.arn.is_empty() { account.arn("rds", &region.name, &format!("secgrp:{}", g.name)) } else { g.arn.clone() };
                    let res = resource(account, &region.name, ResourceType::AwsRdsDbSecurityGroup, arn, &g.name);
                    let open: Vec<&str> = g.cidrs.iter().filter(|c| c.ends_with("/0")).map(String::as_str).collect();
                    if open.is_empty() {
                        out.pass(res, "no DB security group rule grants access to a /0 range");
                    } else {
                        out.fail(res, format!("DB security group grants access to {}", open.join(", ")));
                    }
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsRdsDbSecurityGroup, account.arn("rds", &region.name, "secgrp:*"), "all DB security groups");
                out.not_available(res, format!("DB security groups could not be read: {why}"));
            }
        }
        // VPC security groups of DB instances.
        for db in rds.db_instances.iter().filter(|d| !d.vpc_security_group_ids.is_empty()) {
            let res = super::instance_resource(account, region, db);
            let ec2 = match &region.ec2 {
                Observed::Known(e) => e,
                Observed::Unknown(why) => {
                    out.not_available(res, format!("security groups could not be read: {why}"));
                    continue;
                }
            };
            let (mut high, mut medium, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
            for id in &db.vpc_security_group_ids {
                let Some(sg) = ec2.security_groups.iter().find(|g| &g.group_id == id) else {
                    unknown.push(format!("security group {id} is not in the inventory"));
                    continue;
                };
                let (open, pl_unknown) = open_ingress(ec2, sg);
                unknown.extend(pl_unknown);
                for r in &open {
                    let db_port = db.endpoint_port.is_some_and(|p| r.covers(Proto::Tcp, p));
                    let red = RED_PORTS.iter().any(|&p| r.covers(Proto::Tcp, p));
                    let what = format!("{id}: {} from {}", r.label(), r.source);
                    if db_port || red {
                        high.push(what);
                    } else {
                        medium.push(what);
                    }
                }
            }
            if !high.is_empty() {
                high.extend(medium);
                out.fail(res, format!("open to the internet: {}", high.join(", ")));
            } else if !medium.is_empty() {
                out.fail_with(res, Severity::Medium, format!("open to the internet on other ports: {}", medium.join(", ")));
            } else if !unknown.is_empty() {
                out.not_available(res, format!("cannot tell whether the instance's security groups are open: {}", unknown.join("; ")));
            } else {
                out.pass(res, "no security group of the instance is open to 0.0.0.0/0 or ::/0");
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use super::super::tests::db;
    use super::*;
    use crate::aws::ec2::sg::tests::{group, rule, world4};
    use crate::testkit::*;
    use rampart_inventory::{DbInstance, DbSecurityGroup, SgPeer};
    use rampart_model::Status;

    fn with_instance(sg_rules: Vec<rampart_inventory::SgRule>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        ec2(&mut inv).security_groups = vec![group("sg-db", sg_rules)];
        rds(&mut inv).db_instances = vec![DbInstance { vpc_security_group_ids: vec!["sg-db".into()], ..db("pg") }];
        inv
    }

    #[test]
    fn legacy_groups() {
        let mut inv = inventory();
        rds(&mut inv).db_security_groups = Observed::Known(vec![
            DbSecurityGroup { name: "open".into(), cidrs: vec!["0.0.0.0/0".into()], ..Default::default() },
            DbSecurityGroup { name: "closed".into(), cidrs: vec!["10.0.0.0/8".into()], ..Default::default() },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed]);
        rds(&mut inv).db_security_groups = Observed::Unknown("rds:DescribeDBSecurityGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn vpc_groups() {
        let r = run_check(&CHECK, &with_instance(vec![rule("tcp", Some(5432), Some(5432), world4())]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        let r = run_check(&CHECK, &with_instance(vec![rule("tcp", Some(8443), Some(8443), SgPeer::Cidr6("::/0".into()))]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));
        let r = run_check(&CHECK, &with_instance(vec![rule("tcp", Some(5432), Some(5432), SgPeer::Cidr4("10.0.0.0/16".into()))]));
        assert_eq!(r[0].status, Status::Passed);
    }

    #[test]
    fn not_available() {
        let mut inv = with_instance(vec![]);
        rds(&mut inv).db_instances[0].vpc_security_group_ids = vec!["sg-missing".into()];
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
