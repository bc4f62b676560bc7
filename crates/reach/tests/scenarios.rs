//! Scenarios written as inventories, one per AWS behaviour the engine must get right.

mod common;

use common::*;
use rampart_inventory::*;
use rampart_reach::*;

const VPC: &str = "vpc-1";

/// VPC 10.0.0.0/16 + 2001:db8:1::/56; public subnet (rtb-pub: 0.0.0.0/0 and ::/0 → igw-1);
/// private subnet on the main table (local only). Open network ACLs.
fn base() -> Ec2 {
    let mut e = ec2();
    push(&mut e.internet_gateways, igw("igw-1", VPC));
    let local = || vec![route("10.0.0.0/16", "local"), route("2001:db8:1::/56", "local")];
    let mut pub_routes = local();
    pub_routes.push(route("0.0.0.0/0", "igw-1"));
    pub_routes.push(route("::/0", "igw-1"));
    push(&mut e.route_tables, rtb("rtb-main", VPC, true, &[], local()));
    push(&mut e.route_tables, rtb("rtb-pub", VPC, false, &["subnet-pub"], pub_routes));
    push(&mut e.network_acls, open_nacl("acl-1", VPC, &["subnet-pub", "subnet-priv"]));
    e.security_groups.push(sg(
        "sg-web",
        VPC,
        vec![rule("tcp", 443, 443, cidr("0.0.0.0/0")), rule("tcp", 22, 22, cidr("203.0.113.0/24"))],
    ));
    e
}

fn exposure_of<'a>(ex: &'a [Exposure], eni: &str) -> &'a Status {
    &ex.iter().find(|e| e.network_interface_id.as_deref() == Some(eni)).expect("interface in answer").status
}

fn ranges(s: &Status) -> &[ExposedRange] {
    match s {
        Status::Known { ranges } => ranges,
        Status::Unknown { missing } => panic!("unexpected unknown: {missing:?}"),
    }
}

fn ip(s: &str) -> Source {
    Source::Ip(s.parse().unwrap())
}

fn blockers(v: &Verdict) -> &[Blocker] {
    match v {
        Verdict::Blocked { blockers, .. } => blockers,
        other => panic!("expected blocked, got {other}"),
    }
}

#[test]
fn public_and_private_subnets() {
    let mut e = base();
    push(&mut e.network_interfaces, eni("eni-pub", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-pub")));
    push(&mut e.network_interfaces, eni("eni-priv", VPC, "subnet-priv", "10.0.2.10", None, None, &["sg-web"], Some("i-priv")));
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    let pubr = ranges(exposure_of(&ex, "eni-pub"));
    // tcp 443 from the internet (all of IPv4 but the VPC's own, locally routed, range) and
    // tcp 22 from 203.0.113.0/24.
    let https = pubr.iter().find(|r| r.ports.contains(443)).unwrap();
    assert_eq!(https.protocol, Protocol::TCP);
    assert!(!https.ports.contains(22));
    let expect = set::universe(Family::Ipv4).difference(&set::parse_cidr("10.0.0.0/16").unwrap().1);
    assert_eq!(https.source_set, expect);
    let types: Vec<ComponentType> = https.steps.iter().map(|s| s.component_type).collect();
    assert_eq!(
        types,
        [ComponentType::Igw, ComponentType::RouteTable, ComponentType::Nacl, ComponentType::SecurityGroup, ComponentType::Eni]
    );
    let ssh = pubr.iter().find(|r| r.ports.contains(22)).unwrap();
    assert_eq!(ssh.sources, ["203.0.113.0/24"]);
    assert_eq!(pubr.len(), 2);
    assert!(ranges(exposure_of(&ex, "eni-priv")).is_empty());

    assert!(matches!(query(&inv, &Source::Internet, "i-pub", Protocol::TCP, 443), Verdict::Reachable { .. }));
    assert!(matches!(query(&inv, &ip("203.0.113.9"), "i-pub", Protocol::TCP, 22), Verdict::Reachable { .. }));
    let v = query(&inv, &ip("198.51.100.1"), "i-pub", Protocol::TCP, 22);
    let b = blockers(&v);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].component_type, ComponentType::SecurityGroup);
    assert!(b[0].change.contains("198.51.100.1/32"), "{}", b[0].change);
    // the private instance: no public address, no internet route
    let v = query(&inv, &Source::Internet, "i-priv", Protocol::TCP, 443);
    let kinds: Vec<ComponentType> = blockers(&v).iter().map(|b| b.component_type).collect();
    assert_eq!(kinds, [ComponentType::Eni, ComponentType::RouteTable]);
    assert!(blockers(&v)[1].change.contains("igw-1"));
}

#[test]
fn instance_with_public_ip_but_no_igw_route() {
    let mut e = base();
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-priv", "10.0.2.10", Some("54.1.1.2"), None, &["sg-web"], Some("i-1")));
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-1")).is_empty());
    let v = query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1);
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::RouteTable, "rtb-main"));
    assert_eq!(b[0].change, "add route 0.0.0.0/0 → igw-1 to rtb-main");
}

#[test]
fn nat_gateway_gives_no_inbound() {
    let mut e = base();
    push(
        &mut e.route_tables,
        rtb("rtb-nat", VPC, false, &["subnet-nat"], vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "nat-1")]),
    );
    push(&mut e.network_acls, open_nacl("acl-2", VPC, &["subnet-nat"]));
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-nat", "10.0.3.10", Some("54.1.1.3"), None, &["sg-web"], Some("i-1")));
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-1")).is_empty());
    let v = query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443);
    let b = blockers(&v);
    // Named as the NAT gateway, with a fix AWS allows (no security group on a NAT gateway,
    // no route change that would take the subnet's own outbound path away).
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::NatGateway, "nat-1"));
    assert!(b[0].rule.contains("0.0.0.0/0 → nat-1"), "{}", b[0].rule);
    assert!(b[0].rule.contains("only carries connections that start inside the VPC"), "{}", b[0].rule);
    assert!(b[0].change.contains("load balancer") && b[0].change.contains("→ igw-1"), "{}", b[0].change);
    assert!(!b[0].change.contains("security group") && !b[0].change.contains("inbound rule"), "{}", b[0].change);
}

/// Asking for the NAT gateway itself (by its id or its interface): never "add an inbound rule
/// to the NAT gateway's interface", which AWS does not allow.
#[test]
fn nat_gateway_interface_accepts_no_connection() {
    let mut e = base();
    let mut nat = eni("eni-nat", VPC, "subnet-pub", "10.0.1.5", Some("54.1.1.9"), None, &[], None);
    nat.interface_type = "nat_gateway".into();
    nat.description = "Interface for NAT Gateway nat-1".into();
    nat.requester_managed = true;
    push(&mut e.network_interfaces, nat);
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-nat")).is_empty());
    for to in ["nat-1", "eni-nat"] {
        for from in [Source::Internet, ip("10.0.2.7")] {
            let v = query(&inv, &from, to, Protocol::TCP, 443);
            let b = blockers(&v);
            assert_eq!(b.len(), 1, "{v}");
            assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::NatGateway, "nat-1"));
            assert!(b[0].rule.contains("only carries connections that start inside the VPC"), "{v}");
            assert!(b[0].change.contains("load balancer"), "{v}");
            assert!(!b[0].change.contains("add an inbound rule"), "{v}");
        }
    }
}

