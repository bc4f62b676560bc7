//! Transit gateways: how a VPC route whose target is a transit gateway carries a flow from one
//! VPC of the region to another.
//!
//! AWS documentation followed:
//! - <https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html>: a packet
//!   enters the transit gateway through the attachment of the VPC it leaves; "the transit
//!   gateway routes [it] using the route table associated with the attachment" (the *ingress*
//!   attachment); "Route evaluation order": the most specific route wins, and for the same
//!   destination static routes win over propagated ones; a blackhole route drops ("Traffic that
//!   matches the route is dropped"). An attachment with no associated route table cannot send
//!   traffic through the transit gateway. The route's attachment is where the packet leaves.
//! - Same page, "Availability Zones": "When you attach a VPC to a transit gateway, you must
//!   enable one or more Availability Zones to be used by the transit gateway to route traffic
//!   to resources in the VPC subnets ... resources in Availability Zones where there is no
//!   transit gateway attachment cannot reach the transit gateway" — so the source's AZ needs
//!   an attachment subnet of the source VPC (and, for the reply, the destination's AZ one of
//!   the destination VPC). "Appliance mode": "a transit gateway attempts to keep traffic
//!   routed between VPC attachments in the originating Availability Zone ... Traffic crosses
//!   Availability Zones between attachments only if there's an Availability Zone failure or if
//!   there are no subnets associated with a VPC attachment in that Availability Zone" — so the
//!   packet enters the destination VPC through its attachment subnet in the source's AZ, else
//!   (our choice, AWS does not say which) the one in the destination's own AZ, else the first.
//! - <https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html>: network ACLs of the
//!   attachment subnets are evaluated as the packet crosses them (from an instance to the
//!   transit gateway: the instance subnet's outbound rules, then the attachment subnet's
//!   inbound rules; into the VPC: the attachment subnet's outbound rules, then the instance
//!   subnet's inbound rules); when the instance and the attachment share a subnet, its ACL is
//!   evaluated once.
//! - Security group rules that reference a group across a transit gateway need the transit
//!   gateway's "security group referencing" support, which the inventory does not hold: across
//!   a transit gateway only CIDR and prefix-list rules match.
//!
//! Internet traffic never crosses a transit gateway into another VPC: an internet gateway
//! only translates the public addresses of interfaces in its own VPC
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html>), and a reply
//! routed to a transit gateway reaches the internet only through a NAT device, which does not
//! carry connections started from outside. An instance in VPC B is reachable from the internet
//! through VPC A only via an intermediary there (a load balancer or a proxy): ask
//! `query` from that intermediary's address to the instance.

use crate::engine::{Ctx, R};
use crate::from_vpc::Ends;
use crate::set::{parse_cidr, Family};
use crate::ComponentType;
use rampart_inventory::{Route, TgwRoute, TgwRouteTable, TgwVpcAttachment, TransitGateway};

/// A flow carried by a transit gateway from one VPC to another.
pub(crate) struct TgwHop<'a> {
    pub tgw: &'a str,
    pub ingress: &'a str,
    pub ingress_subnet: &'a str,
    pub table: &'a str,
    pub route: String,
    pub egress: &'a str,
    pub egress_subnet: &'a str,
}

/// Which transit gateway component stops a flow, and the smallest change that opens it.
pub(crate) struct TgwBlock {
    pub component_id: String,
    pub component_type: ComponentType,
    pub rule: String,
    pub change: String,
}

pub(crate) enum TgwVia<'a> {
    Hop(TgwHop<'a>),
    Shut(TgwBlock),
}

fn shut<'a>(id: &str, t: ComponentType, rule: String, change: String) -> R<TgwVia<'a>> {
    Ok(TgwVia::Shut(TgwBlock { component_id: id.to_string(), component_type: t, rule, change }))
}

/// The Availability Zone of a subnet of the region.
pub(crate) fn subnet_az<'a>(ctx: &Ctx<'a>, subnet: &str) -> R<&'a str> {
    let subnets = ctx.ec2.subnets.as_result().map_err(|r| vec![format!("ec2 subnets in {}: {r}", ctx.where_())])?;
    subnets
        .iter()
        .find(|s| s.subnet_id == subnet)
        .map(|s| s.availability_zone.as_str())
        .ok_or_else(|| vec![format!("subnet {subnet} is not in the inventory")])
}

fn tgws<'a>(ctx: &Ctx<'a>) -> R<&'a [TransitGateway]> {
    ctx.ec2.transit_gateways.as_result().map(Vec::as_slice).map_err(|r| vec![format!("ec2 transit gateways in {}: {r}", ctx.where_())])
}

fn vpc_attachments<'a>(ctx: &Ctx<'a>) -> R<&'a [TgwVpcAttachment]> {
    ctx.ec2
        .transit_gateway_vpc_attachments
        .as_result()
        .map(Vec::as_slice)
        .map_err(|r| vec![format!("ec2 transit gateway VPC attachments in {}: {r}", ctx.where_())])
}

