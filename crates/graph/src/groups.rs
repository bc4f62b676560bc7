//! Finding groups (after Detective's): findings that share an entity — a principal, an
//! access key, an address, an instance, a bucket — close in time, gathered into one group
//! with the entities they share and a timeline, so an incident is read as one story
//! rather than as scattered findings.
//!
//! **The rule.** Each finding names entities ([`entities_of`]): its resource, and for a
//! role session its role too. Two findings are *linked* when they name a common entity and
//! their observation periods (`first_observed` to `last_observed`) are at most `window`
//! apart (they overlap, or the later starts within `window` of the earlier's end). A group
//! is a connected set of linked findings, of at least two. Accounts are listed but never
//! link findings (every finding of an account would be one group).
//!
//! **Stable ids.** A group is named after its earliest finding (by first observation, then
//! id): `fg-` and 16 hex digits of a hash of that finding's id. More findings joining later
//! keep the id; a finding older than all of the group's that joins it (a late ingest)
//! changes it.

use crate::summary::{text_time, EntityKind};
use rampart_model::{Finding, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Detective's default is a day; the configuration's `[investigate] group_window_hours`.
pub const DEFAULT_WINDOW_HOURS: u32 = 24;

/// A finding as a group shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupFinding {
    pub id: String,
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    /// The resource the finding is about (an ARN, an id).
    pub resource: String,
    pub resource_kind: EntityKind,
    pub account: String,
    pub first_observed: String,
    pub last_observed: String,
    /// ATT&CK `TTPs/<tactic>/<technique>` of detections; empty for other findings.
    pub ttps: Vec<String>,
    /// The entities of the group it names.
    pub entities: Vec<String>,
}

/// An entity named by findings of the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupEntity {
    pub id: String,
    pub kind: EntityKind,
    /// The ids of the group's findings that name it.
    pub findings: Vec<String>,
}

/// One moment of a group's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at: String,
    /// `first_observed` or `last_observed`.
    pub what: &'static str,
    pub finding: String,
    pub title: String,
    pub severity: Severity,
}

/// A finding group: its findings, the entities they name (those named by two or more
/// link the group), and a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingGroup {
    pub id: String,
    /// In words: `3 findings sharing user/alice, 198.51.100.7`.
    pub title: String,
    /// The most severe of its findings.
    pub severity: Severity,
    pub first_observed: String,
    pub last_observed: String,
    /// The ATT&CK tactics its detections name, in order of first sighting.
    pub tactics: Vec<String>,
    /// Ordered by first observation.
    pub findings: Vec<GroupFinding>,
    /// Shared ones first (by how many findings name them), then the rest, then by id.
    pub entities: Vec<GroupEntity>,
    pub timeline: Vec<TimelineEntry>,
}

/// A group in a list: what is needed to choose one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub first_observed: String,
    pub last_observed: String,
    pub findings: usize,
    /// The ids of the entities two or more of its findings name.
    pub shared_entities: Vec<String>,
    pub tactics: Vec<String>,
}

impl FindingGroup {
    pub fn summary(&self) -> GroupSummary {
        GroupSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            first_observed: self.first_observed.clone(),
            last_observed: self.last_observed.clone(),
            findings: self.findings.len(),
            shared_entities: self.entities.iter().filter(|e| e.findings.len() > 1).map(|e| e.id.clone()).collect(),
            tactics: self.tactics.clone(),
        }
    }

    /// Whether the group holds the finding `id`.
    pub fn has_finding(&self, id: &str) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }
}

/// The role of a role session's ARN (`arn:aws:sts::1:assumed-role/R/s` →
/// `arn:aws:iam::1:role/R`); a path of the role is not in the session's ARN, so the role
/// is named without it.
pub fn role_of_session(arn: &str) -> Option<String> {
    let rest = arn.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (partition, service, _region, account, resource) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if service != "sts" {
        return None;
    }
    let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
    Some(format!("arn:{partition}:iam::{account}:role/{role}"))
}

/// The entities a finding names: its resource, a session's role, and `extra` (what the
/// caller knows more, e.g. the addresses and keys of a GuardDuty finding).
pub fn entities_of(f: &Finding) -> Vec<String> {
    let mut out = vec![f.resource.id.clone()];
    if let Some(role) = role_of_session(&f.resource.id) {
        out.push(role);
    }
    out.retain(|e| !e.is_empty());
    out.dedup();
    out
}

fn hash_id(s: &str) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fg-{h:016x}")
}

fn ttps(f: &Finding) -> Vec<String> {
    f.related_requirements.iter().filter(|r| r.starts_with("TTPs/")).cloned().collect()
}

/// Short name of an entity for titles: the part after the last `:` of an ARN.
fn short(id: &str) -> &str {
    if id.starts_with("arn:") {
        id.rsplit(':').next().unwrap_or(id)
    } else {
        id
    }
}

