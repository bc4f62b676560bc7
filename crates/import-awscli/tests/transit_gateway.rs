//! Transit gateway outputs of the AWS CLI, imported and answered by the reach engine.

use rampart_import_awscli::{import_dir, ImportError, ImportOptions};
use rampart_inventory::{Inventory, Observed};
use rampart_reach::{query, ComponentType, Protocol, Source, Verdict};
use serde_json::json;
use std::path::Path;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-01-15 12:00 UTC);
const RTB: &str = "tgw-rtb-0aaaaaaaaaaaaaaa1";

fn write(dir: &Path, rel: &str, body: &serde_json::Value) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, serde_json::to_string_pretty(body).unwrap()).unwrap();
}

fn open_acl(id: &str, vpc: &str, subnet: &str) -> serde_json::Value {
    let e = |egress: bool| json!({"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0"});
    json!({"NetworkAclId": id, "VpcId": vpc, "IsDefault": true, "Associations": [{"SubnetId": subnet}],
           "Entries": [e(false), e(true)]})
}

/// vpc-a 10.0.0.0/16 and vpc-b 10.1.0.0/16 (one subnet each, us-east-1a), both routing
/// 10.0.0.0/8 to tgw-1; one route table associated with both attachments, routes propagated.
/// i-b's group admits tcp 5432 from 10.0.0.0/8.
fn dump(dir: &Path) {
    let r = "us-east-1";
    write(dir, &format!("{r}/security-groups.json"), &json!({"SecurityGroups": [
        {"GroupId": "sg-a", "GroupName": "a", "VpcId": "vpc-a", "OwnerId": "123456789012", "IpPermissions": [],
         "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
        {"GroupId": "sg-b", "GroupName": "b", "VpcId": "vpc-b", "OwnerId": "123456789012",
         "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
         "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}));
    write(dir, &format!("{r}/vpcs.json"), &json!({"Vpcs": [
        {"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"},
        {"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16", "OwnerId": "123456789012"}]}));
    write(dir, &format!("{r}/subnets.json"), &json!({"Subnets": [
        {"SubnetId": "subnet-a", "VpcId": "vpc-a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"},
        {"SubnetId": "subnet-b", "VpcId": "vpc-b", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a"}]}));
    let rt = |id: &str, vpc: &str, local: &str| json!({"RouteTableId": id, "VpcId": vpc, "Associations": [{"Main": true}],
        "Routes": [{"DestinationCidrBlock": local, "GatewayId": "local", "State": "active"},
                   {"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": "tgw-1", "State": "active"}]});
    write(dir, &format!("{r}/route-tables.json"), &json!({"RouteTables": [rt("rtb-a", "vpc-a", "10.0.0.0/16"), rt("rtb-b", "vpc-b", "10.1.0.0/16")]}));
    write(dir, &format!("{r}/network-acls.json"), &json!({"NetworkAcls": [open_acl("acl-a", "vpc-a", "subnet-a"), open_acl("acl-b", "vpc-b", "subnet-b")]}));
    let eni = |id: &str, vpc: &str, subnet: &str, ip: &str, sg: &str, i: &str| json!({"NetworkInterfaceId": id, "InterfaceType": "interface",
        "VpcId": vpc, "SubnetId": subnet, "AvailabilityZone": "us-east-1a", "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"PrivateIpAddress": ip, "Primary": true}], "Groups": [{"GroupId": sg}],
        "Attachment": {"InstanceId": i}, "Status": "in-use", "OwnerId": "123456789012"});
    write(dir, &format!("{r}/network-interfaces.json"), &json!({"NetworkInterfaces": [
        eni("eni-a", "vpc-a", "subnet-a", "10.0.1.10", "sg-a", "i-a"), eni("eni-b", "vpc-b", "subnet-b", "10.1.1.10", "sg-b", "i-b")]}));
    write(dir, &format!("{r}/describe-transit-gateways.json"), &json!({"TransitGateways": [
        {"TransitGatewayId": "tgw-1", "State": "available", "OwnerId": "123456789012",
         "Options": {"AutoAcceptSharedAttachments": "enable", "DefaultRouteTableAssociation": "enable",
                     "AssociationDefaultRouteTableId": RTB, "DefaultRouteTablePropagation": "enable",
                     "PropagationDefaultRouteTableId": RTB},
         "Tags": [{"Key": "Name", "Value": "hub"}]}]}));
    let att = |id: &str, vpc: &str| json!({"TransitGatewayAttachmentId": id, "TransitGatewayId": "tgw-1", "TransitGatewayOwnerId": "123456789012",
        "ResourceOwnerId": "123456789012", "ResourceType": "vpc", "ResourceId": vpc, "State": "available",
        "Association": {"TransitGatewayRouteTableId": RTB, "State": "associated"}});
    write(dir, &format!("{r}/describe-transit-gateway-attachments.json"), &json!({"TransitGatewayAttachments": [att("tgw-attach-a", "vpc-a"), att("tgw-attach-b", "vpc-b")]}));
    let vatt = |id: &str, vpc: &str, subnet: &str| json!({"TransitGatewayAttachmentId": id, "TransitGatewayId": "tgw-1", "VpcId": vpc,
        "VpcOwnerId": "123456789012", "State": "available", "SubnetIds": [subnet],
        "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable"}});
    write(dir, &format!("{r}/describe-transit-gateway-vpc-attachments.json"), &json!({"TransitGatewayVpcAttachments": [
        vatt("tgw-attach-a", "vpc-a", "subnet-a"), vatt("tgw-attach-b", "vpc-b", "subnet-b")]}));
    write(dir, &format!("{r}/describe-transit-gateway-route-tables.json"), &json!({"TransitGatewayRouteTables": [
        {"TransitGatewayRouteTableId": RTB, "TransitGatewayId": "tgw-1", "State": "available",
         "DefaultAssociationRouteTable": true, "DefaultPropagationRouteTable": true}]}));
    let link = |id: &str, vpc: &str, state: &str| json!({"TransitGatewayAttachmentId": id, "ResourceId": vpc, "ResourceType": "vpc", "State": state});
    write(dir, &format!("{r}/get-transit-gateway-route-table-associations.{RTB}.json"), &json!({"Associations": [
        link("tgw-attach-a", "vpc-a", "associated"), link("tgw-attach-b", "vpc-b", "associated")]}));
    write(dir, &format!("{r}/get-transit-gateway-route-table-propagations.{RTB}.json"), &json!({"TransitGatewayRouteTablePropagations": [
        link("tgw-attach-a", "vpc-a", "enabled"), link("tgw-attach-b", "vpc-b", "enabled")]}));
    let route = |cidr: &str, id: &str, vpc: &str| json!({"DestinationCidrBlock": cidr, "Type": "propagated", "State": "active",
        "TransitGatewayAttachments": [{"ResourceId": vpc, "TransitGatewayAttachmentId": id, "ResourceType": "vpc"}]});
    write(dir, &format!("{r}/search-transit-gateway-routes.{RTB}.json"), &json!({"Routes": [
        route("10.0.0.0/16", "tgw-attach-a", "vpc-a"), route("10.1.0.0/16", "tgw-attach-b", "vpc-b")], "AdditionalRoutesAvailable": false}));
}

fn import(dir: &Path) -> Result<Inventory, ImportError> {
    import_dir(dir, &ImportOptions::default(), NOW).map(|(inv, _)| inv)
}

#[test]
fn transit_gateway_outputs_import_and_answer_reach_queries() {
    let dir = tempfile::tempdir().unwrap();
    dump(dir.path());
    let inv = import(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let ec2 = inv.accounts[0].regions[0].ec2.known().unwrap();
    let g = &ec2.transit_gateways.known().unwrap()[0];
    assert_eq!(g.auto_accept_shared_attachments, "enable");
    assert_eq!(g.association_default_route_table_id.as_deref(), Some(RTB));
    assert_eq!(g.tags.get("Name").map(String::as_str), Some("hub"));
    let a = &ec2.transit_gateway_attachments.known().unwrap()[0];
    assert_eq!((a.resource_type.as_str(), a.association_route_table_id.as_deref()), ("vpc", Some(RTB)));
    assert_eq!(ec2.transit_gateway_vpc_attachments.known().unwrap()[1].subnet_ids, ["subnet-b"]);
    let t = &ec2.transit_gateway_route_tables.known().unwrap()[0];
    assert_eq!(t.associations.known().unwrap().len(), 2);
    assert_eq!(t.propagations.known().unwrap()[0].state, "enabled");
    let routes = t.routes.known().unwrap();
    assert_eq!((routes[1].route_type.as_str(), routes[1].transit_gateway_attachment_ids[0].as_str()), ("propagated", "tgw-attach-b"));

    let v = query(&inv, &Source::Ip("10.0.1.10".parse().unwrap()), "i-b", Protocol::TCP, 5432);
    let Verdict::Reachable { steps, .. } = &v else { panic!("{v}") };
    assert!(steps.iter().any(|s| s.component_type == ComponentType::TransitGatewayRouteTable && s.component_id == RTB), "{v}");
    let v = query(&inv, &Source::Ip("10.0.1.10".parse().unwrap()), "i-b", Protocol::TCP, 22);
    assert!(matches!(v, Verdict::Blocked { .. }), "{v}");
}

#[test]
fn a_route_table_without_its_files_is_unknown_and_so_are_the_answers() {
    let dir = tempfile::tempdir().unwrap();
    dump(dir.path());
    std::fs::remove_file(dir.path().join(format!("us-east-1/search-transit-gateway-routes.{RTB}.json"))).unwrap();
    let inv = import(dir.path()).unwrap();
    let ec2 = inv.accounts[0].regions[0].ec2.known().unwrap();
    let t = &ec2.transit_gateway_route_tables.known().unwrap()[0];
    assert!(matches!(&t.routes, Observed::Unknown(r) if r.contains("search-transit-gateway-routes") && r.contains(RTB)), "{:?}", t.routes);
    assert!(t.associations.known().is_some());
    let v = query(&inv, &Source::Ip("10.0.1.10".parse().unwrap()), "i-b", Protocol::TCP, 5432);
    assert!(matches!(v, Verdict::Unknown { .. }), "{v}");
    // A dump without any transit gateway listing: unknown, never "none".
    for f in ["describe-transit-gateways", "describe-transit-gateway-route-tables"] {
        let _ = std::fs::remove_file(dir.path().join(format!("us-east-1/{f}.json")));
    }
    for f in ["get-transit-gateway-route-table-associations", "get-transit-gateway-route-table-propagations"] {
        std::fs::remove_file(dir.path().join(format!("us-east-1/{f}.{RTB}.json"))).unwrap();
    }
    let inv = import(dir.path()).unwrap();
    let ec2 = inv.accounts[0].regions[0].ec2.known().unwrap();
    assert!(matches!(&ec2.transit_gateways, Observed::Unknown(r) if r.contains("TransitGateways")));
}

#[test]
fn a_per_route_table_output_must_name_its_route_table() {
    let dir = tempfile::tempdir().unwrap();
    dump(dir.path());
    write(dir.path(), "us-east-1/routes.json", &json!({"Routes": []}));
    let e = import(dir.path()).expect_err("unnamed routes file");
    let msg = e.to_string();
    assert!(matches!(e, ImportError::TgwRouteTableUnnamed { .. }), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.contains("routes.json") && msg.contains("`Routes`") && msg.contains("routes.tgw-rtb-0123456789abcdef0.json"), "{msg}");

    let dir = tempfile::tempdir().unwrap();
    dump(dir.path());
    write(dir.path(), "us-east-1/assoc.tgw-rtb-0bbbbbbbbbbbbbbb2.json", &json!({"Associations": []}));
    let e = import(dir.path()).expect_err("unknown route table");
    let msg = e.to_string();
    assert!(msg.contains("`Associations` of `tgw-rtb-0bbbbbbbbbbbbbbb2`") && msg.contains("TransitGatewayRouteTables"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
}