fn tables<'a>(ctx: &Ctx<'a>) -> R<&'a [TgwRouteTable]> {
    ctx.ec2
        .transit_gateway_route_tables
        .as_result()
        .map(Vec::as_slice)
        .map_err(|r| vec![format!("ec2 transit gateway route tables in {}: {r}", ctx.where_())])
}

/// The attachment subnet of `a` in `az`.
fn subnet_in<'a>(ctx: &Ctx<'a>, a: &'a TgwVpcAttachment, az: &str) -> R<Option<&'a str>> {
    for s in &a.subnet_ids {
        if subnet_az(ctx, s)? == az {
            return Ok(Some(s.as_str()));
        }
    }
    Ok(None)
}

/// A transit gateway route's destination for one family: (prefix length, addresses).
/// Prefix-list routes rank as `/0`, like prefix-list routes of VPC route tables here.
fn tgw_route_dest(ctx: &Ctx, r: &TgwRoute, fam: Family) -> R<Option<(u32, crate::set::AddrSet)>> {
    if let Some(c) = &r.destination_cidr_block {
        let len = c.rsplit_once('/').and_then(|(_, l)| l.parse().ok()).unwrap_or(0);
        return Ok(parse_cidr(c).filter(|(f, _)| *f == fam).map(|(_, s)| (len, s)));
    }
    if let Some(pl) = &r.prefix_list_id {
        let s = ctx.prefix_list(pl, fam)?;
        return Ok((!s.is_empty()).then_some((0, s)));
    }
    Ok(None)
}

/// The route of a transit gateway route table for one address: the most specific among
/// active and blackhole routes, static before propagated.
pub(crate) fn lookup_tgw_route<'a>(ctx: &Ctx, routes: &'a [TgwRoute], fam: Family, a: u128) -> R<Option<&'a TgwRoute>> {
    let mut best: Option<((u32, bool), &TgwRoute)> = None;
    for r in routes.iter().filter(|r| r.state == "active" || r.state == "blackhole") {
        if let Some((len, set)) = tgw_route_dest(ctx, r, fam)? {
            if set.contains(a) {
                let key = (len, r.route_type == "static");
                if best.is_none_or(|(k, _)| key > k) {
                    best = Some((key, r));
                }
            }
        }
    }
    Ok(best.map(|b| b.1))
}

pub(crate) fn tgw_route_label(r: &TgwRoute) -> String {
    let dest = r.destination_cidr_block.as_deref().or(r.prefix_list_id.as_deref()).unwrap_or("?");
    if r.state == "blackhole" {
        format!("{dest} → blackhole ({})", r.route_type)
    } else if r.transit_gateway_attachment_ids.is_empty() {
        format!("{dest} → no attachment ({}, {})", r.route_type, r.state)
    } else {
        format!("{dest} → {} ({})", r.transit_gateway_attachment_ids.join(", "), r.route_type)
    }
}

