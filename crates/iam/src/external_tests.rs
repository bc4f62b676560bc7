use super::*;
use crate::{Organization, PrincipalInfo, PrincipalKind};

const OWN: &str = "111111111111";
const SISTER: &str = "222222222222";
const STRANGER: &str = "999999999999";

fn pol(name: &str, statements: &str) -> NamedPolicy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    NamedPolicy { name: name.into(), document: rampart_policy::parse(&text).unwrap() }
}

fn res(kind: &str, arn: &str, policies: Vec<NamedPolicy>) -> ResourceInfo {
    ResourceInfo {
        arn: arn.into(),
        account: OWN.into(),
        region: Some("us-east-1".into()),
        kind: kind.into(),
        policies,
        ..ResourceInfo::default()
    }
}

fn queue(statement: &str) -> ResourceInfo {
    res("AWS::SQS::Queue", "arn:aws:sqs:us-east-1:111111111111:q", vec![pol("queue policy", statement)])
}

fn org() -> Organization {
    let mut o = Organization { id: "o-own".into(), management_account: OWN.into(), ..Organization::default() };
    o.accounts.insert(OWN.into());
    o.accounts.insert(SISTER.into());
    o
}

fn estate(resources: Vec<ResourceInfo>) -> Estate {
    Estate { resources, organization: Some(org()), ..Estate::default() }
}

fn run(estate: &Estate, zone: Zone) -> Vec<ExternalAccess> {
    analyze(estate, &ZoneOfTrust::new(zone)).unwrap()
}

fn external(estate: &Estate, zone: Zone) -> Vec<ExternalAccess> {
    run(estate, zone).into_iter().filter(ExternalAccess::is_external).collect()
}

/// (principal key, actions) of each external grant.
fn who(estate: &Estate, zone: Zone) -> Vec<(String, Vec<String>)> {
    external(estate, zone).into_iter().map(|a| (a.principal.key(), a.actions)).collect()
}

#[test]
fn public_and_cross_account_statements() {
    let e = estate(vec![queue(
        r#"{"Sid":"pub","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},
           {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999999999999:root","arn:aws:iam::111111111111:root"]},"Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"*"},
           {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::888888888888:role/reader"},"Action":"sqs:ReceiveMessage","Resource":"*"}"#,
    )]);
    let got = external(&e, Zone::Account);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0].principal, Outside::Public);
    assert_eq!(got[0].actions, vec!["sqs:SendMessage"]);
    assert_eq!(got[0].severity(), Severity::Critical);
    assert_eq!(got[0].source.key(), "queue policy#pub");
    assert_eq!(got[1].principal, Outside::Account(STRANGER.into()));
    assert_eq!(got[1].actions, vec!["sqs:ReceiveMessage", "sqs:DeleteMessage"]);
    assert_eq!(got[1].severity(), Severity::High);
    assert_eq!(
        got[2].principal,
        Outside::Principal { arn: "arn:aws:iam::888888888888:role/reader".into(), account: Some("888888888888".into()) }
    );
    assert_eq!(got[2].severity(), Severity::Medium);
}

