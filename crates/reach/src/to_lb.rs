//! Flows from inside a VPC (an instance, an interface, a private address) to a load balancer
//! (application, network or classic).
//!
//! AWS documentation followed:
//! - A client reaches a load balancer through its DNS name, which resolves to the addresses of
//!   the load balancer's nodes, one per enabled Availability Zone (subnet):
//!   <https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html>
//!   ("The DNS name ... resolves to the IP addresses of the load balancer nodes"; "The nodes of
//!   an internal load balancer have only private IP addresses ... the DNS name of an internal
//!   load balancer is publicly resolvable to the private IP addresses of the nodes. Therefore,
//!   internal load balancers can route requests from clients with access to the VPC"). Each node
//!   is one network interface of the load balancer in the inventory. **Our choice:** a client
//!   may be handed any node, so the flow is reachable when it gets through at least one node
//!   (and that node on to a target); blocked only when no node lets it through.
//! - The client → node hop is an ordinary flow to that interface (`from_vpc::flow`): the
//!   source's groups and route table (local, peering, transit gateway), network ACLs both ways,
//!   and the load balancer's security groups
//!   (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html>;
//!   a network load balancer created without security groups filters nothing:
//!   <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html>).
//! - Only a listener on the asked protocol and port answers
//!   (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html>,
//!   <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html>).
//! - The node → target hop is the one the engine models for internet clients
//!   (`engine::hop_sources`): the listener's default target group, the load balancer's groups
//!   (outbound) and the target's groups (inbound), the network ACLs between them; with client IP
//!   preservation (network load balancers: instance targets, and IP targets of UDP/TCP_UDP
//!   groups, <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation>)
//!   the target sees the *client's* address, so its groups and subnet ACL must admit that
//!   address (a rule naming the client's security group does not match: the packet arrives
//!   from the load balancer's interface), and a target can not reach itself through the load
//!   balancer ("NAT loopback, also known as hairpinning, is not supported when client IP
//!   preservation is enabled",
//!   <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-troubleshooting.html>).
//!   As for internet clients, cross-zone load balancing is not modelled: a node is assumed to
//!   forward to every registered target.
//! - The query asks whether the *service* answers: reachable when a request gets from the client
//!   through a node to at least one target. An internet-facing load balancer's DNS name resolves
//!   to public addresses, so from inside a VPC the flow leaves through the source's internet or
//!   NAT gateway and comes back to the load balancer from a public address; that hairpin is not
//!   modelled: `Unknown`, with that reason.

use crate::engine::{
    all_load_balancers, ephemeral, hop_sources, peer_set, primary_ip, sg_admits_eni, sg_rule_ports, Cache, Ctx, Hop, Lb, Target, R,
};
use crate::flow::Flow;
use crate::from_vpc::{flow, Origin, Outcome};
use crate::nacl::{first_match, nacl_rule_text};
use crate::set::{addr_point, AddrSet, Family, PortSet};
use crate::{Blocker, ComponentType, ExposedRange, Step};
use rampart_inventory::{NetworkInterface, SecurityGroup, SgPeer};
use std::net::IpAddr;

/// The answer for one load balancer.
pub(crate) enum LbOutcome {
    /// The node interface the client went through, and the whole path to the target.
    Open(String, Vec<Step>),
    Shut(Vec<Blocker>),
}

fn host(fam: Family, a: u128) -> String {
    match fam {
        Family::Ipv4 => format!("{}/32", std::net::Ipv4Addr::from((a & 0xffff_ffff) as u32)),
        Family::Ipv6 => format!("{}/128", std::net::Ipv6Addr::from(a)),
    }
}

fn blocker(eni: &str, fam: Family, id: &str, t: ComponentType, rule: String, change: String) -> Blocker {
    Blocker { network_interface_id: eni.to_string(), family: fam, component_id: id.to_string(), component_type: t, rule, change }
}

/// Prefix lists named by the groups' rules must be read, else the answer is unknown.
fn prefix_lists_read(ctx: &Ctx, groups: &[&SecurityGroup], fam: Family) -> R<()> {
    for g in groups {
        for r in g.ingress.iter().chain(&g.egress) {
            if let SgPeer::PrefixList(id) = &r.peer {
                ctx.prefix_list(id, fam)?;
            }
        }
    }
    Ok(())
}