#[test]
fn nacl_denying_return_traffic() {
    let mut e = base();
    let entries = vec![
        nacl_entry(100, false, "-1", true, "0.0.0.0/0", None),
        nacl_entry(90, true, "6", false, "0.0.0.0/0", Some((1024, 65535))),
        nacl_entry(100, true, "-1", true, "0.0.0.0/0", None),
    ];
    if let Observed::Known(v) = &mut e.network_acls {
        v[0] = nacl("acl-1", VPC, &["subnet-pub", "subnet-priv"], entries);
    }
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-1")));
    let inv = inventory(e.clone(), None);
    let ex = internet_exposure(&inv);
    let r = ranges(exposure_of(&ex, "eni-1"));
    assert!(r.iter().all(|r| r.protocol != Protocol::TCP), "{r:?}");
    let v = query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].rule, "outbound #90 deny (return traffic)");
    assert!(b[0].change.contains("outbound allow rule numbered below 90 for tcp 1024-65535"), "{}", b[0].change);

    // Denying only part of the ephemeral range still lets a client pick a port that works.
    if let Observed::Known(v) = &mut e.network_acls {
        v[0].entries[1] = nacl_entry(90, true, "6", false, "0.0.0.0/0", Some((1024, 32767)));
    }
    let inv = inventory(e, None);
    assert!(matches!(query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443), Verdict::Reachable { .. }));
}

#[test]
fn nacl_first_match_wins() {
    let mut e = base();
    let entries = vec![
        nacl_entry(50, false, "6", false, "198.51.100.0/24", Some((443, 443))),
        nacl_entry(100, false, "-1", true, "0.0.0.0/0", None),
        nacl_entry(100, true, "-1", true, "0.0.0.0/0", None),
    ];
    if let Observed::Known(v) = &mut e.network_acls {
        v[0] = nacl("acl-1", VPC, &["subnet-pub"], entries);
    }
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], None));
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    let r = ranges(exposure_of(&ex, "eni-1"));
    let https = r.iter().find(|r| r.ports.contains(443)).unwrap();
    assert!(!https.source_set.intersects(&set::parse_cidr("198.51.100.0/24").unwrap().1));
    let v = query(&inv, &ip("198.51.100.7"), "eni-1", Protocol::TCP, 443);
    assert_eq!(blockers(&v)[0].rule, "inbound #50 deny");
    assert!(matches!(query(&inv, &ip("198.51.101.7"), "eni-1", Protocol::TCP, 443), Verdict::Reachable { .. }));
}

#[test]
fn sg_referencing_another_sg_admits_no_internet_source() {
    let mut e = base();
    e.security_groups.push(sg("sg-db", VPC, vec![rule("tcp", 5432, 5432, group_ref("sg-web"))]));
    push(&mut e.network_interfaces, eni("eni-db", VPC, "subnet-pub", "10.0.1.20", Some("54.1.1.9"), None, &["sg-db"], Some("i-db")));
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-db")).is_empty());
    let v = query(&inv, &Source::Internet, "i-db", Protocol::TCP, 5432);
    assert_eq!(blockers(&v)[0].component_id, "sg-db");
}

#[test]
fn prefix_list_rules_are_expanded() {
    let mut e = base();
    push(
        &mut e.managed_prefix_lists,
        PrefixList {
            prefix_list_id: "pl-office".into(),
            prefix_list_name: "office".into(),
            owner_id: "111122223333".into(),
            address_family: "IPv4".into(),
            entries: Observed::Known(vec!["192.0.2.0/28".into(), "198.51.100.64/26".into()]),
        },
    );
    e.security_groups.push(sg("sg-pl", VPC, vec![rule("tcp", 3389, 3389, SgPeer::PrefixList("pl-office".into()))]));
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-pl"], None));
    let inv = inventory(e.clone(), None);
    let ex = internet_exposure(&inv);
    let r = ranges(exposure_of(&ex, "eni-1"));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].sources, ["192.0.2.0/28", "198.51.100.64/26"]);
    // Entries not read: unknown, never "not reachable".
    if let Observed::Known(v) = &mut e.managed_prefix_lists {
        v[0].entries = Observed::Unknown("AccessDenied".into());
    }
    let inv = inventory(e, None);
    assert!(matches!(exposure_of(&internet_exposure(&inv), "eni-1"), Status::Unknown { .. }));
    assert!(matches!(query(&inv, &Source::Internet, "eni-1", Protocol::TCP, 3389), Verdict::Unknown { .. }));
}

#[test]
fn ipv6_only_exposure() {
    let mut e = base();
    e.security_groups.push(sg("sg-v6", VPC, vec![rule("tcp", 80, 80, cidr("::/0")), rule("tcp", 80, 80, cidr("0.0.0.0/0"))]));
    push(
        &mut e.network_interfaces,
        eni("eni-6", VPC, "subnet-pub", "10.0.1.30", None, Some("2001:db8:1::30"), &["sg-v6"], Some("i-6")),
    );
    let inv = inventory(e.clone(), None);
    let ex = internet_exposure(&inv);
    let r = ranges(exposure_of(&ex, "eni-6"));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].family, Family::Ipv6);
    assert_eq!(r[0].source_set, AddrSet::full().difference(&set::parse_cidr("2001:db8:1::/56").unwrap().1));
    assert!(matches!(query(&inv, &ip("2001:db8:ffff::1"), "i-6", Protocol::TCP, 80), Verdict::Reachable { .. }));
    assert!(matches!(query(&inv, &ip("198.51.100.1"), "i-6", Protocol::TCP, 80), Verdict::Blocked { .. }));
    // An egress-only internet gateway carries no inbound connections.
    if let Observed::Known(v) = &mut e.route_tables {
        let pub_rtb = v.iter_mut().find(|t| t.route_table_id == "rtb-pub").unwrap();
        pub_rtb.routes.retain(|r| r.destination_ipv6_cidr_block.as_deref() != Some("::/0"));
        pub_rtb.routes.push(route("::/0", "eigw-1"));
    }
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-6")).is_empty());
}

#[test]
fn blackhole_route() {
    let mut e = base();
    if let Observed::Known(v) = &mut e.route_tables {
        let pub_rtb = v.iter_mut().find(|t| t.route_table_id == "rtb-pub").unwrap();
        pub_rtb.routes.retain(|r| r.destination_cidr_block.as_deref() != Some("0.0.0.0/0"));
        pub_rtb.routes.push(blackhole(route("0.0.0.0/0", "igw-old")));
    }
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], None));
    let inv = inventory(e, None);
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-1")).is_empty());
    let v = query(&inv, &Source::Internet, "eni-1", Protocol::TCP, 443);
    assert_eq!(blockers(&v)[0].rule, "0.0.0.0/0 → igw-old (blackhole)");
}

