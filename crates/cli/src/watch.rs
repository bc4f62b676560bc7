//! `rampart watch cloudtrail`: flags → `rampart_app::changes` (poll a trail's bucket, re-check
//! what changed) → one line per poll.

use crate::progress::Stderr;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use rampart_app::Notify;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub enum WatchTarget {
    /// Read the log files a CloudTrail trail delivers to an S3 bucket, read again only the
    /// resources their write events changed (security groups, S3 buckets) and re-run the
    /// checks that read them (an instance's reachability reads its groups), updating their
    /// findings (passing again: RESOLVED; deleted: ARCHIVED). Needs an inventory in the
    /// database (`rampart scan aws` first). `rampart serve --watch-trail` polls the same way
    /// inside the server. Exits 2 when a file or a changed resource could not be read (with
    /// --once).
    Cloudtrail(CloudTrailArgs),
}

#[derive(Args, Debug)]
pub struct CloudTrailArgs {
    /// The bucket the trail delivers its log files to.
    #[arg(long, value_name = "BUCKET")]
    bucket: String,
    /// The trail's S3 key prefix (the part before `AWSLogs/`), if it has one.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
    /// How often to poll: `5m`, `90s`, `1h`.
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    interval: Duration,
    /// Poll once and exit.
    #[arg(long)]
    once: bool,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// The configuration file the scans use (thresholds, exclusions, suppressions).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Named profile from ~/.aws/config; the default credential chain otherwise.
    #[arg(long)]
    profile: Option<String>,
    /// Send every AWS call to this endpoint (an AWS-compatible emulator or proxy).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

/// `90s`, `5m`, `1h` (at least one second, at most a day).
fn parse_duration(s: &str) -> Result<Duration, String> {
    let (n, unit) = s.trim().split_at(s.trim().find(|c: char| !c.is_ascii_digit()).unwrap_or(s.trim().len()));
    let n: u64 = n.parse().map_err(|_| format!("`{s}` is not a duration: use 90s, 5m or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("`{s}` is not a duration: use 90s, 5m or 1h")),
    };
    if !(1..=86_400).contains(&secs) {
        return Err(format!("`{s}`: the interval is between 1s and 24h"));
    }
    Ok(Duration::from_secs(secs))
}

pub fn main(target: WatchTarget) -> Result<ExitCode> {
    let WatchTarget::Cloudtrail(args) = target;
    if args.bucket.trim().is_empty() {
        bail!("--bucket is empty: give the name of the bucket the trail delivers to");
    }
    let config = args.config.as_deref().map(rampart_app::scan::load_config).transpose()?;
    let path = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    // The store's own error names it as it may be shown (a PostgreSQL URL without its
    // password), with the advice to scan first.
    let mut store = crate::hints::existing_store(&path)?;
    let watch = rampart_app::changes::Watch {
        aws: rampart_collect_aws::Options {
            profile: args.profile.clone(),
            regions: None,
            endpoint_url: args.endpoint_url.clone(),
            ..Default::default()
        },
        bucket: args.bucket.clone(),
        prefix: args.prefix.clone(),
        config,
    };
    let notify = Stderr::new();
    let mut code = ExitCode::SUCCESS;
    let once = args.once;
    let mut stop = |r: &Result<rampart_app::changes::PollReport>| -> bool {
        let mut out = std::io::stdout().lock();
        match r {
            Ok(report) => {
                let _ = writeln!(out, "{}", report.summary());
                for (event, n) in &report.unmapped {
                    notify.info(&format!("{event}: {n} write(s) not mapped to a resource rampart re-reads; the next scan covers them"));
                }
                for why in report.unreadable.iter().chain(&report.not_refreshed) {
                    notify.warn(why);
                }
                if !report.unreadable.is_empty() || !report.not_refreshed.is_empty() {
                    code = ExitCode::from(2);
                }
            }
            Err(e) => {
                notify.warn(&format!("{:#}", crate::run::collect_hint(anyhow::anyhow!("{e:#}"))));
                code = ExitCode::from(2);
            }
        }
        let _ = out.flush();
        once
    };
    if once {
        // One poll: an error is the command's error.
        let r = match rampart_app::changes::poll(&mut store, &watch, &notify) {
            Err(e) => return Err(crate::run::collect_hint(e)),
            ok => ok,
        };
        stop(&r);
        return Ok(code);
    }
    rampart_app::changes::watch(&mut store, &watch, args.interval, &notify, &mut stop);
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("2d").is_err());
    }
}