/// A flow from `a` (located at `o`) to `p`/`port` of the load balancer owning the interfaces
/// `nodes` (indices into `ctx.enis`, all of one load balancer).
pub(crate) fn to_load_balancer<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    o: &Origin<'a>,
    a: IpAddr,
    nodes: &[usize],
    f: Flow,
) -> R<LbOutcome> {
    let (fam, pt) = addr_point(a);
    let Flow { p, port, .. } = f;
    let (lbs, unread) = all_load_balancers(ctx);
    let first = &ctx.enis[nodes[0]];
    let Some(lb) = lbs.iter().find(|l| l.enis.contains(&nodes[0])) else {
        if !unread.is_empty() {
            return Err(unread.iter().map(|(svc, why)| format!("{svc} load balancers in {}: {why}", ctx.where_())).collect());
        }
        return Err(vec![format!(
            "{} belongs to `{}`, a load balancer that is not in the inventory or not modelled (gateway load balancers)",
            first.network_interface_id,
            first.description.trim_start_matches("ELB ")
        )]);
    };
    if lb.internet_facing {
        return Err(vec![format!(
            "{} is internet-facing: from inside a VPC its DNS name resolves to its public addresses, so the flow leaves \
             through the source's internet gateway or NAT gateway and comes back to the load balancer from a public \
             address; that hairpin is not modelled (only internal load balancers are answered from inside a VPC)",
            lb.id
        )]);
    }
    if !lb.missing.is_empty() {
        return Err(lb.missing.clone());
    }
    let hops: Vec<&Hop> = lb.hops.iter().filter(|h| h.lb_port == port && h.protos.contains(&p)).collect();
    if hops.is_empty() {
        return Ok(LbOutcome::Shut(vec![blocker(
            &first.network_interface_id,
            fam,
            &lb.id,
            ComponentType::LoadBalancer,
            format!("no listener for {p} {port}"),
            format!("add a listener for {p} {port} to {}", lb.id),
        )]));
    }
    let lb_groups: Vec<&SecurityGroup> = lb.sgs.iter().filter_map(|g| ctx.group(g)).collect();
    prefix_lists_read(ctx, &lb_groups, Family::Ipv4)?;
    let mut order: Vec<usize> = nodes.to_vec();
    order.sort_by(|x, y| ctx.enis[*x].network_interface_id.cmp(&ctx.enis[*y].network_interface_id));
    let mut missing = Vec::new();
    let mut front_blocked = Vec::new();
    let mut open_front: Option<usize> = None;
    for n in order {
        let node = &ctx.enis[n];
        match flow(ctx, cache, o, (pt, None), node, f) {
            Err(m) => missing.extend(m),
            Ok(Outcome::Shut(b)) => front_blocked.extend(b),
            Ok(Outcome::Open(front)) => match to_target(ctx, cache, lb, node, &hops, f, pt) {
                Err(m) => missing.extend(m),
                Ok(Some(back)) => {
                    let mut steps = front;
                    steps.extend(back);
                    return Ok(LbOutcome::Open(node.network_interface_id.clone(), steps));
                }
                Ok(None) => {
                    open_front.get_or_insert(n);
                }
            },
        }
    }
    if !missing.is_empty() {
        missing.sort();
        missing.dedup();
        return Err(missing);
    }
    if let Some(n) = open_front {
        return Ok(LbOutcome::Shut(back_blockers(ctx, cache, lb, &ctx.enis[n], &hops, f, pt)?));
    }
    Ok(LbOutcome::Shut(front_blocked))
}

/// Whether the client address is one of the target's own (no hairpinning with client IP
/// preservation).
fn is_self(target: &NetworkInterface, fam: Family, pt: u128) -> bool {
    fam == Family::Ipv4 && target.private_ip_addresses.iter().filter_map(|x| x.parse::<IpAddr>().ok()).any(|x| addr_point(x) == (fam, pt))
}

