//! The exposure engine: route tables, network ACLs, security groups and load balancers as
//! set algebra over (port interval × address interval) zones.
//!
//! AWS documentation followed (each function cites the page it implements):
//! - Route tables: <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html>,
//!   <https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html>
//! - Internet gateways: <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html>
//! - NAT gateways: <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html>
//! - Network ACLs: see `nacl.rs`
//! - Security groups: <https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>
//! - Load balancers: <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html>,
//!   <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation>

use crate::describe::{route_blocks, sources_text_listed, NamedBlock};
use crate::flow::Flow;
use crate::nacl::{eval_nacl, nacl_legs_ok, NaclEval};
use crate::set::{addr_point, parse_cidr, to_cidrs, universe, AddrSet, Family, PortSet};
use crate::{ComponentType, ExposedRange, Exposure, Protocol, Status, Step};
use rampart_inventory::{
    Account, Ec2, Inventory, NetworkAcl, NetworkInterface, PrefixList, Region, Route, RouteTable, SecurityGroup, SgPeer, SgRule,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// Why an answer is unknown: one line per input that was not read.
pub(crate) type Missing = Vec<String>;
pub(crate) type R<T> = Result<T, Missing>;

fn missing<T>(m: String) -> R<T> {
    Err(vec![m])
}

// ---------------------------------------------------------------- protocols and ports

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleProto {
    Any,
    Num(u8),
}

/// `-1`/`all` = every protocol; names and numbers otherwise. `None`: unreadable (never matches).
pub(crate) fn rule_proto(s: &str) -> Option<RuleProto> {
    match s.trim() {
        "-1" | "all" => Some(RuleProto::Any),
        other => other.parse::<Protocol>().ok().map(|p| RuleProto::Num(p.0)),
    }
}

pub(crate) fn proto_matches(rp: RuleProto, p: Protocol) -> bool {
    match rp {
        RuleProto::Any => true,
        RuleProto::Num(n) => n == p.0,
    }
}

/// The ports a protocol has: 0-65535 for TCP/UDP, the single pseudo-port 0 otherwise.
pub(crate) fn port_universe(p: Protocol) -> (u16, u16) {
    if p.has_ports() {
        (0, u16::MAX)
    } else {
        (0, 0)
    }
}

/// A rule's port range for `p`. Rules for "all protocols", or without a range, cover all ports
/// ("If you specify -1 ... traffic on all ports is allowed, regardless of any port range").
pub(crate) fn rule_ports(rp: RuleProto, p: Protocol, from: Option<i32>, to: Option<i32>) -> (u16, u16) {
    if !p.has_ports() {
        return (0, 0);
    }
    match (rp, from, to) {
        (RuleProto::Num(_), Some(f), Some(t)) if f >= 0 && t >= 0 => (f.min(65535) as u16, t.min(65535) as u16),
        _ => (0, u16::MAX),
    }
}

/// Client ephemeral ports used for return traffic: 1024-65535, the widest range AWS documents
/// (nacl-ephemeral-ports.html). An internet client picks its own source port, so return
/// traffic passes if the NACL lets *some* port of this range out to the client.
pub(crate) fn ephemeral(p: Protocol) -> (u16, u16) {
    if p.has_ports() {
        (1024, u16::MAX)
    } else {
        (0, 0)
    }
}

// ---------------------------------------------------------------- zones: ports × addresses

/// A set of (port, address) pairs: sorted disjoint port intervals, each with its addresses.
pub(crate) type Zone = Vec<(u16, u16, AddrSet)>;

/// Elementary port intervals of `within` cut at every rule boundary.
pub(crate) fn elementary(bounds: impl Iterator<Item = (u16, u16)>, within: (u16, u16)) -> Vec<(u16, u16)> {
    let mut cuts: Vec<u32> = vec![u32::from(within.0), u32::from(within.1) + 1];
    for (l, h) in bounds {
        let (l, h) = (l.max(within.0), h.min(within.1));
        if l <= h {
            cuts.push(u32::from(l));
            cuts.push(u32::from(h) + 1);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Cuts are within 0..=65536, so `c - 1` of a later cut fits in u16.
    cuts.windows(2).map(|w| (w[0] as u16, (w[1] - 1) as u16)).collect()
}

pub(crate) fn push_merged(z: &mut Zone, lo: u16, hi: u16, a: AddrSet) {
    if a.is_empty() {
        return;
    }
    if let Some(last) = z.last_mut() {
        if u32::from(last.1) + 1 == u32::from(lo) && last.2 == a {
            last.1 = hi;
            return;
        }
    }
    z.push((lo, hi, a));
}

/// The union of rectangles.
fn union_zone(rects: &[(u16, u16, AddrSet)], within: (u16, u16)) -> Zone {
    let mut z = Zone::new();
    for (lo, hi) in elementary(rects.iter().map(|r| (r.0, r.1)), within) {
        let mut ivs = Vec::new();
        for r in rects.iter().filter(|r| r.0 <= lo && hi <= r.1) {
            ivs.extend_from_slice(r.2.intervals());
        }
        push_merged(&mut z, lo, hi, AddrSet::from_ranges(ivs));
    }
    z
}

pub(crate) fn intersect_zone(a: &Zone, b: &Zone, restrict: &AddrSet) -> Zone {
    let mut z = Zone::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (&a[i], &b[j]);
        let (lo, hi) = (x.0.max(y.0), x.1.min(y.1));
        if lo <= hi {
            push_merged(&mut z, lo, hi, x.2.intersect(&y.2).intersect(restrict));
        }
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    z
}

pub(crate) fn zone_at(z: &Zone, port: u16) -> Option<&AddrSet> {
    z.iter().find(|p| p.0 <= port && port <= p.1).map(|p| &p.2)
}

// ---------------------------------------------------------------- context of one region

pub(crate) struct Ctx<'a> {
    pub account: &'a Account,
    pub region: &'a Region,
    pub ec2: &'a Ec2,
    pub enis: &'a [NetworkInterface],
    sgs: HashMap<&'a str, &'a SecurityGroup>,
    pls: Result<HashMap<&'a str, &'a PrefixList>, &'a str>,
    rtbs: Result<&'a [RouteTable], &'a str>,
    rtb_by_subnet: HashMap<&'a str, usize>,
    main_rtb: HashMap<&'a str, usize>,
    /// VPCs with a route table associated with a gateway (ingress routing, not modelled).
    edge_vpcs: HashSet<&'a str>,
    nacls: Result<&'a [NetworkAcl], &'a str>,
    nacl_by_subnet: HashMap<&'a str, usize>,
    pub eni_by_id: HashMap<&'a str, usize>,
    pub eni_by_ip: HashMap<u128, usize>,
}

impl<'a> Ctx<'a> {
    /// `Err(reason)` when the region's interfaces themselves were not read.
    pub fn new(account: &'a Account, region: &'a Region) -> Result<Ctx<'a>, String> {
        let ec2 = region.ec2.as_result().map_err(|r| format!("ec2 in {}: {r}", region.name))?;
        let enis = ec2.network_interfaces.as_result().map_err(|r| format!("ec2 network interfaces in {}: {r}", region.name))?;
        let mut ctx = Ctx {
            account,
            region,
            ec2,
            enis,
            sgs: ec2.security_groups.iter().map(|g| (g.group_id.as_str(), g)).collect(),
            pls: ec2.managed_prefix_lists.as_result().map(|v| v.iter().map(|p| (p.prefix_list_id.as_str(), p)).collect()),
            rtbs: ec2.route_tables.as_result().map(|v| v.as_slice()),
            rtb_by_subnet: HashMap::new(),
            main_rtb: HashMap::new(),
            edge_vpcs: HashSet::new(),
            nacls: ec2.network_acls.as_result().map(|v| v.as_slice()),
            nacl_by_subnet: HashMap::new(),
            eni_by_id: HashMap::with_capacity(enis.len()),
            eni_by_ip: HashMap::with_capacity(enis.len()),
        };
        if let Ok(rtbs) = ctx.rtbs {
            for (i, t) in rtbs.iter().enumerate() {
                // A subnet uses its explicitly associated table, else the VPC's main table.
                for s in &t.subnet_ids {
                    ctx.rtb_by_subnet.insert(s, i);
                }
                if t.main {
                    ctx.main_rtb.insert(&t.vpc_id, i);
                }
                if !t.gateway_ids.is_empty() {
                    ctx.edge_vpcs.insert(&t.vpc_id);
                }
            }
        }
        if let Ok(nacls) = ctx.nacls {
            for (i, n) in nacls.iter().enumerate() {
                for s in &n.subnet_ids {
                    ctx.nacl_by_subnet.insert(s, i);
                }
            }
        }
        for (i, e) in enis.iter().enumerate() {
            ctx.eni_by_id.insert(&e.network_interface_id, i);
            for ip in &e.private_ip_addresses {
                if let Ok(a) = ip.parse() {
                    ctx.eni_by_ip.insert(addr_point(a).1, i);
                }
            }
        }
        Ok(ctx)
    }

    pub fn where_(&self) -> String {
        format!("{} {}", self.account.id, self.region.name)
    }

    /// The subnet's route table (subnet-route-tables.html: "Each subnet in your VPC must be
    /// associated with a route table ... Otherwise, the subnet is implicitly associated with
    /// the main route table").
    pub fn route_table(&self, eni: &NetworkInterface) -> R<usize> {
        self.subnet_route_table(&eni.vpc_id, &eni.subnet_id)
    }

    /// The route table of a subnet of `vpc`.
    pub fn subnet_route_table(&self, vpc: &str, subnet: &str) -> R<usize> {
        self.rtbs.map_err(|r| vec![format!("ec2 route tables in {}: {r}", self.where_())])?;
        if self.edge_vpcs.contains(vpc) {
            return missing(format!("{vpc} has a gateway route table (ingress routing), which is not modelled yet"));
        }
        self.rtb_by_subnet
            .get(subnet)
            .or_else(|| self.main_rtb.get(vpc))
            .copied()
            .ok_or_else(|| vec![format!("no route table for subnet {subnet} in the inventory")])
    }

    pub fn rtb(&self, i: usize) -> &'a RouteTable {
        match self.rtbs {
            Ok(v) => &v[i],
            Err(_) => unreachable!("route table index exists only when route tables are known"),
        }
    }

    pub fn nacl_idx(&self, subnet: &str) -> R<usize> {
        self.nacls.map_err(|r| vec![format!("ec2 network ACLs in {}: {r}", self.where_())])?;
        self.nacl_by_subnet.get(subnet).copied().ok_or_else(|| vec![format!("no network ACL for subnet {subnet} in the inventory")])
    }

    pub fn nacl(&self, i: usize) -> &'a NetworkAcl {
        match self.nacls {
            Ok(v) => &v[i],
            Err(_) => unreachable!("network ACL index exists only when network ACLs are known"),
        }
    }

    pub fn groups(&self, eni: &NetworkInterface) -> R<Vec<&'a SecurityGroup>> {
        let mut out = Vec::new();
        for id in &eni.security_group_ids {
            match self.sgs.get(id.as_str()) {
                Some(g) => out.push(*g),
                None => return missing(format!("security group {id} of {} is not in the inventory", eni.network_interface_id)),
            }
        }
        Ok(out)
    }

    pub fn group(&self, id: &str) -> Option<&'a SecurityGroup> {
        self.sgs.get(id).copied()
    }

    /// The entries of a prefix list for one family.
    pub fn prefix_list(&self, id: &str, fam: Family) -> R<AddrSet> {
        let pls = self.pls.as_ref().map_err(|r| vec![format!("ec2 managed prefix lists in {}: {r}", self.where_())])?;
        let pl = pls.get(id).ok_or_else(|| vec![format!("prefix list {id} is not in the inventory")])?;
        let entries = pl.entries.as_result().map_err(|r| vec![format!("entries of prefix list {id}: {r}")])?;
        let mut ivs = Vec::new();
        for c in entries {
            if let Some((f, s)) = parse_cidr(c) {
                if f == fam {
                    ivs.extend_from_slice(s.intervals());
                }
            }
        }
        Ok(AddrSet::from_ranges(ivs))
    }

    /// The attached internet gateway of a VPC, when known.
    pub fn igw_of(&self, vpc: &str) -> Option<&'a str> {
        self.ec2.internet_gateways.known()?.iter().find(|g| g.attached_vpc_ids.iter().any(|v| v == vpc)).map(|g| g.id.as_str())
    }
}

