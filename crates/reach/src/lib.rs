//! Network reachability over an [`Inventory`]: which (protocol, ports, source prefixes) of every
//! network interface the internet can reach, and why a given flow is or is not reachable.
//!
//! **Architecture invariant:** every answer is a pure function of an `Inventory` (and the
//! question): no I/O, no clock, no logging, deterministic order. Data the collector could not
//! read (`Observed::Unknown`) makes the answer [`Status::Unknown`] / [`Verdict::Unknown`], never
//! "not reachable".
//!
//! **API boundary:** the serialized names of [`Exposure`], [`Step`] and [`Verdict`] are a
//! compatibility promise (findings and `rampart reach --json` are built from them).
//!
//! The engine reasons over sets, never over packets: ports are sorted disjoint intervals and
//! addresses sorted disjoint `u128` intervals (IPv4 as IPv4-mapped IPv6), see [`set`]. For one
//! interface, protocol and address family the exposure is
//! `SG ∩ NACL-in ∩ (IGW-routed sources × ports) ∩ (NACL-out return sources × ports)`,
//! each factor computed once per security-group set, network ACL and route table.
//!
//! Semantics implemented (AWS documentation cited at each step in `engine.rs`):
//! route table selection, longest-prefix match, local routes, IPv4 and IPv6 routed independently,
//! blackhole routes, internet gateway and public address requirement, NAT egress-only,
//! stateless network ACLs (ascending rule number, first match, return traffic to the client's
//! ephemeral ports), stateful security groups (union of allows, prefix lists expanded, group
//! references never match internet sources), internet-facing ALB / NLB / Classic load balancers
//! as intermediaries; queries from an address inside a VPC of the target's region, within the
//! VPC or across a VPC peering connection (not transitive, no edge-to-edge routing: a peer's
//! internet gateway never exposes this VPC), see `from_vpc.rs`, or through a transit gateway
//! (the ingress attachment's route table, longest prefix, blackholes, attachment subnets per
//! Availability Zone and their network ACLs; the internet never crosses one), see `tgw.rs`.
//! A query may start from a resource (its private address). Not yet: peered transit gateways,
//! interface endpoints, ingress routing (gateway route tables make the answer `Unknown`), ICMP
//! type/code (ICMP is treated as one port-less protocol), listener rules beyond the default
//! action, sources in VPCs of other regions or accounts (`Unknown`), flows from inside a VPC
//! to internet-facing load balancers (`Unknown`: the hairpin through the internet gateway), cross-zone load balancing
//! (a node is assumed to forward to every target), middlebox routes inside a VPC (blocked).
//! Flows from inside a VPC to internal load balancers (client → one node → listener → target)
//! are exact, see `to_lb.rs`. Egress — an interface or subnet opening connections to the
//! internet or one address through an internet gateway, a NAT gateway or an egress-only
//! internet gateway — is [`egress`] (`egress.rs`); source lists read in words ("the internet
//! except the VPC's range") through [`sources_text`] (`describe.rs`). `docs/reach.md` is the
//! user's view.

mod describe;
mod egress;
mod engine;
mod flow;
mod from_vpc;
mod nacl;
mod query;
pub mod set;
mod tgw;
mod to_lb;

pub use describe::{sources_text, NamedBlock};
pub use egress::{egress, subnet_sources, Destination};
pub use engine::internet_exposure;
pub use query::{query, query_address, Source};
pub use set::{AddrSet, Family, PortSet};

use serde::Serialize;
use std::fmt;

#[doc(hidden)]
pub use rampart_inventory::Inventory;

/// An IP protocol number (`6` TCP, `17` UDP, `1` ICMP, `58` ICMPv6, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Protocol(pub u8);

impl Protocol {
    pub const TCP: Protocol = Protocol(6);
    pub const UDP: Protocol = Protocol(17);
    pub const ICMP: Protocol = Protocol(1);
    pub const ICMPV6: Protocol = Protocol(58);

    /// Whether rules of this protocol carry port ranges (only TCP and UDP do here).
    pub fn has_ports(self) -> bool {
        self == Protocol::TCP || self == Protocol::UDP
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            6 => f.write_str("tcp"),
            17 => f.write_str("udp"),
            1 => f.write_str("icmp"),
            58 => f.write_str("icmpv6"),
            n => write!(f, "{n}"),
        }
    }
}

impl Serialize for Protocol {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A protocol the engine cannot read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown protocol `{0}`; use tcp, udp, icmp, icmpv6 or a protocol number 0-255")]
pub struct ProtocolError(String);

impl std::str::FromStr for Protocol {
    type Err = ProtocolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Called for every security-group and ACL rule the engine reads: no allocation.
        for (name, p) in [("tcp", Protocol::TCP), ("udp", Protocol::UDP), ("icmp", Protocol::ICMP), ("icmpv6", Protocol::ICMPV6)] {
            if s.eq_ignore_ascii_case(name) {
                return Ok(p);
            }
        }
        s.parse::<u8>().map(Protocol).map_err(|_| ProtocolError(s.to_string()))
    }
}

