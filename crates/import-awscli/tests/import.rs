//! Dumps written as the AWS CLI prints them (`--output json`), imported end to end.

use rampart_import_awscli::{import_dir, parse_file, ImportError, ImportOptions, Warning};
use rampart_inventory::{Inventory, Observed, Region, SgPeer};
use rampart_model::Status as CheckStatus;
use rampart_reach::{internet_exposure, Protocol, Status};
use std::path::Path;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-01-15 12:00 UTC);
const ACCOUNT: &str = "123456789012";

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("a file has a parent")).unwrap();
    std::fs::write(p, body).unwrap();
}

fn import(dir: &Path, opts: &ImportOptions) -> (Inventory, Vec<Warning>) {
    import_dir(dir, opts, NOW).unwrap_or_else(|e| panic!("import failed: {e}"))
}

fn region<'a>(inv: &'a Inventory, name: &str) -> &'a Region {
    inv.accounts[0]
        .regions
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no region {name}"))
}

const SECURITY_GROUPS: &str = r#"{
    "SecurityGroups": [
        {
            "Description": "web servers",
            "GroupName": "web",
            "IpPermissions": [
                {
                    "FromPort": 22,
                    "IpProtocol": "tcp",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh from anywhere"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "ToPort": 22,
                    "UserIdGroupPairs": []
                },
                {
                    "FromPort": 443,
                    "IpProtocol": "tcp",
                    "IpRanges": [],
                    "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                    "PrefixListIds": [{"PrefixListId": "pl-0123abcd", "Description": "office"}],
                    "ToPort": 443,
                    "UserIdGroupPairs": [{"GroupId": "sg-0lb00000000000000", "UserId": "123456789012"}]
                }
            ],
            "OwnerId": "123456789012",
            "GroupId": "sg-0web0000000000000",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "Tags": [{"Key": "Name", "Value": "web"}],
            "VpcId": "vpc-0a1b2c3d4e5f60001"
        }
    ]
}"#;