// ---------------------------------------------------------------- routes

/// Sources whose return traffic the route table sends to an internet gateway.
pub(crate) struct RouteEval {
    pub igw: AddrSet,
    pub local: AddrSet,
    /// (route label, igw id, sources it decides)
    pub contrib: Vec<(String, String, AddrSet)>,
}

fn route_dest(ctx: &Ctx, r: &Route, fam: Family) -> R<Option<(u32, AddrSet)>> {
    let c = match fam {
        Family::Ipv4 => r.destination_cidr_block.as_deref(),
        Family::Ipv6 => r.destination_ipv6_cidr_block.as_deref(),
    };
    if let Some(c) = c {
        return Ok(parse_cidr(c).filter(|(f, _)| *f == fam).map(|(_, s)| (prefix_len(c), s)));
    }
    if let Some(pl) = &r.destination_prefix_list_id {
        // Prefix-list routes: every entry is its own destination; they carry the shortest
        // length of the list so that a CIDR route of equal or greater length wins.
        let s = ctx.prefix_list(pl, fam)?;
        return Ok(if s.is_empty() { None } else { Some((0, s)) });
    }
    Ok(None)
}

fn prefix_len(c: &str) -> u32 {
    c.rsplit_once('/').and_then(|(_, l)| l.parse().ok()).unwrap_or(0)
}

