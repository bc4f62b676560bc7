//! Table tests of the evaluation engine, each case taken from a stated
//! outcome in the IAM User Guide's pages on policy evaluation logic,
//! condition operators and policy variables.

use rampart_iam::{evaluate, Answer, Context, Decision, NamedPolicy, Policies, PolicyKind, Request};
use serde_json::json;

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/s1";
const ROLE: &str = "arn:aws:iam::111122223333:role/app";
const OBJ: &str = "arn:aws:s3:::bucket/key.txt";

fn pol(name: &str, v: serde_json::Value) -> NamedPolicy {
    let document = rampart_policy::parse(&v.to_string()).expect("test policy parses");
    NamedPolicy { name: name.into(), document }
}

fn allow(action: &str, resource: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
}

fn res_allow(principal: serde_json::Value, action: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}]})
}

fn req(principal: &str, action: &str, resource: &str) -> Request {
    Request {
        principal: principal.into(),
        role_arn: None,
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context: Context::new(),
    }
}

fn decide(r: &Request, p: &Policies) -> Decision {
    evaluate(r, p).decision
}

use Decision::{Allowed, ExplicitDeny, ImplicitDeny};

#[test]
fn default_is_implicit_deny_and_identity_allow_grants() {
    let r = req(ALICE, "s3:GetObject", OBJ);
    assert_eq!(decide(&r, &Policies::default()), ImplicitDeny);
    let p = Policies { identity: vec![pol("read", allow("s3:GetObject", "*"))], ..Default::default() };
    assert_eq!(decide(&r, &p), Allowed);
}

#[test]
fn explicit_deny_overrides_allow_in_any_order_and_is_reported() {
    let deny_first = json!({"Statement": [
        {"Sid": "NoGet", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
    let deny_last = json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "NoGet", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]});
    let r = req(ALICE, "s3:GetObject", OBJ);
    for doc in [deny_first, deny_last] {
        let a = evaluate(&r, &Policies { identity: vec![pol("p", doc)], ..Default::default() });
        assert_eq!(a.decision, ExplicitDeny);
        assert!(a.matched.iter().any(|m| m.sid.as_deref() == Some("NoGet") && m.policy == "p" && m.kind == PolicyKind::Identity));
    }
    // A Deny in the resource-based policy beats an identity allow as well.
    let p = Policies {
        identity: vec![pol("id", allow("s3:*", "*"))],
        resource: vec![pol("bucket", json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}))],
        ..Default::default()
    };
    assert_eq!(decide(&r, &p), ExplicitDeny);
}

#[test]
fn same_account_either_identity_or_resource_policy_suffices() {
    let r = req(ALICE, "s3:GetObject", OBJ);
    let p = Policies { resource: vec![pol("bucket", res_allow(json!({"AWS": ALICE}), "s3:GetObject"))], ..Default::default() };
    assert_eq!(decide(&r, &p), Allowed);
    // A resource policy naming someone else grants nothing.
    let p = Policies {
        resource: vec![pol("bucket", res_allow(json!({"AWS": "arn:aws:iam::111122223333:user/bob"}), "s3:GetObject"))],
        ..Default::default()
    };
    assert_eq!(decide(&r, &p), ImplicitDeny);
    // Naming the account delegates to the account: the identity side must allow.
    let p = Policies { resource: vec![pol("bucket", res_allow(json!({"AWS": "111122223333"}), "s3:GetObject"))], ..Default::default() };
    assert_eq!(decide(&r, &p), ImplicitDeny);
}

#[test]
fn permissions_boundary_caps_identity_policies() {
    // The user guide's example: boundary allows s3, cloudwatch, ec2; an
    // identity policy allowing iam:CreateUser grants nothing.
    let boundary = json!({"Statement": [{"Effect": "Allow", "Action": ["s3:*", "cloudwatch:*", "ec2:*"], "Resource": "*"}]});
    let p = Policies {
        identity: vec![pol("id", allow("iam:CreateUser", "*")), pol("s3", allow("s3:*", "*"))],
        boundary: Some(vec![pol("boundary", boundary)]),
        ..Default::default()
    };
    assert_eq!(decide(&req(ALICE, "iam:CreateUser", "*"), &p), ImplicitDeny);
    assert_eq!(decide(&req(ALICE, "s3:GetObject", OBJ), &p), Allowed);
    // A boundary alone grants nothing.
    let p = Policies { boundary: p.boundary.clone(), ..Default::default() };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", OBJ), &p), ImplicitDeny);
}