/// A public subnet (10.0.1.0/24, route 0.0.0.0/0 → IGW) and a private one on the main table,
/// open network ACL, one instance with a public IP in each; AZ `{az}`.
fn public_subnet_network(dir: &Path, az: &str) {
    write(dir, "ec2/security-groups.json", SECURITY_GROUPS);
    // The group references a prefix list: without its entries reachability cannot answer.
    write(
        dir,
        "ec2/prefix-lists.json",
        r#"{"PrefixLists": [{"PrefixListId": "pl-0123abcd", "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": "arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-0123abcd", "PrefixListName": "office",
            "MaxEntries": 5, "Version": 1, "Tags": [], "OwnerId": "123456789012"}]}"#,
    );
    write(
        dir,
        "ec2/entries-pl-0123abcd.json",
        r#"{"Entries": [{"Cidr": "203.0.113.0/24", "Description": "hq"}]}"#,
    );
    write(
        dir,
        "ec2/vpcs.json",
        r#"{"Vpcs": [{"CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1", "State": "available",
            "VpcId": "vpc-0a1b2c3d4e5f60001", "OwnerId": "123456789012", "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}],
            "IsDefault": false}]}"#,
    );
    write(
        dir,
        "ec2/subnets.json",
        &format!(
            r#"{{"Subnets": [
            {{"AvailabilityZone": "{az}", "AvailabilityZoneId": "use1-az1", "AvailableIpAddressCount": 250, "CidrBlock": "10.0.1.0/24",
             "DefaultForAz": false, "MapPublicIpOnLaunch": true, "State": "available", "SubnetId": "subnet-0pub", "VpcId": "vpc-0a1b2c3d4e5f60001",
             "OwnerId": "123456789012", "AssignIpv6AddressOnCreation": false, "Ipv6CidrBlockAssociationSet": []}},
            {{"AvailabilityZone": "{az}", "CidrBlock": "10.0.2.0/24", "MapPublicIpOnLaunch": false, "State": "available",
             "SubnetId": "subnet-0priv", "VpcId": "vpc-0a1b2c3d4e5f60001", "OwnerId": "123456789012"}}]}}"#
        ),
    );
    write(
        dir,
        "ec2/route-tables.json",
        r#"{"RouteTables": [
        {"Associations": [{"Main": true, "RouteTableAssociationId": "rtbassoc-main", "RouteTableId": "rtb-0main", "AssociationState": {"State": "associated"}}],
         "PropagatingVgws": [], "RouteTableId": "rtb-0main",
         "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}],
         "Tags": [], "VpcId": "vpc-0a1b2c3d4e5f60001", "OwnerId": "123456789012"},
        {"Associations": [{"Main": false, "RouteTableAssociationId": "rtbassoc-pub", "RouteTableId": "rtb-0pub", "SubnetId": "subnet-0pub", "AssociationState": {"State": "associated"}}],
         "PropagatingVgws": [], "RouteTableId": "rtb-0pub",
         "Routes": [
            {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0abc", "Origin": "CreateRoute", "State": "active"}],
         "Tags": [], "VpcId": "vpc-0a1b2c3d4e5f60001", "OwnerId": "123456789012"}]}"#,
    );
    write(
        dir,
        "ec2/internet-gateways.json",
        r#"{"InternetGateways": [{"Attachments": [{"State": "available", "VpcId": "vpc-0a1b2c3d4e5f60001"}],
            "InternetGatewayId": "igw-0abc", "OwnerId": "123456789012", "Tags": []}]}"#,
    );
    write(
        dir,
        "ec2/network-acls.json",
        r#"{"NetworkAcls": [{"Associations": [
            {"NetworkAclAssociationId": "aclassoc-1", "NetworkAclId": "acl-0def", "SubnetId": "subnet-0pub"},
            {"NetworkAclAssociationId": "aclassoc-2", "NetworkAclId": "acl-0def", "SubnetId": "subnet-0priv"}],
          "Entries": [
            {"CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100},
            {"CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767},
            {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "6", "PortRange": {"From": 0, "To": 65535}, "RuleAction": "allow", "RuleNumber": 100},
            {"CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767}],
          "IsDefault": true, "NetworkAclId": "acl-0def", "Tags": [], "VpcId": "vpc-0a1b2c3d4e5f60001", "OwnerId": "123456789012"}]}"#,
    );
    let eni = |id: &str, subnet: &str, ip: &str, public: &str, instance: &str| {
        format!(
            r#"{{"Association": {{"IpOwnerId": "amazon", "PublicDnsName": "", "PublicIp": "{public}"}},
              "Attachment": {{"AttachTime": "2024-01-01T00:00:00+00:00", "AttachmentId": "eni-attach-1", "DeleteOnTermination": true,
                              "DeviceIndex": 0, "NetworkCardIndex": 0, "InstanceId": "{instance}", "InstanceOwnerId": "123456789012", "Status": "attached"}},
              "AvailabilityZone": "{az}", "Description": "", "Groups": [{{"GroupName": "web", "GroupId": "sg-0web0000000000000"}}],
              "InterfaceType": "interface", "Ipv6Addresses": [], "MacAddress": "02:00:00:00:00:01", "NetworkInterfaceId": "{id}",
              "OwnerId": "123456789012", "PrivateIpAddress": "{ip}",
              "PrivateIpAddresses": [{{"Association": {{"IpOwnerId": "amazon", "PublicIp": "{public}"}}, "Primary": true, "PrivateIpAddress": "{ip}"}}],
              "RequesterManaged": false, "SourceDestCheck": true, "Status": "in-use", "SubnetId": "{subnet}", "TagSet": [], "VpcId": "vpc-0a1b2c3d4e5f60001"}}"#
        )
    };
    write(
        dir,
        "ec2/network-interfaces.json",
        &format!(
            r#"{{"NetworkInterfaces": [{}, {}]}}"#,
            eni("eni-0pub", "subnet-0pub", "10.0.1.10", "54.1.1.1", "i-0pub"),
            eni(
                "eni-0priv",
                "subnet-0priv",
                "10.0.2.10",
                "54.1.1.2",
                "i-0priv"
            )
        ),
    );
    write(
        dir,
        "ec2/instances.json",
        &format!(
            r#"{{"Reservations": [{{"Groups": [], "OwnerId": "123456789012", "ReservationId": "r-1", "Instances": [
            {{"AmiLaunchIndex": 0, "ImageId": "ami-0abc", "InstanceId": "i-0pub", "InstanceType": "t3.micro",
              "LaunchTime": "2024-01-01T00:00:00+00:00", "Placement": {{"AvailabilityZone": "{az}", "Tenancy": "default"}},
              "PrivateIpAddress": "10.0.1.10", "PublicIpAddress": "54.1.1.1", "State": {{"Code": 16, "Name": "running"}},
              "SubnetId": "subnet-0pub", "VpcId": "vpc-0a1b2c3d4e5f60001",
              "NetworkInterfaces": [{{"NetworkInterfaceId": "eni-0pub", "Ipv6Addresses": []}}],
              "SecurityGroups": [{{"GroupName": "web", "GroupId": "sg-0web0000000000000"}}],
              "MetadataOptions": {{"State": "applied", "HttpTokens": "optional", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"}}}}]}}]}}"#
        ),
    );
}

#[test]
fn public_subnet_dump_gives_the_reachability_and_checks_answers() {
    let dir = tempfile::tempdir().unwrap();
    public_subnet_network(dir.path(), "us-east-1a");
    // The listing of LBs is absent: the answer for the instances must not depend on it.
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(inv.accounts[0].id, ACCOUNT);
    assert_eq!(inv.accounts[0].partition, "aws");
    let r = region(&inv, "us-east-1");

    let ec2 = r.ec2.known().expect("ec2 known");
    let sg = &ec2.security_groups[0];
    assert_eq!(sg.ingress.len(), 4, "one rule per peer: {:?}", sg.ingress);
    assert!(sg
        .ingress
        .iter()
        .any(|x| x.peer == SgPeer::PrefixList("pl-0123abcd".into())));
    assert!(sg.ingress.iter().any(|x| matches!(&x.peer, SgPeer::Group { group_id, user_id: Some(_), .. } if group_id == "sg-0lb00000000000000")));
    assert_eq!(sg.egress[0].from_port, None);
    let i = &ec2.instances.known().unwrap()[0];
    assert_eq!(i.launch_time.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert_eq!(i.metadata_http_tokens.as_deref(), Some("optional"));
    assert!(matches!(i.user_data, Observed::Unknown(_)));
    let rt = ec2.route_tables.known().unwrap();
    assert!(
        rt[0].main && rt[1].subnet_ids == ["subnet-0pub"] && rt[1].routes[1].target == "igw-0abc"
    );
    let nacl = &ec2.network_acls.known().unwrap()[0];
    assert_eq!(
        (
            nacl.entries[2].port_from,
            nacl.entries[2].port_to,
            nacl.entries[0].rule_number
        ),
        (Some(0), Some(65535), 100)
    );
    assert_eq!(
        ec2.network_interfaces.known().unwrap()[0].public_ips,
        ["54.1.1.1"]
    );

    let ex = internet_exposure(&inv);
    let status = |eni: &str| {
        &ex.iter()
            .find(|e| e.network_interface_id.as_deref() == Some(eni))
            .expect("interface answered")
            .status
    };
    let Status::Known { ranges } = status("eni-0pub") else {
        panic!("public ENI unknown: {:?}", status("eni-0pub"))
    };
    let ssh = ranges
        .iter()
        .find(|r| r.protocol == Protocol::TCP && r.ports.contains(22))
        .expect("ssh exposed");
    assert!(
        ssh.sources.iter().any(|s| s.starts_with("0.0.0.0/")),
        "{:?}",
        ssh.sources
    );
    assert!(!ranges.iter().any(|r| r.ports.contains(3389)));
    // The private subnet has no route to the internet gateway: public IP or not, unreachable.
    assert_eq!(status("eni-0priv"), &Status::Known { ranges: vec![] });

    let out = rampart_checks::run(&inv, NOW, &["ec2_sg_admin_ports_unrestricted"]);
    assert_eq!(out.results.len(), 1);
    assert_eq!(out.results[0].status, CheckStatus::Failed);
    assert!(
        out.results[0].resource.id.contains("sg-0web0000000000000"),
        "{:?}",
        out.results[0].resource
    );
    assert!(
        out.results[0].reason.contains("tcp/22"),
        "{}",
        out.results[0].reason
    );
}

#[test]
fn absent_listings_are_unknown_never_empty() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "us-east-1/sg.json", SECURITY_GROUPS);
    let (inv, _) = import(dir.path(), &ImportOptions::default());
    let r = region(&inv, "us-east-1");
    let ec2 = r.ec2.known().unwrap();
    assert_eq!(
        ec2.instances,
        Observed::Unknown("not in the aws-cli dump: Reservations".into())
    );
    assert_eq!(
        ec2.route_tables,
        Observed::Unknown("not in the aws-cli dump: RouteTables".into())
    );
    assert_eq!(
        ec2.network_interfaces,
        Observed::Unknown("not in the aws-cli dump: NetworkInterfaces".into())
    );
    assert_eq!(
        ec2.ebs_encryption_by_default,
        Observed::Unknown("not in the aws-cli dump: EbsEncryptionByDefault".into())
    );
    assert_eq!(
        r.elb,
        Observed::Unknown("not in the aws-cli dump: LoadBalancerDescriptions".into())
    );
    assert!(matches!(r.elbv2, Observed::Unknown(_)));
    assert!(matches!(r.rds, Observed::Unknown(_)));
    assert!(matches!(inv.accounts[0].iam, Observed::Unknown(_)));
    // Reachability cannot say "not reachable" about what was not read.
    let ex = internet_exposure(&inv);
    assert!(
        !ex.is_empty()
            && ex
                .iter()
                .all(|e| matches!(e.status, Status::Unknown { .. })),
        "{ex:?}"
    );

    // An empty listing is "read, and none".
    write(
        dir.path(),
        "us-east-1/instances.json",
        r#"{"Reservations": []}"#,
    );
    let (inv, _) = import(dir.path(), &ImportOptions::default());
    assert_eq!(
        region(&inv, "us-east-1").ec2.known().unwrap().instances,
        Observed::Known(vec![])
    );

    // Without security groups, EC2 as a whole is unknown, and the user is told.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "us-east-1/vpcs.json",
        r#"{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "123456789012", "CidrBlock": "10.0.0.0/16"}]}"#,
    );
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert_eq!(
        region(&inv, "us-east-1").ec2,
        Observed::Unknown("not in the aws-cli dump: SecurityGroups".into())
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("describe-security-groups")),
        "{warnings:?}"
    );
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "us-east-1/sg.json",
        "{\n  \"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\",,}\n  ]\n}\n",
    );
    let e = import_dir(dir.path(), &ImportOptions::default(), NOW).unwrap_err();
    assert!(matches!(e, ImportError::Json { line: 3, .. }), "{e:?}");
    let msg = e.to_string();
    assert!(msg.contains("sg.json:3:24: not valid JSON"), "{msg}");

    // Truncated file.
    write(dir.path(), "us-east-1/sg.json", "{\"SecurityGroups\": [");
    let msg = import_dir(dir.path(), &ImportOptions::default(), NOW)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("sg.json:1:") && msg.contains("EOF"), "{msg}");

    // Valid JSON of the wrong shape: the field is named.
    let wrong = SECURITY_GROUPS.replacen("\"FromPort\": 22,", "\"FromPort\": \"22\",", 1);
    write(dir.path(), "us-east-1/sg.json", &wrong);
    let e = import_dir(dir.path(), &ImportOptions::default(), NOW).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("`SecurityGroups[0].IpPermissions[0].FromPort`"),
        "{msg}"
    );
    assert!(msg.contains("sg.json:8:"), "{msg}");

    // A record without its id.
    write(
        dir.path(),
        "us-east-1/sg.json",
        r#"{"SecurityGroups": [{"GroupName": "x"}]}"#,
    );
    let msg = import_dir(dir.path(), &ImportOptions::default(), NOW)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("missing field `GroupId`"), "{msg}");
}