/// The first target the node forwards the client's request to, with the path's remaining steps.
fn to_target<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    lb: &Lb<'a>,
    node: &'a NetworkInterface,
    hops: &[&Hop],
    f: Flow,
    pt: u128,
) -> R<Option<Vec<Step>>> {
    let Flow { p, fam, .. } = f;
    let fr = ExposedRange {
        protocol: p,
        family: fam,
        ports: PortSet::point(hops[0].lb_port),
        sources: Vec::new(),
        sources_text: String::new(),
        source_set: AddrSet::point(pt),
        steps: Vec::new(),
    };
    for h in hops {
        for &(ti, tport, preserve) in &h.targets {
            let target = &ctx.enis[ti];
            let tgroups = ctx.groups(target)?;
            prefix_lists_read(ctx, &tgroups, Family::Ipv4)?;
            let Some(tip) = primary_ip(target) else {
                continue;
            };
            if preserve && is_self(target, fam, pt) {
                continue;
            }
            let t = Target { eni: target, groups: &tgroups, ip: tip, port: tport, preserve };
            let (src, rules) = hop_sources(ctx, cache, lb, node, &t, &fr)?;
            if src.is_empty() {
                continue;
            }
            let mut steps = vec![
                Step::new(&lb.id, ComponentType::LoadBalancer, vec![lb.kind.to_string()]),
                Step::new(&h.listener, ComponentType::Listener, Vec::new()),
            ];
            if let Some(tg) = &h.tg {
                let how = if preserve && fam == Family::Ipv4 { "client IP preserved" } else { "from the load balancer's address" };
                steps.push(Step::new(tg, ComponentType::TargetGroup, vec![format!("{p} {tport}, {how}")]));
            }
            if node.subnet_id != target.subnet_id {
                if let Ok(n) = ctx.nacl_idx(&target.subnet_id) {
                    steps.push(Step::new(&ctx.nacl(n).network_acl_id, ComponentType::Nacl, Vec::new()));
                }
            }
            steps.extend(rules);
            steps.push(Step::new(&target.network_interface_id, ComponentType::Eni, Vec::new()));
            return Ok(Some(steps));
        }
    }
    Ok(None)
}