#[test]
fn more_specific_route_wins() {
    let mut e = base();
    if let Observed::Known(v) = &mut e.route_tables {
        let pub_rtb = v.iter_mut().find(|t| t.route_table_id == "rtb-pub").unwrap();
        pub_rtb.routes.push(route("198.51.100.0/24", "nat-1"));
    }
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], None));
    let inv = inventory(e, None);
    assert!(matches!(query(&inv, &ip("198.51.100.1"), "eni-1", Protocol::TCP, 443), Verdict::Blocked { .. }));
    assert!(matches!(query(&inv, &ip("198.51.101.1"), "eni-1", Protocol::TCP, 443), Verdict::Reachable { .. }));
}

fn lb_estate(kind: &str, target_sg: SecurityGroup) -> Inventory {
    let mut e = base();
    e.security_groups.push(sg("sg-alb", VPC, vec![rule("tcp", 443, 443, cidr("0.0.0.0/0"))]));
    e.security_groups.push(target_sg);
    let (desc, itype, lb_sgs) = if kind == "application" {
        ("ELB app/web/abc", "interface", vec!["sg-alb"])
    } else {
        ("ELB net/web/abc", "network_load_balancer", vec![])
    };
    for (i, ip4) in ["10.0.1.100", "10.0.1.101"].iter().enumerate() {
        let mut n = eni(&format!("eni-lb{i}"), VPC, "subnet-pub", ip4, Some(&format!("3.3.3.{i}")), None, &lb_sgs, None);
        n.description = desc.into();
        n.interface_type = itype.into();
        n.requester_managed = true;
        push(&mut e.network_interfaces, n);
    }
    push(&mut e.network_interfaces, eni("eni-app", VPC, "subnet-priv", "10.0.2.50", None, None, &["sg-app"], Some("i-app")));
    let arn = format!("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/{}", &desc[4..]);
    let tg_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/1".to_string();
    let elbv2 = Elbv2 {
        load_balancers: vec![LoadBalancerV2 {
            arn: arn.clone(),
            name: "web".into(),
            kind: kind.into(),
            scheme: "internet-facing".into(),
            vpc_id: VPC.into(),
            subnet_ids: vec!["subnet-pub".into()],
            security_groups: lb_sgs.iter().map(|s| s.to_string()).collect(),
            ip_address_type: "ipv4".into(),
            listeners: Observed::Known(vec![ListenerV2 {
                arn: format!("{arn}/listener"),
                port: 443,
                protocol: if kind == "application" { "HTTPS" } else { "TCP" }.into(),
                default_target_group_arns: vec![tg_arn.clone()],
                ..ListenerV2::default()
            }]),
            ..LoadBalancerV2::default()
        }],
        target_groups: vec![TargetGroup {
            arn: tg_arn,
            name: "app".into(),
            protocol: Some(if kind == "application" { "HTTP" } else { "TCP" }.into()),
            port: Some(8080),
            target_type: "instance".into(),
            vpc_id: Some(VPC.into()),
            load_balancer_arns: vec![arn],
            targets: Observed::Known(vec![Target { id: "i-app".into(), port: Some(8080), health: "healthy".into() }]),
        }],
    };
    inventory(e, Some(elbv2))
}

#[test]
fn alb_in_public_subnet_forwards_to_private_instances() {
    let inv = lb_estate("application", sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, group_ref("sg-alb"))]));
    let ex = internet_exposure(&inv);
    let app = ranges(exposure_of(&ex, "eni-app"));
    assert_eq!(app.len(), 1, "{app:?}");
    assert_eq!(app[0].ports, PortSet::point(8080));
    let types: Vec<ComponentType> = app[0].steps.iter().map(|s| s.component_type).collect();
    assert!(types.contains(&ComponentType::LoadBalancer) && types.contains(&ComponentType::TargetGroup), "{types:?}");
    assert_eq!(app[0].steps.last().unwrap().component_id, "eni-app");
    // The load balancer itself answers on its listener port only.
    let lb = ranges(exposure_of(&ex, "eni-lb0"));
    assert!(lb.iter().all(|r| r.ports == PortSet::point(443)) && !lb.is_empty());
    assert!(ex.iter().any(|e| e.resource_type == "load_balancer" && e.resource_id.ends_with("app/web/abc")));
    let v = query(&inv, &Source::Internet, "i-app", Protocol::TCP, 8080);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
    assert!(v.to_string().contains("LOAD_BALANCER"));

    // The target's group does not admit the load balancer: nothing reaches it.
    let inv = lb_estate("application", sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, cidr("192.168.0.0/16"))]));
    assert!(ranges(exposure_of(&internet_exposure(&inv), "eni-app")).is_empty());
}

#[test]
fn nlb_preserves_client_address_for_instance_targets() {
    // The target admits only its VPC: internet clients keep their address, so it is closed.
    let inv = lb_estate("network", sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, cidr("10.0.0.0/16"))]));
    let ex = internet_exposure(&inv);
    assert!(ranges(exposure_of(&ex, "eni-app")).is_empty());
    // The NLB has no security groups: its listener is open to the internet.
    assert!(!ranges(exposure_of(&ex, "eni-lb0")).is_empty());
    let inv = lb_estate("network", sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, cidr("198.51.100.0/24"))]));
    let app = ranges(exposure_of(&internet_exposure(&inv), "eni-app")).to_vec();
    assert_eq!(app.len(), 1);
    assert_eq!(app[0].sources, ["198.51.100.0/24"]);
}