/// Kind of a path component, after Inspector v2's `networkPath.steps[].componentType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComponentType {
    Igw,
    RouteTable,
    Nacl,
    SecurityGroup,
    LoadBalancer,
    Listener,
    TargetGroup,
    Eni,
    VpcPeeringConnection,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    NatGateway,
    EgressOnlyIgw,
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ComponentType::Igw => "IGW",
            ComponentType::RouteTable => "ROUTE_TABLE",
            ComponentType::Nacl => "NACL",
            ComponentType::SecurityGroup => "SECURITY_GROUP",
            ComponentType::LoadBalancer => "LOAD_BALANCER",
            ComponentType::Listener => "LISTENER",
            ComponentType::TargetGroup => "TARGET_GROUP",
            ComponentType::Eni => "ENI",
            ComponentType::VpcPeeringConnection => "VPC_PEERING_CONNECTION",
            ComponentType::TransitGateway => "TRANSIT_GATEWAY",
            ComponentType::TransitGatewayAttachment => "TRANSIT_GATEWAY_ATTACHMENT",
            ComponentType::TransitGatewayRouteTable => "TRANSIT_GATEWAY_ROUTE_TABLE",
            ComponentType::NatGateway => "NAT_GATEWAY",
            ComponentType::EgressOnlyIgw => "EGRESS_ONLY_IGW",
        })
    }
}

/// One hop of a path, shaped like Inspector v2's `Step`
/// (<https://docs.aws.amazon.com/inspector/v2/APIReference/API_Step.html>), plus the rules of
/// the component that let the traffic through (or stopped it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub component_id: String,
    pub component_type: ComponentType,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

impl Step {
    pub(crate) fn new(id: &str, t: ComponentType, rules: Vec<String>) -> Self {
        Step { component_id: id.to_string(), component_type: t, rules }
    }
}

/// What the internet can reach on one network interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    pub account_id: String,
    pub region: String,
    /// The instance id, load balancer ARN, target group ARN, or the interface id itself.
    pub resource_id: String,
    /// `instance`, `load_balancer`, `target_group`, `network_interface`, `region`, or the
    /// interface type AWS reports (`lambda`, `nat_gateway`, ...).
    pub resource_type: String,
    pub network_interface_id: Option<String>,
    pub status: Status,
}

/// The answer for one subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Everything needed was read; `ranges` is exact (empty: not reachable from the internet).
    Known { ranges: Vec<ExposedRange> },
    /// Some input was not read: nothing can be said.
    Unknown { missing: Vec<String> },
}

/// One exposed (protocol, ports, sources) block and the path that admits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposedRange {
    pub protocol: Protocol,
    pub family: Family,
    /// Port ranges (for port-less protocols: `0`).
    pub ports: PortSet,
    /// Source prefixes, as minimal CIDR blocks.
    pub sources: Vec<String>,
    /// `sources` in words, as its complement when that is shorter: "the internet except the
    /// VPC's range (10.0.0.0/16)" (see [`sources_text`]).
    pub sources_text: String,
    #[serde(skip)]
    pub source_set: AddrSet,
    /// Inspector-style `networkPath.steps`.
    pub steps: Vec<Step>,
}

/// The answer to a [`query`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Reachable {
        target: String,
        network_interface_id: String,
        family: Family,
        /// The sources (of those asked about) that get through, as CIDR blocks.
        sources: Vec<String>,
        /// `sources` in words (see [`sources_text`]).
        sources_text: String,
        steps: Vec<Step>,
    },
    Blocked {
        target: String,
        /// Every component that stops the flow; changing all of them opens it.
        blockers: Vec<Blocker>,
    },
    Unknown {
        target: String,
        missing: Vec<String>,
    },
}

/// A component that denies a flow, the rule that denies it, and the smallest change that
/// would let it through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub network_interface_id: String,
    pub family: Family,
    pub component_id: String,
    pub component_type: ComponentType,
    pub rule: String,
    pub change: String,
}

impl Verdict {
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialization cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Reachable { target, network_interface_id, family, sources_text, steps, .. } => {
                writeln!(f, "REACHABLE: {target} ({network_interface_id}) over {family} from {sources_text}")?;
                for (i, s) in steps.iter().enumerate() {
                    write!(f, "  {}. {} {}", i + 1, s.component_type, s.component_id)?;
                    if !s.rules.is_empty() {
                        write!(f, ": {}", s.rules.join("; "))?;
                    }
                    writeln!(f)?;
                }
                Ok(())
            }
            Verdict::Blocked { target, blockers } => {
                writeln!(f, "BLOCKED: {target}")?;
                for b in blockers {
                    writeln!(
                        f,
                        "  {} {} {} ({}): {}\n    fix: {}",
                        b.network_interface_id, b.family, b.component_type, b.component_id, b.rule, b.change
                    )?;
                }
                Ok(())
            }
            Verdict::Unknown { target, missing } => {
                writeln!(f, "UNKNOWN: {target}: data not collected")?;
                for m in missing {
                    writeln!(f, "  - {m}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_parse_by_name_in_any_case_or_by_number() {
        for (s, p) in
            [("tcp", Protocol::TCP), ("TCP", Protocol::TCP), ("Udp", Protocol::UDP), ("ICMP", Protocol::ICMP), ("icmpv6", Protocol::ICMPV6)]
        {
            assert_eq!(s.parse::<Protocol>(), Ok(p), "{s}");
        }
        assert_eq!("50".parse::<Protocol>(), Ok(Protocol(50)));
        assert_eq!("6".parse::<Protocol>(), Ok(Protocol::TCP));
        for bad in ["-1", "256", "icmp6", "tcp ", ""] {
            assert_eq!(bad.parse::<Protocol>(), Err(ProtocolError(bad.to_string())), "{bad}");
        }
    }
}