/// Why the node cannot forward the request to any target: every stage that stops it on the way
/// to the first registered target (fixing all of them opens that path).
fn back_blockers<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    lb: &Lb<'a>,
    node: &'a NetworkInterface,
    hops: &[&Hop],
    f: Flow,
    pt: u128,
) -> R<Vec<Blocker>> {
    let Flow { p, fam, .. } = f;
    let client = host(fam, pt);
    let Some((h, &(ti, tport, preserve))) =
        hops.iter().find_map(|h| h.targets.iter().find(|t| primary_ip(&ctx.enis[t.0]).is_some()).map(|t| (*h, t)))
    else {
        let h = hops[0];
        let (id, t, change) = match &h.tg {
            Some(tg) => (tg.as_str(), ComponentType::TargetGroup, format!("register a target in {tg}")),
            None => (lb.id.as_str(), ComponentType::LoadBalancer, format!("register an instance with {}", lb.id)),
        };
        return Ok(vec![blocker(
            &node.network_interface_id,
            fam,
            id,
            t,
            format!("no registered target of listener {} is in the inventory", h.listener),
            change,
        )]);
    };
    let target = &ctx.enis[ti];
    let tid = target.network_interface_id.as_str();
    let tgroups = ctx.groups(target)?;
    let tip = primary_ip(target).unwrap_or(0);
    let lip = primary_ip(node).unwrap_or(0);
    let v4 = Family::Ipv4;
    let to_target = Flow { p, port: tport, fam: v4 };
    let mut out = Vec::new();
    let mk = |id: &str, t: ComponentType, rule: String, change: String| blocker(tid, fam, id, t, rule, change);
    let preserved = preserve && fam == Family::Ipv4;
    if preserved && is_self(target, fam, pt) {
        out.push(mk(
            tid,
            ComponentType::Eni,
            format!("{client} is the target itself: with client IP preservation a target cannot reach itself through the load balancer (no hairpinning)"),
            format!("disable client IP preservation on {} or connect from another host", h.tg.as_deref().unwrap_or(&lb.id)),
        ));
        return Ok(out);
    }
    let tgroup = tgroups.first().map_or(tid, |g| g.group_id.as_str());
    let tgroup_t = if tgroups.is_empty() { ComponentType::Eni } else { ComponentType::SecurityGroup };
    let tnames: Vec<&str> = tgroups.iter().map(|g| g.group_id.as_str()).collect();
    // 1. The load balancer's groups must let the request out to the target.
    let lb_groups: Vec<&SecurityGroup> = lb.sgs.iter().filter_map(|g| ctx.group(g)).collect();
    if !lb.sgs.is_empty() && !sg_admits_eni(ctx, &lb_groups, false, to_target, target, tip) {
        let to = match tgroups.first() {
            Some(g) => format!("{} (or to {})", host(v4, tip), g.group_id),
            None => host(v4, tip),
        };
        out.push(mk(
            lb.sgs[0],
            ComponentType::SecurityGroup,
            format!("no outbound rule of [{}] allows {p} {tport} to {}", lb.sgs.join(", "), host(v4, tip)),
            format!("add an outbound rule {p} {tport} to {to} to {}", lb.sgs[0]),
        ));
    }
    let nacl_block = |n: &rampart_inventory::NetworkAcl, egress: bool, a: u128, q: u16, what: &str, ports: String| {
        let dir = if egress { "outbound" } else { "inbound" };
        let (rule, num) = nacl_rule_text(first_match(n, egress, p, v4, a, q), dir);
        let prep = if egress { "to" } else { "from" };
        mk(
            &n.network_acl_id,
            ComponentType::Nacl,
            format!("{rule}{what}"),
            format!("add an {dir} allow rule numbered below {num} for {p}{ports} {prep} {} to {}", host(v4, a), n.network_acl_id),
        )
    };
    let (lo, hi) = ephemeral(p);
    let eph = if p.has_ports() { format!(" {lo}-{hi}") } else { String::new() };
    if preserved {
        // 2. The target sees the client's address.
        let admitted = tgroups.iter().any(|g| {
            g.ingress.iter().any(|r| {
                matches!(sg_rule_ports(r, p), Some((a, b)) if a <= tport && tport <= b)
                    && matches!(peer_set(ctx, &r.peer, v4), Ok(Some(s)) if s.contains(pt))
            })
        });
        if !admitted {
            out.push(mk(
                tgroup,
                tgroup_t,
                format!(
                    "no inbound rule of [{}] allows {p} {tport} from {client} (client IP preservation: the target sees the client's address, not the load balancer's)",
                    tnames.join(", ")
                ),
                format!("add an inbound rule {p} {tport} from {client} to {tgroup}"),
            ));
        }
        if node.subnet_id != target.subnet_id {
            let (nl, nt) = (ctx.nacl_idx(&node.subnet_id)?, ctx.nacl_idx(&target.subnet_id)?);
            if !cache.nacl(ctx, nl, true, false, p, v4).allows(tport, tip) {
                out.push(nacl_block(ctx.nacl(nl), true, tip, tport, "", format!(" {tport}")));
            }
            if !cache.nacl(ctx, nt, false, false, p, v4).allows(tport, pt) {
                out.push(nacl_block(ctx.nacl(nt), false, pt, tport, " (client IP preservation)", format!(" {tport}")));
            }
            if !cache.nacl(ctx, nt, true, true, p, v4).any.contains(pt) {
                out.push(nacl_block(ctx.nacl(nt), true, pt, lo, " (return traffic to the client)", eph.clone()));
            }
        }
    } else {
        // 2. The target sees the load balancer node's private address.
        if !sg_admits_eni(ctx, &tgroups, true, to_target, node, lip) {
            let from = match lb.sgs.first() {
                Some(g) => format!("{g} (or from {})", host(v4, lip)),
                None => host(v4, lip),
            };
            out.push(mk(
                tgroup,
                tgroup_t,
                format!(
                    "no inbound rule of [{}] allows {p} {tport} from the load balancer ({}, {})",
                    tnames.join(", "),
                    node.network_interface_id,
                    host(v4, lip)
                ),
                format!("add an inbound rule {p} {tport} from {from} to {tgroup}"),
            ));
        }
        if node.subnet_id != target.subnet_id {
            let (nf, nt) = (ctx.nacl_idx(&node.subnet_id)?, ctx.nacl_idx(&target.subnet_id)?);
            if !cache.nacl(ctx, nf, true, false, p, v4).allows(tport, tip) {
                out.push(nacl_block(ctx.nacl(nf), true, tip, tport, "", format!(" {tport}")));
            }
            if !cache.nacl(ctx, nt, false, false, p, v4).allows(tport, lip) {
                out.push(nacl_block(ctx.nacl(nt), false, lip, tport, "", format!(" {tport}")));
            }
            let back_out = cache.nacl(ctx, nt, true, true, p, v4).ports_for(lip);
            let back_in = cache.nacl(ctx, nf, false, true, p, v4).ports_for(tip);
            if back_out.is_empty() {
                out.push(nacl_block(ctx.nacl(nt), true, lip, lo, " (return traffic)", eph.clone()));
            }
            if back_in.is_empty() || (!back_out.is_empty() && !back_out.intersects(&back_in)) {
                let q = back_out.first().unwrap_or(lo);
                out.push(nacl_block(ctx.nacl(nf), false, tip, q, " (return traffic)", eph.clone()));
            }
        }
    }
    if out.is_empty() {
        // Every stage above passes but the engine found no path: say so rather than guess.
        out.push(mk(
            &lb.id,
            ComponentType::LoadBalancer,
            format!("{} does not forward {p} to {tid} on port {tport}", lb.id),
            format!("check the listener {} and its target group", h.listener),
        ));
    }
    Ok(out)
}
