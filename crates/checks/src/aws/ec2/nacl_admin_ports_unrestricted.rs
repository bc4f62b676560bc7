//! Network ACLs that let the internet reach remote administration ports (22, 3389, TCP or UDP).
//!
//! Security Hub EC2.21 (FSBP) and CIS AWS Foundations v3.0.0 5.1. Network ACL entries are
//! evaluated as AWS does: inbound entries in increasing rule number, the first entry that
//! matches the packet decides. For each port, each of TCP and UDP, and each of `0.0.0.0/0` and
//! `::/0`, the first inbound entry whose source is that whole address space and which covers
//! the protocol on the port decides; an `allow` there fails the ACL. Entries for narrower
//! sources neither open nor close the port to the whole internet. One result per network ACL.
//!
//! AWS: "The rule is NON_COMPLIANT if a NACL inbound entry allows a source TCP or UDP CIDR block
//! for ports 22 or 3389." (AWS Config `nacl-no-unrestricted-ssh-rdp`, the rule behind EC2.21,
//! <https://docs.aws.amazon.com/config/latest/developerguide/nacl-no-unrestricted-ssh-rdp.html>).
//! CIS 5.1 (in public copies of its text) likewise names "the TCP (6), UDP (17) or ALL (-1)
//! protocols". UDP entries used to be ignored (an allow of UDP 3389 — RDP's UDP transport — from
//! the internet passed); they count now. Where Rampart differs on purpose: an allow entry that a
//! lower-numbered deny shadows for every protocol, port and address family above admits no
//! packet, so it does not fail the ACL, although the Config rule's entry-by-entry wording may
//! flag it.

use super::each_ec2_item;
use super::sg::{is_world, Proto};
use crate::{Check, Ctx, Emit};
use rampart_inventory::NaclEntry;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub const ADMIN_PORTS: &[i32] = &[22, 3389];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_nacl_admin_ports_unrestricted",
        title: "Network ACLs allow ingress from 0.0.0.0/0 or ::/0 to remote administration ports",
        description: "A network ACL that admits the whole internet to SSH (22) or RDP (3389) leaves only the security groups between those services and brute-force attacks.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2NetworkAcl,
        standards: &[StandardRef::cis("5.1"), StandardRef::fsbp("EC2.21")],
        remediation: Remediation {
            console: "VPC console > Network ACLs > the network ACL > Inbound rules > Edit inbound rules: restrict the source of rules that allow 22 or 3389, or add a lower-numbered deny rule for 0.0.0.0/0 and ::/0 on those ports.",
            cli: "aws ec2 replace-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n> --protocol tcp --port-range From=22,To=22 --cidr-block <trusted-cidr> --rule-action allow",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
        },
    },
    run,
};

fn covers(e: &NaclEntry, proto: Proto, port: i32) -> bool {
    let same = match e.protocol.as_str() {
        "-1" | "all" => return true,
        "6" | "tcp" => proto == Proto::Tcp,
        "17" | "udp" => proto == Proto::Udp,
        _ => false,
    };
    same && match (e.port_from, e.port_to) {
        (Some(f), Some(t)) => f <= port && port <= t,
        _ => true,
    }
}

