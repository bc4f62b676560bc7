//! Security Hub EC2.19: no unrestricted ingress (0.0.0.0/0 or ::/0) to the high-risk ports
//! of the `restricted-common-ports` rule.
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19>
//!
//! AWS: "The rule is NON_COMPLIANT if IP addresses for inbound TCP connections are not
//! restricted to specified ports." (AWS Config `restricted-common-ports`, the rule behind EC2.19,
//! <https://docs.aws.amazon.com/config/latest/developerguide/restricted-common-ports.html>; its
//! COMPLIANT cases name sources that do not cover all IPv4 addresses ("0.0.0.0/0") or all IPv6
//! addresses ("::/0")). Every ingress rule of the group is judged: one rule from `0.0.0.0/0` or
//! `::/0` whose port range contains one high-risk port fails the group, whatever its other rules
//! say. Rampart also counts UDP and all-traffic rules (stricter than the TCP-only Config rule).

use super::sg::{each_group, open_ingress, open_ports};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The control's `blockedPorts` (not customizable in Security Hub).
pub const HIGH_RISK_PORTS: &[i32] =
    &[20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_high_risk_ports",
        title: "Security groups should not allow unrestricted access to ports with high risk",
        description: "Ingress from 0.0.0.0/0 or ::/0 to ports of commonly attacked services (file transfer, remote access, mail retrieval, Windows file sharing, databases, search and dashboard consoles) invites compromise.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::fsbp("EC2.19")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: remove or narrow the listed 0.0.0.0/0 and ::/0 rules.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        let bad = open_ports(&open, HIGH_RISK_PORTS);
        if !bad.is_empty() {
            out.fail(res, format!("high-risk ports open to the internet: {}", bad.join(", ")));
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

    fn with(g: rampart_inventory::SecurityGroup) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2.known_mut().unwrap().security_groups = vec![g];
        inv
    }

    #[test]
    fn fail() {
        // Port 25 is high-risk for EC2.19 although Trusted Advisor rates it green.
        for r in [
            rule("tcp", Some(25), Some(25), world4()),
            rule("tcp", Some(9200), Some(9300), SgPeer::Cidr6("::/0".into())),
            rule("-1", None, None, world4()),
        ] {
            assert_eq!(single(&CHECK, &with(group("sg", vec![r.clone()]))).0, Status::Failed, "{r:?}");
        }
    }

    #[test]
    fn pass() {
        for r in [
            rule("tcp", Some(443), Some(443), world4()),
            rule("tcp", Some(8081), Some(8087), world4()),
            rule("tcp", Some(22), Some(22), SgPeer::Cidr4("10.0.0.0/8".into())),
        ] {
            assert_eq!(single(&CHECK, &with(group("sg", vec![r.clone()]))).0, Status::Passed, "{r:?}");
        }
    }

    /// Several rules: only the world-open ones count, a range counts for every port it contains,
    /// IPv6 counts like IPv4, and one such rule fails the group.
    #[test]
    fn several_rules() {
        let rules = vec![
            rule("tcp", Some(443), Some(443), world4()),
            rule("tcp", Some(22), Some(22), SgPeer::Cidr4("10.0.0.0/8".into())),
            rule("tcp", Some(1000), Some(2000), world4()),
            rule("tcp", Some(3306), Some(3306), SgPeer::Cidr6("::/0".into())),
        ];
        let (s, why) = single(&CHECK, &with(group("sg", rules)));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/1433 from 0.0.0.0/0") && why.contains("tcp/1434") && why.contains("tcp/3306 from ::/0"), "{why}");
        assert!(!why.contains("tcp/22 ") && !why.contains("/443"), "{why}");
        let narrow =
            vec![rule("tcp", Some(443), Some(443), world4()), rule("tcp", Some(0), Some(65535), SgPeer::Cidr4("10.0.0.0/8".into()))];
        assert_eq!(single(&CHECK, &with(group("sg", narrow))).0, Status::Passed);
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let inv = with(group("sg", vec![rule("tcp", Some(22), Some(22), SgPeer::PrefixList("pl-gone".into()))]));
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
