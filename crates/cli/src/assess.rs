//! `rampart assess`: targets, templates and runs of templates over telemetry documents.
//!
//! A run: CREATED → COLLECTING_DATA (read the documents, keep the hosts the target
//! selects) → EVALUATING_RULES (the host assessment of each, restricted to the
//! template's rule packages, recorded as one findings run) → COMPLETED; FAILED with the
//! error at the first step that fails.

use crate::cli::{AssessAction, FailOn, OutputArgs};
use anyhow::{bail, Result};
use rampart_app::assess::describe;
use rampart_hub::{Store, TargetSelector};
use rampart_model::Timestamp;
use std::io::Write;
use std::path::PathBuf;
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
            eprintln!("{} target(s) in {}", targets.len(), rampart_app::db::shown(&path));
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
            let rules = rampart_app::assess::rule_packages(&name, &rules).map_err(|e| anyhow::anyhow!("{e} (--rules)"))?;
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
            eprintln!("{} template(s) in {}", templates.len(), rampart_app::db::shown(&path));
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
            eprintln!("{} assessment run(s) in {}", runs.len(), rampart_app::db::shown(&path));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run(template: &str, telemetry: &[PathBuf], vulndb: Option<PathBuf>, db: Option<PathBuf>) -> Result<ExitCode> {
    let (mut store, path) = open(db, Access::Existing)?;
    // Opened only if the template has the CVE rule package; never created.
    let vulndb = || crate::hints::read_vulndb(&vulndb.clone().unwrap_or_else(rampart_hub::VulnStore::default_path));
    let done = rampart_app::assess::run(&mut store, template, telemetry, &vulndb, &crate::progress::Stderr::new())?;
    // The run's verdict is its state; failing findings are its content, not an error.
    let out = OutputArgs { format: rampart_report::Format::Table, output: None, db: Some(path), config: None, no_store: true, fail_on: Some(FailOn(None)) };
    crate::run::render(&done.scan, &out)?;
    Ok(ExitCode::SUCCESS)
}
