//! Transit gateway scenarios, written as inventories.

mod common;

use common::*;
use rampart_inventory::*;
use rampart_reach::*;

fn ip(s: &str) -> Source {
    Source::Ip(s.parse().unwrap())
}

fn subnet(id: &str, vpc: &str, c: &str, az: &str) -> Subnet {
    Subnet { subnet_id: id.into(), vpc_id: vpc.into(), availability_zone: az.into(), cidr_block: Some(c.into()), ..Subnet::default() }
}

fn blockers(v: &Verdict) -> &[Blocker] {
    match v {
        Verdict::Blocked { blockers, .. } => blockers,
        other => panic!("expected blocked, got {other}"),
    }
}

fn steps(v: &Verdict) -> &[Step] {
    match v {
        Verdict::Reachable { steps, .. } => steps,
        other => panic!("expected reachable, got {other}"),
    }
}

fn tgw_tables(e: &mut Ec2) -> &mut Vec<TgwRouteTable> {
    match &mut e.transit_gateway_route_tables {
        Observed::Known(v) => v,
        Observed::Unknown(_) => panic!("unknown"),
    }
}

/// Three VPCs on one transit gateway with two route tables:
/// vpc-a 10.0.0.0/16 (workload subnet-a 10.0.1.0/24 and attachment subnet subnet-a-tgw
/// 10.0.9.0/24, both in us-east-1a), vpc-b 10.1.0.0/16 (subnet-b), vpc-c 10.2.0.0/16
/// (subnet-c). Every VPC routes 10.0.0.0/8 → tgw-1. tgw-rtb-1, associated with att-a,
/// routes only 10.1.0.0/16 → att-b; tgw-rtb-2, associated with att-b and att-c, routes
/// 10.0.0.0/16 → att-a and 10.2.0.0/16 → att-c. Open network ACLs. i-a (sg-a: nothing in),
/// i-b and i-c (tcp 5432 from 10.0.0.0/8), i-a also tcp 22 from 10.0.0.0/8.
fn estate() -> Ec2 {
    let mut e = ec2();
    for (v, n) in [("a", 0), ("b", 1), ("c", 2)] {
        let vpc = format!("vpc-{v}");
        let sn = format!("subnet-{v}");
        push(&mut e.subnets, subnet(&sn, &vpc, &format!("10.{n}.1.0/24"), "us-east-1a"));
        push(
            &mut e.route_tables,
            rtb(&format!("rtb-{v}"), &vpc, true, &[], vec![route(&format!("10.{n}.0.0/16"), "local"), route("10.0.0.0/8", "tgw-1")]),
        );
        push(&mut e.network_acls, open_nacl(&format!("acl-{v}"), &vpc, &[&sn]));
    }
    push(&mut e.subnets, subnet("subnet-a-tgw", "vpc-a", "10.0.9.0/24", "us-east-1a"));
    push(&mut e.network_acls, open_nacl("acl-a-tgw", "vpc-a", &["subnet-a-tgw"]));
    push(&mut e.transit_gateways, transit_gateway("tgw-1"));
    tgw_attach(&mut e, "att-a", "tgw-1", "vpc-a", &["subnet-a-tgw"]);
    tgw_attach(&mut e, "att-b", "tgw-1", "vpc-b", &["subnet-b"]);
    tgw_attach(&mut e, "att-c", "tgw-1", "vpc-c", &["subnet-c"]);
    push(&mut e.transit_gateway_route_tables, tgw_rtb("tgw-rtb-1", "tgw-1", &["att-a"], vec![tgw_route("10.1.0.0/16", Some("att-b"), "static")]));
    push(
        &mut e.transit_gateway_route_tables,
        tgw_rtb(
            "tgw-rtb-2",
            "tgw-1",
            &["att-b", "att-c"],
            vec![tgw_route("10.0.0.0/16", Some("att-a"), "propagated"), tgw_route("10.2.0.0/16", Some("att-c"), "propagated")],
        ),
    );
    let db = vec![rule("tcp", 5432, 5432, cidr("10.0.0.0/8"))];
    e.security_groups.push(sg("sg-a", "vpc-a", vec![rule("tcp", 22, 22, cidr("10.0.0.0/8"))]));
    e.security_groups.push(sg("sg-b", "vpc-b", db.clone()));
    e.security_groups.push(sg("sg-c", "vpc-c", db));
    push(&mut e.network_interfaces, eni("eni-a", "vpc-a", "subnet-a", "10.0.1.10", None, None, &["sg-a"], Some("i-a")));
    push(&mut e.network_interfaces, eni("eni-b", "vpc-b", "subnet-b", "10.1.1.10", None, None, &["sg-b"], Some("i-b")));
    push(&mut e.network_interfaces, eni("eni-c", "vpc-c", "subnet-c", "10.2.1.10", None, None, &["sg-c"], Some("i-c")));
    e
}

