//! An investigation of an IAM user or role over a scope window (after Detective's
//! investigations): indicators of compromise, each with its evidence, and a severity.
//!
//! Every indicator is listed with a status: `observed` (with evidence), `not_observed`,
//! or `not_available` with what to do about it (no GeoIP database configured, no flagged
//! list, no data in the baseline) — never "nothing found" for what was not looked at.
//!
//! | indicator | observed when | severity |
//! |---|---|---|
//! | `ttp_observed` | a threat detection (a finding with an ATT&CK `TTPs/...` type) names the principal, a session of it or one of its keys, observed in the scope | its most severe detection's |
//! | `impossible_travel` | two calls of the principal, from geolocated addresses, at least `distance − both accuracy radii` apart, at more than `max_speed_kmh` (default 1,000 km/h, faster than an airliner's cruise) | High |
//! | `flagged_ip` | a call from an address on a user-supplied list (Tor exits, a feed) | High |
//! | `new_geolocation` | a call from a country not seen in the baseline | Medium |
//! | `new_asn` | a call from an autonomous system not seen in the baseline | Low |
//! | `new_user_agent` | a user agent not seen in the baseline | Low |
//! | `related_findings` | other findings naming the principal, a session or a key, observed in the scope | their most severe |
//! | `related_finding_groups` | finding groups holding any of those findings | their most severe |
//!
//! The investigation's severity is that of its most severe observed indicator, one level
//! higher (at most Critical) when a technique was observed together with impossible travel,
//! a flagged address, a new geolocation or a new ASN: an attack from somewhere unusual.
//! Informational when nothing was observed.
//!
//! Impossible travel compares sightings in time order: the exact times the summaries keep
//! (each hourly summary's first and last sighting of an address). Consecutive sightings
//! suffice: when every consecutive pair is travellable, so is every pair (the triangle
//! inequality). An address without coordinates (private, not in the database) is skipped.

use crate::geo::{min_distance_km, Geo, IpList};
use crate::groups::FindingGroup;
use crate::profile::ProfileScope;
use crate::summary::{text_time, EntityKind, Rel, Summary};
use rampart_model::{Finding, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Faster than an airliner's cruise (about 900 km/h): the configuration's
/// `[investigate] max_speed_kmh`.
pub const DEFAULT_MAX_SPEED_KMH: u32 = 1000;

/// At most this many items of evidence per indicator (the count says how many in all).
pub const MAX_EVIDENCE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    TtpObserved,
    ImpossibleTravel,
    FlaggedIp,
    NewGeolocation,
    NewAsn,
    NewUserAgent,
    RelatedFindings,
    RelatedFindingGroups,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 8] = [
        IndicatorKind::TtpObserved,
        IndicatorKind::ImpossibleTravel,
        IndicatorKind::FlaggedIp,
        IndicatorKind::NewGeolocation,
        IndicatorKind::NewAsn,
        IndicatorKind::NewUserAgent,
        IndicatorKind::RelatedFindings,
        IndicatorKind::RelatedFindingGroups,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::TtpObserved => "ttp_observed",
            IndicatorKind::ImpossibleTravel => "impossible_travel",
            IndicatorKind::FlaggedIp => "flagged_ip",
            IndicatorKind::NewGeolocation => "new_geolocation",
            IndicatorKind::NewAsn => "new_asn",
            IndicatorKind::NewUserAgent => "new_user_agent",
            IndicatorKind::RelatedFindings => "related_findings",
            IndicatorKind::RelatedFindingGroups => "related_finding_groups",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            IndicatorKind::TtpObserved => "Tactics, techniques and procedures observed",
            IndicatorKind::ImpossibleTravel => "Impossible travel",
            IndicatorKind::FlaggedIp => "Flagged IP address",
            IndicatorKind::NewGeolocation => "New geolocation",
            IndicatorKind::NewAsn => "New ASN",
            IndicatorKind::NewUserAgent => "New user agent",
            IndicatorKind::RelatedFindings => "Related findings",
            IndicatorKind::RelatedFindingGroups => "Related finding groups",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorStatus {
    Observed,
    NotObserved,
    /// Could not be looked at: `reason` says why and what to configure.
    NotAvailable,
}

/// A finding as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    pub id: String,
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub resource: String,
    pub first_observed: String,
    pub last_observed: String,
    pub ttps: Vec<String>,
}