#[test]
fn per_region_folders() {
    let dir = tempfile::tempdir().unwrap();
    public_subnet_network(&dir.path().join("us-east-1"), "us-east-1b");
    write(
        dir.path(),
        "eu-west-1/sg.json",
        &SECURITY_GROUPS.replace("sg-0web0000000000000", "sg-0eu"),
    );
    write(dir.path(), "eu-west-1/vpcs.json", r#"{"Vpcs": []}"#);
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = inv.accounts[0]
        .regions
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["eu-west-1", "us-east-1"]);
    let eu = region(&inv, "eu-west-1").ec2.known().unwrap();
    assert_eq!(eu.security_groups[0].group_id, "sg-0eu");
    assert_eq!(eu.vpcs, Observed::Known(vec![]));
    assert!(matches!(eu.subnets, Observed::Unknown(_)));
    let us = region(&inv, "us-east-1").ec2.known().unwrap();
    assert_eq!(us.security_groups[0].group_id, "sg-0web0000000000000");
    assert_eq!(us.subnets.known().unwrap().len(), 2);
    // Each region answered on its own data.
    let ex = internet_exposure(&inv);
    assert!(ex
        .iter()
        .any(|e| e.region == "us-east-1" && matches!(e.status, Status::Known { .. })));

    // A file in a region folder naming another region's zones is read as the folder says.
    write(
        dir.path(),
        "eu-west-1/subnets.json",
        r#"{"Subnets": [{"SubnetId": "subnet-x", "VpcId": "vpc-1", "AvailabilityZone": "ap-south-1a"}]}"#,
    );
    let (_, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(
        warnings.iter().any(|w| w.message.contains("ap-south-1")),
        "{warnings:?}"
    );
}

#[test]
fn loose_files_take_their_region_from_zones_or_the_option() {
    let dir = tempfile::tempdir().unwrap();
    public_subnet_network(dir.path(), "ap-southeast-2c");
    let (inv, _) = import(dir.path(), &ImportOptions::default());
    assert_eq!(inv.accounts[0].regions[0].name, "ap-southeast-2");
    assert_eq!(inv.accounts[0].home_region, "ap-southeast-2");

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sg.json", SECURITY_GROUPS);
    let e = import_dir(dir.path(), &ImportOptions::default(), NOW).unwrap_err();
    assert!(matches!(e, ImportError::NoRegion(_)), "{e}");
    assert!(e.to_string().contains("--region"), "{e}");
    let opts = ImportOptions {
        region: Some("eu-central-1".into()),
        ..Default::default()
    };
    let (inv, _) = import(dir.path(), &opts);
    assert_eq!(inv.accounts[0].regions[0].name, "eu-central-1");

    // Zones of another region than --region: refuse rather than guess.
    write(
        dir.path(),
        "subnets.json",
        r#"{"Subnets": [{"SubnetId": "subnet-x", "VpcId": "vpc-1", "AvailabilityZone": "us-west-2a"}]}"#,
    );
    let e = import_dir(dir.path(), &opts, NOW).unwrap_err();
    assert!(matches!(e, ImportError::MixedRegions { .. }), "{e}");

    let e = import_dir(
        dir.path(),
        &ImportOptions {
            region: Some("mars".into()),
            ..Default::default()
        },
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::BadRegion(_)), "{e}");
}