pub(crate) fn route_label(r: &Route) -> String {
    let dest = r
        .destination_cidr_block
        .as_deref()
        .or(r.destination_ipv6_cidr_block.as_deref())
        .or(r.destination_prefix_list_id.as_deref())
        .unwrap_or("?");
    if r.state == "active" {
        format!("{dest} → {}", r.target)
    } else {
        format!("{dest} → {} ({})", r.target, r.state)
    }
}

/// Only an internet gateway route carries internet traffic: a `pcx-` route never does, even
/// when the peer VPC has an internet gateway (no edge-to-edge routing,
/// <https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html>).
pub(crate) fn is_igw_route(r: &Route) -> bool {
    r.state == "active" && r.target.starts_with("igw-")
}

/// Longest-prefix match over the whole address space at once (VPC_Route_Tables.html, "Route
/// priority": "we use the most specific route that matches ... IPv4 and IPv6 ... independent").
/// Routes are painted from the longest prefix down; each decides the addresses no longer route
/// decided. The local route wins a tie.
fn eval_routes(ctx: &Ctx, t: &RouteTable, fam: Family) -> R<RouteEval> {
    let mut items = Vec::new();
    for r in &t.routes {
        if let Some((len, set)) = route_dest(ctx, r, fam)? {
            items.push((len, r.target != "local", set, r));
        }
    }
    items.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut covered = AddrSet::empty();
    let mut ev = RouteEval { igw: AddrSet::empty(), local: AddrSet::empty(), contrib: Vec::new() };
    for (_, _, set, r) in items {
        let newly = set.difference(&covered);
        if newly.is_empty() {
            continue;
        }
        covered = covered.union(&set);
        if r.target == "local" {
            ev.local = ev.local.union(&newly);
        } else if is_igw_route(r) {
            ev.igw = ev.igw.union(&newly);
            ev.contrib.push((route_label(r), r.target.clone(), newly));
        }
    }
    Ok(ev)
}

/// The non-internet blocks of route table `rtb` (of `vpc`), named for
/// [`sources_text`](crate::describe::sources_text): the
/// VPC's own range, peered VPCs, other gateways.
pub(crate) fn named_blocks(ctx: &Ctx, rtb: usize, vpc: &str, fam: Family) -> Vec<NamedBlock> {
    let peers = ctx.ec2.vpc_peering_connections.known();
    route_blocks(ctx.rtb(rtb), fam, |pcx| {
        let p = peers?.iter().find(|p| p.vpc_peering_connection_id == pcx)?;
        Some(if p.requester_vpc_id == vpc { p.accepter_vpc_id.clone() } else { p.requester_vpc_id.clone() })
    })
}

/// The route the table uses for one address.
pub(crate) fn lookup_route<'a>(ctx: &Ctx, t: &'a RouteTable, fam: Family, a: u128) -> Option<&'a Route> {
    let mut best: Option<(u32, bool, &Route)> = None;
    for r in &t.routes {
        if let Ok(Some((len, set))) = route_dest(ctx, r, fam) {
            if set.contains(a) {
                let key = (len, r.target == "local");
                let better = match best {
                    None => true,
                    Some(b) => key > (b.0, b.1),
                };
                if better {
                    best = Some((len, r.target == "local", r));
                }
            }
        }
    }
    best.map(|b| b.2)
}

// ---------------------------------------------------------------- security groups

/// The addresses a rule's peer stands for; `None` for group references, which never match an
/// internet source (security-group-rules.html: a referenced group admits "traffic from the
/// network interfaces associated with" it).
pub(crate) fn peer_set(ctx: &Ctx, peer: &SgPeer, fam: Family) -> R<Option<AddrSet>> {
    Ok(match peer {
        SgPeer::Cidr4(c) | SgPeer::Cidr6(c) => parse_cidr(c).filter(|(f, _)| *f == fam).map(|(_, s)| s),
        SgPeer::PrefixList(id) => Some(ctx.prefix_list(id, fam)?),
        SgPeer::Group { .. } => None,
    })
}

pub(crate) fn peer_label(peer: &SgPeer) -> String {
    match peer {
        SgPeer::Cidr4(c) | SgPeer::Cidr6(c) | SgPeer::PrefixList(c) => c.clone(),
        SgPeer::Group { group_id, .. } => group_id.clone(),
    }
}

pub(crate) fn rule_label(r: &SgRule, p: Protocol) -> String {
    let ports = match rule_proto(&r.ip_protocol) {
        Some(rp) => {
            let (l, h) = rule_ports(rp, p, r.from_port, r.to_port);
            crate::set::ports_text(&PortSet::range(l, h))
        }
        None => "?".into(),
    };
    let proto = if r.ip_protocol == "-1" { "all".to_string() } else { p.to_string() };
    format!("{proto} {ports} from {}", peer_label(&r.peer))
}

/// A rule as (protocol match, port range) for `p`.
pub(crate) fn sg_rule_ports(r: &SgRule, p: Protocol) -> Option<(u16, u16)> {
    let rp = rule_proto(&r.ip_protocol)?;
    proto_matches(rp, p).then(|| rule_ports(rp, p, r.from_port, r.to_port))
}