/// One sighting of an address, geolocated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sighting {
    pub ip: String,
    pub at: String,
    #[serde(flatten)]
    pub geo: Geo,
}

/// Two sightings too far apart for the time between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trip {
    pub from: Sighting,
    pub to: Sighting,
    /// Great-circle distance less both accuracy radii.
    pub distance_km: f64,
    pub hours: f64,
    /// `null` when both were seen in the same second.
    pub speed_kmh: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggedAddress {
    pub ip: String,
    /// The list (its file's name) and the entry that holds the address.
    pub list: String,
    pub entry: String,
    pub calls: u64,
    pub first_seen: String,
    pub last_seen: String,
}

/// A country, ASN or user agent seen in the scope and not in the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewValue {
    /// `US`, `AS64500`, the user agent.
    pub value: String,
    /// `United States`, the AS organisation; empty for user agents.
    pub name: String,
    pub calls: u64,
    pub first_seen: String,
    pub last_seen: String,
    /// The addresses behind it (countries and ASNs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ips: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub findings: usize,
    pub first_observed: String,
    pub last_observed: String,
}

/// What an indicator saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    None,
    Findings { findings: Vec<FindingRef> },
    Trips { trips: Vec<Trip> },
    Addresses { addresses: Vec<FlaggedAddress> },
    NewValues { values: Vec<NewValue> },
    Groups { groups: Vec<GroupRef> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub kind: IndicatorKind,
    pub title: &'static str,
    pub status: IndicatorStatus,
    /// Observed indicators only.
    pub severity: Option<Severity>,
    /// One line: what was seen, or why it could not be looked at.
    pub summary: String,
    /// How many items of evidence in all (at most [`MAX_EVIDENCE`] are listed).
    pub count: usize,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Investigation {
    pub principal: String,
    pub kind: EntityKind,
    pub scope_from: String,
    pub scope_to: String,
    pub baseline_from: String,
    pub baseline_has_data: bool,
    pub severity: Severity,
    /// Indicators observed (their kinds), in the order of [`IndicatorKind::ALL`].
    pub observed: Vec<IndicatorKind>,
    /// Every indicator, observed or not, in the order of [`IndicatorKind::ALL`].
    pub indicators: Vec<Indicator>,
    /// What was read: the principal's role sessions and access keys seen, addresses.
    pub sessions: Vec<String>,
    pub access_keys: Vec<String>,
    pub ips: Vec<String>,
    pub api_calls: u64,
    /// The GeoIP databases used (`GeoLite2-City (file)`), or where stored locations came from.
    pub geoip: Vec<String>,
    pub settings: Settings,
}

/// The investigation's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    pub max_speed_kmh: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { max_speed_kmh: DEFAULT_MAX_SPEED_KMH }
    }
}

/// What an investigation reads; the caller gathers it from the store.
pub struct Input<'a> {
    pub principal: &'a str,
    pub kind: EntityKind,
    pub scope: ProfileScope,
    /// The summaries of the principal (a role's sessions' summaries given as the role's:
    /// `src` the principal), of the baseline and the scope.
    pub rows: &'a [Summary],
    pub sessions: Vec<String>,
    pub access_keys: Vec<String>,
    /// Where each address is (absent: nothing known of it).
    pub geo: &'a BTreeMap<String, Geo>,
    /// Whether locations (countries, coordinates) and ASNs could be known at all: a
    /// database was given, or the store holds locations from the ingest.
    pub has_location: bool,
    pub has_asn: bool,
    pub geoip: Vec<String>,
    /// Flagged lists; `None` when none is configured.
    pub lists: Option<&'a [IpList]>,
    /// Findings that name the principal, a session or a key (any time; only those
    /// observed in the scope count).
    pub findings: &'a [Finding],
    /// Finding groups (any; those holding a counted finding are related).
    pub groups: &'a [FindingGroup],
    pub settings: Settings,
}

fn finding_ref(f: &Finding) -> FindingRef {
    FindingRef {
        id: f.id.clone(),
        check_id: f.check_id.to_string(),
        title: f.title.to_string(),
        severity: f.severity,
        resource: f.resource.id.clone(),
        first_observed: text_time(f.first_observed.unix_timestamp()),
        last_observed: text_time(f.last_observed.unix_timestamp()),
        ttps: f.related_requirements.iter().filter(|r| r.starts_with("TTPs/")).cloned().collect(),
    }
}