/// How the transit gateway named by the VPC route `r` carries a packet to `to` (in
/// `ends.to_vpc`) sent from `ends.from_vpc` in Availability Zone `from_az`; `to_az` is the
/// destination's zone. `ends.to_block` names the destination in suggested routes.
pub(crate) fn via_tgw<'a>(
    ctx: &Ctx<'a>,
    r: &'a Route,
    (fam, to): (Family, u128),
    ends: &Ends,
    (from_az, to_az): (&str, &str),
) -> R<TgwVia<'a>> {
    let (to_block, from_vpc, to_vpc) = (ends.to_block.as_str(), ends.from_vpc, ends.to_vpc);
    let id = r.target.as_str();
    let Some(g) = tgws(ctx)?.iter().find(|g| g.transit_gateway_id == id) else {
        return Err(vec![format!("transit gateway {id} is not in the inventory (shared from another account?)")]);
    };
    if g.state != "available" {
        return shut(id, ComponentType::TransitGateway, format!("{id} is {}", g.state), format!("wait until {id} is available"));
    }
    let atts = vpc_attachments(ctx)?;
    let of_vpc = |vpc: &str| -> Option<&'a TgwVpcAttachment> {
        let mut v: Vec<&TgwVpcAttachment> =
            atts.iter().filter(|a| a.transit_gateway_id == id && a.vpc_id == vpc && a.state != "deleted").collect();
        v.sort_by_key(|a| (a.state != "available", a.transit_gateway_attachment_id.as_str()));
        v.first().copied()
    };
    // 1. The ingress attachment: the source VPC's, with a subnet in the source's zone.
    let Some(ing) = of_vpc(from_vpc) else {
        return shut(
            id,
            ComponentType::TransitGateway,
            format!("{from_vpc} is not attached to {id}"),
            format!("attach {from_vpc} to {id} with a subnet in {from_az}"),
        );
    };
    let ing_id = ing.transit_gateway_attachment_id.as_str();
    if ing.state != "available" {
        return shut(
            ing_id,
            ComponentType::TransitGatewayAttachment,
            format!("{ing_id} is {}", ing.state),
            format!("accept {ing_id} or wait until it is available"),
        );
    }
    let Some(ing_subnet) = subnet_in(ctx, ing, from_az)? else {
        return shut(
            ing_id,
            ComponentType::TransitGatewayAttachment,
            format!("{ing_id} has no subnet in {from_az}: resources there cannot reach {id}"),
            format!("add a subnet of {from_vpc} in {from_az} to {ing_id}"),
        );
    };
    // 2. The route table associated with the ingress attachment.
    let mut assoc = None;
    for t in tables(ctx)?.iter().filter(|t| t.transit_gateway_id == id) {
        let links = t
            .associations
            .as_result()
            .map_err(|m| vec![format!("associations of transit gateway route table {}: {m}", t.transit_gateway_route_table_id)])?;
        if links.iter().any(|l| l.transit_gateway_attachment_id == ing_id && l.state == "associated") {
            assoc = Some(t);
            break;
        }
    }
    let dst_att = of_vpc(to_vpc);
    let dst_name = dst_att.map_or_else(|| format!("an attachment of {to_vpc}"), |a| a.transit_gateway_attachment_id.clone());
    let Some(table) = assoc else {
        return shut(
            ing_id,
            ComponentType::TransitGatewayAttachment,
            format!("{ing_id} is associated with no route table of {id}: its traffic is dropped"),
            format!("associate {ing_id} with a route table of {id} that routes {to_block} to {dst_name}"),
        );
    };
    let tid = table.transit_gateway_route_table_id.as_str();
    let routes = table.routes.as_result().map_err(|m| vec![format!("routes of transit gateway route table {tid}: {m}")])?;
    // 3. Longest-prefix match in that table.
    let Some(route) = lookup_tgw_route(ctx, routes, fam, to)? else {
        return shut(
            tid,
            ComponentType::TransitGatewayRouteTable,
            format!("no route to {to_block}"),
            format!("add a static route {to_block} → {dst_name} to {tid} (or propagate {dst_name} to it)"),
        );
    };
    let label = tgw_route_label(route);
    if route.state == "active" && route.transit_gateway_attachment_ids.is_empty() {
        return Err(vec![format!("route {label} of {tid} is active but names no attachment")]);
    }
    let Some(out_id) = route.transit_gateway_attachment_ids.iter().min().filter(|_| route.state == "active") else {
        let dest = route.destination_cidr_block.as_deref().or(route.prefix_list_id.as_deref()).unwrap_or("?");
        return shut(
            tid,
            ComponentType::TransitGatewayRouteTable,
            label,
            format!("replace the blackhole route {dest} in {tid} with a route to {dst_name}"),
        );
    };
    // 4. The egress attachment must be the destination VPC's.
    let Some(out) = atts.iter().find(|a| &a.transit_gateway_attachment_id == out_id) else {
        let kind = ctx
            .ec2
            .transit_gateway_attachments
            .known()
            .and_then(|v| v.iter().find(|a| &a.transit_gateway_attachment_id == out_id))
            .map(|a| a.resource_type.clone());
        return match kind.as_deref() {
            Some(k) if k != "peering" && k != "tgw-peering" => shut(
                tid,
                ComponentType::TransitGatewayRouteTable,
                format!("{label}: a {k} attachment, not {to_vpc}"),
                format!("add a more specific route {to_block} → {dst_name} to {tid}"),
            ),
            _ => {
                Err(vec![format!("{out_id} of {tid} is not a VPC attachment in the inventory (peered transit gateways are not modelled)")])
            }
        };
    };
    if out.vpc_id != to_vpc {
        return shut(
            tid,
            ComponentType::TransitGatewayRouteTable,
            format!("{label}: {out_id} is {}'s attachment, not {to_vpc}'s", out.vpc_id),
            format!("add a more specific route {to_block} → {dst_name} to {tid}"),
        );
    }
    if out.state != "available" {
        return shut(
            out_id,
            ComponentType::TransitGatewayAttachment,
            format!("{out_id} is {}", out.state),
            format!("accept {out_id} or wait until it is available"),
        );
    }
    let egress_subnet = match subnet_in(ctx, out, from_az)? {
        Some(s) => Some(s),
        None => subnet_in(ctx, out, to_az)?,
    };
    let Some(egress_subnet) = egress_subnet.or_else(|| out.subnet_ids.iter().min().map(String::as_str)) else {
        return shut(
            out_id,
            ComponentType::TransitGatewayAttachment,
            format!("{out_id} has no subnet"),
            format!("add a subnet of {to_vpc} in {to_az} to {out_id}"),
        );
    };
    Ok(TgwVia::Hop(TgwHop {
        tgw: id,
        ingress: ing_id,
        ingress_subnet: ing_subnet,
        table: tid,
        route: label,
        egress: &out.transit_gateway_attachment_id,
        egress_subnet,
    }))
}
