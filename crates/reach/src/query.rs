//! `query`: is one flow reachable, and if not, which components stop it and what would open it
//! (in the manner of VPC Reachability Analyzer's explanations,
//! <https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html>).

use crate::describe::sources_text;
use crate::engine::{analyze, ephemeral, families, lookup_route, port_universe, protocols, route_label, zone_at, Cache, Ctx, R};
use crate::flow::Flow;
use crate::from_vpc::{flow, locate, Origin, Outcome};
use crate::nacl::{first_match, nacl_rule_text};
use crate::set::{addr_point, to_cidrs, universe, AddrSet, Family};
use crate::to_lb::{to_load_balancer, LbOutcome};
use crate::{Blocker, ComponentType, Protocol, Verdict};
use rampart_inventory::{Inventory, NetworkInterface};
use std::net::IpAddr;

/// Where a flow comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Any internet address.
    Internet,
    /// One address: on the internet, or inside a VPC of the target's region (its interface, else
    /// the subnet whose CIDR holds it, is where the flow starts; see `from_vpc.rs`). Addresses
    /// inside VPCs of other regions or accounts answer `Unknown`.
    Ip(IpAddr),
    /// A resource of the inventory (instance id, network interface id): the flow starts at its
    /// primary private address (IPv4, else IPv6).
    Resource(String),
}

/// The address a resource's flows start from: its interface's first private IPv4 address,
/// else its first IPv6 address.
fn resolve(inv: &Inventory, id: &str) -> Option<IpAddr> {
    let mut enis: Vec<&NetworkInterface> = inv
        .regions()
        .filter_map(|(_, r)| r.ec2.known()?.network_interfaces.known())
        .flatten()
        .filter(|e| e.network_interface_id == id || e.attachment_instance_id.as_deref() == Some(id))
        .collect();
    enis.sort_by(|a, b| a.network_interface_id.cmp(&b.network_interface_id));
    // An instance's primary interface holds the instance's primary private address.
    let primary = inv
        .regions()
        .filter_map(|(_, r)| r.ec2.known()?.instances.known())
        .flatten()
        .find(|i| i.instance_id == id)
        .and_then(|i| i.private_ip_address.clone());
    if let Some(ip) = primary.and_then(|p| p.parse().ok()) {
        return Some(ip);
    }
    enis.iter().flat_map(|e| e.private_ip_addresses.iter().chain(&e.ipv6_addresses)).find_map(|a| a.parse().ok())
}

/// Whether `protocol`/`port` on `to` (an instance id, network interface id, interface VPC
/// endpoint id, or load balancer ARN / name) is reachable from `from`. For port-less protocols `port` is ignored.
///
/// To a load balancer from inside a VPC (`to_lb.rs`): reachable when the client gets to one of
/// its nodes on a listener of `protocol`/`port` and that node on to a target; internal load
/// balancers only (internet-facing ones answer `Unknown` from inside a VPC).
pub fn query(inv: &Inventory, from: &Source, to: &str, protocol: Protocol, port: u16) -> Verdict {
    query_inner(inv, from, to, None, protocol, port)
}

/// [`query`] to one address of the target: one of its private IPv4, public IPv4 or IPv6
/// addresses. From the internet, a private address is never reached (the internet gateway
/// translates only public ones); from inside a VPC, only the private and IPv6 addresses are
/// answered (a flow to a public address leaves through the internet gateway and comes back,
/// which is not modelled: `Unknown`).
pub fn query_address(inv: &Inventory, from: &Source, to: &str, address: IpAddr, protocol: Protocol, port: u16) -> Verdict {
    query_inner(inv, from, to, Some(address), protocol, port)
}

fn holds(e: &NetworkInterface, a: IpAddr) -> bool {
    let same = |s: &String| s.parse::<IpAddr>().is_ok_and(|x| x == a);
    e.private_ip_addresses.iter().chain(&e.public_ips).chain(&e.ipv6_addresses).any(same)
}

