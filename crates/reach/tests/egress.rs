//! Egress scenarios: instances (and subnets) opening connections to the internet through an
//! internet gateway, a NAT gateway, or an egress-only internet gateway.

mod common;

use common::*;
use rampart_inventory::*;
use rampart_reach::*;

const VPC: &str = "vpc-1";

fn nat(id: &str, subnet: &str) -> NatGateway {
    NatGateway {
        nat_gateway_id: id.into(),
        vpc_id: VPC.into(),
        subnet_id: subnet.into(),
        state: "available".into(),
        connectivity_type: "public".into(),
        public_ips: vec!["54.9.9.9".into()],
    }
}

/// VPC 10.0.0.0/16 + 2001:db8:1::/56. Public subnet (rtb-pub: 0.0.0.0/0, ::/0 → igw-1) holding
/// nat-1; private subnet (rtb-priv: 0.0.0.0/0 → nat-1, ::/0 → eigw-1) holding i-app
/// (10.0.2.10, 2001:db8:1:2::10, no public IP, sg-app: every protocol out). Open ACLs, one per
/// subnet.
fn estate() -> Ec2 {
    let mut e = ec2();
    push(&mut e.internet_gateways, igw("igw-1", VPC));
    push(&mut e.egress_only_internet_gateways, igw("eigw-1", VPC));
    push(&mut e.nat_gateways, nat("nat-1", "subnet-pub"));
    let local = || vec![route("10.0.0.0/16", "local"), route("2001:db8:1::/56", "local")];
    let mut pub_routes = local();
    pub_routes.extend([route("0.0.0.0/0", "igw-1"), route("::/0", "igw-1")]);
    let mut priv_routes = local();
    priv_routes.extend([route("0.0.0.0/0", "nat-1"), route("::/0", "eigw-1")]);
    push(&mut e.route_tables, rtb("rtb-main", VPC, true, &[], local()));
    push(&mut e.route_tables, rtb("rtb-pub", VPC, false, &["subnet-pub"], pub_routes));
    push(&mut e.route_tables, rtb("rtb-priv", VPC, false, &["subnet-priv"], priv_routes));
    push(&mut e.network_acls, open_nacl("acl-pub", VPC, &["subnet-pub"]));
    push(&mut e.network_acls, open_nacl("acl-priv", VPC, &["subnet-priv"]));
    for (id, c, c6) in [("subnet-pub", "10.0.1.0/24", "2001:db8:1:1::/64"), ("subnet-priv", "10.0.2.0/24", "2001:db8:1:2::/64")] {
        push(
            &mut e.subnets,
            Subnet {
                subnet_id: id.into(),
                vpc_id: VPC.into(),
                availability_zone: "us-east-1a".into(),
                cidr_block: Some(c.into()),
                ipv6_cidr_blocks: vec![c6.into()],
                ..Subnet::default()
            },
        );
    }
    e.security_groups.push(sg("sg-app", VPC, vec![]));
    push(
        &mut e.network_interfaces,
        eni("eni-app", VPC, "subnet-priv", "10.0.2.10", None, Some("2001:db8:1:2::10"), &["sg-app"], Some("i-app")),
    );
    e
}

fn rtb_mut<'a>(e: &'a mut Ec2, id: &str) -> &'a mut RouteTable {
    match &mut e.route_tables {
        Observed::Known(v) => v.iter_mut().find(|t| t.route_table_id == id).unwrap(),
        _ => unreachable!(),
    }
}

fn acl_mut<'a>(e: &'a mut Ec2, id: &str) -> &'a mut NetworkAcl {
    match &mut e.network_acls {
        Observed::Known(v) => v.iter_mut().find(|t| t.network_acl_id == id).unwrap(),
        _ => unreachable!(),
    }
}

fn to(a: &str) -> Destination {
    Destination::Ip(a.parse().unwrap())
}

fn blockers(v: &Verdict) -> &[Blocker] {
    match v {
        Verdict::Blocked { blockers, .. } => blockers,
        other => panic!("expected blocked, got {other}"),
    }
}

fn kinds(v: &Verdict) -> Vec<ComponentType> {
    match v {
        Verdict::Reachable { steps, .. } => steps.iter().map(|s| s.component_type).collect(),
        other => panic!("expected reachable, got {other}"),
    }
}

#[test]
fn private_instance_reaches_the_internet_through_a_nat_gateway() {
    let inv = inventory(estate(), None);
    let v = egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    assert_eq!(
        kinds(&v),
        [
            ComponentType::Eni,
            ComponentType::SecurityGroup,
            ComponentType::Nacl,
            ComponentType::RouteTable,
            ComponentType::NatGateway,
            ComponentType::Nacl,
            ComponentType::RouteTable,
            ComponentType::Igw
        ],
        "{v}"
    );
    // "The internet": every address outside the VPC, in words.
    let v = egress(&inv, "i-app", &Destination::Internet, Protocol::TCP, 443);
    match &v {
        Verdict::Reachable { family, sources_text, network_interface_id, .. } => {
            assert_eq!(*family, Family::Ipv4);
            assert_eq!(network_interface_id, "eni-app");
            assert_eq!(sources_text, "the internet except the VPC's range (10.0.0.0/16)", "{v}");
        }
        other => panic!("{other}"),
    }
    // The whole subnet (no interface: no security group), answered the same way.
    assert!(matches!(egress(&inv, "subnet-priv", &to("93.184.216.34"), Protocol::TCP, 443), Verdict::Reachable { .. }));
}

