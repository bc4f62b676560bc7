//! The graph's vocabulary and the bounded per-hour merge of observations.
//!
//! An entity is named by the id an incident responder already uses: an ARN for principals
//! and roles (`arn:aws:iam::111122223333:user/alice`, `arn:aws:sts::...:assumed-role/R/s`),
//! the key id for an access key (`AKIA...`, `ASIA...`), the instance or interface id
//! (`i-...`, `eni-...`), the address for an IP, the twelve digits for an account, the
//! bucket's ARN (`arn:aws:s3:::name`), the text for a user agent, the service's host name
//! (`ec2.amazonaws.com`) for an AWS service acting on its own.
//!
//! A relationship ([`Rel`]) goes from `src` to `dst`, with a `detail` that is part of its
//! identity (the error code of an API call, the direction, protocol, port and action of a
//! flow). Its [`Summary`] covers one hour (`hour`, the Unix time of the hour's start):
//! how many times it was seen, how many succeeded and failed, bytes and packets where the
//! source has them, first and last seen. Summaries of the same key add up, so partial
//! summaries of one hour, flushed at different times, merge exactly.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Account,
    Root,
    IamUser,
    IamRole,
    RoleSession,
    FederatedUser,
    /// A SAML, web-identity or Identity Center user (known by its provider and name).
    Identity,
    /// An AWS service acting on its own (`userIdentity.type` `AWSService`).
    Service,
    AccessKey,
    Ec2Instance,
    NetworkInterface,
    IpAddress,
    UserAgent,
    S3Bucket,
    /// Any other resource an event names (by ARN or id).
    Resource,
    /// A GuardDuty finding (by ARN, else id).
    Finding,
}

impl EntityKind {
    pub const ALL: [EntityKind; 16] = [
        EntityKind::Account,
        EntityKind::Root,
        EntityKind::IamUser,
        EntityKind::IamRole,
        EntityKind::RoleSession,
        EntityKind::FederatedUser,
        EntityKind::Identity,
        EntityKind::Service,
        EntityKind::AccessKey,
        EntityKind::Ec2Instance,
        EntityKind::NetworkInterface,
        EntityKind::IpAddress,
        EntityKind::UserAgent,
        EntityKind::S3Bucket,
        EntityKind::Resource,
        EntityKind::Finding,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Account => "account",
            EntityKind::Root => "root",
            EntityKind::IamUser => "iam_user",
            EntityKind::IamRole => "iam_role",
            EntityKind::RoleSession => "role_session",
            EntityKind::FederatedUser => "federated_user",
            EntityKind::Identity => "identity",
            EntityKind::Service => "service",
            EntityKind::AccessKey => "access_key",
            EntityKind::Ec2Instance => "ec2_instance",
            EntityKind::NetworkInterface => "network_interface",
            EntityKind::IpAddress => "ip_address",
            EntityKind::UserAgent => "user_agent",
            EntityKind::S3Bucket => "s3_bucket",
            EntityKind::Resource => "resource",
            EntityKind::Finding => "finding",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether entities of this kind call APIs (have API-call profiles).
    pub fn is_principal(self) -> bool {
        matches!(
            self,
            EntityKind::Root
                | EntityKind::IamUser
                | EntityKind::IamRole
                | EntityKind::RoleSession
                | EntityKind::FederatedUser
                | EntityKind::Identity
                | EntityKind::Service
                | EntityKind::AccessKey
                | EntityKind::Account
        )
    }

    /// The kind an id names by its shape (an ARN's resource type, a key id's prefix, an
    /// instance id, an address); `Resource` when none fits.
    pub fn of_id(id: &str) -> EntityKind {
        if let Some(rest) = id.strip_prefix("arn:") {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let (service, resource) = match parts.as_slice() {
                [_, service, _, _, resource] => (*service, *resource),
                _ => return EntityKind::Resource,
            };
            return match service {
                "iam" if resource == "root" => EntityKind::Root,
                "iam" if resource.starts_with("user/") => EntityKind::IamUser,
                "iam" if resource.starts_with("role/") => EntityKind::IamRole,
                "sts" if resource.starts_with("assumed-role/") => EntityKind::RoleSession,
                "sts" if resource.starts_with("federated-user/") => EntityKind::FederatedUser,
                "s3" if !resource.contains('/') => EntityKind::S3Bucket,
                "ec2" if resource.starts_with("instance/") => EntityKind::Ec2Instance,
                _ => EntityKind::Resource,
            };
        }
        if id.parse::<std::net::IpAddr>().is_ok() {
            return EntityKind::IpAddress;
        }
        if crate::trail::is_key_id(id) {
            return EntityKind::AccessKey;
        }
        if crate::trail::is_instance_id(id) {
            return EntityKind::Ec2Instance;
        }
        if id.starts_with("eni-") {
            return EntityKind::NetworkInterface;
        }
        if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
            return EntityKind::Account;
        }
        EntityKind::Resource
    }
}

