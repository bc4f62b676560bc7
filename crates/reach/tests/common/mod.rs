//! Builders for inventories written as tests (shared by scenario, oracle and bench code).
#![allow(dead_code)]

use rampart_inventory::*;

pub fn inventory(ec2: Ec2, elbv2: Option<Elbv2>) -> Inventory {
    let mut inv = Inventory::new(rampart_model::Timestamp::UNIX_EPOCH);
    let mut a = Account::empty("111122223333", "aws", "us-east-1");
    let mut r = Region::empty("us-east-1");
    r.ec2 = Observed::Known(ec2);
    r.elbv2 = match elbv2 {
        Some(v) => Observed::Known(v),
        None => Observed::Known(Elbv2::default()),
    };
    r.elb = Observed::Known(Vec::new());
    a.regions.push(r);
    inv.accounts.push(a);
    inv
}

/// An EC2 section with every list read and empty.
pub fn ec2() -> Ec2 {
    Ec2 {
        instances: Observed::Known(vec![]),
        network_interfaces: Observed::Known(vec![]),
        security_groups: vec![],
        managed_prefix_lists: Observed::Known(vec![]),
        vpcs: Observed::Known(vec![]),
        subnets: Observed::Known(vec![]),
        route_tables: Observed::Known(vec![]),
        internet_gateways: Observed::Known(vec![]),
        egress_only_internet_gateways: Observed::Known(vec![]),
        nat_gateways: Observed::Known(vec![]),
        network_acls: Observed::Known(vec![]),
        vpc_endpoints: Observed::Known(vec![]),
        vpc_peering_connections: Observed::Known(vec![]),
        transit_gateways: Observed::Known(vec![]),
        transit_gateway_attachments: Observed::Known(vec![]),
        transit_gateway_vpc_attachments: Observed::Known(vec![]),
        transit_gateway_route_tables: Observed::Known(vec![]),
        ..Ec2::default()
    }
}

pub fn push<T>(o: &mut Observed<Vec<T>>, t: T) {
    if let Observed::Known(v) = o {
        v.push(t);
    }
}

pub fn route(dest: &str, target: &str) -> Route {
    let mut r = Route { target: target.into(), state: "active".into(), origin: "CreateRoute".into(), ..Route::default() };
    if dest.starts_with("pl-") {
        r.destination_prefix_list_id = Some(dest.into());
    } else if dest.contains(':') {
        r.destination_ipv6_cidr_block = Some(dest.into());
    } else {
        r.destination_cidr_block = Some(dest.into());
    }
    r
}

pub fn blackhole(mut r: Route) -> Route {
    r.state = "blackhole".into();
    r
}

pub fn rtb(id: &str, vpc: &str, main: bool, subnets: &[&str], routes: Vec<Route>) -> RouteTable {
    RouteTable {
        route_table_id: id.into(),
        vpc_id: vpc.into(),
        main,
        subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
        gateway_ids: vec![],
        routes,
    }
}

pub fn nacl_entry(n: i32, egress: bool, proto: &str, allow: bool, cidr: &str, ports: Option<(i32, i32)>) -> NaclEntry {
    let v6 = cidr.contains(':');
    NaclEntry {
        rule_number: n,
        egress,
        protocol: proto.into(),
        rule_action: if allow { "allow" } else { "deny" }.into(),
        cidr_block: (!v6).then(|| cidr.to_string()),
        ipv6_cidr_block: v6.then(|| cidr.to_string()),
        port_from: ports.map(|p| p.0),
        port_to: ports.map(|p| p.1),
    }
}

/// AWS's default `*` deny rules, both directions and families.
pub fn default_denies() -> Vec<NaclEntry> {
    let mut v = Vec::new();
    for egress in [false, true] {
        v.push(nacl_entry(32767, egress, "-1", false, "0.0.0.0/0", None));
        v.push(nacl_entry(32768, egress, "-1", false, "::/0", None));
    }
    v
}

pub fn nacl(id: &str, vpc: &str, subnets: &[&str], mut entries: Vec<NaclEntry>) -> NetworkAcl {
    entries.extend(default_denies());
    NetworkAcl {
        network_acl_id: id.into(),
        vpc_id: vpc.into(),
        is_default: false,
        subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
        entries,
    }
}

/// A network ACL that allows everything, like a VPC's default ACL.
pub fn open_nacl(id: &str, vpc: &str, subnets: &[&str]) -> NetworkAcl {
    nacl(
        id,
        vpc,
        subnets,
        vec![
            nacl_entry(100, false, "-1", true, "0.0.0.0/0", None),
            nacl_entry(101, false, "-1", true, "::/0", None),
            nacl_entry(100, true, "-1", true, "0.0.0.0/0", None),
            nacl_entry(101, true, "-1", true, "::/0", None),
        ],
    )
}

