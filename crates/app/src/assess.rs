//! An assessment template's run, as Inspector runs one: CREATED → COLLECTING_DATA (read
//! the documents, keep the hosts the target selects, newest per host, within the
//! template's window) → EVALUATING_RULES (each host's assessment, restricted to the
//! template's rule packages, recorded as one findings run) → COMPLETED; FAILED, with the
//! error, at the first step that fails.

use crate::{Notify, Scan};
use anyhow::{bail, Result};
use rampart_host::Telemetry;
use rampart_hub::{AssessmentRun, AssessmentState, AssessmentTemplate, Store, TargetSelector, VulnStore};
use rampart_model::Finding;
use std::path::PathBuf;

/// A target's selector in words: `tags env=prod; hosts web-*`, `every host`.
pub fn describe(s: &TargetSelector) -> String {
    let tags: Vec<String> = s.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let hosts = if s.hosts.is_empty() { "every host".to_string() } else { format!("hosts {}", s.hosts.join(", ")) };
    if tags.is_empty() {
        hosts
    } else {
        format!("tags {}; {hosts}", tags.join(", "))
    }
}

/// A template's rule packages checked: lower-cased, known, at least one.
pub fn rule_packages(name: &str, rules: &[String]) -> Result<Vec<String>> {
    let rules: Vec<String> = rules.iter().map(|r| r.trim().to_ascii_lowercase()).filter(|r| !r.is_empty()).collect();
    if rules.is_empty() {
        bail!("template `{name}` has no rule package: give some of {}", rampart_hub::RULE_PACKAGES.join(", "));
    }
    Ok(rules)
}

/// A completed run: its record and the findings run it produced (already stored).
pub struct Completed {
    pub run: AssessmentRun,
    pub scan: Scan,
}

/// Runs `template` over the telemetry documents `telemetry`. The vulnerability database is
/// opened (by `vulndb`) only when the template has the CVE rule package. The run's states
/// are stored as they are reached, each with its events (`crate::assess_events`: Inspector's
/// notifications, routed by the event rules); a failure is stored as FAILED with its
/// error, and returned.
pub fn run(
    store: &mut Store,
    template: &str,
    telemetry: &[PathBuf],
    vulndb: &dyn Fn() -> Result<VulnStore>,
    notify: &dyn Notify,
) -> Result<Completed> {
    let load = |_: &dyn StoreAccess| -> Result<Vec<(String, Telemetry)>> {
        telemetry.iter().map(|p| Ok((p.display().to_string(), crate::inputs::read_telemetry(p)?))).collect()
    };
    run_with(store, template, &load, vulndb, notify)
}

/// Telemetry documents for a run, each with where it came from (a file, a stored upload),
/// read in its COLLECTING_DATA state: a document that cannot be read fails the run. The
/// loader is given the store's access and takes it only as long as it must (reading the
/// stored documents, not parsing them).
pub type Load<'a> = dyn Fn(&dyn StoreAccess) -> Result<Vec<(String, Telemetry)>> + 'a;

/// How a run reaches the store. A run takes the store for each of its short steps (start,
/// each state change, recording the findings) and holds nothing while it reads documents,
/// opens the vulnerability database or evaluates the hosts: the server's one write
/// connection is free for other writers meanwhile. [`Direct`] is a store the caller holds
/// (the CLI); the server takes its write connection per step.
pub trait StoreAccess {
    /// Runs `f` on the store for writing.
    fn write(&self, f: &mut dyn FnMut(&mut Store) -> Result<()>) -> Result<()>;
    /// Runs `f` on the store for reading only (a read-only connection where there is one).
    fn read(&self, f: &mut dyn FnMut(&Store) -> Result<()>) -> Result<()> {
        self.write(&mut |s| f(s))
    }
}

/// A store the caller holds for the whole run.
pub struct Direct<'a>(std::cell::RefCell<&'a mut Store>);

impl<'a> Direct<'a> {
    pub fn new(store: &'a mut Store) -> Direct<'a> {
        Direct(std::cell::RefCell::new(store))
    }
}

impl StoreAccess for Direct<'_> {
    fn write(&self, f: &mut dyn FnMut(&mut Store) -> Result<()>) -> Result<()> {
        f(&mut self.0.borrow_mut())
    }
}