/// The inbound entry that decides `proto`/`port` from the whole of one address family, if any.
fn deciding<'a>(ingress: &[&'a NaclEntry], v6: bool, proto: Proto, port: i32) -> Option<&'a NaclEntry> {
    ingress.iter().copied().find(|e| {
        let src = if v6 { e.ipv6_cidr_block.as_deref() } else { e.cidr_block.as_deref() };
        src.is_some_and(is_world) && covers(e, proto, port)
    })
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2NetworkAcl,
        "network-acl",
        |e| &e.network_acls,
        |account, region, _, acl, out| {
            let res = super::nacl_resource(account, region, acl);
            let mut ingress: Vec<&NaclEntry> = acl.entries.iter().filter(|e| !e.egress).collect();
            ingress.sort_by_key(|e| e.rule_number);
            let mut open = Vec::new();
            for &port in ADMIN_PORTS {
                for proto in [Proto::Tcp, Proto::Udp] {
                    for (v6, world) in [(false, "0.0.0.0/0"), (true, "::/0")] {
                        if let Some(e) = deciding(&ingress, v6, proto, port) {
                            if e.rule_action.eq_ignore_ascii_case("allow") {
                                open.push(format!("{}/{port} from {world} (rule {})", proto.as_str(), e.rule_number));
                            }
                        }
                    }
                }
            }
            if open.is_empty() {
                out.pass(res, "no inbound entry admits 0.0.0.0/0 or ::/0 to ports 22 or 3389");
            } else {
                out.fail(res, format!("remote administration open to the internet: {}", open.join(", ")));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{NetworkAcl, Observed};
    use rampart_model::Status;

    fn entry(n: i32, proto: &str, ports: Option<(i32, i32)>, action: &str, cidr: &str) -> NaclEntry {
        let (v4, v6) = if cidr.contains(':') { (None, Some(cidr.to_string())) } else { (Some(cidr.to_string()), None) };
        NaclEntry {
            rule_number: n,
            egress: false,
            protocol: proto.into(),
            rule_action: action.into(),
            cidr_block: v4,
            ipv6_cidr_block: v6,
            port_from: ports.map(|p| p.0),
            port_to: ports.map(|p| p.1),
        }
    }

    /// The entries every network ACL ends with.
    fn defaults() -> Vec<NaclEntry> {
        vec![entry(32767, "-1", None, "deny", "0.0.0.0/0"), entry(32768, "-1", None, "deny", "::/0")]
    }

    fn status(mut entries: Vec<NaclEntry>) -> (Status, String) {
        entries.extend(defaults());
        let mut inv = inventory();
        ec2(&mut inv).network_acls = Observed::Known(vec![NetworkAcl { network_acl_id: "acl-1".into(), entries, ..Default::default() }]);
        single(&CHECK, &inv)
    }

    #[test]
    fn pass() {
        assert_eq!(status(vec![]).0, Status::Passed);
        // Denies numbered lower win over the allow (TCP and UDP, both ports).
        let denies = vec![
            entry(50, "6", Some((22, 22)), "deny", "0.0.0.0/0"),
            entry(51, "17", Some((22, 22)), "deny", "0.0.0.0/0"),
            entry(60, "6", Some((3389, 3389)), "deny", "0.0.0.0/0"),
            entry(61, "17", Some((3389, 3389)), "deny", "0.0.0.0/0"),
            entry(100, "-1", None, "allow", "0.0.0.0/0"),
        ];
        assert_eq!(status(denies).0, Status::Passed);
        // Narrow sources, other ports, other protocols, and egress entries do not count.
        let mut egress = entry(10, "-1", None, "allow", "0.0.0.0/0");
        egress.egress = true;
        assert_eq!(
            status(vec![
                entry(100, "6", Some((22, 22)), "allow", "203.0.113.0/24"),
                entry(110, "6", Some((80, 443)), "allow", "0.0.0.0/0"),
                entry(120, "1", None, "allow", "0.0.0.0/0"),
                egress
            ])
            .0,
            Status::Passed
        );
    }

    #[test]
    fn fail() {
        let (s, why) = status(vec![entry(100, "-1", None, "allow", "0.0.0.0/0")]);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/22 from 0.0.0.0/0 (rule 100)") && why.contains("tcp/3389"), "{why}");
        // An allow numbered lower wins over the deny; IPv6 is judged separately.
        let (s, why) = status(vec![
            entry(200, "6", Some((22, 22)), "deny", "::/0"),
            entry(100, "6", Some((0, 1024)), "allow", "::/0"),
            entry(50, "6", Some((22, 22)), "deny", "0.0.0.0/0"),
        ]);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/22 from ::/0 (rule 100)") && !why.contains("0.0.0.0/0"), "{why}");
    }

    /// Several entries: TCP denies before an allow-all leave UDP 22 and 3389 open (EC2.21 names
    /// "TCP or UDP"); this passed before. A UDP allow alone fails too.
    #[test]
    fn several_entries_udp() {
        let (s, why) = status(vec![
            entry(50, "6", Some((22, 22)), "deny", "0.0.0.0/0"),
            entry(60, "6", Some((3389, 3389)), "deny", "0.0.0.0/0"),
            entry(100, "-1", None, "allow", "0.0.0.0/0"),
        ]);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("udp/22 from 0.0.0.0/0 (rule 100)") && why.contains("udp/3389") && !why.contains("tcp/"), "{why}");
        let (s, why) = status(vec![entry(120, "17", Some((3389, 3389)), "allow", "0.0.0.0/0")]);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("udp/3389 from 0.0.0.0/0 (rule 120)"), "{why}");
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        ec2(&mut inv).network_acls = Observed::Unknown("ec2:DescribeNetworkAcls access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
