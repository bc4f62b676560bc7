//! The investigation graph in the console (issue 13): the graph's entities by kind and id
//! (`/investigate`), and one entity's profile over a scope window
//! (`/investigate/entities/{entity}`): activity over time (a chart and its table), API
//! calls by service and action with success and failure, addresses and user agents with
//! their first sighting, resources touched, related entities, flows by peer and port, and
//! what is newly observed compared with the baseline before the scope.
//!
//! The profile is `rampart_app::investigate::entity_profile`'s, the same value
//! `rampart investigate entity --format json` prints; this page only lays it out (and sums
//! its hours into days for a long scope's chart). Entity ids, user agents and resource
//! names are attacker-chosen text: maud escapes them, links carry them percent-encoded,
//! and the chart's data cannot end its script element (`dashboard::json_script`).

use super::dashboard::{chart, chart_scripts};
use super::{layout, url_encode, PageError};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_app::investigate::EntityLine;
use rampart_graph::{EntityKind, Profile};
use serde::Deserialize;
use serde_json::json;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/investigate", VIEWER), get(entities)), (r("GET", "/investigate/entities/{entity}", VIEWER), get(entity))]
}

/// An entity's profile page (its default scope).
pub(crate) fn entity_url(id: &str) -> String {
    format!("/investigate/entities/{}", url_encode(id))
}

/// An entity's profile page over `[from, to)` (Unix seconds).
pub(crate) fn entity_url_in(id: &str, from: i64, to: i64) -> String {
    format!("{}?from={}&to={}", entity_url(id), url_encode(&rampart_graph::text_time(from)), url_encode(&rampart_graph::text_time(to)))
}

/// A kind as people say it.
pub(crate) fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Account => "AWS account",
        EntityKind::Root => "root user",
        EntityKind::IamUser => "IAM user",
        EntityKind::IamRole => "IAM role",
        EntityKind::RoleSession => "role session",
        EntityKind::FederatedUser => "federated user",
        EntityKind::Identity => "federated identity",
        EntityKind::Service => "AWS service",
        EntityKind::AccessKey => "access key",
        EntityKind::Ec2Instance => "EC2 instance",
        EntityKind::NetworkInterface => "network interface",
        EntityKind::IpAddress => "IP address",
        EntityKind::UserAgent => "user agent",
        EntityKind::S3Bucket => "S3 bucket",
        EntityKind::Resource => "resource",
        EntityKind::Finding => "GuardDuty finding",
    }
}

/// How many entities the list shows at most.
const LIST_LIMIT: usize = 500;

#[derive(Deserialize, Default)]
pub struct ListParams {
    kind: Option<String>,
    prefix: Option<String>,
}

/// `/investigate`: the graph's entities, by kind and id prefix.
async fn entities(State(state): State<Shared>, Extension(caller): Extension<Caller>, Query(p): Query<ListParams>) -> Result<Markup, PageError> {
    let kind = p.kind.clone().filter(|k| !k.trim().is_empty());
    let prefix = p.prefix.clone().unwrap_or_default();
    let (lines, counts) = {
        let (kind, prefix) = (kind.clone(), prefix.clone());
        state
            .store(move |s| {
                let lines = rampart_app::investigate::entities(s, kind.as_deref(), prefix.trim(), LIST_LIMIT + 1);
                Ok((lines, s.graph_counts()?))
            })
            .await?
    };
    let mut lines = lines.map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
    let more = lines.len() > LIST_LIMIT;
    lines.truncate(LIST_LIMIT);
    let body = html! {
        h1 { "Investigate" }
        p.small {
            "The investigation graph: what each principal, access key, instance and address did, summarised per hour from the CloudTrail, VPC Flow Logs and GuardDuty files read by "
            code { "rampart investigate ingest" } ". Open an entity for its profile: activity over time, API calls, addresses, user agents, resources, flows, and what is new against its 45-day baseline."
        }
        p.count #graph-counts { (counts.0) " entities, " (counts.1) " hourly summaries, " (counts.2) " files read" }
        form.filters #entity-search method="get" action="/investigate" {
            label { "Kind " select #kind name="kind" {
                option value="" { "any" }
                @for k in EntityKind::ALL { option value=(k.name()) selected[kind.as_deref() == Some(k.name())] { (kind_label(k)) } }
            } }
            label { "Id starts with " input #prefix type="text" name="prefix" value=(prefix) size="40" placeholder="arn:aws:iam::111122223333:user/, 203.0.113., i-, AKIA"; }
            button #search type="submit" { "Search" }
        }
        @if lines.is_empty() {
            p #no-entity {
                @if counts.0 == 0 { "The graph is empty: read logs into it with " code { "rampart investigate ingest cloudtrail PATH --db …" } " (or flowlogs, guardduty) on this store." }
                @else { "No entity matches." }
            }
        } @else {
            p.count { (lines.len()) @if more { " shown (the first " (LIST_LIMIT) " by id; narrow the search)" } @else { " matching" } }
            (entity_table("entities", &lines))
        }
    };
    Ok(layout("Investigate", &caller, "investigate", body))
}

