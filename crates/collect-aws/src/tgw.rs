//! Transit gateways: the gateways, their attachments (and the VPC attachments' subnets), their
//! route tables with associations, propagations and routes.
//!
//! Each listing is its own `Observed`; the per-route-table calls are made concurrently and a
//! failure blinds only that table's field.

use crate::call::Ctx;
use aws_sdk_ec2::types as t;
use rampart_inventory::*;

/// The region's transit gateway listings, filled into `e`.
pub(crate) async fn collect(ctx: &Ctx, c: &aws_sdk_ec2::Client, e: &mut Ec2) {
    let (tgws, atts, vpc_atts, rtbs) = futures::join!(
        ctx.call("ec2:DescribeTransitGateways", None, c.describe_transit_gateways().into_paginator().send().try_collect()),
        ctx.call("ec2:DescribeTransitGatewayAttachments", None, c.describe_transit_gateway_attachments().into_paginator().send().try_collect()),
        ctx.call("ec2:DescribeTransitGatewayVpcAttachments", None, c.describe_transit_gateway_vpc_attachments().into_paginator().send().try_collect()),
        ctx.call("ec2:DescribeTransitGatewayRouteTables", None, c.describe_transit_gateway_route_tables().into_paginator().send().try_collect()),
    );
    e.transit_gateways = obs(tgws, |p| p.iter().flat_map(|p| p.transit_gateways()).map(tgw).collect());
    e.transit_gateway_attachments =
        obs(atts, |p| p.iter().flat_map(|p| p.transit_gateway_attachments()).map(attachment).collect());
    e.transit_gateway_vpc_attachments =
        obs(vpc_atts, |p| p.iter().flat_map(|p| p.transit_gateway_vpc_attachments()).map(vpc_attachment).collect());
    let tables: Vec<t::TransitGatewayRouteTable> = match rtbs {
        Ok(p) => p.iter().flat_map(|p| p.transit_gateway_route_tables()).cloned().collect(),
        Err(why) => {
            e.transit_gateway_route_tables = Observed::Unknown(why);
            return;
        }
    };
    let filled = futures::future::join_all(tables.iter().map(|r| route_table(ctx, c, r))).await;
    e.transit_gateway_route_tables = Observed::Known(filled);
}

fn obs<T, U>(r: Result<T, String>, f: impl FnOnce(T) -> U) -> Observed<U> {
    match r {
        Ok(v) => Observed::Known(f(v)),
        Err(why) => Observed::Unknown(why),
    }
}

fn tags(t: &[t::Tag]) -> Tags {
    t.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

fn s<T: AsRef<str>>(x: Option<T>) -> String {
    x.map(|v| v.as_ref().to_string()).unwrap_or_default()
}

fn tgw(g: &t::TransitGateway) -> TransitGateway {
    let o = g.options();
    TransitGateway {
        transit_gateway_id: s(g.transit_gateway_id()),
        owner_id: s(g.owner_id()),
        state: s(g.state().map(|x| x.as_str())),
        auto_accept_shared_attachments: s(o.and_then(|o| o.auto_accept_shared_attachments()).map(|x| x.as_str())),
        default_route_table_association: s(o.and_then(|o| o.default_route_table_association()).map(|x| x.as_str())),
        association_default_route_table_id: o.and_then(|o| o.association_default_route_table_id()).map(str::to_string),
        default_route_table_propagation: s(o.and_then(|o| o.default_route_table_propagation()).map(|x| x.as_str())),
        propagation_default_route_table_id: o.and_then(|o| o.propagation_default_route_table_id()).map(str::to_string),
        tags: tags(g.tags()),
    }
}

fn attachment(a: &t::TransitGatewayAttachment) -> TgwAttachment {
    TgwAttachment {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        transit_gateway_id: s(a.transit_gateway_id()),
        transit_gateway_owner_id: s(a.transit_gateway_owner_id()),
        resource_owner_id: s(a.resource_owner_id()),
        resource_type: s(a.resource_type().map(|x| x.as_str())),
        resource_id: s(a.resource_id()),
        state: s(a.state().map(|x| x.as_str())),
        association_route_table_id: a.association().and_then(|x| x.transit_gateway_route_table_id()).map(str::to_string),
        tags: tags(a.tags()),
    }
}

fn vpc_attachment(a: &t::TransitGatewayVpcAttachment) -> TgwVpcAttachment {
    TgwVpcAttachment {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        transit_gateway_id: s(a.transit_gateway_id()),
        vpc_id: s(a.vpc_id()),
        vpc_owner_id: s(a.vpc_owner_id()),
        state: s(a.state().map(|x| x.as_str())),
        subnet_ids: a.subnet_ids().to_vec(),
        appliance_mode_support: a.options().and_then(|o| o.appliance_mode_support()).map(|x| x.as_str().to_string()),
    }
}

async fn route_table(ctx: &Ctx, c: &aws_sdk_ec2::Client, r: &t::TransitGatewayRouteTable) -> TgwRouteTable {
    let id = s(r.transit_gateway_route_table_id());
    let types = t::Filter::builder().name("type").values("static").values("propagated").build();
    let (assoc, props, routes) = futures::join!(
        ctx.call(
            "ec2:GetTransitGatewayRouteTableAssociations",
            Some(&id),
            c.get_transit_gateway_route_table_associations().transit_gateway_route_table_id(&id).into_paginator().send().try_collect()
        ),
        ctx.call(
            "ec2:GetTransitGatewayRouteTablePropagations",
            Some(&id),
            c.get_transit_gateway_route_table_propagations().transit_gateway_route_table_id(&id).into_paginator().send().try_collect()
        ),
        ctx.call(
            "ec2:SearchTransitGatewayRoutes",
            Some(&id),
            c.search_transit_gateway_routes().transit_gateway_route_table_id(&id).filters(types).into_paginator().send().try_collect()
        ),
    );
    TgwRouteTable {
        transit_gateway_route_table_id: id.clone(),
        transit_gateway_id: s(r.transit_gateway_id()),
        state: s(r.state().map(|x| x.as_str())),
        default_association_route_table: r.default_association_route_table().unwrap_or(false),
        default_propagation_route_table: r.default_propagation_route_table().unwrap_or(false),
        associations: obs(assoc, |p| {
            p.iter()
                .flat_map(|p| p.associations())
                .map(|a| TgwRouteTableLink {
                    transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
                    resource_type: s(a.resource_type().map(|x| x.as_str())),
                    resource_id: s(a.resource_id()),
                    state: s(a.state().map(|x| x.as_str())),
                })
                .collect()
        }),
        propagations: obs(props, |p| {
            p.iter()
                .flat_map(|p| p.transit_gateway_route_table_propagations())
                .map(|a| TgwRouteTableLink {
                    transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
                    resource_type: s(a.resource_type().map(|x| x.as_str())),
                    resource_id: s(a.resource_id()),
                    state: s(a.state().map(|x| x.as_str())),
                })
                .collect()
        }),
        routes: obs(routes, |p| {
            p.iter()
                .flat_map(|p| p.routes())
                .map(|x| TgwRoute {
                    destination_cidr_block: x.destination_cidr_block().map(str::to_string),
                    prefix_list_id: x.prefix_list_id().map(str::to_string),
                    transit_gateway_attachment_ids: x
                        .transit_gateway_attachments()
                        .iter()
                        .filter_map(|a| a.transit_gateway_attachment_id().map(str::to_string))
                        .collect(),
                    route_type: s(x.r#type().map(|v| v.as_str())),
                    state: s(x.state().map(|v| v.as_str())),
                })
                .collect()
        }),
        tags: tags(r.tags()),
    }
}