#[test]
fn unread_data_is_unknown_never_unreachable() {
    let mut e = base();
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-1")));
    let mut e2 = e.clone();
    e2.route_tables = Observed::Unknown("ec2:DescribeRouteTables AccessDenied".into());
    let inv = inventory(e2, None);
    match exposure_of(&internet_exposure(&inv), "eni-1") {
        Status::Unknown { missing } => assert!(missing[0].contains("DescribeRouteTables"), "{missing:?}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443), Verdict::Unknown { .. }));

    let mut e3 = e.clone();
    e3.network_interfaces = Observed::Unknown("AccessDenied".into());
    let ex = internet_exposure(&inventory(e3, None));
    assert_eq!(ex.len(), 1);
    assert!(matches!(ex[0].status, Status::Unknown { .. }) && ex[0].resource_type == "region");

    // Load balancer interfaces exist but load balancers were not read: the VPC is unknown.
    let mut e4 = e;
    let mut lbeni = eni("eni-lb", VPC, "subnet-pub", "10.0.1.99", Some("3.3.3.3"), None, &["sg-web"], None);
    lbeni.description = "ELB app/x/1".into();
    push(&mut e4.network_interfaces, lbeni);
    let mut inv = inventory(e4, None);
    inv.accounts[0].regions[0].elbv2 = Observed::Unknown("not collected".into());
    assert!(matches!(exposure_of(&internet_exposure(&inv), "eni-1"), Status::Unknown { .. }));
}

#[test]
fn verdicts_render_as_text_and_json() {
    let mut e = base();
    push(&mut e.network_interfaces, eni("eni-1", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-1")));
    let inv = inventory(e, None);
    let ok = query(&inv, &Source::Internet, "i-1", Protocol::TCP, 443);
    let text = ok.to_string();
    assert!(text.starts_with("REACHABLE: i-1 (eni-1) over IPv4"), "{text}");
    assert!(text.contains("SECURITY_GROUP sg-web: tcp 443 from 0.0.0.0/0"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok.to_json()).unwrap();
    assert_eq!(json["verdict"], "reachable");
    assert_eq!(json["steps"][0]["componentType"], "IGW");
    assert_eq!(json["steps"][0]["componentId"], "igw-1");

    let no = query(&inv, &Source::Internet, "i-1", Protocol::TCP, 3306);
    let text = no.to_string();
    assert!(text.starts_with("BLOCKED: i-1"), "{text}");
    assert!(text.contains("fix: add an inbound rule tcp 3306 from 0.0.0.0/0 to sg-web"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&no.to_json()).unwrap();
    assert_eq!(json["verdict"], "blocked");
    assert_eq!(json["blockers"][0]["component_type"], "SECURITY_GROUP");

    let ex = serde_json::to_value(internet_exposure(&inv)).unwrap();
    assert_eq!(ex[0]["status"]["status"], "known");
    assert_eq!(ex[0]["status"]["ranges"][0]["protocol"], "tcp");
    let unknown = query(&inv, &Source::Internet, "i-nope", Protocol::TCP, 1);
    assert!(unknown.to_string().contains("not in the inventory"));
}

#[test]
fn answers_are_deterministic() {
    let inv = lb_estate("application", sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, group_ref("sg-alb"))]));
    assert_eq!(internet_exposure(&inv), internet_exposure(&inv));
}

// ---------------------------------------------------------------- VPC peering

fn subnet(id: &str, vpc: &str, c: &str) -> Subnet {
    Subnet { subnet_id: id.into(), vpc_id: vpc.into(), availability_zone: "us-east-1a".into(), cidr_block: Some(c.into()), ..Subnet::default() }
}

fn pcx(id: &str, a: &str, b: &str, status: &str) -> VpcPeering {
    VpcPeering {
        vpc_peering_connection_id: id.into(),
        requester_vpc_id: a.into(),
        requester_owner_id: "111122223333".into(),
        accepter_vpc_id: b.into(),
        accepter_owner_id: "111122223333".into(),
        status: status.into(),
    }
}

fn rtb_mut<'a>(e: &'a mut Ec2, id: &str) -> &'a mut RouteTable {
    match &mut e.route_tables {
        Observed::Known(v) => v.iter_mut().find(|t| t.route_table_id == id).unwrap(),
        Observed::Unknown(_) => panic!("route tables unknown"),
    }
}

/// vpc-a 10.0.0.0/16 ⇄ pcx-ab ⇄ vpc-b 10.1.0.0/16 ⇄ pcx-bc ⇄ vpc-c 10.2.0.0/16; each VPC one
/// subnet on its main route table with routes to its direct peers only; open network ACLs.
/// eni-a (10.0.1.10, sg-a), i-b (10.1.1.10, sg-b: tcp 5432 from 10.0.0.0/8), i-c (10.2.1.10,
/// sg-c: tcp 5432 from 10.0.0.0/8).
fn peered() -> Ec2 {
    let mut e = ec2();
    for (v, n) in [("a", 0), ("b", 1), ("c", 2)] {
        let vpc = format!("vpc-{v}");
        push(&mut e.subnets, subnet(&format!("subnet-{v}"), &vpc, &format!("10.{n}.1.0/24")));
        push(&mut e.route_tables, rtb(&format!("rtb-{v}"), &vpc, true, &[], vec![route(&format!("10.{n}.0.0/16"), "local")]));
        push(&mut e.network_acls, open_nacl(&format!("acl-{v}"), &vpc, &[&format!("subnet-{v}")]));
    }
    rtb_mut(&mut e, "rtb-a").routes.push(route("10.1.0.0/16", "pcx-ab"));
    rtb_mut(&mut e, "rtb-b").routes.push(route("10.0.0.0/16", "pcx-ab"));
    rtb_mut(&mut e, "rtb-b").routes.push(route("10.2.0.0/16", "pcx-bc"));
    rtb_mut(&mut e, "rtb-c").routes.push(route("10.1.0.0/16", "pcx-bc"));
    push(&mut e.vpc_peering_connections, pcx("pcx-ab", "vpc-a", "vpc-b", "active"));
    push(&mut e.vpc_peering_connections, pcx("pcx-bc", "vpc-c", "vpc-b", "active"));
    e.security_groups.push(sg("sg-a", "vpc-a", vec![]));
    e.security_groups.push(sg("sg-b", "vpc-b", vec![rule("tcp", 5432, 5432, cidr("10.0.0.0/8"))]));
    e.security_groups.push(sg("sg-c", "vpc-c", vec![rule("tcp", 5432, 5432, cidr("10.0.0.0/8"))]));
    push(&mut e.network_interfaces, eni("eni-a", "vpc-a", "subnet-a", "10.0.1.10", None, None, &["sg-a"], Some("i-a")));
    push(&mut e.network_interfaces, eni("eni-b", "vpc-b", "subnet-b", "10.1.1.10", None, None, &["sg-b"], Some("i-b")));
    push(&mut e.network_interfaces, eni("eni-c", "vpc-c", "subnet-c", "10.2.1.10", None, None, &["sg-c"], Some("i-c")));
    e
}

#[test]
fn peering_allows_a_port_between_peered_vpcs() {
    let inv = inventory(peered(), None);
    let v = query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let Verdict::Reachable { steps, sources, .. } = &v else { panic!("{v}") };
    assert_eq!(sources, &["10.0.1.10/32"]);
    let path: Vec<(ComponentType, &str)> = steps.iter().map(|s| (s.component_type, s.component_id.as_str())).collect();
    assert_eq!(
        path,
        [
            (ComponentType::Eni, "eni-a"),
            (ComponentType::SecurityGroup, "sg-a"),
            (ComponentType::RouteTable, "rtb-a"),
            (ComponentType::VpcPeeringConnection, "pcx-ab"),
            (ComponentType::Nacl, "acl-a"),
            (ComponentType::Nacl, "acl-b"),
            (ComponentType::SecurityGroup, "sg-b"),
            (ComponentType::RouteTable, "rtb-b"),
            (ComponentType::Eni, "eni-b"),
        ],
        "{v}"
    );
    assert_eq!(steps[2].rules, ["10.1.0.0/16 → pcx-ab"]);
    assert!(v.to_string().contains("VPC_PEERING_CONNECTION pcx-ab"), "{v}");
    // An address of subnet-a held by no interface: no security group of its own.
    assert!(matches!(query(&inv, &ip("10.0.1.99"), "i-b", Protocol::TCP, 5432), Verdict::Reachable { .. }));
    // Other ports: the destination's group stops them.
    let v = query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 22);
    let b = blockers(&v);
    assert_eq!((b.len(), b[0].component_id.as_str()), (1, "sg-b"), "{v}");
    assert_eq!(b[0].change, "add an inbound rule tcp 22 from 10.0.1.10/32 (or from sg-a) to sg-b");
    // The peering connection is not accepted: its routes are dead.
    let mut e = peered();
    if let Observed::Known(v) = &mut e.vpc_peering_connections {
        v[0].status = "pending-acceptance".into();
    }
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    assert!(blockers(&v).iter().any(|b| b.rule.contains("pcx-ab is pending-acceptance") && b.change.starts_with("accept pcx-ab")), "{v}");
    // Peering connections not read: unknown.
    let mut e = peered();
    e.vpc_peering_connections = Observed::Unknown("AccessDenied".into());
    assert!(matches!(query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432), Verdict::Unknown { .. }));
    // The source subnet's network ACL not read: unknown, never blocked.
    let mut e = peered();
    e.network_acls = Observed::Unknown("AccessDenied".into());
    assert!(matches!(query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432), Verdict::Unknown { .. }));
}

