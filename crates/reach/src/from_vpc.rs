//! Flows whose source is an address inside a VPC of the target's region: within one VPC, or
//! between two VPCs joined by a VPC peering connection.
//!
//! AWS documentation followed:
//! - Peering routes: <https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html>
//!   ("you must add a route to the route tables associated with the subnets for both
//!   instances. The route destination is the CIDR block (or portion of the CIDR block) of the
//!   peer VPC and the target is the ID of the VPC peering connection"; a route to a connection
//!   that is not `active` is a blackhole).
//! - Limitations: <https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html>
//!   ("VPC peering limitations": no transitive peering, no edge to edge routing through a
//!   gateway or private connection) and
//!   <https://docs.aws.amazon.com/whitepapers/latest/aws-vpc-connectivity-options/vpc-peering.html>
//!   ("you can't communicate two VPCs that are not directly peered using a third VPC as
//!   transit"). So a `pcx-` route only ever delivers to the directly peered VPC: the flow is
//!   open only when the route's connection joins the source's and the destination's VPCs.
//! - Security group references across a peering:
//!   <https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html> (the
//!   connection must be `active`; only a peer VPC in the same Region; cross-Region peers must
//!   be referenced by CIDR). All flows here stay in one Region.
//!
//! A flow is open when: the source subnet's route table routes the destination address
//! (longest prefix) to `local` (same VPC) or to an active peering connection joining the two
//! VPCs; the source interface's security groups let it out; the source subnet's network ACL lets
//! it out and the destination subnet's lets it in (none when both are in one subnet); the
//! destination's security groups admit it (CIDR / prefix list rules holding the source address,
//! group rules naming a group of the source interface); and the reply gets back: the
//! destination's route table routes the source address the same way (`local`, or the same
//! peering connection), and one client ephemeral port passes both network ACLs.

use crate::engine::{ephemeral, lookup_route, peer_set, route_label, rule_label, sg_rule_ports, Cache, Ctx, R};
use crate::flow::Flow;
use crate::nacl::{first_match, nacl_rule_text};
use crate::set::{addr_point, parse_cidr, Family};
use crate::tgw::{subnet_az, via_tgw, TgwBlock, TgwHop, TgwVia};
use crate::{Blocker, ComponentType, Step};
use rampart_inventory::{Ec2, NetworkInterface, Route, RouteTable, SecurityGroup, SgPeer, SgRule, VpcPeering};

/// Where a source address sits: its VPC and subnet, and the interface holding it if any.
pub(crate) struct Origin<'a> {
    pub vpc: &'a str,
    pub subnet: &'a str,
    pub eni: Option<&'a NetworkInterface>,
}

/// The outcome of one flow: the path, or every component that stops it.
pub(crate) enum Outcome {
    Open(Vec<Step>),
    Shut(Vec<Blocker>),
}

fn addrs(e: &NetworkInterface, fam: Family) -> Vec<u128> {
    let list = match fam {
        Family::Ipv4 => &e.private_ip_addresses,
        Family::Ipv6 => &e.ipv6_addresses,
    };
    list.iter().filter_map(|ip| ip.parse::<std::net::IpAddr>().ok()).map(addr_point).filter(|(f, _)| *f == fam).map(|(_, a)| a).collect()
}

fn cidr_holds(c: &str, fam: Family, a: u128) -> bool {
    parse_cidr(c).is_some_and(|(f, s)| f == fam && s.contains(a))
}

