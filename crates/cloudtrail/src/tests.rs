use crate::key::{day_prefix, region_prefix};
use crate::*;
use serde_json::json;
use std::io::Write;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A record as CloudTrail writes one for `AuthorizeSecurityGroupIngress` (the shape of AWS's
/// documented examples).
fn authorize(group: &str) -> serde_json::Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::111122223333:user/alice",
                         "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLE", "userName": "alice"},
        "eventTime": "2026-12-07T18:01:02Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "AuthorizeSecurityGroupIngress",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"groupId": group, "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
            "groups": {}, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}},
        "responseElements": {"requestId": "5b1c", "_return": true},
        "requestID": "5b1c",
        "eventID": "0d5a3c44-1111-2222-3333-444455556666",
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    })
}

#[test]
fn keys_of_account_and_organisation_trails() {
    let k =
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07/111122223333_CloudTrail_us-east-1_20261207T1805Z_abcdEFGH12345678.json.gz";
    let KeyKind::Log(l) = parse_key(k) else { panic!("{k}") };
    assert_eq!((l.account.as_str(), l.region.as_str(), l.org_id.as_deref(), l.prefix.as_str()), ("111122223333", "us-east-1", None, ""));
    assert_eq!(l.date, time::macros::date!(2026 - 12 - 07));
    assert_eq!(l.region_prefix(), "AWSLogs/111122223333/CloudTrail/us-east-1/");
    assert!(k.starts_with(&day_prefix(&l.region_prefix(), l.date)));

    let org = "trails/main/AWSLogs/o-exampleorgid/444455556666/CloudTrail/eu-west-1/2026/01/31/444455556666_CloudTrail_eu-west-1_20260131T0000Z_x.json.gz";
    let KeyKind::Log(l) = parse_key(org) else { panic!("{org}") };
    assert_eq!((l.prefix.as_str(), l.org_id.as_deref(), l.account.as_str()), ("trails/main", Some("o-exampleorgid"), "444455556666"));
    assert_eq!(l.region_prefix(), "trails/main/AWSLogs/o-exampleorgid/444455556666/CloudTrail/eu-west-1/");
    assert_eq!(region_prefix("trails/main/", Some("o-exampleorgid"), "444455556666", "eu-west-1"), l.region_prefix());
    // A prefix that itself says AWSLogs.
    let KeyKind::Log(l) = parse_key("AWSLogs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07/f.json.gz") else { panic!() };
    assert_eq!(l.prefix, "AWSLogs");

    assert_eq!(parse_key("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/07/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261207T1805Z.json.gz"), KeyKind::Digest);
    assert_eq!(parse_key("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/12/07/f.json.gz"), KeyKind::Insight);
    for other in [
        "AWSLogs/111122223333/CloudTrail/",
        "AWSLogs/1111/CloudTrail/us-east-1/2026/12/07/f.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/07/f.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/07/notes.txt",
        "AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/12/07/f.log.gz",
        "",
    ] {
        assert_eq!(parse_key(other), KeyKind::Other, "{other}");
    }
}