struct Acc {
    calls: u64,
    first: i64,
    last: i64,
}

fn add(m: &mut BTreeMap<String, Acc>, k: &str, s: &Summary) {
    let e = m.entry(k.to_string()).or_insert(Acc { calls: 0, first: s.tally.first_seen, last: s.tally.last_seen });
    e.calls += s.tally.count;
    e.first = e.first.min(s.tally.first_seen);
    e.last = e.last.max(s.tally.last_seen);
}

fn indicator(kind: IndicatorKind, status: IndicatorStatus, severity: Option<Severity>, summary: String, count: usize, evidence: Evidence) -> Indicator {
    Indicator { kind, title: kind.title(), status, severity, summary, count, evidence }
}

fn not_available(kind: IndicatorKind, why: String) -> Indicator {
    indicator(kind, IndicatorStatus::NotAvailable, None, why, 0, Evidence::None)
}

fn not_observed(kind: IndicatorKind, what: String) -> Indicator {
    indicator(kind, IndicatorStatus::NotObserved, None, what, 0, Evidence::None)
}

/// The message of an indicator that needs a GeoIP database none gave.
pub const NO_CITY_DB: &str = "no GeoIP location database: set `[investigate] geoip_city` in the config file to a GeoLite2-City or GeoLite2-Country .mmdb (or pass --geoip-city)";
pub const NO_ASN_DB: &str = "no GeoIP ASN database: set `[investigate] geoip_asn` in the config file to a GeoLite2-ASN .mmdb (or pass --geoip-asn)";
pub const NO_LISTS: &str = "no flagged-address list: set `[investigate] flagged_ip_lists` in the config file to files of addresses or CIDR blocks, one a line (Tor exit lists, a feed)";

