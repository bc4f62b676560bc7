//! End-to-end: `rampart reach` egress (`--to internet` / an address), subnets as sources and
//! `--to-address`, answered from a snapshot this test writes. No AWS emulator needed.

use rampart_inventory::*;
use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run rampart")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn route(dest: &str, target: &str) -> Route {
    Route { destination_cidr_block: Some(dest.into()), target: target.into(), state: "active".into(), ..Route::default() }
}

fn acl(id: &str, subnet: &str) -> NetworkAcl {
    let entry = |egress, action: &str, n| NaclEntry {
        rule_number: n,
        egress,
        protocol: "-1".into(),
        rule_action: action.into(),
        cidr_block: Some("0.0.0.0/0".into()),
        ..NaclEntry::default()
    };
    NetworkAcl {
        network_acl_id: id.into(),
        vpc_id: "vpc-1".into(),
        subnet_ids: vec![subnet.into()],
        entries: vec![entry(false, "allow", 100), entry(true, "allow", 100), entry(false, "deny", 32767), entry(true, "deny", 32767)],
        ..NetworkAcl::default()
    }
}

fn eni(id: &str, subnet: &str, ip: &str, public: Option<&str>, instance: &str) -> NetworkInterface {
    NetworkInterface {
        network_interface_id: id.into(),
        interface_type: "interface".into(),
        vpc_id: "vpc-1".into(),
        subnet_id: subnet.into(),
        availability_zone: "us-east-1a".into(),
        private_ip_addresses: vec![ip.into()],
        public_ips: public.into_iter().map(String::from).collect(),
        security_group_ids: vec!["sg-app".into()],
        attachment_instance_id: Some(instance.into()),
        status: "in-use".into(),
        ..NetworkInterface::default()
    }
}

/// Private subnet → nat-1 (public subnet → igw-1). i-app and i-b in the private subnet, i-web
/// (54.1.1.1) in the public one; sg-app lets tcp 443 out and in.
fn snapshot(dir: &Path) -> String {
    let any = |p: i32| SgRule {
        ip_protocol: "tcp".into(),
        from_port: Some(p),
        to_port: Some(p),
        peer: SgPeer::Cidr4("0.0.0.0/0".into()),
        description: None,
    };
    let ec2 = Ec2 {
        instances: Observed::Known(vec![]),
        network_interfaces: Observed::Known(vec![
            eni("eni-app", "subnet-priv", "10.0.2.10", None, "i-app"),
            eni("eni-b", "subnet-priv", "10.0.2.11", None, "i-b"),
            eni("eni-web", "subnet-pub", "10.0.1.10", Some("54.1.1.1"), "i-web"),
        ]),
        security_groups: vec![SecurityGroup {
            group_id: "sg-app".into(),
            group_name: "app".into(),
            vpc_id: Some("vpc-1".into()),
            ingress: vec![any(443)],
            egress: vec![any(443)],
            ..SecurityGroup::default()
        }],
        managed_prefix_lists: Observed::Known(vec![]),
        vpcs: Observed::Known(vec![Vpc { vpc_id: "vpc-1".into(), cidr_blocks: vec!["10.0.0.0/16".into()], ..Vpc::default() }]),
        subnets: Observed::Known(
            [("subnet-pub", "10.0.1.0/24"), ("subnet-priv", "10.0.2.0/24")]
                .map(|(id, c)| Subnet {
                    subnet_id: id.into(),
                    vpc_id: "vpc-1".into(),
                    availability_zone: "us-east-1a".into(),
                    cidr_block: Some(c.into()),
                    ..Subnet::default()
                })
                .to_vec(),
        ),
        route_tables: Observed::Known(vec![
            RouteTable {
                route_table_id: "rtb-pub".into(),
                vpc_id: "vpc-1".into(),
                main: true,
                subnet_ids: vec!["subnet-pub".into()],
                gateway_ids: vec![],
                routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1")],
            },
            RouteTable {
                route_table_id: "rtb-priv".into(),
                vpc_id: "vpc-1".into(),
                main: false,
                subnet_ids: vec!["subnet-priv".into()],
                gateway_ids: vec![],
                routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "nat-1")],
            },
        ]),
        internet_gateways: Observed::Known(vec![InternetGateway { id: "igw-1".into(), attached_vpc_ids: vec!["vpc-1".into()] }]),
        egress_only_internet_gateways: Observed::Known(vec![]),
        nat_gateways: Observed::Known(vec![NatGateway {
            nat_gateway_id: "nat-1".into(),
            vpc_id: "vpc-1".into(),
            subnet_id: "subnet-pub".into(),
            state: "available".into(),
            connectivity_type: "public".into(),
            public_ips: vec!["54.9.9.9".into()],
        }]),
        network_acls: Observed::Known(vec![acl("acl-pub", "subnet-pub"), acl("acl-priv", "subnet-priv")]),
        vpc_endpoints: Observed::Known(vec![]),
        vpc_peering_connections: Observed::Known(vec![]),
        transit_gateways: Observed::Known(vec![]),
        transit_gateway_attachments: Observed::Known(vec![]),
        transit_gateway_vpc_attachments: Observed::Known(vec![]),
        transit_gateway_route_tables: Observed::Known(vec![]),
        ..Ec2::default()
    };
    let mut inv = Inventory::new(rampart_model::Timestamp::UNIX_EPOCH);
    let mut a = Account::empty("111122223333", "aws", "us-east-1");
    let mut r = Region::empty("us-east-1");
    r.ec2 = Observed::Known(ec2);
    r.elbv2 = Observed::Known(Elbv2::default());
    r.elb = Observed::Known(Vec::new());
    a.regions.push(r);
    inv.accounts.push(a);
    let path = dir.join("estate.json");
    std::fs::write(&path, inv.to_json()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn egress_subnets_and_one_address_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(dir.path());
    let ask = |args: &[&str]| {
        let mut all = vec!["reach", "--snapshot", snap.as_str()];
        all.extend_from_slice(args);
        rampart(dir.path(), &all)
    };
    // Through the NAT gateway to the internet: exit 0, the NAT gateway on the path.
    let out = ask(&["--from", "i-app", "--to", "internet", "--port", "443"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("NAT_GATEWAY nat-1"), "{}", text(&out));
    assert!(text(&out).contains("the internet except the VPC's range (10.0.0.0/16)"), "{}", text(&out));
    // Port 25 is not in sg-app's outbound rules: exit 1, the group named.
    let out = ask(&["--from", "i-app", "--to", "1.2.3.4", "--port", "25"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("SECURITY_GROUP (sg-app)"), "{}", text(&out));
    // A subnet: one answer per interface, as a JSON array.
    let out = ask(&["--from", "subnet-priv", "--to", "1.2.3.4", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let from: Vec<&str> = v.as_array().unwrap().iter().map(|x| x["from"].as_str().unwrap()).collect();
    assert_eq!(from, ["eni-app", "eni-b"]);
    assert!(v.as_array().unwrap().iter().all(|x| x["answer"]["verdict"] == "reachable"), "{v}");
    // One address of the target: the private one is never reached from the internet.
    let out = ask(&["--to", "i-web", "--to-address", "10.0.1.10"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("54.1.1.1"), "{}", text(&out));
    let out = ask(&["--to", "i-web", "--to-address", "54.1.1.1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Egress needs a resource to start from.
    let out = ask(&["--to", "internet"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("give `--from` an instance, network interface or subnet id"), "{}", text(&out));
}