/// `f`'s answer, with the store taken for writing for as long as `f` runs.
pub fn writing<T>(access: &dyn StoreAccess, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    access.write(&mut |s| {
        let f = f.take().ok_or_else(|| anyhow::anyhow!("a store step ran twice"))?;
        out = Some(f(s)?);
        Ok(())
    })?;
    out.ok_or_else(|| anyhow::anyhow!("a store step did not run"))
}

/// `f`'s answer, with the store taken for reading only.
pub fn reading<T>(access: &dyn StoreAccess, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    access.read(&mut |s| {
        let f = f.take().ok_or_else(|| anyhow::anyhow!("a store step ran twice"))?;
        out = Some(f(s)?);
        Ok(())
    })?;
    out.ok_or_else(|| anyhow::anyhow!("a store step did not run"))
}

/// [`run`] over documents from `load` (the agents' stored uploads, `crate::agent`).
pub fn run_with(
    store: &mut Store,
    template: &str,
    load: &Load,
    vulndb: &dyn Fn() -> Result<VulnStore>,
    notify: &dyn Notify,
) -> Result<Completed> {
    run_on(&Direct::new(store), template, None, load, vulndb, notify)?
        .ok_or_else(|| anyhow::anyhow!("assessment of `{template}` not started"))
}

/// Whether a run of the template may start, asked in the same write that starts it (so two
/// callers that both found it due cannot both start one).
pub type Claim<'a> = dyn Fn(&Store) -> Result<bool> + 'a;

/// [`run_with`] through `access`, which is taken only for each short step (see
/// [`StoreAccess`]); with a `claim`, the run starts only if it says so in the write that
/// starts it (`Ok(None)`: not started).
pub fn run_on(
    access: &dyn StoreAccess,
    template: &str,
    claim: Option<&Claim>,
    load: &Load,
    vulndb: &dyn Fn() -> Result<VulnStore>,
    notify: &dyn Notify,
) -> Result<Option<Completed>> {
    let started = writing(access, |store| {
        if let Some(claim) = claim {
            if !claim(store)? {
                return Ok(None);
            }
        }
        let tpl = store.template(template)?;
        let target = store.target(&tpl.target)?;
        let run = store.start_run(template, crate::now())?;
        announce(store, &run, None, notify);
        Ok(Some((tpl, target, run)))
    })?;
    let Some((tpl, target, run)) = started else { return Ok(None) };
    notify.info(&format!("assessment run {} of {template}: CREATED", run.id));
    match steps(access, &run, &tpl, &target.selector, load, vulndb, notify) {
        Ok(done) => {
            notify.info(&format!(
                "assessment run {}: COMPLETED ({} host(s), findings run {})",
                done.run.id,
                done.run.hosts.len(),
                done.run.findings_run_id.as_deref().unwrap_or("-")
            ));
            Ok(Some(done))
        }
        Err(e) => {
            let mut why = e.to_string();
            for cause in e.chain().skip(1) {
                why.push_str(": ");
                why.push_str(&cause.to_string());
            }
            // The run may have failed before a step, or the failure itself may not be storable.
            let failed = writing(access, |store| {
                let before = store.assessment_run(run.id).ok().map(|r| r.state);
                let failed = store.advance(run.id, AssessmentState::Failed, Some(&why), crate::now())?;
                announce(store, &failed, before, notify);
                Ok(())
            });
            match failed {
                Ok(()) => notify.info(&format!("assessment run {}: FAILED", run.id)),
                Err(e2) => notify.warn(&format!("assessment run {} could not be marked FAILED: {e2:#}", run.id)),
            }
            Err(e.context(format!("assessment run {} of `{template}` failed", run.id)))
        }
    }
}

/// Publishes the events of a run that just reached its state. A notification that cannot be
/// stored does not stop the run: it is a warning.
fn announce(store: &mut Store, run: &AssessmentRun, previous: Option<AssessmentState>, notify: &dyn Notify) {
    if let Err(e) = crate::assess_events::state_changed(store, run, previous) {
        notify.warn(&format!("assessment run {}: the {} events were not stored: {e:#}", run.id, run.state.as_str()));
    }
}

