//! Security groups open to the world on ports other than the authorized ones.
//!
//! Security Hub EC2.18 (FSBP), AWS Config `vpc-sg-open-only-to-authorized-ports` with its
//! defaults: ingress from `0.0.0.0/0` or `::/0` (directly or through a managed prefix list) is
//! authorized only for TCP 80 and 443; any other TCP port, any UDP port, or all traffic fails.
//! Rules of other protocols (ICMP, ...) are not evaluated, as in the Config rule. One result per
//! security group.
//!
//! AWS: "If the security group rule port number allows unrestricted incoming traffic, but the port
//! number is not specified in `authorizedTcpPorts` input parameter, then the control fails. ...
//! The default value for `authorizedTcpPorts` is `80, 443`" (Security Hub EC2.18).

use super::sg::{each_group, open_ingress};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// TCP ports that may be open to the world (`authorizedTcpPorts` default).
pub const AUTHORIZED_TCP_PORTS: &[i32] = &[80, 443];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_unauthorized_ports_open",
        title: "Security groups allow unrestricted ingress to ports other than TCP 80 and 443",
        description: "Only web ports are meant to face the whole internet; any other port open to 0.0.0.0/0 or ::/0 exposes a service that should be reached only from known networks.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::fsbp("EC2.18")],
        remediation: Remediation {
            console: "EC2 console > Security Groups > the group > Inbound rules > Edit inbound rules: restrict the source of every rule open to 0.0.0.0/0 or ::/0 that is not TCP 80 or 443.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=<proto>,FromPort=<from>,ToPort=<to>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        },
    },
    run,
};

/// Whether `rule` lets in only authorized ports; `None` when the check does not evaluate it.
fn authorized(rule: &rampart_inventory::SgRule) -> Option<bool> {
    match rule.ip_protocol.as_str() {
        "-1" | "all" => Some(false),
        "udp" | "17" => Some(false),
        "tcp" | "6" => Some(match (rule.from_port, rule.to_port) {
            (Some(f), Some(t)) if f >= 0 && f <= t => (f..=t).all(|p| AUTHORIZED_TCP_PORTS.contains(&p)),
            _ => false,
        }),
        _ => None,
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        let bad: Vec<String> = open.iter().filter(|r| authorized(r.rule) == Some(false)).map(|r| format!("{} from {}", r.label(), r.source)).collect();
        if !bad.is_empty() {
            out.fail(res, format!("open to the internet on unauthorized ports: {}", bad.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("cannot tell whether the group is open: {}", unknown.join("; ")));
        } else {
            out.pass(res, "only TCP 80 and 443 are open to 0.0.0.0/0 or ::/0");
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
        ec2(&mut inv).security_groups = vec![g];
        inv
    }

    #[test]
    fn pass() {
        let web = group("sg", vec![rule("tcp", Some(80), Some(80), world4()), rule("6", Some(443), Some(443), SgPeer::Cidr6("::/0".into())), rule("tcp", Some(22), Some(22), SgPeer::Cidr4("10.0.0.0/8".into())), rule("icmp", Some(8), Some(0), world4())]);
        assert_eq!(single(&CHECK, &with(web)).0, Status::Passed);
    }

    #[test]
    fn fail() {
        for r in [rule("tcp", Some(80), Some(443), world4()), rule("udp", Some(53), Some(53), world4()), rule("-1", None, None, SgPeer::Cidr6("::/0".into())), rule("tcp", Some(8080), Some(8080), world4())] {
            let (s, why) = single(&CHECK, &with(group("sg", vec![rule("tcp", Some(443), Some(443), world4()), r])));
            assert_eq!(s, Status::Failed, "{why}");
            assert!(!why.contains("tcp/443"), "{why}");
        }
    }

    #[test]
    fn not_available() {
        let inv = with(group("sg", vec![rule("tcp", Some(22), Some(22), SgPeer::PrefixList("pl-unknown".into()))]));
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = inventory();
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
