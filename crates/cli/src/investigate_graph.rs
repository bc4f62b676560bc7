//! `rampart investigate ingest | entity`: the behaviour graph (issue 13). Flags →
//! `rampart_app::investigate` → lines on stdout (or JSON).

use crate::progress::Stderr;
use anyhow::{bail, Result};
use clap::{Subcommand, ValueEnum};
use rampart_app::investigate::{self, IngestOptions, Source};
use rampart_app::Notify;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum GraphCommand {
    /// Read CloudTrail log files, VPC Flow Logs or GuardDuty findings into the investigation graph: files,
    /// folders (CloudTrail's AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout,
    /// organisation trails included; flow logs' .log and .log.gz files) or the bucket they
    /// are delivered to, s3://BUCKET[/PREFIX] (read-only: s3:ListBucket, s3:GetObject). Each file is read
    /// once (a checkpoint per file); digest and Insights files are skipped; an interrupted
    /// ingest resumes where it stopped without counting anything twice. Malformed records
    /// are reported with their file and position. CloudTrail records read are also run
    /// through the threat detections, recorded as findings (source `cloudtrail`, as
    /// `rampart investigate detections --db` records them; `rampart findings` lists them):
    /// only files not ingested before are read, so the detections cover the new files.
    /// Exits 2 when a file could not be read.
    Ingest {
        /// What the files are.
        #[arg(value_enum)]
        source: IngestSource,
        /// Files, folders, or s3://BUCKET[/PREFIX].
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or the
        /// user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
        /// Keep this many days of summaries (older hours are pruned after the ingest).
        #[arg(long, default_value_t = investigate::DEFAULT_RETENTION_DAYS, value_name = "DAYS")]
        retention_days: u32,
        /// `json`: the whole report (every malformed record kept, up to 1,000) on stdout.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// s3:// paths: a named profile from ~/.aws/config; the default credential chain otherwise.
        #[arg(long)]
        profile: Option<String>,
        /// s3:// paths: send every AWS call to this endpoint (an AWS-compatible emulator or proxy).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// CloudTrail: do not run the threat detections (only fill the graph).
        #[arg(long)]
        no_detections: bool,
        /// CloudTrail: the detections' thresholds ([detections]) and suppressions (TOML; see
        /// docs/detections.md).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Locate the addresses read with this GeoLite2-City or -Country .mmdb (else the
        /// config's `[investigate] geoip_city`): each address once, where it was when first seen.
        #[arg(long, value_name = "FILE")]
        geoip_city: Option<PathBuf>,
        /// ... and this GeoLite2-ASN .mmdb (else the config's `geoip_asn`).
        #[arg(long, value_name = "FILE")]
        geoip_asn: Option<PathBuf>,
    },
    /// The entities of the graph: ids to give `rampart investigate entity`, with when each
    /// was first and last seen.
    Entities {
        /// Only this kind: account, root, iam_user, iam_role, role_session, federated_user,
        /// identity, service, access_key, ec2_instance, network_interface, ip_address,
        /// user_agent, s3_bucket, resource.
        #[arg(long)]
        kind: Option<String>,
        /// Only ids that start with this (`arn:aws:iam::111122223333:`, `10.0.`).
        #[arg(long, default_value = "")]
        prefix: String,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// The store: a SQLite file (default: the user's rampart.db) or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
        /// `table` for people, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The profile of an entity over a scope window: activity per hour, API calls by
    /// service and action (success, failure, error codes), IP addresses and user agents
    /// with their first sighting, resources touched, related entities, flows by peer and
    /// port, and what is newly observed compared with the baseline before the scope.
    Entity {
        /// An ARN (user, role, role session), access key id, instance or interface id,
        /// IP address, account id, bucket ARN or user agent.
        id: String,
        /// The store: a SQLite file (default: the user's rampart.db) or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
        /// The scope's start: RFC 3339 (`2026-11-30T08:00:00Z`) or a day (`2026-11-30`).
        /// Default: 24 hours before its end.
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// The scope's end (excluded). Default: the end of the hour the entity was last seen.
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Days before the scope that make its baseline (Detective: 45).
        #[arg(long, default_value_t = investigate::DEFAULT_BASELINE_DAYS, value_name = "DAYS")]
        baseline_days: i64,
        /// `table` for people, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The config file: its `[investigate]` GeoIP databases, for the countries and ASNs
        /// of the entity's addresses.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// A GeoLite2-City or -Country .mmdb (overrides the config's `geoip_city`).
        #[arg(long, value_name = "FILE")]
        geoip_city: Option<PathBuf>,
        /// A GeoLite2-ASN .mmdb (overrides the config's `geoip_asn`).
        #[arg(long, value_name = "FILE")]
        geoip_asn: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngestSource {
    Cloudtrail,
    Flowlogs,
    /// GuardDuty findings: `aws guardduty get-findings` output, EventBridge events, or the
    /// S3 export's .jsonl.gz files.
    Guardduty,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

pub fn main(cmd: GraphCommand) -> Result<ExitCode> {
    match cmd {
        GraphCommand::Ingest { source, paths, db, retention_days, format, profile, endpoint_url, no_detections, config, geoip_city, geoip_asn } => {
            let aws = rampart_collect_aws::Options { profile, endpoint_url, ..Default::default() };
            if source != IngestSource::Cloudtrail && (no_detections || config.is_some()) {
                bail!("--no-detections and --config are for CloudTrail: the detections run over CloudTrail records only");
            }
            let geo = crate::investigate_run::settings(config.as_deref(), geoip_city.as_deref(), geoip_asn.as_deref(), &[])?.geo;
            let config = config.as_deref().map(rampart_app::scan::load_config).transpose()?;
            ingest(source, paths, db, retention_days, format, aws, (!no_detections).then_some(config), geo)
        }
        GraphCommand::Entities { kind, prefix, limit, db, format } => list(kind, &prefix, limit, db, format),
        GraphCommand::Entity { id, db, from, to, baseline_days, format, config, geoip_city, geoip_asn } => {
            let settings = crate::investigate_run::settings(config.as_deref(), geoip_city.as_deref(), geoip_asn.as_deref(), &[])?;
            entity(&id, db, from, to, baseline_days, format, &settings)
        }
    }
}

fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(rampart_hub::Store::default_path)
}

#[allow(clippy::too_many_arguments)] // one per flag of `investigate ingest`
fn ingest(
    source: IngestSource,
    paths: Vec<PathBuf>,
    db: Option<PathBuf>,
    retention_days: u32,
    format: Format,
    aws: rampart_collect_aws::Options,
    detections: Option<Option<rampart_config::Config>>,
    geo: Option<std::sync::Arc<investigate::GeoDb>>,
) -> Result<ExitCode> {
    let source = match source {
        IngestSource::Cloudtrail => Source::CloudTrail,
        IngestSource::Flowlogs => Source::FlowLogs,
        IngestSource::Guardduty => Source::GuardDuty,
    };
    if retention_days == 0 {
        bail!("--retention-days 0 would keep nothing: give at least 1 (default {})", investigate::DEFAULT_RETENTION_DAYS);
    }
    let mut store = crate::hints::write_store(&db_path(db))?;
    let mut opts = IngestOptions::new(source, paths);
    opts.retention_days = retention_days;
    opts.aws = aws;
    opts.detections = detections.is_some();
    opts.config = detections.flatten();
    opts.geo = geo;
    let notify = Stderr::new();
    let report = investigate::ingest(&mut store, &opts, rampart_app::now().unix_timestamp(), &notify).map_err(crate::run::collect_hint)?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Table => {
            let _ = writeln!(out, "{}", report.summary());
            for m in &report.malformed_records {
                notify.warn(&format!("malformed: {m}"));
            }
            if report.malformed > report.malformed_records.len() as u64 {
                notify.warn(&format!("… and {} more malformed record(s)", report.malformed - report.malformed_records.len() as u64));
            }
        }
    }
    for e in &report.file_errors {
        notify.warn(e);
    }
    if let Some(d) = &report.detections {
        for r in &d.rules_applied {
            eprintln!("{r}");
        }
        eprintln!("{}", d.summary());
    }
    if let Some(n) = report.located {
        notify.info(&format!("{n} new address(es) located with the GeoIP database(s)"));
    }
    if report.pruned_summaries > 0 {
        notify.info(&format!("{} summaries older than {retention_days} days pruned", report.pruned_summaries));
    }
    let _ = out.flush();
    Ok(if report.file_errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

fn list(kind: Option<String>, prefix: &str, limit: usize, db: Option<PathBuf>, format: Format) -> Result<ExitCode> {
    if !(1..=10_000).contains(&limit) {
        bail!("--limit is between 1 and 10000");
    }
    let store = crate::hints::read_store(&db_path(db))?;
    let list = investigate::entities(&store, kind.as_deref(), prefix, limit)?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&list)?);
        }
        Format::Table => {
            for e in &list {
                let _ = writeln!(out, "{:<18} {}  {} – {}", e.kind.name(), e.id, e.first_seen, e.last_seen);
            }
        }
    }
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}

