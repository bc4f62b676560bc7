//! Flags → application calls → output: input (live collection, snapshot, demo) → checks →
//! store → output. The work itself is `rampart_app`'s.

use crate::cli::{Cli, CollectTarget, Command, OutputArgs, ScanArgs, ScanTarget};
use crate::progress::Stderr;
use anyhow::{bail, Context, Result};
use rampart_app::inputs::{join_telemetry, read_snapshot};
use rampart_app::Scan;
use rampart_inventory::Inventory;
use rampart_report::{Format, Report};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn main(args: Cli) -> Result<ExitCode> {
    match args.command {
        Command::Demo(mut out) => {
            let started = time::OffsetDateTime::now_utc();
            let inv = rampart_app::inputs::demo()?;
            // The demo's job is to show the summary; its planted problems are not an error
            // unless --fail-on asks for one (to try it in a pipeline).
            out.fail_on.get_or_insert(crate::cli::FailOn(None));
            scan_inventory(inv, "demo", &[], &out, started)
        }
        Command::Scan(ScanArgs { target, snapshot, telemetry, output }) => match (target, snapshot) {
            // A scan starts when its input starts being read: collection is most of its time.
            (Some(ScanTarget::Aws(aws)), None) => {
                let started = time::OffsetDateTime::now_utc();
                let mut inv = collect(&aws)?;
                join_telemetry(&mut inv, &telemetry, &Stderr::new())?;
                scan_inventory(inv, "aws", &telemetry, &output, started)
            }
            (None, Some(path)) => {
                let started = time::OffsetDateTime::now_utc();
                let mut inv = read_snapshot(&path)?;
                join_telemetry(&mut inv, &telemetry, &Stderr::new())?;
                scan_inventory(inv, &format!("snapshot:{}", path.display()), &telemetry, &output, started)
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
        Command::IamPolicy(args) => crate::org::iam_policy(&args),
        Command::Compliance(args) => compliance(&args),
        Command::Serve(args) => rampart_server::run(&args),
        Command::Users { action } => rampart_server::users(&action),
        Command::Reach(args) => reach(&args),
        Command::Findings(args) => crate::browse::findings(&args),
        Command::Runs(args) => crate::browse::runs(&args),
        Command::Db(args) => crate::db::main(args),
        Command::Workflow { id, status, note, db } => crate::audit::record(crate::audit::workflow(&id, &db), crate::browse::workflow(&id, &status, &note, &db)),
        Command::Assess { action } => crate::assess::main(action),
        Command::Automation { action } => crate::audit::record(crate::audit::automation(&action), crate::browse::automation(action)),
        Command::Events { action, db } => crate::audit::record(crate::audit::events(&action, &db), crate::browse::events(action, &db)),
        Command::Insights { action, db } => {
            crate::audit::record(crate::audit::insights(&action, &db), crate::browse::insights(action.unwrap_or(crate::cli::InsightsAction::List), &db))
        }
        Command::Vulndb { action } => crate::vulndb::main(action),
        Command::Prune(args) => crate::retention::main(args),
        Command::IpRanges { action: crate::cli::IpRangesAction::Update { url, dir } } => crate::ip_ranges_update::main(&url, dir),
        Command::Agent(args) => crate::agent::main(args),
        Command::Worker(args) => crate::worker::worker(args),
        Command::Jobs { action } => crate::worker::jobs(action),
        Command::Agents { action } => crate::agent::agents(action),
        Command::Watch { target } => crate::watch::main(target),
        Command::Investigate { action } => crate::investigate::main(action),
        Command::Iam { action } => crate::iam::main(action),
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
        Command::Import { source: crate::cli::ImportSource::Findings { files, format, account, region, analyzer_arn, db } } => {
            match rampart_app::import_aws::AwsSource::parse(&format) {
                Some(source) => {
                    let ctx = rampart_app::import_aws::SourceContext { account, region, partition: None, analyzer_arn };
                    import_responses(source, &files, &ctx, &db)
                }
                None => import_findings(&files, &format, &db),
            }
        }
        Command::Import { source: crate::cli::ImportSource::Aws { sources, profile, regions, endpoint_url, db } } => {
            import_aws(&sources, profile, regions, endpoint_url, &db)
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

fn collect(aws: &crate::cli::AwsArgs) -> Result<Inventory> {
    if aws.org || aws.accounts.is_some() {
        return crate::org::collect(aws).map_err(collect_hint);
    }
    let opts = aws.access.options(aws.regions.clone(), true, aws.probe_origins);
    rampart_app::inputs::collect(&opts, &Stderr::new()).map_err(collect_hint)
}

/// A collection error with the flags that fix it (the library names none).
pub(crate) fn collect_hint(e: anyhow::Error) -> anyhow::Error {
    use rampart_collect_aws::CollectError;
    let Some(collect) = e.downcast_ref::<CollectError>() else { return e };
    let hint = match collect {
        CollectError::Credentials(_) => "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --profile NAME, or run `aws configure`",
        CollectError::Connect { .. } => "check --endpoint-url (is the service running there?), the network and any proxy settings",
        CollectError::Endpoint(_) => "pass --endpoint-url http://HOST:PORT",
        _ => return e,
    };
    anyhow::anyhow!("{e}; {hint}")
}

/// Checks an inventory read from `source` since `started` and writes the run.
fn scan_inventory(
    inv: Inventory,
    source: &str,
    telemetry: &[std::path::PathBuf],
    out: &OutputArgs,
    started: time::OffsetDateTime,
) -> Result<ExitCode> {
    // The configuration is read first: its thresholds decide the checks' verdicts.
    let config = out.config.as_deref().map(rampart_app::scan::load_config).transpose()?;
    let mut scan = rampart_app::scan::check_inventory(&inv, source, config.as_ref(), started);
    rampart_app::exposure::add_to_scan(&mut scan, &inv, telemetry, config.as_ref(), &Stderr::new())?;
    if let (Some(path), true) = (&out.config, scan.excluded + scan.suppressed > 0) {
        eprintln!(
            "{}: {} result(s) of excluded resources and {} suppressed result(s), kept as SUPPRESSED",
            path.display(),
            scan.excluded,
            scan.suppressed
        );
    }
    finish(scan, out)
}

/// Stores the run, writes the output, and turns the results into an exit code.
pub(crate) fn finish(mut scan: Scan, out: &OutputArgs) -> Result<ExitCode> {
    if !out.no_store {
        match &out.db {
            // An explicit database must work.
            Some(path) => rules_applied(&crate::db::record(&mut scan, path)?),
            // The default one is a convenience: if it cannot be used (read-only home, full
            // disk), the scan's output matters more than its history.
            None => {
                let path = rampart_hub::Store::default_path();
                let recorded = rampart_app::db::open(&path, rampart_hub::PgMode::Create)
                    .and_then(|mut s| rampart_app::db::record(&mut scan, &mut s, &crate::progress::Stderr::new()));
                match recorded {
                    Ok(applied) => rules_applied(&applied),
                    Err(e) => eprintln!("warning: the run was not stored: {e} (pass --db PATH, or --no-store to silence this)"),
                }
            }
        }
    }
    render(&scan, out)?;
    if let Some(first) = scan.malformed.first() {
        // Every other result was stored and written; the bad input still makes the run fail.
        for m in &scan.malformed[1..] {
            eprintln!("warning: malformed input: {m}");
        }
        let more = match scan.malformed.len() {
            1 => String::new(),
            n => format!(" (and {} more above)", n - 1),
        };
        eprintln!(
            "error: malformed input: {first}{more}; its checks are NOT_AVAILABLE and all other results were written — fix the document in AWS or in the snapshot and scan again"
        );
        return Ok(ExitCode::from(2));
    }
    Ok(if scan.failing(out.fail_on().0) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One line per automation rule that matched findings of the run.
fn rules_applied(applied: &[rampart_hub::RuleApplied]) {
    for a in applied {
        eprintln!("automation rule `{}` ({}) applied to {} finding(s)", a.name, a.rule, a.findings.len());
    }
}

/// Writes a scan in `--format` to `--output` (the summary then to stderr) or stdout.
pub(crate) fn render(scan: &Scan, out: &OutputArgs) -> Result<()> {
    let compliance = scan.compliance();
    let report = Report { run: &scan.run, findings: &scan.findings, gaps: &scan.gaps, compliance: &compliance };
    match &out.output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("cannot write `{}`: check the path and permissions", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            rampart_report::render(out.format, &report, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            eprint!("{}", rampart_report::summary(&report, std::io::stderr().is_terminal()));
            eprintln!("wrote {} findings as {} to {}", scan.findings.len(), out.format, path.display());
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
    Ok(())
}

fn compliance(args: &crate::cli::ComplianceArgs) -> Result<ExitCode> {
    let standards: Vec<&rampart_compliance::Standard> = match &args.standard {
        None => Vec::new(),
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
    let Some((run, reports)) = rampart_app::browse::compliance(&store, args.run.as_deref(), &standards)? else {
        bail!("no scan recorded in `{}` yet: run `rampart scan aws` (or `rampart demo`) first", rampart_app::db::shown(&path));
    };
    let mut out = std::io::stdout().lock();
    if json {
        let reports: Vec<serde_json::Value> = reports.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "run": run, "standards": reports }))?)?;
    } else {
        for report in &reports {
            writeln!(out, "{}", rampart_compliance::render_table(report))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn reach(args: &crate::cli::ReachArgs) -> Result<ExitCode> {
    let question = rampart_app::reach::Question {
        from: args.from.clone(),
        to: args.to.clone(),
        to_address: args.to_address,
        protocol: args.protocol.parse()?,
        port: args.port,
    };
    let json = match args.format.as_str() {
        "text" => false,
        "json" => true,
        other => bail!("unknown format `{}` for reach: use text or json", crate::hints::shown(other)),
    };
    // A question that makes no sense is refused before anything is read or collected.
    if let Err(refusal) = rampart_app::reach::check(&question) {
        use rampart_app::reach::Refusal;
        let (from, to) = (crate::hints::shown(&args.from), crate::hints::shown(&args.to));
        match refusal {
            Refusal::EgressFromOutside => bail!("`--to {to}` asks whether a resource can connect out: give `--from` an instance, network interface or subnet id"),
            Refusal::AddressWithEgress => bail!("`--to-address` names an address of the `--to` resource; with `--to {to}` leave it out"),
            Refusal::UnknownSource => bail!("`--from {from}` is neither `internet`, an IP address, nor an instance, network interface or subnet id"),
        }
    }
    let inv = match &args.snapshot {
        Some(path) => read_snapshot(path)?,
        None => collect(&args.aws)?,
    };
    let verdicts = rampart_app::reach::ask(&inv, &question)?;
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
    Ok(match rampart_app::reach::overall(&verdicts) {
        rampart_app::reach::Overall::Reachable => ExitCode::SUCCESS,
        rampart_app::reach::Overall::Blocked => ExitCode::from(1),
        rampart_app::reach::Overall::Unknown => ExitCode::from(2),
    })
}

fn scan_secrets(args: &crate::cli::SecretsArgs, inv: Option<&Inventory>, out: &OutputArgs) -> Result<ExitCode> {
    let request = rampart_app::secrets::Request {
        paths: args.paths.clone(),
        options: rampart_secrets::ScanOptions { max_file_size: args.max_file_size, include_examples: args.include_examples, ..Default::default() },
        history: !args.no_history,
    };
    let (scan, report) = rampart_app::secrets::scan(&request, inv, &Stderr::new())?;
    let code = finish(scan, out)?;
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

/// `rampart import aws`: one line per source and region on stdout (read, stored, failed,
/// or why it was not read), each failed finding on stderr; exit 2 when any source was not
/// read whole or any finding was not stored.
fn import_aws(
    sources: &[String],
    profile: Option<String>,
    regions: Option<Vec<String>>,
    endpoint_url: Option<String>,
    db: &Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    let sources = rampart_app::import_aws::parse_sources(sources).map_err(|e| anyhow::anyhow!("{e} (--sources)"))?;
    let opts = rampart_collect_aws::Options { profile, regions, endpoint_url, progress: true, ..Default::default() };
    let path = db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let mut store = crate::hints::write_store(&path)?;
    let done = rampart_app::import_aws::import_aws(&mut store, &opts, &sources, time::OffsetDateTime::now_utc()).map_err(collect_hint)?;
    let mut out = std::io::stdout().lock();
    let mut incomplete = false;
    for r in &done {
        for bad in &r.answer.failed {
            eprintln!("{} {}: finding {} ({}): {}: {}", r.source, r.region, bad.index, bad.id, bad.code, bad.message);
        }
        incomplete |= !r.complete();
        let counts = format!("read {}, stored {}, failed {}", r.read, r.answer.success_count, r.answer.failed_count());
        match &r.error {
            None => match &r.note {
                Some(note) => writeln!(out, "{} {}: {counts} ({note})", r.source, r.region)?,
                None => writeln!(out, "{} {}: {counts}", r.source, r.region)?,
            },
            Some(why) if r.read > 0 => writeln!(out, "{} {}: {counts}; then not read: {why}", r.source, r.region)?,
            Some(why) => writeln!(out, "{} {}: not read: {why}", r.source, r.region)?,
        }
    }
    out.flush()?;
    Ok(if incomplete { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// `rampart import findings --format <service>`: saved API responses of an AWS service.
fn import_responses(
    source: rampart_app::import_aws::AwsSource,
    files: &[std::path::PathBuf],
    ctx: &rampart_app::import_aws::SourceContext,
    db: &Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    if source == rampart_app::import_aws::AwsSource::Config && (ctx.account.is_none() || ctx.region.is_none()) {
        anyhow::bail!("AWS Config's evaluations name no account or region: pass --account ACCOUNT_ID and --region REGION (those the rule was evaluated in)");
    }
    let path = db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let mut store = crate::hints::write_store(&path)?;
    let done = rampart_app::import_aws::import_response_files(&mut store, source, files, ctx, time::OffsetDateTime::now_utc())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut failed = 0;
    let mut out = std::io::stdout().lock();
    for f in &done {
        for bad in &f.answer.failed {
            eprintln!("{}: finding {} ({}): {}: {}", f.path.display(), bad.index, bad.id, bad.code, bad.message);
        }
        failed += f.answer.failed_count();
        writeln!(
            out,
            "{}: {} {} finding(s) read: {} imported, {} failed",
            f.path.display(),
            f.read,
            f.source,
            f.answer.success_count,
            f.answer.failed_count()
        )?;
    }
    out.flush()?;
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// `rampart import findings`: each file's count on stdout, each bad finding on stderr;
/// exit 2 when any finding was not imported.
fn import_findings(files: &[std::path::PathBuf], format: &str, db: &Option<std::path::PathBuf>) -> Result<ExitCode> {
    use rampart_app::import::{import_files, Format};
    let format = Format::parse(format);
    let path = db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let mut store = crate::hints::write_store(&path)?;
    let done = import_files(&mut store, files, format, time::OffsetDateTime::now_utc()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut failed = 0;
    let mut out = std::io::stdout().lock();
    for f in &done {
        for bad in &f.answer.failed {
            eprintln!("{}: finding {} ({}): {}: {}", f.path.display(), bad.index, bad.id, bad.code, bad.message);
        }
        failed += f.answer.failed_count();
        writeln!(
            out,
            "{}: {} finding(s) read as {}: {} imported, {} failed",
            f.path.display(),
            f.read,
            f.format,
            f.answer.success_count,
            f.answer.failed_count()
        )?;
    }
    out.flush()?;
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
