//! A batch's evaluation, one account at a time: each account's parts are read from the
//! queue, merged into that account's inventory, checked, and its findings, gaps and tags
//! written into the run (one transaction for the whole run, committed once every account
//! is written: nothing of the run is visible before). Memory holds one account's parts,
//! inventory and findings at a time, so it does not grow with the number of accounts
//! (`docs/benchmarks.md`, "Workers"). Then, on SQLite, the run's inventory is recorded
//! account by account (compressed as it comes), and the automation rules and events
//! apply to the run's findings a page at a time.

use crate::jobs::{merge, Evaluation, PartTarget, COLLECT};
use crate::Notify;
use anyhow::{bail, Context, Result};
use rampart_hub::jobs::DeadJob;
use rampart_hub::{Backend, PgMode, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The run's "incomplete" lines kept (each account's failed calls in words); past them only
/// how many more there were (the gaps themselves are all recorded): the run's description
/// does not grow with the number of accounts.
const MAX_INCOMPLETE: usize = 500;

/// The run's findings handled per page after it is recorded (automation rules, events).
const PAGE: usize = 2_000;

/// What an evaluation recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluated {
    pub accounts: usize,
    pub findings: usize,
    /// `false`: the batch's run was recorded already (an evaluation retried after its worker
    /// died), and nothing was recorded again.
    pub recorded: bool,
}

/// The collection jobs of `batch` by account (ordered), each with its key.
type ByAccount = BTreeMap<String, Vec<(String, PartTarget)>>;

fn targets(store: &Backend, batch: &str) -> Result<ByAccount> {
    let mut by: ByAccount = BTreeMap::new();
    for (key, kind, payload) in store.batch_jobs(batch)? {
        if kind != COLLECT {
            continue;
        }
        let t: PartTarget = serde_json::from_value(payload).with_context(|| format!("the target of job {key} is malformed"))?;
        by.entry(t.account.clone()).or_default().push((key, t));
    }
    Ok(by)
}

/// One account's inventory from its parts in the queue.
fn account_inventory(reader: &Backend, batch: &str, account: &str, targets: &[(String, PartTarget)], dead: &[DeadJob], eval: &Evaluation) -> Result<rampart_inventory::Inventory> {
    let outputs = reader.job_outputs_with_prefix(batch, &format!("{batch}/{account}/"))?;
    let dead: Vec<DeadJob> = dead.iter().filter(|d| targets.iter().any(|(k, _)| *k == d.key)).cloned().collect();
    merge(targets, &outputs, &dead, eval.started)
}

/// The evaluation job's lease, renewed inside the run's transaction on SQLite (where the
/// worker's renewer thread cannot write while the run is being written).
#[derive(Debug, Clone)]
pub struct Lease {
    pub job: i64,
    pub worker: String,
    pub duration: time::Duration,
}

/// The S3 buckets of every account of the batch (from each account's global part; an
/// account whose part was not read, or whose buckets could not be listed, named in
/// `unknown`): what checks across accounts need besides the one account being evaluated.
fn estate_buckets(reader: &Backend, batch: &str, by_account: &ByAccount, dead: &[DeadJob]) -> Result<rampart_inventory::EstateBuckets> {
    let mut out = rampart_inventory::EstateBuckets::default();
    if by_account.len() < 2 {
        return Ok(out);
    }
    for account in by_account.keys() {
        let key = format!("{batch}/{account}/global");
        let outputs = reader.job_outputs_with_prefix(batch, &key)?;
        let Some((_, body)) = outputs.iter().find(|(k, _)| *k == key) else {
            let why = if dead.iter().any(|d| d.key == key) { "its global services were not read" } else { "its global part is missing" };
            out.unknown.push(format!("{account}: {why}"));
            continue;
        };
        match crate::jobs::decode_part(body).with_context(|| format!("the output of job {key} cannot be read"))? {
            crate::jobs::Part::Global { account: a, .. } => match &a.s3 {
                rampart_inventory::Observed::Known(s3) => out.names.extend(s3.buckets.iter().map(|b| b.name.clone())),
                rampart_inventory::Observed::Unknown(why) => out.unknown.push(format!("{account}: {why}")),
            },
            crate::jobs::Part::Region { .. } => out.unknown.push(format!("{account}: its global part is not one")),
        }
    }
    Ok(out)
}