/// Security groups are stateful and allow-only: the union of the ingress rules of every group.
fn sg_zone(ctx: &Ctx, groups: &[&SecurityGroup], p: Protocol, fam: Family) -> R<Zone> {
    let mut rects = Vec::new();
    for g in groups {
        for r in &g.ingress {
            let Some((lo, hi)) = sg_rule_ports(r, p) else {
                continue;
            };
            if let Some(s) = peer_set(ctx, &r.peer, fam)? {
                if !s.is_empty() {
                    rects.push((lo, hi, s));
                }
            }
        }
    }
    Ok(union_zone(&rects, port_universe(p)))
}

/// Whether the groups admit `f` from (ingress) or to (egress) a given interface: its address
/// `peer_ip` or one of its groups.
pub(crate) fn sg_admits_eni(ctx: &Ctx, groups: &[&SecurityGroup], ingress: bool, f: Flow, peer: &NetworkInterface, peer_ip: u128) -> bool {
    groups.iter().any(|g| {
        let rules = if ingress { &g.ingress } else { &g.egress };
        rules.iter().any(|r| {
            let Some((lo, hi)) = sg_rule_ports(r, f.p) else {
                return false;
            };
            if f.port < lo || f.port > hi {
                return false;
            }
            match &r.peer {
                SgPeer::Group { group_id, .. } => peer.security_group_ids.iter().any(|x| x == group_id),
                other => matches!(peer_set(ctx, other, f.fam), Ok(Some(s)) if s.contains(peer_ip)),
            }
        })
    })
}

// ---------------------------------------------------------------- per-worker cache

/// Sorted group ids, protocol, family.
type SgKey<'a> = (Vec<&'a str>, Protocol, Family);

#[derive(Default)]
pub(crate) struct Cache<'a> {
    routes: HashMap<(usize, Family), Rc<R<RouteEval>>>,
    nacls: HashMap<(usize, bool, bool, Protocol, Family), Rc<NaclEval>>,
    sgs: HashMap<SgKey<'a>, Rc<R<Zone>>>,
    /// The named non-internet blocks of a route table (of a VPC) per family, for the source
    /// lists in words: read once per table, not once per exposed range.
    names: HashMap<(usize, &'a str, Family), Rc<Vec<NamedBlock>>>,
}

impl<'a> Cache<'a> {
    /// [`sources_text`](crate::describe::sources_text) of `set` (whose CIDR blocks are
    /// `listed`) with the blocks of route table `rtb` (of `vpc`) named.
    pub fn sources_text(&mut self, ctx: &Ctx<'a>, rtb: usize, vpc: &'a str, fam: Family, set: &AddrSet, listed: &[String]) -> String {
        let names = self.names.entry((rtb, vpc, fam)).or_insert_with(|| Rc::new(named_blocks(ctx, rtb, vpc, fam)));
        sources_text_listed(set, fam, listed, names)
    }

    pub fn routes(&mut self, ctx: &Ctx<'a>, rtb: usize, fam: Family) -> Rc<R<RouteEval>> {
        self.routes.entry((rtb, fam)).or_insert_with(|| Rc::new(eval_routes(ctx, ctx.rtb(rtb), fam))).clone()
    }

    /// One direction of a NACL; `return_leg` evaluates the client's ephemeral ports.
    pub fn nacl(&mut self, ctx: &Ctx<'a>, n: usize, egress: bool, return_leg: bool, p: Protocol, fam: Family) -> Rc<NaclEval> {
        self.nacls
            .entry((n, egress, return_leg, p, fam))
            .or_insert_with(|| {
                let within = if return_leg { ephemeral(p) } else { port_universe(p) };
                Rc::new(eval_nacl(ctx.nacl(n), egress, p, fam, within))
            })
            .clone()
    }

    fn sg(&mut self, ctx: &Ctx<'a>, groups: &[&'a SecurityGroup], p: Protocol, fam: Family) -> Rc<R<Zone>> {
        let mut key: Vec<&'a str> = groups.iter().map(|g| g.group_id.as_str()).collect();
        key.sort_unstable();
        key.dedup();
        self.sgs.entry((key, p, fam)).or_insert_with(|| Rc::new(sg_zone(ctx, groups, p, fam))).clone()
    }
}

// ---------------------------------------------------------------- one interface

/// Internet-facing NLBs created without security groups filter nothing at the load balancer.
fn sg_less_nlb(eni: &NetworkInterface) -> bool {
    eni.interface_type == "network_load_balancer" && eni.security_group_ids.is_empty()
}

pub(crate) fn families(eni: &NetworkInterface) -> Vec<Family> {
    let mut f = Vec::new();
    // VPC_Internet_Gateway.html: IPv4 internet traffic needs a public IPv4 or Elastic IP on the
    // interface; IPv6 needs an IPv6 address (IPv6 addresses are globally unique).
    if !eni.public_ips.is_empty() {
        f.push(Family::Ipv4);
    }
    if !eni.ipv6_addresses.is_empty() {
        f.push(Family::Ipv6);
    }
    f
}

pub(crate) fn protocols(groups: &[&SecurityGroup], fam: Family) -> Vec<Protocol> {
    let mut ps: BTreeSet<Protocol> = [Protocol::TCP, Protocol::UDP].into_iter().collect();
    ps.insert(if fam == Family::Ipv4 { Protocol::ICMP } else { Protocol::ICMPV6 });
    for g in groups {
        for r in &g.ingress {
            if let Some(RuleProto::Num(n)) = rule_proto(&r.ip_protocol) {
                if !(fam == Family::Ipv4 && n == 58 || fam == Family::Ipv6 && n == 1) {
                    ps.insert(Protocol(n));
                }
            }
        }
    }
    ps.into_iter().collect()
}