/// The VPCs of an EC2 section whose address ranges (VPC CIDR blocks, and the local routes of
/// its route tables, which carry the same blocks) hold `a`.
pub(crate) fn vpcs_holding(ec2: &Ec2, fam: Family, a: u128) -> Vec<String> {
    let mut out = Vec::new();
    for v in ec2.vpcs.known().into_iter().flatten() {
        if v.cidr_blocks.iter().chain(&v.ipv6_cidr_blocks).any(|c| cidr_holds(c, fam, a)) {
            out.push(v.vpc_id.clone());
        }
    }
    for t in ec2.route_tables.known().into_iter().flatten() {
        let local = t.routes.iter().filter(|r| r.target == "local");
        if local.flat_map(|r| r.destination_cidr_block.iter().chain(&r.destination_ipv6_cidr_block)).any(|c| cidr_holds(c, fam, a)) {
            out.push(t.vpc_id.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The peering connection joining two VPCs (an active one first), when connections were read.
fn peering_between<'a>(ctx: &Ctx<'a>, a: &str, b: &str) -> R<Option<&'a VpcPeering>> {
    let list =
        ctx.ec2.vpc_peering_connections.as_result().map_err(|r| vec![format!("ec2 VPC peering connections in {}: {r}", ctx.where_())])?;
    let joins =
        |p: &&VpcPeering| (p.requester_vpc_id == a && p.accepter_vpc_id == b) || (p.requester_vpc_id == b && p.accepter_vpc_id == a);
    let mut v: Vec<&VpcPeering> = list.iter().filter(joins).collect();
    v.sort_by_key(|p| (p.status != "active", p.vpc_peering_connection_id.as_str()));
    Ok(v.first().copied())
}

/// Locates `a` in the region: the interface holding it, else the subnet whose CIDR holds it.
/// Overlapping VPCs are resolved towards `prefer` (the target's VPC), then VPCs peered with it.
/// `Ok(None)`: no VPC of the region holds the address (an internet source).
pub(crate) fn locate<'a>(ctx: &Ctx<'a>, fam: Family, a: u128, prefer: &str) -> R<Option<Origin<'a>>> {
    let rank = |vpc: &str| -> (bool, bool) {
        let peered = vpc != prefer && matches!(peering_between(ctx, prefer, vpc), Ok(Some(p)) if p.status == "active");
        (vpc != prefer, !peered)
    };
    let mut enis: Vec<&'a NetworkInterface> = ctx.enis.iter().filter(|e| addrs(e, fam).contains(&a)).collect();
    enis.sort_by(|x, y| (rank(&x.vpc_id), &x.network_interface_id).cmp(&(rank(&y.vpc_id), &y.network_interface_id)));
    if let Some(e) = enis.first() {
        return Ok(Some(Origin { vpc: &e.vpc_id, subnet: &e.subnet_id, eni: Some(e) }));
    }
    let holders = vpcs_holding(ctx.ec2, fam, a);
    match ctx.ec2.subnets.as_result() {
        Ok(subnets) => {
            let mut hit: Vec<_> =
                subnets.iter().filter(|s| s.cidr_block.iter().chain(&s.ipv6_cidr_blocks).any(|c| cidr_holds(c, fam, a))).collect();
            hit.sort_by(|x, y| (rank(&x.vpc_id), &x.subnet_id).cmp(&(rank(&y.vpc_id), &y.subnet_id)));
            if let Some(s) = hit.first() {
                return Ok(Some(Origin { vpc: &s.vpc_id, subnet: &s.subnet_id, eni: None }));
            }
            match holders.first() {
                Some(v) => Err(vec![format!("the source is inside {v} but in none of its subnets in the inventory")]),
                None => Ok(None),
            }
        }
        Err(r) if !holders.is_empty() => {
            Err(vec![format!("ec2 subnets in {}: {r} (the source is inside {})", ctx.where_(), holders.join(", "))])
        }
        Err(_) => Ok(None),
    }
}