fn steps(
    access: &dyn StoreAccess,
    run: &AssessmentRun,
    tpl: &AssessmentTemplate,
    selector: &TargetSelector,
    load: &Load,
    vulndb: &dyn Fn() -> Result<VulnStore>,
    notify: &dyn Notify,
) -> Result<Completed> {
    // COLLECTING_DATA: the documents of the hosts the target selects.
    // The template's duration is the collection window: a document collected longer ago
    // than that before the run started is stale; of several documents of one host, the
    // newest is assessed.
    let collecting = crate::now();
    writing(access, |store| {
        let collecting_run = store.advance(run.id, AssessmentState::CollectingData, None, collecting)?;
        announce(store, &collecting_run, Some(AssessmentState::Created), notify);
        Ok(())
    })?;
    let window_start = collecting - time::Duration::seconds(i64::try_from(tpl.duration_seconds).unwrap_or(i64::MAX / 2));
    // Several documents are one host's when they name the same host id (the EC2 instance
    // id when read, else the hostname): two instances sharing a hostname are two hosts.
    let mut selected: Vec<(String, String, Telemetry)> = Vec::new();
    for (p, t) in load(access)? {
        let host = crate::host::hostname(&t);
        let id = rampart_host::upload::host_id(&t).unwrap_or_else(|| host.clone());
        if !selector.matches(&host, &t.tags) {
            notify.info(&format!("{p}: host `{host}` is not selected by target `{}`, skipped", tpl.target));
        } else if t.collected_at < window_start {
            notify.info(&format!(
                "{p}: collected at {}, before the template's {} s window, skipped: collect it again with `rampart agent`",
                rampart_model::rfc3339(t.collected_at),
                tpl.duration_seconds
            ));
        } else if let Some(slot) = selected.iter_mut().find(|(i, _, _)| *i == id) {
            if t.collected_at > slot.2.collected_at {
                notify.info(&format!("{p}: a newer document of host `{host}` replaces an older one"));
                slot.1 = host;
                slot.2 = t;
            } else {
                notify.info(&format!("{p}: an older document of host `{host}`, skipped"));
            }
        } else {
            selected.push((id, host, t));
        }
    }
    if selected.is_empty() {
        bail!("no telemetry document belongs to a host target `{}` selects ({})", tpl.target, describe(selector));
    }

    // EVALUATING_RULES: each host's assessment, the template's rule packages only.
    // Each state change is a short write; opening the database and evaluating hold nothing.
    let evaluating = writing(access, |store| {
        let evaluating = store.advance(run.id, AssessmentState::EvaluatingRules, None, crate::now())?;
        announce(store, &evaluating, Some(AssessmentState::CollectingData), notify);
        Ok(evaluating)
    })?;
    let keep = |check: &str| crate::host::rule_package(check).is_some_and(|p| tpl.rule_packages.iter().any(|r| r == p));
    let db = if tpl.rule_packages.iter().any(|r| r == "cve") { Some(vulndb()?) } else { None };
    let started = crate::now();
    let mut findings: Vec<Finding> = Vec::new();
    let mut hosts: Vec<String> = Vec::new();
    for (_, host, t) in &selected {
        crate::host::warn_collection(t, notify);
        let mut f = crate::host::evaluate(t, db.as_ref(), started)?;
        f.retain(|f| keep(&f.check_id));
        findings.extend(f);
        hosts.push(host.clone());
    }
    let info = crate::run_info(
        format!("assessment:{}#{}", tpl.name, run.id),
        started,
        Vec::new(),
        Vec::new(),
        crate::host::check_ids().into_iter().filter(|c| keep(c)).collect(),
    );
    let mut scan = Scan::of(info, findings);
    let run = writing(access, |store| {
        // On PostgreSQL, a part of the store still kept on SQLite alone (after the run and its
        // findings) is left out with a warning, not a failed assessment (`crate::db::record`).
        crate::db::record(&mut scan, store, notify)?;
        store.attach_findings_run(run.id, &scan.run.id, &hosts)?;
        if let Err(e) = crate::assess_events::findings_reported(store, &evaluating, &scan.findings) {
            notify.warn(&format!("assessment run {}: the FINDING_REPORTED events were not stored: {e:#}", run.id));
        }
        let run = store.advance(run.id, AssessmentState::Completed, None, crate::now())?;
        announce(store, &run, Some(AssessmentState::EvaluatingRules), notify);
        Ok(run)
    })?;
    Ok(Completed { run, scan })
}
