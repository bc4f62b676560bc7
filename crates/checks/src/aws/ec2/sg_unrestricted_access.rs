//! Security groups with inbound rules open to the world on ports other than the web and
//! mail ports Trusted Advisor accepts (25, 80, 443).
//!
//! Trusted Advisor's "Security Groups – Unrestricted Access": red when a rule has a source
//! with a /0 suffix for ports other than 25, 80 or 443.

use super::sg::{each_group, open_ingress, OpenRule, Proto};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Ports Trusted Advisor accepts open to the world.
pub const ACCEPTED_PORTS: &[i32] = &[25, 80, 443];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_unrestricted_access",
        title: "Security groups allow unrestricted inbound access",
        description: "A security group rule open to 0.0.0.0/0 or ::/0 on ports other than 25, 80 and 443 lets anyone on the internet reach whatever listens there.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::ta("Security Groups - Unrestricted Access")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: narrow each 0.0.0.0/0 or ::/0 source to the addresses that need access, or remove the rule.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions '<the open permission>'",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        },
    },
    run,
};

/// Whether an open rule exposes something beyond the accepted ports.
fn beyond_accepted(r: &OpenRule) -> bool {
    if r.all_traffic() {
        return true;
    }
    let rule = r.rule;
    let proto = match rule.ip_protocol.as_str() {
        "tcp" | "6" => Proto::Tcp,
        "udp" | "17" => Proto::Udp,
        // Any other protocol (ICMP, GRE, ...) open to the world is not a web/mail port.
        _ => return true,
    };
    match (rule.from_port, rule.to_port) {
        (Some(f), Some(t)) if f >= 0 && t >= f => {
            // Trusted Advisor accepts 25, 80 and 443 over TCP only; a range is open beyond
            // them if any of its ports is not one of them.
            proto == Proto::Udp
                || (t - f + 1) as usize > ACCEPTED_PORTS.iter().filter(|&&p| f <= p && p <= t).count()
        }
        _ => true,
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        let bad: Vec<String> = open
            .iter()
            .filter(|r| beyond_accepted(r))
            .map(|r| format!("{} from {}", r.label(), r.source))
            .collect();
        if !bad.is_empty() {
            out.fail(res, format!("open to the internet: {}", bad.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("cannot tell whether the group is open: {}", unknown.join("; ")));
        } else {
            out.pass(res, "no inbound rule opens ports other than 25, 80, 443 to 0.0.0.0/0 or ::/0");
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
        for r in [
            rule("tcp", Some(8080), Some(8080), world4()),
            rule("tcp", Some(0), Some(65535), world4()),
            rule("-1", None, None, SgPeer::Cidr6("::/0".into())),
            rule("icmp", Some(-1), Some(-1), world4()),
            rule("tcp", Some(79), Some(80), world4()),
        ] {
            assert_eq!(single(&CHECK, &with(group("sg", vec![r.clone()]))).0, Status::Failed, "{r:?}");
        }
    }

    #[test]
    fn pass() {
        for r in [
            rule("tcp", Some(443), Some(443), world4()),
            rule("tcp", Some(80), Some(80), SgPeer::Cidr6("::/0".into())),
            rule("tcp", Some(0), Some(65535), SgPeer::Cidr4("10.1.0.0/16".into())),
        ] {
            assert_eq!(single(&CHECK, &with(group("sg", vec![r.clone()]))).0, Status::Passed, "{r:?}");
        }
    }

    #[test]
    fn not_available() {
        let inv = with(group("sg", vec![rule("tcp", Some(22), Some(22), SgPeer::PrefixList("pl-gone".into()))]));
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