/// The groups of `findings` (each with the entities it names beyond [`entities_of`] in
/// `extra`, by finding id) under the rule above, most severe first, then latest first.
pub fn groups(findings: &[Finding], extra: &BTreeMap<String, Vec<String>>, window_hours: u32) -> Vec<FindingGroup> {
    let window = i64::from(window_hours) * 3600;
    let mut ents: Vec<Vec<String>> = Vec::with_capacity(findings.len());
    for f in findings {
        let mut e = entities_of(f);
        if let Some(more) = extra.get(&f.id) {
            e.extend(more.iter().cloned());
        }
        let mut seen = BTreeSet::new();
        e.retain(|x| seen.insert(x.clone()));
        ents.push(e);
    }
    // Union-find over findings; for each linking entity, its findings in time order, each
    // linked to the ones before it still within the window of its start.
    let mut parent: Vec<usize> = (0..findings.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut by_entity: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in ents.iter().enumerate() {
        for id in e {
            if EntityKind::of_id(id) != EntityKind::Account {
                by_entity.entry(id.as_str()).or_default().push(i);
            }
        }
    }
    let span = |i: usize| (findings[i].first_observed.unix_timestamp(), findings[i].last_observed.unix_timestamp());
    for list in by_entity.values_mut() {
        list.sort_by_key(|&i| (span(i).0, i));
        // The latest end among the findings so far: a finding starting within the window
        // of it links to that finding.
        let mut reach: Option<(i64, usize)> = None;
        for &i in list.iter() {
            let (start, end) = span(i);
            if let Some((until, j)) = reach {
                if start - until <= window {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
            }
            if reach.is_none_or(|(until, _)| end.max(start) >= until) {
                reach = Some((end.max(start), i));
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..findings.len() {
        let r = root(&mut parent, i);
        members.entry(r).or_default().push(i);
    }
    let mut out: Vec<FindingGroup> = members
        .into_values()
        .filter(|m| m.len() >= 2)
        .map(|mut m| {
            m.sort_by(|&a, &b| (span(a).0, &findings[a].id).cmp(&(span(b).0, &findings[b].id)));
            build(findings, &ents, &m)
        })
        .collect();
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| b.last_observed.cmp(&a.last_observed)).then_with(|| a.id.cmp(&b.id)));
    out
}

fn build(findings: &[Finding], ents: &[Vec<String>], m: &[usize]) -> FindingGroup {
    let mut named: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &i in m {
        for e in &ents[i] {
            named.entry(e.clone()).or_default().push(findings[i].id.clone());
        }
    }
    let mut entities: Vec<GroupEntity> =
        named.into_iter().map(|(id, fs)| GroupEntity { kind: EntityKind::of_id(&id), id, findings: fs }).collect();
    entities.sort_by(|a, b| b.findings.len().cmp(&a.findings.len()).then_with(|| a.id.cmp(&b.id)));
    let list: Vec<GroupFinding> = m
        .iter()
        .map(|&i| {
            let f = &findings[i];
            GroupFinding {
                id: f.id.clone(),
                check_id: f.check_id.to_string(),
                title: f.title.to_string(),
                severity: f.severity,
                resource: f.resource.id.clone(),
                resource_kind: EntityKind::of_id(&f.resource.id),
                account: f.resource.account.clone(),
                first_observed: text_time(f.first_observed.unix_timestamp()),
                last_observed: text_time(f.last_observed.unix_timestamp()),
                ttps: ttps(f),
                entities: ents[i].clone(),
            }
        })
        .collect();
    let mut timeline: Vec<(i64, TimelineEntry)> = Vec::new();
    for &i in m {
        let f = &findings[i];
        let (a, b) = (f.first_observed.unix_timestamp(), f.last_observed.unix_timestamp());
        let entry = |at: i64, what: &'static str| TimelineEntry {
            at: text_time(at),
            what,
            finding: f.id.clone(),
            title: f.title.to_string(),
            severity: f.severity,
        };
        timeline.push((a, entry(a, "first_observed")));
        if b > a {
            timeline.push((b, entry(b, "last_observed")));
        }
    }
    timeline.sort_by(|x, y| (x.0, &x.1.finding, x.1.what).cmp(&(y.0, &y.1.finding, y.1.what)));
    let mut tactics: Vec<String> = Vec::new();
    for f in &list {
        for t in &f.ttps {
            let tactic = t.trim_start_matches("TTPs/").split('/').next().unwrap_or("").to_string();
            if !tactic.is_empty() && !tactics.contains(&tactic) {
                tactics.push(tactic);
            }
        }
    }
    let shared: Vec<&str> = entities.iter().filter(|e| e.findings.len() > 1).map(|e| short(&e.id)).take(3).collect();
    let first = m.iter().map(|&i| findings[i].first_observed.unix_timestamp()).min().unwrap_or(0);
    let last = m.iter().map(|&i| findings[i].last_observed.unix_timestamp()).max().unwrap_or(first);
    FindingGroup {
        id: hash_id(&findings[m[0]].id),
        title: format!("{} findings sharing {}", m.len(), shared.join(", ")),
        severity: m.iter().map(|&i| findings[i].severity).max().unwrap_or(Severity::Informational),
        first_observed: text_time(first),
        last_observed: text_time(last),
        tactics,
        findings: list,
        entities,
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rampart_model::{Resource, ResourceType};
    use std::borrow::Cow;

    pub(crate) fn finding(id: &str, resource: &str, first_h: i64, last_h: i64, sev: Severity, ttp: Option<&str>) -> Finding {
        let t = |h: i64| time::OffsetDateTime::from_unix_timestamp(1_800_000_000 + h * 3600).unwrap();
        Finding {
            id: id.into(),
            check_id: Cow::Owned(format!("check_{id}")),
            title: Cow::Owned(format!("title {id}")),
            description: Cow::Borrowed(""),
            severity: sev,
            status: rampart_model::Status::Failed,
            reason: String::new(),
            detail: String::new(),
            service: Cow::Borrowed("cloudtrail"),
            resource: Resource {
                partition: "aws".into(),
                id: resource.into(),
                kind: ResourceType::Other,
                account: "111122223333".into(),
                region: "us-east-1".into(),
                name: String::new(),
            },
            remediation_console: Cow::Borrowed(""),
            remediation_cli: Cow::Borrowed(""),
            remediation_url: Cow::Borrowed(""),
            related_requirements: Cow::Owned(ttp.map(|t| vec![t.to_string()]).unwrap_or_default()),
            first_observed: t(first_h),
            last_observed: t(last_h),
            workflow_status: rampart_model::WorkflowStatus::New,
            record_state: rampart_model::RecordState::Active,
            vulnerability: None,
        }
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
    const ROLE: &str = "arn:aws:iam::111122223333:role/deploy";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/deploy/i-0123456789abcdef0";

    #[test]
    fn findings_sharing_an_entity_within_the_window_make_one_group_with_a_stable_id() {
        let fs = vec![
            finding("a", ALICE, 0, 1, Severity::Medium, Some("TTPs/Initial Access/T1078.004")),
            finding("b", ALICE, 20, 20, Severity::High, Some("TTPs/Persistence/T1098.001")),
            // Same user, but 30 hours after the last: not linked.
            finding("c", ALICE, 51, 52, Severity::Low, None),
            // A session of the role links to a finding on the role.
            finding("d", SESSION, 5, 5, Severity::Low, None),
            finding("e", ROLE, 6, 7, Severity::Critical, None),
            // Alone.
            finding("f", "arn:aws:s3:::bucket", 0, 0, Severity::High, None),
            // The account alone links nothing.
            finding("g", "111122223333", 0, 0, Severity::Low, None),
            finding("h", "111122223333", 0, 0, Severity::Low, None),
        ];
        let g = groups(&fs, &BTreeMap::new(), 24);
        assert_eq!(g.len(), 2, "{g:#?}");
        let ids: Vec<Vec<&str>> = g.iter().map(|g| g.findings.iter().map(|f| f.id.as_str()).collect()).collect();
        assert_eq!(ids, vec![vec!["d", "e"], vec!["a", "b"]], "most severe first");
        let alice = &g[1];
        assert_eq!(alice.severity, Severity::High);
        assert_eq!(alice.tactics, ["Initial Access", "Persistence"]);
        assert_eq!(alice.entities[0].id, ALICE);
        assert_eq!(alice.entities[0].findings, ["a", "b"]);
        assert_eq!(alice.timeline.len(), 3);
        assert_eq!(alice.timeline[0].what, "first_observed");
        assert_eq!(alice.id, hash_id("a"));
        assert!(alice.title.contains("user/alice"), "{}", alice.title);
        assert_eq!(g[0].entities[0].id, ROLE, "the role is the shared entity");
        // A later finding joining keeps the id; an extra entity (an address) links another.
        let mut more = fs.clone();
        more.push(finding("i", "arn:aws:s3:::other", 21, 21, Severity::Low, None));
        let extra: BTreeMap<String, Vec<String>> =
            [("b".to_string(), vec!["198.51.100.7".to_string()]), ("i".to_string(), vec!["198.51.100.7".to_string()])].into();
        let g2 = groups(&more, &extra, 24);
        let alice2 = g2.iter().find(|x| x.has_finding("a")).unwrap();
        assert_eq!(alice2.id, alice.id);
        assert!(alice2.has_finding("i"));
        // A narrower window splits a and b.
        assert_eq!(groups(&fs, &BTreeMap::new(), 10).len(), 1);
        // Order of the input does not matter.
        let mut rev = fs.clone();
        rev.reverse();
        assert_eq!(groups(&rev, &BTreeMap::new(), 24), g);
    }

    #[test]
    fn sessions_name_their_role() {
        assert_eq!(role_of_session(SESSION).as_deref(), Some(ROLE));
        assert_eq!(role_of_session(ALICE), None);
    }
}