#[test]
fn resource_policy_naming_the_user_or_session_is_not_capped_but_naming_the_role_is() {
    let boundary = Some(vec![pol("boundary", allow("sts:GetCallerIdentity", "*"))]);
    // User ARN in the bucket policy: allowed despite the boundary.
    let p = Policies {
        resource: vec![pol("bucket", res_allow(json!({"AWS": ALICE}), "s3:*"))],
        boundary: boundary.clone(),
        ..Default::default()
    };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", OBJ), &p), Allowed);
    // Role ARN: the boundary's implicit deny applies to the role's sessions.
    let p = Policies {
        resource: vec![pol("bucket", res_allow(json!({"AWS": ROLE}), "s3:*"))],
        boundary: boundary.clone(),
        ..Default::default()
    };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), ImplicitDeny);
    let p = Policies { boundary: None, ..p };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), Allowed);
    // Session ARN: allowed despite the boundary and a silent session policy.
    let p = Policies {
        resource: vec![pol("bucket", res_allow(json!({"AWS": SESSION}), "s3:*"))],
        boundary,
        session: Some(vec![pol("session", allow("ec2:*", "*"))]),
        ..Default::default()
    };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), Allowed);
}

#[test]
fn session_policy_caps_identity_and_role_grants() {
    let p = Policies {
        identity: vec![pol("id", allow("s3:*", "*"))],
        session: Some(vec![pol("session", allow("s3:List*", "*"))]),
        ..Default::default()
    };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), ImplicitDeny);
    assert_eq!(decide(&req(SESSION, "s3:ListBucket", "arn:aws:s3:::bucket"), &p), Allowed);
    let p = Policies {
        resource: vec![pol("bucket", res_allow(json!({"AWS": ROLE}), "s3:GetObject"))],
        session: Some(vec![pol("session", allow("s3:List*", "*"))]),
        ..Default::default()
    };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), ImplicitDeny);
}

#[test]
fn cross_account_needs_both_sides() {
    let mut r = req(ALICE, "s3:GetObject", OBJ);
    r.resource_account = Some("444455556666".into());
    let id = vec![pol("id", allow("s3:GetObject", "*"))];
    let res = vec![pol("bucket", res_allow(json!({"AWS": "arn:aws:iam::111122223333:root"}), "s3:GetObject"))];
    assert_eq!(decide(&r, &Policies { identity: id.clone(), ..Default::default() }), ImplicitDeny);
    assert_eq!(decide(&r, &Policies { resource: res.clone(), ..Default::default() }), ImplicitDeny);
    let both = Policies { identity: id, resource: res, ..Default::default() };
    let a = evaluate(&r, &both);
    assert_eq!(a.decision, Allowed, "{}", a.reason);
    // Even a resource policy naming the user directly needs the identity side.
    let p = Policies { resource: vec![pol("bucket", res_allow(json!({"AWS": ALICE}), "s3:GetObject"))], ..Default::default() };
    assert_eq!(decide(&r, &p), ImplicitDeny);
}

