//! Wiring: input (live collection, snapshot, demo) → checks → store → output.

use crate::cli::{Cli, CollectTarget, Command, OutputArgs, ScanArgs, ScanTarget};
use anyhow::{bail, Context, Result};
use rampart_inventory::Inventory;
use rampart_model::{Finding, RunInfo, Status};
use rampart_report::{Format, Report};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The demo estate: a recorded inventory of a small account with planted problems.
const DEMO_ESTATE: &[u8] = include_bytes!("../../../testdata/demo/estate.json");

pub fn main(args: Cli) -> Result<ExitCode> {
    match args.command {
        Command::Demo(mut out) => {
            let started = time::OffsetDateTime::now_utc();
            let inv = Inventory::from_json(DEMO_ESTATE).context("the bundled demo estate is damaged")?;
            // The demo's job is to show the summary; its planted problems are not an error
            // unless --fail-on asks for one (to try it in a pipeline).
            out.fail_on.get_or_insert(crate::cli::FailOn(None));
            scan_inventory(inv, "demo", &out, started)
        }
        Command::Scan(ScanArgs { target, snapshot, telemetry, output }) => match (target, snapshot) {
            // A scan starts when its input starts being read: collection is most of its time.
            (Some(ScanTarget::Aws(aws)), None) => {
                let started = time::OffsetDateTime::now_utc();
                let mut inv = collect(&aws)?;
                join_telemetry(&mut inv, &telemetry)?;
                scan_inventory(inv, "aws", &output, started)
            }
            (None, Some(path)) => {
                let started = time::OffsetDateTime::now_utc();
                let mut inv = read_snapshot(&path)?;
                join_telemetry(&mut inv, &telemetry)?;
                scan_inventory(inv, &format!("snapshot:{}", path.display()), &output, started)
            }
            (Some(_), _) if !telemetry.is_empty() => bail!("--telemetry joins host documents to an AWS scan: use it with `scan aws` or `scan --snapshot FILE`"),
            // The config's exclusions, suppressions and thresholds name AWS checks: a scan that
            // would ignore them must not look as if it applied them.
            (Some(ScanTarget::Host(_) | ScanTarget::Image(_) | ScanTarget::Lambda(_) | ScanTarget::Secrets(_)), _) if output.config.is_some() => {
                bail!("--config applies to AWS checks (`scan aws`, `scan --snapshot FILE`, `demo`); `scan host`, `image`, `lambda` and `secrets` do not read it: drop it")
            }
            (Some(ScanTarget::Host(args)), None) => crate::host::scan(&args, &output),
            (Some(ScanTarget::Image(args)), None) => crate::host::scan_artifact(&args, false, &output),
            (Some(ScanTarget::Lambda(args)), None) => crate::host::scan_artifact(&args, true, &output),
            (Some(ScanTarget::Image(_) | ScanTarget::Lambda(_)), Some(_)) => bail!("`scan image` and `scan lambda` do not take --snapshot"),
            (Some(ScanTarget::Host(_)), Some(_)) => bail!("`scan host` does not take --snapshot; use `--telemetry FILE` to assess a stored document"),
            (Some(ScanTarget::Secrets(args)), snapshot) => {
                let inv = snapshot.as_deref().map(read_snapshot).transpose()?;
                scan_secrets(&args, inv.as_ref(), &output)
            }
            (Some(ScanTarget::Aws(_)), Some(_)) => bail!("give either `scan aws` or `scan --snapshot FILE`, not both"),
            (None, None) => bail!("nothing to scan: use `rampart scan aws` or `rampart scan --snapshot FILE` (see `rampart scan --help`)"),
        },
        Command::Collect { target: CollectTarget::Aws { aws, output } } => {
            let inv = collect(&aws)?;
            std::fs::write(&output, inv.to_json()).with_context(|| format!("cannot write `{}`: check the path and permissions", output.display()))?;
            let gaps = inv.gaps().count();
            eprintln!(
                "wrote {} ({} account(s), {} region(s), {} gap(s))",
                output.display(),
                inv.accounts.len(),
                inv.accounts.iter().map(|a| a.regions.len()).sum::<usize>(),
                gaps
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::IamPolicy => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", rampart_collect_aws::actions::iam_policy())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compliance(args) => compliance(&args),
        Command::Reach(args) => reach(&args),
        Command::Findings(args) => crate::browse::findings(&args),
        Command::Runs(args) => crate::browse::runs(&args),
        Command::Workflow { id, status, note, db } => crate::browse::workflow(&id, &status, &note, &db),
        Command::Assess { action } => crate::assess::main(action),
        Command::Vulndb { action } => crate::vulndb::main(action),
        Command::Agent { once: _, root, output, tags } => crate::host::agent(&root, &output, tags),
        Command::Import { source: crate::cli::ImportSource::AwsCli { dir, account, region, output } } => {
            let opts = rampart_import_awscli::ImportOptions { account, region };
            let (inv, warnings) = rampart_import_awscli::import_dir(&dir, &opts, time::OffsetDateTime::now_utc())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            std::fs::write(&output, inv.to_json()).with_context(|| format!("cannot write `{}`: check the path and permissions", output.display()))?;
            eprintln!(
                "wrote {} ({} region(s)); scan it with `rampart scan --snapshot {}`",
                output.display(),
                inv.accounts.iter().map(|a| a.regions.len()).sum::<usize>(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Checks => {
            let mut out = std::io::stdout().lock();
            for c in rampart_checks::REGISTRY {
                let stds: Vec<String> = c.meta.standards.iter().map(|s| s.to_string()).collect();
                writeln!(out, "{:<40} {:<13} {}\n{:<40} {:<13} {}", c.meta.id, c.meta.severity, c.meta.title, "", "", stds.join("; "))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Joins host telemetry documents to the inventory by EC2 instance id: their listening
/// sockets become `Inventory::host_listeners`. A document that cannot be joined (no instance
/// id, sockets not read, instance not in the inventory) is reported and skipped.
fn join_telemetry(inv: &mut Inventory, files: &[PathBuf]) -> Result<()> {
    use rampart_host::{Observed, Proto, Telemetry};
    let instances: std::collections::HashSet<String> = inv
        .regions()
        .filter_map(|(_, r)| r.ec2.known())
        .filter_map(|ec2| ec2.instances.known())
        .flatten()
        .map(|i| i.instance_id.clone())
        .collect();
    for p in files {
        let text = std::fs::read_to_string(p).with_context(|| format!("cannot read `{}`: check the path", p.display()))?;
        let t = Telemetry::from_json(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", p.display()))?;
        let Some(Some(id)) = t.host.ec2_instance_id.known() else {
            eprintln!("warning: `{}` names no EC2 instance id (cloud-init's instance-id file or the Nitro DMI tag): not joined", p.display());
            continue;
        };
        let sockets = match &t.listening {
            Observed::Known(s) => s,
            Observed::Unknown(why) => {
                eprintln!("warning: `{}`: listening sockets were not read ({why}): {id} stays without agent data", p.display());
                continue;
            }
        };
        if !instances.contains(id) {
            eprintln!("warning: `{}`: instance {id} is not in the scanned inventory: not joined", p.display());
            continue;
        }
        let listeners = sockets
            .iter()
            .map(|s| rampart_inventory::HostListener {
                protocol: match s.proto {
                    Proto::Tcp | Proto::Tcp6 => "tcp",
                    Proto::Udp | Proto::Udp6 => "udp",
                }
                .to_owned(),
                address: s.address,
                port: s.port,
                processes: s.processes.known().map(|ps| ps.iter().filter_map(|p| p.name.clone()).collect()).unwrap_or_default(),
            })
            .collect();
        inv.host_listeners.insert(id.clone(), listeners);
        eprintln!("{}: joined to instance {id}", p.display());
    }
    Ok(())
}

fn read_snapshot(path: &Path) -> Result<Inventory> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read snapshot `{}`: check the path", path.display()))?;
    Inventory::from_json(&bytes).with_context(|| format!("`{}`", path.display()))
}

fn collect(aws: &crate::cli::AwsArgs) -> Result<Inventory> {
    let opts = rampart_collect_aws::Options {
        profile: aws.profile.clone(),
        regions: aws.regions.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        concurrency: aws.concurrency,
        progress: true,
        probe_origins: aws.probe_origins,
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let inv = rt.block_on(rampart_collect_aws::collect(&opts)).map_err(collect_hint)?;
    // Each failed call once, merged by action: what to grant, or what to look at.
    for acc in &inv.accounts {
        for (action, kind, n, message) in rampart_collect_aws::summarize_gaps(&acc.gaps) {
            eprintln!("{}", gap_line(&action, kind, n, &message));
        }
    }
    Ok(inv)
}

/// One warning line per failed action: what failed, how often, why, and what to do.
fn gap_line(action: &str, kind: rampart_model::GapKind, n: usize, message: &str) -> String {
    let hint = match kind {
        rampart_model::GapKind::AccessDenied => " — allow it to the scanning identity (see `rampart iam-policy`)",
        _ => "",
    };
    let times = if n > 1 { format!(" ({n} calls)") } else { String::new() };
    format!("warning: {action} {}{times}: {message}{hint}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use rampart_model::GapKind;

    #[test]
    fn gap_lines_are_sentences() {
        assert_eq!(
            super::gap_line("ec2:DescribeVolumes", GapKind::AccessDenied, 2, "AccessDenied (HTTP 403): not allowed"),
            "warning: ec2:DescribeVolumes access denied (2 calls): AccessDenied (HTTP 403): not allowed — allow it to the scanning identity (see `rampart iam-policy`)"
        );
        let line = super::gap_line("ec2:DescribeClientVpnEndpoints", GapKind::ServerError, 1, "service error: unhandled error: error parsing XML: no root element (HTTP 500)");
        assert!(!line.contains("ServiceError(") && !line.contains("{ "), "{line}");
    }
}

/// A collection error with the flags that fix it (the library names none).
fn collect_hint(e: rampart_collect_aws::CollectError) -> anyhow::Error {
    use rampart_collect_aws::CollectError;
    let hint = match &e {
        CollectError::Credentials(_) => "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile NAME, or run `aws configure`",
        CollectError::Connect { .. } => "check --endpoint-url (is the service running there?), the network and any proxy settings",
        CollectError::Endpoint(_) => "pass --endpoint-url http://HOST:PORT",
        _ => return e.into(),
    };
    anyhow::anyhow!("{e}; {hint}")
}

/// Checks an inventory read from `source` since `started` and writes the run.
fn scan_inventory(inv: Inventory, source: &str, out: &OutputArgs, started: time::OffsetDateTime) -> Result<ExitCode> {
    // The configuration is read first: its thresholds decide the checks' verdicts.
    let config = out.config.as_deref().map(|p| rampart_config::Config::load(p, &rampart_checks::KNOWN)).transpose().map_err(|e| anyhow::anyhow!("{e}"))?;
    let thresholds = config.as_ref().map(|c| c.thresholds).unwrap_or_default();
    let outcome = rampart_checks::run_with(&inv, inv.collected_at, &thresholds, &[]);
    let mut findings: Vec<Finding> = rampart_checks::findings(outcome.results, started);
    let gaps: Vec<_> = inv.gaps().cloned().collect();
    if let (Some(config), Some(path)) = (&config, &out.config) {
        let tags = inv.tags_by_arn();
        let applied = config.apply(&mut findings, &|r| tags.get(&r.id).cloned(), started);
        let excluded = applied.excluded().count();
        let suppressed = applied.hits.len() - excluded;
        if !applied.hits.is_empty() {
            eprintln!("{}: {excluded} result(s) of excluded resources and {suppressed} suppressed result(s), kept as SUPPRESSED", path.display());
        }
    }
    let finished = time::OffsetDateTime::now_utc();
    let run = RunInfo {
        id: format!("run-{}-{:09}", finished.unix_timestamp(), finished.nanosecond()),
        started_at: started,
        finished_at: finished,
        source: source.to_string(),
        accounts: inv.accounts.iter().map(|a| a.id.clone()).collect(),
        regions: {
            let mut r: Vec<String> = inv.regions().map(|(_, r)| r.name.clone()).collect();
            r.sort();
            r.dedup();
            r
        },
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        checks: rampart_checks::REGISTRY.iter().map(|c| c.meta.id.to_string()).collect(),
    };
    finish(run, findings, gaps, &outcome.malformed, out)
}

/// Stores the run, writes the output, and turns the results into an exit code.
pub(crate) fn finish(run: RunInfo, mut findings: Vec<Finding>, gaps: Vec<rampart_model::Gap>, malformed: &[String], out: &OutputArgs) -> Result<ExitCode> {

    if !out.no_store {
        match &out.db {
            // An explicit database must work.
            Some(path) => crate::hints::write_store(path)?.record_run(&run, &mut findings, &gaps)?,
            // The default one is a convenience: if it cannot be used (read-only home, full
            // disk), the scan's output matters more than its history.
            None => {
                let path = rampart_hub::Store::default_path();
                if let Err(e) = rampart_hub::Store::open(&path).and_then(|mut s| s.record_run(&run, &mut findings, &gaps)) {
                    eprintln!("warning: the run was not stored: {e} (pass --db PATH, or --no-store to silence this)");
                }
            }
        }
    }

    // Compliance with every standard whose controls the run's checks evaluate.
    let coverage = rampart_compliance::Coverage::from_requirements(
        rampart_checks::REGISTRY
            .iter()
            .filter(|c| run.checks.iter().any(|id| id == c.meta.id))
            .flat_map(|c| c.meta.related_requirements()),
    );
    let compliance: Vec<rampart_compliance::Report> = if run.checks.iter().any(|id| rampart_checks::check(id).is_some()) {
        rampart_compliance::STANDARDS.iter().map(|s| rampart_compliance::evaluate_with_coverage(s, &findings, &coverage)).collect()
    } else {
        Vec::new()
    };
    let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &compliance };
    match &out.output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot write `{}`: check the path and permissions", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            rampart_report::render(out.format, &report, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            eprint!("{}", rampart_report::summary(&report, std::io::stderr().is_terminal()));
            eprintln!("wrote {} findings as {} to {}", findings.len(), out.format, path.display());
        }
        None => {
            let mut lock = crate::pipe::Watch(std::io::stdout().lock());
            if out.format == Format::Table {
                write!(lock, "{}", rampart_report::summary(&report, std::io::stdout().is_terminal()))?;
            } else {
                rampart_report::render(out.format, &report, &mut lock)?;
            }
            lock.flush()?;
        }
    }

    if let Some(first) = malformed.first() {
        // Every other result was stored and written; the bad input still makes the run fail.
        for m in &malformed[1..] {
            eprintln!("warning: malformed input: {m}");
        }
        let more = match malformed.len() {
            1 => String::new(),
            n => format!(" (and {} more above)", n - 1),
        };
        eprintln!(
            "error: malformed input: {first}{more}; its checks are NOT_AVAILABLE and all other results were written — fix the document in AWS or in the snapshot and scan again"
        );
        return Ok(ExitCode::from(2));
    }
    let failing = findings
        .iter()
        .any(|f| f.status == Status::Failed && out.fail_on().0.is_some_and(|min| f.severity >= min));
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn compliance(args: &crate::cli::ComplianceArgs) -> Result<ExitCode> {
    let standards: Vec<&rampart_compliance::Standard> = match &args.standard {
        None => rampart_compliance::STANDARDS.to_vec(),
        Some(id) => vec![rampart_compliance::standard(id).with_context(|| {
            format!("unknown standard `{}`: use one of cis-aws-3.0, fsbp, trusted-advisor", crate::hints::shown(id))
        })?],
    };
    let json = match args.format.as_str() {
        "table" => false,
        "json" => true,
        other => bail!("unknown format `{}` for compliance: use table or json", crate::hints::shown(other)),
    };
    let path = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let store = crate::hints::read_store(&path)?;
    let run = match &args.run {
        Some(id) => id.clone(),
        None => match store.runs()?.first() {
            Some(r) => r.id.clone(),
            None => bail!("no scan recorded in `{}` yet: run `rampart scan aws` (or `rampart demo`) first", path.display()),
        },
    };
    let findings = store.run_results(&run)?;
    let coverage = rampart_compliance::Coverage::from_requirements(
        rampart_checks::REGISTRY.iter().flat_map(|c| c.meta.related_requirements()),
    );
    let mut out = std::io::stdout().lock();
    let mut reports = Vec::new();
    for s in standards {
        let report = rampart_compliance::evaluate_with_coverage(s, &findings, &coverage);
        if json {
            reports.push(serde_json::to_value(&report)?);
        } else {
            writeln!(out, "{}", rampart_compliance::render_table(&report))?;
        }
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "run": run, "standards": reports }))?)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn reach(args: &crate::cli::ReachArgs) -> Result<ExitCode> {
    let source = |from: &str| -> Result<rampart_reach::Source> {
        Ok(if from.eq_ignore_ascii_case("internet") {
            rampart_reach::Source::Internet
        } else if let Ok(ip) = from.parse() {
            rampart_reach::Source::Ip(ip)
        } else if from.starts_with("i-") || from.starts_with("eni-") {
            rampart_reach::Source::Resource(from.to_string())
        } else {
            bail!("`--from {}` is neither `internet`, an IP address, nor an instance, network interface or subnet id", crate::hints::shown(from))
        })
    };
    // `--to internet` or an address: egress from `--from`.
    let egress = if args.to.eq_ignore_ascii_case("internet") {
        Some(rampart_reach::Destination::Internet)
    } else {
        args.to.parse().ok().map(rampart_reach::Destination::Ip)
    };
    if egress.is_some() && (args.from.eq_ignore_ascii_case("internet") || args.from.parse::<std::net::IpAddr>().is_ok()) {
        bail!("`--to {}` asks whether a resource can connect out: give `--from` an instance, network interface or subnet id", crate::hints::shown(&args.to));
    }
    if egress.is_some() && args.to_address.is_some() {
        bail!("`--to-address` names an address of the `--to` resource; with `--to {}` leave it out", crate::hints::shown(&args.to));
    }
    if !args.from.starts_with("subnet-") && egress.is_none() {
        source(&args.from)?;
    }
    let protocol: rampart_reach::Protocol = args.protocol.parse()?;
    let json = match args.format.as_str() {
        "text" => false,
        "json" => true,
        other => bail!("unknown format `{}` for reach: use text or json", crate::hints::shown(other)),
    };
    let inv = match &args.snapshot {
        Some(path) => read_snapshot(path)?,
        None => collect(&args.aws)?,
    };
    // A subnet is answered per interface (the subnet itself when it holds none).
    let sources: Vec<String> = if args.from.starts_with("subnet-") {
        match rampart_reach::subnet_sources(&inv, &args.from) {
            None => bail!("subnet `{}` is not in the inventory", crate::hints::shown(&args.from)),
            Some(v) if v.is_empty() && egress.is_none() => {
                bail!("subnet `{}` holds no network interface: ask `--from` one of its addresses", crate::hints::shown(&args.from))
            }
            Some(v) if v.is_empty() => vec![args.from.clone()],
            Some(v) => v,
        }
    } else {
        vec![args.from.clone()]
    };
    let mut verdicts = Vec::new();
    for from in &sources {
        let v = match (&egress, args.to_address) {
            (Some(dest), _) => rampart_reach::egress(&inv, from, dest, protocol, args.port),
            (None, Some(a)) => rampart_reach::query_address(&inv, &source(from)?, &args.to, a, protocol, args.port),
            (None, None) => rampart_reach::query(&inv, &source(from)?, &args.to, protocol, args.port),
        };
        verdicts.push((from, v));
    }
    let mut out = std::io::stdout().lock();
    if json && verdicts.len() == 1 {
        writeln!(out, "{}", verdicts[0].1.to_json())?;
    } else if json {
        let all: Vec<serde_json::Value> = verdicts
            .iter()
            .map(|(from, v)| serde_json::json!({ "from": from, "answer": serde_json::to_value(v).unwrap_or_default() }))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
    } else {
        for (from, v) in &verdicts {
            if verdicts.len() > 1 {
                writeln!(out, "from {from}:")?;
            }
            writeln!(out, "{v}")?;
        }
    }
    out.flush()?;
    // Like `grep`: 0 when reachable (every source of a subnet), 1 when not, 2 when it cannot be told.
    let any = |f: fn(&rampart_reach::Verdict) -> bool| verdicts.iter().any(|(_, v)| f(v));
    Ok(if any(|v| matches!(v, rampart_reach::Verdict::Unknown { .. })) {
        ExitCode::from(2)
    } else if any(|v| matches!(v, rampart_reach::Verdict::Blocked { .. })) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scan_secrets(args: &crate::cli::SecretsArgs, inv: Option<&Inventory>, out: &OutputArgs) -> Result<ExitCode> {
    let started = time::OffsetDateTime::now_utc();
    let opts = rampart_secrets::ScanOptions {
        max_file_size: args.max_file_size,
        include_examples: args.include_examples,
        ..Default::default()
    };
    // A path given that cannot be read is an input error (exit 2), with its cause.
    let mut report = rampart_secrets::scan_paths(&args.paths, &opts)?;
    if !args.no_history {
        for p in &args.paths {
            if rampart_secrets::is_git_repo(p) {
                report.merge(rampart_secrets::scan_git_history(p, &opts)?);
            }
        }
    }
    for w in report.warnings(20) {
        eprintln!("warning: {w}");
    }
    let findings = rampart_secrets::findings(&report.hits, inv, started);
    let finished = time::OffsetDateTime::now_utc();
    let run = RunInfo {
        id: format!("run-{}-{:09}", finished.unix_timestamp(), finished.nanosecond()),
        started_at: started,
        finished_at: finished,
        source: format!("secrets:{}", args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(",")),
        accounts: inv.map(|i| i.accounts.iter().map(|a| a.id.clone()).collect()).unwrap_or_default(),
        regions: Vec::new(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        checks: vec![rampart_secrets::CHECK_ID.to_string()],
    };
    let code = finish(run, findings, Vec::new(), &[], out)?;
    if let Some(line) = report.summary_line() {
        eprintln!("{line}");
    }
    // What was not read makes the run an input error unless findings already fail it:
    // never "clean" (exit 0) on a partial read.
    if report.incomplete() > 0 && code == ExitCode::SUCCESS {
        eprintln!("error: the scan is incomplete: {} path(s) could not be read (warnings above)", report.incomplete());
        return Ok(ExitCode::from(2));
    }
    Ok(code)
}