/// Direct internet exposure of one interface.
pub(crate) fn eni_direct<'a>(ctx: &Ctx<'a>, cache: &mut Cache<'a>, eni: &'a NetworkInterface) -> R<Vec<ExposedRange>> {
    let rtb = ctx.route_table(eni)?;
    let nacl = ctx.nacl_idx(&eni.subnet_id)?;
    let groups = ctx.groups(eni)?;
    let no_sg = sg_less_nlb(eni);
    let mut out = Vec::new();
    for fam in families(eni) {
        let routes = cache.routes(ctx, rtb, fam);
        let routes = routes.as_ref().as_ref().map_err(Clone::clone)?;
        if routes.igw.is_empty() {
            continue;
        }
        for p in protocols(&groups, fam) {
            let sg = if no_sg {
                Rc::new(Ok(vec![(port_universe(p).0, port_universe(p).1, universe(fam))]))
            } else {
                cache.sg(ctx, &groups, p, fam)
            };
            let sg = sg.as_ref().as_ref().map_err(Clone::clone)?;
            if sg.is_empty() {
                continue;
            }
            let nin = cache.nacl(ctx, nacl, false, false, p, fam);
            let ret = cache.nacl(ctx, nacl, true, true, p, fam);
            let sources = routes.igw.intersect(&ret.any);
            let z = intersect_zone(sg, &nin.zone(), &sources);
            for (ports, src) in group(&z) {
                let path = DirectPath { eni, groups: &groups, no_sg, rtb, routes, nacl, nin: &nin, ret: &ret };
                let steps = direct_steps(ctx, &path, p, fam, &ports, &src);
                let sources = to_cidrs(&src, fam);
                out.push(ExposedRange {
                    protocol: p,
                    family: fam,
                    ports,
                    sources_text: cache.sources_text(ctx, rtb, &eni.vpc_id, fam, &src, &sources),
                    sources,
                    source_set: src,
                    steps,
                });
            }
        }
    }
    Ok(out)
}

/// Groups a zone by source set: each distinct source set with all its ports.
fn group(z: &Zone) -> Vec<(PortSet, AddrSet)> {
    let mut m: BTreeMap<&AddrSet, Vec<(u16, u16)>> = BTreeMap::new();
    for (lo, hi, a) in z {
        m.entry(a).or_default().push((*lo, *hi));
    }
    let mut v: Vec<(PortSet, AddrSet)> = m.into_iter().map(|(a, ports)| (PortSet::from_ranges(ports), a.clone())).collect();
    v.sort();
    v
}

/// The components of one interface's direct internet path, as evaluated for one protocol and
/// family: what `direct_steps` names for each exposed block.
struct DirectPath<'x> {
    eni: &'x NetworkInterface,
    groups: &'x [&'x SecurityGroup],
    no_sg: bool,
    rtb: usize,
    routes: &'x RouteEval,
    nacl: usize,
    nin: &'x NaclEval,
    ret: &'x NaclEval,
}

fn direct_steps(ctx: &Ctx, path: &DirectPath, p: Protocol, fam: Family, ports: &PortSet, src: &AddrSet) -> Vec<Step> {
    let DirectPath { eni, groups, no_sg, rtb, routes, nacl, nin, ret } = *path;
    let mut steps = Vec::new();
    let mut igws = BTreeSet::new();
    let mut route_rules = Vec::new();
    for (label, igw, s) in &routes.contrib {
        if s.intersects(src) {
            igws.insert(igw.as_str());
            route_rules.push(label.clone());
        }
    }
    for igw in igws {
        steps.push(Step::new(igw, ComponentType::Igw, Vec::new()));
    }
    steps.push(Step::new(&ctx.rtb(rtb).route_table_id, ComponentType::RouteTable, route_rules));
    let mut nacl_rules: Vec<String> = nin.rules_for(ports, src).into_iter().map(|n| format!("inbound #{n} allow")).collect();
    nacl_rules.extend(ret.rules_for(&PortSet::full(), src).into_iter().map(|n| format!("outbound #{n} allow (return to ephemeral ports)")));
    steps.push(Step::new(&ctx.nacl(nacl).network_acl_id, ComponentType::Nacl, nacl_rules));
    if !no_sg {
        for g in groups {
            let rules: Vec<String> = g
                .ingress
                .iter()
                .filter(|r| {
                    let Some((lo, hi)) = sg_rule_ports(r, p) else {
                        return false;
                    };
                    ports.intersects(&PortSet::range(lo, hi)) && matches!(peer_set(ctx, &r.peer, fam), Ok(Some(s)) if s.intersects(src))
                })
                .map(|r| rule_label(r, p))
                .collect();
            if !rules.is_empty() {
                steps.push(Step::new(&g.group_id, ComponentType::SecurityGroup, rules));
            }
        }
    }
    steps.push(Step::new(&eni.network_interface_id, ComponentType::Eni, Vec::new()));
    steps
}

// ---------------------------------------------------------------- load balancers

pub(crate) struct Lb<'a> {
    pub id: String,
    pub kind: &'static str,
    /// `internet-facing` scheme (else `internal`).
    pub internet_facing: bool,
    pub sgs: Vec<&'a str>,
    pub enis: Vec<usize>,
    pub hops: Vec<Hop>,
    /// Inputs that were not read (listeners, target groups).
    pub missing: Missing,
}

pub(crate) struct Hop {
    pub listener: String,
    pub protos: Vec<Protocol>,
    pub lb_port: u16,
    pub tg: Option<String>,
    /// (target interface, target port, client address preserved for IPv4)
    pub targets: Vec<(usize, u16, bool)>,
}

fn listener_protos(p: &str) -> Vec<Protocol> {
    match p.to_ascii_uppercase().as_str() {
        "UDP" | "QUIC" => vec![Protocol::UDP],
        "TCP_UDP" | "TCP_QUIC" => vec![Protocol::TCP, Protocol::UDP],
        _ => vec![Protocol::TCP],
    }
}

fn instance_eni(ctx: &Ctx, instance_id: &str) -> Option<usize> {
    let primary_ip = ctx
        .ec2
        .instances
        .known()
        .and_then(|v| v.iter().find(|i| i.instance_id == instance_id))
        .and_then(|i| i.private_ip_address.as_deref())
        .and_then(|ip| ip.parse().ok())
        .map(|ip| addr_point(ip).1);
    if let Some(i) = primary_ip.and_then(|a| ctx.eni_by_ip.get(&a)) {
        return Some(*i);
    }
    ctx.enis
        .iter()
        .enumerate()
        .filter(|(_, e)| e.attachment_instance_id.as_deref() == Some(instance_id))
        .min_by(|a, b| a.1.network_interface_id.cmp(&b.1.network_interface_id))
        .map(|(i, _)| i)
}

fn port16(p: i32) -> Option<u16> {
    u16::try_from(p).ok()
}

/// Internet-facing load balancers of the region, with their interfaces and listener → target
/// hops. `Err` lines when the load balancer inventory was not read although load balancer
/// interfaces exist (then those VPCs cannot be answered).
pub(crate) fn load_balancers<'a>(ctx: &Ctx<'a>) -> (Vec<Lb<'a>>, Vec<(String, String)>) {
    let (mut lbs, unread) = all_load_balancers(ctx);
    lbs.retain(|l| l.internet_facing);
    (lbs, unread)
}

