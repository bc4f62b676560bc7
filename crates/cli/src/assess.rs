//! `rampart assess`: targets, templates and runs of templates over telemetry documents.
//!
//! A run: CREATED → COLLECTING_DATA (read the documents, keep the hosts the target
//! selects) → EVALUATING_RULES (the host assessment of each, restricted to the
//! template's rule packages, recorded as one findings run) → COMPLETED; FAILED with the
//! error at the first step that fails.

use crate::cli::{AssessAction, FailOn, OutputArgs};
use anyhow::{bail, Context, Result};
use rampart_hub::{AssessmentRun, AssessmentState, Store, TargetSelector};
use rampart_host::Telemetry;
use rampart_model::{Finding, RunInfo, Timestamp};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn now() -> Timestamp {
    time::OffsetDateTime::now_utc()
}

/// How a subcommand uses the store: creating targets and templates may create it; running
/// and changing need one; listing only reads.
enum Access {
    Create,
    Existing,
    Read,
}

fn open(db: Option<PathBuf>, access: Access) -> Result<(Store, PathBuf)> {
    let path = db.unwrap_or_else(Store::default_path);
    let store = match access {
        Access::Create => crate::hints::write_store(&path)?,
        Access::Existing => crate::hints::existing_store(&path)?,
        Access::Read => crate::hints::read_store(&path)?,
    };
    Ok((store, path))
}

/// A name in use: the CLI's way out (the store's error names no flag).
fn duplicate_hint(e: rampart_hub::StoreError) -> anyhow::Error {
    match e {
        rampart_hub::StoreError::DuplicateTarget(_) | rampart_hub::StoreError::DuplicateTemplate(_) => {
            anyhow::anyhow!("{e} (--replace changes it, --delete deletes it)")
        }
        e => e.into(),
    }
}

