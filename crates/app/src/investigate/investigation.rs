//! Investigations of an IAM user or role and finding groups (issue 13, item 5): the store
//! read for `rampart_graph::investigation` and `rampart_graph::groups`, the GeoIP databases
//! and flagged lists of the configuration opened, and addresses located at ingest.
//!
//! Stable calls for the CLI and the console: [`Settings`] (from the config file's
//! `[investigate]`, or [`Settings::default`]: no GeoIP, no lists), [`run`] →
//! [`Investigation`], [`groups`] → [`GroupSummary`]s, [`group`] → [`FindingGroup`],
//! [`entity_places`] → the countries and ASNs of an entity's addresses.

use anyhow::{bail, Context, Result};
use rampart_graph::geo::{Geo, IpList};
use rampart_graph::investigation::{self, Input};
use rampart_graph::{EntityKind, ProfileScope, Rel, Summary};
use rampart_hub::{FindingFilter, Store};
use rampart_model::{Finding, RecordState, Status, WorkflowStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use rampart_graph::geo::{GeoDb, Place, Places};
pub use rampart_graph::groups::{FindingGroup, GroupSummary, DEFAULT_WINDOW_HOURS};
pub use rampart_graph::investigation::Evidence;
pub use rampart_graph::investigation::{Indicator, IndicatorKind, IndicatorStatus, Investigation, DEFAULT_MAX_SPEED_KMH};

/// Findings read for groups and investigations at most (the most severe first); more are
/// left out and [`GroupList::truncated`] says so.
pub const MAX_FINDINGS: usize = 50_000;

/// Role sessions of a role read at most for one investigation.
pub const MAX_SESSIONS: usize = 1_000;

/// What investigations and groups use beyond the store: GeoIP databases, flagged lists,
/// numbers. Cheap to clone (the databases are shared).
#[derive(Debug, Clone)]
pub struct Settings {
    pub geo: Option<Arc<GeoDb>>,
    /// `None`: no list configured (flagged IP is NOT_AVAILABLE).
    pub lists: Option<Arc<Vec<IpList>>>,
    pub max_speed_kmh: u32,
    pub group_window_hours: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { geo: None, lists: None, max_speed_kmh: DEFAULT_MAX_SPEED_KMH, group_window_hours: DEFAULT_WINDOW_HOURS }
    }
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

impl Settings {
    /// From the config file's `[investigate]`; relative paths are read from `base` (the
    /// config file's folder). A database or list that cannot be read is an error naming it.
    pub fn from_config(c: &rampart_config::Investigate, base: &Path) -> Result<Settings> {
        let mut s = Settings { max_speed_kmh: c.max_speed_kmh, group_window_hours: c.group_window_hours, ..Settings::default() };
        if c.max_speed_kmh == 0 {
            bail!(
                "[investigate] max_speed_kmh = 0 would call every move impossible: give a speed in km/h (default {DEFAULT_MAX_SPEED_KMH})"
            );
        }
        let city = c.geoip_city.as_ref().map(|p| resolve(base, p));
        let asn = c.geoip_asn.as_ref().map(|p| resolve(base, p));
        s.set_geoip(city.as_deref(), asn.as_deref())?;
        let lists: Vec<PathBuf> = c.flagged_ip_lists.iter().map(|p| resolve(base, p)).collect();
        s.add_lists(&lists)?;
        Ok(s)
    }

    /// Opens GeoIP databases (either may be absent; both absent leaves the settings as they
    /// are). Flags (`--geoip-city`) override the config file this way.
    pub fn set_geoip(&mut self, city: Option<&Path>, asn: Option<&Path>) -> Result<()> {
        if city.is_none() && asn.is_none() {
            return Ok(());
        }
        let read = |p: &Path| -> Result<(String, Vec<u8>)> {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read the GeoIP database `{}`", p.display()))?;
            Ok((p.display().to_string(), bytes))
        };
        let city = city.map(read).transpose()?;
        let asn = asn.map(read).transpose()?;
        let db =
            GeoDb::from_bytes(city.as_ref().map(|(n, b)| (n.as_str(), b.clone())), asn.as_ref().map(|(n, b)| (n.as_str(), b.clone())))?;
        self.geo = Some(Arc::new(db));
        Ok(())
    }

    /// Adds flagged lists (files of addresses or CIDR blocks, one a line).
    pub fn add_lists(&mut self, files: &[PathBuf]) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let mut lists: Vec<IpList> = self.lists.as_deref().cloned().unwrap_or_default();
        for f in files {
            let text = std::fs::read_to_string(f).with_context(|| format!("cannot read the flagged-address list `{}`", f.display()))?;
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| f.display().to_string());
            lists.push(IpList::parse(&name, &text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?);
        }
        self.lists = Some(Arc::new(lists));
        Ok(())
    }
}