/// Entities as a table of links to their profiles.
pub(crate) fn entity_table(id: &str, lines: &[EntityLine]) -> Markup {
    html! {
        table.entities id=(id) {
            thead { tr { th scope="col" { "Entity" } th scope="col" { "Kind" } th scope="col" { "First seen" } th scope="col" { "Last seen" } } }
            tbody {
                @for e in lines {
                    tr.e data-kind=(e.kind.name()) {
                        td { a href=(entity_url(&e.id)) { code { (e.id) } } }
                        td { (kind_label(e.kind)) }
                        td.when { (e.first_seen) }
                        td.when { (e.last_seen) }
                    }
                }
            }
        }
    }
}

/// The scope selector's fields: times as RFC 3339, a day, or what a `datetime-local` input
/// sends (`2026-11-30T08:00`, read as UTC); `span` a length ending at `to` (or at the end
/// of the entity's last active hour).
#[derive(Deserialize, Default)]
pub(crate) struct ScopeParams {
    from: Option<String>,
    to: Option<String>,
    span: Option<String>,
    baseline_days: Option<String>,
}

/// The spans the selector offers: (value, label, seconds).
pub(crate) const SPANS: [(&str, &str, i64); 6] = [
    ("1h", "1 hour", 3600),
    ("24h", "24 hours", 86_400),
    ("7d", "7 days", 7 * 86_400),
    ("30d", "30 days", 30 * 86_400),
    ("90d", "90 days", 90 * 86_400),
    ("365d", "1 year", 365 * 86_400),
];

/// A time from the scope form.
fn parse_time(field: &str, s: &str) -> Result<i64, ApiError> {
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let minute = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    if let Ok(t) = time::PrimitiveDateTime::parse(s, &minute) {
        return Ok(t.assume_utc().unix_timestamp());
    }
    let second = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Ok(t) = time::PrimitiveDateTime::parse(s, &second) {
        return Ok(t.assume_utc().unix_timestamp());
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(s, &day) {
        return Ok(d.midnight().assume_utc().unix_timestamp());
    }
    Err(ApiError::bad_request(format!("`{field}` `{}` is not a time: use 2026-11-30T08:00 (UTC), 2026-11-30T08:00:00Z or 2026-11-30", rampart_app::shown(s))))
}

/// A `datetime-local` input's value for `t` (UTC, to the minute).
fn local_input(t: i64) -> String {
    let d = time::OffsetDateTime::from_unix_timestamp(t).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", d.year(), u8::from(d.month()), d.day(), d.hour(), d.minute())
}

fn unix(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok().map(|t| t.unix_timestamp())
}

/// The scope asked for, checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// A span's length (seconds), when one was chosen.
    pub span: Option<i64>,
    pub baseline_days: i64,
}

impl Scope {
    /// The window to ask the app layer for: a span ends at `to`, or where the default
    /// scope ends (the end of the entity's last active hour), and starts that long before;
    /// otherwise `from` and `to` as given (the app's defaults for those absent).
    pub fn window(&self, seen: &rampart_graph::EntitySeen) -> (Option<i64>, Option<i64>) {
        match (self.span, self.from) {
            (Some(len), None) => {
                let end = self.to.unwrap_or(rampart_graph::hour_of(seen.last_seen) + 3600);
                (Some(end - len), Some(end))
            }
            _ => (self.from, self.to),
        }
    }
}

