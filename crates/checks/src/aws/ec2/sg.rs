//! What the security-group checks share: which ingress rules are open to the world, and
//! which ports they cover.
//!
//! A rule is open to the world when its source is `0.0.0.0/0`, `::/0`, or a managed prefix
//! list that contains one of them. Rules that reference security groups are never open to the
//! world. Semantics: <https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>.

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Ec2, Observed, Region, SecurityGroup, SgPeer, SgRule};
use rampart_model::{Resource, ResourceType};

/// Transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// An ingress rule open to the world, with the source that makes it so.
pub struct OpenRule<'a> {
    pub rule: &'a SgRule,
    pub source: String,
}

impl OpenRule<'_> {
    /// Whether the rule lets `proto`/`port` in.
    pub fn covers(&self, proto: Proto, port: i32) -> bool {
        rule_covers(self.rule, proto, port)
    }

    /// Whether the rule allows every protocol (`-1`).
    pub fn all_traffic(&self) -> bool {
        matches!(self.rule.ip_protocol.as_str(), "-1" | "all")
    }

    /// A short label: `tcp/22`, `tcp/0-65535`, `all traffic`, `icmp`.
    pub fn label(&self) -> String {
        let r = self.rule;
        if self.all_traffic() {
            return "all traffic".to_string();
        }
        let proto = match r.ip_protocol.as_str() {
            "6" => "tcp",
            "17" => "udp",
            "1" => "icmp",
            "58" => "icmpv6",
            p => p,
        };
        match (r.from_port, r.to_port) {
            (Some(f), Some(t)) if proto == "tcp" || proto == "udp" => {
                if f == t {
                    format!("{proto}/{f}")
                } else {
                    format!("{proto}/{f}-{t}")
                }
            }
            _ => proto.to_string(),
        }
    }
}

/// `proto/port from source` for every TCP and UDP port of `ports` that an open rule admits.
pub fn open_ports(open: &[OpenRule], ports: &[i32]) -> Vec<String> {
    let mut out = Vec::new();
    for &port in ports {
        for proto in [Proto::Tcp, Proto::Udp] {
            if let Some(r) = open.iter().find(|r| r.covers(proto, port)) {
                out.push(format!("{}/{port} from {}", proto.as_str(), r.source));
            }
        }
    }
    out
}

pub fn rule_covers(rule: &SgRule, proto: Proto, port: i32) -> bool {
    let matches_proto = match rule.ip_protocol.as_str() {
        "-1" | "all" => return true,
        "tcp" | "6" => proto == Proto::Tcp,
        "udp" | "17" => proto == Proto::Udp,
        _ => false,
    };
    if !matches_proto {
        return false;
    }
    match (rule.from_port, rule.to_port) {
        // A TCP/UDP rule without ports covers all of them.
        (None, _) | (_, None) => true,
        (Some(f), Some(t)) if f == -1 && t == -1 => true,
        (Some(f), Some(t)) => f <= port && port <= t,
    }
}

/// The ingress rules of `sg` open to the world, and the prefix lists whose entries could not
/// be read (which may or may not open the group).
pub fn open_ingress<'a>(ec2: &'a Ec2, sg: &'a SecurityGroup) -> (Vec<OpenRule<'a>>, Vec<String>) {
    let mut open = Vec::new();
    let mut unknown = Vec::new();
    for rule in &sg.ingress {
        match &rule.peer {
            SgPeer::Cidr4(c) if is_world(c) => open.push(OpenRule { rule, source: c.clone() }),
            SgPeer::Cidr6(c) if is_world(c) => open.push(OpenRule { rule, source: c.clone() }),
            SgPeer::PrefixList(id) => {
                let lists = match &ec2.managed_prefix_lists {
                    Observed::Known(l) => l,
                    Observed::Unknown(why) => {
                        unknown.push(format!("prefix list {id}: {why}"));
                        continue;
                    }
                };
                match lists.iter().find(|p| &p.prefix_list_id == id) {
                    Some(pl) => match &pl.entries {
                        Observed::Known(entries) => {
                            if let Some(w) = entries.iter().find(|c| is_world(c)) {
                                open.push(OpenRule { rule, source: format!("{w} (prefix list {id})") });
                            }
                        }
                        Observed::Unknown(why) => unknown.push(format!("prefix list {id}: {why}")),
                    },
                    // AWS-managed prefix lists of services (S3, DynamoDB, CloudFront) are listed
                    // too; a list we cannot see at all belongs to another account.
                    None => unknown.push(format!("prefix list {id} is not visible to this account")),
                }
            }
            _ => {}
        }
    }
    (open, unknown)
}

