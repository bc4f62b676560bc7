//! The AWS CLI's JSON output (`--output json`, PascalCase), only the fields the inventory
//! needs, and its conversion to inventory types. Unknown fields are ignored; optional fields
//! default; identifiers are required, so a record without one is a shape error naming it.
//!
//! Shapes as documented in the EC2 and Elastic Load Balancing API references
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/>,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/>), which the CLI
//! prints as is. The conversions mirror `rampart-collect-aws` so that a dump and a live
//! collection of the same estate give the same inventory.

use rampart_inventory::{self as inv, Observed, Tags};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One JSON file: every top-level key this importer reads, and the others.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CliFile {
    pub security_groups: Option<Vec<SecurityGroup>>,
    pub reservations: Option<Vec<Reservation>>,
    pub network_interfaces: Option<Vec<NetworkInterface>>,
    pub prefix_lists: Option<Vec<PrefixList>>,
    /// `get-managed-prefix-list-entries`; the list is named by the file or `PrefixListId`.
    pub entries: Option<Vec<PrefixListEntry>>,
    pub prefix_list_id: Option<String>,
    pub vpcs: Option<Vec<Vpc>>,
    pub subnets: Option<Vec<Subnet>>,
    pub route_tables: Option<Vec<RouteTable>>,
    pub internet_gateways: Option<Vec<InternetGateway>>,
    pub egress_only_internet_gateways: Option<Vec<EgressOnlyInternetGateway>>,
    pub nat_gateways: Option<Vec<NatGateway>>,
    pub network_acls: Option<Vec<NetworkAcl>>,
    pub vpc_endpoints: Option<Vec<VpcEndpoint>>,
    pub vpc_peering_connections: Option<Vec<VpcPeering>>,
    /// `describe-vpn-connections` (`vpn.rs`).
    pub vpn_connections: Option<Vec<crate::vpn::VpnConnection>>,
    /// `describe-launch-templates` and `describe-launch-template-versions` (`launch_templates.rs`).
    pub launch_templates: Option<Vec<crate::launch_templates::LaunchTemplate>>,
    pub launch_template_versions: Option<Vec<crate::launch_templates::LaunchTemplateVersion>>,
    pub flow_logs: Option<Vec<FlowLog>>,
    pub volumes: Option<Vec<Volume>>,
    pub addresses: Option<Vec<Address>>,
    pub ebs_encryption_by_default: Option<bool>,
    /// `aws elb describe-load-balancers` (classic).
    pub load_balancer_descriptions: Option<Vec<ClassicLoadBalancer>>,
    /// `aws elbv2 describe-load-balancers`.
    pub load_balancers: Option<Vec<LoadBalancerV2>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub listeners: Option<Vec<Listener>>,
    /// `aws elbv2 describe-target-health`; the group is named by the file or `TargetGroupArn`.
    pub target_health_descriptions: Option<Vec<TargetHealthDescription>>,
    pub target_group_arn: Option<String>,
    /// Transit gateways (`tgw.rs`).
    pub transit_gateways: Option<Vec<crate::tgw::TransitGateway>>,
    pub transit_gateway_attachments: Option<Vec<crate::tgw::TgwAttachment>>,
    pub transit_gateway_vpc_attachments: Option<Vec<crate::tgw::TgwVpcAttachment>>,
    pub transit_gateway_route_tables: Option<Vec<crate::tgw::TgwRouteTable>>,
    /// Per transit gateway route table; the table is named by the file or
    /// `TransitGatewayRouteTableId`.
    pub associations: Option<Vec<crate::tgw::TgwLink>>,
    pub transit_gateway_route_table_propagations: Option<Vec<crate::tgw::TgwLink>>,
    pub routes: Option<Vec<crate::tgw::TgwRoute>>,
    pub transit_gateway_route_table_id: Option<String>,
    /// `search-transit-gateway-routes` stopped at its limit.
    pub additional_routes_available: Option<bool>,
    /// Present when the output was cut (`--max-items`, `--no-paginate`).
    pub next_token: Option<String>,
    pub next_marker: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, IgnoredAny>,
}

