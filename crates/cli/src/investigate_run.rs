//! `rampart investigate run | group`: investigations of an IAM user or role, and finding
//! groups (issue 13, item 5). Flags → `rampart_app::investigate::{run, groups, group}` →
//! text or JSON on stdout.

use anyhow::{bail, Result};
use clap::{Subcommand, ValueEnum};
use rampart_app::investigate::{self, IndicatorStatus, Settings};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum RunCommand {
    /// Investigate an IAM user or role over a scope window (Detective's investigations):
    /// each indicator of compromise with its evidence — TTPs observed (threat detections),
    /// impossible travel, flagged IP addresses, new geolocation, new ASN, new user agent
    /// (against the baseline before the scope), related findings and finding groups — and a
    /// severity. Indicators that need a GeoIP database or a flagged list nobody configured
    /// are NOT_AVAILABLE and say what to configure.
    Run {
        /// The IAM user's or role's ARN (arn:aws:iam::ACCOUNT:user/NAME, ...:role/NAME).
        #[arg(long)]
        principal: String,
        /// The scope's start: RFC 3339 (`2026-11-30T08:00:00Z`) or a day (`2026-11-30`).
        /// Default: 24 hours before its end.
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// The scope's end (excluded). Default: the end of the hour the principal was last seen.
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Days before the scope that make its baseline (Detective: 45).
        #[arg(long, default_value_t = investigate::DEFAULT_BASELINE_DAYS, value_name = "DAYS")]
        baseline_days: i64,
        #[command(flatten)]
        common: Common,
        /// Impossible travel: a move faster than this, in km/h (default: the config's, else 1000).
        #[arg(long, value_name = "KMH")]
        max_speed_kmh: Option<u32>,
    },
    /// Finding groups (Detective's): findings that name a common entity (principal,
    /// access key, address, instance, bucket...) within the window of each other, with the
    /// entities they share and a timeline. Without an id, the list; with one, the group.
    Group {
        /// A group's id (`fg-...`, from the list).
        id: Option<String>,
        #[command(flatten)]
        common: Common,
        /// Findings naming a common entity join one group when observed at most this many
        /// hours apart (default: the config's, else 24).
        #[arg(long, value_name = "HOURS")]
        window_hours: Option<u32>,
    },
}