/// Locates the graph's addresses not located yet with `geo` (at the end of an ingest);
/// returns how many.
pub fn locate_addresses(store: &mut Store, geo: &GeoDb, now: rampart_model::Timestamp) -> Result<u64> {
    let source = geo.sources.join(", ");
    let mut after = String::new();
    let mut n = 0u64;
    loop {
        let page = store.graph_unlocated_ips(&after, 10_000)?;
        let Some(last) = page.last().cloned() else { break };
        let located: Vec<(String, Geo)> = page
            .into_iter()
            .map(|ip| {
                let g = ip.parse().map(|a| geo.lookup(a)).unwrap_or_default();
                (ip, g)
            })
            .collect();
        n += located.len() as u64;
        store.graph_set_geo(&located, &source, now).context("recording where addresses are")?;
        after = last;
    }
    Ok(n)
}

/// Where each of `ips` is: the location recorded at ingest when there is one with
/// something in it, else what the configured databases say now. Also whether locations and
/// ASNs could be known at all, and from where.
pub struct Located {
    pub geo: BTreeMap<String, Geo>,
    pub has_location: bool,
    pub has_asn: bool,
    pub sources: Vec<String>,
}

pub fn locate(store: &Store, ips: &[String], settings: &Settings) -> Result<Located> {
    let stored = store.graph_geo(ips)?;
    let mut out = Located { geo: BTreeMap::new(), has_location: false, has_asn: false, sources: Vec::new() };
    let mut sources: BTreeSet<String> = BTreeSet::new();
    if let Some(db) = &settings.geo {
        out.has_location = db.has_location();
        out.has_asn = db.has_asn();
        sources.extend(db.sources.iter().cloned());
    }
    for ip in ips {
        let from_store = stored.get(ip).filter(|(g, _)| !g.is_empty());
        let g = match (from_store, &settings.geo) {
            (Some((g, src)), _) => {
                sources.insert(format!("located at ingest: {src}"));
                out.has_location |= g.country.is_some() || g.latitude.is_some();
                out.has_asn |= g.asn.is_some();
                g.clone()
            }
            (None, Some(db)) => ip.parse().map(|a| db.lookup(a)).unwrap_or_default(),
            (None, None) => continue,
        };
        if !g.is_empty() {
            out.geo.insert(ip.clone(), g);
        }
    }
    out.sources = sources.into_iter().collect();
    Ok(out)
}

/// Findings groups and investigations read: FAILED and ACTIVE, neither suppressed nor
/// resolved, the most severe first, at most [`MAX_FINDINGS`]; and whether more were left out.
fn open_findings(store: &Store) -> Result<(Vec<Finding>, bool)> {
    let filter = FindingFilter {
        status: Some(Status::Failed),
        record_state: Some(RecordState::Active),
        limit: Some(MAX_FINDINGS + 1),
        ..Default::default()
    };
    let mut all = store.findings(&filter).context("reading findings")?;
    let truncated = all.len() > MAX_FINDINGS;
    all.truncate(MAX_FINDINGS);
    all.retain(|f| !matches!(f.workflow_status, WorkflowStatus::Suppressed | WorkflowStatus::Resolved));
    Ok((all, truncated))
}

/// The finding groups of the store, with whether findings were left out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupList {
    pub groups: Vec<GroupSummary>,
    /// Findings read (FAILED, ACTIVE, neither suppressed nor resolved).
    pub findings_read: usize,
    /// More than [`MAX_FINDINGS`] findings: the least severe were left out.
    pub truncated: bool,
    pub window_hours: u32,
}

fn all_groups(store: &Store, settings: &Settings) -> Result<(Vec<FindingGroup>, usize, bool)> {
    let (findings, truncated) = open_findings(store)?;
    let groups = rampart_graph::groups::groups(&findings, &BTreeMap::new(), settings.group_window_hours.max(1));
    Ok((groups, findings.len(), truncated))
}

/// Every finding group: most severe first, then latest first.
pub fn groups(store: &Store, settings: &Settings) -> Result<GroupList> {
    let (groups, n, truncated) = all_groups(store, settings)?;
    Ok(GroupList {
        groups: groups.iter().map(FindingGroup::summary).collect(),
        findings_read: n,
        truncated,
        window_hours: settings.group_window_hours.max(1),
    })
}

/// One finding group by id (`fg-...`).
pub fn group(store: &Store, id: &str, settings: &Settings) -> Result<FindingGroup> {
    let id = id.trim();
    let (groups, _, _) = all_groups(store, settings)?;
    groups.into_iter().find(|g| g.id == id).with_context(|| {
        format!(
            "no finding group `{}`: `rampart investigate group` lists them (a group's id follows its earliest finding)",
            crate::shown(id)
        )
    })
}

/// The groups holding finding `id` (for a finding's page).
pub fn groups_of_finding(store: &Store, id: &str, settings: &Settings) -> Result<Vec<GroupSummary>> {
    let (groups, _, _) = all_groups(store, settings)?;
    Ok(groups.iter().filter(|g| g.has_finding(id)).map(FindingGroup::summary).collect())
}