#[test]
fn transit_gateway_with_two_route_tables() {
    let inv = inventory(estate(), None);
    // A → B: tgw-rtb-1 (associated with A's attachment) routes B; the reply uses tgw-rtb-2.
    let v = query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let s = steps(&v);
    let path: Vec<(ComponentType, &str)> = s.iter().map(|s| (s.component_type, s.component_id.as_str())).collect();
    for want in [
        (ComponentType::RouteTable, "rtb-a"),
        (ComponentType::TransitGateway, "tgw-1"),
        (ComponentType::TransitGatewayAttachment, "att-a"),
        (ComponentType::TransitGatewayRouteTable, "tgw-rtb-1"),
        (ComponentType::TransitGatewayAttachment, "att-b"),
        (ComponentType::Nacl, "acl-a-tgw"),
        (ComponentType::SecurityGroup, "sg-b"),
        (ComponentType::RouteTable, "rtb-b"),
        (ComponentType::TransitGatewayRouteTable, "tgw-rtb-2"),
        (ComponentType::Eni, "eni-b"),
    ] {
        assert!(path.contains(&want), "{want:?} missing from {v}");
    }
    let t1 = s.iter().find(|s| s.component_id == "tgw-rtb-1").unwrap();
    assert_eq!(t1.rules, ["10.1.0.0/16 → att-b (static)"]);
    let text = v.to_string();
    assert!(text.starts_with("REACHABLE: i-b"), "{text}");
    assert!(text.contains("TRANSIT_GATEWAY_ROUTE_TABLE tgw-rtb-1: 10.1.0.0/16 → att-b (static)"), "{text}");

    // A → C: tgw-rtb-1 has no route to C, although tgw-rtb-2 (B's and C's table) has one:
    // the table of the *ingress* attachment decides.
    let v = query(&inv, &ip("10.0.1.10"), "i-c", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!(b[0].component_type, ComponentType::TransitGatewayRouteTable);
    assert_eq!(b[0].component_id, "tgw-rtb-1");
    assert_eq!(b[0].rule, "no route to 10.2.0.0/16");
    assert_eq!(b[0].change, "add a static route 10.2.0.0/16 → att-c to tgw-rtb-1 (or propagate att-c to it)");
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(json["blockers"][0]["component_type"], "TRANSIT_GATEWAY_ROUTE_TABLE");

    // Return traffic: C → A gets there (tgw-rtb-2 routes A) but A's reply meets tgw-rtb-1,
    // which has no route back to C: blocked on the way back.
    let v = query(&inv, &ip("10.2.1.10"), "i-a", Protocol::TCP, 22);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_id.as_str(), b[0].rule.as_str()), ("tgw-rtb-1", "no route to 10.2.0.0/16 (return traffic)"));
    // A resource as the source: its private address.
    let v = query(&inv, &Source::Resource("i-a".into()), "i-b", Protocol::TCP, 5432);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
    let v = query(&inv, &Source::Resource("i-nowhere".into()), "i-b", Protocol::TCP, 5432);
    assert!(matches!(v, Verdict::Unknown { .. }), "{v}");
    // B → A works both ways.
    let v = query(&inv, &ip("10.1.1.10"), "i-a", Protocol::TCP, 22);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
    // Adding the route the blocker names opens A → C.
    let mut e = estate();
    if let Observed::Known(r) = &mut tgw_tables(&mut e)[0].routes {
        r.push(tgw_route("10.2.0.0/16", Some("att-c"), "static"));
    }
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-c", Protocol::TCP, 5432);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
}

#[test]
fn transit_gateway_blackhole_route() {
    // A more specific blackhole route wins over the route to B.
    let mut e = estate();
    if let Observed::Known(r) = &mut tgw_tables(&mut e)[0].routes {
        r.push(tgw_route("10.1.1.0/24", None, "static"));
    }
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!(b[0].component_id, "tgw-rtb-1");
    assert_eq!(b[0].rule, "10.1.1.0/24 → blackhole (static)");
    assert!(b[0].change.starts_with("replace the blackhole route 10.1.1.0/24 in tgw-rtb-1 with a route to att-b"), "{}", b[0].change);
    // A blackhole VPC route to the transit gateway (it was deleted) stops the flow at the VPC
    // route table.
    let mut e = estate();
    if let Observed::Known(t) = &mut e.route_tables {
        t[0].routes[1] = blackhole(route("10.0.0.0/8", "tgw-1"));
    }
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!((b[0].component_id.as_str(), b[0].component_type), ("rtb-a", ComponentType::RouteTable));
    assert!(b[0].rule.contains("blackhole"), "{v}");
}

#[test]
fn transit_gateway_attachment_without_association_drops() {
    let mut e = estate();
    tgw_tables(&mut e)[0].associations = Observed::Known(vec![]);
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_id.as_str(), b[0].component_type), ("att-a", ComponentType::TransitGatewayAttachment));
    assert_eq!(b[0].rule, "att-a is associated with no route table of tgw-1: its traffic is dropped");
    assert_eq!(b[0].change, "associate att-a with a route table of tgw-1 that routes 10.1.0.0/16 to att-b");
}