#[test]
fn peering_without_return_route_is_blocked_at_the_peer_route_table() {
    let mut e = peered();
    rtb_mut(&mut e, "rtb-b").routes.retain(|r| r.target != "pcx-ab");
    let inv = inventory(e, None);
    let v = query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::RouteTable, "rtb-b"));
    assert_eq!(b[0].rule, "no route to 10.0.1.10/32 (return traffic)");
    assert_eq!(b[0].change, "add route 10.0.0.0/16 → pcx-ab to rtb-b");
    // The forward route missing instead: the source's table is named.
    let mut e = peered();
    rtb_mut(&mut e, "rtb-a").routes.retain(|r| r.target != "pcx-ab");
    let v = query(&inventory(e, None), &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!(b[0].change, "add route 10.1.0.0/16 → pcx-ab to rtb-a");
}

#[test]
fn peering_is_not_transitive() {
    // Routes for vpc-c through pcx-ab and for vpc-a through pcx-bc: still no path A → B → C.
    let mut e = peered();
    rtb_mut(&mut e, "rtb-a").routes.push(route("10.2.0.0/16", "pcx-ab"));
    rtb_mut(&mut e, "rtb-c").routes.push(route("10.0.0.0/16", "pcx-bc"));
    let inv = inventory(e, None);
    let v = query(&inv, &ip("10.0.1.10"), "i-c", Protocol::TCP, 5432);
    let b = blockers(&v);
    assert_eq!(b.len(), 2, "{v}");
    assert_eq!(b[0].component_id, "rtb-a");
    assert_eq!(b[0].rule, "10.2.0.0/16 → pcx-ab (peering is not transitive: pcx-ab joins only vpc-a and vpc-b)");
    assert_eq!(
        b[0].change,
        "create and accept a VPC peering connection between vpc-a and vpc-c, then add route 10.2.0.0/16 → it to rtb-a"
    );
    assert_eq!(b[1].component_id, "rtb-c");
    assert!(b[1].rule.ends_with("(return traffic)"), "{v}");
    // Both hops work on their own.
    assert!(matches!(query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432), Verdict::Reachable { .. }));
    assert!(matches!(query(&inv, &ip("10.1.1.10"), "i-c", Protocol::TCP, 5432), Verdict::Reachable { .. }));
}