#[test]
fn scps_must_allow_at_every_level_and_never_grant() {
    let full = || pol("FullAWSAccess", allow("*", "*"));
    let r = req(ALICE, "s3:GetObject", OBJ);
    let id = vec![pol("id", allow("s3:*", "*"))];
    let p = Policies { identity: id.clone(), scps: vec![vec![full()], vec![full()]], ..Default::default() };
    assert_eq!(decide(&r, &p), Allowed);
    let p = Policies { identity: id.clone(), scps: vec![vec![full()], vec![pol("ec2-only", allow("ec2:*", "*"))]], ..Default::default() };
    let a = evaluate(&r, &p);
    assert_eq!(a.decision, ImplicitDeny);
    assert!(a.reason.contains("SCP at organisation level 1"), "{}", a.reason);
    let deny = json!({"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]});
    let p = Policies { identity: id, scps: vec![vec![full(), pol("no-s3", deny)]], ..Default::default() };
    assert_eq!(decide(&r, &p), ExplicitDeny);
    // SCPs do not grant.
    let p = Policies { scps: vec![vec![full()]], ..Default::default() };
    assert_eq!(decide(&r, &p), ImplicitDeny);
    // They limit the root user too, who otherwise needs no identity policy.
    let root = req("arn:aws:iam::111122223333:root", "s3:GetObject", OBJ);
    assert_eq!(decide(&root, &Policies::default()), Allowed);
    let p = Policies { scps: vec![vec![pol("ec2-only", allow("ec2:*", "*"))]], ..Default::default() };
    assert_eq!(decide(&root, &p), ImplicitDeny);
}

#[test]
fn rcps_limit_access_to_the_resources_of_their_accounts() {
    let mut r = req(ALICE, "s3:GetObject", OBJ);
    r.context.insert("aws:PrincipalOrgID", "o-other");
    let id = vec![pol("id", allow("s3:*", "*"))];
    let rcp = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
        {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}}}]});
    let p = Policies { identity: id.clone(), rcps: vec![vec![pol("rcp", rcp)]], ..Default::default() };
    let a = evaluate(&r, &p);
    assert_eq!(a.decision, ExplicitDeny);
    assert!(a.matched.iter().any(|m| m.kind == PolicyKind::Rcp && m.sid.as_deref() == Some("OrgOnly")));
    r.context = Context::new();
    r.context.insert("aws:PrincipalOrgID", "o-mine");
    assert_eq!(decide(&r, &p), Allowed);
    let p = Policies { identity: id, rcps: vec![vec![pol("s3-nothing", allow("ec2:*", "*"))]], ..Default::default() };
    assert_eq!(decide(&r, &p), ImplicitDeny);
}

#[test]
fn not_action_and_not_resource() {
    let not_iam = json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]});
    let p = Policies { identity: vec![pol("p", not_iam)], ..Default::default() };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", OBJ), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "iam:CreateUser", "*"), &p), ImplicitDeny);
    let not_res = json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]}]});
    let p = Policies { identity: vec![pol("p", not_res)], ..Default::default() };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", OBJ), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::other/key"), &p), ExplicitDeny);
}

#[test]
fn wildcards_actions_ignore_case_resources_do_not() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "S3:get*", "Resource": "arn:aws:s3:::bucket/key?.txt"}]});
    let p = Policies { identity: vec![pol("p", doc)], ..Default::default() };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/key1.txt"), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "s3:GETOBJECT", "arn:aws:s3:::bucket/key1.txt"), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/KEY1.txt"), &p), ImplicitDeny);
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/key12.txt"), &p), ImplicitDeny);
    assert_eq!(decide(&req(ALICE, "s3:PutObject", "arn:aws:s3:::bucket/key1.txt"), &p), ImplicitDeny);
}

#[test]
fn not_principal_with_deny_needs_the_whole_chain_listed() {
    let allow_all = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"});
    let deny_except = |list: serde_json::Value| {
        pol(
            "bucket",
            json!({"Statement": [allow_all.clone(), {"Effect": "Deny", "NotPrincipal": {"AWS": list}, "Action": "s3:*", "Resource": "*"}]}),
        )
    };
    let r = req(ALICE, "s3:GetObject", OBJ);
    let p = Policies { resource: vec![deny_except(json!([ALICE, "arn:aws:iam::111122223333:root"]))], ..Default::default() };
    assert_eq!(decide(&r, &p), Allowed);
    assert_eq!(decide(&req("arn:aws:iam::111122223333:user/bob", "s3:GetObject", OBJ), &p), ExplicitDeny);
    // Without the account, the account (and so the user) may be denied.
    let p = Policies { resource: vec![deny_except(json!([ALICE]))], ..Default::default() };
    assert_eq!(decide(&r, &p), ExplicitDeny);
    // A session is left out only with session, role and account listed.
    let p = Policies { resource: vec![deny_except(json!([SESSION, ROLE, "111122223333"]))], ..Default::default() };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), Allowed);
    let p = Policies { resource: vec![deny_except(json!([SESSION, "111122223333"]))], ..Default::default() };
    assert_eq!(decide(&req(SESSION, "s3:GetObject", OBJ), &p), ExplicitDeny);
    // NotPrincipal with Deny always denies a principal with a boundary.
    let p = Policies {
        resource: vec![deny_except(json!([ALICE, "arn:aws:iam::111122223333:root"]))],
        boundary: Some(vec![pol("b", allow("*", "*"))]),
        ..Default::default()
    };
    assert_eq!(decide(&r, &p), ExplicitDeny);
}