#[test]
fn account_from_owner_ids_or_the_option() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "us-east-1/sg.json",
        &SECURITY_GROUPS.replace("\"OwnerId\": \"123456789012\",", ""),
    );
    let e = import_dir(dir.path(), &ImportOptions::default(), NOW).unwrap_err();
    assert!(matches!(e, ImportError::NoAccount), "{e}");
    let opts = ImportOptions {
        account: Some("210987654321".into()),
        ..Default::default()
    };
    assert_eq!(import(dir.path(), &opts).0.accounts[0].id, "210987654321");
    let e = import_dir(
        dir.path(),
        &ImportOptions {
            account: Some("12".into()),
            ..Default::default()
        },
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::BadAccount(_)), "{e}");

    // A shared VPC belongs to another account; the security groups say whose dump it is.
    write(dir.path(), "us-east-1/sg.json", SECURITY_GROUPS);
    write(
        dir.path(),
        "us-east-1/vpcs.json",
        r#"{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "999999999999", "CidrBlock": "10.0.0.0/16"}]}"#,
    );
    assert_eq!(
        import(dir.path(), &ImportOptions::default()).0.accounts[0].id,
        ACCOUNT
    );

    write(
        dir.path(),
        "us-east-1/sg2.json",
        &SECURITY_GROUPS
            .replace("sg-0web0000000000000", "sg-2")
            .replace("123456789012", "888888888888"),
    );
    let e = import_dir(dir.path(), &ImportOptions::default(), NOW).unwrap_err();
    assert!(
        matches!(&e, ImportError::SeveralAccounts(ids) if ids.len() == 2),
        "{e}"
    );
}