/// The scope form's fields, checked (a clear 400 for what is not a time, a span or a
/// number of days).
pub(crate) fn parse_scope(q: &ScopeParams) -> Result<Scope, ApiError> {
    let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let from = nonempty(&q.from).map(|s| parse_time("from", &s)).transpose()?;
    let to = nonempty(&q.to).map(|s| parse_time("to", &s)).transpose()?;
    let span = match nonempty(&q.span) {
        None => None,
        Some(v) => Some(SPANS.iter().find(|(k, ..)| *k == v).map(|s| s.2).ok_or_else(|| {
            ApiError::bad_request(format!(
                "`span` `{}` is not one of {}",
                rampart_app::shown(&v),
                SPANS.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ))
        })?),
    };
    let baseline_days = match nonempty(&q.baseline_days) {
        None => rampart_app::investigate::DEFAULT_BASELINE_DAYS,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
            .ok_or_else(|| ApiError::bad_request("`baseline_days` is a number of days between 0 and 3650"))?,
    };
    Ok(Scope { from, to, span, baseline_days })
}

/// The scope selector: from and to (UTC), baseline days, and the spans ending where the
/// default scope ends; a GET form to `action`.
pub(crate) fn scope_form(id: &str, action: &str, from: i64, to: i64, span: Option<i64>, baseline_days: i64) -> Markup {
    html! {
        form.filters.scope id=(id) method="get" action=(action) {
            label { "From (UTC) " input #scope-from type="datetime-local" name="from" value=(local_input(from)); }
            label { "To " input #scope-to type="datetime-local" name="to" value=(local_input(to)); }
            label { "Baseline days " input #baseline-days type="number" name="baseline_days" min="0" max="3650" value=(baseline_days); }
            button #scope-apply type="submit" { "Apply" }
            span.small { "or the last " }
            @for (v, label, len) in SPANS {
                a.span href={ (action) "?span=" (v) "&baseline_days=" (baseline_days) } aria-current=[(span == Some(len)).then_some("true")] data-span=(v) { (label) }
                " "
            }
        }
    }
}

/// `/investigate/entities/{entity}`: the entity's profile over the chosen scope, with the
/// countries and ASNs of its addresses.
async fn entity(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<ScopeParams>,
) -> Result<Markup, PageError> {
    let scope = parse_scope(&q)?;
    let wanted = id.clone();
    let got = state
        .store(move |s| {
            let Some(seen) = s.graph_entity(wanted.trim())? else { return Ok(None) };
            let (from, to) = scope.window(&seen);
            let profile = rampart_app::investigate::entity_profile(s, &wanted, from, to, scope.baseline_days);
            let places = match &profile {
                Ok(p) => match (unix(&p.scope_from), unix(&p.scope_to)) {
                    (Some(f), Some(t)) => Some(rampart_app::investigate::entity_places(
                        s,
                        &p.entity,
                        f,
                        t,
                        scope.baseline_days,
                        &rampart_app::investigate::Settings::default(),
                    )),
                    _ => None,
                },
                Err(_) => None,
            };
            Ok(Some((profile, places)))
        })
        .await?;
    let (p, places) = match got {
        None => {
            return Err(ApiError::not_found(format!(
                "no entity `{}` in the investigation graph: search for it on /investigate, or ingest its CloudTrail or flow logs first",
                rampart_app::shown(&id)
            ))
            .into())
        }
        Some((p, places)) => (p.map_err(|e| ApiError::bad_request(format!("{e:#}")))?, places),
    };
    let places = match places {
        Some(Ok(pl)) => Ok(pl),
        Some(Err(e)) => Err(format!("{e:#}")),
        None => Err("no scope".to_string()),
    };
    let body = profile_body(&p, &places, scope.span, scope.baseline_days);
    Ok(layout(&p.entity, &caller, "investigate", body))
}

/// A "new" badge for what the baseline never saw.
fn new_badge(new: bool) -> Markup {
    html! { @if new { " " span.new title="not seen in the baseline window before the scope" { "new" } } }
}

/// The activity chart and its table: hours (a scope of up to 7 days) or days, every
/// bucket of the scope present (zero when nothing happened).
fn activity(p: &Profile) -> Markup {
    let (Some(from), Some(to)) = (unix(&p.scope_from), unix(&p.scope_to)) else { return html! {} };
    let daily = to - from > 7 * 86_400;
    let step = if daily { 86_400 } else { 3600 };
    let start = from - from.rem_euclid(step);
    let n = ((to - start + step - 1) / step).clamp(0, 4000) as usize;
    let mut buckets: Vec<(i64, u64, u64, u64)> = (0..n).map(|i| (start + i as i64 * step, 0, 0, 0)).collect();
    for h in &p.activity {
        let Some(t) = unix(&h.hour) else { continue };
        let i = ((t - start) / step) as usize;
        if let Some(b) = buckets.get_mut(i) {
            b.1 += h.success;
            b.2 += h.failure;
            b.3 += h.bytes;
        }
    }
    let label = |t: i64| {
        let d = time::OffsetDateTime::from_unix_timestamp(t).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        if daily {
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        } else {
            format!("{:02}-{:02} {:02}:00", u8::from(d.month()), d.day(), d.hour())
        }
    };
    let flows = !p.flows.is_empty();
    let (ok_label, bad_label) = if flows { ("accepted", "rejected") } else { ("succeeded", "failed") };
    let spec = json!({
        "type": "bar",
        "stacked": true,
        "labels": buckets.iter().map(|b| label(b.0)).collect::<Vec<_>>(),
        "datasets": [
            { "label": ok_label, "data": buckets.iter().map(|b| b.1).collect::<Vec<_>>(), "colors": "#1f5fa8" },
            { "label": bad_label, "data": buckets.iter().map(|b| b.2).collect::<Vec<_>>(), "colors": "#c2410c" },
        ],
        "horizontal": false,
    });
    let total: u64 = buckets.iter().map(|b| b.1 + b.2).sum();
    let unit = if daily { "day" } else { "hour" };
    html! {
        h2 #activity { "Activity per " (unit) }
        @if total == 0 { p.small { "Nothing in this scope." } }
        (chart("activity-chart", &format!("Activity per {unit}"), spec, buckets.len()))
        details.table #activity-table {
            summary { "The numbers (" (total) " in " (buckets.iter().filter(|b| b.1 + b.2 > 0).count()) " active " (unit) "s)" }
            table.counts {
                thead { tr { th scope="col" { (unit) " (UTC)" } th.num scope="col" { (ok_label) } th.num scope="col" { (bad_label) } @if flows { th.num scope="col" { "bytes" } } } }
                tbody {
                    @for b in buckets.iter().filter(|b| b.1 + b.2 > 0) {
                        tr { td.when { (rampart_graph::text_time(b.0)) } td.num { (b.1) } td.num { (b.2) } @if flows { td.num { (b.3) } } }
                    }
                }
            }
        }
    }
}

/// A link to another entity's profile over the same scope.
fn other(id: &str, p: &Profile) -> Markup {
    let href = match (unix(&p.scope_from), unix(&p.scope_to)) {
        (Some(f), Some(t)) => entity_url_in(id, f, t),
        _ => entity_url(id),
    };
    html! { a href=(href) { code { (id) } } }
}

fn profile_body(p: &Profile, places: &Result<rampart_graph::geo::Places, String>, span: Option<i64>, baseline_days: i64) -> Markup {
    let (from, to) = (unix(&p.scope_from).unwrap_or(0), unix(&p.scope_to).unwrap_or(0));
    let principal = p.kind.is_principal();
    html! {
        p.crumbs { a href="/investigate" { "Investigate" } " › " (kind_label(p.kind)) }
        h1 { code #entity-id { (p.entity) } }
        dl.facts {
            dt { "Kind" } dd #entity-kind { (kind_label(p.kind)) }
            dt { "First · last seen" } dd { (p.first_seen.as_deref().unwrap_or("—")) " · " (p.last_seen.as_deref().unwrap_or("—")) " " span.small { "(in the rows read: baseline and scope)" } }
            dt { "Scope" } dd #scope { (p.scope_from) " – " (p.scope_to) }
            dt { "Baseline" } dd #baseline {
                (p.baseline_from) " – " (p.scope_from)
                @if !p.baseline_has_data { " " span.small { "(no activity in the baseline: nothing is called new)" } }
            }
            dt { "Findings" } dd { a #entity-findings href={ "/findings?resource=" (url_encode(&p.entity)) } { "Rampart findings on this resource" } }
            @if super::investigation::investigable(p.kind) {
                dt { "Investigation" } dd { a #investigate-entity href=(super::investigation::investigation_url_in(&p.entity, from, to)) { "Indicators of compromise over this scope" } }
            }
        }
        (scope_form("scope-form", &entity_url(&p.entity), from, to, span, baseline_days))
        (activity(p))
        h2 #newly { "Newly observed" }
        @if p.newly_observed.is_empty() {
            p.small { @if p.baseline_has_data { "Nothing in the scope that the baseline had not seen." } @else { "No baseline to compare with." } }
        } @else {
            table.newly #newly-table {
                thead { tr { th scope="col" { "What" } th scope="col" { "Value" } th scope="col" { "First seen" } } }
                tbody { @for n in &p.newly_observed { tr { td { (n.what) } td { code { (n.value) } } td.when { (n.first_seen) } } } }
            }
        }
        @if principal || !p.api_calls.is_empty() {
            h2 #api-calls { "API calls" }
            @if p.api_calls.is_empty() { p.small { "None in this scope." } }
            @else {
                div.scroll { table.calls #calls-table {
                    thead { tr { th scope="col" { "Service" } th scope="col" { "Action" } th.num scope="col" { "Succeeded" } th.num scope="col" { "Failed" } th scope="col" { "Errors" } th scope="col" { "First seen" } th scope="col" { "Last seen" } } }
                    tbody {
                        @for c in &p.api_calls {
                            tr.call data-new=(c.new) {
                                td { (c.service) } td { (c.action) (new_badge(c.new)) }
                                td.num { (c.success) } td.num { (c.failure) }
                                td.small { @for (code, n) in &c.errors { (code) " × " (n) br; } }
                                td.when { (c.first_seen) } td.when { (c.last_seen) }
                            }
                        }
                    }
                } }
            }
        }
        @if principal || !p.ips.is_empty() {
            h2 #ips { "IP addresses" }
            @if p.ips.is_empty() { p.small { "None in this scope." } }
            @else { (seen_table("ips-table", &p.ips, p, true)) }
            (places_section(places))
        }
        @if principal || !p.user_agents.is_empty() {
            h2 #user-agents { "User agents" }
            @if p.user_agents.is_empty() { p.small { "None in this scope." } }
            @else { (seen_table("agents-table", &p.user_agents, p, true)) }
        }
        @if !p.resources.is_empty() {
            h2 #resources { "Resources touched" }
            (seen_table("resources-table", &p.resources, p, true))
        }
        @if !p.flows.is_empty() {
            h2 #flows { "Flows by peer and port" }
            div.scroll { table.flows #flows-table {
                thead { tr {
                    th scope="col" { "Peer" } th scope="col" { "Direction" } th scope="col" { "Protocol/port" } th.num scope="col" { "Records" }
                    th.num scope="col" { "Accepted bytes" } th.num scope="col" { "Rejected bytes" } th.num scope="col" { "Packets (acc./rej.)" } th scope="col" { "First seen" } th scope="col" { "Last seen" }
                } }
                tbody {
                    @for f in &p.flows {
                        tr.flow data-new=(f.new) {
                            td { (other(&f.peer, p)) (new_badge(f.new)) } td { (f.direction) } td { (protocol(f.protocol)) "/" (f.port) }
                            td.num { (f.records) } td.num { (f.accepted_bytes) } td.num { (f.rejected_bytes) }
                            td.num { (f.accepted_packets) " / " (f.rejected_packets) }
                            td.when { (f.first_seen) } td.when { (f.last_seen) }
                        }
                    }
                }
            } }
        }
        @if !p.related.is_empty() {
            h2 #related { "Related entities" }
            div.scroll { table.related #related-table {
                thead { tr { th scope="col" { "Relationship" } th scope="col" { "Entity" } th scope="col" { "Kind" } th.num scope="col" { "Count" } th scope="col" { "First seen" } th scope="col" { "Last seen" } } }
                tbody {
                    @for r in &p.related {
                        tr.rel {
                            td { (relation(r.rel, r.direction)) }
                            td { (other(&r.entity, p)) (new_badge(r.new)) }
                            td { (kind_label(r.kind)) }
                            td.num { (r.count) }
                            td.when { (r.first_seen) } td.when { (r.last_seen) }
                        }
                    }
                }
            } }
        }
        p.small { "The same profile as JSON: " code { "rampart investigate entity '" (p.entity) "' --from " (p.scope_from) " --to " (p.scope_to) " --baseline-days " (baseline_days) " --format json" } }
        (chart_scripts())
    }
}

