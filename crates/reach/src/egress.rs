//! Egress: can an interface (or an address of a subnet) open a connection to the internet, or
//! to one internet address, on a protocol and port.
//!
//! AWS documentation followed:
//! - Internet gateways: <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html>:
//!   a subnet reaches the internet when its route table sends the destination to an internet
//!   gateway; IPv4 traffic also needs a public IPv4 address (or Elastic IP) on the interface,
//!   the gateway translating only those; IPv6 addresses are global.
//! - NAT gateways: <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html>:
//!   "instances in a private subnet can connect to services outside your VPC but external
//!   services can't initiate a connection with those instances"; a public NAT gateway sits in a
//!   public subnet and "You route traffic from the NAT gateway to the internet gateway for the
//!   VPC" (so the NAT gateway's own subnet route table must send the destination to an internet
//!   gateway); a private NAT gateway's traffic routed to an internet gateway is dropped ("if you
//!   route traffic from the private NAT gateway to the internet gateway, the internet gateway
//!   drops the traffic"); a NAT gateway has no security groups, and the network ACL of its
//!   subnet applies to the traffic in and out of it (nacl-rules.html). A NAT gateway uses
//!   source ports 1024–65535 toward the destination, so replies come back to those ports.
//! - Egress-only internet gateways:
//!   <https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html>:
//!   "[IPv6 only] ... used to enable outbound communication over IPv6 from instances in your VPC
//!   to the internet, and prevents hosts outside of your VPC from initiating an IPv6 connection";
//!   IPv4 is never carried by one (an IPv4 route cannot name it).
//! - Security groups are stateful: only the source's outbound rules decide; network ACLs are
//!   stateless: the request leaves on the asked port, the reply comes back on the client's
//!   ephemeral port (1024–65535, nacl-ephemeral-ports.html), so the source subnet's inbound
//!   rules must admit the destination on some port of that range.
//!
//! "The internet" is every address outside the source VPC's locally routed ranges. Every rule
//! that decides such a flow (security group, network ACL and route table entries) is a CIDR
//! block, so the address space cuts into elementary regions at the bounds of those blocks,
//! within each of which every address gets the same answer: one address per region is asked,
//! and the answer is exact for the whole internet. Reachable: the regions reached, as
//! destinations. Blocked: the blockers of the region whose path needs the fewest changes.
//!
//! Not modelled (answer `Unknown`): egress through a transit gateway or virtual private gateway
//! (a central egress VPC, on-premises), through a gateway load balancer or appliance interface,
//! NAT64 (`64:ff9b::/96` to a NAT gateway), and prefix-list routes of the NAT gateway's subnet.

use crate::describe::sources_text;
use crate::engine::{ephemeral, lookup_route, named_blocks, route_label, Cache, Ctx, R};
use crate::flow::Flow;
use crate::from_vpc::{admitting, Origin};
use crate::nacl::{first_match, nacl_rule_text};
use crate::set::{addr_point, parse_cidr, to_cidrs, universe, AddrSet, Family};
use crate::{Blocker, ComponentType, Protocol, Step, Verdict};
use rampart_inventory::{Inventory, NatGateway, NetworkInterface, SgPeer};
use std::net::IpAddr;

/// Where an egress flow goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Any address outside the source's VPC.
    Internet,
    /// One address on the internet.
    Ip(IpAddr),
}