pub fn rule(proto: &str, from: i32, to: i32, peer: SgPeer) -> SgRule {
    let ports = proto != "-1";
    SgRule {
        ip_protocol: proto.into(),
        from_port: ports.then_some(from),
        to_port: ports.then_some(to),
        peer,
        description: None,
    }
}

pub fn cidr(c: &str) -> SgPeer {
    if c.contains(':') {
        SgPeer::Cidr6(c.into())
    } else {
        SgPeer::Cidr4(c.into())
    }
}

pub fn group_ref(g: &str) -> SgPeer {
    SgPeer::Group { group_id: g.into(), user_id: None, vpc_peering_connection_id: None }
}

pub fn sg(id: &str, vpc: &str, ingress: Vec<SgRule>) -> SecurityGroup {
    SecurityGroup {
        group_id: id.into(),
        group_name: id.into(),
        vpc_id: Some(vpc.into()),
        ingress,
        egress: vec![rule("-1", 0, 0, cidr("0.0.0.0/0")), rule("-1", 0, 0, cidr("::/0"))],
        ..SecurityGroup::default()
    }
}

#[allow(clippy::too_many_arguments)]
pub fn eni(id: &str, vpc: &str, subnet: &str, ip: &str, public: Option<&str>, v6: Option<&str>, sgs: &[&str], instance: Option<&str>) -> NetworkInterface {
    NetworkInterface {
        network_interface_id: id.into(),
        interface_type: "interface".into(),
        description: String::new(),
        vpc_id: vpc.into(),
        subnet_id: subnet.into(),
        availability_zone: "us-east-1a".into(),
        private_ip_addresses: vec![ip.into()],
        public_ips: public.into_iter().map(String::from).collect(),
        ipv6_addresses: v6.into_iter().map(String::from).collect(),
        security_group_ids: sgs.iter().map(|s| s.to_string()).collect(),
        attachment_instance_id: instance.map(String::from),
        requester_managed: false,
        source_dest_check: true,
        status: "in-use".into(),
    }
}

pub fn igw(id: &str, vpc: &str) -> InternetGateway {
    InternetGateway { id: id.into(), attached_vpc_ids: vec![vpc.into()] }
}

pub fn transit_gateway(id: &str) -> TransitGateway {
    TransitGateway {
        transit_gateway_id: id.into(),
        owner_id: "111122223333".into(),
        state: "available".into(),
        auto_accept_shared_attachments: "disable".into(),
        default_route_table_association: "disable".into(),
        default_route_table_propagation: "disable".into(),
        ..TransitGateway::default()
    }
}

/// A VPC attachment, listed both as an attachment and as a VPC attachment.
pub fn tgw_attach(e: &mut Ec2, id: &str, tgw: &str, vpc: &str, subnets: &[&str]) {
    push(
        &mut e.transit_gateway_attachments,
        TgwAttachment {
            transit_gateway_attachment_id: id.into(),
            transit_gateway_id: tgw.into(),
            transit_gateway_owner_id: "111122223333".into(),
            resource_owner_id: "111122223333".into(),
            resource_type: "vpc".into(),
            resource_id: vpc.into(),
            state: "available".into(),
            ..TgwAttachment::default()
        },
    );
    push(
        &mut e.transit_gateway_vpc_attachments,
        TgwVpcAttachment {
            transit_gateway_attachment_id: id.into(),
            transit_gateway_id: tgw.into(),
            vpc_id: vpc.into(),
            vpc_owner_id: "111122223333".into(),
            state: "available".into(),
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            appliance_mode_support: None,
        },
    );
}

/// A route of a transit gateway route table: to an attachment, or a blackhole (`None`).
pub fn tgw_route(dest: &str, att: Option<&str>, kind: &str) -> TgwRoute {
    TgwRoute {
        destination_cidr_block: Some(dest.into()),
        prefix_list_id: None,
        transit_gateway_attachment_ids: att.into_iter().map(String::from).collect(),
        route_type: kind.into(),
        state: if att.is_some() { "active" } else { "blackhole" }.into(),
    }
}

/// A transit gateway route table associated with the given attachments.
pub fn tgw_rtb(id: &str, tgw: &str, associated: &[&str], routes: Vec<TgwRoute>) -> TgwRouteTable {
    let link = |a: &&str| TgwRouteTableLink {
        transit_gateway_attachment_id: a.to_string(),
        resource_type: "vpc".into(),
        resource_id: String::new(),
        state: "associated".into(),
    };
    TgwRouteTable {
        transit_gateway_route_table_id: id.into(),
        transit_gateway_id: tgw.into(),
        state: "available".into(),
        default_association_route_table: false,
        default_propagation_route_table: false,
        associations: Observed::Known(associated.iter().map(link).collect()),
        propagations: Observed::Known(vec![]),
        routes: Observed::Known(routes),
        tags: Tags::default(),
    }
}