#[test]
fn pages_and_repeated_files_merge() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "us-east-1/sg-page1.json", SECURITY_GROUPS);
    write(
        dir.path(),
        "us-east-1/sg-page2.json",
        &SECURITY_GROUPS.replace("sg-0web0000000000000", "sg-0two"),
    );
    // The first page saved twice, once with a NextToken (a `--max-items` run).
    write(
        dir.path(),
        "us-east-1/sg-copy.json",
        &SECURITY_GROUPS.replacen('{', r#"{"NextToken": "eyJ9", "#, 1),
    );
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    let ids: Vec<&str> = region(&inv, "us-east-1")
        .ec2
        .known()
        .unwrap()
        .security_groups
        .iter()
        .map(|g| g.group_id.as_str())
        .collect();
    assert_eq!(ids, ["sg-0web0000000000000", "sg-0two"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains("NextToken")
            && warnings[0].to_string().contains("sg-copy.json"),
        "{warnings:?}"
    );

    // The same id with different content is reported.
    write(
        dir.path(),
        "us-east-1/sg-copy.json",
        &SECURITY_GROUPS.replace("web servers", "changed"),
    );
    let (_, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("more than once")),
        "{warnings:?}"
    );
}

#[test]
fn unknown_keys_and_unusable_files_are_skipped_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "us-east-1/sg.json", SECURITY_GROUPS);
    write(
        dir.path(),
        "us-east-1/tgw.json",
        r#"{"TransitGatewayConnects": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]}"#,
    );
    write(dir.path(), "us-east-1/db.json", r#"{"DBInstances": []}"#);
    write(dir.path(), "us-east-1/denied.json", "");
    write(dir.path(), "us-east-1/query.json", r#"["sg-1", "sg-2"]"#);
    write(dir.path(), "us-east-1/notes.txt", "not json at all");
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(region(&inv, "us-east-1").ec2.known().is_some());
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 4, "{text:?}");
    assert!(
        text.iter()
            .any(|w| w.contains("db.json") && w.contains("`DBInstances` is not imported")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("tgw.json") && w.contains("`TransitGatewayConnects` is not imported")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("denied.json") && w.contains("empty")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("query.json") && w.contains("--query")),
        "{text:?}"
    );

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        import_dir(empty.path(), &ImportOptions::default(), NOW),
        Err(ImportError::NoJsonFiles(_))
    ));
    let file = dir.path().join("us-east-1/sg.json");
    assert!(matches!(
        import_dir(&file, &ImportOptions::default(), NOW),
        Err(ImportError::NotADirectory(_))
    ));
}