#[test]
fn the_zone_decides_what_is_outside() {
    let e = estate(vec![queue(r#"{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sqs:*","Resource":"*"}"#)]);
    assert_eq!(who(&e, Zone::Account), vec![("account:222222222222".to_string(), vec!["sqs:*".to_string()])]);
    assert!(who(&e, Zone::Organization).is_empty(), "a sister account is inside the organisation");
    let no_org = Estate { organization: None, ..e };
    assert_eq!(analyze(&no_org, &ZoneOfTrust::new(Zone::Organization)), Err(ZoneError::NoOrganization));
}

#[test]
fn conditions_that_pin_the_zone_make_a_grant_internal() {
    let pinned = |cond: &str| {
        queue(&format!(r#"{{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{cond}}}"#))
    };
    // (condition, external under the account zone, external under the organisation zone)
    let table: &[(&str, &str, bool, bool)] = &[
        ("org id", r#"{"StringEquals":{"aws:PrincipalOrgID":"o-own"}}"#, true, false),
        ("org paths", r#"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-own/r-1/ou-2/*"}}"#, true, false),
        ("another org", r#"{"StringEquals":{"aws:PrincipalOrgID":"o-other"}}"#, true, true),
        ("source account own", r#"{"StringEquals":{"aws:SourceAccount":"111111111111"}}"#, false, false),
        ("source account sister", r#"{"StringEquals":{"aws:SourceAccount":"222222222222"}}"#, true, false),
        ("source owner (SNS's default)", r#"{"StringEquals":{"AWS:SourceOwner":"111111111111"}}"#, false, false),
        ("source arn own", r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111111111111:t"}}"#, false, false),
        ("source arn wildcard account", r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:*:t"}}"#, true, true),
        ("principal arn own", r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/r"}}"#, false, false),
        ("IfExists never pins", r#"{"StringEqualsIfExists":{"aws:SourceAccount":"111111111111"}}"#, true, true),
        ("negation never pins", r#"{"StringNotEquals":{"aws:SourceAccount":"999999999999"}}"#, true, true),
        ("source ip limits but stays external", r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, true, true),
        ("vpce of the estate", r#"{"StringEquals":{"aws:SourceVpce":"vpce-own"}}"#, false, false),
        ("vpce of a sister account", r#"{"StringEquals":{"aws:SourceVpce":"vpce-sister"}}"#, true, false),
        ("vpce unknown", r#"{"StringEquals":{"aws:SourceVpce":"vpce-unknown"}}"#, true, true),
        ("vpc of the estate", r#"{"StringEquals":{"aws:SourceVpc":"vpc-own"}}"#, false, false),
        (
            "one pinning condition among others",
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"},"StringEquals":{"aws:PrincipalAccount":"111111111111"}}"#,
            false,
            false,
        ),
    ];
    let mut trust_account = ZoneOfTrust::new(Zone::Account);
    for (id, owner) in [("vpce-own", OWN), ("vpc-own", OWN), ("vpce-sister", SISTER)] {
        trust_account.networks.insert(id.into(), owner.into());
    }
    let mut trust_org = trust_account.clone();
    trust_org.zone = Zone::Organization;
    for (name, cond, ext_account, ext_org) in table {
        let e = estate(vec![pinned(cond)]);
        let a = analyze(&e, &trust_account).unwrap();
        let o = analyze(&e, &trust_org).unwrap();
        assert_eq!(a.len(), 1, "{name}: {a:#?}");
        assert_eq!(a[0].is_external(), *ext_account, "{name} (account zone): {:?}", a[0]);
        assert_eq!(o[0].is_external(), *ext_org, "{name} (organisation zone): {:?}", o[0]);
        if !a[0].is_external() {
            assert!(matches!(&a[0].verdict, Verdict::Internal(why) if why.contains("pinned")), "{name}");
        }
    }
}

#[test]
fn conditions_narrow_everyone_to_who_they_name() {
    let e = estate(vec![queue(
        r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}},
           {"Effect":"Allow","Principal":"*","Action":"sqs:ReceiveMessage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-other"}}},
           {"Effect":"Allow","Principal":"*","Action":"sqs:GetQueueUrl","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
           {"Effect":"Allow","Principal":"*","Action":"sqs:GetQueueAttributes","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"sqs:MessageGroupId":"x"}}}"#,
    )]);
    let got = external(&e, Zone::Account);
    let principals: Vec<&Outside> = got.iter().map(|a| &a.principal).collect();
    assert_eq!(
        principals,
        vec![&Outside::Account(STRANGER.into()), &Outside::Organization("o-other".into()), &Outside::Conditional, &Outside::Public]
    );
    assert_eq!(got[2].severity(), Severity::Low, "limited by the source IP: not public");
    assert_eq!(got[3].unsupported, vec!["sqs:MessageGroupId"], "an unknown key is listed and the grant kept");
    assert_eq!(got[3].conditions.len(), 2);
}

#[test]
fn denies_take_grants_back() {
    let e = estate(vec![queue(
        r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},
           {"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sqs:ReceiveMessage","Resource":"*"},
           {"Effect":"Allow","Principal":{"AWS":"888888888888"},"Action":"sqs:ReceiveMessage","Resource":"*"},
           {"Sid":"guard","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-own"}}},
           {"Effect":"Deny","Principal":{"AWS":"888888888888"},"Action":"sqs:Receive*","Resource":"*"}"#,
    )]);
    // Under the organisation zone the guard denies everyone outside the organisation.
    assert!(who(&e, Zone::Organization).is_empty(), "{:#?}", external(&e, Zone::Organization));
    let all = run(&e, Zone::Organization);
    assert!(all.iter().all(|a| matches!(&a.verdict, Verdict::Internal(w) if w.contains("Deny"))), "{all:#?}");
    // Under the account zone the guard's exemption (the organisation) is not the zone: only
    // the explicit deny of 888888888888 takes a grant back; the grant to everyone is no longer
    // public (S3's definition weighs the guard) but still reaches the other accounts.
    assert_eq!(
        who(&e, Zone::Account).into_iter().map(|(p, _)| p).collect::<Vec<_>>(),
        vec!["conditional".to_string(), "account:999999999999".to_string()]
    );
}

#[test]
fn a_narrower_deny_leaves_the_grant() {
    let e = estate(vec![queue(
        r#"{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"},
           {"Effect":"Deny","Principal":"*","Action":"sqs:DeleteQueue","Resource":"*"}"#,
    )]);
    assert_eq!(who(&e, Zone::Account).len(), 1);
}

#[test]
fn role_trust_policies() {
    let role = |name: &str, trust: &str| PrincipalInfo {
        arn: format!("arn:aws:iam::{OWN}:role/{name}"),
        account: OWN.into(),
        kind: PrincipalKind::Role,
        name: name.into(),
        id: None,
        identity: Vec::new(),
        boundary: None,
        trust: Some(pol("trust policy", trust)),
        tags: BTreeMap::new(),
        service_linked: false,
        instances: Vec::new(),
    };
    let e = Estate {
        principals: vec![
            role("cross", r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}"#),
            role("ec2", r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#),
            role("own", r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}"#),
            role(
                "sso",
                r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML"}"#,
            ),
            role(
                "github",
                r#"{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}"#,
            ),
            role(
                "external-id",
                r#"{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}"#,
            ),
        ],
        organization: Some(org()),
        ..Estate::default()
    };
    let got = external(&e, Zone::Account);
    let seen: Vec<(&str, String)> = got.iter().map(|a| (a.resource.rsplit('/').next().unwrap(), a.principal.key())).collect();
    assert_eq!(
        seen,
        vec![
            ("cross", "account:999999999999".to_string()),
            ("external-id", "account:999999999999".to_string()),
            ("github", "federated:accounts.google.com".to_string()),
        ]
    );
    assert!(got.iter().all(|a| a.kind == "AWS::IAM::Role" && a.access() == AccessClass::Full));
    assert_eq!(got[1].unsupported, vec!["sts:ExternalId"]);
    assert_eq!(got[2].severity(), Severity::Critical, "any Google identity may assume it");
}

#[test]
fn services_with_and_without_source_conditions() {
    let e = estate(vec![res(
        "AWS::SNS::Topic",
        "arn:aws:sns:us-east-1:111111111111:t",
        vec![pol(
            "topic policy",
            r#"{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"},
               {"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sns:Publish","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}"#,
        )],
    )]);
    let got = external(&e, Zone::Account);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].principal, Outside::Service("events.amazonaws.com".into()));
    assert_eq!(got[0].severity(), Severity::Low);
}

#[test]
fn kms_caller_account_pins_a_key_policy() {
    let key = res(
        "AWS::KMS::Key",
        "arn:aws:kms:us-east-1:111111111111:key/k",
        vec![pol(
            "key policy",
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111111111111","kms:ViaService":"ec2.us-east-1.amazonaws.com"}}}"#,
        )],
    );
    assert!(who(&estate(vec![key]), Zone::Account).is_empty());
}

#[test]
fn grants_outside_policies() {
    let mut snap = res("AWS::EC2::Snapshot", "arn:aws:ec2:us-east-1:111111111111:snapshot/snap-1", Vec::new());
    let share = |grantee: &str| Grant {
        grantee: grantee.into(),
        actions: vec!["ec2:CreateVolume".into()],
        source: "snapshot attribute createVolumePermission".into(),
    };
    snap.grants = vec![share("all"), share(STRANGER), share(SISTER), share(OWN)];
    let mut ami = res("AWS::EC2::Image", "arn:aws:ec2:us-east-1::image/ami-1", Vec::new());
    ami.grants = vec![Grant {
        grantee: "arn:aws:organizations::111111111111:organization/o-own".into(),
        actions: vec!["ec2:RunInstances".into()],
        source: "image attribute launchPermission".into(),
    }];
    let mut key = res("AWS::KMS::Key", "arn:aws:kms:us-east-1:111111111111:key/k", Vec::new());
    key.grants = vec![Grant {
        grantee: "arn:aws:iam::999999999999:role/app".into(),
        actions: vec!["kms:Decrypt".into()],
        source: "KMS grant g-1".into(),
    }];
    let mut bucket = res("AWS::S3::Bucket", "arn:aws:s3:::b", Vec::new());
    bucket.grants = vec![
        Grant {
            grantee: "http://acs.amazonaws.com/groups/global/AllUsers".into(),
            actions: vec!["s3:GetObject".into()],
            source: "ACL READ".into(),
        },
        Grant {
            grantee: "http://acs.amazonaws.com/groups/s3/LogDelivery".into(),
            actions: vec!["s3:PutObject".into()],
            source: "ACL WRITE".into(),
        },
    ];
    let e = estate(vec![snap, ami, key, bucket]);
    let account: Vec<(String, String)> = external(&e, Zone::Account).into_iter().map(|a| (a.resource, a.principal.key())).collect();
    assert_eq!(
        account,
        vec![
            ("arn:aws:ec2:us-east-1:111111111111:snapshot/snap-1".to_string(), "public".to_string()),
            ("arn:aws:ec2:us-east-1:111111111111:snapshot/snap-1".to_string(), "account:222222222222".to_string()),
            ("arn:aws:ec2:us-east-1:111111111111:snapshot/snap-1".to_string(), "account:999999999999".to_string()),
            ("arn:aws:ec2:us-east-1::image/ami-1".to_string(), "organization:o-own".to_string()),
            ("arn:aws:kms:us-east-1:111111111111:key/k".to_string(), "arn:aws:iam::999999999999:role/app".to_string()),
            ("arn:aws:s3:::b".to_string(), "public".to_string()),
        ]
    );
    let org: Vec<String> = external(&e, Zone::Organization).into_iter().map(|a| a.principal.key()).collect();
    assert_eq!(org, vec!["public", "account:999999999999", "arn:aws:iam::999999999999:role/app", "public"]);
}

#[test]
fn a_bucket_public_through_an_access_point() {
    let delegate = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111111111111"}}}"#;
    let ap_public = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:111111111111:accesspoint/ap/object/*"}"#;
    let bucket = |policies: Vec<NamedPolicy>| estate(vec![res("AWS::S3::Bucket", "arn:aws:s3:::b", policies)]);
    // Delegated and public through the access point.
    let e = bucket(vec![pol("bucket policy", delegate), pol(&access_point_policy_name("ap", None), ap_public)]);
    let got = external(&e, Zone::Account);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].principal, Outside::Public);
    assert_eq!(got[0].actions, vec!["s3:GetObject"]);
    assert_eq!(got[0].source.key(), "accesspoint/ap#0");
    // Without the delegation the bucket policy refuses what the access point allows.
    let e = bucket(vec![pol(&access_point_policy_name("ap", None), ap_public)]);
    assert!(external(&e, Zone::Account).is_empty());
    // An access point reachable only from a VPC of the zone.
    let e = bucket(vec![pol("bucket policy", delegate), pol(&access_point_policy_name("ap", Some("vpc-own")), ap_public)]);
    let mut trust = ZoneOfTrust::new(Zone::Account);
    trust.networks.insert("vpc-own".into(), OWN.into());
    assert!(analyze(&e, &trust).unwrap().iter().all(|a| !a.is_external()));
}

#[test]
fn s3_canonical_users_and_not_action() {
    let e = estate(vec![res(
        "AWS::S3::Bucket",
        "arn:aws:s3:::b",
        vec![pol(
            "bucket policy",
            r#"{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
               {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"NotAction":"s3:DeleteBucket","Resource":"*"}"#,
        )],
    )]);
    let got = external(&e, Zone::Account);
    assert!(matches!(got[0].principal, Outside::CanonicalUser(_)));
    assert_eq!(got[1].principal, Outside::Public);
    assert_eq!(got[1].actions, vec!["* except s3:DeleteBucket"]);
    assert_eq!(got[1].severity(), Severity::Critical);
}

#[test]
fn findings_have_stable_ids_and_say_who_and_what() {
    let e = estate(vec![queue(
        r#"{"Sid":"x","Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sqs:SendMessage","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
    )]);
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let f = findings(&e, &ZoneOfTrust::new(Zone::Account), "aws", now).unwrap();
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(f.check_id, CHECK_ID);
    assert_eq!(f.id, finding_id(CHECK_ID, "arn:aws:sqs:us-east-1:111111111111:q", "account:999999999999 via queue policy#x"));
    assert_eq!(f.resource.kind, ResourceType::AwsSqsQueue);
    assert_eq!(f.resource.region, "us-east-1");
    assert!(
        f.reason.contains("account 999999999999") && f.reason.contains("sqs:SendMessage") && f.reason.contains("aws:SourceIp"),
        "{}",
        f.reason
    );
    assert_eq!(f.status, Status::Failed);
    // Same grant, other run: same id.
    let again = findings(&e, &ZoneOfTrust::new(Zone::Account), "aws", now + time::Duration::days(1)).unwrap();
    assert_eq!(again[0].id, f.id);
    // Internal grants make no finding.
    assert!(findings(&e, &ZoneOfTrust::new(Zone::Organization), "aws", now).unwrap().len() == 1);
    let own = estate(vec![queue(r#"{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sqs:*","Resource":"*"}"#)]);
    assert!(findings(&own, &ZoneOfTrust::new(Zone::Organization), "aws", now).unwrap().is_empty());
}

#[test]
fn action_classes() {
    for (a, want) in [
        ("s3:ListBucket", AccessClass::List),
        ("ec2:DescribeSnapshots", AccessClass::List),
        ("s3:GetObject", AccessClass::Read),
        ("kms:Decrypt", AccessClass::Read),
        ("s3:Get*", AccessClass::Read),
        ("s3:List*", AccessClass::List),
        ("sqs:SendMessage", AccessClass::Write),
        ("sts:AssumeRole", AccessClass::Full),
        ("s3:*", AccessClass::Full),
        ("*", AccessClass::Full),
        ("s3:Put*", AccessClass::Full),
    ] {
        assert_eq!(action_class(a), want, "{a}");
    }
}

#[test]
fn block_public_access_and_acls_as_the_estate_states_them() {
    let public = pol("bucket policy", r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#);
    let acl = crate::s3::acl_policy(
        "arn:aws:s3:::b",
        &[(crate::s3::Grantee::AuthenticatedUsers, "READ".into()), (crate::s3::Grantee::Account(STRANGER.into()), "WRITE".into())],
        false,
        false,
    )
    .unwrap();
    let open = estate(vec![res("AWS::S3::Bucket", "arn:aws:s3:::b", vec![public.clone(), acl.clone()])]);
    let got = external(&open, Zone::Account);
    let seen: Vec<(String, bool)> = got.iter().map(|a| (a.principal.key(), a.unsupported.is_empty())).collect();
    assert_eq!(seen, vec![("public".into(), true), ("account:999999999999".into(), true), ("public".into(), true)], "{got:#?}");
    // RestrictPublicBuckets: the Deny of all but the owner's account and services takes back
    // every grant to outside principals.
    let restricted = estate(vec![res(
        "AWS::S3::Bucket",
        "arn:aws:s3:::b",
        vec![public, acl, crate::s3::restrict_public_buckets("arn:aws:s3:::b", OWN)],
    )]);
    let all = run(&restricted, Zone::Account);
    assert!(all.iter().all(|a| matches!(&a.verdict, Verdict::Internal(w) if w.contains("Deny"))), "{all:#?}");
}
