//! Threat detections over CloudTrail records, for those who do not run GuardDuty: each
//! detection (one file in [`rules`]) reads [`Event`]s and names the records behind what it
//! saw; [`detect`] turns what they saw into findings like every other Rampart finding, with
//! a stable id, a severity, the MITRE ATT&CK tactic and technique, and the `eventID`s.
//!
//! **Architecture invariant:** pure. Events in, findings out: no clock, no file system, no
//! SDK. Reading files is the caller's (`rampart_cloudtrail::read_events` reads every shape
//! CloudTrail records are saved in).
//!
//! GuardDuty's CloudTrail-based finding types are the catalogue (each [`Rule`] names the
//! type it follows, or says it has none). A finding carries its technique as the related
//! requirement `TTPs/<tactic>/<technique id>` (the ASFF `Types` value, see
//! [`TTP_PREFIX`]) and the `eventID`s of its records as its `detail`, so both are stored,
//! filtered and exported with the finding (ASFF `Types` and `ProductFields`).
//!
//! A detection's finding is about the principal that acted (an IAM user, a role, the root
//! user): suppressing a principal's detections is a `[[suppress]]` rule on that resource.

pub mod config;
pub mod generate;
mod policy;
pub mod rules;
mod who;

pub use config::Thresholds;
pub use who::Actor;

use rampart_cloudtrail::Event;
use rampart_model::{finding_id, Finding, RecordState, Resource, Severity, Status, WorkflowStatus};
use std::borrow::Cow;

/// The prefix of the related requirement that names a finding's ATT&CK tactic and
/// technique: `TTPs/<tactic>/<technique id>`, as ASFF's `Types` takes it.
pub const TTP_PREFIX: &str = "TTPs/";

/// The service findings of detections are filed under.
pub const SERVICE: &str = "cloudtrail";

/// At most this many `eventID`s are listed in a finding's detail (ASFF `ProductFields`
/// values hold 2,048 characters; an id is 36): the count of the others follows them.
pub const MAX_EVENT_IDS: usize = 50;

/// One detection: what it reports and how it is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The finding's check id, `threat_...`.
    pub id: &'static str,
    pub title: &'static str,
    /// The GuardDuty finding type this detection follows, or `""` where GuardDuty has none.
    pub guardduty_type: &'static str,
    pub severity: Severity,
    /// The ATT&CK tactic's name, as ASFF `TTPs/<tactic>/...` spells it, e.g. `Defense Evasion`.
    pub tactic: &'static str,
    /// The ATT&CK technique (or sub-technique) id, e.g. `T1562.008`.
    pub technique: &'static str,
    pub technique_name: &'static str,
    pub description: &'static str,
    pub remediation: &'static str,
}

impl Rule {
    /// `TTPs/<tactic>/<technique id>`.
    pub fn ttp(&self) -> String {
        format!("{TTP_PREFIX}{}/{}", self.tactic, self.technique)
    }

    /// The technique's page on attack.mitre.org.
    pub fn technique_url(&self) -> String {
        format!("https://attack.mitre.org/techniques/{}/", self.technique.replace('.', "/"))
    }
}

/// What a detection saw: who, the records, and why in words.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub rule: &'static Rule,
    pub actor: Actor,
    /// The records behind it, in time order.
    pub events: Vec<&'a Event>,
    pub reason: String,
    /// A severity other than the rule's (e.g. a bucket opened to everyone vs to one account).
    pub severity: Option<Severity>,
}

impl Hit<'_> {
    /// The `eventID`s of its records, in time order (a record without one is named by its
    /// time and operation).
    pub fn event_ids(&self) -> Vec<String> {
        self.events.iter().map(|e| event_name(e)).collect()
    }
}

fn event_name(e: &Event) -> String {
    if e.id.is_empty() {
        format!("{}@{}", e.name, rampart_model::rfc3339(e.time))
    } else {
        e.id.clone()
    }
}

/// Every detection, in the order findings are produced.
pub fn catalogue() -> &'static [&'static Rule] {
    rules::ALL
}

/// The rule of a check id, if it is a detection's.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::ALL.iter().copied().find(|r| r.id == id)
}

/// Runs every detection over `events` (any order) and returns what they saw.
pub fn hits<'a>(events: &'a [Event], t: &Thresholds) -> Vec<Hit<'a>> {
    let mut sorted: Vec<&'a Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for run in rules::RUNS {
        run(&sorted, t, &mut out);
    }
    out
}

/// Runs every detection over `events` and returns their findings, one per hit.
pub fn detect(events: &[Event], t: &Thresholds) -> Vec<Finding> {
    hits(events, t).into_iter().map(|h| to_finding(&h)).collect()
}