/// The investigation.
pub fn investigate(input: &Input) -> Investigation {
    let scope = input.scope;
    let base_from = scope.baseline_from();
    let in_scope = |s: &Summary| s.hour >= scope.from && s.hour < scope.to;
    let in_base = |s: &Summary| s.hour >= base_from && s.hour < scope.from;
    let mine: Vec<&Summary> = input.rows.iter().filter(|s| s.src == input.principal && (in_scope(s) || in_base(s))).collect();
    let baseline_has_data = mine.iter().any(|s| in_base(s));

    let mut ips_scope: BTreeMap<String, Acc> = BTreeMap::new();
    let mut ips_base: BTreeSet<String> = BTreeSet::new();
    let mut ua_scope: BTreeMap<String, Acc> = BTreeMap::new();
    let mut ua_base: BTreeSet<String> = BTreeSet::new();
    let mut api_calls = 0u64;
    for s in &mine {
        match (s.rel, in_scope(s)) {
            (Rel::Ip, true) => add(&mut ips_scope, &s.dst, s),
            (Rel::Ip, false) => {
                ips_base.insert(s.dst.clone());
            }
            (Rel::UserAgent, true) => add(&mut ua_scope, &s.dst, s),
            (Rel::UserAgent, false) => {
                ua_base.insert(s.dst.clone());
            }
            (Rel::ApiCall, true) => api_calls += s.tally.count,
            _ => {}
        }
    }
    let no_baseline = || {
        format!(
            "no activity of the principal in the baseline ({} – {}): nothing can be called new; widen --baseline-days or ingest older logs",
            text_time(base_from),
            text_time(scope.from)
        )
    };

    // Findings observed in the scope.
    let counted: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|f| f.first_observed.unix_timestamp() < scope.to && f.last_observed.unix_timestamp() >= scope.from)
        .collect();
    let is_ttp = |f: &Finding| f.related_requirements.iter().any(|r| r.starts_with("TTPs/"));
    let mut out: Vec<Indicator> = Vec::new();

    // TTP observed.
    let mut ttp: Vec<&Finding> = counted.iter().copied().filter(|f| is_ttp(f)).collect();
    ttp.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.first_observed.cmp(&b.first_observed)).then_with(|| a.id.cmp(&b.id)));
    out.push(findings_indicator(IndicatorKind::TtpObserved, &ttp, "threat detection(s)"));

    // Impossible travel.
    out.push(if !input.has_location {
        not_available(IndicatorKind::ImpossibleTravel, NO_CITY_DB.into())
    } else {
        travel(input, &mine, &in_scope)
    });

    // Flagged addresses.
    out.push(match input.lists {
        None => not_available(IndicatorKind::FlaggedIp, NO_LISTS.into()),
        Some(lists) => {
            let mut hits = Vec::new();
            for (ip, acc) in &ips_scope {
                let Ok(addr) = ip.parse() else { continue };
                for l in lists {
                    if let Some(c) = l.find(addr) {
                        hits.push(FlaggedAddress {
                            ip: ip.clone(),
                            list: l.name.clone(),
                            entry: c.to_string(),
                            calls: acc.calls,
                            first_seen: text_time(acc.first),
                            last_seen: text_time(acc.last),
                        });
                    }
                }
            }
            let n = hits.len();
            if n == 0 {
                not_observed(
                    IndicatorKind::FlaggedIp,
                    format!("none of {} address(es) is on the {} list(s)", ips_scope.len(), lists.len()),
                )
            } else {
                hits.truncate(MAX_EVIDENCE);
                let first = &hits[0];
                indicator(
                    IndicatorKind::FlaggedIp,
                    IndicatorStatus::Observed,
                    Some(Severity::High),
                    format!("{n} call address(es) on a flagged list ({} on {})", first.ip, first.list),
                    n,
                    Evidence::Addresses { addresses: hits },
                )
            }
        }
    });

    // New geolocation and new ASN: what the scope's addresses map to, against the baseline's.
    let place = |ip: &str, country: bool| -> Option<(String, String)> {
        let g = input.geo.get(ip)?;
        if country {
            g.country.clone().map(|c| (c, g.country_name.clone().unwrap_or_default()))
        } else {
            g.asn.map(|n| (format!("AS{n}"), g.as_org.clone().unwrap_or_default()))
        }
    };
    for (kind, country, has) in [(IndicatorKind::NewGeolocation, true, input.has_location), (IndicatorKind::NewAsn, false, input.has_asn)] {
        if !has {
            out.push(not_available(kind, if country { NO_CITY_DB } else { NO_ASN_DB }.into()));
            continue;
        }
        if !baseline_has_data {
            out.push(not_available(kind, no_baseline()));
            continue;
        }
        let known: BTreeSet<String> = ips_base.iter().filter_map(|ip| place(ip, country)).map(|(v, _)| v).collect();
        let mut new: BTreeMap<String, NewValue> = BTreeMap::new();
        let mut unknown = 0usize;
        for (ip, acc) in &ips_scope {
            let Some((v, name)) = place(ip, country) else {
                unknown += 1;
                continue;
            };
            if known.contains(&v) {
                continue;
            }
            let e = new.entry(v.clone()).or_insert(NewValue {
                value: v,
                name,
                calls: 0,
                first_seen: text_time(acc.first),
                last_seen: text_time(acc.last),
                ips: vec![],
            });
            e.calls += acc.calls;
            e.first_seen = e.first_seen.clone().min(text_time(acc.first));
            e.last_seen = e.last_seen.clone().max(text_time(acc.last));
            e.ips.push(ip.clone());
        }
        let what = if country { "country" } else { "ASN" };
        let unknown_note = if unknown > 0 { format!(" ({unknown} address(es) not in the database)") } else { String::new() };
        out.push(if new.is_empty() {
            not_observed(
                kind,
                format!("every {what} of the scope's {} address(es) was seen in the baseline{unknown_note}", ips_scope.len() - unknown),
            )
        } else {
            let mut values: Vec<NewValue> = new.into_values().collect();
            values.sort_by(|a, b| a.first_seen.cmp(&b.first_seen).then_with(|| a.value.cmp(&b.value)));
            let n = values.len();
            let shown: Vec<String> = values.iter().take(3).map(|v| if v.name.is_empty() { v.value.clone() } else { format!("{} ({})", v.value, v.name) }).collect();
            values.truncate(MAX_EVIDENCE);
            indicator(
                kind,
                IndicatorStatus::Observed,
                Some(if country { Severity::Medium } else { Severity::Low }),
                format!("{n} {what}(s) not seen in the baseline: {}{unknown_note}", shown.join(", ")),
                n,
                Evidence::NewValues { values },
            )
        });
    }

    // New user agent.
    out.push(if !baseline_has_data {
        not_available(IndicatorKind::NewUserAgent, no_baseline())
    } else {
        let mut values: Vec<NewValue> = ua_scope
            .iter()
            .filter(|(ua, _)| !ua_base.contains(*ua))
            .map(|(ua, acc)| NewValue {
                value: ua.clone(),
                name: String::new(),
                calls: acc.calls,
                first_seen: text_time(acc.first),
                last_seen: text_time(acc.last),
                ips: vec![],
            })
            .collect();
        values.sort_by(|a, b| a.first_seen.cmp(&b.first_seen).then_with(|| a.value.cmp(&b.value)));
        let n = values.len();
        if n == 0 {
            not_observed(IndicatorKind::NewUserAgent, format!("each of {} user agent(s) was seen in the baseline", ua_scope.len()))
        } else {
            let first = values[0].value.clone();
            values.truncate(MAX_EVIDENCE);
            indicator(
                IndicatorKind::NewUserAgent,
                IndicatorStatus::Observed,
                Some(Severity::Low),
                format!("{n} user agent(s) not seen in the baseline, first `{first}`"),
                n,
                Evidence::NewValues { values },
            )
        }
    });

    // Related findings (the others) and groups.
    let mut related: Vec<&Finding> = counted.iter().copied().filter(|f| !is_ttp(f)).collect();
    related.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.first_observed.cmp(&b.first_observed)).then_with(|| a.id.cmp(&b.id)));
    out.push(findings_indicator(IndicatorKind::RelatedFindings, &related, "finding(s)"));
    let mut groups: Vec<GroupRef> = input
        .groups
        .iter()
        .filter(|g| counted.iter().any(|f| g.has_finding(&f.id)))
        .map(|g| GroupRef {
            id: g.id.clone(),
            title: g.title.clone(),
            severity: g.severity,
            findings: g.findings.len(),
            first_observed: g.first_observed.clone(),
            last_observed: g.last_observed.clone(),
        })
        .collect();
    groups.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
    out.push(if groups.is_empty() {
        not_observed(IndicatorKind::RelatedFindingGroups, "no finding group holds a finding of the principal in the scope".into())
    } else {
        let n = groups.len();
        let sev = groups.iter().map(|g| g.severity).max();
        groups.truncate(MAX_EVIDENCE);
        indicator(
            IndicatorKind::RelatedFindingGroups,
            IndicatorStatus::Observed,
            sev,
            format!("{n} finding group(s), the first {}", groups[0].title),
            n,
            Evidence::Groups { groups },
        )
    });

    let observed: Vec<IndicatorKind> = out.iter().filter(|i| i.status == IndicatorStatus::Observed).map(|i| i.kind).collect();
    let mut severity = out.iter().filter_map(|i| i.severity).max().unwrap_or(Severity::Informational);
    let unusual = [IndicatorKind::ImpossibleTravel, IndicatorKind::FlaggedIp, IndicatorKind::NewGeolocation, IndicatorKind::NewAsn];
    if observed.contains(&IndicatorKind::TtpObserved) && observed.iter().any(|k| unusual.contains(k)) {
        severity = match severity {
            Severity::Informational => Severity::Low,
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        };
    }
    Investigation {
        principal: input.principal.to_string(),
        kind: input.kind,
        scope_from: text_time(scope.from),
        scope_to: text_time(scope.to),
        baseline_from: text_time(base_from),
        baseline_has_data,
        severity,
        observed,
        indicators: out,
        sessions: input.sessions.clone(),
        access_keys: input.access_keys.clone(),
        ips: ips_scope.keys().cloned().collect(),
        api_calls,
        geoip: input.geoip.clone(),
        settings: input.settings,
    }
}