/// Whether `from` (an instance id, a network interface id, or a subnet id: an address of the
/// subnet, no security group) can open a `protocol`/`port` connection to `to`.
///
/// In the answer, `network_interface_id` is the source's interface (or the subnet), and
/// `sources` / `sources_text` are the *destinations* reached (for [`Destination::Internet`]
/// every internet block the flow gets to, in words as its complement when shorter).
pub fn egress(inv: &Inventory, from: &str, to: &Destination, protocol: Protocol, port: u16) -> Verdict {
    let port = if protocol.has_ports() { port } else { 0 };
    let target = match to {
        Destination::Internet => "internet".to_string(),
        Destination::Ip(a) => a.to_string(),
    };
    let mut unread = Vec::new();
    for (account, region) in inv.regions() {
        let Some(ec2) = region.ec2.known() else {
            unread.push(format!("ec2 in {} {}: not read", account.id, region.name));
            continue;
        };
        let enis = match ec2.network_interfaces.as_result() {
            Ok(v) => v,
            Err(r) => {
                unread.push(format!("ec2 network interfaces in {} {}: {r}", account.id, region.name));
                continue;
            }
        };
        let subnet = ec2.subnets.known().and_then(|v| v.iter().find(|s| s.subnet_id == from));
        let eni = source_interface(ec2, enis, from);
        if subnet.is_none() && eni.is_none() {
            continue;
        }
        let ctx = match Ctx::new(account, region) {
            Ok(c) => c,
            Err(m) => return Verdict::Unknown { target, missing: vec![m] },
        };
        let origin = match (eni, subnet) {
            (Some(e), _) => Origin { vpc: &e.vpc_id, subnet: &e.subnet_id, eni: Some(e) },
            (None, Some(s)) => Origin { vpc: &s.vpc_id, subnet: &s.subnet_id, eni: None },
            (None, None) => continue,
        };
        return answer(&ctx, &origin, from, target, to, protocol, port);
    }
    if unread.is_empty() {
        unread.push(format!("`{from}` (the source) is not in the inventory"));
    }
    Verdict::Unknown { target, missing: unread }
}

/// The sources a question "from subnet X" stands for: every interface of the subnet that can
/// start a connection (not load balancer nodes or NAT gateways), sorted; empty when the subnet
/// holds none (then ask about the subnet itself). `None`: the subnet is not in the inventory.
///
/// **Our choice:** a subnet is answered per source, each with its own security groups, and
/// "reachable" only when every source is (`rampart reach` exits 0 only then): a subnet is
/// where instances come and go, so one open path is not the subnet's answer.
pub fn subnet_sources(inv: &Inventory, subnet: &str) -> Option<Vec<String>> {
    let mut found = false;
    let mut out = Vec::new();
    for (_, region) in inv.regions() {
        let Some(ec2) = region.ec2.known() else { continue };
        found |= ec2.subnets.known().is_some_and(|v| v.iter().any(|s| s.subnet_id == subnet));
        for e in ec2.network_interfaces.known().into_iter().flatten().filter(|e| e.subnet_id == subnet) {
            found = true;
            if e.interface_type != "nat_gateway" && !e.description.starts_with("ELB ") {
                out.push(e.network_interface_id.clone());
            }
        }
    }
    out.sort();
    found.then_some(out)
}

/// The interface of `id` (an interface id, or an instance's primary interface).
fn source_interface<'a>(ec2: &'a rampart_inventory::Ec2, enis: &'a [NetworkInterface], id: &str) -> Option<&'a NetworkInterface> {
    if let Some(e) = enis.iter().find(|e| e.network_interface_id == id) {
        return Some(e);
    }
    let primary = ec2.instances.known().and_then(|v| v.iter().find(|i| i.instance_id == id)).and_then(|i| i.private_ip_address.clone());
    let mut mine: Vec<&NetworkInterface> = enis.iter().filter(|e| e.attachment_instance_id.as_deref() == Some(id)).collect();
    mine.sort_by(|a, b| a.network_interface_id.cmp(&b.network_interface_id));
    mine.iter().find(|e| primary.as_ref().is_some_and(|p| e.private_ip_addresses.contains(p))).or(mine.first()).copied()
}

/// The source address of a family: the interface's first address, else the subnet's first
/// host address (AWS reserves the first four of every subnet).
fn source_address(ctx: &Ctx, o: &Origin, fam: Family) -> Option<u128> {
    if let Some(e) = o.eni {
        let list = if fam == Family::Ipv4 { &e.private_ip_addresses } else { &e.ipv6_addresses };
        return list.iter().filter_map(|a| a.parse::<IpAddr>().ok()).map(addr_point).find(|x| x.0 == fam).map(|x| x.1);
    }
    let s = ctx.ec2.subnets.known()?.iter().find(|s| s.subnet_id == o.subnet)?;
    let c = if fam == Family::Ipv4 { s.cidr_block.as_deref()? } else { s.ipv6_cidr_blocks.first()? };
    parse_cidr(c).filter(|(f, _)| *f == fam).and_then(|(_, set)| set.first()).map(|a| a + 4)
}

