//! An entity's profile over a scope window, from its stored hourly summaries.
//!
//! The caller reads the summaries that name the entity (as `src` or `dst`) from the start
//! of the baseline to the end of the scope, and [`profile`] answers, for the scope:
//! - activity per hour (API calls made, flows of an instance, calls from an address...);
//! - API calls by service and action, with success, failure and error codes;
//! - IP addresses and user agents, with the first time each was seen (since the
//!   baseline's start) and whether it is new;
//! - resources its calls named, with the actions;
//! - related entities (its role, its sessions, its keys, who assumed it, its account...);
//! - for instances, interfaces and addresses: flow volume by peer, direction, protocol and
//!   port, accepted and rejected bytes and packets apart;
//! - what is *newly observed*: each API call, address, user agent, resource, relation or
//!   flow peer and port seen in the scope and not in the baseline window before it (45 days
//!   by default, as Detective). With no data at all in the baseline, nothing is called new
//!   (`baseline_has_data` is false): everything would be.
//!
//! Times are Unix seconds in, RFC 3339 text out. Lists are ordered by volume, then name.

use crate::flow::parse_flow_detail;
use crate::summary::{text_time, EntityKind, Rel, Summary};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Detective's baseline: the 45 days before the scope.
pub const DEFAULT_BASELINE_DAYS: i64 = 45;

/// The scope window `[from, to)` and the baseline before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileScope {
    pub from: i64,
    pub to: i64,
    pub baseline_days: i64,
}