/// What a relationship is (its direction: `src` → `dst`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rel {
    /// Principal → `service:Action` (`ec2:RunInstances`); detail: the error code, or empty.
    ApiCall,
    /// Principal → the IP address it called from.
    Ip,
    /// Principal → the user agent it called with.
    UserAgent,
    /// Principal → the account it belongs to.
    InAccount,
    /// Principal → a resource its call named; detail: `service:Action`.
    Resource,
    /// Role → the principal that assumed it (or tried to: failures count); detail: the
    /// `sts` action (`AssumeRole`, `AssumeRoleWithSAML`, ...).
    AssumedBy,
    /// Role session → its role (federated user → the IAM user that issued it).
    SessionRole,
    /// Access key → the principal it belongs to (user, role session or federated user).
    KeyOf,
    /// EC2 instance → a role session of its instance profile (the session named after it).
    InstanceSession,
    /// EC2 instance → one of its network interfaces (flow logs).
    Interface,
    /// Instance (or interface, when the log does not name the instance) → peer address;
    /// detail: `<in|out|?> <protocol> <port> <ACCEPT|REJECT>` (see [`crate::flow`]).
    Flow,
    /// GuardDuty finding → an entity it names; detail: the finding's type.
    FindingOf,
}

impl Rel {
    pub const ALL: [Rel; 12] = [
        Rel::ApiCall,
        Rel::Ip,
        Rel::UserAgent,
        Rel::InAccount,
        Rel::Resource,
        Rel::AssumedBy,
        Rel::SessionRole,
        Rel::KeyOf,
        Rel::InstanceSession,
        Rel::Interface,
        Rel::Flow,
        Rel::FindingOf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rel::ApiCall => "api_call",
            Rel::Ip => "ip",
            Rel::UserAgent => "user_agent",
            Rel::InAccount => "in_account",
            Rel::Resource => "resource",
            Rel::AssumedBy => "assumed_by",
            Rel::SessionRole => "session_role",
            Rel::KeyOf => "key_of",
            Rel::InstanceSession => "instance_session",
            Rel::Interface => "interface",
            Rel::Flow => "flow",
            Rel::FindingOf => "finding_of",
        }
    }

    pub fn parse(s: &str) -> Option<Rel> {
        Rel::ALL.into_iter().find(|r| r.name() == s)
    }
}

/// A relationship in one hour: the identity of a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The Unix time (seconds) of the hour's start.
    pub hour: i64,
    pub src: String,
    pub rel: Rel,
    pub dst: String,
    pub detail: String,
}

/// What was seen of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    pub count: u64,
    pub success: u64,
    pub failure: u64,
    pub bytes: u64,
    pub packets: u64,
    /// Unix seconds.
    pub first_seen: i64,
    pub last_seen: i64,
}