pub fn main(action: AssessAction) -> Result<ExitCode> {
    match action {
        AssessAction::Target { name, delete: true, db, .. } => {
            let (mut store, _) = open(db, Access::Existing)?;
            store.delete_target(&name)?;
            eprintln!("target {name}: deleted");
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Target { name, tags, hosts, replace, delete: false, db } => {
            let selector = TargetSelector { tags: tags.into_iter().collect(), hosts };
            if replace {
                let (mut store, _) = open(db, Access::Existing)?;
                store.replace_target(&name, &selector)?;
            } else {
                let (mut store, _) = open(db, Access::Create)?;
                store.create_target(&name, &selector, now()).map_err(duplicate_hint)?;
            }
            eprintln!("target {name}: {}", describe(&selector));
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Targets { db } => {
            let (store, path) = open(db, Access::Read)?;
            let targets = store.targets()?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{:<20} {:<21} SELECTS", "NAME", "CREATED")?;
            for t in &targets {
                writeln!(out, "{:<20} {:<21} {}", t.name, rampart_model::rfc3339(t.created_at), describe(&t.selector))?;
            }
            out.flush()?;
            eprintln!("{} target(s) in {}", targets.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Template { name, delete: true, db, .. } => {
            let (mut store, _) = open(db, Access::Existing)?;
            store.delete_template(&name)?;
            eprintln!("template {name}: deleted");
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Template { name, target, rules, duration, replace, delete: false, db } => {
            // Invariant: clap requires --target unless --delete.
            let Some(target) = target else { bail!("template `{name}` needs --target TARGET") };
            let rules: Vec<String> = rules.iter().map(|r| r.trim().to_ascii_lowercase()).filter(|r| !r.is_empty()).collect();
            if rules.is_empty() {
                bail!("template `{name}` has no rule package: pass --rules with some of cve, cis, best-practices, runtime");
            }
            let t = if replace {
                let (mut store, _) = open(db, Access::Existing)?;
                store.replace_template(&name, &target, &rules, duration)?
            } else {
                let (mut store, _) = open(db, Access::Create)?;
                store.create_template(&name, &target, &rules, duration, now()).map_err(duplicate_hint)?
            };
            eprintln!("template {name}: target {}, rules {}, {}s", t.target, t.rule_packages.join(","), t.duration_seconds);
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Templates { db } => {
            let (store, path) = open(db, Access::Read)?;
            let templates = store.templates()?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{:<20} {:<20} {:<30} {:>10} CREATED", "NAME", "TARGET", "RULES", "DURATION")?;
            for t in &templates {
                writeln!(
                    out,
                    "{:<20} {:<20} {:<30} {:>9}s {}",
                    t.name,
                    t.target,
                    t.rule_packages.join(","),
                    t.duration_seconds,
                    rampart_model::rfc3339(t.created_at)
                )?;
            }
            out.flush()?;
            eprintln!("{} template(s) in {}", templates.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        AssessAction::Run { template, telemetry, vulndb, db } => run(&template, &telemetry, vulndb, db),
        AssessAction::Runs { db } => {
            let (store, path) = open(db, Access::Read)?;
            let runs = store.assessment_runs()?;
            let t = |t: Option<Timestamp>| t.map_or_else(|| "-".to_string(), rampart_model::rfc3339);
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{:<5} {:<20} {:<17} {:<21} {:<21} {:<21} {:<21} {:<21} FINDINGS RUN",
                "ID", "TEMPLATE", "STATE", "CREATED", "COLLECTING_DATA", "EVALUATING_RULES", "COMPLETED", "FAILED"
            )?;
            for r in &runs {
                writeln!(
                    out,
                    "{:<5} {:<20} {:<17} {:<21} {:<21} {:<21} {:<21} {:<21} {}",
                    r.id,
                    r.template,
                    r.state.as_str(),
                    t(Some(r.created_at)),
                    t(r.collecting_at),
                    t(r.evaluating_at),
                    t(r.completed_at),
                    t(r.failed_at),
                    r.findings_run_id.as_deref().unwrap_or("-"),
                )?;
                if let Some(why) = &r.failure {
                    writeln!(out, "      failure: {why}")?;
                }
            }
            out.flush()?;
            eprintln!("{} assessment run(s) in {}", runs.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn describe(s: &TargetSelector) -> String {
    let tags: Vec<String> = s.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let hosts = if s.hosts.is_empty() { "every host".to_string() } else { format!("hosts {}", s.hosts.join(", ")) };
    if tags.is_empty() {
        hosts
    } else {
        format!("tags {}; {hosts}", tags.join(", "))
    }
}

/// The rule package a finding's check belongs to.
fn rule_package(check_id: &str) -> Option<&'static str> {
    if check_id == crate::host::CVE.id {
        Some("cve")
    } else if check_id.starts_with("host_cis_") {
        Some("cis")
    } else if check_id.starts_with("host_bp_") {
        Some("best-practices")
    } else if check_id.starts_with("host_runtime_") {
        Some("runtime")
    } else {
        None
    }
}

fn run(template: &str, telemetry: &[PathBuf], vulndb: Option<PathBuf>, db: Option<PathBuf>) -> Result<ExitCode> {
    let (mut store, path) = open(db, Access::Existing)?;
    let tpl = store.template(template)?;
    let target = store.target(&tpl.target)?;
    let run = store.start_run(template, now())?;
    eprintln!("assessment run {} of {template}: CREATED", run.id);
    match steps(&mut store, &path, &run, &tpl, &target.selector, telemetry, vulndb) {
        Ok(done) => {
            eprintln!(
                "assessment run {}: COMPLETED ({} host(s), findings run {})",
                done.id,
                done.hosts.len(),
                done.findings_run_id.as_deref().unwrap_or("-")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let mut why = e.to_string();
            for cause in e.chain().skip(1) {
                why.push_str(": ");
                why.push_str(&cause.to_string());
            }
            // The run may have failed before a step, or the failure itself may not be storable.
            match store.advance(run.id, AssessmentState::Failed, Some(&why), now()) {
                Ok(_) => eprintln!("assessment run {}: FAILED", run.id),
                Err(e2) => eprintln!("warning: assessment run {} could not be marked FAILED: {e2}", run.id),
            }
            Err(e.context(format!("assessment run {} of `{template}` failed", run.id)))
        }
    }
}

fn steps(
    store: &mut Store,
    db: &Path,
    run: &AssessmentRun,
    tpl: &rampart_hub::AssessmentTemplate,
    selector: &TargetSelector,
    telemetry: &[PathBuf],
    vulndb: Option<PathBuf>,
) -> Result<AssessmentRun> {
    // COLLECTING_DATA: the documents of the hosts the target selects.
    // The template's duration is the collection window: a document collected longer ago
    // than that before the run started is stale; of several documents of one host, the
    // newest is assessed.
    let collecting = now();
    store.advance(run.id, AssessmentState::CollectingData, None, collecting)?;
    let window_start = collecting - time::Duration::seconds(i64::try_from(tpl.duration_seconds).unwrap_or(i64::MAX / 2));
    let mut selected: Vec<(String, Telemetry)> = Vec::new();
    for p in telemetry {
        let text = std::fs::read_to_string(p).with_context(|| format!("cannot read `{}`: check the path", p.display()))?;
        let t = Telemetry::from_json(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", p.display()))?;
        let host = crate::host::hostname(&t);
        if !selector.matches(&host, &t.tags) {
            eprintln!("{}: host `{host}` is not selected by target `{}`, skipped", p.display(), tpl.target);
        } else if t.collected_at < window_start {
            eprintln!(
                "{}: collected at {}, before the template's {} s window, skipped: collect it again with `rampart agent`",
                p.display(),
                rampart_model::rfc3339(t.collected_at),
                tpl.duration_seconds
            );
        } else if let Some(slot) = selected.iter_mut().find(|(h, _)| *h == host) {
            if t.collected_at > slot.1.collected_at {
                eprintln!("{}: a newer document of host `{host}` replaces an older one", p.display());
                slot.1 = t;
            } else {
                eprintln!("{}: an older document of host `{host}`, skipped", p.display());
            }
        } else {
            selected.push((host, t));
        }
    }
    if selected.is_empty() {
        bail!("no telemetry document belongs to a host target `{}` selects ({})", tpl.target, describe(selector));
    }

    // EVALUATING_RULES: each host's assessment, the template's rule packages only.
    store.advance(run.id, AssessmentState::EvaluatingRules, None, now())?;
    let keep = |check: &str| rule_package(check).is_some_and(|p| tpl.rule_packages.iter().any(|r| r == p));
    let started = now();
    let mut findings: Vec<Finding> = Vec::new();
    let mut hosts: Vec<String> = Vec::new();
    for (host, t) in &selected {
        let cve = tpl.rule_packages.iter().any(|r| r == "cve");
        let mut f = crate::host::evaluate(t, cve.then(|| vulndb.clone()), started)?;
        f.retain(|f| keep(&f.check_id));
        findings.extend(f);
        hosts.push(host.clone());
    }
    let finished = now();
    let info = RunInfo {
        id: format!("run-{}-{:09}", finished.unix_timestamp(), finished.nanosecond()),
        started_at: started,
        finished_at: finished,
        source: format!("assessment:{}#{}", tpl.name, run.id),
        accounts: Vec::new(),
        regions: Vec::new(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        checks: crate::host::check_ids().into_iter().filter(|c| keep(c)).collect(),
    };
    let out = OutputArgs {
        format: rampart_report::Format::Table,
        output: None,
        db: Some(db.to_path_buf()),
        config: None,
        no_store: false,
        // The run's verdict is its state; failing findings are its content, not an error.
        fail_on: Some(FailOn(None)),
    };
    let code = crate::run::finish(info.clone(), findings, Vec::new(), &[], &out)?;
    if code != ExitCode::SUCCESS {
        bail!("the findings run {} could not be completed", info.id);
    }
    store.attach_findings_run(run.id, &info.id, &hosts)?;
    Ok(store.advance(run.id, AssessmentState::Completed, None, now())?)
}