#[test]
fn load_balancers_with_listeners_and_target_health() {
    let dir = tempfile::tempdir().unwrap();
    let lb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
    let tg_arn =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
    write(dir.path(), "sg.json", SECURITY_GROUPS);
    write(
        dir.path(),
        "elbv2/load-balancers.json",
        &format!(
            r#"{{"LoadBalancers": [{{"LoadBalancerArn": "{lb_arn}", "DNSName": "web-alb-1.us-east-1.elb.amazonaws.com",
            "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K", "CreatedTime": "2024-01-01T00:00:00.000Z", "LoadBalancerName": "web-alb",
            "Scheme": "internet-facing", "VpcId": "vpc-0a1b2c3d4e5f60001", "State": {{"Code": "active"}}, "Type": "application",
            "AvailabilityZones": [{{"ZoneName": "us-east-1a", "SubnetId": "subnet-0pub", "LoadBalancerAddresses": []}}],
            "SecurityGroups": ["sg-0lb00000000000000"], "IpAddressType": "ipv4"}}]}}"#
        ),
    );
    write(
        dir.path(),
        "elbv2/target-groups.json",
        &format!(
            r#"{{"TargetGroups": [{{"TargetGroupArn": "{tg_arn}", "TargetGroupName": "web", "Protocol": "HTTP", "Port": 80,
            "VpcId": "vpc-0a1b2c3d4e5f60001", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckEnabled": true,
            "LoadBalancerArns": ["{lb_arn}"], "TargetType": "instance", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"}}]}}"#
        ),
    );
    write(
        dir.path(),
        "elbv2/listeners-web-alb.json",
        &format!(
            r#"{{"Listeners": [
            {{"ListenerArn": "{lb_arn}/l1", "LoadBalancerArn": "{lb_arn}", "Port": 80, "Protocol": "HTTP",
              "DefaultActions": [{{"Type": "redirect", "Order": 1, "RedirectConfig": {{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}}}]}},
            {{"ListenerArn": "{lb_arn}/l2", "LoadBalancerArn": "{lb_arn}", "Port": 443, "Protocol": "HTTPS",
              "Certificates": [{{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}}], "SslPolicy": "ELBSecurityPolicy-2016-08",
              "DefaultActions": [{{"Type": "forward", "TargetGroupArn": "{tg_arn}",
                                    "ForwardConfig": {{"TargetGroups": [{{"TargetGroupArn": "{tg_arn}", "Weight": 1}}]}}}}]}}]}}"#
        ),
    );
    write(
        dir.path(),
        "elbv2/target-health-web.json",
        r#"{"TargetHealthDescriptions": [{"Target": {"Id": "i-0pub", "Port": 80}, "HealthCheckPort": "80",
            "TargetHealth": {"State": "healthy"}}]}"#,
    );
    write(
        dir.path(),
        "elb/classic.json",
        r#"{"LoadBalancerDescriptions": [{"Subnets": ["subnet-0pub"], "CanonicalHostedZoneNameID": "Z3DZXE0EXAMPLE",
        "CanonicalHostedZoneName": "old-1.us-east-1.elb.amazonaws.com", "DNSName": "old-1.us-east-1.elb.amazonaws.com",
        "ListenerDescriptions": [{"Listener": {"InstancePort": 80, "LoadBalancerPort": 80, "Protocol": "HTTP", "InstanceProtocol": "HTTP"}, "PolicyNames": []},
            {"Listener": {"InstancePort": 443, "SSLCertificateId": "arn:aws:iam::123456789012:server-certificate/c", "LoadBalancerPort": 443,
                          "Protocol": "HTTPS", "InstanceProtocol": "HTTPS"}, "PolicyNames": ["ELBSecurityPolicy-2015-03"]}],
        "VPCId": "vpc-0a1b2c3d4e5f60001", "Instances": [{"InstanceId": "i-0pub"}], "Policies": {"OtherPolicies": []},
        "AvailabilityZones": ["us-east-1a"], "SecurityGroups": ["sg-0lb00000000000000"], "LoadBalancerName": "old", "Scheme": "internet-facing"}]}"#,
    );
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let r = region(&inv, "us-east-1");
    let v2 = r.elbv2.known().unwrap();
    let lb = &v2.load_balancers[0];
    assert_eq!(
        (lb.kind.as_str(), lb.subnet_ids.as_slice()),
        ("application", ["subnet-0pub".to_string()].as_slice())
    );
    let ls = lb.listeners.known().expect("listeners known");
    assert!(ls[0].redirect_to_https && ls[0].default_target_group_arns.is_empty());
    assert_eq!(ls[1].default_target_group_arns, [tg_arn]);
    let targets = v2.target_groups[0].targets.known().expect("targets known");
    assert_eq!(
        (
            targets[0].id.as_str(),
            targets[0].port,
            targets[0].health.as_str()
        ),
        ("i-0pub", Some(80), "healthy")
    );
    let classic = &r.elb.known().unwrap()[0];
    assert_eq!(classic.vpc_id.as_deref(), Some("vpc-0a1b2c3d4e5f60001"));
    assert_eq!(
        classic.listeners[1].ssl_certificate_id.as_deref(),
        Some("arn:aws:iam::123456789012:server-certificate/c")
    );
    assert_eq!(classic.instance_ids, ["i-0pub"]);
    assert!(matches!(classic.policies, Observed::Unknown(_)));

    // Target health that names no target group is skipped, not guessed.
    write(
        dir.path(),
        "elbv2/health.json",
        r#"{"TargetHealthDescriptions": []}"#,
    );
    let (_, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("target-health-NAME")),
        "{warnings:?}"
    );
}