impl Tally {
    /// One observation at `at`.
    pub fn one(at: i64, ok: bool) -> Tally {
        Tally { count: 1, success: ok as u64, failure: (!ok) as u64, bytes: 0, packets: 0, first_seen: at, last_seen: at }
    }

    /// Adds `other` (sums; the earlier first and later last sighting).
    pub fn merge(&mut self, other: &Tally) {
        self.count = self.count.saturating_add(other.count);
        self.success = self.success.saturating_add(other.success);
        self.failure = self.failure.saturating_add(other.failure);
        self.bytes = self.bytes.saturating_add(other.bytes);
        self.packets = self.packets.saturating_add(other.packets);
        self.first_seen = self.first_seen.min(other.first_seen);
        self.last_seen = self.last_seen.max(other.last_seen);
    }
}

/// One relationship's summary over one hour, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The Unix time (seconds) of the hour's start.
    pub hour: i64,
    pub src: String,
    pub rel: Rel,
    pub dst: String,
    pub detail: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// An entity and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitySeen {
    pub id: String,
    pub kind: EntityKind,
    pub first_seen: i64,
    pub last_seen: i64,
}

/// What a [`Summariser`] held, sorted (so that two runs over the same input give the same
/// batches).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub summaries: Vec<Summary>,
    pub entities: Vec<EntitySeen>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty() && self.entities.is_empty()
    }
}

/// The start of the hour of `t` (Unix seconds).
pub fn hour_of(t: i64) -> i64 {
    t.div_euclid(3600) * 3600
}