#[test]
fn service_principals_and_anonymous() {
    let p = Policies {
        resource: vec![pol("topic", res_allow(json!({"Service": "events.amazonaws.com"}), "sns:Publish"))],
        ..Default::default()
    };
    let mut r = req("events.amazonaws.com", "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t");
    r.resource_account = Some("111122223333".into());
    // A service principal has no identity side: the resource policy decides.
    assert_eq!(decide(&r, &p), Allowed);
    assert_eq!(decide(&req("lambda.amazonaws.com", "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t"), &p), ImplicitDeny);
    assert_eq!(decide(&req("anonymous", "s3:GetObject", OBJ), &Policies::default()), ImplicitDeny);
    let public = Policies { resource: vec![pol("bucket", res_allow(json!("*"), "s3:GetObject"))], ..Default::default() };
    assert_eq!(decide(&req("anonymous", "s3:GetObject", OBJ), &public), Allowed);
}

fn with_condition(op: &str, key: &str, values: serde_json::Value, ctx: &[(&str, &[&str])]) -> Answer {
    let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {op: {key: values}}}]});
    let mut r = req(ALICE, "s3:GetObject", OBJ);
    for (k, vs) in ctx {
        r.context.set(k, vs.iter().map(|v| v.to_string()).collect());
    }
    evaluate(&r, &Policies { identity: vec![pol("p", doc)], ..Default::default() })
}