fn findings_indicator(kind: IndicatorKind, list: &[&Finding], what: &str) -> Indicator {
    if list.is_empty() {
        return not_observed(kind, format!("no {what} naming the principal, its sessions or keys in the scope"));
    }
    let n = list.len();
    let first = list[0];
    let findings: Vec<FindingRef> = list.iter().take(MAX_EVIDENCE).map(|f| finding_ref(f)).collect();
    indicator(
        kind,
        IndicatorStatus::Observed,
        Some(first.severity),
        format!("{n} {what}, the most severe {} ({})", first.title, first.severity.label()),
        n,
        Evidence::Findings { findings },
    )
}

fn travel(input: &Input, mine: &[&Summary], in_scope: &dyn Fn(&Summary) -> bool) -> Indicator {
    let kind = IndicatorKind::ImpossibleTravel;
    let mut points: Vec<(i64, &str)> = Vec::new();
    for s in mine.iter().filter(|s| s.rel == Rel::Ip && in_scope(s)) {
        if input.geo.get(&s.dst).is_some_and(|g| g.latitude.is_some() && g.longitude.is_some()) {
            points.push((s.tally.first_seen, &s.dst));
            if s.tally.last_seen != s.tally.first_seen {
                points.push((s.tally.last_seen, &s.dst));
            }
        }
    }
    points.sort();
    points.dedup();
    if points.is_empty() {
        return not_observed(kind, "no call from an address with a known location in the scope".into());
    }
    let max = f64::from(input.settings.max_speed_kmh.max(1));
    let sighting = |(t, ip): (i64, &str)| Sighting { ip: ip.to_string(), at: text_time(t), geo: input.geo.get(ip).cloned().unwrap_or_default() };
    let mut trips: Vec<Trip> = Vec::new();
    for w in points.windows(2) {
        let ((t1, a), (t2, b)) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let (ga, gb) = (&input.geo[a], &input.geo[b]);
        let Some(d) = min_distance_km(ga, gb) else { continue };
        if d <= 0.0 {
            continue;
        }
        let hours = (t2 - t1) as f64 / 3600.0;
        let speed = (t2 > t1).then(|| d / hours);
        if speed.is_none_or(|v| v > max) {
            trips.push(Trip { from: sighting((t1, a)), to: sighting((t2, b)), distance_km: d.round(), hours, speed_kmh: speed.map(f64::round) });
        }
    }
    if trips.is_empty() {
        return not_observed(kind, format!("every move between {} sighting(s) is under {} km/h", points.len(), input.settings.max_speed_kmh));
    }
    let n = trips.len();
    let t = &trips[0];
    let summary = format!(
        "{n} move(s) faster than {} km/h, first {} ({}) → {} ({}): {:.0} km in {:.2} h",
        input.settings.max_speed_kmh,
        t.from.geo.place(),
        t.from.ip,
        t.to.geo.place(),
        t.to.ip,
        t.distance_km,
        t.hours
    );
    trips.truncate(MAX_EVIDENCE);
    indicator(kind, IndicatorStatus::Observed, Some(Severity::High), summary, n, Evidence::Trips { trips })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::tests::finding;
    use crate::summary::Tally;

    const U: &str = "arn:aws:iam::111122223333:user/alice";
    const DAY: i64 = 86_400;
    const FROM: i64 = 1_800_000_000 - 1_800_000_000 % DAY;

    fn ip_row(t: i64, ip: &str) -> Summary {
        Summary { hour: crate::hour_of(t), src: U.into(), rel: Rel::Ip, dst: ip.into(), detail: String::new(), tally: Tally::one(t, true) }
    }

    fn geo(lat: f64, lon: f64, acc: u32, country: &str) -> Geo {
        Geo { country: Some(country.into()), latitude: Some(lat), longitude: Some(lon), accuracy_km: Some(acc), ..Geo::default() }
    }

    fn run_with(rows: &[Summary], geos: &BTreeMap<String, Geo>, speed: u32, findings: &[Finding]) -> Investigation {
        investigate(&Input {
            principal: U,
            kind: EntityKind::IamUser,
            scope: ProfileScope { from: FROM, to: FROM + DAY, baseline_days: 45 },
            rows,
            sessions: vec![],
            access_keys: vec![],
            geo: geos,
            has_location: true,
            has_asn: false,
            geoip: vec![],
            lists: Some(&[]),
            findings,
            groups: &[],
            settings: Settings { max_speed_kmh: speed },
        })
    }

    fn travel_of(inv: &Investigation) -> &Indicator {
        &inv.indicators[1]
    }

    #[test]
    fn impossible_travel_follows_the_speed_threshold_and_the_accuracy_radii() {
        // Two places 990 km apart (along a meridian).
        let deg = 990.0 / (6371.0 * std::f64::consts::PI / 180.0);
        let geos: BTreeMap<String, Geo> =
            [("192.0.2.1".to_string(), geo(0.0, 10.0, 0, "AA")), ("192.0.2.2".to_string(), geo(deg, 10.0, 0, "BB"))].into();
        let t = FROM + 3600;
        // One hour apart: 990 km/h, not faster than 1,000 km/h.
        let rows = [ip_row(t, "192.0.2.1"), ip_row(t + 3600, "192.0.2.2")];
        assert_eq!(travel_of(&run_with(&rows, &geos, 1000, &[])).status, IndicatorStatus::NotObserved);
        // 59 minutes: faster.
        let rows = [ip_row(t, "192.0.2.1"), ip_row(t + 3540, "192.0.2.2")];
        let inv = run_with(&rows, &geos, 1000, &[]);
        assert_eq!(travel_of(&inv).status, IndicatorStatus::Observed);
        let Evidence::Trips { trips } = &travel_of(&inv).evidence else { panic!() };
        assert_eq!(trips[0].distance_km, 990.0);
        assert_eq!(trips[0].speed_kmh, Some(1007.0));
        // The threshold is the setting's.
        assert_eq!(travel_of(&run_with(&rows, &geos, 1100, &[])).status, IndicatorStatus::NotObserved);
        // Accuracy radii of 50 km each make it at least 890 km: travellable in 59 minutes.
        let fuzzy: BTreeMap<String, Geo> =
            [("192.0.2.1".to_string(), geo(0.0, 10.0, 50, "AA")), ("192.0.2.2".to_string(), geo(deg, 10.0, 50, "BB"))].into();
        assert_eq!(travel_of(&run_with(&rows, &fuzzy, 1000, &[])).status, IndicatorStatus::NotObserved);
        // The same second, two places: impossible at any speed.
        let rows = [ip_row(t, "192.0.2.1"), ip_row(t, "192.0.2.2")];
        let inv = run_with(&rows, &geos, 1_000_000, &[]);
        let Evidence::Trips { trips } = &travel_of(&inv).evidence else { panic!("{inv:#?}") };
        assert_eq!(trips[0].speed_kmh, None);
        // There and back within the hour: the last sighting of an hour's summary counts too.
        let mut back = ip_row(t, "192.0.2.1");
        back.tally.last_seen = t + 1800;
        let rows = [back, ip_row(t + 600, "192.0.2.2")];
        let inv = run_with(&rows, &geos, 1000, &[]);
        let Evidence::Trips { trips } = &travel_of(&inv).evidence else { panic!() };
        assert_eq!(trips.len(), 2, "A → B at +10 min and B → A at +30 min");
        // An address without coordinates is skipped, never a trip.
        let rows = [ip_row(t, "192.0.2.1"), ip_row(t + 1, "10.0.0.1")];
        assert_eq!(travel_of(&run_with(&rows, &geos, 1000, &[])).status, IndicatorStatus::NotObserved);
    }

    #[test]
    fn the_severity_is_the_highest_indicators_raised_by_a_technique_from_somewhere_new() {
        let geos: BTreeMap<String, Geo> = [("192.0.2.1".to_string(), geo(0.0, 10.0, 0, "AA")), ("192.0.2.2".to_string(), geo(1.0, 10.0, 0, "BB"))].into();
        let base = [ip_row(FROM - 10 * DAY, "192.0.2.1")];
        // Nothing in the scope: informational, every indicator not observed or not available.
        let inv = run_with(&base, &geos, 1000, &[]);
        assert_eq!(inv.severity, Severity::Informational);
        assert!(inv.observed.is_empty());
        // A new country: medium.
        let mut rows = base.to_vec();
        rows.push(ip_row(FROM + 3600, "192.0.2.2"));
        let inv = run_with(&rows, &geos, 1000, &[]);
        assert_eq!(inv.observed, [IndicatorKind::NewGeolocation]);
        assert_eq!(inv.severity, Severity::Medium);
        // With a medium detection in the scope: raised to high.
        let t = (FROM + 7200 - 1_800_000_000) / 3600;
        let d = finding("d", U, t, t, Severity::Medium, Some("TTPs/Initial Access/T1078.004"));
        let inv = run_with(&rows, &geos, 1000, std::slice::from_ref(&d));
        assert_eq!(inv.observed, [IndicatorKind::TtpObserved, IndicatorKind::NewGeolocation]);
        assert_eq!(inv.severity, Severity::High);
        // A detection outside the scope does not count.
        let old = finding("o", U, t - 100, t - 90, Severity::High, Some("TTPs/Impact/T1485"));
        let inv = run_with(&base, &geos, 1000, &[old]);
        assert_eq!(inv.indicators[0].status, IndicatorStatus::NotObserved);
    }
}
