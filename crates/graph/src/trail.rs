//! A CloudTrail event's relationships.
//!
//! The caller (`userIdentity`, per "CloudTrail userIdentity element" in AWS's docs) is the
//! principal: its ARN for a root user, IAM user, role session or federated user; the
//! service's host name for `AWSService`; the account for `AWSAccount`; provider and name for
//! SAML, web-identity and Identity Center users. Each event gives, in the hour of its
//! `eventTime`:
//! - principal → `service:Action` (error code as detail; success when there is none),
//!   → source IP address (when it is an address, not a service's name), → user agent,
//!   → its account, → each resource the call names (`resources[]`, a request's
//!   `bucketName`, `instanceId`s);
//! - a role session → its role (`sessionContext.sessionIssuer`), a federated user → its
//!   IAM user; the access key it signed with (`accessKeyId`) → the principal; an instance
//!   → a session of its role named after it (EC2 names an instance profile's sessions by
//!   the instance id);
//! - an `AssumeRole*` call: role → the caller (assumed by; a refused call is a failure),
//!   and on success the new session → the role and its temporary key → the session.

use crate::summary::{EntityKind, Rel, Summariser, Tally};
use rampart_cloudtrail::Event;
use serde_json::Value;

/// Resources taken from one event at most (a batch call can name hundreds).
const MAX_RESOURCES: usize = 20;