/// `2026-11-30T08:00:00Z` or `2026-11-30` (midnight UTC), as Unix seconds.
pub(crate) fn parse_time(flag: &str, s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(s, &day) {
        return Ok(d.midnight().assume_utc().unix_timestamp());
    }
    bail!("{flag} `{}` is not a time: use 2026-11-30T08:00:00Z or 2026-11-30", crate::hints::shown(s))
}

fn entity(
    id: &str,
    db: Option<PathBuf>,
    from: Option<String>,
    to: Option<String>,
    baseline_days: i64,
    format: Format,
    settings: &investigate::Settings,
) -> Result<ExitCode> {
    let from = from.map(|s| parse_time("--from", &s)).transpose()?;
    let to = to.map(|s| parse_time("--to", &s)).transpose()?;
    if !(0..=3650).contains(&baseline_days) {
        bail!("--baseline-days is between 0 and 3650");
    }
    let store = crate::hints::read_store(&db_path(db))?;
    let p = investigate::entity_profile(&store, id, from, to, baseline_days)?;
    let scope = |t: &str| time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map(|t| t.unix_timestamp());
    let places = investigate::entity_places(&store, &p.entity, scope(&p.scope_from)?, scope(&p.scope_to)?, baseline_days, settings)?;
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        let mut v = serde_json::to_value(&p)?;
        v["places"] = serde_json::to_value(&places)?;
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut w = |line: String| {
        let _ = writeln!(out, "{line}");
    };
    w(format!("{} ({})", p.entity, p.kind.name()));
    w(format!(
        "scope {} – {}, baseline from {}{}",
        p.scope_from,
        p.scope_to,
        p.baseline_from,
        if p.baseline_has_data { "" } else { " (no data in the baseline: nothing is called new)" }
    ));
    if let (Some(f), Some(l)) = (&p.first_seen, &p.last_seen) {
        w(format!("seen {f} – {l}"));
    }
    let new = |b: bool| if b { "  NEW" } else { "" };
    if !p.activity.is_empty() {
        w("\nactivity per hour:".into());
        for h in &p.activity {
            let bytes = if h.bytes > 0 { format!(", {} bytes", h.bytes) } else { String::new() };
            w(format!("  {}  {} ({} ok, {} failed{bytes})", h.hour, h.count, h.success, h.failure));
        }
    }
    if !p.api_calls.is_empty() {
        w("\nAPI calls:".into());
        for c in &p.api_calls {
            let errors: Vec<String> = c.errors.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let errors = if errors.is_empty() { String::new() } else { format!(" [{}]", errors.join(", ")) };
            w(format!(
                "  {}:{}  {} ok, {} failed{errors}  first {}{}",
                c.service,
                c.action,
                c.success,
                c.failure,
                c.first_seen,
                new(c.new)
            ));
        }
    }
    for (title, list) in [("IP addresses", &p.ips), ("user agents", &p.user_agents), ("resources", &p.resources)] {
        if list.is_empty() {
            continue;
        }
        w(format!("\n{title}:"));
        for s in list {
            let actions = if s.actions.is_empty() { String::new() } else { format!(" ({})", s.actions.join(", ")) };
            w(format!("  {}  {} ({} failed)  first {}{}{actions}", s.value, s.count, s.failure, s.first_seen, new(s.new)));
        }
    }
    for (title, list) in [("countries", &places.countries), ("autonomous systems", &places.asns)] {
        if list.is_empty() {
            continue;
        }
        w(format!("\n{title}:"));
        for c in list {
            let name = if c.name.is_empty() { String::new() } else { format!(" ({})", c.name) };
            w(format!("  {}{name}  {} call(s) from {}  first {}{}", c.value, c.calls, c.ips.join(", "), c.first_seen, new(c.new)));
        }
    }
    if !p.ips.is_empty() {
        for n in &places.not_available {
            w(format!("\n(countries/ASNs: {n})"));
        }
    }
    if !p.related.is_empty() {
        w("\nrelated:".into());
        for r in &p.related {
            let arrow = if r.direction == "out" { "→" } else { "←" };
            w(format!("  {} {arrow} {} ({})  {}  first {}{}", r.rel.name(), r.entity, r.kind.name(), r.count, r.first_seen, new(r.new)));
        }
    }
    if !p.flows.is_empty() {
        w("\nflows (peer, direction, protocol/port: accepted / rejected bytes):".into());
        for f in &p.flows {
            w(format!(
                "  {} {} {}/{}  {} / {} bytes, {} record(s){}",
                f.peer,
                f.direction,
                f.protocol,
                f.port,
                f.accepted_bytes,
                f.rejected_bytes,
                f.records,
                new(f.new)
            ));
        }
    }
    if !p.newly_observed.is_empty() {
        w("\nnewly observed (not in the baseline):".into());
        for n in &p.newly_observed {
            w(format!("  {} {}  {}", n.what, n.value, n.first_seen));
        }
    }
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("--from", "1970-01-02").unwrap(), 86_400);
        assert_eq!(parse_time("--from", "1970-01-01T01:00:00Z").unwrap(), 3600);
        assert!(parse_time("--from", "yesterday").unwrap_err().to_string().contains("2026-11-30"));
    }
}