/// Unix seconds as RFC 3339 text in UTC (`2026-03-01T08:00:00Z`); the earliest or latest
/// representable time for values out of range.
pub fn text_time(t: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(t.clamp(-377_705_116_800, 253_402_300_799)).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// The longest text kept for an id or a detail: a user agent, a session name or an error
/// code is the caller's to choose.
pub const MAX_TEXT: usize = 512;

pub(crate) fn clip(s: &str) -> &str {
    if s.len() <= MAX_TEXT {
        return s;
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Observations merged per relationship and hour, at most `limit` relationships and
/// entities at once: the reader asks [`Summariser::is_full`] after each record and drains
/// ([`Summariser::drain`]) into the store when it is. Memory is bounded by `limit`, not by
/// the input.
#[derive(Debug)]
pub struct Summariser {
    /// Relationships by the hash of their key, so that one seen before is found without
    /// building (allocating) its key; a new one is keyed once.
    edges: HashMap<u64, Vec<(Key, Tally)>>,
    edge_count: usize,
    hasher: std::collections::hash_map::RandomState,
    entities: HashMap<String, EntitySeen>,
    limit: usize,
}

impl Summariser {
    /// The default bound: 100,000 relationships and entities (tens of MiB).
    pub const DEFAULT_LIMIT: usize = 100_000;

    pub fn new(limit: usize) -> Summariser {
        Summariser { edges: HashMap::new(), edge_count: 0, hasher: Default::default(), entities: HashMap::new(), limit: limit.max(1) }
    }

    /// Counts one relationship (ids and detail clipped to [`MAX_TEXT`] bytes).
    pub fn add(&mut self, src: &str, rel: Rel, dst: &str, detail: &str, tally: Tally) {
        use std::hash::BuildHasher;
        let (src, dst, detail) = (clip(src), clip(dst), clip(detail));
        let hour = hour_of(tally.first_seen);
        let hash = self.hasher.hash_one((hour, src, rel, dst, detail));
        let bucket = self.edges.entry(hash).or_default();
        match bucket.iter_mut().find(|(k, _)| k.hour == hour && k.rel == rel && k.src == src && k.dst == dst && k.detail == detail) {
            Some((_, t)) => t.merge(&tally),
            None => {
                bucket.push((Key { hour, src: src.to_string(), rel, dst: dst.to_string(), detail: detail.to_string() }, tally));
                self.edge_count += 1;
            }
        }
    }

    /// Notes that entity `id` of `kind` was seen at `at`.
    pub fn entity(&mut self, id: &str, kind: EntityKind, at: i64) {
        let id = clip(id);
        match self.entities.get_mut(id) {
            Some(e) => {
                e.first_seen = e.first_seen.min(at);
                e.last_seen = e.last_seen.max(at);
            }
            None => {
                self.entities.insert(id.to_string(), EntitySeen { id: id.to_string(), kind, first_seen: at, last_seen: at });
            }
        }
    }

    /// How many relationships and entities are held.
    pub fn len(&self) -> usize {
        self.edge_count + self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the bound is reached: time to drain.
    pub fn is_full(&self) -> bool {
        self.len() >= self.limit
    }

    /// Everything held, sorted; the summariser is empty after.
    pub fn drain(&mut self) -> Batch {
        let mut summaries: Vec<Summary> = self
            .edges
            .drain()
            .flat_map(|(_, bucket)| bucket)
            .map(|(k, tally)| Summary { hour: k.hour, src: k.src, rel: k.rel, dst: k.dst, detail: k.detail, tally })
            .collect();
        self.edge_count = 0;
        summaries.sort_by(|a, b| (a.hour, &a.src, a.rel, &a.dst, &a.detail).cmp(&(b.hour, &b.src, b.rel, &b.dst, &b.detail)));
        let mut entities: Vec<EntitySeen> = self.entities.drain().map(|(_, e)| e).collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        Batch { summaries, entities }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_of_one_hour_merge_and_the_bound_says_when_to_drain() {
        let mut s = Summariser::new(3);
        s.add("a", Rel::Ip, "1.2.3.4", "", Tally::one(7200 + 5, true));
        s.add("a", Rel::Ip, "1.2.3.4", "", Tally::one(7200 + 3000, false));
        s.add("a", Rel::Ip, "1.2.3.4", "", Tally::one(10800 + 1, true));
        assert_eq!(s.len(), 2);
        assert!(!s.is_full());
        s.entity("a", EntityKind::IamUser, 9);
        s.entity("a", EntityKind::IamUser, 3);
        assert!(s.is_full());
        let b = s.drain();
        assert!(s.is_empty());
        assert_eq!(b.summaries.len(), 2);
        let first = &b.summaries[0];
        assert_eq!((first.hour, first.tally.count, first.tally.success, first.tally.failure), (7200, 2, 1, 1));
        assert_eq!((first.tally.first_seen, first.tally.last_seen), (7205, 10200));
        assert_eq!((b.entities[0].first_seen, b.entities[0].last_seen), (3, 9));
    }

    #[test]
    fn kinds_and_relationships_have_stable_names() {
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::parse(k.name()), Some(k));
        }
        for r in Rel::ALL {
            assert_eq!(Rel::parse(r.name()), Some(r));
        }
        assert_eq!(EntityKind::of_id("arn:aws:iam::111122223333:user/a"), EntityKind::IamUser);
        assert_eq!(EntityKind::of_id("arn:aws:iam::111122223333:role/x/R"), EntityKind::IamRole);
        assert_eq!(EntityKind::of_id("arn:aws:sts::111122223333:assumed-role/R/s"), EntityKind::RoleSession);
        assert_eq!(EntityKind::of_id("arn:aws:s3:::b"), EntityKind::S3Bucket);
        assert_eq!(EntityKind::of_id("AKIAIOSFODNN7EXAMPLE"), EntityKind::AccessKey);
        assert_eq!(EntityKind::of_id("i-0123456789abcdef0"), EntityKind::Ec2Instance);
        assert_eq!(EntityKind::of_id("2001:db8::1"), EntityKind::IpAddress);
        assert_eq!(EntityKind::of_id("111122223333"), EntityKind::Account);
        assert_eq!(text_time(3600), "1970-01-01T01:00:00Z");
        assert_eq!(clip(&"é".repeat(400)).len(), 512);
    }
}