/// An access key id: `AKIA` (long-term) or `ASIA` (temporary) and at least 12 more
/// upper-case letters or digits.
pub fn is_key_id(s: &str) -> bool {
    (16..=128).contains(&s.len())
        && (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// An EC2 instance id: `i-` and 8 or 17 hexadecimal digits.
pub fn is_instance_id(s: &str) -> bool {
    s.strip_prefix("i-").is_some_and(|r| (r.len() == 8 || r.len() == 17) && r.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

/// The caller of `e`: its id and kind, or `None` when the record names none.
pub fn principal_of(e: &Event) -> Option<(String, EntityKind)> {
    let ui = &e.user_identity;
    let kind = text(ui, &["type"]).unwrap_or("");
    let account = text(ui, &["accountId"]).unwrap_or(&e.account);
    let arn = text(ui, &["arn"]);
    match kind {
        "Root" => Some((arn.map(str::to_string).unwrap_or_else(|| format!("arn:aws:iam::{account}:root")), EntityKind::Root)),
        "AWSService" => {
            let by = text(ui, &["invokedBy"]).or(e.source_ip.as_deref().filter(|s| s.ends_with(".amazonaws.com")))?;
            Some((by.to_string(), EntityKind::Service))
        }
        "AWSAccount" => text(ui, &["accountId"]).map(|a| (a.to_string(), EntityKind::Account)),
        "SAMLUser" | "WebIdentityUser" => {
            let provider = text(ui, &["identityProvider"]).unwrap_or("");
            let name = text(ui, &["userName"]).or(text(ui, &["principalId"]))?;
            Some((format!("{kind}:{provider}:{name}"), EntityKind::Identity))
        }
        "IdentityCenterUser" => {
            let user = text(ui, &["onBehalfOf", "userId"]).or(text(ui, &["principalId"]))?;
            Some((format!("IdentityCenterUser:{user}"), EntityKind::Identity))
        }
        _ => match arn {
            Some(arn) => Some((arn.to_string(), EntityKind::of_id(arn))),
            None => match (kind, text(ui, &["userName"])) {
                ("IAMUser", Some(name)) => Some((format!("arn:aws:iam::{account}:user/{name}"), EntityKind::IamUser)),
                _ => text(ui, &["principalId"]).map(|p| (format!("{kind}:{p}"), EntityKind::Identity)),
            },
        },
    }
}

/// The session name of a role session's ARN (`.../assumed-role/<role>/<session>`).
fn session_name(arn: &str) -> Option<&str> {
    let (_, resource) = arn.split_once(":assumed-role/")?;
    resource.rsplit_once('/').map(|(_, s)| s)
}

/// Adds `e`'s relationships to `sum`; `false` when the record names no caller (nothing
/// added).
pub fn observe(e: &Event, sum: &mut Summariser) -> bool {
    let Some((principal, kind)) = principal_of(e) else { return false };
    let at = e.time.unix_timestamp();
    let ok = e.error_code.is_none();
    let one = Tally::one(at, ok);
    sum.entity(&principal, kind, at);

    let api = format!("{}:{}", e.service(), e.name);
    sum.add(&principal, Rel::ApiCall, &api, e.error_code.as_deref().unwrap_or(""), one);

    if let Some(ip) = e.source_ip.as_deref().and_then(|s| s.parse::<std::net::IpAddr>().ok()) {
        let ip = ip.to_string();
        sum.entity(&ip, EntityKind::IpAddress, at);
        sum.add(&principal, Rel::Ip, &ip, "", one);
    }
    if let Some(ua) = e.user_agent.as_deref().filter(|u| !u.is_empty()) {
        sum.entity(ua, EntityKind::UserAgent, at);
        sum.add(&principal, Rel::UserAgent, ua, "", one);
    }
    let ui = &e.user_identity;
    let account = text(ui, &["accountId"]).unwrap_or(&e.account);
    if !account.is_empty() && kind != EntityKind::Account {
        sum.entity(account, EntityKind::Account, at);
        sum.add(&principal, Rel::InAccount, account, "", one);
    }
    if matches!(kind, EntityKind::RoleSession | EntityKind::FederatedUser) {
        if let Some(issuer) = text(ui, &["sessionContext", "sessionIssuer", "arn"]) {
            sum.entity(issuer, EntityKind::of_id(issuer), at);
            sum.add(&principal, Rel::SessionRole, issuer, "", one);
        }
    }
    if let Some(key) = text(ui, &["accessKeyId"]).filter(|k| is_key_id(k)) {
        sum.entity(key, EntityKind::AccessKey, at);
        sum.add(key, Rel::KeyOf, &principal, "", one);
    }
    if kind == EntityKind::RoleSession {
        if let Some(instance) = session_name(&principal).filter(|s| is_instance_id(s)) {
            sum.entity(instance, EntityKind::Ec2Instance, at);
            sum.add(instance, Rel::InstanceSession, &principal, "", one);
        }
    }

    for resource in resources(e) {
        sum.entity(&resource, EntityKind::of_id(&resource), at);
        sum.add(&principal, Rel::Resource, &resource, &api, one);
    }

    if e.service() == "sts" && e.name.starts_with("AssumeRole") {
        if let Some(role) = text(&e.request, &["roleArn"]) {
            sum.entity(role, EntityKind::of_id(role), at);
            sum.add(role, Rel::AssumedBy, &principal, &e.name, one);
            if let Some(session) = text(&e.response, &["assumedRoleUser", "arn"]).filter(|_| ok) {
                sum.entity(session, EntityKind::RoleSession, at);
                sum.add(session, Rel::SessionRole, role, "", one);
                if let Some(key) = text(&e.response, &["credentials", "accessKeyId"]).filter(|k| is_key_id(k)) {
                    sum.entity(key, EntityKind::AccessKey, at);
                    sum.add(key, Rel::KeyOf, session, "", one);
                }
            }
        }
    }
    true
}

/// What one CloudTrail file gave: its records (malformed ones included) and those that name
/// no caller (nothing summarised).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrailStats {
    pub records: u64,
    pub without_data: u64,
}

/// Reads one CloudTrail file (any shape [`rampart_cloudtrail::read_events`] reads, streamed
/// record by record) into `sum`: each event's relationships are observed, then the event is
/// handed to `each` (the detections); a malformed record goes to `bad` with its position;
/// `flush` is called whenever the summariser is full. This is the ingest's whole per-record
/// path. Returns the stats and, when the file stopped being readable partway, why (what
/// precedes it was summarised); `Err` when `flush` failed (reading stops there).
pub fn summarise_trail_log<E>(
    file: &str,
    bytes: &[u8],
    limit: u64,
    sum: &mut Summariser,
    bad: &mut dyn FnMut(crate::Malformed),
    each: &mut dyn FnMut(Event),
    flush: &mut dyn FnMut(&mut Summariser) -> Result<(), E>,
) -> Result<(TrailStats, Option<rampart_cloudtrail::FileError>), E> {
    let mut stats = TrailStats::default();
    let mut failed: Option<E> = None;
    let read = rampart_cloudtrail::read_events(file, bytes, limit, &mut |r| {
        if failed.is_some() {
            return;
        }
        stats.records += 1;
        match r {
            Ok(e) => {
                if !observe(&e, sum) {
                    stats.without_data += 1;
                }
                each(e);
                if sum.is_full() {
                    if let Err(e) = flush(sum) {
                        failed = Some(e);
                    }
                }
            }
            Err(m) => bad(m.into()),
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    Ok((stats, read.err()))
}

/// The resources `e` names: `resources[].ARN`, a request's bucket, instance ids (at most
/// [`MAX_RESOURCES`], without repeats).
fn resources(e: &Event) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |r: String| {
        if out.len() < MAX_RESOURCES && !out.contains(&r) {
            out.push(r);
        }
    };
    for arn in &e.resource_arns {
        push(arn.clone());
    }
    if let Some(bucket) = text(&e.request, &["bucketName"]) {
        push(format!("arn:aws:s3:::{bucket}"));
    }
    if let Some(id) = text(&e.request, &["instanceId"]).filter(|i| is_instance_id(i)) {
        push(id.to_string());
    }
    for field in [&e.request, &e.response] {
        if let Some(items) = field.get("instancesSet").and_then(|s| s.get("items")).and_then(Value::as_array) {
            for item in items.iter().take(MAX_RESOURCES) {
                if let Some(id) = text(item, &["instanceId"]).filter(|i| is_instance_id(i)) {
                    push(id.to_string());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Summary;
    use serde_json::json;

    fn event(v: Value) -> Event {
        rampart_cloudtrail::log::event(&v).unwrap()
    }

    fn rows(sum: &mut Summariser) -> Vec<Summary> {
        sum.drain().summaries
    }

    fn find<'a>(rows: &'a [Summary], src: &str, rel: Rel, dst: &str) -> &'a Summary {
        rows.iter().find(|s| s.src == src && s.rel == rel && s.dst == dst).unwrap_or_else(|| panic!("no {src} {rel:?} {dst} in {rows:#?}"))
    }

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Admin/alice";
    const ROLE: &str = "arn:aws:iam::111122223333:role/Admin";
    const USER: &str = "arn:aws:iam::111122223333:user/alice";

    #[test]
    fn a_role_session_call_links_session_role_key_ip_agent_account_and_resources() {
        let e = event(json!({
            "eventTime": "2026-03-01T08:15:00Z", "eventSource": "s3.amazonaws.com", "eventName": "PutBucketPolicy",
            "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9", "userAgent": "aws-cli/2.15",
            "errorCode": "AccessDenied",
            "userIdentity": {"type": "AssumedRole", "arn": SESSION, "accountId": "111122223333", "accessKeyId": "ASIAEXAMPLEEXAMPLE01",
                "sessionContext": {"sessionIssuer": {"type": "Role", "arn": ROLE}}},
            "requestParameters": {"bucketName": "logs"}
        }));
        let mut s = Summariser::new(1000);
        assert!(observe(&e, &mut s));
        let r = rows(&mut s);
        let call = find(&r, SESSION, Rel::ApiCall, "s3:PutBucketPolicy");
        assert_eq!((call.detail.as_str(), call.tally.failure, call.tally.success), ("AccessDenied", 1, 0));
        assert_eq!(call.hour, time::macros::datetime!(2026-03-01 08:00 UTC).unix_timestamp());
        find(&r, SESSION, Rel::Ip, "203.0.113.9");
        find(&r, SESSION, Rel::UserAgent, "aws-cli/2.15");
        find(&r, SESSION, Rel::InAccount, "111122223333");
        find(&r, SESSION, Rel::SessionRole, ROLE);
        find(&r, "ASIAEXAMPLEEXAMPLE01", Rel::KeyOf, SESSION);
        assert_eq!(find(&r, SESSION, Rel::Resource, "arn:aws:s3:::logs").detail, "s3:PutBucketPolicy");
    }

    #[test]
    fn assume_role_links_role_to_its_caller_and_the_new_session_and_key() {
        let e = event(json!({
            "eventTime": "2026-03-01T08:15:00Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
            "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.1",
            "userIdentity": {"type": "IAMUser", "arn": USER, "accountId": "111122223333", "accessKeyId": "AKIAIOSFODNN7EXAMPLE"},
            "requestParameters": {"roleArn": ROLE, "roleSessionName": "alice"},
            "responseElements": {"assumedRoleUser": {"arn": SESSION}, "credentials": {"accessKeyId": "ASIAEXAMPLEEXAMPLE01"}}
        }));
        let mut s = Summariser::new(1000);
        observe(&e, &mut s);
        let batch = s.drain();
        let r = batch.summaries;
        assert_eq!(find(&r, ROLE, Rel::AssumedBy, USER).detail, "AssumeRole");
        find(&r, SESSION, Rel::SessionRole, ROLE);
        find(&r, "ASIAEXAMPLEEXAMPLE01", Rel::KeyOf, SESSION);
        find(&r, "AKIAIOSFODNN7EXAMPLE", Rel::KeyOf, USER);
        let kinds: Vec<(&str, EntityKind)> = batch.entities.iter().map(|e| (e.id.as_str(), e.kind)).collect();
        assert!(kinds.contains(&(ROLE, EntityKind::IamRole)), "{kinds:?}");
        assert!(kinds.contains(&(USER, EntityKind::IamUser)));
        assert!(kinds.contains(&("198.51.100.1", EntityKind::IpAddress)));
    }

    #[test]
    fn an_instance_profile_session_links_its_instance_and_a_service_is_no_ip() {
        let e = event(json!({
            "eventTime": "2026-03-01T08:15:00Z", "eventSource": "ec2.amazonaws.com", "eventName": "DescribeInstances",
            "awsRegion": "us-east-1", "sourceIPAddress": "10.0.0.5",
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/Web/i-0123456789abcdef0", "accountId": "111122223333"}
        }));
        let mut s = Summariser::new(1000);
        observe(&e, &mut s);
        let r = rows(&mut s);
        find(&r, "i-0123456789abcdef0", Rel::InstanceSession, "arn:aws:sts::111122223333:assumed-role/Web/i-0123456789abcdef0");
        let svc = event(json!({
            "eventTime": "2026-03-01T08:15:00Z", "eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
            "awsRegion": "us-east-1", "sourceIPAddress": "s3.amazonaws.com",
            "userIdentity": {"type": "AWSService", "invokedBy": "s3.amazonaws.com"}
        }));
        observe(&svc, &mut s);
        let r = rows(&mut s);
        find(&r, "s3.amazonaws.com", Rel::ApiCall, "kms:Decrypt");
        assert!(r.iter().all(|x| x.rel != Rel::Ip), "{r:#?}");
        let none = event(
            json!({"eventTime": "2026-03-01T08:15:00Z", "eventSource": "x.amazonaws.com", "eventName": "X", "awsRegion": "us-east-1"}),
        );
        assert!(!observe(&none, &mut s), "no caller");
    }
}
