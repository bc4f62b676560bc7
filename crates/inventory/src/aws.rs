//! Resource types per AWS service. Policies are kept as the JSON text AWS returned
//! (URL-decoded); checks parse them with `rampart-policy`.
//!
//! Reading a snapshot is strict: a missing list, flag or name is an error, never "none".
//! Only `Observed` fields may be missing (they read as not collected), and tags.

use crate::Observed;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type Tags = BTreeMap<String, String>;

// ---------------------------------------------------------------- EC2 / VPC

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Ec2 {
    #[serde(default)]
    pub instances: Observed<Vec<Instance>>,
    #[serde(default)]
    pub network_interfaces: Observed<Vec<NetworkInterface>>,
    pub security_groups: Vec<SecurityGroup>,
    #[serde(default)]
    pub managed_prefix_lists: Observed<Vec<PrefixList>>,
    #[serde(default)]
    pub vpcs: Observed<Vec<Vpc>>,
    #[serde(default)]
    pub subnets: Observed<Vec<Subnet>>,
    #[serde(default)]
    pub route_tables: Observed<Vec<RouteTable>>,
    #[serde(default)]
    pub internet_gateways: Observed<Vec<InternetGateway>>,
    #[serde(default)]
    pub egress_only_internet_gateways: Observed<Vec<InternetGateway>>,
    #[serde(default)]
    pub nat_gateways: Observed<Vec<NatGateway>>,
    #[serde(default)]
    pub network_acls: Observed<Vec<NetworkAcl>>,
    #[serde(default)]
    pub vpc_endpoints: Observed<Vec<VpcEndpoint>>,
    #[serde(default)]
    pub vpc_peering_connections: Observed<Vec<VpcPeering>>,
    /// `DescribeTransitGateways`.
    #[serde(default)]
    pub transit_gateways: Observed<Vec<TransitGateway>>,
    /// `DescribeTransitGatewayAttachments`: every attachment (VPC, peering, VPN, Direct
    /// Connect gateway, Connect, network function) of a transit gateway in the region.
    #[serde(default)]
    pub transit_gateway_attachments: Observed<Vec<TgwAttachment>>,
    /// `DescribeTransitGatewayVpcAttachments`: the VPC attachments with their subnets.
    #[serde(default)]
    pub transit_gateway_vpc_attachments: Observed<Vec<TgwVpcAttachment>>,
    /// `DescribeTransitGatewayRouteTables`, each with its associations, propagations and
    /// routes (their own calls, their own `Observed`).
    #[serde(default)]
    pub transit_gateway_route_tables: Observed<Vec<TgwRouteTable>>,
    #[serde(default)]
    pub flow_logs: Observed<Vec<FlowLog>>,
    #[serde(default)]
    pub volumes: Observed<Vec<Volume>>,
    #[serde(default)]
    pub snapshots: Observed<Vec<Snapshot>>,
    #[serde(default)]
    pub ebs_encryption_by_default: Observed<bool>,
    #[serde(default)]
    pub images: Observed<Vec<Image>>,
    #[serde(default)]
    pub addresses: Observed<Vec<ElasticIp>>,
    /// Launch templates with their default version's data (`DescribeLaunchTemplates`,
    /// `DescribeLaunchTemplateVersions`).
    #[serde(default)]
    pub launch_templates: Observed<Vec<LaunchTemplate>>,
    /// Site-to-Site VPN connections (`DescribeVpnConnections`).
    #[serde(default)]
    pub vpn_connections: Observed<Vec<VpnConnection>>,
    /// Client VPN endpoints (`DescribeClientVpnEndpoints`).
    #[serde(default)]
    pub client_vpn_endpoints: Observed<Vec<ClientVpnEndpoint>>,
    /// VPC Block Public Access `InternetGatewayBlockMode` of the region: `off`,
    /// `block-bidirectional` or `block-ingress` (`DescribeVpcBlockPublicAccessOptions`).
    #[serde(default)]
    pub vpc_block_public_access_mode: Observed<String>,
    /// Block public access for EBS snapshots in the region: `block-all-sharing`,
    /// `block-new-sharing` or `unblocked` (`GetSnapshotBlockPublicAccessState`).
    #[serde(default)]
    pub snapshot_block_public_access: Observed<String>,
    /// Block public access for AMIs in the region: `block-new-sharing` or `unblocked`
    /// (`GetImageBlockPublicAccessState`).
    #[serde(default)]
    pub image_block_public_access: Observed<String>,
    /// The region's instance metadata defaults for new instances (`GetInstanceMetadataDefaults`).
    #[serde(default)]
    pub instance_metadata_defaults: Observed<InstanceMetadataDefaults>,
}