fn query_inner(inv: &Inventory, from: &Source, to: &str, address: Option<IpAddr>, protocol: Protocol, port: u16) -> Verdict {
    let port = if protocol.has_ports() { port } else { 0 };
    let target = match address {
        Some(a) => format!("{to} at {a}"),
        None => to.to_string(),
    };
    if let Source::Resource(id) = from {
        return match resolve(inv, id) {
            Some(a) => query_inner(inv, &Source::Ip(a), to, address, protocol, port),
            None => Verdict::Unknown { target, missing: vec![format!("`{id}` (the source) is not in the inventory or has no address")] },
        };
    }
    let mut unread = Vec::new();
    for (account, region) in inv.regions() {
        let enis = match region.ec2.as_result().and_then(|e| e.network_interfaces.as_result()) {
            Ok(v) => v,
            Err(r) => {
                unread.push(format!("ec2 network interfaces in {} {}: {r}", account.id, region.name));
                continue;
            }
        };
        // An interface VPC endpoint is reached through its requester-managed interfaces.
        let endpoint_enis: Vec<&str> = region
            .ec2
            .known()
            .and_then(|e| e.vpc_endpoints.known())
            .into_iter()
            .flatten()
            .filter(|v| v.vpc_endpoint_id == to)
            .flat_map(|v| v.network_interface_ids.iter().map(String::as_str))
            .collect();
        // An application or network load balancer named by its name: its interfaces are
        // described `ELB app/<name>/<id>` / `ELB net/<name>/<id>`.
        let lb_suffixes: Vec<String> = region
            .elbv2
            .known()
            .into_iter()
            .flat_map(|v| &v.load_balancers)
            .filter(|l| l.name == to)
            .filter_map(|l| l.arn.split_once(":loadbalancer/").map(|x| format!("ELB {}", x.1)))
            .collect();
        let mut idx: Vec<usize> = enis
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                is_target(e, to) || endpoint_enis.contains(&e.network_interface_id.as_str()) || lb_suffixes.contains(&e.description)
            })
            .map(|(i, _)| i)
            .collect();
        if idx.is_empty() {
            continue;
        }
        if let Some(a) = address {
            idx.retain(|&i| holds(&enis[i], a));
            if idx.is_empty() {
                return Verdict::Unknown { target, missing: vec![format!("`{a}` is not an address of `{to}`")] };
            }
        }
        let ctx = match Ctx::new(account, region) {
            Ok(c) => c,
            Err(m) => return Verdict::Unknown { target, missing: vec![m] },
        };
        // A source inside a VPC of another region or account of the inventory.
        let mut elsewhere = Vec::new();
        if let Source::Ip(a) = from {
            let (fam, pt) = addr_point(*a);
            for (acc, reg) in inv.regions() {
                if std::ptr::eq(reg, region) {
                    continue;
                }
                if let Some(ec2) = reg.ec2.known() {
                    for v in crate::from_vpc::vpcs_holding(ec2, fam, pt) {
                        elsewhere.push(format!(
                            "{a} is inside {v} of {} {}; flows from other regions or accounts are not modelled yet",
                            acc.id, reg.name
                        ));
                    }
                }
            }
        }
        return answer(&ctx, from, (target, address), &idx, protocol, port, elsewhere);
    }
    if unread.is_empty() {
        unread.push(format!("`{to}` is not in the inventory"));
    }
    Verdict::Unknown { target, missing: unread }
}

fn is_target(e: &NetworkInterface, to: &str) -> bool {
    // A NAT gateway's interface is described `Interface for NAT Gateway nat-…`.
    let nat = e.interface_type == "nat_gateway" && to.starts_with("nat-") && e.description.ends_with(to);
    nat || e.network_interface_id == to
        || e.attachment_instance_id.as_deref() == Some(to)
        || e.description.strip_prefix("ELB ").is_some_and(|d| d == to || to.ends_with(&format!(":loadbalancer/{d}")))
}

fn candidates(from: &Source) -> Vec<(Family, AddrSet)> {
    match from {
        Source::Internet => vec![(Family::Ipv4, universe(Family::Ipv4)), (Family::Ipv6, universe(Family::Ipv6))],
        Source::Ip(a) => {
            let (f, p) = addr_point(*a);
            vec![(f, AddrSet::point(p))]
        }
        // Resolved to an address by `query`.
        Source::Resource(_) => Vec::new(),
    }
}