/// `0.0.0.0/0` or `::/0`, in any spelling (`::0/0`, `0:0::/0`).
pub fn is_world(cidr: &str) -> bool {
    match cidr.split_once('/') {
        Some((addr, "0")) => addr.parse::<std::net::IpAddr>().is_ok(),
        _ => false,
    }
}

/// Calls `f` for every security group of every region whose EC2 data is known, and reports
/// NOT_AVAILABLE for regions whose EC2 data is not.
pub fn each_group(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Ec2, &SecurityGroup, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.ec2 {
            Observed::Known(ec2) => {
                for sg in &ec2.security_groups {
                    f(ec2, sg, group_resource(account, region, sg), out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(
                    account,
                    &region.name,
                    ResourceType::AwsEc2SecurityGroup,
                    account.arn("ec2", &region.name, "security-group/*"),
                    "all security groups",
                );
                out.not_available(res, format!("EC2 could not be read in {}: {why}", region.name));
            }
        }
    }
}

fn group_resource(account: &Account, region: &Region, sg: &SecurityGroup) -> Resource {
    resource(
        account,
        &region.name,
        ResourceType::AwsEc2SecurityGroup,
        account.arn("ec2", &region.name, &format!("security-group/{}", sg.group_id)),
        &sg.group_name,
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rampart_inventory::PrefixList;

    pub fn rule(proto: &str, from: Option<i32>, to: Option<i32>, peer: SgPeer) -> SgRule {
        SgRule { ip_protocol: proto.into(), from_port: from, to_port: to, peer, description: None }
    }

    pub fn world4() -> SgPeer {
        SgPeer::Cidr4("0.0.0.0/0".into())
    }

    pub fn group(id: &str, ingress: Vec<SgRule>) -> SecurityGroup {
        SecurityGroup { group_id: id.into(), group_name: id.into(), ingress, ..Default::default() }
    }

    #[test]
    fn world_cidrs() {
        assert!(is_world("0.0.0.0/0"));
        assert!(is_world("::/0"));
        assert!(is_world("::0/0"));
        assert!(!is_world("10.0.0.0/8"));
        assert!(!is_world("0.0.0.0/1"));
        assert!(!is_world("garbage/0"));
    }

    #[test]
    fn coverage() {
        let r = rule("tcp", Some(20), Some(25), world4());
        assert!(rule_covers(&r, Proto::Tcp, 22));
        assert!(!rule_covers(&r, Proto::Udp, 22));
        assert!(!rule_covers(&r, Proto::Tcp, 26));
        assert!(rule_covers(&rule("-1", None, None, world4()), Proto::Udp, 5));
        assert!(rule_covers(&rule("6", Some(0), Some(65535), world4()), Proto::Tcp, 3389));
        assert!(!rule_covers(&rule("icmp", Some(-1), Some(-1), world4()), Proto::Tcp, 1));
    }

    #[test]
    fn prefix_lists() {
        let mut ec2 = Ec2 { managed_prefix_lists: Observed::Known(vec![]), ..Ec2::default() };
        let lists = ec2.managed_prefix_lists.known_mut().unwrap();
        lists.push(PrefixList {
            prefix_list_id: "pl-open".into(),
            entries: Observed::Known(vec!["10.0.0.0/8".into(), "0.0.0.0/0".into()]),
            ..Default::default()
        });
        lists.push(PrefixList {
            prefix_list_id: "pl-closed".into(),
            entries: Observed::Known(vec!["10.0.0.0/8".into()]),
            ..Default::default()
        });
        lists.push(PrefixList {
            prefix_list_id: "pl-unknown".into(),
            entries: Observed::Unknown("denied".into()),
            ..Default::default()
        });
        let sg = group(
            "sg-1",
            vec![
                rule("tcp", Some(22), Some(22), SgPeer::PrefixList("pl-open".into())),
                rule("tcp", Some(23), Some(23), SgPeer::PrefixList("pl-closed".into())),
                rule("tcp", Some(24), Some(24), SgPeer::PrefixList("pl-unknown".into())),
            ],
        );
        let (open, unknown) = open_ingress(&ec2, &sg);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].label(), "tcp/22");
        assert_eq!(unknown.len(), 1);
        // The prefix lists themselves could not be listed.
        ec2.managed_prefix_lists = Observed::Unknown("ec2:DescribeManagedPrefixLists access denied".into());
        let (open, unknown) = open_ingress(&ec2, &sg);
        assert!(open.is_empty());
        assert_eq!(unknown.len(), 3);
    }
}