/// Every load balancer of the region (internet-facing and internal), as [`load_balancers`].
pub(crate) fn all_load_balancers<'a>(ctx: &Ctx<'a>) -> (Vec<Lb<'a>>, Vec<(String, String)>) {
    let mut lbs = Vec::new();
    let mut unread = Vec::new();
    let mut lb_enis: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in ctx.enis.iter().enumerate() {
        if let Some(d) = e.description.strip_prefix("ELB ") {
            lb_enis.entry(d).or_default().push(i);
        }
    }
    let has_v2 = lb_enis.keys().any(|k| k.starts_with("app/") || k.starts_with("net/"));
    let has_classic = lb_enis.keys().any(|k| !k.starts_with("app/") && !k.starts_with("net/") && !k.starts_with("gwy/"));
    match ctx.region.elbv2.as_result() {
        Err(r) if has_v2 => unread.push(("elbv2".to_string(), r.to_string())),
        Err(_) => {}
        Ok(v2) => {
            for lb in &v2.load_balancers {
                let kind = match lb.kind.as_str() {
                    "application" => "application",
                    "network" => "network",
                    _ => continue,
                };
                let suffix = lb.arn.split_once(":loadbalancer/").map(|x| x.1).unwrap_or("");
                let mut out = Lb {
                    id: lb.arn.clone(),
                    kind,
                    internet_facing: lb.scheme == "internet-facing",
                    sgs: lb.security_groups.iter().map(String::as_str).collect(),
                    enis: lb_enis.get(suffix).cloned().unwrap_or_default(),
                    hops: Vec::new(),
                    missing: Vec::new(),
                };
                match lb.listeners.as_result() {
                    Err(r) => out.missing.push(format!("listeners of {}: {r}", lb.arn)),
                    Ok(ls) => {
                        for l in ls {
                            let Some(lb_port) = port16(l.port) else {
                                continue;
                            };
                            let label = format!("{} {}", l.protocol, l.port);
                            for tga in &l.default_target_group_arns {
                                let Some(tg) = v2.target_groups.iter().find(|t| &t.arn == tga) else {
                                    out.missing.push(format!("target group {tga} is not in the inventory"));
                                    continue;
                                };
                                let targets = match tg.targets.as_result() {
                                    Err(r) => {
                                        out.missing.push(format!("targets of {}: {r}", tg.arn));
                                        continue;
                                    }
                                    Ok(t) => t,
                                };
                                let tg_proto = tg.protocol.as_deref().unwrap_or("").to_ascii_uppercase();
                                let mut hop = Hop {
                                    listener: label.clone(),
                                    protos: listener_protos(&l.protocol),
                                    lb_port,
                                    tg: Some(tg.arn.clone()),
                                    targets: Vec::new(),
                                };
                                for t in targets {
                                    let Some(port) = t.port.or(tg.port).and_then(port16) else {
                                        continue;
                                    };
                                    // Client IP preservation defaults (edit-target-group-attributes.html):
                                    // NLB instance targets: on; NLB IP targets: on for UDP/TCP_UDP/QUIC only;
                                    // ALB: the target always sees the load balancer's address.
                                    let (eni, preserve) = match tg.target_type.as_str() {
                                        "instance" => (instance_eni(ctx, &t.id), kind == "network"),
                                        "ip" => (
                                            t.id.parse().ok().and_then(|ip| ctx.eni_by_ip.get(&addr_point(ip).1).copied()),
                                            kind == "network" && matches!(tg_proto.as_str(), "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC"),
                                        ),
                                        _ => (None, false),
                                    };
                                    if let Some(e) = eni {
                                        hop.targets.push((e, port, preserve));
                                    }
                                }
                                out.hops.push(hop);
                            }
                        }
                    }
                }
                lbs.push(out);
            }
        }
    }
    match ctx.region.elb.as_result() {
        Err(r) if has_classic => unread.push(("elb".to_string(), r.to_string())),
        Err(_) => {}
        Ok(classic) => {
            for lb in classic {
                let mut out = Lb {
                    id: lb.name.clone(),
                    kind: "classic",
                    internet_facing: lb.scheme == "internet-facing",
                    sgs: lb.security_groups.iter().map(String::as_str).collect(),
                    enis: lb_enis.get(lb.name.as_str()).cloned().unwrap_or_default(),
                    hops: Vec::new(),
                    missing: Vec::new(),
                };
                for l in &lb.listeners {
                    let (Some(lb_port), Some(port)) = (port16(l.load_balancer_port), port16(l.instance_port)) else {
                        continue;
                    };
                    out.hops.push(Hop {
                        listener: format!("{} {}", l.protocol, l.load_balancer_port),
                        protos: vec![Protocol::TCP],
                        lb_port,
                        tg: None,
                        targets: lb.instance_ids.iter().filter_map(|i| instance_eni(ctx, i)).map(|e| (e, port, false)).collect(),
                    });
                }
                lbs.push(out);
            }
        }
    }
    (lbs, unread)
}

pub(crate) fn primary_ip(e: &NetworkInterface) -> Option<u128> {
    e.private_ip_addresses.iter().filter_map(|ip| ip.parse().ok()).map(|ip| addr_point(ip).1).next()
}