fn answer(
    ctx: &Ctx,
    from: &Source,
    (target, address): (String, Option<IpAddr>),
    idx: &[usize],
    p: Protocol,
    port: u16,
    elsewhere: Vec<String>,
) -> Verdict {
    let mut cache = Cache::default();
    let nats: Vec<&NetworkInterface> = idx.iter().map(|&i| &ctx.enis[i]).filter(|e| e.interface_type == "nat_gateway").collect();
    if nats.len() == idx.len() {
        let fam = match from {
            Source::Ip(a) => addr_point(*a).0,
            _ => Family::Ipv4,
        };
        return Verdict::Blocked { target, blockers: nats.iter().map(|e| nat_interface(e, fam)).collect() };
    }
    if let Source::Ip(a) = from {
        let (fam, pt) = addr_point(*a);
        match locate(ctx, fam, pt, &ctx.enis[idx[0]].vpc_id) {
            Err(missing) => return Verdict::Unknown { target, missing },
            Ok(Some(o)) => {
                let only = match address {
                    // A public address of the target: the hairpin through the internet gateway.
                    Some(x) if ctx.enis[idx[0]].public_ips.iter().any(|p| p.parse() == Ok(x)) => {
                        return Verdict::Unknown {
                            target,
                            missing: vec![format!(
                                "{x} is a public address: from inside a VPC the flow leaves through the internet gateway and comes back, which is not modelled; ask for a private address"
                            )],
                        }
                    }
                    Some(x) if addr_point(x).0 != fam => {
                        return Verdict::Unknown {
                            target,
                            missing: vec![format!("{x} and the source {a} are of different address families")],
                        }
                    }
                    Some(x) => Some(addr_point(x).1),
                    None => None,
                };
                return inside(ctx, &mut cache, &o, (*a, only), target, idx, Flow { p, port, fam });
            }
            Ok(None) if !elsewhere.is_empty() => return Verdict::Unknown { target, missing: elsewhere },
            Ok(None) => {}
        }
    }
    // From the internet, to one address: only a public IPv4 address (or an IPv6 address) is
    // reached; the family is the address's.
    let want_fam = match address {
        Some(x @ IpAddr::V4(_)) if !ctx.enis[idx[0]].public_ips.iter().any(|p| p.parse() == Ok(x)) => {
            let e = &ctx.enis[idx[0]];
            let id = &e.network_interface_id;
            let change = match e.public_ips.first() {
                Some(p) => {
                    format!("ask for its public address {p}, or put an internet-facing load balancer in front of {id}")
                }
                None => format!("associate an Elastic IP address with {id}, or put an internet-facing load balancer in front of it"),
            };
            return Verdict::Blocked {
                target,
                blockers: vec![Blocker {
                    network_interface_id: id.clone(),
                    family: Family::Ipv4,
                    component_id: id.clone(),
                    component_type: ComponentType::Eni,
                    rule: format!("{x} is a private address: the internet gateway only translates public addresses"),
                    change,
                }],
            };
        }
        Some(x) => Some(addr_point(x).0),
        None => None,
    };
    let candidates = |from: &Source| -> Vec<(Family, AddrSet)> {
        candidates(from).into_iter().filter(|(f, _)| want_fam.is_none_or(|w| w == *f)).collect()
    };
    let results = analyze(ctx, Some(idx));
    let mut missing = Vec::new();
    for &i in idx {
        match results.get(&i) {
            Some(Err(m)) => missing.extend(m.iter().cloned()),
            Some(Ok(ranges)) => {
                for (fam, cand) in candidates(from) {
                    let hit = ranges
                        .iter()
                        .find(|r| r.protocol == p && r.family == fam && r.ports.contains(port) && r.source_set.intersects(&cand));
                    if let Some(r) = hit {
                        return Verdict::Reachable {
                            target,
                            network_interface_id: ctx.enis[i].network_interface_id.clone(),
                            family: fam,
                            sources: to_cidrs(&r.source_set.intersect(&cand), fam),
                            // Asked about the whole internet: the range's own reading.
                            sources_text: if cand == universe(fam) {
                                r.sources_text.clone()
                            } else {
                                sources_text(&r.source_set.intersect(&cand), fam, &[])
                            },
                            steps: r.steps.clone(),
                        };
                    }
                }
            }
            None => {}
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Verdict::Unknown { target, missing };
    }
    let mut blockers = Vec::new();
    for &i in idx {
        let eni = &ctx.enis[i];
        for (fam, cand) in candidates(from) {
            // For "the internet", IPv6 is only worth explaining on interfaces that have IPv6.
            if *from == Source::Internet && fam == Family::Ipv6 && eni.ipv6_addresses.is_empty() {
                continue;
            }
            match explain(ctx, &mut cache, eni, Flow { p, port, fam }, &cand, from) {
                Ok(b) => blockers.extend(b),
                Err(m) => return Verdict::Unknown { target, missing: m },
            }
        }
    }
    Verdict::Blocked { target, blockers }
}

/// A flow from an address inside a VPC of the region to the target's interfaces.
fn inside<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    (a, only): (IpAddr, Option<u128>),
    target: String,
    idx: &[usize],
    f: Flow,
) -> Verdict {
    let (fam, pt) = addr_point(a);
    let mut missing = Vec::new();
    let mut blockers = Vec::new();
    // Load balancer interfaces, grouped by load balancer: the client reaches one of its nodes
    // and is forwarded to a target (see `to_lb.rs`).
    let mut by_lb: Vec<(&str, Vec<usize>)> = Vec::new();
    for &i in idx {
        if let Some(d) = ctx.enis[i].description.strip_prefix("ELB ") {
            match by_lb.iter_mut().find(|(x, _)| *x == d) {
                Some((_, v)) => v.push(i),
                None => by_lb.push((d, vec![i])),
            }
        }
    }
    for (_, nodes) in &by_lb {
        match to_load_balancer(ctx, cache, o, a, nodes, f) {
            Ok(LbOutcome::Open(node, steps)) => {
                return Verdict::Reachable {
                    target,
                    network_interface_id: node,
                    family: fam,
                    sources: to_cidrs(&AddrSet::point(pt), fam),
                    sources_text: sources_text(&AddrSet::point(pt), fam, &[]),
                    steps,
                }
            }
            Ok(LbOutcome::Shut(b)) => blockers.extend(b),
            Err(m) => missing.extend(m),
        }
    }
    for &i in idx {
        let eni = &ctx.enis[i];
        if eni.description.starts_with("ELB ") {
            continue;
        }
        match flow(ctx, cache, o, (pt, only), eni, f) {
            Ok(Outcome::Open(steps)) => {
                return Verdict::Reachable {
                    target,
                    network_interface_id: eni.network_interface_id.clone(),
                    family: fam,
                    sources: to_cidrs(&AddrSet::point(pt), fam),
                    sources_text: sources_text(&AddrSet::point(pt), fam, &[]),
                    steps,
                }
            }
            Ok(Outcome::Shut(b)) => blockers.extend(b),
            Err(m) => missing.extend(m),
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Verdict::Unknown { target, missing };
    }
    Verdict::Blocked { target, blockers }
}

/// Each component on the direct internet path that stops `p`/`port` from `cand`, evaluated in
/// path order; a blocked stage is assumed fixed before the next is examined, so the blockers
/// together are the change that opens the path.
/// A reply routed to a NAT gateway never reaches an internet client: "external services can't
/// initiate a connection with those instances" (vpc-nat-gateway.html). The fix is not a route
/// change in this table (the instances behind the NAT need it for their own outbound traffic)
/// nor a security group (a NAT gateway has none), but another way in.
fn behind_nat(
    eni: &NetworkInterface,
    fam: Family,
    nat: &rampart_inventory::Route,
    rtb: &rampart_inventory::RouteTable,
    igw: Option<&str>,
    src_text: &str,
) -> Blocker {
    let id = &eni.network_interface_id;
    let igw = igw.map_or_else(|| format!("an internet gateway attached to {}", eni.vpc_id), str::to_string);
    Blocker {
        network_interface_id: id.clone(),
        family: fam,
        component_id: nat.target.clone(),
        component_type: ComponentType::NatGateway,
        rule: format!(
            "{} routes replies through {}: a NAT gateway only carries connections that start inside the VPC",
            rtb.route_table_id,
            route_label(nat)
        ),
        change: format!(
            "to serve {id} from the internet, put an internet-facing load balancer in a public subnet in front of it, \
             or move it to a subnet whose route table sends {src_text} → {igw} and give it a public IP"
        ),
    }
}

/// A NAT gateway's own interface accepts no connection at all: it has no security group to
/// open ("You can't associate a security group with a NAT gateway", vpc-nat-gateway.html) and
/// only translates connections that start inside the VPC.
fn nat_interface(eni: &NetworkInterface, fam: Family) -> Blocker {
    let nat = eni.description.rsplit(' ').next().filter(|w| w.starts_with("nat-")).unwrap_or(&eni.network_interface_id);
    Blocker {
        network_interface_id: eni.network_interface_id.clone(),
        family: fam,
        component_id: nat.to_string(),
        component_type: ComponentType::NatGateway,
        rule: format!("{nat} accepts no inbound connection: a NAT gateway only carries connections that start inside the VPC"),
        change: "to serve from the internet use a public IP on the server or an internet-facing load balancer; a NAT \
                 gateway has no security group or listener to open"
            .to_string(),
    }
}

fn explain<'a>(ctx: &Ctx<'a>, cache: &mut Cache<'a>, eni: &'a NetworkInterface, f: Flow, cand: &AddrSet, from: &Source) -> R<Vec<Blocker>> {
    let Flow { p, port, fam } = f;
    let mut out = Vec::new();
    let id = &eni.network_interface_id;
    let mk = |component_id: &str, t: ComponentType, rule: String, change: String| Blocker {
        network_interface_id: id.clone(),
        family: fam,
        component_id: component_id.to_string(),
        component_type: t,
        rule,
        change,
    };
    let src_text = match from {
        Source::Internet => if fam == Family::Ipv4 { "0.0.0.0/0" } else { "::/0" }.to_string(),
        Source::Ip(a) => format!("{a}/{}", if fam == Family::Ipv4 { 32 } else { 128 }),
        Source::Resource(id) => id.clone(),
    };
    if !families(eni).contains(&fam) {
        out.push(match fam {
            Family::Ipv4 => {
                mk(id, ComponentType::Eni, "no public IPv4 address".into(), format!("associate an Elastic IP address with {id}"))
            }
            Family::Ipv6 => mk(id, ComponentType::Eni, "no IPv6 address".into(), format!("assign an IPv6 address to {id}")),
        });
    }
    // Routes: the reply to the source must leave through an internet gateway.
    let rtb_i = ctx.route_table(eni)?;
    let rtb = ctx.rtb(rtb_i);
    let routes = cache.routes(ctx, rtb_i, fam);
    let routes = routes.as_ref().as_ref().map_err(Clone::clone)?;
    let cand = cand.difference(&routes.local);
    let mut s = cand.intersect(&routes.igw);
    if s.is_empty() {
        let w = cand.first().unwrap_or(0);
        let r = lookup_route(ctx, rtb, fam, w);
        let rule = r.map_or_else(|| "no route to the source".to_string(), route_label);
        if let Some(nat) = r.filter(|r| r.target.starts_with("nat-")) {
            out.push(behind_nat(eni, fam, nat, rtb, ctx.igw_of(&eni.vpc_id), &src_text));
        } else {
            let why = if r.is_some_and(|r| r.target.starts_with("pcx-")) {
                // vpc-peering-basics.html, "Edge to edge routing through a gateway": a peer VPC's
                // internet gateway is never this VPC's way to the internet.
                " (a peering connection never carries internet traffic: no edge-to-edge routing)"
            } else if r.is_some_and(|r| r.target.starts_with("tgw-")) {
                // tgw.rs: an internet gateway only serves the addresses of its own VPC's
                // interfaces; through a transit gateway the internet reaches another VPC only via
                // an intermediary there (load balancer, proxy), never directly.
                " (a transit gateway never carries connections from the internet: reach this interface through a load balancer or proxy in the VPC that has the internet gateway)"
            } else {
                ""
            };
            let change = match ctx.igw_of(&eni.vpc_id) {
                Some(g) => format!("add route {src_text} → {g} to {}{why}", rtb.route_table_id),
                None => {
                    format!("attach an internet gateway to {} and add route {src_text} → it to {}{why}", eni.vpc_id, rtb.route_table_id)
                }
            };
            out.push(mk(&rtb.route_table_id, ComponentType::RouteTable, rule, change));
        }
        s = cand.clone();
    }
    // Network ACL, inbound request.
    let n_i = ctx.nacl_idx(&eni.subnet_id)?;
    let n = ctx.nacl(n_i);
    let nin = cache.nacl(ctx, n_i, false, false, p, fam);
    let passed = s.intersect(zone_at(&nin.zone(), port).unwrap_or(&AddrSet::empty()));
    if passed.is_empty() {
        let w = s.first().unwrap_or(0);
        let (rule, num) = nacl_rule_text(first_match(n, false, p, fam, w, port), "inbound");
        out.push(mk(
            &n.network_acl_id,
            ComponentType::Nacl,
            rule,
            format!("add an inbound allow rule numbered below {num} for {p} {port} from {src_text} to {}", n.network_acl_id),
        ));
    } else {
        s = passed;
    }
    // Network ACL, outbound reply to the client's ephemeral ports.
    let ret = cache.nacl(ctx, n_i, true, true, p, fam);
    let passed = s.intersect(&ret.any);
    if passed.is_empty() {
        let w = s.first().unwrap_or(0);
        let (lo, hi) = ephemeral(p);
        let (rule, num) = nacl_rule_text(first_match(n, true, p, fam, w, lo), "outbound");
        let ports = if p.has_ports() { format!(" {lo}-{hi}") } else { String::new() };
        out.push(mk(
            &n.network_acl_id,
            ComponentType::Nacl,
            format!("{rule} (return traffic)"),
            format!("add an outbound allow rule numbered below {num} for {p}{ports} to {src_text} to {}", n.network_acl_id),
        ));
    } else {
        s = passed;
    }
    // Security groups.
    let groups = ctx.groups(eni)?;
    if !(eni.interface_type == "network_load_balancer" && eni.security_group_ids.is_empty()) {
        let mut admitted = AddrSet::empty();
        for g in &groups {
            for r in &g.ingress {
                let Some((lo, hi)) = crate::engine::sg_rule_ports(r, p) else {
                    continue;
                };
                if lo <= port && port <= hi {
                    if let Some(set) = crate::engine::peer_set(ctx, &r.peer, fam)? {
                        admitted = admitted.union(&set);
                    }
                }
            }
        }
        if !s.intersects(&admitted) {
            let (gid, t) = match groups.first() {
                Some(g) => (g.group_id.as_str(), ComponentType::SecurityGroup),
                None => (id.as_str(), ComponentType::Eni),
            };
            let names: Vec<&str> = groups.iter().map(|g| g.group_id.as_str()).collect();
            out.push(mk(
                gid,
                t,
                format!("no inbound rule of [{}] allows {p} {port} from {src_text}", names.join(", ")),
                format!("add an inbound rule {p} {port} from {src_text} to {gid}"),
            ));
        }
    }
    if out.is_empty() {
        // The direct path is open but nothing listens on this port (a load balancer without a
        // listener for it), or the protocol is not one the interface's rules name.
        let known = protocols(&groups, fam).contains(&p) && port >= port_universe(p).0;
        out.push(mk(
            id,
            ComponentType::Eni,
            if known { format!("no listener for {p} {port}") } else { format!("{p} is not analysed") },
            format!("add a listener for {p} {port}"),
        ));
    }
    Ok(out)
}