/// The countries and ASNs of the entity's addresses (each with its first sighting and
/// whether the baseline knew it), or why they are not known.
fn places_section(places: &Result<rampart_graph::geo::Places, String>) -> Markup {
    let table = |id: &str, what: &str, rows: &[rampart_graph::geo::Place]| {
        html! {
            div.scroll { table.seen id=(id) {
                thead { tr { th scope="col" { (what) } th.num scope="col" { "Calls" } th scope="col" { "Addresses" } th scope="col" { "First seen" } th scope="col" { "Last seen" } } }
                tbody {
                    @for pl in rows {
                        tr.seen data-new=(pl.new) {
                            td { code { (pl.value) } @if !pl.name.is_empty() { " " span.small { (pl.name) } } (new_badge(pl.new)) }
                            td.num { (pl.calls) }
                            td.small { (pl.ips.join(", ")) }
                            td.when { (pl.first_seen) } td.when { (pl.last_seen) }
                        }
                    }
                }
            } }
        }
    };
    html! {
        @match places {
            Err(e) => p.small.error.geo-na { "Countries and ASNs could not be read: " (e) },
            Ok(pl) => {
                @if !pl.countries.is_empty() { h3 #countries { "Countries" } (table("countries-table", "Country", &pl.countries)) }
                @if !pl.asns.is_empty() { h3 #asns { "Autonomous systems" } (table("asns-table", "ASN", &pl.asns)) }
                @for why in &pl.not_available { p.small.geo-na { (why) } }
            },
        }
    }
}

/// Addresses, user agents or resources seen, each linking to its own profile.
fn seen_table(id: &str, rows: &[rampart_graph::profile::Seen], p: &Profile, link: bool) -> Markup {
    let actions = rows.iter().any(|s| !s.actions.is_empty());
    html! {
        div.scroll { table.seen id=(id) {
            thead { tr {
                th scope="col" { "Value" } th.num scope="col" { "Calls" } th.num scope="col" { "Failed" }
                @if actions { th scope="col" { "Actions" } }
                th scope="col" { "First seen" } th scope="col" { "Last seen" }
            } }
            tbody {
                @for s in rows {
                    tr.seen data-new=(s.new) {
                        td { @if link { (other(&s.value, p)) } @else { code { (s.value) } } (new_badge(s.new)) }
                        td.num { (s.count) } td.num { (s.failure) }
                        @if actions { td.small { (s.actions.join(", ")) } }
                        td.when { (s.first_seen) } td.when { (s.last_seen) }
                    }
                }
            }
        } }
    }
}

fn protocol(p: u8) -> String {
    match p {
        6 => "TCP".into(),
        17 => "UDP".into(),
        1 => "ICMP".into(),
        n => n.to_string(),
    }
}

/// A relationship as read from the profiled entity.
fn relation(rel: rampart_graph::Rel, direction: &str) -> &'static str {
    use rampart_graph::Rel;
    let out = direction == "out";
    match (rel, out) {
        (Rel::InAccount, true) => "in the account",
        (Rel::InAccount, false) => "principal of this account",
        (Rel::AssumedBy, true) => "assumed by",
        (Rel::AssumedBy, false) => "assumed",
        (Rel::SessionRole, true) => "session of the role",
        (Rel::SessionRole, false) => "session",
        (Rel::KeyOf, true) => "access key of",
        (Rel::KeyOf, false) => "access key",
        (Rel::InstanceSession, true) => "its role session",
        (Rel::InstanceSession, false) => "session of the instance",
        (Rel::Interface, true) => "network interface",
        (Rel::Interface, false) => "interface of",
        (Rel::FindingOf, true) => "finding names",
        (Rel::FindingOf, false) => "named by the finding",
        (Rel::ApiCall, _) => "API call",
        (Rel::Ip, true) => "called from",
        (Rel::Ip, false) => "caller",
        (Rel::UserAgent, true) => "user agent",
        (Rel::UserAgent, false) => "used by",
        (Rel::Resource, true) => "touched",
        (Rel::Resource, false) => "touched by",
        (Rel::Flow, _) => "flow",
    }
}

/// The finding page's "Investigate" section: the graph's entities the finding names,
/// linked to their profiles; for a threat detection, its principal first — its
/// investigation (an IAM user or role) and its profile, over the detection's time — and
/// the finding groups that hold it. Empty when the graph holds none of them and the
/// finding is not a detection. (Groups are looked up for detections only: it reads every
/// open finding.)
pub(crate) async fn finding_section(state: &Shared, f: &crate::api::ApiFinding) -> Markup {
    let detection = f.check_id.starts_with("threat_");
    let (resource, account, finding) = (f.resource.id.clone(), f.resource.account.clone(), f.id.clone());
    let texts = [f.reason.clone(), f.detail.clone(), f.title.clone()];
    let found = state
        .store(move |s| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let lines = rampart_app::graph_links::finding_entities(s, &resource, &account, &refs);
            let groups = detection
                .then(|| rampart_app::investigate::groups_of_finding(s, &finding, &rampart_app::investigate::Settings::default()));
            Ok((lines, groups))
        })
        .await;
    let fail = |e: String| html! { h2 #investigate { "Investigate" } p.error { "The investigation graph could not be read: " (e) } };
    let (lines, groups) = match found {
        Ok((Ok(lines), None)) => (lines, Vec::new()),
        Ok((Ok(lines), Some(Ok(groups)))) => (lines, groups),
        Ok((Err(e), _)) | Ok((_, Some(Err(e)))) => return fail(format!("{e:#}")),
        Err(e) => return fail(e.message),
    };
    if lines.is_empty() && !detection {
        return html! {};
    }
    // A detection's window: its records' hours, at least the 24 hours up to the last one.
    let window = match (unix(&f.first_observed), unix(&f.last_observed)) {
        (Some(first), Some(last)) if detection => {
            let to = rampart_graph::hour_of(last) + 3600;
            Some((rampart_graph::hour_of(first).min(to - 86_400), to))
        }
        _ => None,
    };
    let href = |id: &str| match window {
        Some((from, to)) => entity_url_in(id, from, to),
        None => entity_url(id),
    };
    let principal = lines.iter().find(|e| e.id == f.resource.id && detection);
    html! {
        h2 #investigate { "Investigate" }
        @if let Some(p) = principal {
            @if let (true, Some((from, to))) = (super::investigation::investigable(p.kind), window) {
                p { a.investigate #investigate-principal href=(super::investigation::investigation_url_in(&p.id, from, to)) { "Investigate " (kind_label(p.kind)) " " code { (p.id) } } ": its indicators of compromise over the detection's time" }
            }
            p { a #profile-principal href=(href(&p.id)) { "Profile of " (kind_label(p.kind)) " " code { (p.id) } } " over the detection's time" }
        } @else if detection {
            p.small #not-in-graph { "The principal " code { (f.resource.id) } " is not in the investigation graph: read its CloudTrail files with " code { "rampart investigate ingest cloudtrail PATH" } " on this store." }
        }
        @if !groups.is_empty() {
            p #finding-groups { "In the finding group" @if groups.len() > 1 { "s" } " "
                @for (i, g) in groups.iter().enumerate() {
                    @if i > 0 { ", " }
                    a.group href=(super::investigation::group_url(&g.id)) { (g.title) } " (" (g.findings) " findings)"
                }
            }
        }
        @if !lines.is_empty() {
            ul.plain #finding-entities {
                @for e in &lines {
                    li { a.entity href=(href(&e.id)) { code { (e.id) } } " " span.small { (kind_label(e.kind)) ", seen " (e.first_seen) " – " (e.last_seen) } }
                }
            }
        }
    }
}