/// Investigates `principal` (an IAM user's or role's ARN) over `[from, to)` (Unix
/// seconds; default the 24 hours up to its last sighting) with a baseline of
/// `baseline_days` before it.
pub fn run(
    store: &Store,
    principal: &str,
    from: Option<i64>,
    to: Option<i64>,
    baseline_days: i64,
    settings: &Settings,
) -> Result<Investigation> {
    let principal = principal.trim();
    let kind = EntityKind::of_id(principal);
    if !matches!(kind, EntityKind::IamUser | EntityKind::IamRole) {
        bail!(
            "`{}` is not an IAM user's or role's ARN: investigations are of arn:aws:iam::ACCOUNT:user/NAME or arn:aws:iam::ACCOUNT:role/NAME (a role session's role, not the session)",
            crate::shown(principal)
        );
    }
    let Some(seen) = store.graph_entity(principal)? else {
        bail!(
            "no `{}` in the graph: ingest its CloudTrail logs first (`rampart investigate ingest cloudtrail PATH`)",
            crate::shown(principal)
        );
    };
    let to = to.unwrap_or_else(|| rampart_graph::hour_of(seen.last_seen) + 3600);
    let from = from.unwrap_or(to - 86_400);
    if from >= to {
        bail!("the scope starts at or after its end");
    }
    if !(0..=3650).contains(&baseline_days) {
        bail!("the baseline is between 0 and 3650 days");
    }
    let scope = ProfileScope { from, to, baseline_days };
    let mut rows: Vec<Summary> = store.graph_summaries(principal, scope.baseline_from(), to)?;
    // A role acts through its sessions: theirs are the role's.
    let mut sessions: BTreeSet<String> = BTreeSet::new();
    if kind == EntityKind::IamRole {
        sessions.extend(rows.iter().filter(|s| s.rel == Rel::SessionRole && s.dst == principal).map(|s| s.src.clone()));
        for s in sessions.iter().take(MAX_SESSIONS) {
            for mut r in store.graph_summaries(s, scope.baseline_from(), to)? {
                if r.src == *s && matches!(r.rel, Rel::ApiCall | Rel::Ip | Rel::UserAgent | Rel::Resource) {
                    r.src = principal.to_string();
                    rows.push(r);
                } else if r.rel == Rel::KeyOf && r.dst == *s {
                    rows.push(r);
                }
            }
        }
    }
    let owners: BTreeSet<&str> = std::iter::once(principal).chain(sessions.iter().map(String::as_str)).collect();
    let keys: BTreeSet<String> =
        rows.iter().filter(|s| s.rel == Rel::KeyOf && owners.contains(s.dst.as_str())).map(|s| s.src.clone()).collect();
    let ips: Vec<String> = rows
        .iter()
        .filter(|s| s.rel == Rel::Ip && s.src == principal)
        .map(|s| s.dst.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let located = locate(store, &ips, settings)?;

    // Findings naming the principal, a session or a key; the groups over every finding.
    let (all, _) = open_findings(store)?;
    let names: BTreeSet<&str> = owners.iter().copied().chain(keys.iter().map(String::as_str)).collect();
    let findings: Vec<Finding> = all.iter().filter(|f| names.contains(f.resource.id.as_str())).cloned().collect();
    let groups = rampart_graph::groups::groups(&all, &BTreeMap::new(), settings.group_window_hours.max(1));

    let input = Input {
        principal,
        kind,
        scope,
        rows: &rows,
        sessions: sessions.into_iter().collect(),
        access_keys: keys.into_iter().collect(),
        geo: &located.geo,
        has_location: located.has_location,
        has_asn: located.has_asn,
        geoip: located.sources,
        lists: settings.lists.as_deref().map(Vec::as_slice),
        findings: &findings,
        groups: &groups,
        settings: investigation::Settings { max_speed_kmh: settings.max_speed_kmh },
    };
    Ok(investigation::investigate(&input))
}

/// The countries and ASNs of an entity's addresses over `[from, to)` with what is new
/// against the baseline (the profile's addresses, located): for entity pages and
/// `rampart investigate entity`.
pub fn entity_places(
    store: &Store,
    id: &str,
    from: i64,
    to: i64,
    baseline_days: i64,
    settings: &Settings,
) -> Result<rampart_graph::geo::Places> {
    let scope = ProfileScope { from, to, baseline_days };
    let rows = store.graph_summaries(id, scope.baseline_from(), to)?;
    let ips: Vec<String> =
        rows.iter().filter(|s| s.rel == Rel::Ip && s.src == id).map(|s| s.dst.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let located = locate(store, &ips, settings)?;
    Ok(rampart_graph::geo::places(id, &rows, scope, &located.geo, located.has_location, located.has_asn))
}

#[cfg(test)]
mod tests;
