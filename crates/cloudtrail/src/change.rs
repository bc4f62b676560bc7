//! Which resources a CloudTrail event can have changed.
//!
//! Only a management write that succeeded changes anything: reads (`readOnly`, or a
//! `Describe*`/`List*`/`Get*`/`Head*`/`Lookup*` call when the record does not say), failed
//! calls (`errorCode`), data events (object reads and writes) and records that are not API
//! calls are [`Change::None`]. A write is mapped to the [`Piece`]s of the inventory it names,
//! or is [`Change::Unmapped`]: a write this version cannot attribute to a resource it knows
//! how to read again (the caller counts those by event name; a full scan covers them).

use crate::log::Event;
use serde_json::Value;

/// One piece of the inventory that can be read again on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Piece {
    /// An EC2 security group, by id.
    SecurityGroup { account: String, region: String, group_id: String },
    /// An S3 bucket, by name (its region is the bucket's own, read again with it).
    Bucket { account: String, name: String },
}

impl Piece {
    pub fn account(&self) -> &str {
        match self {
            Piece::SecurityGroup { account, .. } | Piece::Bucket { account, .. } => account,
        }
    }

    /// A short description: `security group sg-1 (111122223333, us-east-1)`.
    pub fn describe(&self) -> String {
        match self {
            Piece::SecurityGroup { account, region, group_id } => format!("security group {group_id} ({account}, {region})"),
            Piece::Bucket { account, name } => format!("bucket {name} ({account})"),
        }
    }
}

/// What an event means for the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing changed: why (`read`, `failed`, `data event`, `not an API call`).
    None(&'static str),
    /// These pieces may have changed.
    Pieces(Vec<Piece>),
    /// A write this version does not attribute to a piece it can read again; the reason
    /// says what was missing.
    Unmapped(&'static str),
}

/// Operation name prefixes of calls that only read.
const READ_PREFIXES: &[&str] = &["Describe", "List", "Get", "Head", "Lookup", "BatchGet", "Search"];

/// What `e` can have changed.
pub fn classify(e: &Event) -> Change {
    if e.error_code.is_some() {
        return Change::None("failed");
    }
    if !(e.event_type.is_empty() || e.event_type == "AwsApiCall") {
        return Change::None("not an API call");
    }
    if e.management == Some(false) {
        return Change::None("data event");
    }
    match e.read_only {
        Some(true) => return Change::None("read"),
        None if READ_PREFIXES.iter().any(|p| e.name.starts_with(p)) => return Change::None("read"),
        _ => {}
    }
    match e.source.as_str() {
        "ec2.amazonaws.com" => ec2(e),
        "s3.amazonaws.com" => s3(e),
        _ => Change::Unmapped("service not mapped"),
    }
}

/// EC2 operations that change one security group named by `groupId`.
const SG_OPERATIONS: &[&str] = &[
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "UpdateSecurityGroupRuleDescriptionsIngress",
    "UpdateSecurityGroupRuleDescriptionsEgress",
    "ModifySecurityGroupRules",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
];

fn ec2(e: &Event) -> Change {
    let sg = |group_id: String| Piece::SecurityGroup { account: e.account.clone(), region: e.region.clone(), group_id };
    if SG_OPERATIONS.contains(&e.name.as_str()) {
        // `groupId` in the request; `ModifySecurityGroupRules` nests it (`GroupId`) under its
        // request's name; `CreateSecurityGroup` answers it.
        let id = find_key(&e.request, "groupId").or_else(|| find_key(&e.response, "groupId"));
        return match id {
            Some(id) if id.starts_with("sg-") => Change::Pieces(vec![sg(id)]),
            _ => Change::Unmapped("security group named without its id"),
        };
    }
    if e.name == "CreateTags" || e.name == "DeleteTags" {
        // Tags decide exclusions and suppressions: the tagged groups are read again.
        let mut groups: Vec<Piece> = resource_ids(&e.request).into_iter().filter(|id| id.starts_with("sg-")).map(sg).collect();
        groups.sort();
        groups.dedup();
        return if groups.is_empty() { Change::Unmapped("tags of resources other than security groups") } else { Change::Pieces(groups) };
    }
    Change::Unmapped("operation not mapped")
}

fn s3(e: &Event) -> Change {
    let bucket_level = e.name == "CreateBucket"
        || e.name.starts_with("PutBucket")
        || e.name.starts_with("DeleteBucket")
        || e.name == "PutObjectLockConfiguration";
    if !bucket_level {
        return if e.name.contains("Object") || e.name.starts_with("Upload") || e.name.contains("MultipartUpload") {
            Change::None("data event")
        } else {
            Change::Unmapped("operation not mapped")
        };
    }
    match e.request.get("bucketName").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => Change::Pieces(vec![Piece::Bucket { account: e.account.clone(), name: name.to_string() }]),
        _ => Change::Unmapped("bucket operation without `bucketName`"),
    }
}

/// The first string value under a key equal to `key` ignoring ASCII case, depth first.
fn find_key(v: &Value, key: &str) -> Option<String> {
    find_key_at(v, key, 0)
}

fn find_key_at(v: &Value, key: &str, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k.eq_ignore_ascii_case(key) {
                    if let Some(s) = x.as_str() {
                        return Some(s.to_string());
                    }
                }
            }
            o.values().find_map(|x| find_key_at(x, key, depth + 1))
        }
        Value::Array(a) => a.iter().find_map(|x| find_key_at(x, key, depth + 1)),
        _ => None,
    }
}

/// `resourcesSet.items[].resourceId` of EC2's tag calls.
fn resource_ids(request: &Value) -> Vec<String> {
    request
        .pointer("/resourcesSet/items")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| i.get("resourceId").and_then(Value::as_str).map(str::to_string)).collect())
        .unwrap_or_default()
}