#[derive(clap::Args, Debug)]
pub struct Common {
    /// The store: a SQLite file (default: the user's rampart.db) or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// `text` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The config file: its `[investigate]` GeoIP databases, flagged lists and numbers
    /// (docs/rampart.example.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// A GeoLite2-City or GeoLite2-Country .mmdb (overrides the config's `geoip_city`).
    #[arg(long, value_name = "FILE")]
    geoip_city: Option<PathBuf>,
    /// A GeoLite2-ASN .mmdb (overrides the config's `geoip_asn`).
    #[arg(long, value_name = "FILE")]
    geoip_asn: Option<PathBuf>,
    /// A file of flagged addresses or CIDR blocks, one a line (Tor exits...); repeatable,
    /// added to the config's `flagged_ip_lists`.
    #[arg(long, value_name = "FILE")]
    flagged_ips: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// The settings of `--config` and the flags.
pub fn settings(config: Option<&Path>, city: Option<&Path>, asn: Option<&Path>, lists: &[PathBuf]) -> Result<Settings> {
    let mut s = match config {
        None => Settings::default(),
        Some(path) => {
            let c = rampart_app::scan::load_config(path)?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            Settings::from_config(&c.investigate, &base)?
        }
    };
    s.set_geoip(city, asn)?;
    s.add_lists(lists)?;
    Ok(s)
}

fn common_settings(c: &Common) -> Result<Settings> {
    settings(c.config.as_deref(), c.geoip_city.as_deref(), c.geoip_asn.as_deref(), &c.flagged_ips)
}

pub fn main(cmd: RunCommand) -> Result<ExitCode> {
    match cmd {
        RunCommand::Run { principal, from, to, baseline_days, common, max_speed_kmh } => {
            let from = from.map(|s| crate::investigate_graph::parse_time("--from", &s)).transpose()?;
            let to = to.map(|s| crate::investigate_graph::parse_time("--to", &s)).transpose()?;
            if !(0..=3650).contains(&baseline_days) {
                bail!("--baseline-days is between 0 and 3650");
            }
            let mut s = common_settings(&common)?;
            if let Some(v) = max_speed_kmh {
                if v == 0 {
                    bail!("--max-speed-kmh 0 would call every move impossible: give a speed in km/h (default 1000)");
                }
                s.max_speed_kmh = v;
            }
            let store = crate::hints::read_store(&common.db.unwrap_or_else(rampart_hub::Store::default_path))?;
            let inv = investigate::run(&store, &principal, from, to, baseline_days, &s)?;
            print_run(&inv, common.format)
        }
        RunCommand::Group { id, common, window_hours } => {
            let mut s = common_settings(&common)?;
            if let Some(h) = window_hours {
                if h == 0 {
                    bail!("--window-hours is at least 1 (default 24)");
                }
                s.group_window_hours = h;
            }
            let store = crate::hints::read_store(&common.db.unwrap_or_else(rampart_hub::Store::default_path))?;
            match id {
                Some(id) => print_group(&investigate::group(&store, &id, &s)?, common.format),
                None => print_groups(&investigate::groups(&store, &s)?, common.format),
            }
        }
    }
}

fn out(lines: &[String]) -> Result<ExitCode> {
    let mut o = std::io::stdout().lock();
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
    let _ = o.flush();
    Ok(ExitCode::SUCCESS)
}

fn json<T: serde::Serialize>(v: &T) -> Result<ExitCode> {
    out(&[serde_json::to_string_pretty(v)?])
}

fn print_run(inv: &investigate::Investigation, format: Format) -> Result<ExitCode> {
    if format == Format::Json {
        return json(inv);
    }
    use investigate::Evidence;
    let mut l = vec![
        format!("investigation of {} ({})  severity {}", inv.principal, inv.kind.name(), inv.severity.label()),
        format!(
            "scope {} – {}, baseline from {}{}",
            inv.scope_from,
            inv.scope_to,
            inv.baseline_from,
            if inv.baseline_has_data { "" } else { " (no data in the baseline)" }
        ),
        format!(
            "{} API call(s) from {} address(es); {} session(s), {} access key(s)",
            inv.api_calls,
            inv.ips.len(),
            inv.sessions.len(),
            inv.access_keys.len()
        ),
    ];
    if !inv.geoip.is_empty() {
        l.push(format!("GeoIP: {}", inv.geoip.join("; ")));
    }
    for i in &inv.indicators {
        let status = match i.status {
            IndicatorStatus::Observed => format!("OBSERVED {}", i.severity.map(|s| s.label()).unwrap_or_default()),
            IndicatorStatus::NotObserved => "not observed".to_string(),
            IndicatorStatus::NotAvailable => "NOT_AVAILABLE".to_string(),
        };
        l.push(String::new());
        l.push(format!("{} — {status}", i.title));
        l.push(format!("  {}", i.summary));
        match &i.evidence {
            Evidence::None => {}
            Evidence::Findings { findings } => {
                for f in findings {
                    let ttps = if f.ttps.is_empty() { String::new() } else { format!(" [{}]", f.ttps.join(", ")) };
                    l.push(format!("  {} {} {}{ttps}  {} – {}  {}", f.severity.label(), f.check_id, f.title, f.first_observed, f.last_observed, f.id));
                }
            }
            Evidence::Trips { trips } => {
                for t in trips {
                    let speed = t.speed_kmh.map(|v| format!("{v:.0} km/h")).unwrap_or_else(|| "at the same second".into());
                    l.push(format!(
                        "  {} {} ({}) → {} {} ({}): {:.0} km in {:.2} h, {speed}",
                        t.from.at,
                        t.from.ip,
                        t.from.geo.place(),
                        t.to.at,
                        t.to.ip,
                        t.to.geo.place(),
                        t.distance_km,
                        t.hours
                    ));
                }
            }
            Evidence::Addresses { addresses } => {
                for a in addresses {
                    l.push(format!("  {} on {} ({}): {} call(s), {} – {}", a.ip, a.list, a.entry, a.calls, a.first_seen, a.last_seen));
                }
            }
            Evidence::NewValues { values } => {
                for v in values {
                    let name = if v.name.is_empty() { String::new() } else { format!(" ({})", v.name) };
                    let ips = if v.ips.is_empty() { String::new() } else { format!(" from {}", v.ips.join(", ")) };
                    l.push(format!("  {}{name}: {} call(s){ips}, first {}", v.value, v.calls, v.first_seen));
                }
            }
            Evidence::Groups { groups } => {
                for g in groups {
                    l.push(format!("  {} {} {} ({} findings, {} – {})", g.id, g.severity.label(), g.title, g.findings, g.first_observed, g.last_observed));
                }
            }
        }
        if i.count > 50 {
            l.push(format!("  … {} in all", i.count));
        }
    }
    out(&l)
}

fn print_groups(list: &investigate::GroupList, format: Format) -> Result<ExitCode> {
    if format == Format::Json {
        return json(list);
    }
    let mut l = Vec::new();
    for g in &list.groups {
        let tactics = if g.tactics.is_empty() { String::new() } else { format!("  [{}]", g.tactics.join(", ")) };
        l.push(format!("{}  {:<13} {}  {} – {}{tactics}", g.id, g.severity.label(), g.title, g.first_observed, g.last_observed));
    }
    l.push(format!(
        "{} group(s) over {} open finding(s) (findings naming a common entity within {} hours join one group){}",
        list.groups.len(),
        list.findings_read,
        list.window_hours,
        if list.truncated { "; only the 50,000 most severe findings were read" } else { "" }
    ));
    out(&l)
}

fn print_group(g: &investigate::FindingGroup, format: Format) -> Result<ExitCode> {
    if format == Format::Json {
        return json(g);
    }
    let mut l = vec![
        format!("{}  {}  severity {}", g.id, g.title, g.severity.label()),
        format!("observed {} – {}", g.first_observed, g.last_observed),
    ];
    if !g.tactics.is_empty() {
        l.push(format!("tactics: {}", g.tactics.join(", ")));
    }
    l.push("\nfindings:".into());
    for f in &g.findings {
        l.push(format!("  {} {} {}  on {}  {} – {}  {}", f.severity.label(), f.check_id, f.title, f.resource, f.first_observed, f.last_observed, f.id));
    }
    l.push("\nentities (named by how many of its findings):".into());
    for e in &g.entities {
        l.push(format!("  {} ({})  {}", e.id, e.kind.name(), e.findings.len()));
    }
    l.push("\ntimeline:".into());
    for t in &g.timeline {
        l.push(format!("  {}  {} {}  {}", t.at, t.what.replace('_', " "), t.severity.label(), t.title));
    }
    out(&l)
}