impl CliFile {
    /// The top-level keys read from this file, in a stable order.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut k = Vec::new();
        let mut add = |present: bool, key: &'static str| {
            if present {
                k.push(key);
            }
        };
        add(self.security_groups.is_some(), "SecurityGroups");
        add(self.reservations.is_some(), "Reservations");
        add(self.network_interfaces.is_some(), "NetworkInterfaces");
        add(self.prefix_lists.is_some(), "PrefixLists");
        add(self.entries.is_some(), "Entries");
        add(self.vpcs.is_some(), "Vpcs");
        add(self.subnets.is_some(), "Subnets");
        add(self.route_tables.is_some(), "RouteTables");
        add(self.internet_gateways.is_some(), "InternetGateways");
        add(
            self.egress_only_internet_gateways.is_some(),
            "EgressOnlyInternetGateways",
        );
        add(self.nat_gateways.is_some(), "NatGateways");
        add(self.network_acls.is_some(), "NetworkAcls");
        add(self.vpc_endpoints.is_some(), "VpcEndpoints");
        add(
            self.vpc_peering_connections.is_some(),
            "VpcPeeringConnections",
        );
        add(self.vpn_connections.is_some(), "VpnConnections");
        add(self.launch_templates.is_some(), "LaunchTemplates");
        add(self.launch_template_versions.is_some(), "LaunchTemplateVersions");
        add(self.flow_logs.is_some(), "FlowLogs");
        add(self.volumes.is_some(), "Volumes");
        add(self.addresses.is_some(), "Addresses");
        add(
            self.ebs_encryption_by_default.is_some(),
            "EbsEncryptionByDefault",
        );
        add(
            self.load_balancer_descriptions.is_some(),
            "LoadBalancerDescriptions",
        );
        add(self.load_balancers.is_some(), "LoadBalancers");
        add(self.target_groups.is_some(), "TargetGroups");
        add(self.listeners.is_some(), "Listeners");
        add(
            self.target_health_descriptions.is_some(),
            "TargetHealthDescriptions",
        );
        add(self.transit_gateways.is_some(), "TransitGateways");
        add(self.transit_gateway_attachments.is_some(), "TransitGatewayAttachments");
        add(self.transit_gateway_vpc_attachments.is_some(), "TransitGatewayVpcAttachments");
        add(self.transit_gateway_route_tables.is_some(), "TransitGatewayRouteTables");
        add(self.associations.is_some(), "Associations");
        add(
            self.transit_gateway_route_table_propagations.is_some(),
            "TransitGatewayRouteTablePropagations",
        );
        add(self.routes.is_some(), "Routes");
        k
    }

    /// Owner account ids, by how much they say about whose dump this is: security groups
    /// first, then instances and interfaces, then VPCs (a shared VPC may belong to another
    /// account).
    pub fn owner_ids(&self) -> [BTreeSet<String>; 3] {
        let set = |it: &mut dyn Iterator<Item = &Option<String>>| -> BTreeSet<String> {
            it.filter_map(|o| o.as_deref())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let sgs = set(&mut self.security_groups.iter().flatten().map(|g| &g.owner_id));
        let mut compute = set(&mut self.reservations.iter().flatten().map(|r| &r.owner_id));
        compute.extend(set(&mut self
            .network_interfaces
            .iter()
            .flatten()
            .map(|n| &n.owner_id)));
        let vpcs = set(&mut self.vpcs.iter().flatten().map(|v| &v.owner_id));
        [sgs, compute, vpcs]
    }

    /// Every availability zone named in the file.
    pub fn availability_zones(&self) -> BTreeSet<&str> {
        let mut z = BTreeSet::new();
        z.extend(
            self.subnets
                .iter()
                .flatten()
                .map(|s| s.availability_zone.as_str()),
        );
        z.extend(
            self.network_interfaces
                .iter()
                .flatten()
                .map(|n| n.availability_zone.as_str()),
        );
        z.extend(
            self.reservations
                .iter()
                .flatten()
                .flat_map(|r| &r.instances)
                .filter_map(|i| i.placement.as_ref()?.availability_zone.as_deref()),
        );
        z.extend(
            self.volumes
                .iter()
                .flatten()
                .map(|v| v.availability_zone.as_str()),
        );
        z.extend(
            self.load_balancer_descriptions
                .iter()
                .flatten()
                .flat_map(|l| l.availability_zones.iter().map(String::as_str)),
        );
        z.extend(self.load_balancers.iter().flatten().flat_map(|l| {
            l.availability_zones
                .iter()
                .filter_map(|a| a.zone_name.as_deref())
        }));
        z.remove("");
        z
    }
}

// ---------------------------------------------------------------- common

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Tag {
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

fn tags(t: &Option<Vec<Tag>>) -> Tags {
    t.iter()
        .flatten()
        .filter_map(|t| Some((t.key.clone()?, t.value.clone().unwrap_or_default())))
        .collect()
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().filter(|s| !s.is_empty()).cloned()
}

/// The CLI prints times as ISO 8601 with an offset (`2024-01-02T03:04:05+00:00`); the
/// collector stores RFC 3339 in UTC (`...Z`). Anything else is kept as printed.
fn timestamp(s: &Option<String>) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let s = s.as_ref()?;
    Some(
        time::OffsetDateTime::parse(s, &Rfc3339)
            .ok()
            .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok())
            .unwrap_or_else(|| s.clone()),
    )
}

