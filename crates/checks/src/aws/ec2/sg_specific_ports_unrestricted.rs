//! Security groups that let the whole internet reach specific high-risk ports.
//!
//! Trusted Advisor's "Security Groups – Specific Ports Unrestricted": red for 20, 21, 1433,
//! 1434, 3306, 3389, 4333, 5432, 5500; yellow for the other commonly attacked ports below.
//! Also Security Hub's EC2.19 ("high-risk ports"), whose list is included.

use super::sg::{each_group, open_ingress, Proto};
use crate::{Check, Ctx, Emit};
use rampart_model::{CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Trusted Advisor red ports: file transfer and databases.
pub const RED_PORTS: &[i32] = &[20, 21, 1433, 1434, 3306, 3389, 4333, 5432, 5500];

/// Yellow: remote administration, mail retrieval, Windows file sharing, and the data stores
/// and consoles of Security Hub EC2.19's list.
pub const YELLOW_PORTS: &[i32] = &[
    22, 23, 110, 135, 137, 138, 139, 143, 445, 1521, 2049, 2375, 2376, 3000, 5000, 5601, 5984,
    6379, 7001, 8080, 8088, 8888, 9042, 9092, 9200, 9300, 11211, 27017, 27018,
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_specific_ports_unrestricted",
        title: "Security groups allow unrestricted access to high-risk ports",
        description: "An inbound rule open to 0.0.0.0/0 or ::/0 exposes services that are often attacked (file transfer, databases, remote administration) to the whole internet.",
        severity: Severity::High,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[
            StandardRef::ta("Security Groups - Specific Ports Unrestricted"),
            StandardRef::fsbp("EC2.19"),
        ],
        remediation: Remediation {
            console: "EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: replace the 0.0.0.0/0 or ::/0 source of the listed ports with the address ranges or security groups that need access.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        let mut red = Vec::new();
        let mut yellow = Vec::new();
        for (ports, bucket) in [(RED_PORTS, &mut red), (YELLOW_PORTS, &mut yellow)] {
            for &port in ports {
                for proto in [Proto::Tcp, Proto::Udp] {
                    if let Some(r) = open.iter().find(|r| r.covers(proto, port)) {
                        bucket.push(format!("{}/{port} from {}", proto.as_str(), r.source));
                    }
                }
            }
        }
        if !red.is_empty() || !yellow.is_empty() {
            let severity = if red.is_empty() { Severity::Medium } else { Severity::High };
            let all: Vec<String> = red.into_iter().chain(yellow).collect();
            out.fail_with(res, severity, format!("open to the internet: {}", all.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("cannot tell whether the group is open: {}", unknown.join("; ")));
        } else {
            out.pass(res, "no high-risk port is open to 0.0.0.0/0 or ::/0");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::sg::tests::{group, rule, world4};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, SgPeer};
    use rampart_model::Status;

    fn with(groups: Vec<rampart_inventory::SecurityGroup>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2.known_mut().unwrap().security_groups = groups;
        inv
    }

    #[test]
    fn fail_red_and_yellow() {
        let inv = with(vec![group("sg-db", vec![rule("tcp", Some(3306), Some(3306), world4())])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r[0].status, Status::Failed);
        assert_eq!(r[0].severity, Some(Severity::High));
        assert!(r[0].reason.contains("tcp/3306"));

        let inv = with(vec![group("sg-ssh", vec![rule("tcp", Some(22), Some(22), SgPeer::Cidr6("::/0".into()))])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r[0].status, Status::Failed);
        assert_eq!(r[0].severity, Some(Severity::Medium));

        let inv = with(vec![group("sg-all", vec![rule("-1", None, None, world4())])]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
    }

    #[test]
    fn pass() {
        let inv = with(vec![
            group("sg-web", vec![rule("tcp", Some(443), Some(443), world4())]),
            group("sg-private", vec![rule("tcp", Some(22), Some(22), SgPeer::Cidr4("10.0.0.0/8".into()))]),
            group(
                "sg-ref",
                vec![rule(
                    "tcp",
                    Some(3306),
                    Some(3306),
                    SgPeer::Group { group_id: "sg-app".into(), user_id: None, vpc_peering_connection_id: None },
                )],
            ),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|r| r.status == Status::Passed), "{r:#?}");
    }

    #[test]
    fn not_available() {
        let inv = with(vec![group("sg-pl", vec![rule("tcp", Some(22), Some(22), SgPeer::PrefixList("pl-x".into()))])]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2 = Observed::Unknown("ec2:DescribeSecurityGroups access denied".into());
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("ec2:DescribeSecurityGroups"));
    }
}