#[test]
fn prefix_list_entries_attach_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "us-east-1/sg.json", SECURITY_GROUPS);
    write(
        dir.path(),
        "us-east-1/prefix-lists.json",
        r#"{"PrefixLists": [
        {"PrefixListId": "pl-0123abcd", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListName": "office", "OwnerId": "123456789012", "MaxEntries": 5, "Version": 1},
        {"PrefixListId": "pl-63a5400a", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListName": "com.amazonaws.us-east-1.s3", "OwnerId": "AWS"}]}"#,
    );
    write(
        dir.path(),
        "us-east-1/entries-pl-0123abcd.json",
        r#"{"Entries": [{"Cidr": "203.0.113.0/24", "Description": "hq"}, {"Cidr": "198.51.100.0/24"}]}"#,
    );
    let (inv, warnings) = import(dir.path(), &ImportOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let pls = region(&inv, "us-east-1")
        .ec2
        .known()
        .unwrap()
        .managed_prefix_lists
        .known()
        .unwrap()
        .clone();
    assert_eq!(
        pls[0].entries,
        Observed::Known(vec!["203.0.113.0/24".into(), "198.51.100.0/24".into()])
    );
    assert!(matches!(&pls[1].entries, Observed::Unknown(r) if r.contains("pl-63a5400a")));
}

#[test]
fn windows_powershell_utf16_output_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(
        SECURITY_GROUPS
            .replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::create_dir_all(dir.path().join("us-east-1")).unwrap();
    std::fs::write(dir.path().join("us-east-1/sg.json"), bytes).unwrap();
    let (inv, _) = import(dir.path(), &ImportOptions::default());
    assert_eq!(
        region(&inv, "us-east-1")
            .ec2
            .known()
            .unwrap()
            .security_groups
            .len(),
        1
    );
}

#[test]
fn parse_file_reports_keys() {
    let p = parse_file(br#"{"Vpcs": [], "Subnets": [], "Foo": 1}"#).unwrap();
    assert_eq!(p.keys(), ["Vpcs", "Subnets"]);
    assert_eq!(p.unknown_keys(), ["Foo"]);
    assert!(parse_file(b"  ").unwrap().skipped().is_some());
    assert!(parse_file(b"{} trailing").is_err());
    assert!(parse_file(&[0xff, 0xfe, 0x00]).is_err());
}