/// How a route table sends one address.
enum Via<'a> {
    Local,
    Peering(&'a str),
    Tgw(TgwHop<'a>),
    /// Routed to a transit gateway that drops it: the route and the component that stops it.
    TgwShut(&'a Route, TgwBlock),
    /// No usable route: the route that applies (if any), and why it does not deliver.
    Not(Option<&'a Route>, String),
}

/// Where a flow leaves and where it goes: (VPC, subnet) of each end, and the destination's
/// block as a route would name it.
pub(crate) struct Ends<'s> {
    pub from_vpc: &'s str,
    pub from_subnet: &'s str,
    pub to_vpc: &'s str,
    pub to_subnet: &'s str,
    pub to_block: String,
}

/// The route `t` uses for `to`, judged for a flow between the two ends.
fn via<'a>(ctx: &Ctx<'a>, t: &'a RouteTable, fam: Family, to: u128, ends: &Ends) -> R<Via<'a>> {
    let (from_vpc, to_vpc) = (ends.from_vpc, ends.to_vpc);
    let Some(r) = lookup_route(ctx, t, fam, to) else {
        return Ok(Via::Not(None, String::new()));
    };
    if r.target == "local" {
        return Ok(if from_vpc == to_vpc { Via::Local } else { Via::Not(Some(r), String::new()) });
    }
    if r.target.starts_with("tgw-") && r.state == "active" {
        if from_vpc == to_vpc {
            return Ok(Via::Not(Some(r), format!(" (traffic inside {from_vpc} is not sent through {})", r.target)));
        }
        let (from_az, to_az) = (subnet_az(ctx, ends.from_subnet)?, subnet_az(ctx, ends.to_subnet)?);
        return Ok(match via_tgw(ctx, r, (fam, to), ends, (from_az, to_az))? {
            TgwVia::Hop(h) => Via::Tgw(h),
            TgwVia::Shut(b) => Via::TgwShut(r, b),
        });
    }
    if r.target.starts_with("pcx-") && r.state == "active" {
        let list = ctx
            .ec2
            .vpc_peering_connections
            .as_result()
            .map_err(|m| vec![format!("ec2 VPC peering connections in {}: {m}", ctx.where_())])?;
        let Some(p) = list.iter().find(|p| p.vpc_peering_connection_id == r.target) else {
            return Err(vec![format!("VPC peering connection {} is not in the inventory", r.target)]);
        };
        let ends = [p.requester_vpc_id.as_str(), p.accepter_vpc_id.as_str()];
        if from_vpc == to_vpc {
            return Ok(Via::Not(Some(r), format!(" (traffic inside {from_vpc} never leaves through a peering connection)")));
        }
        if !(ends.contains(&from_vpc) && ends.contains(&to_vpc)) {
            return Ok(Via::Not(Some(r), format!(" (peering is not transitive: {} joins only {} and {})", r.target, ends[0], ends[1])));
        }
        if p.status != "active" {
            return Ok(Via::Not(Some(r), format!(" ({} is {})", r.target, p.status)));
        }
        return Ok(Via::Peering(&p.vpc_peering_connection_id));
    }
    Ok(Via::Not(Some(r), String::new()))
}

/// The local route block of `t` holding `a` (the VPC CIDR a peer should route), else `a` itself.
fn local_block(t: &RouteTable, fam: Family, a: u128) -> String {
    t.routes
        .iter()
        .filter(|r| r.target == "local")
        .flat_map(|r| r.destination_cidr_block.iter().chain(&r.destination_ipv6_cidr_block))
        .find(|c| cidr_holds(c, fam, a))
        .cloned()
        .unwrap_or_else(|| host(fam, a))
}

fn host(fam: Family, a: u128) -> String {
    match fam {
        Family::Ipv4 => format!("{}/32", std::net::Ipv4Addr::from((a & 0xffff_ffff) as u32)),
        Family::Ipv6 => format!("{}/128", std::net::Ipv6Addr::from(a)),
    }
}

fn group_matches(r: &SgRule, peer: Option<&NetworkInterface>, ctx: &Ctx, fam: Family, a: u128) -> bool {
    match &r.peer {
        SgPeer::Group { group_id, .. } => peer.is_some_and(|e| e.security_group_ids.iter().any(|g| g == group_id)),
        other => matches!(peer_set(ctx, other, fam), Ok(Some(s)) if s.contains(a)),
    }
}

/// Rules of `groups` (ingress or egress) that let `f` to or from `peer` / address `a`.
pub(crate) fn admitting(
    ctx: &Ctx,
    groups: &[&SecurityGroup],
    ingress: bool,
    f: Flow,
    peer: Option<&NetworkInterface>,
    a: u128,
) -> Vec<Step> {
    let Flow { p, port, fam } = f;
    let mut steps = Vec::new();
    for g in groups {
        let rules = if ingress { &g.ingress } else { &g.egress };
        let hit: Vec<String> = rules
            .iter()
            .filter(|r| matches!(sg_rule_ports(r, p), Some((lo, hi)) if lo <= port && port <= hi))
            .filter(|r| group_matches(r, peer, ctx, fam, a))
            .map(|r| rule_label(r, p))
            .collect();
        if !hit.is_empty() {
            steps.push(Step::new(&g.group_id, ComponentType::SecurityGroup, hit));
        }
    }
    steps
}

/// One flow from `src` (at `o`) to the interface `dst_eni`, over every address of the family
/// it has: open on the first address whose path is open, else the blockers of its first address.
pub(crate) fn flow<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    (src, only): (u128, Option<u128>),
    dst_eni: &'a NetworkInterface,
    f: Flow,
) -> R<Outcome> {
    let fam = f.fam;
    let id = &dst_eni.network_interface_id;
    // `only`: one address of the destination was asked for.
    let dsts: Vec<u128> = addrs(dst_eni, fam).into_iter().filter(|a| only.is_none_or(|x| x == *a)).collect();
    if dsts.is_empty() {
        let (rule, change) = match fam {
            Family::Ipv4 => ("no private IPv4 address".to_string(), format!("assign a private IPv4 address to {id}")),
            Family::Ipv6 => ("no IPv6 address".to_string(), format!("assign an IPv6 address to {id}")),
        };
        return Ok(Outcome::Shut(vec![Blocker {
            network_interface_id: id.clone(),
            family: fam,
            component_id: id.clone(),
            component_type: ComponentType::Eni,
            rule,
            change,
        }]));
    }
    let mut first = None;
    for d in dsts {
        match one(ctx, cache, o, src, (dst_eni, d), f)? {
            Outcome::Open(s) => return Ok(Outcome::Open(s)),
            shut => {
                if first.is_none() {
                    first = Some(shut);
                }
            }
        }
    }
    Ok(first.unwrap_or(Outcome::Shut(Vec::new())))
}

/// One flow to one destination address; blocked stages are assumed fixed before the next is
/// examined, so the blockers together are the change that opens it.
fn one<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    src: u128,
    (dst_eni, dst): (&'a NetworkInterface, u128),
    f: Flow,
) -> R<Outcome> {
    let Flow { p, port, fam } = f;
    let dvpc = dst_eni.vpc_id.as_str();
    let (srtb_i, drtb_i) = (ctx.subnet_route_table(o.vpc, o.subnet)?, ctx.route_table(dst_eni)?);
    // Unread prefix lists in either table make the longest-prefix match unknowable.
    for t in [srtb_i, drtb_i] {
        cache.routes(ctx, t, fam).as_ref().as_ref().map_err(Clone::clone)?;
    }
    let (srtb, drtb) = (ctx.rtb(srtb_i), ctx.rtb(drtb_i));
    // Only the suggested fixes use it: a flow whose route names a peering connection needs the
    // connections read (see `via`); others do not.
    let link = if o.vpc == dvpc { None } else { peering_between(ctx, o.vpc, dvpc).unwrap_or(None) };
    let src_groups = match o.eni {
        Some(e) => ctx.groups(e)?,
        None => Vec::new(),
    };
    let dst_groups = ctx.groups(dst_eni)?;
    // Unread prefix lists named by either side's rules make the answer unknown, never blocked.
    for (groups, ingress) in [(&src_groups, false), (&dst_groups, true)] {
        for g in groups.iter() {
            for r in if ingress { &g.ingress } else { &g.egress } {
                if let SgPeer::PrefixList(id) = &r.peer {
                    ctx.prefix_list(id, fam)?;
                }
            }
        }
    }
    let (src_text, dst_text) = (host(fam, src), host(fam, dst));
    let forward =
        Ends { from_vpc: o.vpc, from_subnet: o.subnet, to_vpc: dvpc, to_subnet: &dst_eni.subnet_id, to_block: local_block(drtb, fam, dst) };
    let backward =
        Ends { from_vpc: dvpc, from_subnet: &dst_eni.subnet_id, to_vpc: o.vpc, to_subnet: o.subnet, to_block: local_block(srtb, fam, src) };
    // Routes first: whether a transit gateway carries the flow decides which security group
    // rules can match (no group references across a transit gateway) and which ACLs it crosses.
    let fwd = via(ctx, srtb, fam, dst, &forward)?;
    let back = via(ctx, drtb, fam, src, &backward)?;
    let via_tgw = matches!(fwd, Via::Tgw(_));
    let (src_peer, dst_peer) = if via_tgw { (None, None) } else { (o.eni, Some(dst_eni)) };
    let mut out = Vec::new();
    let mut steps = Vec::new();
    let mk = |component_id: &str, t: ComponentType, rule: String, change: String| Blocker {
        network_interface_id: dst_eni.network_interface_id.clone(),
        family: fam,
        component_id: component_id.to_string(),
        component_type: t,
        rule,
        change,
    };
    let link_fix = |t: &RouteTable, block: &str| -> String {
        match link {
            Some(l) if l.status == "active" => {
                format!("add route {block} → {} to {}", l.vpc_peering_connection_id, t.route_table_id)
            }
            Some(l) => {
                format!("accept {} (now {}) and add route {block} → it to {}", l.vpc_peering_connection_id, l.status, t.route_table_id)
            }
            None => format!(
                "create and accept a VPC peering connection between {} and {dvpc}, then add route {block} → it to {}",
                o.vpc, t.route_table_id
            ),
        }
    };
    // 1. The source interface's security groups (egress).
    if let Some(se) = o.eni {
        let s = admitting(ctx, &src_groups, false, f, dst_peer, dst);
        if s.is_empty() {
            let gid = src_groups.first().map_or(se.network_interface_id.as_str(), |g| g.group_id.as_str());
            out.push(mk(
                gid,
                if src_groups.is_empty() { ComponentType::Eni } else { ComponentType::SecurityGroup },
                format!("no outbound rule of {} allows {p} {port} to {dst_text}", se.network_interface_id),
                format!("add an outbound rule {p} {port} to {dst_text} to {gid}"),
            ));
        }
        steps.push(Step::new(&se.network_interface_id, ComponentType::Eni, Vec::new()));
        steps.extend(s);
    }
    // 2. Forward route: local inside one VPC; across VPCs a peering connection that joins
    //    exactly these two (no transit through a third VPC, no edge-to-edge routing), or a
    //    transit gateway (see `tgw.rs`).
    let label =
        |r: Option<&Route>, why: &str, to: &str| r.map_or_else(|| format!("no route to {to}"), |r| format!("{}{why}", route_label(r)));
    match &fwd {
        Via::Not(r, why) => {
            let change = if o.vpc == dvpc {
                format!("remove route {} from {} so that the local route applies", label(*r, "", &dst_text), srtb.route_table_id)
            } else {
                link_fix(srtb, &forward.to_block)
            };
            out.push(mk(&srtb.route_table_id, ComponentType::RouteTable, label(*r, why, &dst_text), change));
        }
        Via::TgwShut(r, b) => {
            steps.push(Step::new(&srtb.route_table_id, ComponentType::RouteTable, vec![route_label(r)]));
            out.push(mk(&b.component_id, b.component_type, b.rule.clone(), b.change.clone()));
        }
        Via::Local | Via::Peering(_) | Via::Tgw(_) => {
            let r = lookup_route(ctx, srtb, fam, dst).map(route_label).into_iter().collect();
            steps.push(Step::new(&srtb.route_table_id, ComponentType::RouteTable, r));
            if let Via::Peering(pcx) = fwd {
                steps.push(Step::new(pcx, ComponentType::VpcPeeringConnection, Vec::new()));
            }
            if let Via::Tgw(h) = &fwd {
                steps.push(Step::new(h.tgw, ComponentType::TransitGateway, Vec::new()));
                steps.push(Step::new(h.ingress, ComponentType::TransitGatewayAttachment, vec![format!("from {}", h.ingress_subnet)]));
                steps.push(Step::new(h.table, ComponentType::TransitGatewayRouteTable, vec![h.route.clone()]));
                steps.push(Step::new(h.egress, ComponentType::TransitGatewayAttachment, vec![format!("into {}", h.egress_subnet)]));
            }
        }
    }
    // 3. Network ACLs: none inside one subnet. Across a transit gateway the attachment
    //    subnets' ACLs are crossed too, unless the interface shares the subnet (tgw-nacls.html).
    if o.subnet != dst_eni.subnet_id {
        // (subnet, outbound?, the address the rule matches) in the order the packet crosses.
        let mut req: Vec<(&str, bool, u128)> = vec![(o.subnet, true, dst)];
        if let Via::Tgw(h) = &fwd {
            if h.ingress_subnet != o.subnet {
                req.push((h.ingress_subnet, false, src));
            }
            if h.egress_subnet != dst_eni.subnet_id {
                req.push((h.egress_subnet, true, dst));
            }
        }
        req.push((&dst_eni.subnet_id, false, src));
        let mut rep: Vec<(&str, bool, u128)> = vec![(&dst_eni.subnet_id, true, src)];
        if let Via::Tgw(h) = &back {
            if h.ingress_subnet != dst_eni.subnet_id {
                rep.push((h.ingress_subnet, false, dst));
            }
            if h.egress_subnet != o.subnet {
                rep.push((h.egress_subnet, true, src));
            }
        }
        rep.push((o.subnet, false, dst));
        let nacl_block = |n: &rampart_inventory::NetworkAcl, egress: bool, a: u128, q: u16, what: &str, ports: String| {
            let dir = if egress { "outbound" } else { "inbound" };
            let (rule, num) = nacl_rule_text(first_match(n, egress, p, fam, a, q), dir);
            let peer = host(fam, a);
            let prep = if egress { "to" } else { "from" };
            mk(
                &n.network_acl_id,
                ComponentType::Nacl,
                format!("{rule}{what}"),
                format!("add an {dir} allow rule numbered below {num} for {p}{ports} {prep} {peer} to {}", n.network_acl_id),
            )
        };
        // Rules that let the flow through, per ACL in the order the request meets them.
        let mut rules: Vec<(usize, Vec<String>)> = Vec::new();
        let mut note = |n: usize, text: String| match rules.iter_mut().find(|(i, _)| *i == n) {
            Some((_, v)) => v.push(text),
            None => rules.push((n, vec![text])),
        };
        let dir = |egress: bool| if egress { "outbound" } else { "inbound" };
        for &(subnet, egress, a) in &req {
            let n = ctx.nacl_idx(subnet)?;
            if cache.nacl(ctx, n, egress, false, p, fam).allows(port, a) {
                note(
                    n,
                    format!("{} #{} allow", dir(egress), first_match(ctx.nacl(n), egress, p, fam, a, port).map_or(0, |e| e.rule_number)),
                );
            } else {
                out.push(nacl_block(ctx.nacl(n), egress, a, port, "", format!(" {port}")));
            }
        }
        // The reply crosses every ACL of its way on one client ephemeral port: some port of
        // the range must pass them all.
        let mut legs = Vec::new();
        for &(subnet, egress, a) in &rep {
            let n = ctx.nacl_idx(subnet)?;
            legs.push((n, egress, a, cache.nacl(ctx, n, egress, true, p, fam).ports_for(a)));
        }
        let all = legs.iter().skip(1).fold(legs[0].3.clone(), |acc, l| acc.intersect(&l.3));
        let (lo, hi) = ephemeral(p);
        let eph = if p.has_ports() { format!(" {lo}-{hi}") } else { String::new() };
        if let Some(q) = all.first() {
            for &(n, egress, a, _) in &legs {
                note(
                    n,
                    format!(
                        "{} #{} allow (return)",
                        dir(egress),
                        first_match(ctx.nacl(n), egress, p, fam, a, q).map_or(0, |e| e.rule_number)
                    ),
                );
            }
        } else {
            let empty: Vec<usize> = (0..legs.len()).filter(|&i| legs[i].3.is_empty()).collect();
            if empty.is_empty() {
                // Each passes some port but no port passes all: open the last on a port the
                // others pass.
                let last = legs.len() - 1;
                let others = legs[..last].iter().skip(1).fold(legs[0].3.clone(), |acc, l| acc.intersect(&l.3));
                let (n, egress, a, _) = legs[last];
                out.push(nacl_block(ctx.nacl(n), egress, a, others.first().unwrap_or(lo), " (return traffic)", eph.clone()));
            } else {
                for i in empty {
                    let (n, egress, a, _) = legs[i];
                    out.push(nacl_block(ctx.nacl(n), egress, a, lo, " (return traffic)", eph.clone()));
                }
            }
        }
        for (n, r) in rules {
            steps.push(Step::new(&ctx.nacl(n).network_acl_id, ComponentType::Nacl, r));
        }
    }
    // 4. The destination's security groups (internet-facing NLBs without groups filter nothing).
    if !(dst_eni.interface_type == "network_load_balancer" && dst_eni.security_group_ids.is_empty()) {
        let s = admitting(ctx, &dst_groups, true, f, src_peer, src);
        if s.is_empty() {
            let (gid, t) = match dst_groups.first() {
                Some(g) => (g.group_id.as_str(), ComponentType::SecurityGroup),
                None => (dst_eni.network_interface_id.as_str(), ComponentType::Eni),
            };
            let names: Vec<&str> = dst_groups.iter().map(|g| g.group_id.as_str()).collect();
            let from = match src_peer.and_then(|e| e.security_group_ids.first()) {
                Some(g) => format!("{src_text} (or from {g})"),
                None => src_text.clone(),
            };
            out.push(mk(
                gid,
                t,
                format!("no inbound rule of [{}] allows {p} {port} from {src_text}", names.join(", ")),
                format!("add an inbound rule {p} {port} from {from} to {gid}"),
            ));
        }
        steps.extend(s);
    }
    // 5. Return route: the destination's table must send the reply back: locally within one
    //    VPC, through the same peering connection, or through a transit gateway that delivers
    //    it (replies may take another way than requests; security groups track the connection
    //    on the interfaces).
    let same_way = match (&fwd, &back) {
        (Via::Local, Via::Local) => true,
        (Via::Peering(a), Via::Peering(b)) => a == b,
        (Via::Peering(_) | Via::Tgw(_), Via::Peering(_) | Via::Tgw(_)) => true,
        (Via::Not(..) | Via::TgwShut(..), Via::Local | Via::Peering(_) | Via::Tgw(_)) => true,
        _ => false,
    };
    if same_way {
        let r = lookup_route(ctx, drtb, fam, src).map(route_label).into_iter().collect();
        steps.push(Step::new(&drtb.route_table_id, ComponentType::RouteTable, r));
        if let Via::Tgw(h) = &back {
            steps.push(Step::new(h.ingress, ComponentType::TransitGatewayAttachment, vec![format!("return from {}", h.ingress_subnet)]));
            steps.push(Step::new(h.table, ComponentType::TransitGatewayRouteTable, vec![format!("{} (return)", h.route)]));
            steps.push(Step::new(h.egress, ComponentType::TransitGatewayAttachment, vec![format!("return into {}", h.egress_subnet)]));
        }
    } else if let Via::TgwShut(_, b) = &back {
        out.push(mk(&b.component_id, b.component_type, format!("{} (return traffic)", b.rule), b.change.clone()));
    } else {
        let (r, why) = match &back {
            Via::Not(r, why) => (*r, why.clone()),
            _ => (lookup_route(ctx, drtb, fam, src), " (not the connection the request came through)".to_string()),
        };
        let change = if o.vpc == dvpc {
            format!("remove route {} from {} so that the local route applies", label(r, "", &src_text), drtb.route_table_id)
        } else {
            link_fix(drtb, &backward.to_block)
        };
        out.push(mk(&drtb.route_table_id, ComponentType::RouteTable, format!("{} (return traffic)", label(r, &why, &src_text)), change));
    }
    steps.push(Step::new(&dst_eni.network_interface_id, ComponentType::Eni, Vec::new()));
    Ok(if out.is_empty() { Outcome::Open(steps) } else { Outcome::Shut(out) })
}