/// Evaluates batch `batch` of the queue in `db` (a SQLite file's path or a `postgres://`
/// URL) and records its run under the batch's id, once.
pub fn evaluate(db: &Path, batch: &str, eval: &Evaluation, lease: Option<&Lease>, notify: &dyn Notify) -> Result<Evaluated> {
    let reader = crate::db::open(db, PgMode::ReadOnly)?;
    if reader.run_exists(batch)? {
        return Ok(Evaluated::default());
    }
    let by_account = targets(&reader, batch)?;
    let dead = reader.dead_jobs(batch)?;
    let regions: BTreeSet<String> = by_account.values().flatten().filter_map(|(_, t)| t.region.clone()).collect();
    let mut run = crate::run_info(
        eval.source.clone(),
        eval.started,
        by_account.keys().cloned().collect(),
        regions.into_iter().collect(),
        rampart_checks::REGISTRY.iter().map(|c| c.meta.id.to_string()).collect(),
    );
    run.id = batch.to_string();

    let estate_buckets = estate_buckets(&reader, batch, &by_account, &dead)?;

    let mut store = crate::db::open(db, PgMode::Existing)?;
    let mut out = Evaluated { accounts: by_account.len(), findings: 0, recorded: true };
    let mut incomplete = Vec::new();
    let mut more_incomplete = 0usize;
    let mut collected_at: Option<rampart_model::Timestamp> = None;
    {
        let mut w = store.begin_run(&run)?;
        for (account, targets) in &by_account {
            let mut inv = account_inventory(&reader, batch, account, targets, &dead, eval)?;
            if by_account.len() > 1 {
                inv.estate_buckets = estate_buckets.clone();
            }
            collected_at = Some(collected_at.map_or(inv.collected_at, |c| c.min(inv.collected_at)));
            let scan = crate::scan::check_inventory(&inv, &eval.source, None, eval.started);
            if let Some(l) = lease {
                if !w.renew_job(l.job, &l.worker, crate::now(), l.duration)? {
                    bail!("the evaluation's lease ran out before its run was written; another worker does it");
                }
            }
            w.write(&scan.findings, &scan.gaps)?;
            w.set_resource_tags(scan.resource_tags.iter().map(|(arn, tags)| (arn.as_str(), tags)))?;
            // Each line names its account when the batch has several (as a scan of several
            // accounts says it); past MAX_INCOMPLETE lines only their number is kept.
            let lines = if by_account.len() > 1 { crate::org::incomplete_in_words(&inv) } else { scan.run.incomplete };
            for line in lines {
                if incomplete.len() < MAX_INCOMPLETE {
                    incomplete.push(line);
                } else {
                    more_incomplete += 1;
                }
            }
            out.findings += scan.findings.len();
        }
        if more_incomplete > 0 {
            incomplete.push(format!("and {more_incomplete} more: see the run's gaps (rampart runs, or the Runs page)"));
        }
        run.incomplete = incomplete;
        w.finish(&run)?;
    }

    let after_run = |s: &mut Backend| -> Result<()> {
        {
            // The inventory, account by account.
            let collected_at = collected_at.unwrap_or(eval.started);
            let parts = by_account.iter().enumerate().map(|(i, (account, targets))| {
                let inv = account_inventory(&reader, batch, account, targets, &dead, eval).map_err(|e| StoreError::InvalidImport(format!("{e:#}")))?;
                crate::inventory::account_part(&inv, i).map_err(|e| StoreError::InvalidImport(format!("{e:#}")))
            });
            let (head, tail) = crate::inventory::snapshot_frame(collected_at);
            s.record_inventory_parts(&run.id, collected_at, &head, parts, &tail)?;
            // Automation rules and events over the run's findings, a page at a time.
            let mut after = String::new();
            loop {
                let ids = s.run_finding_ids(&run.id, &after, PAGE)?;
                let Some(last) = ids.last() else { break };
                after = last.clone();
                s.apply_automation_rules(&ids, run.finished_at)?;
                if s.event_rules()?.iter().any(|r| r.enabled) {
                    let findings = ids.iter().map(|id| s.finding_record(id).map(|r| r.finding)).collect::<Result<Vec<_>, _>>()?;
                    crate::events::publish_findings(s, &run, &findings)?;
                }
            }
        }
        Ok(())
    };
    // On PostgreSQL, a part of the store this build keeps on SQLite alone ends this there,
    // with a warning (the run and its findings are recorded).
    if let Err(e) = after_run(&mut store) {
        match e.downcast_ref::<StoreError>() {
            Some(StoreError::NotOnPostgres(what)) if store.is_postgres() => {
                notify.warn(&format!("{}: {}", store.describe(), crate::db::not_recorded_on_postgres(what)))
            }
            _ => return Err(e),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{enqueue, snapshot_plan, work, SnapshotCollector, WorkOptions};
    use rampart_hub::{ResourceFilter, Store};
    use std::sync::atomic::AtomicBool;

    struct Quiet;
    impl Notify for Quiet {
        fn notice(&self, _: crate::Level, _: &str) {}
    }

    /// A check across accounts answers as in one scan of all of them: account A's
    /// distributions serve from a bucket only account B holds (evaluated alone, A would say
    /// the bucket is missing).
    #[test]
    fn a_check_across_accounts_answers_as_a_scan_of_all_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut inv = crate::inputs::demo().unwrap();
        let mut b = inv.accounts[0].clone();
        b.id = "222222222222".into();
        if let rampart_inventory::Observed::Known(s3) = &mut inv.accounts[0].s3 {
            s3.buckets.retain(|x| x.name != "ok-encrypted-useast1");
        }
        inv.accounts.push(b);
        let origin_results = |fs: Vec<rampart_model::Finding>| -> BTreeSet<(String, String)> {
            fs.into_iter().filter(|f| &*f.check_id == "cloudfront_s3_origin_exists").map(|f| (f.id.clone(), f.status.as_str().to_string())).collect()
        };
        let single = origin_results(crate::scan::check_inventory(&inv, "demo", None, crate::now()).findings);
        assert!(single.iter().filter(|(_, s)| s == "PASSED").count() >= 2, "the distributions of A pass through B's bucket: {single:?}");

        let db = dir.path().join("queued.db");
        let batch = enqueue(&mut crate::db::open(&db, PgMode::Create).unwrap(), &snapshot_plan(&inv, "demo")).unwrap();
        let opts = WorkOptions { exit_when_idle: true, ..WorkOptions::named("w".into()) };
        work(&db, &SnapshotCollector(inv.clone()), &opts, &AtomicBool::new(false), &Quiet).unwrap();
        let queued = origin_results(Store::open_read_only(&db).unwrap().run_results(&batch).unwrap());
        assert_eq!(queued, single);
    }

    #[test]
    fn the_inventory_recorded_account_by_account_is_the_whole_estate_with_every_resource() {
        let dir = tempfile::tempdir().unwrap();
        // The demo's account and a copy of it under another id: two accounts to join.
        let mut inv = crate::inputs::demo().unwrap();
        let mut other = inv.accounts[0].clone();
        other.id = "222222222222".into();
        inv.accounts.push(other);
        let db = dir.path().join("queued.db");
        let batch = enqueue(&mut crate::db::open(&db, PgMode::Create).unwrap(), &snapshot_plan(&inv, "demo")).unwrap();
        let opts = WorkOptions { exit_when_idle: true, ..WorkOptions::named("w".into()) };
        work(&db, &SnapshotCollector(inv.clone()), &opts, &AtomicBool::new(false), &Quiet).unwrap();

        let store = Store::open_read_only(&db).unwrap();
        let (info, recorded) = crate::inventory::latest(&store).unwrap().expect("the batch's inventory is recorded");
        assert_eq!(info.run_id, batch);
        let ids = |i: &rampart_inventory::Inventory| i.accounts.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&recorded), ids(&inv));
        // Each account as collected (the queue joins an account's regions and gaps part by
        // part: compare them as sets).
        let canonical = |i: &rampart_inventory::Inventory| {
            let mut v = serde_json::to_value(&i.accounts).unwrap();
            for a in v.as_array_mut().unwrap() {
                a["gaps"].as_array_mut().unwrap().sort_by_key(|g| g.to_string());
                a["regions"].as_array_mut().unwrap().sort_by_key(|r| r["name"].to_string());
            }
            v
        };
        assert!(canonical(&recorded) == canonical(&inv), "the recorded accounts differ from those collected");
        // Every resource is listed, and its pointer finds it in the joined snapshot.
        let whole = crate::inventory::resources(&serde_json::to_value(&inv).unwrap());
        let page = store.inventory_resources(&batch, &ResourceFilter::default(), None, rampart_hub::MAX_RESOURCES_PAGE).unwrap();
        assert_eq!(page.total as usize, whole.iter().map(|r| &r.arn).collect::<BTreeSet<_>>().len());
        let json: serde_json::Value = serde_json::from_slice(&store.inventory_json(&batch).unwrap().unwrap()).unwrap();
        let original = serde_json::to_value(&inv).unwrap();
        for row in &page.resources {
            let at = json.pointer(&row.resource.pointer).unwrap_or_else(|| panic!("{} points nowhere", row.resource.pointer));
            // (A resource listed twice, such as an organisation trail seen from each region, is
            // kept once: any of its places.)
            let places: Vec<_> = whole.iter().filter(|r| r.arn == row.resource.arn).filter_map(|r| original.pointer(&r.pointer)).collect();
            assert!(places.contains(&at), "{} points at another resource", row.resource.arn);
        }
        assert!(page.resources.iter().any(|r| !r.resource.pointer.starts_with("/accounts/0/")), "resources of later accounts");
    }
}