impl ProfileScope {
    /// The start of the baseline window `[baseline_from, from)`.
    pub fn baseline_from(&self) -> i64 {
        self.from - self.baseline_days.max(0) * 86_400
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub entity: String,
    pub kind: EntityKind,
    pub scope_from: String,
    pub scope_to: String,
    pub baseline_from: String,
    /// Whether anything of the entity was seen in the baseline window.
    pub baseline_has_data: bool,
    /// First and last sighting in the rows read (baseline and scope).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub activity: Vec<Hourly>,
    pub api_calls: Vec<ApiCall>,
    pub ips: Vec<Seen>,
    pub user_agents: Vec<Seen>,
    pub resources: Vec<Seen>,
    pub related: Vec<Related>,
    pub flows: Vec<Flow>,
    pub newly_observed: Vec<NewlyObserved>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hourly {
    pub hour: String,
    pub count: u64,
    pub success: u64,
    pub failure: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiCall {
    pub service: String,
    pub action: String,
    pub success: u64,
    pub failure: u64,
    /// Error codes of the failures, with their counts.
    pub errors: BTreeMap<String, u64>,
    pub first_seen: String,
    pub last_seen: String,
    pub new: bool,
}

/// An address, user agent or resource, seen in the scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub value: String,
    pub count: u64,
    pub success: u64,
    pub failure: u64,
    /// The first sighting since the baseline's start.
    pub first_seen: String,
    pub last_seen: String,
    pub new: bool,
    /// For resources: the actions that named it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub rel: Rel,
    /// `out`: the entity → `entity`; `in`: `entity` → the entity.
    pub direction: &'static str,
    pub entity: String,
    pub kind: EntityKind,
    pub count: u64,
    pub success: u64,
    pub failure: u64,
    pub first_seen: String,
    pub last_seen: String,
    pub new: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// The other side: the peer address (for an instance or interface), the instance or
    /// interface (for an address).
    pub peer: String,
    /// `in`, `out` or `?` (seen from the instance).
    pub direction: String,
    pub protocol: u8,
    pub port: u16,
    pub records: u64,
    pub accepted_bytes: u64,
    pub rejected_bytes: u64,
    pub accepted_packets: u64,
    pub rejected_packets: u64,
    pub first_seen: String,
    pub last_seen: String,
    pub new: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewlyObserved {
    /// `api_call`, `ip`, `user_agent`, `resource`, `flow`, or a relationship's name.
    pub what: String,
    pub value: String,
    pub first_seen: String,
}

#[derive(Default, Clone, Copy)]
struct Acc {
    count: u64,
    success: u64,
    failure: u64,
    bytes: u64,
    first: i64,
    last: i64,
    any: bool,
}

impl Acc {
    fn add(&mut self, s: &Summary) {
        let t = &s.tally;
        self.count += t.count;
        self.success += t.success;
        self.failure += t.failure;
        self.bytes += t.bytes;
        self.first = if self.any { self.first.min(t.first_seen) } else { t.first_seen };
        self.last = if self.any { self.last.max(t.last_seen) } else { t.last_seen };
        self.any = true;
    }
}

/// Whether a row counts in the entity's activity.
fn is_activity(entity: &str, s: &Summary) -> bool {
    if s.src == entity {
        matches!(s.rel, Rel::ApiCall | Rel::Flow | Rel::KeyOf | Rel::AssumedBy | Rel::InstanceSession)
    } else {
        matches!(s.rel, Rel::Ip | Rel::UserAgent | Rel::Flow | Rel::Resource)
    }
}

/// The profile of `entity` (of `kind`) over `scope`, from `rows`: the summaries naming
/// it, of hours from the baseline's start to the scope's end (rows outside are ignored).
pub fn profile(entity: &str, kind: EntityKind, rows: &[Summary], scope: ProfileScope) -> Profile {
    let base_from = scope.baseline_from();
    let in_scope = |s: &Summary| s.hour >= scope.from && s.hour < scope.to;
    let in_base = |s: &Summary| s.hour >= base_from && s.hour < scope.from;
    let rows: Vec<&Summary> = rows.iter().filter(|s| (in_scope(s) || in_base(s)) && (s.src == entity || s.dst == entity)).collect();

    // What the baseline saw, by (what, value) key.
    let key_of = |s: &Summary| -> (String, String) {
        let out = s.src == entity;
        match (s.rel, out) {
            (Rel::ApiCall, true) => ("api_call".into(), s.dst.clone()),
            (Rel::Ip, true) => ("ip".into(), s.dst.clone()),
            (Rel::UserAgent, true) => ("user_agent".into(), s.dst.clone()),
            (Rel::Resource, true) => ("resource".into(), s.dst.clone()),
            (Rel::Flow, _) => {
                let peer = if out { &s.dst } else { &s.src };
                let port = parse_flow_detail(&s.detail).map(|(_, p, port, _)| format!("{p}/{port}")).unwrap_or_default();
                ("flow".into(), format!("{peer} {port}"))
            }
            (rel, true) => (rel.name().to_string(), s.dst.clone()),
            (rel, false) => (format!("{}<-", rel.name()), s.src.clone()),
        }
    };
    let baseline: BTreeSet<(String, String)> = rows.iter().filter(|s| in_base(s)).map(|s| key_of(s)).collect();
    let baseline_has_data = !baseline.is_empty();
    let is_new = |k: &(String, String)| baseline_has_data && !baseline.contains(k);
    // First sighting of each key over every row read.
    let mut first_of: BTreeMap<(String, String), i64> = BTreeMap::new();
    for s in &rows {
        let e = first_of.entry(key_of(s)).or_insert(s.tally.first_seen);
        *e = (*e).min(s.tally.first_seen);
    }

    let mut activity: BTreeMap<i64, Acc> = BTreeMap::new();
    let mut calls: BTreeMap<String, (Acc, BTreeMap<String, u64>)> = BTreeMap::new();
    let mut ips: BTreeMap<String, Acc> = BTreeMap::new();
    let mut agents: BTreeMap<String, Acc> = BTreeMap::new();
    let mut resources: BTreeMap<String, (Acc, BTreeSet<String>)> = BTreeMap::new();
    let mut related: BTreeMap<(Rel, &'static str, String), Acc> = BTreeMap::new();
    let mut flows: BTreeMap<(String, String, u8, u16), [u64; 5]> = BTreeMap::new();
    let mut flow_times: BTreeMap<(String, String, u8, u16), Acc> = BTreeMap::new();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);

    for s in &rows {
        first = Some(first.map_or(s.tally.first_seen, |f| f.min(s.tally.first_seen)));
        last = Some(last.map_or(s.tally.last_seen, |l| l.max(s.tally.last_seen)));
        if !in_scope(s) {
            continue;
        }
        if is_activity(entity, s) {
            activity.entry(s.hour).or_default().add(s);
        }
        let out = s.src == entity;
        match (s.rel, out) {
            (Rel::ApiCall, true) => {
                let (acc, errors) = calls.entry(s.dst.clone()).or_default();
                acc.add(s);
                if !s.detail.is_empty() {
                    *errors.entry(s.detail.clone()).or_default() += s.tally.count;
                }
            }
            (Rel::Ip, true) => ips.entry(s.dst.clone()).or_default().add(s),
            (Rel::UserAgent, true) => agents.entry(s.dst.clone()).or_default().add(s),
            (Rel::Resource, true) => {
                let (acc, actions) = resources.entry(s.dst.clone()).or_default();
                acc.add(s);
                actions.insert(s.detail.clone());
            }
            (Rel::Flow, _) => {
                let peer = if out { s.dst.clone() } else { s.src.clone() };
                let Some((dir, proto, port, action)) = parse_flow_detail(&s.detail) else { continue };
                let key = (peer, dir.to_string(), proto, port);
                let v = flows.entry(key.clone()).or_default();
                v[0] += s.tally.count;
                if action == "ACCEPT" {
                    v[1] += s.tally.bytes;
                    v[3] += s.tally.packets;
                } else {
                    v[2] += s.tally.bytes;
                    v[4] += s.tally.packets;
                }
                flow_times.entry(key).or_default().add(s);
            }
            (rel, true) => related.entry((rel, "out", s.dst.clone())).or_default().add(s),
            (rel, false) => related.entry((rel, "in", s.src.clone())).or_default().add(s),
        }
    }

    let first_text = |k: (String, String), fallback: i64| text_time(first_of.get(&k).copied().unwrap_or(fallback));
    let mut newly: Vec<(i64, NewlyObserved)> = Vec::new();
    let mut note_new = |new: bool, what: &str, value: &str, at: i64| {
        if new {
            newly.push((at, NewlyObserved { what: what.to_string(), value: value.to_string(), first_seen: text_time(at) }));
        }
    };

    let mut api_calls: Vec<ApiCall> = calls
        .into_iter()
        .map(|(api, (acc, errors))| {
            let k = ("api_call".to_string(), api.clone());
            let new = is_new(&k);
            note_new(new, "api_call", &api, acc.first);
            let (service, action) =
                api.split_once(':').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((String::new(), api.clone()));
            ApiCall {
                service,
                action,
                success: acc.success,
                failure: acc.failure,
                errors,
                first_seen: first_text(k, acc.first),
                last_seen: text_time(acc.last),
                new,
            }
        })
        .collect();
    api_calls.sort_by(|a, b| {
        (b.success + b.failure).cmp(&(a.success + a.failure)).then_with(|| (&a.service, &a.action).cmp(&(&b.service, &b.action)))
    });

    let mut seen_list = |what: &str, m: BTreeMap<String, (Acc, BTreeSet<String>)>| -> Vec<Seen> {
        let mut v: Vec<Seen> = m
            .into_iter()
            .map(|(value, (acc, actions))| {
                let k = (what.to_string(), value.clone());
                let new = is_new(&k);
                note_new(new, what, &value, acc.first);
                Seen {
                    value,
                    count: acc.count,
                    success: acc.success,
                    failure: acc.failure,
                    first_seen: first_text(k, acc.first),
                    last_seen: text_time(acc.last),
                    new,
                    actions: actions.into_iter().collect(),
                }
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    let plain = |m: BTreeMap<String, Acc>| m.into_iter().map(|(k, a)| (k, (a, BTreeSet::new()))).collect::<BTreeMap<_, _>>();
    let ips = seen_list("ip", plain(ips));
    let user_agents = seen_list("user_agent", plain(agents));
    let resources = seen_list("resource", resources);

    let mut related: Vec<Related> = related
        .into_iter()
        .map(|((rel, direction, other), acc)| {
            let k = if direction == "out" { (rel.name().to_string(), other.clone()) } else { (format!("{}<-", rel.name()), other.clone()) };
            let new = is_new(&k);
            note_new(new, rel.name(), &other, acc.first);
            Related {
                rel,
                direction,
                kind: EntityKind::of_id(&other),
                entity: other,
                count: acc.count,
                success: acc.success,
                failure: acc.failure,
                first_seen: first_text(k, acc.first),
                last_seen: text_time(acc.last),
                new,
            }
        })
        .collect();
    related.sort_by(|a, b| (a.rel, a.direction, b.count, &a.entity).cmp(&(b.rel, b.direction, a.count, &b.entity)));

    let mut flows: Vec<Flow> = flows
        .into_iter()
        .map(|((peer, direction, protocol, port), v)| {
            let acc = flow_times[&(peer.clone(), direction.clone(), protocol, port)];
            let k = ("flow".to_string(), format!("{peer} {protocol}/{port}"));
            let new = is_new(&k);
            Flow {
                first_seen: first_text(k, acc.first),
                last_seen: text_time(acc.last),
                new,
                peer,
                direction,
                protocol,
                port,
                records: v[0],
                accepted_bytes: v[1],
                rejected_bytes: v[2],
                accepted_packets: v[3],
                rejected_packets: v[4],
            }
        })
        .collect();
    // One "new" entry per peer and port, whatever the direction.
    let mut flow_new: BTreeMap<String, i64> = BTreeMap::new();
    for f in flows.iter().filter(|f| f.new) {
        let at = flow_times[&(f.peer.clone(), f.direction.clone(), f.protocol, f.port)].first;
        let e = flow_new.entry(format!("{} {}/{}", f.peer, f.protocol, f.port)).or_insert(at);
        *e = (*e).min(at);
    }
    for (value, at) in flow_new {
        note_new(true, "flow", &value, at);
    }
    flows.sort_by(|a, b| {
        (b.accepted_bytes + b.rejected_bytes)
            .cmp(&(a.accepted_bytes + a.rejected_bytes))
            .then_with(|| (&a.peer, &a.direction, a.protocol, a.port).cmp(&(&b.peer, &b.direction, b.protocol, b.port)))
    });

    newly.sort_by(|a, b| (a.0, &a.1.what, &a.1.value).cmp(&(b.0, &b.1.what, &b.1.value)));
    Profile {
        entity: entity.to_string(),
        kind,
        scope_from: text_time(scope.from),
        scope_to: text_time(scope.to),
        baseline_from: text_time(base_from),
        baseline_has_data,
        first_seen: first.map(text_time),
        last_seen: last.map(text_time),
        activity: activity
            .into_iter()
            .map(|(h, a)| Hourly { hour: text_time(h), count: a.count, success: a.success, failure: a.failure, bytes: a.bytes })
            .collect(),
        api_calls,
        ips,
        user_agents,
        resources,
        related,
        flows,
        newly_observed: newly.into_iter().map(|(_, n)| n).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Tally;

    const U: &str = "arn:aws:iam::111122223333:user/alice";
    const DAY: i64 = 86_400;

    fn row(day: i64, src: &str, rel: Rel, dst: &str, detail: &str, ok: bool) -> Summary {
        let t = 100 * DAY + day * DAY + 3600 * 8;
        Summary { hour: t, src: src.into(), rel, dst: dst.into(), detail: detail.into(), tally: Tally::one(t + 60, ok) }
    }

    #[test]
    fn a_principals_profile_tells_new_behaviour_from_its_baseline() {
        let scope = ProfileScope { from: 100 * DAY, to: 101 * DAY, baseline_days: 45 };
        let rows = vec![
            // Baseline: ec2:DescribeInstances from 198.51.100.1 with the CLI.
            row(-10, U, Rel::ApiCall, "ec2:DescribeInstances", "", true),
            row(-10, U, Rel::Ip, "198.51.100.1", "", true),
            row(-10, U, Rel::UserAgent, "aws-cli/2", "", true),
            // Older than the baseline: ignored.
            row(-60, U, Rel::ApiCall, "iam:CreateUser", "", true),
            // Scope: the same call, and a new one from a new address, one failing.
            row(0, U, Rel::ApiCall, "ec2:DescribeInstances", "", true),
            row(0, U, Rel::ApiCall, "iam:CreateAccessKey", "", true),
            row(0, U, Rel::ApiCall, "iam:CreateAccessKey", "AccessDenied", false),
            row(0, U, Rel::Ip, "198.51.100.1", "", true),
            row(0, U, Rel::Ip, "203.0.113.7", "", true),
            row(0, U, Rel::Resource, "arn:aws:iam::111122223333:user/bob", "iam:CreateAccessKey", true),
            row(0, "AKIAIOSFODNN7EXAMPLE", Rel::KeyOf, U, "", true),
            // After the scope: ignored.
            row(2, U, Rel::ApiCall, "s3:ListBuckets", "", true),
        ];
        let p = profile(U, EntityKind::IamUser, &rows, scope);
        assert!(p.baseline_has_data);
        assert_eq!(p.api_calls.len(), 2, "{:#?}", p.api_calls);
        let cak = p.api_calls.iter().find(|c| c.action == "CreateAccessKey").unwrap();
        assert_eq!((cak.service.as_str(), cak.success, cak.failure, cak.new), ("iam", 1, 1, true));
        assert_eq!(cak.errors.get("AccessDenied"), Some(&1));
        assert!(!p.api_calls.iter().find(|c| c.action == "DescribeInstances").unwrap().new);
        let old_ip = p.ips.iter().find(|i| i.value == "198.51.100.1").unwrap();
        assert!(!old_ip.new);
        assert_eq!(old_ip.first_seen, text_time(90 * DAY + 3600 * 8 + 60), "first seen in the baseline");
        assert!(p.ips.iter().find(|i| i.value == "203.0.113.7").unwrap().new);
        assert_eq!(p.resources[0].actions, ["iam:CreateAccessKey"]);
        assert_eq!(p.related.len(), 1);
        assert_eq!((p.related[0].rel, p.related[0].direction, p.related[0].entity.as_str()), (Rel::KeyOf, "in", "AKIAIOSFODNN7EXAMPLE"));
        let new: Vec<(&str, &str)> = p.newly_observed.iter().map(|n| (n.what.as_str(), n.value.as_str())).collect();
        assert!(new.contains(&("api_call", "iam:CreateAccessKey")), "{new:?}");
        assert!(new.contains(&("ip", "203.0.113.7")));
        assert!(new.contains(&("key_of<-", "AKIAIOSFODNN7EXAMPLE")) || new.contains(&("key_of", "AKIAIOSFODNN7EXAMPLE")), "{new:?}");
        assert!(!new.iter().any(|(_, v)| *v == "ec2:DescribeInstances" || *v == "198.51.100.1"));
        assert_eq!(p.activity.len(), 1);
        assert_eq!(p.activity[0].count, 3, "its API calls (the key's use is the same calls)");
    }

    #[test]
    fn without_a_baseline_nothing_is_new_and_an_instance_has_flows_by_peer_and_port() {
        let scope = ProfileScope { from: 100 * DAY, to: 101 * DAY, baseline_days: 45 };
        let mut a = row(0, "i-0123456789abcdef0", Rel::Flow, "203.0.113.7", "in 6 22 ACCEPT", true);
        a.tally.bytes = 100;
        a.tally.packets = 2;
        let mut b = row(0, "i-0123456789abcdef0", Rel::Flow, "203.0.113.7", "in 6 22 REJECT", false);
        b.tally.bytes = 40;
        b.tally.packets = 1;
        let p = profile("i-0123456789abcdef0", EntityKind::Ec2Instance, &[a.clone(), b.clone()], scope);
        assert!(!p.baseline_has_data);
        assert!(p.newly_observed.is_empty());
        assert_eq!(p.flows.len(), 1);
        let f = &p.flows[0];
        assert_eq!((f.peer.as_str(), f.direction.as_str(), f.port, f.records), ("203.0.113.7", "in", 22, 2));
        assert_eq!((f.accepted_bytes, f.rejected_bytes, f.accepted_packets, f.rejected_packets), (100, 40, 2, 1));
        assert_eq!(p.activity[0].bytes, 140);
        // Seen from the address, the instance is the peer.
        let q = profile("203.0.113.7", EntityKind::IpAddress, &[a, b], scope);
        assert_eq!(q.flows[0].peer, "i-0123456789abcdef0");
    }
}