#[test]
fn a_peer_internet_gateway_does_not_expose_the_vpc() {
    let mut e = peered();
    push(&mut e.internet_gateways, igw("igw-b", "vpc-b"));
    rtb_mut(&mut e, "rtb-b").routes.push(route("0.0.0.0/0", "igw-b"));
    rtb_mut(&mut e, "rtb-a").routes.push(route("0.0.0.0/0", "pcx-ab"));
    e.security_groups.push(sg("sg-pub", "vpc-a", vec![rule("tcp", 443, 443, cidr("0.0.0.0/0"))]));
    push(&mut e.network_interfaces, eni("eni-pa", "vpc-a", "subnet-a", "10.0.1.20", Some("54.1.1.1"), None, &["sg-pub"], Some("i-pa")));
    e.security_groups.push(sg("sg-pb", "vpc-b", vec![rule("tcp", 443, 443, cidr("0.0.0.0/0"))]));
    push(&mut e.network_interfaces, eni("eni-pb", "vpc-b", "subnet-b", "10.1.1.20", Some("54.1.1.2"), None, &["sg-pb"], Some("i-pb")));
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    assert!(ranges(exposure_of(&ex, "eni-pa")).is_empty());
    assert!(!ranges(exposure_of(&ex, "eni-pb")).is_empty(), "the peer itself is exposed");
    let v = query(&inv, &Source::Internet, "i-pa", Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!(b[0].rule, "0.0.0.0/0 → pcx-ab");
    assert!(b[0].change.starts_with("attach an internet gateway to vpc-a"), "{}", b[0].change);
    assert!(b[0].change.contains("no edge-to-edge routing"), "{}", b[0].change);
}

#[test]
fn security_group_rule_referencing_a_group_in_the_peer_vpc() {
    let mut e = peered();
    e.security_groups.retain(|g| g.group_id != "sg-b");
    let mut peer_ref = group_ref("sg-a");
    if let SgPeer::Group { vpc_peering_connection_id, .. } = &mut peer_ref {
        *vpc_peering_connection_id = Some("pcx-ab".into());
    }
    e.security_groups.push(sg("sg-b", "vpc-b", vec![rule("tcp", 5432, 5432, peer_ref)]));
    e.security_groups.push(sg("sg-a2", "vpc-a", vec![]));
    push(&mut e.network_interfaces, eni("eni-a2", "vpc-a", "subnet-a", "10.0.1.11", None, None, &["sg-a2"], None));
    let inv = inventory(e, None);
    let v = query(&inv, &ip("10.0.1.10"), "i-b", Protocol::TCP, 5432);
    let Verdict::Reachable { steps, .. } = &v else { panic!("{v}") };
    let sg_b = steps.iter().find(|s| s.component_id == "sg-b").unwrap();
    assert_eq!(sg_b.rules, ["tcp 5432 from sg-a"]);
    // Another interface of vpc-a, not in sg-a; an address held by no interface.
    for src in ["10.0.1.11", "10.0.1.99"] {
        let v = query(&inv, &ip(src), "i-b", Protocol::TCP, 5432);
        assert_eq!(blockers(&v)[0].component_id, "sg-b", "{v}");
    }
}

#[test]
fn flows_inside_one_vpc() {
    let mut e = peered();
    e.security_groups.push(sg("sg-a3", "vpc-a", vec![rule("tcp", 80, 80, group_ref("sg-a"))]));
    push(&mut e.subnets, subnet("subnet-a2", "vpc-a", "10.0.2.0/24"));
    let deny_in = nacl(
        "acl-a2",
        "vpc-a",
        &["subnet-a2"],
        vec![nacl_entry(100, true, "-1", true, "0.0.0.0/0", None), nacl_entry(100, false, "6", true, "10.0.0.0/16", Some((80, 80)))],
    );
    push(&mut e.network_acls, deny_in);
    push(&mut e.network_interfaces, eni("eni-a3", "vpc-a", "subnet-a", "10.0.1.30", None, None, &["sg-a3"], Some("i-a3")));
    push(&mut e.network_interfaces, eni("eni-a4", "vpc-a", "subnet-a2", "10.0.2.30", None, None, &["sg-a3"], Some("i-a4")));
    let inv = inventory(e, None);
    // Same subnet: no network ACL on the path.
    let v = query(&inv, &ip("10.0.1.10"), "i-a3", Protocol::TCP, 80);
    let Verdict::Reachable { steps, .. } = &v else { panic!("{v}") };
    assert!(steps.iter().all(|s| s.component_type != ComponentType::Nacl), "{v}");
    // Other subnet: its ACL lets tcp 80 in but not the reply back in to subnet-a? acl-a is open,
    // so the reply passes; acl-a2 lets nothing but tcp 80 in, which is all the request needs.
    assert!(matches!(query(&inv, &ip("10.0.1.10"), "i-a4", Protocol::TCP, 80), Verdict::Reachable { .. }));
    // From subnet-a2 to subnet-a the reply must enter subnet-a2 on an ephemeral port: denied.
    let v = query(&inv, &ip("10.0.2.30"), "i-a3", Protocol::TCP, 80);
    let b = blockers(&v);
    assert!(b.iter().any(|b| b.component_id == "acl-a2" && b.rule.ends_with("(return traffic)")), "{v}");
    // An address of the VPC held by no subnet: unknown.
    assert!(matches!(query(&inv, &ip("10.0.9.9"), "i-a3", Protocol::TCP, 80), Verdict::Unknown { .. }));
}

#[test]
fn interface_endpoint_is_a_reachable_resource() {
    // An interface endpoint's requester-managed interface in the private subnet, behind its own
    // group (tcp 443 from the VPC).
    let mut e = base();
    e.security_groups.push(sg("sg-vpce", VPC, vec![rule("tcp", 443, 443, cidr("10.0.0.0/16"))]));
    let mut n = eni("eni-vpce", VPC, "subnet-priv", "10.0.2.20", None, None, &["sg-vpce"], None);
    n.interface_type = "vpc_endpoint".into();
    n.requester_managed = true;
    n.description = "VPC Endpoint Interface vpce-1".into();
    push(&mut e.network_interfaces, n);
    push(&mut e.network_interfaces, eni("eni-app", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-app")));
    push(
        &mut e.vpc_endpoints,
        VpcEndpoint {
            vpc_endpoint_id: "vpce-1".into(),
            vpc_endpoint_type: "Interface".into(),
            vpc_id: VPC.into(),
            service_name: "com.amazonaws.us-east-1.ssm".into(),
            subnet_ids: vec!["subnet-priv".into()],
            network_interface_ids: vec!["eni-vpce".into()],
            ..VpcEndpoint::default()
        },
    );
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    let x = ex.iter().find(|x| x.network_interface_id.as_deref() == Some("eni-vpce")).unwrap();
    assert_eq!((x.resource_id.as_str(), x.resource_type.as_str()), ("vpce-1", "vpc_endpoint"));
    assert!(ranges(&x.status).is_empty(), "no internet exposure without a public address");
    let v = query(&inv, &ip("10.0.1.10"), "vpce-1", Protocol::TCP, 443);
    assert!(matches!(&v, Verdict::Reachable { network_interface_id, .. } if network_interface_id == "eni-vpce"), "{v}");
    let v = query(&inv, &Source::Resource("i-app".into()), "vpce-1", Protocol::TCP, 22);
    let b = blockers(&v);
    assert_eq!(b[0].component_id, "sg-vpce", "{v}");
    assert!(matches!(query(&inv, &Source::Internet, "vpce-1", Protocol::TCP, 443), Verdict::Blocked { .. }));
}

// ---------------------------------------------------------------- from inside a VPC to a load balancer

/// base() + subnets; an internal load balancer `iweb` (two nodes in subnet-priv, 10.0.2.100-101,
/// no public address) listening on tcp 443 (HTTPS for an ALB, TCP for an NLB) and forwarding to
/// i-app (10.0.2.50, sg-app) on 8080, registered by instance id or by IP; a client i-client in
/// subnet-pub (10.0.1.10, sg-web).
fn internal_lb_estate(kind: &str, lb_sg: Option<SecurityGroup>, target_sg: SecurityGroup, by_ip: bool) -> Inventory {
    let mut e = base();
    push(&mut e.subnets, subnet("subnet-pub", VPC, "10.0.1.0/24"));
    push(&mut e.subnets, subnet("subnet-priv", VPC, "10.0.2.0/24"));
    let lb_sgs: Vec<String> = lb_sg.iter().map(|g| g.group_id.clone()).collect();
    e.security_groups.extend(lb_sg);
    e.security_groups.push(target_sg);
    let (desc, itype) = if kind == "application" { ("ELB app/iweb/abc", "interface") } else { ("ELB net/iweb/abc", "network_load_balancer") };
    let refs: Vec<&str> = lb_sgs.iter().map(String::as_str).collect();
    for (i, ip4) in ["10.0.2.100", "10.0.2.101"].iter().enumerate() {
        let mut n = eni(&format!("eni-ilb{i}"), VPC, "subnet-priv", ip4, None, None, &refs, None);
        n.description = desc.into();
        n.interface_type = itype.into();
        n.requester_managed = true;
        push(&mut e.network_interfaces, n);
    }
    push(&mut e.network_interfaces, eni("eni-app", VPC, "subnet-priv", "10.0.2.50", None, None, &["sg-app"], Some("i-app")));
    push(&mut e.network_interfaces, eni("eni-client", VPC, "subnet-pub", "10.0.1.10", None, None, &["sg-web"], Some("i-client")));
    push(&mut e.instances, Instance { instance_id: "i-client".into(), private_ip_address: Some("10.0.1.10".into()), ..Instance::default() });
    let arn = format!("arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/{}", &desc[4..]);
    let tg_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/iapp/1".to_string();
    let elbv2 = Elbv2 {
        load_balancers: vec![LoadBalancerV2 {
            arn: arn.clone(),
            name: "iweb".into(),
            kind: kind.into(),
            scheme: "internal".into(),
            vpc_id: VPC.into(),
            subnet_ids: vec!["subnet-priv".into()],
            security_groups: lb_sgs.clone(),
            ip_address_type: "ipv4".into(),
            listeners: Observed::Known(vec![ListenerV2 {
                arn: format!("{arn}/listener"),
                port: 443,
                protocol: if kind == "application" { "HTTPS" } else { "TCP" }.into(),
                default_target_group_arns: vec![tg_arn.clone()],
                ..ListenerV2::default()
            }]),
            ..LoadBalancerV2::default()
        }],
        target_groups: vec![TargetGroup {
            arn: tg_arn,
            name: "iapp".into(),
            protocol: Some(if kind == "application" { "HTTP" } else { "TCP" }.into()),
            port: Some(8080),
            target_type: if by_ip { "ip" } else { "instance" }.into(),
            vpc_id: Some(VPC.into()),
            load_balancer_arns: vec![arn],
            targets: Observed::Known(vec![Target {
                id: if by_ip { "10.0.2.50" } else { "i-app" }.into(),
                port: Some(8080),
                health: "healthy".into(),
            }]),
        }],
    };
    inventory(e, Some(elbv2))
}

const IWEB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/iweb/abc";

fn ialb_sg(from: &str) -> SecurityGroup {
    sg("sg-ialb", VPC, vec![rule("tcp", 443, 443, cidr(from))])
}

#[test]
fn instance_to_internal_alb_reaches_private_targets() {
    let inv = internal_lb_estate(
        "application",
        Some(ialb_sg("10.0.0.0/16")),
        sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, group_ref("sg-ialb"))]),
        false,
    );
    let client = Source::Resource("i-client".into());
    for to in [IWEB, "iweb", "app/iweb/abc"] {
        let v = query(&inv, &client, to, Protocol::TCP, 443);
        let Verdict::Reachable { network_interface_id, sources, steps, .. } = &v else { panic!("{to}: {v}") };
        assert_eq!((network_interface_id.as_str(), sources.as_slice()), ("eni-ilb0", &["10.0.1.10/32".to_string()][..]), "{v}");
        let path: Vec<(ComponentType, &str)> = steps.iter().map(|s| (s.component_type, s.component_id.as_str())).collect();
        assert_eq!(path.first(), Some(&(ComponentType::Eni, "eni-client")), "{v}");
        assert!(path.contains(&(ComponentType::SecurityGroup, "sg-ialb")), "{v}");
        assert!(path.contains(&(ComponentType::LoadBalancer, IWEB)), "{v}");
        assert!(path.contains(&(ComponentType::Listener, "HTTPS 443")), "{v}");
        assert!(path.iter().any(|p| p.0 == ComponentType::TargetGroup), "{v}");
        assert_eq!(path.last(), Some(&(ComponentType::Eni, "eni-app")), "{v}");
        let sg_app = steps.iter().find(|s| s.component_id == "sg-app").unwrap();
        assert_eq!(sg_app.rules, ["tcp 8080 from sg-ialb"]);
    }
    // Readable text and JSON, as `rampart reach --from i-client --to <arn>` prints them.
    let v = query(&inv, &client, IWEB, Protocol::TCP, 443);
    let text = v.to_string();
    assert!(text.starts_with(&format!("REACHABLE: {IWEB} (eni-ilb0) over IPv4 from 10.0.1.10/32")), "{text}");
    assert!(text.contains("LISTENER HTTPS 443") && text.contains("ENI eni-app"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(json["verdict"], "reachable");
    assert_eq!(json["steps"].as_array().unwrap().last().unwrap()["componentId"], "eni-app");
    // No listener on the asked port.
    let v = query(&inv, &client, "iweb", Protocol::TCP, 80);
    let b = blockers(&v);
    assert_eq!((b.len(), b[0].component_type, b[0].rule.as_str()), (1, ComponentType::LoadBalancer, "no listener for tcp 80"), "{v}");
    // The target's group does not admit the load balancer: blocked at sg-app, fixed by naming sg-ialb.
    let inv = internal_lb_estate("application", Some(ialb_sg("10.0.0.0/16")), sg("sg-app", VPC, vec![]), false);
    let v = query(&inv, &client, "iweb", Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!((b.len(), b[0].component_id.as_str(), b[0].network_interface_id.as_str()), (1, "sg-app", "eni-app"), "{v}");
    assert_eq!(b[0].change, "add an inbound rule tcp 8080 from sg-ialb (or from 10.0.2.100/32) to sg-app");
    // Load balancers not read: unknown.
    let mut inv = internal_lb_estate("application", Some(ialb_sg("10.0.0.0/16")), sg("sg-app", VPC, vec![]), false);
    inv.accounts[0].regions[0].elbv2 = Observed::Unknown("AccessDenied".into());
    assert!(matches!(query(&inv, &client, IWEB, Protocol::TCP, 443), Verdict::Unknown { .. }));
}

#[test]
fn internal_alb_blocked_by_its_security_group() {
    let inv = internal_lb_estate(
        "application",
        Some(ialb_sg("10.0.9.0/24")),
        sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, group_ref("sg-ialb"))]),
        false,
    );
    let v = query(&inv, &Source::Resource("i-client".into()), IWEB, Protocol::TCP, 443);
    let b = blockers(&v);
    // Both nodes stop it at the load balancer's group.
    assert_eq!(b.len(), 2, "{v}");
    for (x, node) in b.iter().zip(["eni-ilb0", "eni-ilb1"]) {
        assert_eq!((x.component_type, x.component_id.as_str(), x.network_interface_id.as_str()), (ComponentType::SecurityGroup, "sg-ialb", node));
        assert_eq!(x.rule, "no inbound rule of [sg-ialb] allows tcp 443 from 10.0.1.10/32");
        assert_eq!(x.change, "add an inbound rule tcp 443 from 10.0.1.10/32 (or from sg-web) to sg-ialb");
    }
    let text = v.to_string();
    assert!(text.contains("fix: add an inbound rule tcp 443 from 10.0.1.10/32 (or from sg-web) to sg-ialb"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(json["blockers"][0]["component_id"], "sg-ialb");
    // An internet-facing load balancer from inside the VPC: the hairpin is not modelled.
    let mut inv = inv;
    if let Observed::Known(v2) = &mut inv.accounts[0].regions[0].elbv2 {
        v2.load_balancers[0].scheme = "internet-facing".into();
    }
    match query(&inv, &Source::Resource("i-client".into()), IWEB, Protocol::TCP, 443) {
        Verdict::Unknown { missing, .. } => assert!(missing[0].contains("internet-facing") && missing[0].contains("hairpin"), "{missing:?}"),
        other => panic!("{other}"),
    }
}

#[test]
fn nlb_client_ip_preservation_target_must_admit_the_client() {
    // The target admits the load balancer's subnet, not the client's: with the client's address
    // preserved (instance targets), the NLB forwards nothing it would accept.
    let app = || sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, cidr("10.0.2.0/24"))]);
    let inv = internal_lb_estate("network", None, app(), false);
    let client = Source::Resource("i-client".into());
    let v = query(&inv, &client, "iweb", Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!(b.len(), 1, "{v}");
    assert_eq!((b[0].component_type, b[0].component_id.as_str(), b[0].network_interface_id.as_str()), (ComponentType::SecurityGroup, "sg-app", "eni-app"));
    assert!(b[0].rule.contains("from 10.0.1.10/32") && b[0].rule.contains("client IP preservation"), "{}", b[0].rule);
    assert_eq!(b[0].change, "add an inbound rule tcp 8080 from 10.0.1.10/32 to sg-app");
    // A client inside the admitted subnet gets through, its own address preserved.
    let v = query(&inv, &ip("10.0.2.99"), "iweb", Protocol::TCP, 443);
    let Verdict::Reachable { steps, .. } = &v else { panic!("{v}") };
    let tg = steps.iter().find(|s| s.component_type == ComponentType::TargetGroup).unwrap();
    assert_eq!(tg.rules, ["tcp 8080, client IP preserved"], "{v}");
    // IP targets of a TCP group see the load balancer's address (no preservation by default).
    let inv = internal_lb_estate("network", None, app(), true);
    assert!(matches!(query(&inv, &client, "iweb", Protocol::TCP, 443), Verdict::Reachable { .. }));
    // The target reaching itself through the NLB with its address preserved: no hairpinning.
    let mut inv = internal_lb_estate("network", None, sg("sg-app", VPC, vec![rule("tcp", 8080, 8080, cidr("10.0.0.0/16"))]), false);
    push(
        &mut inv.accounts[0].regions[0].ec2.known_mut().unwrap().instances,
        Instance { instance_id: "i-app".into(), private_ip_address: Some("10.0.2.50".into()), ..Instance::default() },
    );
    let v = query(&inv, &Source::Resource("i-app".into()), "iweb", Protocol::TCP, 443);
    assert!(blockers(&v)[0].rule.contains("hairpinning"), "{v}");
    assert!(matches!(query(&inv, &client, "iweb", Protocol::TCP, 443), Verdict::Reachable { .. }));
}