// ---------------------------------------------------------------- security groups

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SecurityGroup {
    group_id: String,
    #[serde(default)]
    group_name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    vpc_id: Option<String>,
    #[serde(default)]
    owner_id: Option<String>,
    #[serde(default)]
    ip_permissions: Vec<IpPermission>,
    #[serde(default)]
    ip_permissions_egress: Vec<IpPermission>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IpPermission {
    #[serde(default)]
    ip_protocol: Option<String>,
    #[serde(default)]
    from_port: Option<i32>,
    #[serde(default)]
    to_port: Option<i32>,
    #[serde(default)]
    ip_ranges: Vec<IpRange>,
    #[serde(default)]
    ipv6_ranges: Vec<Ipv6Range>,
    #[serde(default)]
    prefix_list_ids: Vec<PrefixListId>,
    #[serde(default)]
    user_id_group_pairs: Vec<UserIdGroupPair>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IpRange {
    #[serde(default)]
    cidr_ip: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ipv6Range {
    #[serde(default)]
    cidr_ipv6: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PrefixListId {
    #[serde(default)]
    prefix_list_id: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserIdGroupPair {
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    vpc_peering_connection_id: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

fn rules(perms: &[IpPermission]) -> Vec<inv::SgRule> {
    let mut out = Vec::new();
    for p in perms {
        let proto = p.ip_protocol.clone().unwrap_or_else(|| "-1".into());
        let mk = |peer: inv::SgPeer, description: &Option<String>| inv::SgRule {
            ip_protocol: proto.clone(),
            from_port: p.from_port,
            to_port: p.to_port,
            peer,
            description: description.clone(),
        };
        out.extend(
            p.ip_ranges
                .iter()
                .map(|r| mk(inv::SgPeer::Cidr4(r.cidr_ip.clone()), &r.description)),
        );
        out.extend(
            p.ipv6_ranges
                .iter()
                .map(|r| mk(inv::SgPeer::Cidr6(r.cidr_ipv6.clone()), &r.description)),
        );
        out.extend(p.prefix_list_ids.iter().map(|r| {
            mk(
                inv::SgPeer::PrefixList(r.prefix_list_id.clone()),
                &r.description,
            )
        }));
        out.extend(p.user_id_group_pairs.iter().map(|g| {
            mk(
                inv::SgPeer::Group {
                    group_id: g.group_id.clone(),
                    user_id: g.user_id.clone(),
                    vpc_peering_connection_id: g.vpc_peering_connection_id.clone(),
                },
                &g.description,
            )
        }));
    }
    out
}

impl From<&SecurityGroup> for inv::SecurityGroup {
    fn from(g: &SecurityGroup) -> Self {
        inv::SecurityGroup {
            group_id: g.group_id.clone(),
            group_name: g.group_name.clone(),
            description: g.description.clone(),
            vpc_id: non_empty(&g.vpc_id),
            owner_id: g.owner_id.clone().unwrap_or_default(),
            ingress: rules(&g.ip_permissions),
            egress: rules(&g.ip_permissions_egress),
            tags: tags(&g.tags),
        }
    }
}

// ---------------------------------------------------------------- instances

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Reservation {
    #[serde(default)]
    owner_id: Option<String>,
    #[serde(default)]
    pub instances: Vec<Instance>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Instance {
    instance_id: String,
    #[serde(default)]
    state: Option<InstanceState>,
    #[serde(default)]
    instance_type: String,
    #[serde(default)]
    image_id: String,
    #[serde(default)]
    vpc_id: Option<String>,
    #[serde(default)]
    subnet_id: Option<String>,
    #[serde(default)]
    private_ip_address: Option<String>,
    #[serde(default)]
    public_ip_address: Option<String>,
    #[serde(default)]
    network_interfaces: Vec<InstanceNetworkInterface>,
    #[serde(default)]
    security_groups: Vec<GroupIdentifier>,
    #[serde(default)]
    iam_instance_profile: Option<Arn>,
    #[serde(default)]
    metadata_options: Option<MetadataOptions>,
    #[serde(default)]
    launch_time: Option<String>,
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    placement: Option<Placement>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
    #[serde(default)]
    virtualization_type: Option<String>,
    #[serde(default)]
    state_transition_reason: Option<String>,
    #[serde(default)]
    monitoring: Option<InstanceState>,
}

/// `State` and `Monitoring` of an instance: each a `{"Name"|"State": ...}` object.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InstanceState {
    #[serde(default, alias = "State")]
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InstanceNetworkInterface {
    #[serde(default)]
    network_interface_id: Option<String>,
    #[serde(default)]
    ipv6_addresses: Vec<Ipv6Address>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ipv6Address {
    #[serde(default)]
    ipv6_address: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupIdentifier {
    #[serde(default)]
    group_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Arn {
    #[serde(default)]
    arn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataOptions {
    #[serde(default)]
    http_tokens: Option<String>,
    #[serde(default)]
    http_endpoint: Option<String>,
    #[serde(default)]
    http_put_response_hop_limit: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Placement {
    #[serde(default)]
    availability_zone: Option<String>,
}

impl From<&Instance> for inv::Instance {
    fn from(i: &Instance) -> Self {
        let md = i.metadata_options.as_ref();
        inv::Instance {
            instance_id: i.instance_id.clone(),
            state: i.state.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
            instance_type: i.instance_type.clone(),
            image_id: i.image_id.clone(),
            vpc_id: non_empty(&i.vpc_id),
            subnet_id: non_empty(&i.subnet_id),
            private_ip_address: non_empty(&i.private_ip_address),
            public_ip_address: non_empty(&i.public_ip_address),
            ipv6_addresses: i
                .network_interfaces
                .iter()
                .flat_map(|n| &n.ipv6_addresses)
                .filter_map(|a| a.ipv6_address.clone())
                .collect(),
            security_group_ids: i
                .security_groups
                .iter()
                .filter_map(|g| g.group_id.clone())
                .collect(),
            network_interface_ids: i
                .network_interfaces
                .iter()
                .filter_map(|n| n.network_interface_id.clone())
                .collect(),
            iam_instance_profile_arn: i.iam_instance_profile.as_ref().and_then(|p| p.arn.clone()),
            metadata_http_tokens: md.and_then(|m| m.http_tokens.clone()),
            metadata_http_endpoint: md.and_then(|m| m.http_endpoint.clone()),
            metadata_hop_limit: md.and_then(|m| m.http_put_response_hop_limit),
            user_data: Observed::Unknown(
                "not in the aws-cli dump: describe-instance-attribute --attribute userData".into(),
            ),
            launch_time: timestamp(&i.launch_time),
            platform: i.platform.clone(),
            tags: tags(&i.tags),
            virtualization_type: Observed::Known(non_empty(&i.virtualization_type)),
            state_transition_reason: Observed::Known(non_empty(&i.state_transition_reason)),
            monitoring_state: match i.monitoring.as_ref().filter(|m| !m.name.is_empty()) {
                Some(m) => Observed::Known(m.name.clone()),
                None => Observed::Unknown("not in the aws-cli dump: Monitoring.State of describe-instances".into()),
            },
        }
    }
}

// ---------------------------------------------------------------- network interfaces

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NetworkInterface {
    network_interface_id: String,
    #[serde(default)]
    interface_type: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    subnet_id: String,
    #[serde(default)]
    availability_zone: String,
    #[serde(default)]
    private_ip_address: Option<String>,
    #[serde(default)]
    private_ip_addresses: Vec<PrivateIp>,
    #[serde(default)]
    association: Option<Association>,
    #[serde(default)]
    ipv6_addresses: Vec<Ipv6Address>,
    #[serde(default)]
    groups: Vec<GroupIdentifier>,
    #[serde(default)]
    attachment: Option<Attachment>,
    #[serde(default)]
    requester_managed: Option<bool>,
    #[serde(default)]
    source_dest_check: Option<bool>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PrivateIp {
    #[serde(default)]
    private_ip_address: Option<String>,
    #[serde(default)]
    association: Option<Association>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Association {
    #[serde(default)]
    public_ip: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attachment {
    #[serde(default)]
    instance_id: Option<String>,
}

impl From<&NetworkInterface> for inv::NetworkInterface {
    fn from(n: &NetworkInterface) -> Self {
        let mut private: Vec<String> = n
            .private_ip_addresses
            .iter()
            .filter_map(|a| a.private_ip_address.clone())
            .collect();
        if private.is_empty() {
            private.extend(non_empty(&n.private_ip_address));
        }
        let public: BTreeSet<String> = n
            .private_ip_addresses
            .iter()
            .filter_map(|a| a.association.as_ref()?.public_ip.clone())
            .chain(n.association.as_ref().and_then(|a| a.public_ip.clone()))
            .collect();
        inv::NetworkInterface {
            network_interface_id: n.network_interface_id.clone(),
            interface_type: n.interface_type.clone(),
            description: n.description.clone(),
            vpc_id: n.vpc_id.clone(),
            subnet_id: n.subnet_id.clone(),
            availability_zone: n.availability_zone.clone(),
            private_ip_addresses: private,
            public_ips: public.into_iter().collect(),
            ipv6_addresses: n
                .ipv6_addresses
                .iter()
                .filter_map(|a| a.ipv6_address.clone())
                .collect(),
            security_group_ids: n.groups.iter().filter_map(|g| g.group_id.clone()).collect(),
            attachment_instance_id: n.attachment.as_ref().and_then(|a| a.instance_id.clone()),
            requester_managed: n.requester_managed.unwrap_or(false),
            source_dest_check: n.source_dest_check.unwrap_or(true),
            status: n.status.clone(),
        }
    }
}

// ---------------------------------------------------------------- prefix lists

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PrefixList {
    pub prefix_list_id: String,
    #[serde(default)]
    prefix_list_name: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    address_family: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PrefixListEntry {
    #[serde(default)]
    pub cidr: Option<String>,
}

impl From<&PrefixList> for inv::PrefixList {
    fn from(p: &PrefixList) -> Self {
        inv::PrefixList {
            prefix_list_id: p.prefix_list_id.clone(),
            prefix_list_name: p.prefix_list_name.clone(),
            owner_id: p.owner_id.clone(),
            address_family: p.address_family.clone(),
            entries: Observed::Unknown(format!(
                "not in the aws-cli dump: Entries (get-managed-prefix-list-entries --prefix-list-id {})",
                p.prefix_list_id
            )),
        }
    }
}

// ---------------------------------------------------------------- VPC plumbing

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Vpc {
    vpc_id: String,
    #[serde(default)]
    cidr_block: Option<String>,
    #[serde(default)]
    cidr_block_association_set: Vec<CidrAssociation>,
    #[serde(default)]
    ipv6_cidr_block_association_set: Vec<Ipv6CidrAssociation>,
    #[serde(default)]
    is_default: bool,
    #[serde(default)]
    owner_id: Option<String>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CidrAssociation {
    #[serde(default)]
    cidr_block: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ipv6CidrAssociation {
    #[serde(default)]
    ipv6_cidr_block: Option<String>,
}

impl From<&Vpc> for inv::Vpc {
    fn from(v: &Vpc) -> Self {
        let mut cidr_blocks: Vec<String> = v
            .cidr_block_association_set
            .iter()
            .filter_map(|a| a.cidr_block.clone())
            .collect();
        if cidr_blocks.is_empty() {
            cidr_blocks.extend(v.cidr_block.clone());
        }
        inv::Vpc {
            vpc_id: v.vpc_id.clone(),
            cidr_blocks,
            ipv6_cidr_blocks: v
                .ipv6_cidr_block_association_set
                .iter()
                .filter_map(|a| a.ipv6_cidr_block.clone())
                .collect(),
            is_default: v.is_default,
            owner_id: v.owner_id.clone().unwrap_or_default(),
            tags: tags(&v.tags),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Subnet {
    subnet_id: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    availability_zone: String,
    #[serde(default)]
    cidr_block: Option<String>,
    #[serde(default)]
    ipv6_cidr_block_association_set: Vec<Ipv6CidrAssociation>,
    #[serde(default)]
    map_public_ip_on_launch: bool,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

impl From<&Subnet> for inv::Subnet {
    fn from(s: &Subnet) -> Self {
        inv::Subnet {
            subnet_id: s.subnet_id.clone(),
            vpc_id: s.vpc_id.clone(),
            availability_zone: s.availability_zone.clone(),
            cidr_block: non_empty(&s.cidr_block),
            ipv6_cidr_blocks: s
                .ipv6_cidr_block_association_set
                .iter()
                .filter_map(|a| a.ipv6_cidr_block.clone())
                .collect(),
            map_public_ip_on_launch: s.map_public_ip_on_launch,
            tags: tags(&s.tags),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RouteTable {
    route_table_id: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    associations: Vec<RouteTableAssociation>,
    #[serde(default)]
    routes: Vec<Route>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RouteTableAssociation {
    #[serde(default)]
    main: bool,
    #[serde(default)]
    subnet_id: Option<String>,
    #[serde(default)]
    gateway_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Route {
    #[serde(default)]
    destination_cidr_block: Option<String>,
    #[serde(default)]
    destination_ipv6_cidr_block: Option<String>,
    #[serde(default)]
    destination_prefix_list_id: Option<String>,
    #[serde(default)]
    gateway_id: Option<String>,
    #[serde(default)]
    nat_gateway_id: Option<String>,
    #[serde(default)]
    egress_only_internet_gateway_id: Option<String>,
    #[serde(default)]
    transit_gateway_id: Option<String>,
    #[serde(default)]
    vpc_peering_connection_id: Option<String>,
    #[serde(default)]
    network_interface_id: Option<String>,
    #[serde(default)]
    instance_id: Option<String>,
    #[serde(default)]
    local_gateway_id: Option<String>,
    #[serde(default)]
    carrier_gateway_id: Option<String>,
    #[serde(default)]
    core_network_arn: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    origin: Option<String>,
}

impl From<&RouteTable> for inv::RouteTable {
    fn from(r: &RouteTable) -> Self {
        inv::RouteTable {
            route_table_id: r.route_table_id.clone(),
            vpc_id: r.vpc_id.clone(),
            main: r.associations.iter().any(|a| a.main),
            subnet_ids: r
                .associations
                .iter()
                .filter_map(|a| a.subnet_id.clone())
                .collect(),
            gateway_ids: r
                .associations
                .iter()
                .filter_map(|a| a.gateway_id.clone())
                .collect(),
            routes: r
                .routes
                .iter()
                .map(|x| inv::Route {
                    destination_cidr_block: x.destination_cidr_block.clone(),
                    destination_ipv6_cidr_block: x.destination_ipv6_cidr_block.clone(),
                    destination_prefix_list_id: x.destination_prefix_list_id.clone(),
                    // The same precedence as the collector: one route has one target.
                    target: [
                        &x.gateway_id,
                        &x.nat_gateway_id,
                        &x.egress_only_internet_gateway_id,
                        &x.transit_gateway_id,
                        &x.vpc_peering_connection_id,
                        &x.network_interface_id,
                        &x.instance_id,
                        &x.local_gateway_id,
                        &x.carrier_gateway_id,
                        &x.core_network_arn,
                    ]
                    .into_iter()
                    .find_map(|t| t.clone())
                    .unwrap_or_default(),
                    state: x.state.clone().unwrap_or_else(|| "active".into()),
                    origin: x.origin.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InternetGateway {
    internet_gateway_id: String,
    #[serde(default)]
    attachments: Vec<VpcAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct EgressOnlyInternetGateway {
    egress_only_internet_gateway_id: String,
    #[serde(default)]
    attachments: Vec<VpcAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VpcAttachment {
    #[serde(default)]
    vpc_id: Option<String>,
}

impl From<&InternetGateway> for inv::InternetGateway {
    fn from(g: &InternetGateway) -> Self {
        inv::InternetGateway {
            id: g.internet_gateway_id.clone(),
            attached_vpc_ids: g
                .attachments
                .iter()
                .filter_map(|a| a.vpc_id.clone())
                .collect(),
        }
    }
}

impl From<&EgressOnlyInternetGateway> for inv::InternetGateway {
    fn from(g: &EgressOnlyInternetGateway) -> Self {
        inv::InternetGateway {
            id: g.egress_only_internet_gateway_id.clone(),
            attached_vpc_ids: g
                .attachments
                .iter()
                .filter_map(|a| a.vpc_id.clone())
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NatGateway {
    nat_gateway_id: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    subnet_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    connectivity_type: String,
    #[serde(default)]
    nat_gateway_addresses: Vec<NatGatewayAddress>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NatGatewayAddress {
    #[serde(default)]
    public_ip: Option<String>,
}

impl From<&NatGateway> for inv::NatGateway {
    fn from(n: &NatGateway) -> Self {
        inv::NatGateway {
            nat_gateway_id: n.nat_gateway_id.clone(),
            vpc_id: n.vpc_id.clone(),
            subnet_id: n.subnet_id.clone(),
            state: n.state.clone(),
            connectivity_type: n.connectivity_type.clone(),
            public_ips: n
                .nat_gateway_addresses
                .iter()
                .filter_map(|a| a.public_ip.clone())
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct NetworkAcl {
    network_acl_id: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    is_default: bool,
    #[serde(default)]
    associations: Vec<NaclAssociation>,
    #[serde(default)]
    entries: Vec<NaclEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NaclAssociation {
    #[serde(default)]
    subnet_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NaclEntry {
    #[serde(default)]
    rule_number: Option<i32>,
    #[serde(default)]
    egress: bool,
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    rule_action: String,
    #[serde(default)]
    cidr_block: Option<String>,
    #[serde(default)]
    ipv6_cidr_block: Option<String>,
    #[serde(default)]
    port_range: Option<PortRange>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PortRange {
    #[serde(default)]
    from: Option<i32>,
    #[serde(default)]
    to: Option<i32>,
}

impl From<&NetworkAcl> for inv::NetworkAcl {
    fn from(n: &NetworkAcl) -> Self {
        inv::NetworkAcl {
            network_acl_id: n.network_acl_id.clone(),
            vpc_id: n.vpc_id.clone(),
            is_default: n.is_default,
            subnet_ids: n
                .associations
                .iter()
                .filter_map(|a| a.subnet_id.clone())
                .collect(),
            entries: n
                .entries
                .iter()
                .map(|e| inv::NaclEntry {
                    rule_number: e.rule_number.unwrap_or(32767),
                    egress: e.egress,
                    protocol: e.protocol.clone().unwrap_or_else(|| "-1".into()),
                    rule_action: e.rule_action.clone(),
                    cidr_block: e.cidr_block.clone(),
                    ipv6_cidr_block: e.ipv6_cidr_block.clone(),
                    port_from: e.port_range.as_ref().and_then(|p| p.from),
                    port_to: e.port_range.as_ref().and_then(|p| p.to),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VpcEndpoint {
    vpc_endpoint_id: String,
    #[serde(default)]
    vpc_endpoint_type: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    service_name: String,
    #[serde(default)]
    route_table_ids: Vec<String>,
    #[serde(default)]
    subnet_ids: Vec<String>,
    #[serde(default)]
    network_interface_ids: Vec<String>,
    #[serde(default)]
    policy_document: Option<String>,
}

impl From<&VpcEndpoint> for inv::VpcEndpoint {
    fn from(v: &VpcEndpoint) -> Self {
        inv::VpcEndpoint {
            vpc_endpoint_id: v.vpc_endpoint_id.clone(),
            vpc_endpoint_type: v.vpc_endpoint_type.clone(),
            vpc_id: v.vpc_id.clone(),
            service_name: v.service_name.clone(),
            route_table_ids: v.route_table_ids.clone(),
            subnet_ids: v.subnet_ids.clone(),
            network_interface_ids: v.network_interface_ids.clone(),
            policy_document: v.policy_document.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VpcPeering {
    vpc_peering_connection_id: String,
    #[serde(default)]
    requester_vpc_info: Option<VpcInfo>,
    #[serde(default)]
    accepter_vpc_info: Option<VpcInfo>,
    #[serde(default)]
    status: Option<PeeringStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VpcInfo {
    #[serde(default)]
    vpc_id: Option<String>,
    #[serde(default)]
    owner_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PeeringStatus {
    #[serde(default)]
    code: Option<String>,
}

impl From<&VpcPeering> for inv::VpcPeering {
    fn from(p: &VpcPeering) -> Self {
        let info = |i: &Option<VpcInfo>, f: fn(&VpcInfo) -> &Option<String>| {
            i.as_ref().and_then(|i| f(i).clone()).unwrap_or_default()
        };
        inv::VpcPeering {
            vpc_peering_connection_id: p.vpc_peering_connection_id.clone(),
            requester_vpc_id: info(&p.requester_vpc_info, |i| &i.vpc_id),
            requester_owner_id: info(&p.requester_vpc_info, |i| &i.owner_id),
            accepter_vpc_id: info(&p.accepter_vpc_info, |i| &i.vpc_id),
            accepter_owner_id: info(&p.accepter_vpc_info, |i| &i.owner_id),
            status: p
                .status
                .as_ref()
                .and_then(|s| s.code.clone())
                .unwrap_or_default(),
        }
    }
}

// ---------------------------------------------------------------- flow logs, volumes, addresses

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct FlowLog {
    flow_log_id: String,
    #[serde(default)]
    resource_id: String,
    #[serde(default)]
    traffic_type: String,
    #[serde(default)]
    log_destination_type: String,
    #[serde(default)]
    flow_log_status: String,
}

impl From<&FlowLog> for inv::FlowLog {
    fn from(f: &FlowLog) -> Self {
        inv::FlowLog {
            flow_log_id: f.flow_log_id.clone(),
            resource_id: f.resource_id.clone(),
            traffic_type: f.traffic_type.clone(),
            log_destination_type: f.log_destination_type.clone(),
            status: f.flow_log_status.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Volume {
    volume_id: String,
    #[serde(default)]
    size: i32,
    #[serde(default)]
    volume_type: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    kms_key_id: Option<String>,
    #[serde(default)]
    availability_zone: String,
    #[serde(default)]
    attachments: Vec<Attachment>,
    #[serde(default)]
    create_time: Option<String>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

impl From<&Volume> for inv::Volume {
    fn from(v: &Volume) -> Self {
        inv::Volume {
            volume_id: v.volume_id.clone(),
            size_gib: v.size,
            volume_type: v.volume_type.clone(),
            state: v.state.clone(),
            encrypted: v.encrypted,
            kms_key_id: v.kms_key_id.clone(),
            availability_zone: v.availability_zone.clone(),
            attached_instance_ids: v
                .attachments
                .iter()
                .filter_map(|a| a.instance_id.clone())
                .collect(),
            create_time: timestamp(&v.create_time),
            tags: tags(&v.tags),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Address {
    #[serde(default)]
    allocation_id: String,
    #[serde(default)]
    public_ip: String,
    #[serde(default)]
    association_id: Option<String>,
    #[serde(default)]
    instance_id: Option<String>,
    #[serde(default)]
    network_interface_id: Option<String>,
}

impl From<&Address> for inv::ElasticIp {
    fn from(a: &Address) -> Self {
        inv::ElasticIp {
            allocation_id: a.allocation_id.clone(),
            public_ip: a.public_ip.clone(),
            association_id: non_empty(&a.association_id),
            instance_id: non_empty(&a.instance_id),
            network_interface_id: non_empty(&a.network_interface_id),
        }
    }
}

// ---------------------------------------------------------------- load balancers

#[derive(Debug, Deserialize)]
pub(crate) struct ClassicLoadBalancer {
    #[serde(rename = "LoadBalancerName")]
    name: String,
    #[serde(rename = "DNSName", default)]
    dns_name: String,
    #[serde(rename = "Scheme", default)]
    scheme: String,
    #[serde(rename = "VPCId", default)]
    vpc_id: Option<String>,
    #[serde(rename = "Subnets", default)]
    subnets: Vec<String>,
    #[serde(rename = "AvailabilityZones", default)]
    availability_zones: Vec<String>,
    #[serde(rename = "SecurityGroups", default)]
    security_groups: Vec<String>,
    #[serde(rename = "ListenerDescriptions", default)]
    listener_descriptions: Vec<ListenerDescription>,
    #[serde(rename = "Instances", default)]
    instances: Vec<ClassicInstance>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListenerDescription {
    #[serde(default)]
    listener: Option<ClassicListener>,
    #[serde(default)]
    policy_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ClassicListener {
    #[serde(rename = "Protocol", default)]
    protocol: String,
    #[serde(rename = "LoadBalancerPort")]
    load_balancer_port: i32,
    #[serde(rename = "InstanceProtocol", default)]
    instance_protocol: String,
    #[serde(rename = "InstancePort")]
    instance_port: i32,
    #[serde(rename = "SSLCertificateId", default)]
    ssl_certificate_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ClassicInstance {
    #[serde(default)]
    instance_id: Option<String>,
}

impl From<&ClassicLoadBalancer> for inv::ClassicLoadBalancer {
    fn from(lb: &ClassicLoadBalancer) -> Self {
        fn missing<T>(lb: &ClassicLoadBalancer, what: &str) -> Observed<T> {
            Observed::Unknown(format!(
                "not in the aws-cli dump: {what} of classic load balancer `{}`",
                lb.name
            ))
        }
        inv::ClassicLoadBalancer {
            name: lb.name.clone(),
            dns_name: lb.dns_name.clone(),
            scheme: lb.scheme.clone(),
            vpc_id: non_empty(&lb.vpc_id),
            subnets: lb.subnets.clone(),
            availability_zones: lb.availability_zones.clone(),
            security_groups: lb.security_groups.clone(),
            listeners: lb
                .listener_descriptions
                .iter()
                .filter_map(|d| {
                    let l = d.listener.as_ref()?;
                    Some(inv::ClassicListener {
                        protocol: l.protocol.clone(),
                        load_balancer_port: l.load_balancer_port,
                        instance_protocol: l.instance_protocol.clone(),
                        instance_port: l.instance_port,
                        ssl_certificate_id: non_empty(&l.ssl_certificate_id),
                        policy_names: d.policy_names.clone(),
                    })
                })
                .collect(),
            instance_ids: lb
                .instances
                .iter()
                .filter_map(|i| non_empty(&i.instance_id))
                .collect(),
            policies: missing(lb, "PolicyDescriptions"),
            cross_zone_load_balancing: missing(lb, "LoadBalancerAttributes"),
            connection_draining: missing(lb, "LoadBalancerAttributes"),
            access_log_enabled: missing(lb, "LoadBalancerAttributes"),
            desync_mitigation_mode: missing(lb, "LoadBalancerAttributes"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LoadBalancerV2 {
    pub load_balancer_arn: String,
    #[serde(default)]
    load_balancer_name: String,
    #[serde(default, rename = "DNSName")]
    dns_name: String,
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    vpc_id: String,
    #[serde(default)]
    availability_zones: Vec<LbAvailabilityZone>,
    #[serde(default)]
    security_groups: Vec<String>,
    #[serde(default)]
    ip_address_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LbAvailabilityZone {
    #[serde(default)]
    zone_name: Option<String>,
    #[serde(default)]
    subnet_id: Option<String>,
}

impl From<&LoadBalancerV2> for inv::LoadBalancerV2 {
    fn from(lb: &LoadBalancerV2) -> Self {
        inv::LoadBalancerV2 {
            arn: lb.load_balancer_arn.clone(),
            name: lb.load_balancer_name.clone(),
            dns_name: lb.dns_name.clone(),
            kind: lb.r#type.clone(),
            scheme: lb.scheme.clone(),
            vpc_id: lb.vpc_id.clone(),
            subnet_ids: lb
                .availability_zones
                .iter()
                .filter_map(|z| non_empty(&z.subnet_id))
                .collect(),
            availability_zones: lb
                .availability_zones
                .iter()
                .filter_map(|z| non_empty(&z.zone_name))
                .collect(),
            security_groups: lb.security_groups.clone(),
            ip_address_type: lb.ip_address_type.clone(),
            listeners: Observed::Unknown(format!(
                "not in the aws-cli dump: Listeners of `{}`",
                lb.load_balancer_arn
            )),
            attributes: Observed::Unknown(format!(
                "not in the aws-cli dump: Attributes of `{}`",
                lb.load_balancer_arn
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TargetGroup {
    target_group_arn: String,
    #[serde(default)]
    target_group_name: String,
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    port: Option<i32>,
    #[serde(default)]
    target_type: String,
    #[serde(default)]
    vpc_id: Option<String>,
    #[serde(default)]
    load_balancer_arns: Vec<String>,
}

impl From<&TargetGroup> for inv::TargetGroup {
    fn from(tg: &TargetGroup) -> Self {
        inv::TargetGroup {
            arn: tg.target_group_arn.clone(),
            name: tg.target_group_name.clone(),
            protocol: tg.protocol.clone(),
            port: tg.port,
            target_type: tg.target_type.clone(),
            vpc_id: non_empty(&tg.vpc_id),
            load_balancer_arns: tg.load_balancer_arns.clone(),
            targets: Observed::Unknown(format!(
                "not in the aws-cli dump: TargetHealthDescriptions (describe-target-health --target-group-arn {})",
                tg.target_group_arn
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Listener {
    listener_arn: String,
    pub load_balancer_arn: String,
    #[serde(default)]
    port: Option<i32>,
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    ssl_policy: Option<String>,
    #[serde(default)]
    certificates: Vec<Certificate>,
    #[serde(default)]
    default_actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Certificate {
    #[serde(default)]
    certificate_arn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Action {
    #[serde(default)]
    r#type: String,
    #[serde(default)]
    target_group_arn: Option<String>,
    #[serde(default)]
    forward_config: Option<ForwardConfig>,
    #[serde(default)]
    redirect_config: Option<RedirectConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ForwardConfig {
    #[serde(default)]
    target_groups: Vec<TargetGroupTuple>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TargetGroupTuple {
    #[serde(default)]
    target_group_arn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RedirectConfig {
    #[serde(default)]
    protocol: Option<String>,
}

impl From<&Listener> for inv::ListenerV2 {
    fn from(l: &Listener) -> Self {
        let forwards = l
            .default_actions
            .iter()
            .filter(|a| a.r#type.eq_ignore_ascii_case("forward"));
        let arns: BTreeSet<String> = forwards
            .flat_map(|a| {
                non_empty(&a.target_group_arn)
                    .into_iter()
                    .chain(a.forward_config.iter().flat_map(|f| {
                        f.target_groups
                            .iter()
                            .filter_map(|t| non_empty(&t.target_group_arn))
                    }))
            })
            .collect();
        inv::ListenerV2 {
            arn: l.listener_arn.clone(),
            port: l.port.unwrap_or_default(),
            protocol: l.protocol.clone().unwrap_or_default(),
            ssl_policy: non_empty(&l.ssl_policy),
            certificate_arns: l
                .certificates
                .iter()
                .filter_map(|c| non_empty(&c.certificate_arn))
                .collect(),
            default_target_group_arns: arns.into_iter().collect(),
            redirect_to_https: l.default_actions.iter().any(|a| {
                a.r#type.eq_ignore_ascii_case("redirect")
                    && a.redirect_config
                        .as_ref()
                        .and_then(|r| r.protocol.as_deref())
                        .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
            }),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TargetHealthDescription {
    #[serde(default)]
    target: Option<TargetDescription>,
    #[serde(default)]
    target_health: Option<TargetHealth>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TargetDescription {
    #[serde(default)]
    id: String,
    #[serde(default)]
    port: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TargetHealth {
    #[serde(default)]
    state: Option<String>,
}

impl From<&TargetHealthDescription> for inv::Target {
    fn from(d: &TargetHealthDescription) -> Self {
        inv::Target {
            id: d.target.as_ref().map(|t| t.id.clone()).unwrap_or_default(),
            port: d.target.as_ref().and_then(|t| t.port),
            health: d
                .target_health
                .as_ref()
                .and_then(|h| h.state.clone())
                .unwrap_or_default(),
        }
    }
}