/// Adds, to each target interface in `results`, what reaches it through the load balancer.
/// The load balancer's own interfaces keep only their listener ports.
pub(crate) fn apply_load_balancers<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    lbs: &[Lb<'a>],
    results: &mut HashMap<usize, R<Vec<ExposedRange>>>,
) {
    for lb in lbs {
        // 1. The load balancer's interfaces: only listener ports answer.
        let mut front: Vec<(usize, ExposedRange)> = Vec::new();
        // What the targets cannot be told without: an interface of the load balancer whose
        // own exposure is unknown hides what reaches them through it.
        let mut unknown_front: Missing = Vec::new();
        for &li in &lb.enis {
            let Some(res) = results.get_mut(&li) else {
                continue;
            };
            if !lb.missing.is_empty() {
                *res = Err(lb.missing.clone());
                continue;
            }
            let ranges = match res {
                Ok(r) => r,
                Err(m) => {
                    unknown_front.extend(m.iter().cloned());
                    continue;
                }
            };
            let mut kept = Vec::new();
            for r in ranges.iter() {
                let mut listeners = BTreeSet::new();
                for h in &lb.hops {
                    if h.protos.contains(&r.protocol) && r.ports.contains(h.lb_port) {
                        listeners.insert((h.lb_port, h.listener.clone()));
                    }
                }
                for (port, label) in listeners {
                    let mut nr = r.clone();
                    nr.ports = PortSet::point(port);
                    nr.steps.push(Step::new(&lb.id, ComponentType::LoadBalancer, vec![lb.kind.to_string()]));
                    nr.steps.push(Step::new(&label, ComponentType::Listener, Vec::new()));
                    front.push((li, nr.clone()));
                    kept.push(nr);
                }
            }
            *ranges = kept;
        }
        // 2. Listener → target group → target.
        for h in &lb.hops {
            for &(ti, port, preserve) in &h.targets {
                let target = &ctx.enis[ti];
                let Some(Ok(_)) = results.get(&ti) else {
                    continue;
                };
                if !unknown_front.is_empty() {
                    results.insert(ti, Err(unknown_front.clone()));
                    continue;
                }
                let tgroups = match ctx.groups(target) {
                    Ok(g) => g,
                    Err(m) => {
                        results.insert(ti, Err(m));
                        continue;
                    }
                };
                let Some(tip) = primary_ip(target) else {
                    continue;
                };
                for p in &h.protos {
                    for (li, fr) in front.iter().filter(|(_, r)| r.protocol == *p && r.ports.contains(h.lb_port)) {
                        if !fr.steps.iter().any(|s| s.component_id == h.listener) {
                            continue;
                        }
                        let lbe = &ctx.enis[*li];
                        let t = Target { eni: target, groups: &tgroups, ip: tip, port, preserve };
                        let hop = hop_sources(ctx, cache, lb, lbe, &t, fr);
                        let (src, rules) = match hop {
                            Ok(x) => x,
                            Err(m) => {
                                results.insert(ti, Err(m));
                                break;
                            }
                        };
                        if src.is_empty() {
                            continue;
                        }
                        let mut steps = fr.steps.clone();
                        if let Some(tg) = &h.tg {
                            steps.push(Step::new(tg, ComponentType::TargetGroup, Vec::new()));
                        }
                        if lbe.subnet_id != target.subnet_id {
                            if let Ok(n) = ctx.nacl_idx(&target.subnet_id) {
                                steps.push(Step::new(&ctx.nacl(n).network_acl_id, ComponentType::Nacl, Vec::new()));
                            }
                        }
                        steps.extend(rules);
                        steps.push(Step::new(&target.network_interface_id, ComponentType::Eni, Vec::new()));
                        if let Some(Ok(v)) = results.get_mut(&ti) {
                            let sources = to_cidrs(&src, fr.family);
                            v.push(ExposedRange {
                                protocol: *p,
                                family: fr.family,
                                ports: PortSet::point(port),
                                sources_text: match ctx.route_table(lbe) {
                                    Ok(t) => cache.sources_text(ctx, t, &lbe.vpc_id, fr.family, &src, &sources),
                                    Err(_) => sources_text_listed(&src, fr.family, &sources, &[]),
                                },
                                sources,
                                source_set: src,
                                steps,
                            });
                        }
                    }
                }
            }
        }
    }
}

/// One registered target of a listener, as the load balancer reaches it.
pub(crate) struct Target<'a, 'g> {
    pub eni: &'a NetworkInterface,
    pub groups: &'g [&'a SecurityGroup],
    /// The target's primary private address.
    pub ip: u128,
    /// The port the target listens on.
    pub port: u16,
    /// Whether the target sees the client's address (client IP preservation).
    pub preserve: bool,
}

/// The internet sources that get from one load balancer interface to one target, and the
/// target's security group steps.
pub(crate) fn hop_sources<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    lb: &Lb<'a>,
    lbe: &'a NetworkInterface,
    t: &Target<'a, '_>,
    fr: &ExposedRange,
) -> R<(AddrSet, Vec<Step>)> {
    let Target { eni: target, groups: tgroups, ip: tip, port, preserve } = *t;
    let p = fr.protocol;
    let Some(lip) = primary_ip(lbe) else {
        return Ok((AddrSet::empty(), Vec::new()));
    };
    // Private addresses are IPv4 here; IPv6 clients reach IPv4 targets from the load balancer's
    // address (edit-target-group-attributes.html, client IP preservation table).
    let fam = Family::Ipv4;
    let to_target = Flow { p, port, fam };
    let lb_groups: Vec<&SecurityGroup> = lb.sgs.iter().filter_map(|g| ctx.group(g)).collect();
    if !lb.sgs.is_empty() && !sg_admits_eni(ctx, &lb_groups, false, to_target, target, tip) {
        return Ok((AddrSet::empty(), Vec::new()));
    }
    if preserve && fr.family == Family::Ipv4 {
        // The target sees the client: its groups and subnet ACL filter client addresses.
        let z = cache.sg(ctx, tgroups, p, fam);
        let z = z.as_ref().as_ref().map_err(Clone::clone)?;
        let mut src = zone_at(z, port).cloned().unwrap_or_default().intersect(&fr.source_set);
        if lbe.subnet_id != target.subnet_id {
            let (nl, nt) = (ctx.nacl_idx(&lbe.subnet_id)?, ctx.nacl_idx(&target.subnet_id)?);
            if !cache.nacl(ctx, nl, true, false, p, fam).allows(port, tip) {
                return Ok((AddrSet::empty(), Vec::new()));
            }
            let nin = cache.nacl(ctx, nt, false, false, p, fam);
            src = src.intersect(zone_at(&nin.zone(), port).unwrap_or(&AddrSet::empty()));
            src = src.intersect(&cache.nacl(ctx, nt, true, true, p, fam).any);
        }
        let steps = target_sg_steps(ctx, tgroups, p, port, |r| matches!(peer_set(ctx, &r.peer, fam), Ok(Some(s)) if s.intersects(&src)));
        return Ok((src, steps));
    }
    // The target sees the load balancer's private address.
    if !sg_admits_eni(ctx, tgroups, true, to_target, lbe, lip) || !nacl_legs_ok(ctx, cache, (lbe, lip), (target, tip), to_target)? {
        return Ok((AddrSet::empty(), Vec::new()));
    }
    let steps = target_sg_steps(ctx, tgroups, p, port, |r| match &r.peer {
        SgPeer::Group { group_id, .. } => lbe.security_group_ids.iter().any(|x| x == group_id),
        other => matches!(peer_set(ctx, other, fam), Ok(Some(s)) if s.contains(lip)),
    });
    Ok((fr.source_set.clone(), steps))
}