fn host(fam: Family, a: u128) -> String {
    to_cidrs(&AddrSet::point(a), fam).pop().unwrap_or_default()
}

fn answer(ctx: &Ctx, o: &Origin, from: &str, target: String, to: &Destination, p: Protocol, port: u16) -> Verdict {
    let fams: Vec<Family> = match to {
        Destination::Ip(a) => vec![addr_point(*a).0],
        Destination::Internet => vec![Family::Ipv4, Family::Ipv6],
    };
    let source_id = o.eni.map_or(from.to_string(), |e| e.network_interface_id.clone());
    let mut cache = Cache::default();
    let mut best: Option<Vec<Blocker>> = None;
    let mut missing = Vec::new();
    for fam in fams {
        let Some(src) = source_address(ctx, o, fam) else {
            if let Destination::Ip(_) = to {
                let what = if fam == Family::Ipv4 { "a private IPv4 address" } else { "an IPv6 address" };
                best = Some(vec![Blocker {
                    network_interface_id: source_id.clone(),
                    family: fam,
                    component_id: source_id.clone(),
                    component_type: if o.eni.is_some() { ComponentType::Eni } else { ComponentType::RouteTable },
                    rule: format!("{source_id} has no {fam} address"),
                    change: format!("assign {what} to {source_id}"),
                }]);
            }
            continue;
        };
        let f = Flow { p, port, fam };
        let probes = match to {
            Destination::Ip(a) => vec![(addr_point(*a).1, AddrSet::point(addr_point(*a).1))],
            Destination::Internet => match regions(ctx, o, fam) {
                Ok(r) => r,
                Err(m) => {
                    missing.extend(m);
                    continue;
                }
            },
        };
        let mut reached = AddrSet::empty();
        let mut steps_of_first = None;
        for (d, region) in probes {
            match one(ctx, &mut cache, o, src, d, f, to) {
                Err(m) => missing.extend(m),
                Ok(Ok(steps)) => {
                    reached = reached.union(&region);
                    steps_of_first.get_or_insert(steps);
                }
                Ok(Err(b)) => {
                    if best.as_ref().is_none_or(|x| b.len() < x.len()) {
                        best = Some(b);
                    }
                }
            }
        }
        if let Some(steps) = steps_of_first {
            // The blocks left out, named after the source subnet's routes (the VPC's range, ...).
            let names = match ctx.subnet_route_table(o.vpc, o.subnet) {
                Ok(t) => named_blocks(ctx, t, o.vpc, fam),
                Err(_) => Vec::new(),
            };
            return Verdict::Reachable {
                target,
                network_interface_id: source_id,
                family: fam,
                sources: to_cidrs(&reached, fam),
                sources_text: sources_text(&reached, fam, &names),
                steps,
            };
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Verdict::Unknown { target, missing };
    }
    Verdict::Blocked { target, blockers: best.unwrap_or_default() }
}

/// The elementary regions of the internet for a source: the address space cut at the bounds
/// of every CIDR block of the rules that decide the flow, minus the VPC's local ranges. One
/// address (the region's first) stands for each.
fn regions(ctx: &Ctx, o: &Origin, fam: Family) -> R<Vec<(u128, AddrSet)>> {
    let mut blocks: Vec<AddrSet> = Vec::new();
    let cidr = |c: &str| parse_cidr(c).filter(|(f, _)| *f == fam).map(|(_, s)| s);
    if let Some(e) = o.eni {
        for g in ctx.groups(e)? {
            for r in &g.egress {
                match &r.peer {
                    SgPeer::Cidr4(c) | SgPeer::Cidr6(c) => blocks.extend(cidr(c)),
                    SgPeer::PrefixList(id) => blocks.push(ctx.prefix_list(id, fam)?),
                    SgPeer::Group { .. } => {}
                }
            }
        }
    }
    // Every ACL and route table of the VPC: the source's, and those of its NAT gateways.
    for n in ctx.ec2.network_acls.known().into_iter().flatten().filter(|n| n.vpc_id == o.vpc) {
        for e in &n.entries {
            blocks.extend(e.cidr_block.as_deref().and_then(cidr));
            blocks.extend(e.ipv6_cidr_block.as_deref().and_then(cidr));
        }
    }
    let mut local = AddrSet::empty();
    for t in ctx.ec2.route_tables.known().into_iter().flatten().filter(|t| t.vpc_id == o.vpc) {
        for r in &t.routes {
            let c = if fam == Family::Ipv4 { r.destination_cidr_block.as_deref() } else { r.destination_ipv6_cidr_block.as_deref() };
            if let Some(s) = c.and_then(cidr) {
                if r.target == "local" {
                    local = local.union(&s);
                }
                blocks.push(s);
            }
            if let Some(pl) = &r.destination_prefix_list_id {
                blocks.push(ctx.prefix_list(pl, fam)?);
            }
        }
    }
    let all = universe(fam);
    let mut cuts: Vec<u128> = vec![all.first().unwrap_or(0)];
    for b in &blocks {
        for &(lo, hi) in b.intervals() {
            cuts.push(lo);
            if let Some(n) = hi.checked_add(1) {
                cuts.push(n);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for (i, &lo) in cuts.iter().enumerate() {
        let hi = cuts.get(i + 1).map_or(u128::MAX, |n| n - 1);
        let region = AddrSet::range(lo, hi).intersect(&all).difference(&local);
        if let Some(first) = region.first() {
            out.push((first, region));
        }
    }
    Ok(out)
}

/// One flow from `src` (at `o`) to internet address `d`: its steps, or every component that
/// stops it (each blocked stage assumed fixed before the next is examined).
fn one<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    src: u128,
    d: u128,
    f: Flow,
    to: &Destination,
) -> R<Result<Vec<Step>, Vec<Blocker>>> {
    let Flow { p, port, fam } = f;
    let source_id = o.eni.map_or(o.subnet, |e| e.network_interface_id.as_str());
    // In fixes: the whole internet, or the one address asked about.
    let dst_text = match to {
        Destination::Internet => to_cidrs(&universe(fam), fam).join(", "),
        Destination::Ip(_) => host(fam, d),
    };
    let mk = |id: &str, t: ComponentType, rule: String, change: String| Blocker {
        network_interface_id: source_id.to_string(),
        family: fam,
        component_id: id.to_string(),
        component_type: t,
        rule,
        change,
    };
    let mut out = Vec::new();
    let mut steps = Vec::new();
    // 1. The source's security groups, outbound (stateful: the reply needs no rule).
    if let Some(e) = o.eni {
        steps.push(Step::new(&e.network_interface_id, ComponentType::Eni, Vec::new()));
        let groups = ctx.groups(e)?;
        let s = admitting(ctx, &groups, false, f, None, d);
        if s.is_empty() {
            let (gid, t) = match groups.first() {
                Some(g) => (g.group_id.as_str(), ComponentType::SecurityGroup),
                None => (e.network_interface_id.as_str(), ComponentType::Eni),
            };
            let names: Vec<&str> = groups.iter().map(|g| g.group_id.as_str()).collect();
            out.push(mk(
                gid,
                t,
                format!("no outbound rule of [{}] allows {p} {port} to {}", names.join(", "), host(fam, d)),
                format!("add an outbound rule {p} {port} to {dst_text} to {gid}"),
            ));
        }
        steps.extend(s);
    }
    // 2. The source subnet's network ACL: the request out, the reply in on the source's
    //    ephemeral port.
    let nacl_block = |n: &rampart_inventory::NetworkAcl, egress: bool, a: u128, q: u16, what: &str, ports: String| {
        let dir = if egress { "outbound" } else { "inbound" };
        let (rule, num) = nacl_rule_text(first_match(n, egress, p, fam, a, q), dir);
        let prep = if egress { "to" } else { "from" };
        mk(
            &n.network_acl_id,
            ComponentType::Nacl,
            format!("{rule}{what}"),
            format!("add an {dir} allow rule numbered below {num} for {p}{ports} {prep} {dst_text} to {}", n.network_acl_id),
        )
    };
    let (lo, hi) = ephemeral(p);
    let eph = if p.has_ports() { format!(" {lo}-{hi}") } else { String::new() };
    let ns = ctx.nacl_idx(o.subnet)?;
    let mut acl_rules = Vec::new();
    if cache.nacl(ctx, ns, true, false, p, fam).allows(port, d) {
        acl_rules.push(format!("outbound #{} allow", first_match(ctx.nacl(ns), true, p, fam, d, port).map_or(0, |e| e.rule_number)));
    } else {
        out.push(nacl_block(ctx.nacl(ns), true, d, port, "", format!(" {port}")));
    }
    let back = cache.nacl(ctx, ns, false, true, p, fam).ports_for(d);
    match back.first() {
        Some(q) => acl_rules
            .push(format!("inbound #{} allow (return)", first_match(ctx.nacl(ns), false, p, fam, d, q).map_or(0, |e| e.rule_number))),
        None => out.push(nacl_block(ctx.nacl(ns), false, d, lo, " (return traffic)", eph.clone())),
    }
    steps.push(Step::new(&ctx.nacl(ns).network_acl_id, ComponentType::Nacl, acl_rules));
    // 3. The source subnet's route to `d`.
    let ti = ctx.subnet_route_table(o.vpc, o.subnet)?;
    cache.routes(ctx, ti, fam).as_ref().as_ref().map_err(Clone::clone)?;
    let t = ctx.rtb(ti);
    let r = lookup_route(ctx, t, fam, d).filter(|r| r.state == "active");
    let Some(r) = r else {
        let rule = match lookup_route(ctx, t, fam, d) {
            Some(r) => route_label(r),
            None if fam == Family::Ipv4 && t.routes.iter().any(|r| r.target.starts_with("eigw-")) => {
                format!("no IPv4 route to {} (an egress-only internet gateway carries IPv6 only)", host(fam, d))
            }
            None => format!("no route to {}", host(fam, d)),
        };
        out.push(mk(&t.route_table_id, ComponentType::RouteTable, rule, way_out(ctx, o, fam, &t.route_table_id)));
        return Ok(Err(out));
    };
    steps.push(Step::new(&t.route_table_id, ComponentType::RouteTable, vec![route_label(r)]));
    let gw = r.target.as_str();
    if gw == "local" {
        return Err(vec![format!(
            "{} is inside {} (routed locally by {}): ask for the resource that holds it, not for an internet address",
            host(fam, d),
            o.vpc,
            t.route_table_id
        )]);
    }
    if gw.starts_with("igw-") {
        // The internet gateway translates only the interface's public IPv4 address.
        if fam == Family::Ipv4 {
            match o.eni {
                Some(e) if e.public_ips.is_empty() => out.push(mk(
                    &e.network_interface_id,
                    ComponentType::Eni,
                    format!("{} has no public IPv4 address: {gw} only translates public addresses", e.network_interface_id),
                    format!(
                        "associate an Elastic IP address with {}, or route {dst_text} from {} through a NAT gateway in a public subnet",
                        e.network_interface_id, t.route_table_id
                    ),
                )),
                Some(_) => {}
                None => {
                    return Err(vec![format!(
                        "whether an address of {} leaves through {gw} depends on its interface's public IPv4 address: ask for an instance or interface",
                        o.subnet
                    )])
                }
            }
        }
        steps.push(Step::new(gw, ComponentType::Igw, Vec::new()));
    } else if gw.starts_with("eigw-") {
        steps.push(Step::new(gw, ComponentType::EgressOnlyIgw, Vec::new()));
    } else if gw.starts_with("nat-") && fam == Family::Ipv4 {
        let nat = nat_gateway(ctx, gw)?;
        let (s, b) = nat_leg(ctx, cache, o, (src, d), f, nat, &dst_text)?;
        steps.extend(s);
        out.extend(b);
    } else if gw.starts_with("pcx-") {
        out.push(mk(
            &t.route_table_id,
            ComponentType::RouteTable,
            format!("{} (a peering connection never carries internet traffic: no edge-to-edge routing)", route_label(r)),
            way_out(ctx, o, fam, &t.route_table_id),
        ));
    } else {
        return Err(vec![format!(
            "{} is routed to {gw} by {}: egress through it (transit gateway, virtual private gateway, appliance, NAT64) is not modelled yet",
            host(fam, d),
            t.route_table_id
        )]);
    }
    Ok(if out.is_empty() { Ok(steps) } else { Err(out) })
}

fn nat_gateway<'a>(ctx: &Ctx<'a>, id: &str) -> R<&'a NatGateway> {
    let list = ctx.ec2.nat_gateways.as_result().map_err(|r| vec![format!("ec2 NAT gateways in {}: {r}", ctx.where_())])?;
    list.iter().find(|n| n.nat_gateway_id == id).ok_or_else(|| vec![format!("NAT gateway {id} is not in the inventory")])
}

/// Source → NAT gateway → the NAT gateway's subnet route table → internet gateway: the steps
/// after the source's route, and what stops it there.
fn nat_leg<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    (src, d): (u128, u128),
    f: Flow,
    nat: &'a NatGateway,
    dst_text: &str,
) -> R<(Vec<Step>, Vec<Blocker>)> {
    let Flow { p, port, fam } = f;
    let source_id = o.eni.map_or(o.subnet, |e| e.network_interface_id.as_str());
    let id = nat.nat_gateway_id.as_str();
    let mk = |cid: &str, t: ComponentType, rule: String, change: String| Blocker {
        network_interface_id: source_id.to_string(),
        family: fam,
        component_id: cid.to_string(),
        component_type: t,
        rule,
        change,
    };
    let (mut steps, mut out) = (Vec::new(), Vec::new());
    if nat.state != "available" {
        out.push(mk(
            id,
            ComponentType::NatGateway,
            format!("{id} is {}", nat.state),
            format!("wait until {id} is available, or route {dst_text} through another NAT gateway"),
        ));
    }
    if nat.connectivity_type == "private" {
        out.push(mk(
            id,
            ComponentType::NatGateway,
            format!("{id} is a private NAT gateway: an internet gateway drops the traffic it sends"),
            format!("route {dst_text} through a public NAT gateway (in a public subnet, with an Elastic IP)"),
        ));
        return Ok((steps, out));
    }
    steps.push(Step::new(id, ComponentType::NatGateway, vec![format!("in {}", nat.subnet_id)]));
    // The NAT gateway's subnet ACL, when it is not the source's (inside one subnet no ACL is
    // crossed; the legs between the NAT gateway and the internet were the source subnet's).
    if nat.subnet_id != o.subnet {
        let nn = ctx.nacl_idx(&nat.subnet_id)?;
        let acl = ctx.nacl(nn);
        let block = |egress: bool, a: u128, q: u16, peer: &str, what: &str, ports: String| {
            let dir = if egress { "outbound" } else { "inbound" };
            let (rule, num) = nacl_rule_text(first_match(acl, egress, p, fam, a, q), dir);
            let prep = if egress { "to" } else { "from" };
            mk(
                &acl.network_acl_id,
                ComponentType::Nacl,
                format!("{rule}{what}"),
                format!("add an {dir} allow rule numbered below {num} for {p}{ports} {prep} {peer} to {}", acl.network_acl_id),
            )
        };
        let (lo, hi) = ephemeral(p);
        let eph = if p.has_ports() { format!(" {lo}-{hi}") } else { String::new() };
        let src_text = host(fam, src);
        let mut rules = Vec::new();
        // Request: in from the source, out to the destination.
        for (egress, a, peer) in [(false, src, src_text.as_str()), (true, d, dst_text)] {
            if cache.nacl(ctx, nn, egress, false, p, fam).allows(port, a) {
                let n = first_match(acl, egress, p, fam, a, port).map_or(0, |e| e.rule_number);
                rules.push(format!("{} #{n} allow", if egress { "outbound" } else { "inbound" }));
            } else {
                out.push(block(egress, a, port, peer, " (NAT gateway subnet)", format!(" {port}")));
            }
        }
        // Replies: in from the destination on the NAT gateway's own port (1024-65535), out to
        // the source on the source's ephemeral port, which the source subnet must admit too.
        if cache.nacl(ctx, nn, false, true, p, fam).ports_for(d).is_empty() {
            out.push(block(false, d, lo, dst_text, " (return traffic to the NAT gateway)", eph.clone()));
        }
        let to_src = cache.nacl(ctx, nn, true, true, p, fam).ports_for(src);
        let ns = ctx.nacl_idx(o.subnet)?;
        let src_in = cache.nacl(ctx, ns, false, true, p, fam).ports_for(d);
        if to_src.is_empty() || (!src_in.is_empty() && !to_src.intersects(&src_in)) {
            let q = src_in.first().unwrap_or(lo);
            out.push(block(true, src, q, &src_text, " (return traffic to the source)", eph));
        }
        steps.push(Step::new(&acl.network_acl_id, ComponentType::Nacl, rules));
    }
    // The NAT gateway's subnet must send the destination to an internet gateway.
    let ti = ctx.subnet_route_table(&nat.vpc_id, &nat.subnet_id)?;
    cache.routes(ctx, ti, fam).as_ref().as_ref().map_err(Clone::clone)?;
    let t = ctx.rtb(ti);
    match lookup_route(ctx, t, fam, d).filter(|r| r.state == "active" && r.target.starts_with("igw-")) {
        Some(r) => {
            steps.push(Step::new(&t.route_table_id, ComponentType::RouteTable, vec![route_label(r)]));
            steps.push(Step::new(&r.target, ComponentType::Igw, Vec::new()));
        }
        None => {
            let now = lookup_route(ctx, t, fam, d).map_or_else(|| format!("no route to {}", host(fam, d)), route_label);
            let all = to_cidrs(&universe(fam), fam).join(", ");
            let change = match ctx.igw_of(&nat.vpc_id) {
                Some(g) => format!("add route {all} → {g} to {}", t.route_table_id),
                None => format!("attach an internet gateway to {} and add route {all} → it to {}", nat.vpc_id, t.route_table_id),
            };
            out.push(mk(
                &t.route_table_id,
                ComponentType::RouteTable,
                format!("{now}: {id}'s subnet {} does not send it to an internet gateway", nat.subnet_id),
                change,
            ));
        }
    }
    Ok((steps, out))
}

