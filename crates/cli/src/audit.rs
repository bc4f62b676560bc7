//! The audit log of the CLI's state-changing commands (workflow, automation rules, insights,
//! event targets, rules and actions): each leaves one row in the database's audit log, as a
//! request to the server would, under `cli:<OS user>` (`rampart_server::record_cli_audit`).
//! Reading commands leave none. A command that fails before the database exists records
//! nothing (there is no log to write to).

use crate::cli::{AutomationAction, EventsAction, InsightsAction};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// What a command changes: its name, the ids it acts on, its database.
pub struct Audited {
    command: &'static str,
    targets: Vec<String>,
    db: Option<PathBuf>,
}

fn audited(command: &'static str, targets: Vec<String>, db: &Option<PathBuf>) -> Option<Audited> {
    Some(Audited { command, targets, db: db.clone() })
}

pub fn workflow(id: &str, db: &Option<PathBuf>) -> Option<Audited> {
    audited("workflow", vec![id.to_string()], db)
}

pub fn automation(a: &AutomationAction) -> Option<Audited> {
    match a {
        AutomationAction::Add { file, replace: Some(old), db } => audited("automation add --replace", vec![old.clone(), file.display().to_string()], db),
        AutomationAction::Add { file, replace: None, db } => audited("automation add", vec![file.display().to_string()], db),
        AutomationAction::Delete { rule, db } => audited("automation delete", vec![rule.clone()], db),
        AutomationAction::List { .. } | AutomationAction::DryRun { .. } => None,
    }
}

pub fn insights(a: &Option<InsightsAction>, db: &Option<PathBuf>) -> Option<Audited> {
    match a {
        Some(InsightsAction::Add { name, .. }) => audited("insights add", vec![name.clone()], db),
        Some(InsightsAction::Delete { id }) => audited("insights delete", vec![id.clone()], db),
        _ => None,
    }
}

pub fn events(a: &EventsAction, db: &Option<PathBuf>) -> Option<Audited> {
    match a {
        EventsAction::AddTarget { name, .. } => audited("events add-target", vec![name.clone()], db),
        EventsAction::AddSns { name, .. } => audited("events add-sns", vec![name.clone()], db),
        EventsAction::AddEmail { name, .. } => audited("events add-email", vec![name.clone()], db),
        EventsAction::AddRule { name, .. } => audited("events add-rule", vec![name.clone()], db),
        EventsAction::AddAction { name, .. } => audited("events add-action", vec![name.clone()], db),
        EventsAction::Trigger { action, findings } => {
            audited("events trigger", std::iter::once(action.clone()).chain(findings.iter().cloned()).collect(), db)
        }
        EventsAction::Retry { event_id, target } => audited("events retry", std::iter::once(event_id.clone()).chain(target.clone()).collect(), db),
        EventsAction::DeleteTarget { name } => audited("events delete-target", vec![name.clone()], db),
        EventsAction::DeleteRule { name } => audited("events delete-rule", vec![name.clone()], db),
        EventsAction::DisableRule { name } => audited("events disable-rule", vec![name.clone()], db),
        EventsAction::EnableRule { name } => audited("events enable-rule", vec![name.clone()], db),
        EventsAction::DeleteAction { action } => audited("events delete-action", vec![action.clone()], db),
        EventsAction::List | EventsAction::Deliver | EventsAction::DeadLetters => None,
    }
}

/// Records `audited` (if the command changes state) with the command's outcome, then
/// returns the outcome unchanged. A log that cannot be written is a warning, not a failure
/// of a command that did its work.
pub fn record(audited: Option<Audited>, result: Result<ExitCode>) -> Result<ExitCode> {
    if let Some(a) = audited {
        let db = a.db.unwrap_or_else(rampart_hub::Store::default_path);
        if db.exists() {
            if let Err(e) = rampart_server::record_cli_audit(&db, a.command, &a.targets, result.is_ok()) {
                eprintln!("warning: the audit log was not written: {e:#}");
            }
        }
    }
    result
}