/// "Reachable from 0.0.0.0/5, 8.0.0.0/7, …" reads as the internet except the VPC's range, and
/// a peered VPC's range is named after the peer; the JSON keeps every CIDR block.
#[test]
fn exposure_lists_read_as_their_complement() {
    let mut e = base();
    push(&mut e.network_interfaces, eni("eni-pub", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-pub")));
    push(&mut e.vpc_peering_connections, pcx("pcx-1", VPC, "vpc-2", "active"));
    rtb_mut(&mut e, "rtb-pub").routes.push(route("10.1.0.0/16", "pcx-1"));
    let inv = inventory(e, None);
    let ex = internet_exposure(&inv);
    let https = ranges(exposure_of(&ex, "eni-pub")).iter().find(|r| r.ports.contains(443)).unwrap().clone();
    assert_eq!(https.sources_text, "the internet except the VPC's range (10.0.0.0/16), peered vpc-2 (pcx-1) (10.1.0.0/16)");
    assert!(https.sources.len() > 10, "{:?}", https.sources);
    let v = query(&inv, &Source::Internet, "i-pub", Protocol::TCP, 443);
    let text = v.to_string();
    assert!(
        text.starts_with("REACHABLE: i-pub (eni-pub) over IPv4 from the internet except the VPC's range (10.0.0.0/16), peered vpc-2"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(json["sources"].as_array().unwrap().len(), https.sources.len());
    assert!(json["sources"].as_array().unwrap().iter().any(|s| s == "0.0.0.0/5"));
    // A single source address stays as it is.
    let v = query(&inv, &ip("203.0.113.9"), "i-pub", Protocol::TCP, 22);
    assert!(v.to_string().starts_with("REACHABLE: i-pub (eni-pub) over IPv4 from 203.0.113.9/32"), "{v}");
}

/// `--to-address`: one address of the target. From the internet only its public address is
/// reached; from inside a VPC each private address has its own path (here a network ACL
/// denies one of them).
#[test]
fn one_address_of_the_target() {
    let mut e = base();
    let mut x = eni("eni-pub", VPC, "subnet-pub", "10.0.1.10", Some("54.1.1.1"), None, &["sg-web"], Some("i-pub"));
    x.private_ip_addresses.push("10.0.1.11".into());
    push(&mut e.network_interfaces, x);
    if let Observed::Known(v) = &mut e.network_acls {
        v[0].subnet_ids.retain(|s| s != "subnet-priv");
        v.push(nacl(
            "acl-priv",
            VPC,
            &["subnet-priv"],
            vec![
                nacl_entry(10, true, "-1", false, "10.0.1.11/32", None),
                nacl_entry(100, false, "-1", true, "0.0.0.0/0", None),
                nacl_entry(100, true, "-1", true, "0.0.0.0/0", None),
            ],
        ));
    }
    push(&mut e.subnets, subnet("subnet-priv", VPC, "10.0.2.0/24"));
    e.security_groups[0].ingress.push(rule("tcp", 8443, 8443, cidr("10.0.0.0/16")));
    let inv = inventory(e, None);
    let a = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
    let v = query_address(&inv, &Source::Internet, "i-pub", a("54.1.1.1"), Protocol::TCP, 443);
    assert!(matches!(&v, Verdict::Reachable { target, .. } if target == "i-pub at 54.1.1.1"), "{v}");
    let v = query_address(&inv, &Source::Internet, "i-pub", a("10.0.1.10"), Protocol::TCP, 443);
    let b = blockers(&v);
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::Eni, "eni-pub"), "{v}");
    assert!(b[0].rule.contains("private address") && b[0].change.contains("54.1.1.1"), "{v}");
    let v = query_address(&inv, &Source::Internet, "i-pub", a("9.9.9.9"), Protocol::TCP, 443);
    assert!(matches!(&v, Verdict::Unknown { missing, .. } if missing[0] == "`9.9.9.9` is not an address of `i-pub`"), "{v}");
    // From the private subnet: .10 is open, .11 is denied by the subnet's ACL.
    let from = ip("10.0.2.5");
    assert!(matches!(query(&inv, &from, "i-pub", Protocol::TCP, 8443), Verdict::Reachable { .. }));
    let v = query_address(&inv, &from, "i-pub", a("10.0.1.10"), Protocol::TCP, 8443);
    assert!(matches!(v, Verdict::Reachable { .. }), "{v}");
    let v = query_address(&inv, &from, "i-pub", a("10.0.1.11"), Protocol::TCP, 8443);
    let b = blockers(&v);
    assert_eq!((b[0].component_type, b[0].component_id.as_str()), (ComponentType::Nacl, "acl-priv"), "{v}");
}