/// The change that gives a subnet a way to the internet: a route to a NAT gateway of the VPC
/// (IPv4, when one is available in a public subnet), to its egress-only internet gateway
/// (IPv6), or to its internet gateway.
fn way_out(ctx: &Ctx, o: &Origin, fam: Family, rtb: &str) -> String {
    let all = if fam == Family::Ipv4 { "0.0.0.0/0" } else { "::/0" };
    if fam == Family::Ipv4 {
        let nat = ctx
            .ec2
            .nat_gateways
            .known()
            .into_iter()
            .flatten()
            .filter(|n| n.vpc_id == o.vpc && n.state == "available" && n.connectivity_type != "private")
            .map(|n| n.nat_gateway_id.as_str())
            .min();
        if let Some(n) = nat {
            return format!("add route {all} → {n} to {rtb}");
        }
    } else {
        let eigw = ctx
            .ec2
            .egress_only_internet_gateways
            .known()
            .into_iter()
            .flatten()
            .find(|g| g.attached_vpc_ids.iter().any(|v| v == o.vpc))
            .map(|g| g.id.as_str());
        if let Some(g) = eigw {
            return format!("add route {all} → {g} to {rtb}");
        }
    }
    match ctx.igw_of(o.vpc) {
        Some(g) if fam == Family::Ipv4 => format!(
            "add route {all} → a NAT gateway in a subnet that routes to {g} to {rtb} (or route to {g} and give the source a public IP)"
        ),
        Some(g) => format!("add route {all} → {g} (or an egress-only internet gateway) to {rtb}"),
        None => {
            format!("attach an internet gateway to {} and route {all} to it (through a NAT gateway for private subnets) from {rtb}", o.vpc)
        }
    }
}
