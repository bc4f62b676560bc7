//! The commands that show what the store holds: `findings` (a list, or one finding in
//! full), `runs`, and `workflow`, which changes one finding. None of them creates a
//! database; the ones that only read open it read-only.

use crate::cli::{FindingsArgs, RunsArgs};
use crate::hints::shown;
use anyhow::{bail, Context, Result};
use rampart_model::{Finding, Status};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn db_path(db: &Option<PathBuf>) -> PathBuf {
    db.clone().unwrap_or_else(rampart_hub::Store::default_path)
}

/// `--check ID` checked before it filters: a misspelled id would list nothing, which reads
/// as "no such problem".
fn check_filter(id: &str) -> Result<String> {
    rampart_app::browse::known_check(id)
}

pub fn findings(args: &FindingsArgs) -> Result<ExitCode> {
    if let Some(id) = &args.id {
        return finding(id, args);
    }
    let status = match &args.status {
        None => None,
        Some(s) => Some(Status::parse(&s.to_ascii_uppercase()).with_context(|| {
            format!("unknown status `{}`: use PASSED, FAILED, WARNING or NOT_AVAILABLE", shown(s))
        })?),
    };
    let (json, export) = match args.format.as_str() {
        "table" => (false, None),
        "json" => (true, None),
        f @ ("asff" | "ocsf" | "csv" | "html") => (false, Some(f.parse::<rampart_report::Format>()?)),
        other => bail!("unknown format `{}` for findings: use table, json, asff, ocsf, csv or html", shown(other)),
    };
    let check_id = args.check.as_deref().map(check_filter).transpose()?;
    // SQLite or PostgreSQL (`--db postgres://...`).
    let store = crate::db::read(&db_path(&args.db))?;
    let filter = rampart_hub::FindingFilter {
        status,
        min_severity: args.severity,
        check_id,
        account: args.account.clone(),
        record_state: if args.archived { None } else { Some(rampart_model::RecordState::Active) },
        product: args.product.clone(),
        limit: (args.limit > 0).then_some(args.limit),
    };
    let found = store.findings(&filter)?;
    let products = store.product_names(&found.iter().map(|f| f.id.clone()).collect::<Vec<_>>())?;
    let total = if filter.limit.is_some_and(|l| found.len() >= l) { store.count_findings(&filter)? } else { found.len() };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write `{}`: check the path and permissions", path.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    if let Some(format) = export {
        // The stored findings in an export format: a run stands for the store (ASFF places a
        // finding without an account of its own in the run's, and this one names none).
        let now = rampart_model::Timestamp::now_utc();
        let run = rampart_app::run_info("store".to_string(), now, Vec::new(), Vec::new(), Vec::new());
        let report = rampart_report::Report { run: &run, findings: &found, gaps: &[], compliance: &[] };
        rampart_report::render(format, &report, &mut out)?;
    } else if json {
        // Rampart's findings as they are; an imported one also names its product.
        let mut list = Vec::with_capacity(found.len());
        for f in &found {
            let mut v = serde_json::to_value(f)?;
            if let (Some(p), Some(m)) = (products.get(&f.id), v.as_object_mut()) {
                m.insert("product_name".into(), serde_json::Value::String(p.clone()));
            }
            list.push(v);
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        writeln!(out, "{:<13} {:<13} {:<10} {:<12} {:<45} {}  ID", "STATUS", "SEVERITY", "WORKFLOW", "PRODUCT", "CHECK", "RESOURCE")?;
        for f in &found {
            writeln!(
                out,
                "{:<13} {:<13} {:<10} {:<12} {:<45} {}  {}",
                f.status.as_str(),
                f.severity.as_str(),
                f.workflow_status.as_str(),
                products.get(&f.id).map_or("rampart", String::as_str),
                f.check_id,
                f.resource.id,
                f.id
            )?;
        }
    }
    out.flush()?;
    if found.len() < total {
        eprintln!("{} of {total} finding(s) from {} — use --limit N to see more, --limit 0 for all", found.len(), store.describe());
    } else {
        eprintln!("{} finding(s) from {}", found.len(), store.describe());
    }
    Ok(ExitCode::SUCCESS)
}