#[test]
fn condition_operators_table() {
    type Row<'a> = (&'a str, &'a str, serde_json::Value, &'a [(&'a str, &'a [&'a str])], bool);
    let rows: Vec<Row> = vec![
        // String
        ("StringEquals", "aws:PrincipalTag/team", json!("red"), &[("aws:PrincipalTag/team", &["red"])], true),
        ("StringEquals", "aws:PrincipalTag/team", json!("red"), &[("aws:PrincipalTag/team", &["Red"])], false),
        ("StringEquals", "aws:PrincipalTag/team", json!(["blue", "red"]), &[("aws:PrincipalTag/team", &["red"])], true),
        ("StringNotEquals", "aws:PrincipalTag/team", json!("red"), &[("aws:PrincipalTag/team", &["blue"])], true),
        ("StringNotEquals", "aws:PrincipalTag/team", json!("red"), &[("aws:PrincipalTag/team", &["red"])], false),
        ("StringEqualsIgnoreCase", "aws:PrincipalTag/team", json!("RED"), &[("aws:PrincipalTag/team", &["red"])], true),
        ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", json!("RED"), &[("aws:PrincipalTag/team", &["red"])], false),
        ("StringLike", "s3:prefix", json!("home/*"), &[("s3:prefix", &["home/alice/x"])], true),
        ("StringLike", "s3:prefix", json!("home/?"), &[("s3:prefix", &["home/ab"])], false),
        ("StringNotLike", "s3:prefix", json!("home/*"), &[("s3:prefix", &["tmp/x"])], true),
        // Numeric
        ("NumericLessThanEquals", "s3:max-keys", json!("10"), &[("s3:max-keys", &["10"])], true),
        ("NumericLessThan", "s3:max-keys", json!("10"), &[("s3:max-keys", &["10"])], false),
        ("NumericGreaterThan", "s3:max-keys", json!(10), &[("s3:max-keys", &["10.5"])], true),
        ("NumericGreaterThanEquals", "s3:max-keys", json!(10), &[("s3:max-keys", &["9"])], false),
        ("NumericEquals", "s3:max-keys", json!(10), &[("s3:max-keys", &["10.0"])], true),
        ("NumericNotEquals", "s3:max-keys", json!(10), &[("s3:max-keys", &["11"])], true),
        ("NumericEquals", "s3:max-keys", json!(10), &[("s3:max-keys", &["ten"])], false),
        // Date
        ("DateLessThan", "aws:CurrentTime", json!("2020-06-30T00:00:00Z"), &[("aws:CurrentTime", &["2020-06-01T12:00:00Z"])], true),
        ("DateGreaterThan", "aws:CurrentTime", json!("2020-06-30"), &[("aws:CurrentTime", &["2020-06-01T12:00:00Z"])], false),
        ("DateEquals", "aws:EpochTime", json!("2020-01-01T00:00:00Z"), &[("aws:EpochTime", &["1577836800"])], true),
        ("DateNotEquals", "aws:EpochTime", json!("2020-01-01T00:00:00Z"), &[("aws:EpochTime", &["1577836801"])], true),
        ("DateGreaterThanEquals", "aws:TokenIssueTime", json!("2020-01-01"), &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])], true),
        ("DateLessThanEquals", "aws:TokenIssueTime", json!("2020-01-01"), &[("aws:TokenIssueTime", &["2020-01-01T00:00:01Z"])], false),
        // Bool, Binary
        ("Bool", "aws:SecureTransport", json!(true), &[("aws:SecureTransport", &["true"])], true),
        ("Bool", "aws:SecureTransport", json!("false"), &[("aws:SecureTransport", &["true"])], false),
        ("Bool", "aws:MultiFactorAuthPresent", json!("true"), &[], false),
        ("BinaryEquals", "key", json!("QmluYXJ5VmFsdWU="), &[("key", &["QmluYXJ5VmFsdWU="])], true),
        ("BinaryEquals", "key", json!("QmluYXJ5VmFsdWU="), &[("key", &["b3RoZXI="])], false),
        // IP
        ("IpAddress", "aws:SourceIp", json!("203.0.113.0/24"), &[("aws:SourceIp", &["203.0.113.9"])], true),
        (
            "IpAddress",
            "aws:SourceIp",
            json!(["203.0.113.0/24", "2001:DB8:1234:5678::/64"]),
            &[("aws:SourceIp", &["2001:db8:1234:5678::1"])],
            true,
        ),
        ("IpAddress", "aws:SourceIp", json!("203.0.113.0/24"), &[("aws:SourceIp", &["198.51.100.1"])], false),
        ("NotIpAddress", "aws:SourceIp", json!("203.0.113.0/24"), &[("aws:SourceIp", &["198.51.100.1"])], true),
        ("NotIpAddress", "aws:SourceIp", json!("203.0.113.0/24"), &[("aws:SourceIp", &["203.0.113.1"])], false),
        // ARN
        (
            "ArnLike",
            "aws:SourceArn",
            json!("arn:aws:sns:*:111122223333:*"),
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:t"])],
            true,
        ),
        (
            "ArnEquals",
            "aws:SourceArn",
            json!("arn:aws:sns:*:111122223333:*"),
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:444455556666:t"])],
            false,
        ),
        (
            "ArnNotLike",
            "aws:SourceArn",
            json!("arn:aws:sns:*:111122223333:*"),
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:444455556666:t"])],
            true,
        ),
        ("ArnNotEquals", "aws:PrincipalArn", json!(ALICE), &[], false),
        // Variables in ARN and string condition values.
        (
            "ArnLike",
            "aws:SourceArn",
            json!("arn:aws:sns:*:${aws:PrincipalAccount}:*"),
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:t"])],
            true,
        ),
        (
            "ArnLike",
            "aws:SourceArn",
            json!("arn:aws:sns:*:${aws:PrincipalAccount}:*"),
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:444455556666:t"])],
            false,
        ),
        ("StringEquals", "s3:prefix", json!("home/${aws:username}"), &[("s3:prefix", &["home/alice"])], true),
        ("StringEquals", "s3:prefix", json!("home/${aws:username}"), &[("s3:prefix", &["home/${aws:username}"])], false),
        // Null: "true" means the key must be absent.
        ("Null", "aws:TokenIssueTime", json!("true"), &[], true),
        ("Null", "aws:TokenIssueTime", json!("true"), &[("aws:TokenIssueTime", &["2020-01-01"])], false),
        ("Null", "aws:TokenIssueTime", json!("false"), &[("aws:TokenIssueTime", &["2020-01-01"])], true),
        // A missing key: false, except negated operators and IfExists.
        ("StringEquals", "aws:PrincipalTag/team", json!("red"), &[], false),
        ("StringNotEquals", "aws:PrincipalTag/team", json!("red"), &[], true),
        ("NotIpAddress", "aws:SourceIp", json!("203.0.113.0/24"), &[], true),
        ("StringEqualsIfExists", "ec2:InstanceType", json!(["t2.micro"]), &[], true),
        ("StringEqualsIfExists", "ec2:InstanceType", json!(["t2.micro"]), &[("ec2:InstanceType", &["m5.large"])], false),
        ("NumericLessThanIfExists", "s3:max-keys", json!(5), &[], true),
        // Set operators.
        ("ForAllValues:StringEquals", "aws:TagKeys", json!(["env", "team"]), &[("aws:TagKeys", &["env"])], true),
        ("ForAllValues:StringEquals", "aws:TagKeys", json!(["env", "team"]), &[("aws:TagKeys", &["env", "cost"])], false),
        ("ForAllValues:StringEquals", "aws:TagKeys", json!(["env"]), &[], true),
        ("ForAllValues:StringEquals", "aws:TagKeys", json!(["env"]), &[("aws:TagKeys", &[])], true),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!(["env"]), &[("aws:TagKeys", &["cost", "env"])], true),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!(["env"]), &[("aws:TagKeys", &["cost"])], false),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!(["env"]), &[], false),
        ("ForAnyValue:StringEquals", "aws:TagKeys", json!(["env"]), &[("aws:TagKeys", &[])], false),
        ("ForAnyValue:StringNotEquals", "aws:TagKeys", json!(["env"]), &[("aws:TagKeys", &["env", "cost"])], true),
        ("ForAllValues:StringNotEquals", "aws:TagKeys", json!(["secret"]), &[("aws:TagKeys", &["env", "cost"])], true),
        ("ForAllValues:StringNotEquals", "aws:TagKeys", json!(["secret"]), &[("aws:TagKeys", &["env", "secret"])], false),
        ("ForAnyValue:StringLike", "aws:TagKeys", json!(["team-*"]), &[("aws:TagKeys", &["team-a"])], true),
        // Keys are case-insensitive; unknown operators never hold.
        ("StringEquals", "AWS:PRINCIPALTAG/TEAM", json!("red"), &[("aws:PrincipalTag/team", &["red"])], true),
        ("StringSortOfEquals", "aws:PrincipalTag/team", json!("red"), &[("aws:PrincipalTag/team", &["red"])], false),
    ];
    let mut failures = Vec::new();
    for (i, (op, key, values, ctx, want)) in rows.iter().enumerate() {
        let got = with_condition(op, key, values.clone(), ctx).decision == Allowed;
        if got != *want {
            failures.push(format!("row {i}: {op} {key} {values} ctx={ctx:?}: want {want}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn several_keys_and_operators_are_anded() {
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
        "Bool": {"aws:SecureTransport": "true"},
        "StringEquals": {"aws:PrincipalTag/team": "red", "aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}]});
    let p = Policies { identity: vec![pol("p", doc)], ..Default::default() };
    let mut r = req(ALICE, "s3:GetObject", OBJ);
    for (k, v) in [
        ("aws:SourceIp", "203.0.113.5"),
        ("aws:SecureTransport", "true"),
        ("aws:PrincipalTag/team", "red"),
        ("aws:RequestedRegion", "us-east-1"),
    ] {
        r.context.insert(k, v);
    }
    assert_eq!(decide(&r, &p), Allowed);
    r.context.set("aws:RequestedRegion", vec!["ap-south-1".into()]);
    assert_eq!(decide(&r, &p), ImplicitDeny);
}

#[test]
fn policy_variables_in_resources_and_conditions() {
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::teams/${aws:PrincipalTag/team}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
         "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}},
        {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::lit/${*}${?}${$}"},
        {"Effect": "Allow", "Action": "s3:GetObjectTagging", "Resource": "arn:aws:s3:::x/${aws:PrincipalTag/project, 'none'}/*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:*:${aws:userid}"}]});
    let p = Policies { identity: vec![pol("p", doc)], ..Default::default() };
    // aws:username is derived from the user ARN.
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/f"), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::home/bob/f"), &p), ImplicitDeny);
    let mut r = req(ALICE, "s3:PutObject", "arn:aws:s3:::teams/red/f");
    let a = evaluate(&r, &p);
    assert_eq!(a.decision, ImplicitDeny);
    assert_eq!(a.missing_context_keys, vec!["aws:PrincipalTag/team".to_string()]);
    r.context.insert("aws:PrincipalTag/team", "red");
    assert_eq!(decide(&r, &p), Allowed);
    let mut r = req(ALICE, "s3:ListBucket", "arn:aws:s3:::home");
    r.context.insert("s3:prefix", "home/alice/docs");
    assert_eq!(decide(&r, &p), Allowed);
    r.context.set("s3:prefix", vec!["home/bob/docs".into()]);
    assert_eq!(decide(&r, &p), ImplicitDeny);
    // Escapes name the literal characters, not wildcards.
    assert_eq!(decide(&req(ALICE, "s3:DeleteObject", "arn:aws:s3:::lit/*?$"), &p), Allowed);
    assert_eq!(decide(&req(ALICE, "s3:DeleteObject", "arn:aws:s3:::lit/ab$"), &p), ImplicitDeny);
    // A default stands in for an absent key.
    assert_eq!(decide(&req(ALICE, "s3:GetObjectTagging", "arn:aws:s3:::x/none/f"), &p), Allowed);
    // A wildcard inside a variable's value stays literal.
    let mut r = req(ALICE, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:AIDAEXAMPLE");
    r.context.insert("aws:userid", "AIDA*");
    assert_eq!(decide(&r, &p), ImplicitDeny);
    r.context.set("aws:userid", vec!["AIDAEXAMPLE".into()]);
    assert_eq!(decide(&r, &p), Allowed);
}