fn target_sg_steps(_ctx: &Ctx, groups: &[&SecurityGroup], p: Protocol, port: u16, peer_ok: impl Fn(&SgRule) -> bool) -> Vec<Step> {
    let mut steps = Vec::new();
    for g in groups {
        let rules: Vec<String> = g
            .ingress
            .iter()
            .filter(|r| matches!(sg_rule_ports(r, p), Some((lo, hi)) if lo <= port && port <= hi) && peer_ok(r))
            .map(|r| rule_label(r, p))
            .collect();
        if !rules.is_empty() {
            steps.push(Step::new(&g.group_id, ComponentType::SecurityGroup, rules));
        }
    }
    steps
}

// ---------------------------------------------------------------- whole region

/// Exposure of the given interfaces of a region (all when `only` is `None`), load balancer
/// paths included.
pub(crate) fn analyze<'a>(ctx: &Ctx<'a>, only: Option<&[usize]>) -> HashMap<usize, R<Vec<ExposedRange>>> {
    let (lbs, unread) = load_balancers(ctx);
    let mut wanted: Vec<usize> = match only {
        Some(v) => v.to_vec(),
        None => (0..ctx.enis.len()).collect(),
    };
    if only.is_some() {
        wanted.extend(lbs.iter().flat_map(|l| l.enis.iter().copied()));
        wanted.sort_unstable();
        wanted.dedup();
    }
    // VPCs holding load balancer interfaces whose load balancers were not read.
    let blind: HashSet<&str> = if unread.is_empty() {
        HashSet::new()
    } else {
        ctx.enis.iter().filter(|e| e.description.starts_with("ELB ")).map(|e| e.vpc_id.as_str()).collect()
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = wanted.len().div_ceil(workers).max(256);
    let mut results: HashMap<usize, R<Vec<ExposedRange>>> = HashMap::with_capacity(wanted.len());
    let parts: Vec<Vec<(usize, R<Vec<ExposedRange>>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = wanted
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut cache = Cache::default();
                    part.iter().map(|&i| (i, eni_direct(ctx, &mut cache, &ctx.enis[i]))).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    for part in parts {
        results.extend(part);
    }
    let mut cache = Cache::default();
    apply_load_balancers(ctx, &mut cache, &lbs, &mut results);
    // Several load balancer nodes reach a target with the same block: keep the first path.
    for v in results.values_mut().flatten() {
        let mut seen = HashSet::new();
        v.retain(|x| seen.insert((x.protocol, x.family, x.ports.clone(), x.source_set.clone())));
    }
    for (i, r) in results.iter_mut() {
        if blind.contains(ctx.enis[*i].vpc_id.as_str()) {
            *r = Err(unread.iter().map(|(svc, why)| format!("{svc} load balancers in {}: {why}", ctx.region.name)).collect());
        }
    }
    results
}

pub(crate) fn subject(ctx: &Ctx, eni: &NetworkInterface) -> (String, String) {
    if let Some(i) = &eni.attachment_instance_id {
        return (i.clone(), "instance".into());
    }
    if let Some(d) = eni.description.strip_prefix("ELB ") {
        if let Some(v2) = ctx.region.elbv2.known() {
            if let Some(lb) = v2.load_balancers.iter().find(|l| l.arn.ends_with(&format!(":loadbalancer/{d}"))) {
                return (lb.arn.clone(), "load_balancer".into());
            }
        }
        return (d.to_string(), "load_balancer".into());
    }
    // Interface VPC endpoints: their requester-managed interfaces, named after the endpoint.
    if eni.interface_type == "vpc_endpoint" {
        let owner =
            ctx.ec2.vpc_endpoints.known().into_iter().flatten().find(|v| v.network_interface_ids.contains(&eni.network_interface_id));
        if let Some(v) = owner {
            return (v.vpc_endpoint_id.clone(), "vpc_endpoint".into());
        }
    }
    let t = if eni.interface_type.is_empty() || eni.interface_type == "interface" {
        "network_interface".to_string()
    } else {
        eni.interface_type.clone()
    };
    (eni.network_interface_id.clone(), t)
}

/// For every network interface of every region: exactly what the internet can reach on it
/// (IPv4 and IPv6; protocol, port ranges, source prefixes), each with its path. Regions whose
/// interfaces were not read yield one `Unknown` entry; interfaces whose route table, network
/// ACL, security groups, prefix lists or load balancers were not read are `Unknown`.
pub fn internet_exposure(inv: &Inventory) -> Vec<Exposure> {
    let mut out = Vec::new();
    for (account, region) in inv.regions() {
        let ctx = match Ctx::new(account, region) {
            Ok(c) => c,
            Err(m) => {
                out.push(Exposure {
                    account_id: account.id.clone(),
                    region: region.name.clone(),
                    resource_id: region.name.clone(),
                    resource_type: "region".into(),
                    network_interface_id: None,
                    status: Status::Unknown { missing: vec![m] },
                });
                continue;
            }
        };
        let mut results = analyze(&ctx, None);
        let (lbs, _) = load_balancers(&ctx);
        for lb in &lbs {
            if lb.enis.is_empty() {
                out.push(Exposure {
                    account_id: account.id.clone(),
                    region: region.name.clone(),
                    resource_id: lb.id.clone(),
                    resource_type: "load_balancer".into(),
                    network_interface_id: None,
                    status: Status::Unknown { missing: vec![format!("no network interface of {} in the inventory", lb.id)] },
                });
            }
        }
        for (i, eni) in ctx.enis.iter().enumerate() {
            let (resource_id, resource_type) = subject(&ctx, eni);
            let status = match results.remove(&i) {
                Some(Ok(mut ranges)) => {
                    ranges.sort_by(|a, b| {
                        (a.family, a.protocol, &a.ports, &a.source_set).cmp(&(b.family, b.protocol, &b.ports, &b.source_set))
                    });
                    Status::Known { ranges }
                }
                Some(Err(missing)) => Status::Unknown { missing },
                None => Status::Known { ranges: Vec::new() },
            };
            out.push(Exposure {
                account_id: account.id.clone(),
                region: region.name.clone(),
                resource_id,
                resource_type,
                network_interface_id: Some(eni.network_interface_id.clone()),
                status,
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.account_id, &a.region, &a.resource_id, &a.network_interface_id).cmp(&(
            &b.account_id,
            &b.region,
            &b.resource_id,
            &b.network_interface_id,
        ))
    });
    out
}