/// A hit as a finding: FAILED, about the actor, first and last observed at its first and
/// last record, the technique in `related_requirements`, the `eventID`s in `detail`.
pub fn to_finding(h: &Hit) -> Finding {
    let rule = h.rule;
    let ids = h.event_ids();
    let mut detail = ids.iter().take(MAX_EVENT_IDS).cloned().collect::<Vec<_>>().join(" ");
    if ids.len() > MAX_EVENT_IDS {
        detail.push_str(&format!(" (+{} more)", ids.len() - MAX_EVENT_IDS));
    }
    let resource: Resource = h.actor.resource.clone();
    let first = h.events.first().map(|e| e.time).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let last = h.events.last().map(|e| e.time).unwrap_or(first);
    Finding {
        id: finding_id(rule.id, &resource.id, &detail),
        check_id: Cow::Borrowed(rule.id),
        title: Cow::Owned(format!("{}: {}", rule.title, h.actor.name)),
        description: Cow::Borrowed(rule.description),
        severity: h.severity.unwrap_or(rule.severity),
        status: Status::Failed,
        reason: h.reason.clone(),
        detail,
        service: Cow::Borrowed(SERVICE),
        resource,
        remediation_console: Cow::Borrowed(rule.remediation),
        remediation_cli: Cow::Borrowed(""),
        remediation_url: Cow::Owned(rule.technique_url()),
        related_requirements: Cow::Owned(vec![rule.ttp()]),
        first_observed: first,
        last_observed: last,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}

/// The ATT&CK `TTPs/...` entries of a finding's related requirements.
pub fn ttps(f: &Finding) -> impl Iterator<Item = &str> {
    f.related_requirements.iter().map(String::as_str).filter(|r| r.starts_with(TTP_PREFIX))
}

// ---- helpers shared by the rules ----

/// Whether the call succeeded (no `errorCode`).
pub(crate) fn ok(e: &Event) -> bool {
    e.error_code.is_none()
}

/// Whether `e` is `name` of the service `source` (e.g. `cloudtrail.amazonaws.com`).
pub(crate) fn is(e: &Event, source: &str, name: &str) -> bool {
    e.name == name && e.source == source
}

/// A string request parameter.
pub(crate) fn param<'e>(e: &'e Event, key: &str) -> Option<&'e str> {
    e.request.get(key).and_then(serde_json::Value::as_str)
}

/// Every string inside `v` (request parameters that list ids in varying shapes).
pub(crate) fn leaves(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

/// Whether an error code says the caller was not allowed.
pub(crate) fn denied(e: &Event) -> bool {
    e.error_code.as_deref().is_some_and(|c| {
        let c = c.strip_prefix("Client.").unwrap_or(c);
        c.starts_with("AccessDenied") || c == "UnauthorizedOperation" || c == "UnauthorizedAccess" || c == "Unauthorized"
    })
}

/// Groups `events` (time-ordered) by `key` (events whose key is `None` are left out), and
/// each group into clusters: a cluster goes on while the next event comes within `window`
/// of the one before. Returns the clusters in order of their first event.
pub(crate) fn clusters<'a, K: Ord + Clone>(
    events: &[&'a Event],
    window: time::Duration,
    mut key: impl FnMut(&Event) -> Option<K>,
) -> Vec<(K, Vec<&'a Event>)> {
    let mut groups: std::collections::BTreeMap<K, Vec<&'a Event>> = Default::default();
    for e in events {
        if let Some(k) = key(e) {
            groups.entry(k).or_default().push(e);
        }
    }
    let mut out: Vec<(K, Vec<&'a Event>)> = Vec::new();
    for (k, list) in groups {
        let mut current: Vec<&'a Event> = Vec::new();
        for e in list {
            if current.last().is_some_and(|p| e.time - p.time > window) {
                out.push((k.clone(), std::mem::take(&mut current)));
            }
            current.push(e);
        }
        if !current.is_empty() {
            out.push((k, current));
        }
    }
    out.sort_by(|a, b| a.1[0].time.cmp(&b.1[0].time).then_with(|| a.1[0].id.cmp(&b.1[0].id)));
    out
}

/// The largest number of distinct `item`s among the events of `cluster` (time-ordered)
/// that fall within one `window` (a sliding window: linear in the events).
pub(crate) fn most_in_window<T: Ord + Clone>(cluster: &[&Event], window: time::Duration, item: impl Fn(&Event) -> Vec<T>) -> usize {
    let items: Vec<Vec<T>> = cluster.iter().map(|e| item(e)).collect();
    let mut counts: std::collections::BTreeMap<T, usize> = Default::default();
    let (mut best, mut start) = (0, 0);
    for end in 0..cluster.len() {
        for i in &items[end] {
            *counts.entry(i.clone()).or_default() += 1;
        }
        while cluster[end].time - cluster[start].time > window {
            for i in &items[start] {
                if let Some(n) = counts.get_mut(i) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(i);
                    }
                }
            }
            start += 1;
        }
        best = best.max(counts.len());
    }
    best
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;