#[test]
fn answer_lists_matched_statements_and_missing_keys() {
    let doc = json!({"Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"StringEquals": {"ec2:Region": "x"}}}]});
    let a = evaluate(&req(ALICE, "s3:GetObject", OBJ), &Policies { identity: vec![pol("reader", doc)], ..Default::default() });
    assert_eq!(a.decision, Allowed);
    assert_eq!(a.decision.as_str(), "allowed");
    assert_eq!(a.matched.len(), 1);
    assert_eq!((a.matched[0].policy.as_str(), a.matched[0].index, a.matched[0].sid.as_deref()), ("reader", 0, Some("Read")));
    // Referenced by a statement whose action matched; the ec2 statement's key is not.
    assert_eq!(a.missing_context_keys, vec!["aws:MultiFactorAuthPresent".to_string()]);
    assert_eq!(ExplicitDeny.as_str(), "explicitDeny");
    assert_eq!(ImplicitDeny.as_str(), "implicitDeny");
}

#[test]
fn policy_variables_need_version_2012_10_17() {
    let stmt = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"});
    let r = req(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/f");
    for (version, want) in [(json!("2012-10-17"), Allowed), (json!("2008-10-17"), ImplicitDeny), (json!(null), ImplicitDeny)] {
        let mut doc = json!({"Statement": [stmt.clone()]});
        if !version.is_null() {
            doc["Version"] = version.clone();
        }
        let p = Policies { identity: vec![pol("p", doc)], ..Default::default() };
        assert_eq!(decide(&r, &p), want, "Version {version}");
    }
    // Under the old version the text is literal and matches itself.
    let doc = json!({"Version": "2008-10-17", "Statement": [stmt]});
    let p = Policies { identity: vec![pol("p", doc)], ..Default::default() };
    assert_eq!(decide(&req(ALICE, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/f"), &p), Allowed);
}

#[test]
fn global_keys_derived_from_the_principal() {
    // aws:PrincipalArn of a role session is its role's ARN; the type and
    // account come from the ARN; a context value given wins.
    let cases: &[(&str, &str, &str, bool)] = &[
        (SESSION, "aws:PrincipalArn", ROLE, true),
        (SESSION, "aws:PrincipalType", "AssumedRole", true),
        (ALICE, "aws:PrincipalType", "User", true),
        (ALICE, "aws:PrincipalAccount", "111122223333", true),
        (ALICE, "aws:username", "alice", true),
        (SESSION, "aws:username", "s1", false),
        ("arn:aws:iam::111122223333:root", "aws:PrincipalType", "Account", true),
        ("anonymous", "aws:PrincipalType", "Anonymous", true),
    ];
    for (principal, key, value, want) in cases {
        let doc = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {*key: *value}}}]});
        let p = Policies { resource: vec![pol("bucket", doc)], ..Default::default() };
        assert_eq!(decide(&req(principal, "s3:GetObject", OBJ), &p) == Allowed, *want, "{principal} {key}={value}");
    }
    let mut r = req(ALICE, "s3:GetObject", OBJ);
    r.context.insert("aws:username", "mallory");
    let doc = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringEquals": {"aws:username": "mallory"}}}]});
    assert_eq!(decide(&r, &Policies { resource: vec![pol("bucket", doc)], ..Default::default() }), Allowed);
}