/// The account-level defaults a new instance's metadata options take in a region when its
/// launch request and AMI leave them out. `None`: no default set (EC2's own defaults apply).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstanceMetadataDefaults {
    /// `required` (IMDSv2 only), `optional`, or `None`.
    pub http_tokens: Option<String>,
    /// `enabled`, `disabled`, or `None`.
    pub http_endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Instance {
    pub instance_id: String,
    pub state: String,
    pub instance_type: String,
    pub image_id: String,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub private_ip_address: Option<String>,
    pub public_ip_address: Option<String>,
    pub ipv6_addresses: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub network_interface_ids: Vec<String>,
    pub iam_instance_profile_arn: Option<String>,
    /// IMDS: `required` means IMDSv2 only.
    pub metadata_http_tokens: Option<String>,
    pub metadata_http_endpoint: Option<String>,
    pub metadata_hop_limit: Option<i32>,
    /// Base64-decoded user data, inflated when gzip-compressed (bounded); `Unknown` when the
    /// attribute could not be read or a gzip stream was corrupt or too large to inflate.
    #[serde(default)]
    pub user_data: Observed<Option<String>>,
    pub launch_time: Option<String>,
    pub platform: Option<String>,
    #[serde(default)]
    pub tags: Tags,
    /// `hvm` or `paravirtual`.
    #[serde(default)]
    pub virtualization_type: Observed<Option<String>>,
    /// `StateTransitionReason`, e.g. `User initiated (2026-11-27 12:00:00 GMT)` for a stopped
    /// instance; `Known(None)` when AWS gives none.
    #[serde(default)]
    pub state_transition_reason: Observed<Option<String>>,
    /// `Monitoring.State`: `disabled` (basic, 5-minute metrics), `enabled` (detailed, 1-minute),
    /// `pending`, `disabling`.
    #[serde(default)]
    pub monitoring_state: Observed<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NetworkInterface {
    pub network_interface_id: String,
    pub interface_type: String,
    pub description: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub availability_zone: String,
    pub private_ip_addresses: Vec<String>,
    pub public_ips: Vec<String>,
    pub ipv6_addresses: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub attachment_instance_id: Option<String>,
    pub requester_managed: bool,
    pub source_dest_check: bool,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub group_id: String,
    pub group_name: String,
    pub description: String,
    pub vpc_id: Option<String>,
    pub owner_id: String,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    #[serde(default)]
    pub tags: Tags,
}

/// One permission of a security group, flattened: exactly one source/destination.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SgRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` for all.
    pub ip_protocol: String,
    /// For TCP/UDP the port range; for ICMP the type/code; absent for `-1`.
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub peer: SgPeer,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SgPeer {
    Cidr4(String),
    Cidr6(String),
    PrefixList(String),
    Group { group_id: String, user_id: Option<String>, vpc_peering_connection_id: Option<String> },
}

impl Default for SgPeer {
    fn default() -> Self {
        SgPeer::Cidr4(String::new())
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrefixList {
    pub prefix_list_id: String,
    pub prefix_list_name: String,
    pub owner_id: String,
    pub address_family: String,
    /// CIDRs of the list; `Unknown` if `GetManagedPrefixListEntries` failed.
    #[serde(default)]
    pub entries: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Vpc {
    pub vpc_id: String,
    pub cidr_blocks: Vec<String>,
    pub ipv6_cidr_blocks: Vec<String>,
    pub is_default: bool,
    pub owner_id: String,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Subnet {
    pub subnet_id: String,
    pub vpc_id: String,
    pub availability_zone: String,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_blocks: Vec<String>,
    pub map_public_ip_on_launch: bool,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RouteTable {
    pub route_table_id: String,
    pub vpc_id: String,
    pub main: bool,
    pub subnet_ids: Vec<String>,
    pub gateway_ids: Vec<String>,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Route {
    pub destination_cidr_block: Option<String>,
    pub destination_ipv6_cidr_block: Option<String>,
    pub destination_prefix_list_id: Option<String>,
    /// The target id (igw-, nat-, eigw-, eni-, i-, pcx-, tgw-, vpce-, `local`).
    pub target: String,
    /// `active` or `blackhole`.
    pub state: String,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InternetGateway {
    pub id: String,
    pub attached_vpc_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NatGateway {
    pub nat_gateway_id: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub state: String,
    pub connectivity_type: String,
    pub public_ips: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NetworkAcl {
    pub network_acl_id: String,
    pub vpc_id: String,
    pub is_default: bool,
    pub subnet_ids: Vec<String>,
    pub entries: Vec<NaclEntry>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NaclEntry {
    pub rule_number: i32,
    pub egress: bool,
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    pub cidr_block: Option<String>,
    pub ipv6_cidr_block: Option<String>,
    pub port_from: Option<i32>,
    pub port_to: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcEndpoint {
    pub vpc_endpoint_id: String,
    pub vpc_endpoint_type: String,
    pub vpc_id: String,
    pub service_name: String,
    pub route_table_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub network_interface_ids: Vec<String>,
    pub policy_document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpcPeering {
    pub vpc_peering_connection_id: String,
    pub requester_vpc_id: String,
    pub requester_owner_id: String,
    pub accepter_vpc_id: String,
    pub accepter_owner_id: String,
    pub status: String,
}

/// A transit gateway and the options that decide how attachments join it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TransitGateway {
    pub transit_gateway_id: String,
    pub owner_id: String,
    /// `pending`, `available`, `modifying`, `deleting`, `deleted`.
    pub state: String,
    /// `enable` or `disable`: whether attachment requests from other accounts (shared through
    /// AWS RAM) are accepted without review.
    pub auto_accept_shared_attachments: String,
    /// `enable` or `disable`: new attachments are associated with the default route table.
    pub default_route_table_association: String,
    pub association_default_route_table_id: Option<String>,
    /// `enable` or `disable`: new attachments propagate to the default route table.
    pub default_route_table_propagation: String,
    pub propagation_default_route_table_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// One attachment of a transit gateway (`DescribeTransitGatewayAttachments`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TgwAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub transit_gateway_owner_id: String,
    pub resource_owner_id: String,
    /// `vpc`, `vpn`, `direct-connect-gateway`, `connect`, `peering`, `tgw-peering`, `network-function`.
    pub resource_type: String,
    /// The VPC, VPN connection, peer transit gateway, ... id.
    pub resource_id: String,
    /// `available`, `pendingAcceptance`, `rejected`, `deleted`, ...
    pub state: String,
    /// The route table the attachment is associated with, as this listing reports it.
    pub association_route_table_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

/// A VPC attachment with the subnets (one per Availability Zone) the transit gateway uses
/// (`DescribeTransitGatewayVpcAttachments`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TgwVpcAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub vpc_id: String,
    pub vpc_owner_id: String,
    pub state: String,
    pub subnet_ids: Vec<String>,
    /// `enable` or `disable`.
    pub appliance_mode_support: Option<String>,
}

/// A transit gateway route table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TgwRouteTable {
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_id: String,
    pub state: String,
    pub default_association_route_table: bool,
    pub default_propagation_route_table: bool,
    /// `GetTransitGatewayRouteTableAssociations`: the attachments whose traffic this table routes.
    #[serde(default)]
    pub associations: Observed<Vec<TgwRouteTableLink>>,
    /// `GetTransitGatewayRouteTablePropagations`: the attachments whose routes it learns.
    #[serde(default)]
    pub propagations: Observed<Vec<TgwRouteTableLink>>,
    /// `SearchTransitGatewayRoutes` (types `static` and `propagated`).
    #[serde(default)]
    pub routes: Observed<Vec<TgwRoute>>,
    #[serde(default)]
    pub tags: Tags,
}

/// An association or propagation of a transit gateway route table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TgwRouteTableLink {
    pub transit_gateway_attachment_id: String,
    pub resource_type: String,
    pub resource_id: String,
    /// Associations: `associating`, `associated`, `disassociating`, `disassociated`;
    /// propagations: `enabling`, `enabled`, `disabling`, `disabled`.
    pub state: String,
}

/// A route of a transit gateway route table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TgwRoute {
    pub destination_cidr_block: Option<String>,
    pub prefix_list_id: Option<String>,
    /// The attachments traffic goes to (empty for a blackhole route).
    pub transit_gateway_attachment_ids: Vec<String>,
    /// `static` or `propagated`.
    pub route_type: String,
    /// `active`, `blackhole`, `pending`, `deleting`, `deleted`.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FlowLog {
    pub flow_log_id: String,
    pub resource_id: String,
    pub traffic_type: String,
    pub log_destination_type: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Volume {
    pub volume_id: String,
    pub size_gib: i32,
    pub volume_type: String,
    pub state: String,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub availability_zone: String,
    pub attached_instance_ids: Vec<String>,
    pub create_time: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub snapshot_id: String,
    pub volume_id: Option<String>,
    pub volume_size_gib: i32,
    pub encrypted: bool,
    pub state: String,
    pub start_time: Option<String>,
    pub description: String,
    /// `createVolumePermission`: `all` (public) or account ids.
    #[serde(default)]
    pub create_volume_permissions: Observed<Vec<String>>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Image {
    pub image_id: String,
    pub name: String,
    pub public: bool,
    pub state: String,
    pub creation_date: Option<String>,
    /// `launchPermission`: `all` (public) or account ids / org ARNs.
    #[serde(default)]
    pub launch_permissions: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchTemplate {
    pub launch_template_id: String,
    pub launch_template_name: String,
    pub default_version_number: Option<i64>,
    pub latest_version_number: Option<i64>,
    /// The default version's launch data; `Unknown` if it could not be read.
    #[serde(default)]
    pub default_version: Observed<LaunchTemplateData>,
    /// What the `rampart scan secrets` detector found in the user data of every version of the
    /// template, at collection time and redacted (`version 3: access key AKIA… with secret
    /// wJal…`); empty: read and none found. Unknown when a version could not be read or its user
    /// data is not text (e.g. gzip) and nothing was found in the others.
    #[serde(default)]
    pub user_data_secrets: Observed<Vec<String>>,
}

/// The parts of a launch template version's `LaunchTemplateData` the checks read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchTemplateData {
    /// `MetadataOptions.HttpTokens` (`required`, `optional`); `None` = not specified.
    pub metadata_http_tokens: Option<String>,
    pub metadata_http_endpoint: Option<String>,
    pub network_interfaces: Vec<LaunchTemplateNetworkInterface>,
    pub block_device_mappings: Vec<LaunchTemplateBlockDevice>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchTemplateNetworkInterface {
    pub device_index: Option<i32>,
    /// `AssociatePublicIpAddress`; `None` = not specified (the subnet decides).
    pub associate_public_ip_address: Option<bool>,
    pub network_interface_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchTemplateBlockDevice {
    pub device_name: Option<String>,
    /// Whether the mapping is an EBS volume (not an instance store or `NoDevice`).
    pub ebs: bool,
    /// `Ebs.Encrypted`; `None` = not specified.
    pub encrypted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpnConnection {
    pub vpn_connection_id: String,
    /// `pending`, `available`, `deleting`, `deleted`.
    pub state: String,
    /// `VgwTelemetry`: one entry per tunnel; `None` when AWS reported no telemetry.
    pub tunnels: Option<Vec<VpnTunnel>>,
    /// `Options.TunnelOptions`: the tunnels' log options; `None` when not reported.
    pub tunnel_logging: Option<Vec<VpnTunnelLogging>>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpnTunnel {
    pub outside_ip_address: String,
    /// `UP` or `DOWN`.
    pub status: String,
    pub status_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VpnTunnelLogging {
    pub outside_ip_address: String,
    /// `LogOptions.CloudWatchLogOptions.LogEnabled`; `false` when no log options are set.
    pub cloudwatch_log_enabled: bool,
    pub log_group_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClientVpnEndpoint {
    pub client_vpn_endpoint_id: String,
    /// `pending-associate`, `available`, `deleting`, `deleted`.
    pub status: String,
    /// `ConnectionLogOptions.Enabled`.
    pub connection_log_enabled: bool,
    pub cloudwatch_log_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ElasticIp {
    pub allocation_id: String,
    pub public_ip: String,
    pub association_id: Option<String>,
    pub instance_id: Option<String>,
    pub network_interface_id: Option<String>,
}

// ---------------------------------------------------------------- S3

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct S3 {
    /// Account-level Block Public Access (`s3control:GetPublicAccessBlock`);
    /// `Known(None)` = not configured.
    #[serde(default)]
    pub account_public_access_block: Observed<Option<PublicAccessBlock>>,
    pub buckets: Vec<Bucket>,
    /// Multi-Region Access Points (their control plane is in us-west-2).
    #[serde(default)]
    pub multi_region_access_points: Observed<Vec<MultiRegionAccessPoint>>,
}

/// An S3 access point of a region (`s3control:ListAccessPoints`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct S3AccessPoint {
    pub name: String,
    pub arn: String,
    pub bucket: String,
    /// `Internet` or `VPC`.
    pub network_origin: String,
    /// The access point's own Block Public Access settings (`GetAccessPoint`).
    #[serde(default)]
    pub public_access_block: Observed<Option<PublicAccessBlock>>,
    /// The VPC an access point of network origin `VPC` accepts requests from
    /// (`GetAccessPoint` `VpcConfiguration.VpcId`); `Known(None)`: origin `Internet`.
    #[serde(default)]
    pub vpc_id: Observed<Option<String>>,
    /// The access point policy (`GetAccessPointPolicy`); `Known(None)`: none.
    #[serde(default)]
    pub policy: Observed<Option<String>>,
}

/// An S3 Multi-Region Access Point of the account (`s3control:ListMultiRegionAccessPoints`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MultiRegionAccessPoint {
    pub name: String,
    pub alias: String,
    pub status: String,
    pub public_access_block: Option<PublicAccessBlock>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub region: String,
    pub creation_date: Option<String>,
    /// `GetBucketTagging`; `Known(empty)`: no tag set.
    #[serde(default)]
    pub tags: Observed<Tags>,
    #[serde(default)]
    pub owner_id: Observed<String>,
    #[serde(default)]
    pub acl: Observed<Vec<Grant>>,
    /// `Known(None)`: no bucket policy.
    #[serde(default)]
    pub policy: Observed<Option<String>>,
    #[serde(default)]
    pub public_access_block: Observed<Option<PublicAccessBlock>>,
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`; `Known(None)` = not set.
    #[serde(default)]
    pub ownership_controls: Observed<Option<String>>,
    /// SSE algorithm of the default encryption (`AES256`, `aws:kms`, ...); `Known(None)` = none.
    #[serde(default)]
    pub encryption: Observed<Option<String>>,
    /// `Enabled`, `Suspended`, or `Known(None)` never enabled.
    #[serde(default)]
    pub versioning: Observed<Option<String>>,
    #[serde(default)]
    pub mfa_delete: Observed<Option<String>>,
    /// Target bucket of server access logging; `Known(None)` = off.
    #[serde(default)]
    pub logging_target: Observed<Option<String>>,
    /// Lifecycle configuration rules; empty = no lifecycle configuration.
    #[serde(default)]
    pub lifecycle_rules: Observed<Vec<LifecycleRule>>,
    /// The destination bucket ARNs of the enabled replication rules (`GetBucketReplication`);
    /// empty = no replication configuration or none enabled.
    #[serde(default)]
    pub replication_destinations: Observed<Vec<String>>,
    /// Whether Object Lock is enabled (`GetObjectLockConfiguration` `ObjectLockEnabled`).
    #[serde(default)]
    pub object_lock: Observed<bool>,
    /// Whether the bucket sends event notifications anywhere (an SNS topic, SQS queue, Lambda
    /// function or EventBridge; `GetBucketNotificationConfiguration`).
    #[serde(default)]
    pub event_notifications: Observed<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    /// `Status` is `Enabled`.
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Grant {
    /// `CanonicalUser`, `Group` or `AmazonCustomerByEmail`.
    pub grantee_type: String,
    /// Canonical id, group URI or email.
    pub grantee: String,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`, `FULL_CONTROL`.
    pub permission: String,
}

pub const ALL_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
pub const AUTHENTICATED_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

// ---------------------------------------------------------------- IAM

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Iam {
    /// `GetAccountSummary`'s map, e.g. `AccountMFAEnabled`, `AccountAccessKeysPresent`.
    #[serde(default)]
    pub account_summary: Observed<BTreeMap<String, i64>>,
    /// `Known(None)`: no password policy set.
    #[serde(default)]
    pub password_policy: Observed<Option<PasswordPolicy>>,
    #[serde(default)]
    pub users: Observed<Vec<User>>,
    #[serde(default)]
    pub groups: Observed<Vec<Group>>,
    #[serde(default)]
    pub roles: Observed<Vec<Role>>,
    /// Customer-managed policies and attached AWS-managed ones, with their default version.
    #[serde(default)]
    pub policies: Observed<Vec<ManagedPolicy>>,
    /// Virtual MFA devices; the root's shows whether root MFA is virtual or hardware.
    #[serde(default)]
    pub virtual_mfa_devices: Observed<Vec<VirtualMfaDevice>>,
    #[serde(default)]
    pub credential_report: Observed<Vec<CredentialReportRow>>,
    /// The ARNs of the account's SAML identity providers (`ListSAMLProviders`).
    #[serde(default)]
    pub saml_providers: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_password_length: i32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    pub expire_passwords: bool,
    pub max_password_age: Option<i32>,
    pub password_reuse_prevention: Option<i32>,
    pub hard_expiry: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct User {
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub create_date: Option<String>,
    pub password_last_used: Option<String>,
    /// Whether the user has a console password (`GetLoginProfile`).
    #[serde(default)]
    pub login_profile: Observed<bool>,
    #[serde(default)]
    pub mfa_devices: Observed<Vec<String>>,
    #[serde(default)]
    pub access_keys: Observed<Vec<AccessKey>>,
    #[serde(default)]
    pub attached_policy_arns: Observed<Vec<String>>,
    #[serde(default)]
    pub inline_policies: Observed<Vec<InlinePolicy>>,
    #[serde(default)]
    pub groups: Observed<Vec<String>>,
    /// The ARN of the permissions boundary; `Known(None)`: none.
    #[serde(default)]
    pub permissions_boundary_arn: Observed<Option<String>>,
    #[serde(default)]
    pub tags: Observed<Tags>,
    /// Service last accessed data (`GenerateServiceLastAccessedDetails`); `Unknown` when the
    /// account does not let it be read.
    #[serde(default)]
    pub service_last_accessed: Observed<Vec<ServiceLastAccessed>>,
}

/// When a principal last used a service (`GetServiceLastAccessedDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceLastAccessed {
    pub service_namespace: String,
    /// `None`: not used within the tracking period.
    pub last_authenticated: Option<String>,
    /// The ARN of the principal that last used it (for a group or a policy's report).
    pub last_authenticated_entity: Option<String>,
}

/// An instance profile that holds a role (`GetAccountAuthorizationDetails`'s `InstanceProfileList`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InstanceProfile {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AccessKey {
    pub access_key_id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    pub create_date: Option<String>,
    #[serde(default)]
    pub last_used_date: Observed<Option<String>>,
    pub last_used_service: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Group {
    pub group_name: String,
    pub arn: String,
    #[serde(default)]
    pub attached_policy_arns: Observed<Vec<String>>,
    #[serde(default)]
    pub inline_policies: Observed<Vec<InlinePolicy>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Role {
    pub role_name: String,
    pub arn: String,
    pub path: String,
    pub create_date: Option<String>,
    pub assume_role_policy_document: Option<String>,
    #[serde(default)]
    pub attached_policy_arns: Observed<Vec<String>>,
    #[serde(default)]
    pub inline_policies: Observed<Vec<InlinePolicy>>,
    pub last_used_date: Option<String>,
    /// The unique id (`AROA…`); `None` in snapshots older than its collection.
    #[serde(default)]
    pub role_id: Option<String>,
    /// The ARN of the permissions boundary; `Known(None)`: none.
    #[serde(default)]
    pub permissions_boundary_arn: Observed<Option<String>>,
    #[serde(default)]
    pub tags: Observed<Tags>,
    /// The instance profiles holding the role (what EC2 instances run with).
    #[serde(default)]
    pub instance_profiles: Observed<Vec<InstanceProfile>>,
    #[serde(default)]
    pub service_last_accessed: Observed<Vec<ServiceLastAccessed>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub policy_name: String,
    pub arn: String,
    pub aws_managed: bool,
    pub attachment_count: i32,
    pub default_version_id: String,
    #[serde(default)]
    pub document: Observed<String>,
    /// How many users and roles have it as their permissions boundary.
    #[serde(default)]
    pub permissions_boundary_usage_count: i32,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VirtualMfaDevice {
    pub serial_number: String,
    pub user_arn: Option<String>,
}

/// One row of the IAM credential report, as named in its CSV header.
pub type CredentialReportRow = BTreeMap<String, String>;

// ---------------------------------------------------------------- RDS

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rds {
    pub db_instances: Vec<DbInstance>,
    pub db_snapshots: Vec<DbSnapshot>,
    pub db_cluster_snapshots: Vec<DbSnapshot>,
    /// EC2-Classic DB security groups; most accounts have none.
    #[serde(default)]
    pub db_security_groups: Observed<Vec<DbSecurityGroup>>,
    /// DB clusters (Aurora and Multi-AZ DB clusters; `DescribeDBClusters` also lists Neptune
    /// and DocumentDB clusters, kept with their engine).
    #[serde(default)]
    pub db_clusters: Observed<Vec<DbCluster>>,
    /// RDS event notification subscriptions (`DescribeEventSubscriptions`).
    #[serde(default)]
    pub event_subscriptions: Observed<Vec<RdsEventSubscription>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbCluster {
    pub db_cluster_identifier: String,
    pub arn: String,
    #[serde(default)]
    pub tags: Tags,
    /// `aurora-mysql`, `aurora-postgresql`, `mysql`, `postgres` (Multi-AZ DB clusters),
    /// `neptune`, `docdb`, ...
    pub engine: String,
    pub engine_mode: Option<String>,
    pub storage_encrypted: bool,
    pub deletion_protection: bool,
    pub iam_database_authentication_enabled: bool,
    pub multi_az: bool,
    pub copy_tags_to_snapshot: bool,
    /// Seconds; `None` or 0 = backtracking off.
    pub backtrack_window: Option<i64>,
    pub master_username: Option<String>,
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// Only reported for Multi-AZ DB clusters (Aurora sets it per instance).
    pub auto_minor_version_upgrade: Option<bool>,
    pub port: Option<i32>,
    pub member_instance_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RdsEventSubscription {
    pub name: String,
    pub arn: String,
    /// `db-instance`, `db-cluster`, `db-parameter-group`, `db-security-group`, ...;
    /// `None` = all source types.
    pub source_type: Option<String>,
    /// Empty = all sources of the type.
    pub source_ids: Vec<String>,
    /// Empty = all categories.
    pub event_categories: Vec<String>,
    pub enabled: bool,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbInstance {
    pub db_instance_identifier: String,
    pub arn: String,
    #[serde(default)]
    pub tags: Tags,
    pub engine: String,
    pub engine_version: String,
    pub publicly_accessible: bool,
    pub storage_encrypted: bool,
    pub multi_az: bool,
    pub backup_retention_period: i32,
    pub auto_minor_version_upgrade: bool,
    pub deletion_protection: bool,
    pub iam_database_authentication_enabled: bool,
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub vpc_security_group_ids: Vec<String>,
    pub db_security_groups: Vec<String>,
    pub endpoint_port: Option<i32>,
    /// Enhanced Monitoring interval in seconds; 0 = off.
    #[serde(default)]
    pub monitoring_interval: Observed<i32>,
    /// Log types published to CloudWatch Logs (`EnabledCloudwatchLogsExports`).
    #[serde(default)]
    pub enabled_cloudwatch_logs_exports: Observed<Vec<String>>,
    #[serde(default)]
    pub copy_tags_to_snapshot: Observed<bool>,
    #[serde(default)]
    pub master_username: Observed<Option<String>>,
    /// The DB cluster the instance belongs to (Aurora); `Known(None)` = standalone.
    #[serde(default)]
    pub db_cluster_identifier: Observed<Option<String>>,
    /// `CertificateDetails.ValidTill` (RFC 3339): when the server certificate of the instance's
    /// CA expires; `Known(None)` = not reported.
    #[serde(default)]
    pub certificate_valid_till: Observed<Option<String>>,
    /// The value of the engine's parameter that makes the instance refuse unencrypted
    /// connections, in its DB parameter group (`DescribeDBParameters`): `rds.force_ssl`
    /// (PostgreSQL, SQL Server) or `require_secure_transport` (MySQL, MariaDB), as
    /// `(parameter group, parameter, value)`; `Known(None)` = the engine has no such parameter.
    /// Unknown when the group could not be read or does not report the parameter's value.
    #[serde(default)]
    pub transport_encryption_parameter: Observed<Option<(String, String, String)>>,
    /// `EngineLifecycleSupport`: `open-source-rds-extended-support` or
    /// `open-source-rds-extended-support-disabled`; `Known(None)` = not reported (engines
    /// without extended support).
    #[serde(default)]
    pub engine_lifecycle_support: Observed<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbSnapshot {
    pub identifier: String,
    pub arn: String,
    pub source_identifier: String,
    pub snapshot_type: String,
    pub encrypted: bool,
    pub create_time: Option<String>,
    /// The `restore` attribute: `all` (public) or account ids.
    #[serde(default)]
    pub restore_accounts: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbSecurityGroup {
    pub name: String,
    pub arn: String,
    pub cidrs: Vec<String>,
    pub ec2_security_groups: Vec<String>,
}

// ---------------------------------------------------------------- ELB

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClassicLoadBalancer {
    pub name: String,
    pub dns_name: String,
    pub scheme: String,
    pub vpc_id: Option<String>,
    pub subnets: Vec<String>,
    pub availability_zones: Vec<String>,
    pub security_groups: Vec<String>,
    pub listeners: Vec<ClassicListener>,
    pub instance_ids: Vec<String>,
    /// Policies by name: type and attributes (SSL negotiation policies hold protocols/ciphers).
    #[serde(default)]
    pub policies: Observed<Vec<ElbPolicy>>,
    #[serde(default)]
    pub cross_zone_load_balancing: Observed<bool>,
    #[serde(default)]
    pub connection_draining: Observed<bool>,
    #[serde(default)]
    pub access_log_enabled: Observed<bool>,
    /// `elb.http.desyncmitigationmode` (`monitor`, `defensive`, `strictest`); `Known(None)` when
    /// the response did not report it.
    #[serde(default)]
    pub desync_mitigation_mode: Observed<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClassicListener {
    pub protocol: String,
    pub load_balancer_port: i32,
    pub instance_protocol: String,
    pub instance_port: i32,
    pub ssl_certificate_id: Option<String>,
    pub policy_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ElbPolicy {
    pub name: String,
    pub type_name: String,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Elbv2 {
    pub load_balancers: Vec<LoadBalancerV2>,
    pub target_groups: Vec<TargetGroup>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoadBalancerV2 {
    pub arn: String,
    pub name: String,
    /// `DNSName`; empty in snapshots written before it was collected.
    #[serde(default)]
    pub dns_name: String,
    /// `application`, `network`, `gateway`.
    pub kind: String,
    pub scheme: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub availability_zones: Vec<String>,
    pub security_groups: Vec<String>,
    pub ip_address_type: String,
    #[serde(default)]
    pub listeners: Observed<Vec<ListenerV2>>,
    #[serde(default)]
    pub attributes: Observed<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListenerV2 {
    pub arn: String,
    pub port: i32,
    pub protocol: String,
    pub ssl_policy: Option<String>,
    pub certificate_arns: Vec<String>,
    pub default_target_group_arns: Vec<String>,
    pub redirect_to_https: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub protocol: Option<String>,
    pub port: Option<i32>,
    pub target_type: String,
    pub vpc_id: Option<String>,
    pub load_balancer_arns: Vec<String>,
    #[serde(default)]
    pub targets: Observed<Vec<Target>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub port: Option<i32>,
    pub health: String,
}

// ---------------------------------------------------------------- CloudTrail

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: String,
    pub home_region: String,
    pub is_multi_region_trail: bool,
    pub is_organization_trail: bool,
    pub include_global_service_events: bool,
    pub log_file_validation_enabled: bool,
    pub s3_bucket_name: Option<String>,
    pub kms_key_id: Option<String>,
    pub cloud_watch_logs_log_group_arn: Option<String>,
    #[serde(default)]
    pub is_logging: Observed<bool>,
    /// Event selectors as returned (JSON), basic or advanced.
    #[serde(default)]
    pub event_selectors: Observed<String>,
    /// The Insights types the trail logs (`ApiCallRateInsight`, `ApiErrorRateInsight`;
    /// `GetInsightSelectors`); empty when Insights is not enabled.
    #[serde(default)]
    pub insight_selectors: Observed<Vec<String>>,
}

// ---------------------------------------------------------------- Route 53, CloudFront, certificates

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HostedZone {
    pub id: String,
    pub name: String,
    pub private_zone: bool,
    #[serde(default)]
    pub record_sets: Observed<Vec<RecordSet>>,
    /// The CloudWatch Logs log groups the zone's DNS query logging configurations send to
    /// (`ListQueryLoggingConfigs`); empty = no query logging.
    #[serde(default)]
    pub query_logging_log_groups: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordSet {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ttl: Option<i64>,
    pub values: Vec<String>,
    pub alias_target: Option<String>,
    /// Routing policies other than simple: the record's identifier among those of its name and type.
    #[serde(default)]
    pub set_identifier: Option<String>,
    /// Failover routing: `PRIMARY` or `SECONDARY`.
    #[serde(default)]
    pub failover: Option<String>,
    #[serde(default)]
    pub health_check_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub aliases: Vec<String>,
    pub enabled: bool,
    pub viewer_protocol_policies: Vec<String>,
    pub minimum_protocol_version: Option<String>,
    pub ssl_support_method: Option<String>,
    pub certificate_source: Option<String>,
    pub iam_certificate_id: Option<String>,
    pub acm_certificate_arn: Option<String>,
    pub cloudfront_default_certificate: bool,
    pub origins: Vec<Origin>,
    pub web_acl_id: Option<String>,
    pub logging_enabled: bool,
    pub default_root_object: Option<String>,
    /// Origin groups (failover), each as the ids of its member origins.
    #[serde(default)]
    pub origin_groups: Observed<Vec<Vec<String>>>,
    /// `Restrictions.GeoRestriction.RestrictionType`: `none`, `allowlist` or `blocklist`.
    #[serde(default)]
    pub geo_restriction_type: Observed<String>,
    /// The default cache behaviour's `FieldLevelEncryptionId`; `Known(None)` = none.
    #[serde(default)]
    pub default_field_level_encryption_id: Observed<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Origin {
    pub id: String,
    pub domain_name: String,
    /// `http-only`, `https-only`, `match-viewer`; `None` for S3 origins.
    pub origin_protocol_policy: Option<String>,
    pub origin_ssl_protocols: Vec<String>,
    pub s3_origin: bool,
    pub origin_access_control_id: Option<String>,
    pub origin_access_identity: Option<String>,
    /// The port CloudFront connects to over HTTPS (custom origins; 443 when absent).
    #[serde(default)]
    pub https_port: Option<u16>,
    /// The certificate the origin serves, read over TLS by the opt-in origin probe
    /// (`--probe-origins`); "not collected" without it.
    #[serde(default)]
    pub served_certificate: Observed<ServedCertificate>,
}

/// A certificate as an origin served it in a TLS handshake.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServedCertificate {
    /// Where it was read: `host:port`.
    pub endpoint: String,
    /// The leaf certificate's subject (RFC 4514 string).
    pub subject: String,
    /// Its validity end, RFC 3339.
    pub not_after: String,
    pub key: CertificateKey,
    /// The TLS version negotiated (`TLSv1.3`, `TLSv1.2`).
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServerCertificate {
    pub name: String,
    pub id: String,
    pub arn: String,
    /// `ServerCertificateMetadata.Expiration` as listed.
    pub expiration: Option<String>,
    pub upload_date: Option<String>,
    /// The key and signature of the certificate body (`GetServerCertificate`).
    #[serde(default)]
    pub key: Observed<CertificateKey>,
    /// The certificate body's notAfter, RFC 3339 (`GetServerCertificate`); the expiry checks
    /// prefer it to the listed `expiration` (equal on AWS; emulators may list another date).
    #[serde(default)]
    pub not_after: Option<String>,
}

impl ServerCertificate {
    /// When the certificate expires: the body's notAfter, else the listed expiration.
    pub fn expires(&self) -> Option<&str> {
        self.not_after.as_deref().or(self.expiration.as_deref())
    }
}

/// What a certificate body says about its strength.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CertificateKey {
    /// `RSA`, `EC`, `Ed25519`, or the public key algorithm's OID.
    pub algorithm: String,
    /// The key size: the RSA modulus length or the EC curve's size, when known.
    pub bits: Option<u32>,
    /// The signature algorithm by name (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`,
    /// `sha1WithRSAEncryption`, ...) or OID.
    pub signature_algorithm: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AcmCertificate {
    pub arn: String,
    pub domain_name: String,
    pub status: String,
    pub kind: String,
    pub key_algorithm: Option<String>,
    pub not_after: Option<String>,
    pub in_use_by: Vec<String>,
    pub renewal_eligibility: Option<String>,
}

// ---------------------------------------------------------------- KMS, Lambda, ECR, SNS, SQS

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KmsKey {
    pub key_id: String,
    pub arn: String,
    pub key_manager: String,
    pub key_state: String,
    pub key_spec: String,
    pub origin: String,
    /// `KeyMetadata.MultiRegion`: a multi-Region primary or replica key.
    #[serde(default)]
    pub multi_region: Observed<bool>,
    #[serde(default)]
    pub rotation_enabled: Observed<bool>,
    #[serde(default)]
    pub policy: Observed<String>,
    /// The key's grants (`kms:ListGrants`): principals allowed to use the key outside its
    /// key policy.
    #[serde(default)]
    pub grants: Observed<Vec<KmsGrant>>,
}

/// A KMS grant (`ListGrants`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KmsGrant {
    pub grant_id: String,
    pub name: Option<String>,
    /// `GranteePrincipal`: an account, an IAM principal ARN or a service principal.
    pub grantee_principal: String,
    pub retiring_principal: Option<String>,
    /// The operations granted (`Decrypt`, `Encrypt`, `GenerateDataKey`, `CreateGrant`, ...).
    pub operations: Vec<String>,
    /// `IssuingAccount` (an account root ARN).
    pub issuing_account: Option<String>,
    /// Whether the grant carries encryption-context constraints.
    pub constrained: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LambdaFunction {
    pub function_name: String,
    pub arn: String,
    pub runtime: Option<String>,
    pub role: String,
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// Names only: values are secrets and are never stored.
    pub environment_variable_names: Vec<String>,
    /// What the `rampart scan secrets` detector found in the variables' values at collection
    /// time, redacted (`NAME: access key AKIA… with secret wJal…`); empty: read and none found.
    #[serde(default)]
    pub environment_secrets: Observed<Vec<String>>,
    #[serde(default)]
    pub policy: Observed<Option<String>>,
    /// Auth type of the function URL (`NONE`, `AWS_IAM`), `Known(None)` if no URL.
    #[serde(default)]
    pub url_auth_type: Observed<Option<String>>,
    /// The function URL's CORS `AllowOrigins`, `Known(None)` if no URL (an empty list: no CORS).
    #[serde(default)]
    pub url_cors_allow_origins: Observed<Option<Vec<String>>>,
    pub last_modified: Option<String>,
    pub package_type: Option<String>,
    /// `KMSKeyArn`: the customer managed key that encrypts the environment variables;
    /// `Known(None)` = Lambda's AWS managed key.
    #[serde(default)]
    pub kms_key_arn: Observed<Option<String>>,
    /// `DeadLetterConfig.TargetArn` (an SQS queue or SNS topic); `Known(None)` = none.
    #[serde(default)]
    pub dead_letter_target_arn: Observed<Option<String>>,
    /// The ARNs of the layer versions the function uses.
    #[serde(default)]
    pub layer_arns: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcrRepository {
    pub name: String,
    pub arn: String,
    pub uri: String,
    pub scan_on_push: bool,
    pub image_tag_mutability: String,
    pub encryption_type: Option<String>,
    #[serde(default)]
    pub policy: Observed<Option<String>>,
    #[serde(default)]
    pub lifecycle_policy: Observed<Option<String>>,
}

/// A region's private registry scanning configuration (`GetRegistryScanningConfiguration`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcrRegistryScanning {
    /// `BASIC` or `ENHANCED` (Amazon Inspector).
    pub scan_type: String,
    pub rules: Vec<EcrScanningRule>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcrScanningRule {
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`.
    pub scan_frequency: String,
    /// The repository filters (`WILDCARD` patterns) the rule applies to.
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SnsTopic {
    pub arn: String,
    #[serde(default)]
    pub policy: Observed<Option<String>>,
    #[serde(default)]
    pub kms_master_key_id: Observed<Option<String>>,
    /// Confirmed subscriptions (`ListSubscriptionsByTopic`: those whose `SubscriptionArn` is an
    /// ARN; a pending one reads `PendingConfirmation`).
    #[serde(default)]
    pub subscriptions_confirmed: Observed<u64>,
    /// Every subscription of the topic (`ListSubscriptionsByTopic`), without its endpoint.
    #[serde(default)]
    pub subscriptions: Observed<Vec<SnsSubscription>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SnsSubscription {
    /// The subscription's ARN, or `PendingConfirmation` while it is not confirmed.
    pub arn: String,
    /// `http`, `https`, `email`, `email-json`, `sms`, `sqs`, `application`, `lambda`, `firehose`.
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SqsQueue {
    pub url: String,
    pub arn: String,
    #[serde(default)]
    pub policy: Observed<Option<String>>,
    #[serde(default)]
    pub kms_master_key_id: Observed<Option<String>>,
    #[serde(default)]
    pub sqs_managed_sse_enabled: Observed<bool>,
}

// ---------------------------------------------------------------- detective services, quotas

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GuardDuty {
    /// Detector ids with their status (`ENABLED`/`DISABLED`).
    pub detectors: Vec<(String, String)>,
    /// Per detector id, the status (`ENABLED`/`DISABLED`) of each protection plan feature of
    /// `GetDetector` (`S3_DATA_EVENTS`, `EKS_AUDIT_LOGS`, `RDS_LOGIN_EVENTS`,
    /// `LAMBDA_NETWORK_LOGS`, `EKS_RUNTIME_MONITORING`, `RUNTIME_MONITORING`, ...), and of their
    /// additional configurations as `FEATURE/CONFIGURATION` (`RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT`).
    #[serde(default)]
    pub features: Observed<BTreeMap<String, BTreeMap<String, String>>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConfigService {
    pub recorders: Vec<ConfigRecorder>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub name: String,
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    pub recording: bool,
    /// `roleARN`: the role the recorder uses to read resources.
    #[serde(default)]
    pub role_arn: Observed<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SecurityHub {
    /// `Some(hub arn)` when Security Hub is enabled.
    pub hub_arn: Option<String>,
    #[serde(default)]
    pub enabled_standards: Observed<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Analyzer {
    pub arn: String,
    pub name: String,
    pub kind: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServiceQuota {
    pub service_code: String,
    pub quota_code: String,
    pub quota_name: String,
    pub value: f64,
    /// Current usage, counted from the inventory or read from the usage metric.
    pub usage: Option<f64>,
}

// ---------------------------------------------------------------- CloudWatch Logs, CloudWatch alarms

/// A CloudWatch Logs log group (`logs:DescribeLogGroups`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    /// The ARN without the trailing `:*` that `DescribeLogGroups` appends.
    pub arn: String,
    /// Days the events are kept; `None`: never expire.
    pub retention_in_days: Option<i32>,
    /// The KMS key that encrypts the group's data; `None`: CloudWatch Logs' own encryption.
    pub kms_key_id: Option<String>,
}

/// A metric that a metric filter writes or an alarm watches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct MetricId {
    pub namespace: String,
    pub name: String,
}

/// A CloudWatch Logs metric filter (`logs:DescribeMetricFilters`, every filter of the region).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricFilter {
    pub name: String,
    pub log_group_name: String,
    /// The filter pattern as written.
    pub pattern: String,
    /// The metrics its transformations publish.
    pub metrics: Vec<MetricId>,
}

/// A CloudWatch metric alarm (`cloudwatch:DescribeAlarms`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricAlarm {
    pub name: String,
    pub arn: String,
    /// The metric of a single-metric alarm; `None` for a metric math alarm.
    pub metric: Option<MetricId>,
    /// The metrics a metric math alarm's queries read.
    pub query_metrics: Vec<MetricId>,
    /// Whether actions run on state changes.
    pub actions_enabled: bool,
    /// Actions on entering ALARM (SNS topic ARNs, Auto Scaling, EC2, Systems Manager actions).
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub insufficient_data_actions: Vec<String>,
}

// ---------------------------------------------------------------- Secrets Manager

/// A Secrets Manager secret (`secretsmanager:ListSecrets`); never its value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Secret {
    pub name: String,
    pub arn: String,
    /// The KMS key that encrypts the secret; `None`: the AWS managed key `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    /// `RotationRules.AutomaticallyAfterDays`.
    pub rotation_days: Option<i64>,
    /// `RotationRules.ScheduleExpression` (`rate(..)` or `cron(..)`).
    pub rotation_schedule: Option<String>,
    /// RFC 3339 times, `None` when AWS gives none (never rotated, never read).
    pub created: Option<String>,
    pub last_rotated: Option<String>,
    /// The date (AWS rounds it to the day) the secret was last read.
    pub last_accessed: Option<String>,
    /// The secret's resource policy (`secretsmanager:GetResourcePolicy`).
    #[serde(default)]
    pub policy: Observed<Option<String>>,
}

// ---------------------------------------------------------------- ECS

/// The latest ACTIVE revision of an ECS task definition family
/// (`ecs:ListTaskDefinitionFamilies`, `ecs:DescribeTaskDefinition`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcsTaskDefinition {
    pub arn: String,
    pub family: String,
    pub revision: i32,
    /// `awsvpc`, `bridge`, `host` or `none`; `None` when not set (`bridge` on EC2 Linux).
    pub network_mode: Option<String>,
    /// `host` or `task`; `None` when not set.
    pub pid_mode: Option<String>,
    pub containers: Vec<EcsContainer>,
}

/// A container definition of a task definition.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcsContainer {
    pub name: String,
    pub privileged: Option<bool>,
    /// `user` as written (`root`, `0`, `1000:1000`, `app`); `None` when not set.
    pub user: Option<String>,
    pub readonly_root_filesystem: Option<bool>,
    /// `logConfiguration.logDriver`; `None` without a log configuration.
    pub log_driver: Option<String>,
    /// `logConfiguration.options["mode"]` (`blocking`, `non-blocking`).
    pub log_mode: Option<String>,
    /// The names of the plain-text `environment` variables (their values are not kept).
    pub environment_variable_names: Vec<String>,
    /// What the secrets detector found in the values, redacted (`NAME: access key AKIA… with
    /// secret abcd…`).
    pub environment_secrets: Vec<String>,
}

/// An ECS cluster (`ecs:ListClusters`, `ecs:DescribeClusters` with its settings) and its
/// services.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcsCluster {
    pub arn: String,
    pub name: String,
    /// The `containerInsights` setting (`enabled`, `enhanced`, `disabled`); `None` when not set.
    pub container_insights: Option<String>,
    /// `ecs:ListServices`, `ecs:DescribeServices`.
    #[serde(default)]
    pub services: Observed<Vec<EcsService>>,
}

/// An ECS service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EcsService {
    pub arn: String,
    pub name: String,
    /// `EC2`, `FARGATE`, `EXTERNAL`; `None` with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// `awsvpcConfiguration.assignPublicIp` (`ENABLED`, `DISABLED`); `None` without awsvpc.
    pub assign_public_ip: Option<String>,
}

// ---------------------------------------------------------------- CloudFormation

/// A CloudFormation stack (`cloudformation:DescribeStacks`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CloudFormationStack {
    pub name: String,
    /// The stack id, an ARN.
    pub arn: String,
    pub status: String,
    pub termination_protection: bool,
    /// The root stack of a nested stack (termination protection is set on the root).
    pub root_id: Option<String>,
    pub output_keys: Vec<String>,
    /// What the secrets detector found in the outputs' values, redacted.
    pub output_secrets: Vec<String>,
}