/// One finding in full: what it is about, what to do, what each run said, and every
/// change of its workflow status (by whom — a person or a run —, when and why).
fn finding(id: &str, args: &FindingsArgs) -> Result<ExitCode> {
    let path = db_path(&args.db);
    let store = crate::hints::read_store(&path)?;
    let detail = rampart_app::browse::finding(&store, id)?;
    let mut out = std::io::stdout().lock();
    match args.format.as_str() {
        "json" => writeln!(out, "{}", serde_json::to_string_pretty(&detail.to_json())?)?,
        "table" => {
            write_finding(&mut out, &detail.finding, &detail.results, &detail.history)?;
            if let Some(source) = &detail.imported {
                write_imported(&mut out, source)?;
            }
        }
        other => bail!("unknown format `{}` for findings: use table or json", shown(other)),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_finding(
    out: &mut dyn Write,
    f: &Finding,
    results: &[rampart_hub::RunResult],
    history: &[rampart_hub::WorkflowChange],
) -> std::io::Result<()> {
    let t = rampart_model::rfc3339;
    writeln!(out, "{}", f.id)?;
    writeln!(out, "  {} — {}", f.check_id, f.title)?;
    writeln!(out, "  status      {} ({} severity), workflow {}, {}", f.status.as_str(), f.severity.as_str(), f.workflow_status.as_str(), f.record_state.as_str())?;
    writeln!(out, "  resource    {} ({})", f.resource.id, f.resource.kind.asff())?;
    writeln!(out, "  where       account {}, region {}, partition {}", f.resource.account, f.resource.region, f.resource.partition)?;
    writeln!(out, "  reason      {}", f.reason)?;
    if !f.detail.is_empty() {
        writeln!(out, "  detail      {}", f.detail)?;
    }
    writeln!(out, "  seen        first {}, last {}", t(f.first_observed), t(f.last_observed))?;
    writeln!(out, "  description {}", f.description)?;
    writeln!(out, "  remediation {}", f.remediation_console)?;
    if !f.remediation_cli.is_empty() {
        writeln!(out, "              {}", f.remediation_cli)?;
    }
    if !f.remediation_url.is_empty() {
        writeln!(out, "              {}", f.remediation_url)?;
    }
    if !f.related_requirements.is_empty() {
        writeln!(out, "  standards   {}", f.related_requirements.join("; "))?;
    }
    writeln!(out, "runs ({}):", results.len())?;
    for r in results {
        writeln!(out, "  {}  {:<13} {:<13} {}  {}", t(r.observed_at), r.status.as_str(), r.severity.as_str(), r.run_id, r.reason)?;
    }
    writeln!(out, "workflow history ({}):", history.len())?;
    for c in history {
        let by = match (&c.run_id, &c.changed_by) {
            (Some(run), _) => format!("run {run}"),
            (None, Some(who)) => who.clone(),
            (None, None) => "a person".to_string(),
        };
        let note = if c.note.is_empty() { "(no note)" } else { c.note.as_str() };
        writeln!(out, "  {}  {} -> {}  by {by}: {note}", t(c.changed_at), c.from.as_str(), c.to.as_str())?;
    }
    Ok(())
}

/// Where an imported finding came from: its product, every resource, and the finding as
/// the tool sent it.
fn write_imported(out: &mut dyn Write, s: &rampart_hub::ImportedSource) -> Result<()> {
    writeln!(out, "imported from {} ({}), {}", s.product_name, s.company_name, s.product_arn)?;
    writeln!(out, "  its id      {}", s.id)?;
    let resources = s.resources.as_array().map(Vec::as_slice).unwrap_or_default();
    writeln!(out, "resources ({}):", resources.len())?;
    for r in resources {
        let text = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("-").to_string();
        writeln!(out, "  {} ({}), region {}", text("Id"), text("Type"), text("Region"))?;
        if let Some(tags) = r.get("Tags").and_then(|t| t.as_object()) {
            let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect();
            writeln!(out, "    tags     {}", tags.join(", "))?;
        }
        if let Some(d) = r.get("Details") {
            writeln!(out, "    details  {d}")?;
        }
    }
    match &s.document {
        Some(doc) => writeln!(out, "as sent ({}):\n{}", s.format.as_deref().unwrap_or("json"), serde_json::to_string_pretty(doc)?)?,
        None => writeln!(out, "as sent: not kept (imported before rampart kept documents)")?,
    }
    Ok(())
}

/// `rampart runs`: what `compliance --run` and the hints about run ids point to.
pub fn runs(args: &RunsArgs) -> Result<ExitCode> {
    let json = match args.format.as_str() {
        "table" => false,
        "json" => true,
        other => bail!("unknown format `{}` for runs: use table or json", shown(other)),
    };
    let store = crate::db::read(&db_path(&args.db))?;
    let runs = store.run_summaries()?;
    let mut out = std::io::stdout().lock();
    if json {
        let doc: Vec<_> = runs
            .iter()
            .map(|s| {
                let counts: serde_json::Map<String, serde_json::Value> =
                    s.counts.iter().map(|(st, n)| (st.as_str().to_string(), (*n).into())).collect();
                serde_json::json!({ "run": s.run, "counts": counts })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        writeln!(out, "{:<30} {:<20} {:>9}  {:<24} {:<26} RESULTS", "ID", "STARTED", "DURATION", "SOURCE", "ACCOUNTS")?;
        for s in &runs {
            let r = &s.run;
            let counts: Vec<String> = s.counts.iter().map(|(st, n)| format!("{n} {}", st.as_str())).collect();
            let accounts = if r.accounts.is_empty() { "-".to_string() } else { r.accounts.join(",") };
            writeln!(
                out,
                "{:<30} {:<20} {:>9}  {:<24} {:<26} {}",
                r.id,
                rampart_model::rfc3339(r.started_at),
                duration(r.finished_at - r.started_at),
                r.source,
                accounts,
                if counts.is_empty() { "no results".to_string() } else { counts.join(", ") }
            )?;
        }
    }
    out.flush()?;
    eprintln!("{} run(s) in {}", runs.len(), store.describe());
    Ok(ExitCode::SUCCESS)
}

/// `1h02m03s`, `4m05s`, `7s`.
fn duration(d: time::Duration) -> String {
    let s = d.whole_seconds().max(0);
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, s) => format!("{h}h{m:02}m{s:02}s"),
    }
}

/// The person changing a workflow status: the login behind `sudo` if any, else the
/// user this runs as (`USER`, `LOGNAME`); `None` when the environment does not say.
fn who() -> Option<String> {
    ["SUDO_USER", "USER", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

pub fn workflow(id: &str, status: &str, note: &str, db: &Option<PathBuf>) -> Result<ExitCode> {
    let status = rampart_model::WorkflowStatus::parse(&status.to_ascii_uppercase())
        .with_context(|| format!("unknown workflow status `{}`: use NEW, NOTIFIED, SUPPRESSED or RESOLVED", shown(status)))?;
    let mut store = crate::hints::existing_store(&db_path(db))?;
    store.set_workflow_by(id, status, note, who().as_deref())?;
    eprintln!("{id}: workflow {}", status.as_str());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_as_time() {
        assert_eq!(super::duration(time::Duration::seconds(7)), "7s");
        assert_eq!(super::duration(time::Duration::seconds(28)), "28s");
        assert_eq!(super::duration(time::Duration::seconds(245)), "4m05s");
        assert_eq!(super::duration(time::Duration::seconds(3723)), "1h02m03s");
    }

    #[test]
    fn a_misspelled_check_is_refused_with_the_nearest_id() {
        let e = super::check_filter("iam_root_mfaa").unwrap_err().to_string();
        assert!(e.contains("did you mean `iam_root_mfa`"), "{e}");
        assert!(super::check_filter("host_cve").is_ok());
        let long = "x".repeat(500);
        assert!(super::check_filter(&long).unwrap_err().to_string().len() < 200);
    }
}

/// `rampart automation`: list, add (or replace), delete and dry-run rules.
pub fn automation(action: crate::cli::AutomationAction) -> Result<ExitCode> {
    use crate::cli::AutomationAction;
    match action {
        AutomationAction::List { format, db } => {
            let json = match format.as_str() {
                "table" => false,
                "json" => true,
                other => bail!("unknown format `{}` for automation list: use table or json", shown(other)),
            };
            let path = db_path(&db);
            let rules = crate::hints::read_store(&path)?.automation_rules()?;
            let mut out = std::io::stdout().lock();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&rules)?)?;
            } else {
                writeln!(out, "{:<9} {:>5} {:<8} {:<8} {:<30} ACTION / CRITERIA", "ID", "ORDER", "STATUS", "TERMINAL", "NAME")?;
                for r in &rules {
                    writeln!(
                        out,
                        "{:<9} {:>5} {:<8} {:<8} {:<30} {}\n{:<65} {}",
                        r.id,
                        r.order,
                        if r.enabled { "ENABLED" } else { "DISABLED" },
                        if r.terminal { "yes" } else { "no" },
                        r.name,
                        r.action,
                        "",
                        r.criteria
                    )?;
                }
            }
            out.flush()?;
            eprintln!("{} rule(s) in {}", rules.len(), rampart_app::db::shown(&path));
            Ok(ExitCode::SUCCESS)
        }
        AutomationAction::Add { file, replace, db } => {
            let spec = rampart_app::automation::spec_from_file(&file)?;
            let path = db_path(&db);
            let rule = match replace {
                Some(old) => crate::hints::existing_store(&path)?.replace_automation_rule(&old, &spec, rampart_app::now())?,
                None => rampart_app::automation::create(&mut crate::hints::write_store(&path)?, &spec, who().as_deref().unwrap_or("cli"))?,
            };
            eprintln!(
                "{} `{}`: order {}, {}{}; applies to the findings of the next scans (`rampart automation dry-run {}` shows the current ones it matches)",
                rule.id,
                rule.name,
                rule.order,
                if rule.enabled { "enabled" } else { "disabled" },
                if rule.terminal { ", terminal" } else { "" },
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        AutomationAction::Delete { rule, db } => {
            crate::hints::existing_store(&db_path(&db))?.delete_automation_rule(&rule)?;
            eprintln!("{}: deleted", shown(&rule));
            Ok(ExitCode::SUCCESS)
        }
        AutomationAction::DryRun { file, db } => {
            let spec = rampart_app::automation::spec_from_file(&file)?;
            let store = crate::hints::read_store(&db_path(&db))?;
            let (n, ids) = rampart_app::automation::dry_run(&store, &spec, usize::MAX)?;
            let mut out = std::io::stdout().lock();
            for id in &ids {
                writeln!(out, "{id}")?;
            }
            out.flush()?;
            eprintln!("rule `{}` would change {n} current finding(s); nothing was changed", spec.name);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `rampart insights`: list, show (counts, or one group's findings), add, delete.
pub fn insights(action: crate::cli::InsightsAction, db: &Option<PathBuf>) -> Result<ExitCode> {
    use crate::cli::InsightsAction;
    let path = db_path(db);
    let mut out = std::io::stdout().lock();
    match action {
        InsightsAction::List => {
            let store = crate::hints::read_store(&path)?;
            let all = store.insights()?;
            writeln!(out, "{:<12} {:<28} {:<70}", "ID", "GROUP BY", "NAME")?;
            for i in &all {
                writeln!(out, "{:<12} {:<28} {}", i.id, i.group_by, i.name)?;
            }
            out.flush()?;
            eprintln!("{} insight(s); `rampart insights show ID` counts one", all.len());
        }
        InsightsAction::Show { id, group, format } => {
            let json = match format.as_str() {
                "table" => false,
                "json" => true,
                other => bail!("unknown format `{}` for insights: use table or json", shown(other)),
            };
            let store = crate::hints::read_store(&path)?;
            match group {
                None => {
                    let (insight, results) = rampart_app::insights::results(&store, &id)?;
                    if json {
                        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "insight": insight, "results": results }))?)?;
                    } else {
                        writeln!(out, "{} — {} (grouped by {})", insight.id, insight.name, insight.group_by)?;
                        writeln!(out, "{:>8}  {}", "FINDINGS", insight.group_by.to_ascii_uppercase())?;
                        for r in &results {
                            writeln!(out, "{:>8}  {}", r.count, r.value)?;
                        }
                    }
                    out.flush()?;
                    if results.len() >= rampart_hub::MAX_INSIGHT_RESULTS {
                        eprintln!("the largest {} groups (an insight shows at most {}, as Security Hub's do); `--group VALUE` lists the findings of one", results.len(), rampart_hub::MAX_INSIGHT_RESULTS);
                    } else {
                        eprintln!("{} group(s); `--group VALUE` lists the findings of one", results.len());
                    }
                }
                Some(value) => {
                    let (total, records) = rampart_app::insights::drill_down(&store, &id, &value, usize::MAX)?;
                    if json {
                        let findings: Vec<&Finding> = records.iter().map(|r| &r.finding).collect();
                        writeln!(out, "{}", serde_json::to_string_pretty(&findings)?)?;
                    } else {
                        writeln!(out, "{:<13} {:<13} {:<10} {:<45} {}  ID", "STATUS", "SEVERITY", "WORKFLOW", "CHECK", "RESOURCE")?;
                        for r in &records {
                            let f = &r.finding;
                            writeln!(
                                out,
                                "{:<13} {:<13} {:<10} {:<45} {}  {}",
                                f.status.as_str(),
                                f.severity.as_str(),
                                f.workflow_status.as_str(),
                                f.check_id,
                                f.resource.id,
                                f.id
                            )?;
                        }
                    }
                    out.flush()?;
                    eprintln!("{} of {total} finding(s) in group `{}`", records.len(), shown(&value));
                }
            }
        }
        InsightsAction::Add { name, group_by, filters } => {
            let filters = match filters {
                Some(f) => rampart_app::insights::filters_from_file(&f)?,
                None => rampart_hub::FindingFilters::default(),
            };
            let mut store = crate::hints::write_store(&path)?;
            let i = store.create_insight(&name, &filters, &group_by, who().as_deref().unwrap_or("cli"), rampart_app::now())?;
            eprintln!("{} `{}` saved; `rampart insights show {}` counts it", i.id, i.name, i.id);
        }
        InsightsAction::Delete { id } => {
            crate::hints::existing_store(&path)?.delete_insight(&id)?;
            eprintln!("{}: deleted", shown(&id));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `rampart events`: targets, rules, custom actions, triggering, delivery.
pub fn events(action: crate::cli::EventsAction, db: &Option<PathBuf>) -> Result<ExitCode> {
    use crate::cli::EventsAction;
    let path = db_path(db);
    match action {
        EventsAction::List => {
            let store = crate::hints::read_store(&path)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "targets:")?;
            for t in store.event_targets()? {
                let signed = if t.config.get("secret").is_some() { ", signed" } else { "" };
                let to = rampart_app::notify::target_where(&t);
                writeln!(out, "  {:<20} {:<8} {to}{signed}", t.name, t.kind)?;
            }
            writeln!(out, "rules:")?;
            for r in store.event_rules()? {
                let off = if r.enabled { "" } else { " (disabled)" };
                writeln!(out, "  {:<20} -> {:<20} {}{off}", r.name, r.target, r.pattern)?;
            }
            writeln!(out, "custom actions:")?;
            for a in store.custom_actions()? {
                writeln!(out, "  {:<20} {:<20} {}", a.id, a.name, a.description)?;
            }
            out.flush()?;
        }
        EventsAction::AddTarget { name, url, kind, secret_env } => {
            let secret = match secret_env {
                Some(var) => Some(std::env::var(&var).with_context(|| format!("--secret-env {}: the variable is not set", shown(&var)))?),
                None => None,
            };
            let mut store = crate::hints::write_store(&path)?;
            let t = rampart_app::events::create_webhook(&mut store, &name, &kind, &url, secret.as_deref())?;
            eprintln!("target `{}` ({}) added; route events to it with `rampart events add-rule NAME --target {} --pattern JSON`", t.name, t.kind, t.name);
        }
        EventsAction::AddSns { name, topic_arn, region, profile, endpoint_url } => {
            let mut store = crate::hints::write_store(&path)?;
            let t = rampart_app::notify::create_sns_target(&mut store, &name, &topic_arn, &region, profile.as_deref(), endpoint_url.as_deref())?;
            eprintln!("target `{}` (sns) added; route events to it with `rampart events add-rule NAME --target {} --pattern JSON`", t.name, t.name);
        }
        EventsAction::AddEmail { name, smtp_host, smtp_port, tls, from, to, smtp_user, smtp_password_env } => {
            let settings = rampart_app::notify::EmailSettings { host: smtp_host, port: smtp_port, tls, from, to, username: smtp_user, password_env: smtp_password_env };
            let mut store = crate::hints::write_store(&path)?;
            let t = rampart_app::notify::create_email_target(&mut store, &name, &settings)?;
            eprintln!("target `{}` (email) added; route events to it with `rampart events add-rule NAME --target {} --pattern JSON`", t.name, t.name);
        }
        EventsAction::AddRule { name, target, pattern } => {
            let text = match pattern.strip_prefix('@') {
                Some(file) => std::fs::read_to_string(file).with_context(|| format!("cannot read `{}`", shown(file)))?,
                None => pattern,
            };
            let json: serde_json::Value = serde_json::from_str(&text).context("--pattern is not JSON (give the pattern, or @FILE)")?;
            let mut store = crate::hints::existing_store(&path)?;
            let r = rampart_app::events::create_rule(&mut store, &name, &json, &target)?;
            eprintln!("rule `{}`: matching events go to `{}`", r.name, r.target);
        }
        EventsAction::AddAction { name, description } => {
            let mut store = crate::hints::write_store(&path)?;
            let a = store.create_custom_action(&name, &description, rampart_app::now())?;
            eprintln!("{} `{}` added; trigger it with `rampart events trigger {} FINDING_ID...`", a.id, a.name, a.id);
        }
        EventsAction::Trigger { action, findings } => {
            let mut store = crate::hints::existing_store(&path)?;
            let event = rampart_app::events::trigger_custom_action(&mut store, &action, &findings, who().as_deref().unwrap_or("cli"))?;
            eprintln!("event {} on {} finding(s) queued; `rampart events deliver` sends it", event.id, findings.len());
        }
        EventsAction::Deliver => {
            crate::hints::existing_store(&path)?;
            let pass = rampart_server::delivery::pass(&path)?;
            eprintln!("{} delivered, {} to retry later, {} dead", pass.delivered, pass.retried, pass.dead);
            if pass.retried + pass.dead > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        EventsAction::DeadLetters => {
            let store = crate::hints::read_store(&path)?;
            let dead = store.dead_letters()?;
            let mut out = std::io::stdout().lock();
            for d in &dead {
                writeln!(out, "{}  {:<20} {} attempt(s): {}", d.event_id, d.target.name, d.attempts, d.last_error.as_deref().unwrap_or("-"))?;
            }
            out.flush()?;
            eprintln!("{} dead letter(s)", dead.len());
            if !dead.is_empty() {
                eprintln!("send one again with `rampart events retry EVENT_ID`");
            }
        }
        EventsAction::Retry { event_id, target } => {
            let mut store = crate::hints::existing_store(&path)?;
            let n = store.retry_dead_letters(&event_id, target.as_deref(), rampart_app::now())?;
            eprintln!("{n} delivery(ies) of event {event_id} queued again; `rampart events deliver` sends them");
        }
        EventsAction::DeleteTarget { name } => {
            let mut store = crate::hints::existing_store(&path)?;
            store.delete_event_target(&name)?;
            eprintln!("target `{name}` deleted, with its rules and deliveries");
        }
        EventsAction::DeleteRule { name } => {
            let mut store = crate::hints::existing_store(&path)?;
            store.delete_event_rule(&name)?;
            eprintln!("rule `{name}` deleted");
        }
        EventsAction::DisableRule { name } => {
            crate::hints::existing_store(&path)?.set_event_rule_enabled(&name, false)?;
            eprintln!("rule `{name}` disabled: the events it matches are not routed until `rampart events enable-rule {name}`");
        }
        EventsAction::EnableRule { name } => {
            crate::hints::existing_store(&path)?.set_event_rule_enabled(&name, true)?;
            eprintln!("rule `{name}` enabled");
        }
        EventsAction::DeleteAction { action } => {
            let mut store = crate::hints::existing_store(&path)?;
            store.delete_custom_action(&action)?;
            eprintln!("custom action `{action}` deleted");
        }
    }
    Ok(ExitCode::SUCCESS)
}