#[test]
fn nat_gateway_in_a_subnet_without_internet_route_is_blocked_at_its_route_table() {
    let mut e = estate();
    rtb_mut(&mut e, "rtb-pub").routes.retain(|r| r.destination_cidr_block.as_deref() != Some("0.0.0.0/0"));
    let inv = inventory(e, None);
    let v = egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::RouteTable, "rtb-pub"), "{v}");
    assert!(b[0].rule.contains("nat-1's subnet subnet-pub"), "{}", b[0].rule);
    assert_eq!(b[0].change, "add route 0.0.0.0/0 → igw-1 to rtb-pub");
}

#[test]
fn missing_security_group_egress_rule_is_named() {
    let mut e = estate();
    e.security_groups[0].egress = vec![rule("tcp", 80, 80, cidr("0.0.0.0/0"))];
    let inv = inventory(e, None);
    let v = egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::SecurityGroup, "sg-app"));
    assert_eq!(b[0].change, "add an outbound rule tcp 443 to 93.184.216.34/32 to sg-app");
    // Port 80 is allowed.
    assert!(matches!(egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 80), Verdict::Reachable { .. }));
}

#[test]
fn network_acl_outbound_deny_blocks() {
    let mut e = estate();
    acl_mut(&mut e, "acl-priv").entries.push(nacl_entry(50, true, "6", false, "0.0.0.0/0", Some((443, 443))));
    let inv = inventory(e, None);
    let v = egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::Nacl, "acl-priv"));
    assert!(b[0].rule.contains("outbound #50 deny"), "{}", b[0].rule);
    // The NAT gateway's subnet ACL counts too: it must let the source in.
    let mut e = estate();
    acl_mut(&mut e, "acl-pub").entries.push(nacl_entry(50, false, "-1", false, "10.0.2.0/24", None));
    let v = egress(&inventory(e, None), "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::Nacl, "acl-pub"), "{v}");
    assert!(b[0].change.contains("from 10.0.2.10/32"), "{}", b[0].change);
}

#[test]
fn ipv6_leaves_through_the_egress_only_internet_gateway() {
    let inv = inventory(estate(), None);
    let v = egress(&inv, "i-app", &to("2606:4700::1111"), Protocol::TCP, 443);
    assert_eq!(kinds(&v).last(), Some(&ComponentType::EgressOnlyIgw), "{v}");
    assert!(v.to_string().contains("EGRESS_ONLY_IGW eigw-1"), "{v}");
}

#[test]
fn ipv4_never_leaves_through_an_egress_only_internet_gateway() {
    let mut e = estate();
    rtb_mut(&mut e, "rtb-priv").routes.retain(|r| r.target != "nat-1");
    let inv = inventory(e, None);
    let v = egress(&inv, "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::RouteTable, "rtb-priv"));
    assert!(b[0].rule.contains("egress-only internet gateway carries IPv6 only"), "{}", b[0].rule);
    assert_eq!(b[0].change, "add route 0.0.0.0/0 → nat-1 to rtb-priv");
}

#[test]
fn internet_gateway_needs_a_public_ipv4_address() {
    let mut e = estate();
    push(&mut e.network_interfaces, eni("eni-web", VPC, "subnet-pub", "10.0.1.20", None, None, &["sg-app"], Some("i-web")));
    let inv = inventory(e, None);
    let v = egress(&inv, "i-web", &Destination::Internet, Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::Eni, "eni-web"), "{v}");
    assert!(b[0].change.contains("Elastic IP"), "{}", b[0].change);
    let mut e = estate();
    push(&mut e.network_interfaces, eni("eni-web", VPC, "subnet-pub", "10.0.1.20", Some("54.1.1.1"), None, &["sg-app"], Some("i-web")));
    let v = egress(&inventory(e, None), "i-web", &Destination::Internet, Protocol::TCP, 443);
    assert_eq!(kinds(&v).last(), Some(&ComponentType::Igw), "{v}");
}

#[test]
fn unread_nat_gateways_are_unknown_never_blocked() {
    let mut e = estate();
    e.nat_gateways = Observed::Unknown("AccessDenied".into());
    let v = egress(&inventory(e, None), "i-app", &to("93.184.216.34"), Protocol::TCP, 443);
    assert!(matches!(v, Verdict::Unknown { .. }), "{v}");
    let v = egress(&inventory(estate(), None), "i-nope", &Destination::Internet, Protocol::TCP, 443);
    assert!(matches!(&v, Verdict::Unknown { missing, .. } if missing[0].contains("`i-nope`")), "{v}");
}

#[test]
fn a_subnet_stands_for_its_interfaces() {
    let mut e = estate();
    push(&mut e.network_interfaces, eni("eni-b", VPC, "subnet-priv", "10.0.2.11", None, None, &["sg-app"], Some("i-b")));
    let mut nat_if = eni("eni-nat", VPC, "subnet-priv", "10.0.2.12", None, None, &[], None);
    nat_if.interface_type = "nat_gateway".into();
    push(&mut e.network_interfaces, nat_if);
    let inv = inventory(e, None);
    assert_eq!(subnet_sources(&inv, "subnet-priv"), Some(vec!["eni-app".to_string(), "eni-b".to_string()]));
    assert_eq!(subnet_sources(&inv, "subnet-pub"), Some(vec![]));
    assert_eq!(subnet_sources(&inv, "subnet-nope"), None);
}