#[test]
fn a_log_file_reads_gzip_or_plain_and_counts_malformed_records() {
    let doc = json!({"Records": [authorize("sg-0abc"), 7, {"eventSource": "ec2.amazonaws.com"},
        {"eventSource": "s3.amazonaws.com", "eventName": "PutBucketPolicy", "awsRegion": "us-east-1", "eventTime": "yesterday"}]});
    let bytes = serde_json::to_vec(&doc).unwrap();
    for input in [gz(&bytes), bytes.clone()] {
        let log = parse_log("f.json.gz", &input).unwrap();
        assert_eq!(log.events.len(), 1);
        let e = &log.events[0];
        assert_eq!(
            (e.service(), e.name.as_str(), e.account.as_str(), e.region.as_str()),
            ("ec2", "AuthorizeSecurityGroupIngress", "111122223333", "us-east-1")
        );
        assert_eq!(e.id, "0d5a3c44-1111-2222-3333-444455556666");
        assert_eq!(e.read_only, Some(false));
        assert_eq!(e.request["groupId"], "sg-0abc");
        assert_eq!(e.additional, serde_json::Value::Null);
        let at: Vec<(usize, &str)> = log.malformed.iter().map(|m| (m.index, m.message.as_str())).collect();
        assert_eq!(at.len(), 3, "{at:?}");
        assert_eq!(at[0], (1, "a record is a JSON object, not a number"));
        assert_eq!(at[1], (2, "no `eventName`"));
        assert_eq!(at[2].0, 3);
        assert!(at[2].1.starts_with("`eventTime` `yesterday` is not an RFC 3339 time"), "{}", at[2].1);
        assert!(log.malformed.iter().all(|m| m.file == "f.json.gz"));
    }
    // `additionalEventData` is kept (a sign-in's `MFAUsed`).
    let mut login = authorize("sg-0abc");
    login["additionalEventData"] = json!({"MFAUsed": "No"});
    let log = parse_log("l.json", &serde_json::to_vec(&json!({"Records": [login]})).unwrap()).unwrap();
    assert_eq!(log.events[0].additional["MFAUsed"], "No");
    // Concatenated gzip members are one stream.
    let mut two = gz(br#"{"Records": ["#);
    two.extend(gz(br#"]}"#));
    assert_eq!(parse_log("two", &two).unwrap(), LogFile::default());
}

#[test]
fn files_that_are_not_logs_are_errors_of_that_file() {
    assert!(matches!(parse_log("a", b"\x1f\x8bnot gzip"), Err(FileError::Gzip { .. })));
    assert!(matches!(parse_log("a", b"<html>"), Err(FileError::NotJson { .. })));
    assert!(matches!(parse_log("a", br#"{"CloudTrailEvent": 1}"#), Err(FileError::NoRecords { .. })));
    // Inflation is bounded: a small file that inflates past the bound is refused, not read.
    let bomb = gz(&vec![b' '; 1 << 20]);
    assert!(bomb.len() < 4096);
    let e = parse_log_with_limit("bomb.json.gz", &bomb, 64 * 1024).unwrap_err();
    assert_eq!(e, FileError::TooLarge { file: "bomb.json.gz".into(), limit: 64 * 1024 });
    assert!(e.to_string().contains("not a CloudTrail log file"));
    assert!(matches!(parse_log_with_limit("big", &vec![b' '; 100], 10), Err(FileError::TooLarge { .. })));
}

fn event_of(v: serde_json::Value) -> Event {
    log::event(&v).unwrap()
}

#[test]
fn security_group_writes_name_their_group() {
    let sg = |id: &str| Piece::SecurityGroup { account: "111122223333".into(), region: "us-east-1".into(), group_id: id.into() };
    assert_eq!(classify(&event_of(authorize("sg-0abc"))), Change::Pieces(vec![sg("sg-0abc")]));
    for name in ["RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "AuthorizeSecurityGroupEgress", "DeleteSecurityGroup"] {
        let mut r = authorize("sg-1");
        r["eventName"] = json!(name);
        assert_eq!(classify(&event_of(r)), Change::Pieces(vec![sg("sg-1")]), "{name}");
    }
    let mut create = authorize("x");
    create["eventName"] = json!("CreateSecurityGroup");
    create["requestParameters"] = json!({"groupName": "web", "groupDescription": "d", "vpcId": "vpc-1"});
    create["responseElements"] = json!({"_return": true, "groupId": "sg-new"});
    assert_eq!(classify(&event_of(create)), Change::Pieces(vec![sg("sg-new")]));
    let mut modify = authorize("x");
    modify["eventName"] = json!("ModifySecurityGroupRules");
    modify["requestParameters"] = json!({"ModifySecurityGroupRulesRequest": {"GroupId": "sg-mod", "SecurityGroupRule": {"tag": 1}}});
    assert_eq!(classify(&event_of(modify)), Change::Pieces(vec![sg("sg-mod")]));
    let mut by_name = authorize("x");
    by_name["eventName"] = json!("DeleteSecurityGroup");
    by_name["requestParameters"] = json!({"groupName": "legacy"});
    assert!(matches!(classify(&event_of(by_name)), Change::Unmapped(_)));
    let mut tags = authorize("x");
    tags["eventName"] = json!("CreateTags");
    tags["requestParameters"] = json!({"resourcesSet": {"items": [{"resourceId": "sg-2"}, {"resourceId": "i-1"}, {"resourceId": "sg-2"}]}});
    assert_eq!(classify(&event_of(tags)), Change::Pieces(vec![sg("sg-2")]));
}

#[test]
fn reads_failures_and_data_events_are_not_changes() {
    let mut failed = authorize("sg-1");
    failed["errorCode"] = json!("Client.UnauthorizedOperation");
    assert_eq!(classify(&event_of(failed)), Change::None("failed"));
    let mut read = authorize("sg-1");
    read["eventName"] = json!("DescribeSecurityGroups");
    read["readOnly"] = json!(true);
    assert_eq!(classify(&event_of(read.clone())), Change::None("read"));
    // No readOnly field: the operation's name decides.
    read.as_object_mut().unwrap().remove("readOnly");
    assert_eq!(classify(&event_of(read)), Change::None("read"));
    let mut data = authorize("x");
    data["eventSource"] = json!("s3.amazonaws.com");
    data["eventName"] = json!("PutObject");
    data["managementEvent"] = json!(false);
    assert_eq!(classify(&event_of(data.clone())), Change::None("data event"));
    data.as_object_mut().unwrap().remove("managementEvent");
    assert_eq!(classify(&event_of(data)), Change::None("data event"));
    let mut console = authorize("x");
    console["eventType"] = json!("AwsConsoleSignIn");
    assert_eq!(classify(&event_of(console)), Change::None("not an API call"));
    let mut iam = authorize("x");
    iam["eventSource"] = json!("iam.amazonaws.com");
    iam["eventName"] = json!("CreateUser");
    assert_eq!(classify(&event_of(iam)), Change::Unmapped("service not mapped"));
}

#[test]
fn bucket_writes_name_their_bucket() {
    for name in [
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "PutBucketAcl",
        "PutBucketPublicAccessBlock",
        "DeleteBucket",
        "CreateBucket",
        "PutBucketEncryption",
    ] {
        let mut r = authorize("x");
        r["eventSource"] = json!("s3.amazonaws.com");
        r["eventName"] = json!(name);
        r["requestParameters"] = json!({"bucketName": "logs-1", "Host": "logs-1.s3.amazonaws.com"});
        assert_eq!(
            classify(&event_of(r)),
            Change::Pieces(vec![Piece::Bucket { account: "111122223333".into(), name: "logs-1".into() }]),
            "{name}"
        );
    }
    let mut r = authorize("x");
    r["eventSource"] = json!("s3.amazonaws.com");
    r["eventName"] = json!("PutBucketPolicy");
    r["requestParameters"] = json!({});
    assert!(matches!(classify(&event_of(r)), Change::Unmapped(_)));
}
