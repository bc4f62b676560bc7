//! Trusted Advisor's "Security Groups – Specific Ports Unrestricted".
//!
//! Alert criteria (<https://docs.aws.amazon.com/awssupport/latest/user/security-checks.html>):
//! green when only 25, 80, 443 or 465 are open to the world; red when 20, 21, 22, 1433, 1434,
//! 3306, 3389, 4333, 5432 or 5500 is; yellow for any other port. Trusted Advisor looks at
//! IPv4 (`0.0.0.0/0`) only; Rampart also counts `::/0`, which exposes a port just as much.

use super::sg::{each_group, open_ingress, open_ports, OpenRule};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Red: file transfer, SSH, remote desktop and databases.
pub const RED_PORTS: &[i32] = &[20, 21, 22, 1433, 1434, 3306, 3389, 4333, 5432, 5500];

/// Green: mail and web ports that are expected to be reachable.
pub const GREEN_PORTS: &[i32] = &[25, 80, 443, 465];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_specific_ports_unrestricted",
        title: "Security groups allow unrestricted access to specific ports",
        description: "An inbound rule open to 0.0.0.0/0 or ::/0 exposes the service behind it to the whole internet. File transfer, remote administration and database ports (red) are the most attacked; any other port except 25, 80, 443 and 465 still deserves a look (yellow).",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::ta("Security Groups - Specific Ports Unrestricted")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: replace the 0.0.0.0/0 or ::/0 source of the listed ports with the address ranges or security groups that need access.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        },
    },
    run,
};

/// Whether an open rule exposes a port outside the green list.
fn beyond_green(r: &OpenRule) -> bool {
    if r.all_traffic() {
        return true;
    }
    let rule = r.rule;
    match rule.ip_protocol.as_str() {
        "tcp" | "6" | "udp" | "17" => {}
        // ICMP and other protocols have no ports; Trusted Advisor rates ports only.
        _ => return false,
    }
    match (rule.from_port, rule.to_port) {
        (Some(f), Some(t)) if f >= 0 && t >= f => (f..=t).any(|p| !GREEN_PORTS.contains(&p)),
        _ => true,
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        let red = open_ports(&open, RED_PORTS);
        let yellow: Vec<String> = open
            .iter()
            .filter(|r| beyond_green(r))
            .map(|r| format!("{} from {}", r.label(), r.source))
            .collect();
        if !red.is_empty() {
            out.fail_with(res, Severity::High, format!("high-risk ports open to the internet: {}", red.join(", ")));
        } else if !yellow.is_empty() {
            out.fail_with(res, Severity::Medium, format!("open to the internet: {}", yellow.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("cannot tell whether the group is open: {}", unknown.join("; ")));
        } else {
            out.pass(res, "no port other than 25, 80, 443 or 465 is open to 0.0.0.0/0 or ::/0");
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
    fn red_yellow_green() {
        let r = run_check(&CHECK, &with(vec![group("sg-db", vec![rule("tcp", Some(3306), Some(3306), world4())])]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::High)));
        assert!(r[0].reason.contains("tcp/3306"));

        let r = run_check(&CHECK, &with(vec![group("sg-ssh", vec![rule("tcp", Some(22), Some(22), SgPeer::Cidr6("::/0".into()))])]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::High)));

        let r = run_check(&CHECK, &with(vec![group("sg-app", vec![rule("tcp", Some(8080), Some(8080), world4())])]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));

        let r = run_check(&CHECK, &with(vec![group("sg-all", vec![rule("-1", None, None, world4())])]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::High)));

        // 80-443 covers many non-green ports.
        let r = run_check(&CHECK, &with(vec![group("sg-range", vec![rule("tcp", Some(80), Some(443), world4())])]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));
    }

    #[test]
    fn pass() {
        let inv = with(vec![
            group("sg-web", vec![rule("tcp", Some(443), Some(443), world4()), rule("tcp", Some(465), Some(465), world4())]),
            group("sg-private", vec![rule("tcp", Some(22), Some(22), SgPeer::Cidr4("10.0.0.0/8".into()))]),
            group("sg-icmp", vec![rule("icmp", Some(-1), Some(-1), world4())]),
            group(
                "sg-ref",
                vec![rule("tcp", Some(3306), Some(3306), SgPeer::Group { group_id: "sg-app".into(), user_id: None, vpc_peering_connection_id: None })],
            ),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.len(), 4);
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