#[test]
fn transit_gateway_needs_an_attachment_subnet_in_the_source_zone() {
    // i-a moves to a subnet in us-east-1b, where att-a has no subnet.
    let mut e = estate();
    push(&mut e.subnets, subnet("subnet-a2", "vpc-a", "10.0.2.0/24", "us-east-1b"));
    if let Observed::Known(n) = &mut e.network_acls {
        n[0].subnet_ids.push("subnet-a2".into());
    }
    if let Observed::Known(v) = &mut e.network_interfaces {
        v[0].subnet_id = "subnet-a2".into();
        v[0].private_ip_addresses = vec!["10.0.2.10".into()];
    }
    let v = query(&inventory(e, None), &ip("10.0.2.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b[0].component_id, "att-a", "{v}");
    assert_eq!(b[0].rule, "att-a has no subnet in us-east-1b: resources there cannot reach tgw-1");
}

#[test]
fn transit_gateway_attachment_subnet_acl_is_crossed() {
    // The attachment subnet's ACL lets nothing in: A's packets never reach the gateway.
    let mut e = estate();
    if let Observed::Known(n) = &mut e.network_acls {
        let acl = n.iter_mut().find(|n| n.network_acl_id == "acl-a-tgw").unwrap();
        acl.entries.retain(|x| x.egress);
        acl.entries.extend(default_denies().into_iter().filter(|x| !x.egress));
    }
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b[0].component_id, "acl-a-tgw", "{v}");
    assert_eq!(b[0].component_type, ComponentType::Nacl);
    assert_eq!(b[0].rule, "inbound #32767 deny", "{v}");
}

#[test]
fn group_references_do_not_match_across_a_transit_gateway() {
    // sg-b admits sg-a by reference only: across a transit gateway that rule never matches.
    let mut e = estate();
    let g = e.security_groups.iter_mut().find(|g| g.group_id == "sg-b").unwrap();
    g.ingress = vec![rule("tcp", 5432, 5432, group_ref("sg-a"))];
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b[0].component_id, "sg-b", "{v}");
}

#[test]
fn unread_transit_gateway_data_is_unknown() {
    let mut e = estate();
    tgw_tables(&mut e)[0].routes = Observed::Unknown("AccessDenied".into());
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    assert!(matches!(&v, Verdict::Unknown { missing, .. } if missing[0].contains("tgw-rtb-1")), "{v}");
    let mut e = estate();
    e.transit_gateways = Observed::Unknown("AccessDenied".into());
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    assert!(matches!(v, Verdict::Unknown { .. }), "{v}");
    // Flows that touch no transit gateway do not need its data.
    let mut e = estate();
    e.transit_gateways = Observed::Unknown("AccessDenied".into());
    if let Observed::Known(t) = &mut e.route_tables {
        t[0].routes.push(route("10.0.0.0/16", "local"));
    }
    push(&mut e.network_interfaces, eni("eni-a2", "vpc-a", "subnet-a", "10.0.1.11", None, None, &["sg-a"], Some("i-a2")));
    let v = query(&inventory(e, None), &ip("10.0.1.11"), "i-a", Protocol::TCP, 22);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
}

#[test]
fn the_internet_never_reaches_another_vpc_through_a_transit_gateway() {
    // vpc-a has an internet gateway; i-b has a public address, but vpc-b sends everything to
    // the transit gateway (centralised egress): no internet exposure, and the explanation says
    // why and what would open it.
    let mut e = estate();
    push(&mut e.internet_gateways, igw("igw-a", "vpc-a"));
    if let Observed::Known(t) = &mut e.route_tables {
        t[0].routes.push(route("0.0.0.0/0", "igw-a"));
        t[1].routes.push(route("0.0.0.0/0", "tgw-1"));
    }
    if let Observed::Known(v) = &mut e.network_interfaces {
        v[1].public_ips = vec!["54.0.0.2".into()];
    }
    let g = e.security_groups.iter_mut().find(|g| g.group_id == "sg-b").unwrap();
    g.ingress.push(rule("tcp", 443, 443, cidr("0.0.0.0/0")));
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    let b = ex.iter().find(|x| x.network_interface_id.as_deref() == Some("eni-b")).unwrap();
    assert!(matches!(&b.status, Status::Known { ranges } if ranges.is_empty()), "{b:?}");
    let v = query(&inv, &Source::Internet, "i-b", Protocol::TCP, 443);
    let bl = blockers(&v);
    assert_eq!(bl[0].component_id, "rtb-b");
    assert!(bl[0].rule.contains("tgw-1") && bl[0].change.contains("transit gateway never carries connections from the internet"), "{v}");
}
