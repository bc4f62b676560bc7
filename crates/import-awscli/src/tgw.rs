//! Transit gateways in a dump: `describe-transit-gateways` (`TransitGateways`),
//! `describe-transit-gateway-attachments` (`TransitGatewayAttachments`),
//! `describe-transit-gateway-vpc-attachments` (`TransitGatewayVpcAttachments`),
//! `describe-transit-gateway-route-tables` (`TransitGatewayRouteTables`), and per route table
//! `get-transit-gateway-route-table-associations` (`Associations`),
//! `get-transit-gateway-route-table-propagations` (`TransitGatewayRouteTablePropagations`) and
//! `search-transit-gateway-routes --filters Name=type,Values=static,propagated` (`Routes`).
//!
//! The three per-table outputs do not name their route table. Convention: the file name holds
//! the table's id, e.g. `search-transit-gateway-routes.tgw-rtb-0abc12345678def90.json` (or
//! the file carries a `TransitGatewayRouteTableId` key). A file without one, or naming a table
//! not in the dump's `TransitGatewayRouteTables`, fails the import with a one-line error: a
//! route table's routes silently dropped would read as "no route".

use crate::ImportError;
use rampart_inventory::{self as inv, Observed, Tags};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

fn tags(t: &Option<Vec<Tag>>) -> Tags {
    t.iter().flatten().filter_map(|t| Some((t.key.clone()?, t.value.clone().unwrap_or_default()))).collect()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TransitGateway {
    transit_gateway_id: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    options: Option<TgwOptions>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TgwOptions {
    #[serde(default)]
    auto_accept_shared_attachments: String,
    #[serde(default)]
    default_route_table_association: String,
    #[serde(default)]
    association_default_route_table_id: Option<String>,
    #[serde(default)]
    default_route_table_propagation: String,
    #[serde(default)]
    propagation_default_route_table_id: Option<String>,
}

impl From<&TransitGateway> for inv::TransitGateway {
    fn from(g: &TransitGateway) -> Self {
        let none = TgwOptions::default();
        let o = g.options.as_ref().unwrap_or(&none);
        inv::TransitGateway {
            transit_gateway_id: g.transit_gateway_id.clone(),
            owner_id: g.owner_id.clone(),
            state: g.state.clone(),
            auto_accept_shared_attachments: o.auto_accept_shared_attachments.clone(),
            default_route_table_association: o.default_route_table_association.clone(),
            association_default_route_table_id: o.association_default_route_table_id.clone(),
            default_route_table_propagation: o.default_route_table_propagation.clone(),
            propagation_default_route_table_id: o.propagation_default_route_table_id.clone(),
            tags: tags(&g.tags),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TgwAttachment {
    transit_gateway_attachment_id: String,
    #[serde(default)]
    transit_gateway_id: String,
    #[serde(default)]
    transit_gateway_owner_id: String,
    #[serde(default)]
    resource_owner_id: String,
    #[serde(default)]
    resource_type: String,
    #[serde(default)]
    resource_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    association: Option<AttachmentAssociation>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AttachmentAssociation {
    #[serde(default)]
    transit_gateway_route_table_id: Option<String>,
}

impl From<&TgwAttachment> for inv::TgwAttachment {
    fn from(a: &TgwAttachment) -> Self {
        inv::TgwAttachment {
            transit_gateway_attachment_id: a.transit_gateway_attachment_id.clone(),
            transit_gateway_id: a.transit_gateway_id.clone(),
            transit_gateway_owner_id: a.transit_gateway_owner_id.clone(),
            resource_owner_id: a.resource_owner_id.clone(),
            resource_type: a.resource_type.clone(),
            resource_id: a.resource_id.clone(),
            state: a.state.clone(),
            association_route_table_id: a.association.as_ref().and_then(|x| x.transit_gateway_route_table_id.clone()),
            tags: tags(&a.tags),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TgwVpcAttachment {
    transit_gateway_attachment_id: String,
    #[serde(default)]
    transit_gateway_id: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    vpc_owner_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    subnet_ids: Vec<String>,
    #[serde(default)]
    options: Option<VpcAttachmentOptions>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VpcAttachmentOptions {
    #[serde(default)]
    appliance_mode_support: Option<String>,
}

impl From<&TgwVpcAttachment> for inv::TgwVpcAttachment {
    fn from(a: &TgwVpcAttachment) -> Self {
        inv::TgwVpcAttachment {
            transit_gateway_attachment_id: a.transit_gateway_attachment_id.clone(),
            transit_gateway_id: a.transit_gateway_id.clone(),
            vpc_id: a.vpc_id.clone(),
            vpc_owner_id: a.vpc_owner_id.clone(),
            state: a.state.clone(),
            subnet_ids: a.subnet_ids.clone(),
            appliance_mode_support: a.options.as_ref().and_then(|o| o.appliance_mode_support.clone()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TgwRouteTable {
    transit_gateway_route_table_id: String,
    #[serde(default)]
    transit_gateway_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    default_association_route_table: bool,
    #[serde(default)]
    default_propagation_route_table: bool,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

impl From<&TgwRouteTable> for inv::TgwRouteTable {
    fn from(t: &TgwRouteTable) -> Self {
        let id = &t.transit_gateway_route_table_id;
        fn absent<T>(id: &str, cmd: &str, key: &str) -> Observed<T> {
            Observed::Unknown(format!(
                "not in the aws-cli dump: {key} (aws ec2 {cmd} --transit-gateway-route-table-id {id}, saved with `{id}` in the file name)"
            ))
        }
        inv::TgwRouteTable {
            transit_gateway_route_table_id: id.clone(),
            transit_gateway_id: t.transit_gateway_id.clone(),
            state: t.state.clone(),
            default_association_route_table: t.default_association_route_table,
            default_propagation_route_table: t.default_propagation_route_table,
            associations: absent(id, "get-transit-gateway-route-table-associations", "Associations"),
            propagations: absent(id, "get-transit-gateway-route-table-propagations", "TransitGatewayRouteTablePropagations"),
            routes: absent(id, "search-transit-gateway-routes --filters Name=type,Values=static,propagated", "Routes"),
            tags: tags(&t.tags),
        }
    }
}

/// An association or a propagation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TgwLink {
    transit_gateway_attachment_id: String,
    #[serde(default)]
    resource_id: String,
    #[serde(default)]
    resource_type: String,
    #[serde(default)]
    state: String,
}

impl From<&TgwLink> for inv::TgwRouteTableLink {
    fn from(l: &TgwLink) -> Self {
        inv::TgwRouteTableLink {
            transit_gateway_attachment_id: l.transit_gateway_attachment_id.clone(),
            resource_type: l.resource_type.clone(),
            resource_id: l.resource_id.clone(),
            state: l.state.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TgwRoute {
    #[serde(default)]
    destination_cidr_block: Option<String>,
    #[serde(default)]
    prefix_list_id: Option<String>,
    #[serde(default)]
    transit_gateway_attachments: Vec<RouteAttachment>,
    #[serde(default, rename = "Type")]
    route_type: String,
    #[serde(default)]
    state: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RouteAttachment {
    #[serde(default)]
    transit_gateway_attachment_id: Option<String>,
}

impl From<&TgwRoute> for inv::TgwRoute {
    fn from(r: &TgwRoute) -> Self {
        inv::TgwRoute {
            destination_cidr_block: r.destination_cidr_block.clone(),
            prefix_list_id: r.prefix_list_id.clone(),
            transit_gateway_attachment_ids: r
                .transit_gateway_attachments
                .iter()
                .filter_map(|a| a.transit_gateway_attachment_id.clone())
                .collect(),
            route_type: r.route_type.clone(),
            state: r.state.clone(),
        }
    }
}

/// What one per-route-table file holds.
pub(crate) enum PartKind {
    Associations(Vec<inv::TgwRouteTableLink>),
    Propagations(Vec<inv::TgwRouteTableLink>),
    Routes(Vec<inv::TgwRoute>),
}

impl PartKind {
    fn key(&self) -> &'static str {
        match self {
            PartKind::Associations(_) => "Associations",
            PartKind::Propagations(_) => "TransitGatewayRouteTablePropagations",
            PartKind::Routes(_) => "Routes",
        }
    }
}

/// One per-route-table file: its path, the route table it names, what it holds.
pub(crate) struct Part {
    path: PathBuf,
    table: String,
    kind: PartKind,
}

/// The per-route-table outputs of one file, with the route table its name (or an explicit
/// `TransitGatewayRouteTableId` key) names; an error when it names none.
pub(crate) fn parts(
    path: &Path,
    explicit: Option<String>,
    associations: Option<Vec<TgwLink>>,
    propagations: Option<Vec<TgwLink>>,
    routes: Option<Vec<TgwRoute>>,
) -> Result<Vec<Part>, ImportError> {
    let mut kinds = Vec::new();
    if let Some(a) = associations {
        kinds.push(PartKind::Associations(a.iter().map(Into::into).collect()));
    }
    if let Some(p) = propagations {
        kinds.push(PartKind::Propagations(p.iter().map(Into::into).collect()));
    }
    if let Some(r) = routes {
        kinds.push(PartKind::Routes(r.iter().map(Into::into).collect()));
    }
    let Some(first) = kinds.first() else { return Ok(Vec::new()) };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let Some(table) = explicit.or_else(|| route_table_id_in(stem)) else {
        return Err(ImportError::TgwRouteTableUnnamed { path: path.to_path_buf(), key: first.key() });
    };
    Ok(kinds.into_iter().map(|kind| Part { path: path.to_path_buf(), table: table.clone(), kind }).collect())
}

/// Fills the route tables' associations, propagations and routes from their files.
pub(crate) fn attach(tables: &mut Observed<Vec<inv::TgwRouteTable>>, parts: Vec<Part>) -> Result<(), ImportError> {
    let mut by_table: BTreeMap<String, Vec<Part>> = BTreeMap::new();
    for p in parts {
        let known = tables.known().is_some_and(|ts| ts.iter().any(|t| t.transit_gateway_route_table_id == p.table));
        if !known {
            return Err(ImportError::TgwRouteTableUnknown { key: p.kind.key(), id: p.table, path: p.path });
        }
        by_table.entry(p.table.clone()).or_default().push(p);
    }
    let Some(ts) = tables.known_mut() else { return Ok(()) };
    for t in ts {
        for p in by_table.remove(&t.transit_gateway_route_table_id).unwrap_or_default() {
            // Several files (pages) of one kind are merged.
            fn extend<T>(slot: &mut Observed<Vec<T>>, items: Vec<T>) {
                match slot {
                    Observed::Known(v) => v.extend(items),
                    Observed::Unknown(_) => *slot = Observed::Known(items),
                }
            }
            match p.kind {
                PartKind::Associations(v) => extend(&mut t.associations, v),
                PartKind::Propagations(v) => extend(&mut t.propagations, v),
                PartKind::Routes(v) => extend(&mut t.routes, v),
            }
        }
    }
    Ok(())
}

/// The one transit gateway route table id (`tgw-rtb-` and at least 8 hex digits) in a file
/// name.
pub(crate) fn route_table_id_in(stem: &str) -> Option<String> {
    let mut ids = std::collections::BTreeSet::new();
    let mut rest = stem;
    while let Some(i) = rest.find("tgw-rtb-") {
        let hex: String = rest[i + 8..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        if hex.len() >= 8 {
            ids.insert(format!("tgw-rtb-{hex}"));
        }
        rest = &rest[i + 8..];
    }
    (ids.len() == 1).then(|| ids.into_iter().next()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_ids_in_names() {
        assert_eq!(
            route_table_id_in("search-transit-gateway-routes.tgw-rtb-0abc12345678def90").as_deref(),
            Some("tgw-rtb-0abc12345678def90")
        );
        assert_eq!(route_table_id_in("tgw-rtb-0123abcd_associations").as_deref(), Some("tgw-rtb-0123abcd"));
        assert_eq!(route_table_id_in("routes"), None);
        assert_eq!(route_table_id_in("tgw-rtb-12"), None);
        assert_eq!(route_table_id_in("tgw-rtb-0123abcd-vs-tgw-rtb-0123abce"), None);
    }
}
