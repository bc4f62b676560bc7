//! Workers: a scan split into jobs that any number of `rampart worker` processes do, on one
//! machine or many, through the store's queue (`rampart_hub::jobs`).
//!
//! A scan is one *batch*: a job per account for its global services (`<batch>/<account>/global`),
//! a job per account × region, and one *barrier* job that evaluates the batch once every
//! collection job is done or dead. A collection job's output is its part of the inventory
//! (gzip JSON); the evaluation merges the parts into one inventory, runs the checks and
//! records the run under the batch's id — once: a run already recorded under that id is not
//! recorded again, so an evaluation retried after its worker died duplicates nothing. A part
//! whose job failed every attempt is a gap of its account (the run is incomplete, and no
//! finding of what was not read is archived).
//!
//! Workers hold a lease on their job and renew it while they work (a thread of its own); a
//! worker killed mid-job stops renewing, and once its lease runs out another worker takes
//! the job.
//!
//! The queue lives in the store `--db` names: a SQLite file (workers on one machine) or a
//! PostgreSQL database (`postgres://`, workers on any number of machines), through
//! [`rampart_hub::Backend`]; on PostgreSQL the evaluation records what [`crate::db::record`]
//! records there (the run, its findings, gaps and resource tags).

use crate::Notify;
use anyhow::{bail, Context, Result};
use rampart_hub::jobs::{Job, NewJob};
use rampart_hub::{Backend, PgMode, StoreError};
use rampart_inventory::{Account, Inventory, Region};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The kind of a collection job.
pub const COLLECT: &str = "collect";
/// The kind of the evaluation job.
pub const EVALUATE: &str = "evaluate";

/// What a collection job reads: one account's global services, or one of its regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartTarget {
    pub account: String,
    /// `None`: the account's global services (IAM, S3, Route 53, CloudFront).
    pub region: Option<String>,
    /// The role assumed in the account (`None`: the worker's own credentials' account).
    pub role: Option<String>,
    pub external_id: Option<String>,
    /// What planning could not read of the account (its regions' listing): gaps of the
    /// account, which its global part keeps, as a single-process scan keeps them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<rampart_model::Gap>,
}

/// What a collection job produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "part", rename_all = "lowercase")]
pub enum Part {
    /// The account with its global services and their gaps; no regions.
    Global {
        account: Account,
        #[serde(with = "time::serde::rfc3339")]
        collected_at: rampart_model::Timestamp,
    },
    /// One region and the gaps of its calls.
    Region {
        account: String,
        region: Region,
        gaps: Vec<rampart_model::Gap>,
        #[serde(with = "time::serde::rfc3339")]
        collected_at: rampart_model::Timestamp,
    },
}

/// Reads parts of an estate: AWS through the SDK, or a snapshot (replay, for tests and
/// offline runs).
pub trait Collector: Sync {
    fn collect(&self, target: &PartTarget) -> Result<Part>;
}

/// What the evaluation needs besides the parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The run's source (`aws`, `snapshot:<path>`).
    pub source: String,
    /// When the scan was asked for (the run's start).
    #[serde(with = "time::serde::rfc3339")]
    pub started: rampart_model::Timestamp,
}

/// A scan to split into jobs: one per part.
#[derive(Debug, Clone)]
pub struct Plan {
    pub parts: Vec<PartTarget>,
    pub source: String,
}

impl Plan {
    /// Each account's global services and each of `regions` of each account.
    pub fn accounts_by_regions(accounts: &[PartTarget], regions: &[String], source: &str) -> Plan {
        let mut parts = Vec::new();
        for a in accounts {
            parts.push(PartTarget { region: None, ..a.clone() });
            parts.extend(regions.iter().map(|r| PartTarget { region: Some(r.clone()), gaps: Vec::new(), ..a.clone() }));
        }
        Plan { parts, source: source.to_string() }
    }
}

/// Enqueues `plan` as one batch; returns its id (the id the run will be recorded under).
pub fn enqueue(store: &mut Backend, plan: &Plan) -> Result<String> {
    if plan.parts.is_empty() {
        bail!("nothing to scan: no account");
    }
    let started = crate::now();
    let batch = crate::run_info(String::new(), started, vec![], vec![], vec![]).id;
    let mut jobs = Vec::new();
    for p in &plan.parts {
        let key = format!("{batch}/{}/{}", p.account, p.region.as_deref().unwrap_or("global"));
        jobs.push(NewJob { key, kind: COLLECT.into(), payload: serde_json::to_value(p)?, barrier: false });
    }
    let eval = Evaluation { source: plan.source.clone(), started };
    jobs.push(NewJob { key: format!("{batch}/evaluate"), kind: EVALUATE.into(), payload: serde_json::to_value(&eval)?, barrier: true });
    store.enqueue_jobs(&batch, &jobs, started)?;
    Ok(batch)
}

/// A worker's settings.
#[derive(Debug, Clone)]
pub struct WorkOptions {
    /// This worker's name in the queue (unique among running workers: host and pid).
    pub name: String,
    /// How long a claim holds without renewal; renewed every third of it.
    pub lease: time::Duration,
    /// How long to wait when there is nothing to do.
    pub idle_wait: std::time::Duration,
    /// Stop when nothing is left to do instead of waiting for more.
    pub exit_when_idle: bool,
    /// Wait this long in each job before finishing it (tests: jobs that last long enough
    /// for a worker to be killed in the middle of one).
    pub pause: std::time::Duration,
}

impl WorkOptions {
    pub fn named(name: String) -> WorkOptions {
        WorkOptions {
            name,
            lease: time::Duration::seconds(30),
            idle_wait: std::time::Duration::from_millis(500),
            exit_when_idle: false,
            pause: std::time::Duration::ZERO,
        }
    }
}

/// What a worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WorkStats {
    pub done: usize,
    pub failed: usize,
    /// Jobs whose lease this worker lost before finishing (another worker finishes them).
    pub lost: usize,
}

/// Claims and does jobs of the queue in `db` (a SQLite file's path or a `postgres://` URL)
/// until `stop` is set (or, with `exit_when_idle`, nothing is left).
pub fn work(db: &Path, collector: &dyn Collector, opts: &WorkOptions, stop: &AtomicBool, notify: &dyn Notify) -> Result<WorkStats> {
    let mut conn = Connection { db, opts, notify, store: while_busy(opts, || crate::db::open(db, PgMode::Existing))? };
    let mut stats = WorkStats::default();
    while !stop.load(Ordering::Relaxed) {
        // A SQLite store is busy while an evaluation writes its run (one transaction for the
        // whole batch): nothing can be claimed then, which is not an error of this worker.
        let claimed = match conn.call(stop, |s| s.claim_job(&opts.name, &[COLLECT, EVALUATE], crate::now(), opts.lease)) {
            Err(StoreError::Busy { .. }) => {
                std::thread::sleep(opts.idle_wait);
                continue;
            }
            other => other?,
        };
        let Some(job) = claimed else {
            if opts.exit_when_idle {
                break;
            }
            std::thread::sleep(opts.idle_wait);
            continue;
        };
        let outcome = with_lease(db, &job, opts, || {
            std::thread::sleep(opts.pause);
            match job.kind.as_str() {
                COLLECT => collect_job(&job, collector).map(Some),
                EVALUATE => evaluate_job(db, &job, opts, notify).map(|()| None),
                other => bail!("unknown job kind `{other}`"),
            }
        });
        match outcome {
            Ok(output) => {
                if conn.call(stop, |s| while_busy(opts, || s.finish_job(job.id, &opts.name, output.as_deref(), crate::now())))? {
                    stats.done += 1;
                } else {
                    stats.lost += 1;
                    notify.warn(&format!("job {}: its lease ran out before it finished; another worker does it", job.key));
                }
            }
            Err(e) => {
                stats.failed += 1;
                notify.warn(&format!("job {} (attempt {}): {e:#}", job.key, job.attempts));
                conn.call(stop, |s| while_busy(opts, || s.fail_job(job.id, &opts.name, &format!("{e:#}"), crate::now())))?;
            }
        }
    }
    Ok(stats)
}

/// A worker's connection to the queue, made again when it is lost (a PostgreSQL server
/// restarted or a backend terminated): the worker waits for the database instead of exiting,
/// and a job it holds meanwhile is finished by it or, if its lease ran out, by another.
struct Connection<'a> {
    db: &'a Path,
    opts: &'a WorkOptions,
    notify: &'a dyn Notify,
    store: Backend,
}

/// The longest wait between two attempts to connect again.
const RECONNECT_MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

impl Connection<'_> {
    /// `f` on the store; when the connection was lost, connects again (waiting 1 s, then
    /// twice as long each time, up to 30 s) and runs `f` again, until `stop` is set.
    fn call<T>(&mut self, stop: &AtomicBool, mut f: impl FnMut(&mut Backend) -> Result<T, StoreError>) -> Result<T, StoreError> {
        loop {
            match f(&mut self.store) {
                Err(e) if e.is_connection_lost() && !stop.load(Ordering::Relaxed) => {
                    self.notify.warn(&format!("the queue's database connection was lost ({e}); connecting again"));
                    self.reconnect(stop)?;
                }
                other => return other,
            }
        }
    }

    fn reconnect(&mut self, stop: &AtomicBool) -> Result<(), StoreError> {
        let mut wait = std::time::Duration::from_secs(1).min(self.opts.idle_wait.max(std::time::Duration::from_millis(50)) * 2);
        loop {
            match crate::db::open(self.db, PgMode::Existing) {
                Ok(store) => {
                    self.store = store;
                    self.notify.info("connected to the queue's database again");
                    return Ok(());
                }
                Err(e) if (e.is_connection_lost() || matches!(e, StoreError::Busy { .. })) && !stop.load(Ordering::Relaxed) => {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(RECONNECT_MAX_WAIT);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// `f` again while the store is busy (another writer holds a SQLite store): a job's outcome
/// is written once the writer is done, however long it writes.
fn while_busy<T>(opts: &WorkOptions, mut f: impl FnMut() -> Result<T, StoreError>) -> Result<T, StoreError> {
    loop {
        match f() {
            Err(StoreError::Busy { .. }) => std::thread::sleep(opts.idle_wait),
            other => return other,
        }
    }
}

/// Runs `f` while a thread renews the job's lease every third of it.
fn with_lease<T>(db: &Path, job: &Job, opts: &WorkOptions, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let done = Arc::new(AtomicBool::new(false));
    let renewer = {
        let (db, done, name, id, lease) = (db.to_path_buf(), done.clone(), opts.name.clone(), job.id, opts.lease);
        std::thread::spawn(move || {
            let mut store = loop {
                match crate::db::open(&db, PgMode::Existing) {
                    Ok(store) => break store,
                    Err(StoreError::Busy { .. }) if !done.load(Ordering::Relaxed) => std::thread::sleep(std::time::Duration::from_millis(200)),
                    Err(_) => return,
                }
            };
            let every = std::time::Duration::from_millis((lease.whole_milliseconds() / 3).max(10) as u64);
            let mut waited = std::time::Duration::ZERO;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(10));
                waited += std::time::Duration::from_millis(10);
                if waited >= every {
                    waited = std::time::Duration::ZERO;
                    match store.renew_job(id, &name, crate::now(), lease) {
                        Ok(true) => {}
                        // Another writer holds the store (on SQLite, perhaps this job's own
                        // evaluation): try again at the next renewal.
                        Err(StoreError::Busy { .. }) => {}
                        // The connection was lost: connect again for the next renewal.
                        Err(e) if e.is_connection_lost() => {
                            if let Ok(again) = crate::db::open(&db, PgMode::Existing) {
                                store = again;
                            }
                        }
                        Ok(false) | Err(_) => return,
                    }
                }
            }
        })
    };
    let out = f();
    done.store(true, Ordering::Relaxed);
    let _ = renewer.join();
    out
}

fn collect_job(job: &Job, collector: &dyn Collector) -> Result<Vec<u8>> {
    let target: PartTarget = serde_json::from_value(job.payload.clone()).context("the job's target is malformed")?;
    let part = collector.collect(&target)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    serde_json::to_writer(&mut gz, &part)?;
    Ok(gz.finish()?)
}

pub(crate) fn decode_part(body: &[u8]) -> Result<Part> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(body).take(1 << 30).read_to_end(&mut text)?;
    Ok(serde_json::from_slice(&text)?)
}

/// The parts of a batch merged into one inventory, collected when its first part was: each
/// account's global part with its regions (sorted by name). An account or region whose job
/// failed every attempt is a gap of its account saying so (an account without its global
/// part has nothing global read: its services stay `Unknown`).
pub fn merge(
    batch_jobs: &[(String, PartTarget)],
    outputs: &[(String, Vec<u8>)],
    dead: &[rampart_hub::jobs::DeadJob],
    asked_at: rampart_model::Timestamp,
) -> Result<Inventory> {
    let mut accounts: std::collections::BTreeMap<String, Account> = Default::default();
    let mut regions: Vec<(String, Region, Vec<rampart_model::Gap>)> = Vec::new();
    let mut collected_at: Option<rampart_model::Timestamp> = None;
    for (key, body) in outputs {
        let (at, part) = match decode_part(body).with_context(|| format!("the output of job {key} cannot be read"))? {
            Part::Global { account, collected_at } => (collected_at, Some(account)),
            Part::Region { account, region, gaps, collected_at } => {
                regions.push((account, region, gaps));
                (collected_at, None)
            }
        };
        collected_at = Some(collected_at.map_or(at, |c| c.min(at)));
        if let Some(a) = part {
            accounts.insert(a.id.clone(), a);
        }
    }
    // An account none of whose global part was read takes the partition of the others.
    let (partition, home) = accounts
        .values()
        .next()
        .map(|a| (a.partition.clone(), a.home_region.clone()))
        .unwrap_or_else(|| ("aws".into(), "us-east-1".into()));
    for (key, target) in batch_jobs {
        let a = accounts.entry(target.account.clone()).or_insert_with(|| Account::empty(&target.account, &partition, &home));
        if let Some(d) = dead.iter().find(|d| &d.key == key) {
            a.gaps.push(rampart_model::Gap {
                action: "rampart:Collect".into(),
                kind: rampart_model::GapKind::Other,
                account: target.account.clone(),
                region: target.region.clone().unwrap_or_default(),
                resource: None,
                message: format!(
                    "the {} of the account was not read: its job failed {} times: {}",
                    target.region.as_deref().map(|r| format!("region {r}")).unwrap_or_else(|| "global services".into()),
                    d.attempts,
                    d.error
                ),
            });
            // The region, with nothing read: checks over the account's regions (is there a
            // trail anywhere?) are then NOT_AVAILABLE, as when a single-process scan cannot
            // assume the account's role, never FAILED for what was not read.
            if let Some(r) = &target.region {
                regions.push((target.account.clone(), Region::empty(r), Vec::new()));
            }
        }
    }
    regions.sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
    for (account, region, gaps) in regions {
        let a = accounts.entry(account.clone()).or_insert_with(|| Account::empty(&account, &partition, &home));
        a.regions.push(region);
        a.gaps.extend(gaps);
    }
    let mut inv = Inventory::new(collected_at.unwrap_or(asked_at));
    inv.accounts = accounts.into_values().collect();
    Ok(inv)
}

fn evaluate_job(db: &Path, job: &Job, opts: &WorkOptions, notify: &dyn Notify) -> Result<()> {
    let eval: Evaluation = serde_json::from_value(job.payload.clone()).context("the evaluation job is malformed")?;
    let lease = crate::jobs_evaluate::Lease { job: job.id, worker: opts.name.clone(), duration: opts.lease };
    let done = crate::jobs_evaluate::evaluate(db, &job.batch, &eval, Some(&lease), notify)?;
    if done.recorded {
        // Only the worker that recorded the run drops the parts, once it has read them all
        // (another worker that finds the run recorded may be early: the first may still be
        // recording the inventory from them).
        while_busy(opts, || crate::db::open(db, PgMode::Existing)?.drop_job_outputs(&job.batch))?;
        notify.info(&format!("batch {}: recorded, {} account(s), {} finding(s)", job.batch, done.accounts, done.findings));
    } else {
        notify.info(&format!("batch {}: its run is recorded already", job.batch));
    }
    Ok(())
}

/// Replays a snapshot as if collecting it: each part as the snapshot holds it. For tests and
/// offline runs of the queue.
pub struct SnapshotCollector(pub Inventory);

impl Collector for SnapshotCollector {
    fn collect(&self, target: &PartTarget) -> Result<Part> {
        let Some(a) = self.0.accounts.iter().find(|a| a.id == target.account) else {
            bail!("account {} is not in the snapshot", target.account);
        };
        Ok(match &target.region {
            None => Part::Global { account: Account { regions: Vec::new(), ..a.clone() }, collected_at: self.0.collected_at },
            Some(r) => {
                let Some(region) = a.regions.iter().find(|x| &x.name == r) else {
                    bail!("region {r} of account {} is not in the snapshot", a.id)
                };
                Part::Region { account: a.id.clone(), region: region.clone(), gaps: Vec::new(), collected_at: self.0.collected_at }
            }
        })
    }
}

/// The plan that scans every account and region of a snapshot through the queue.
pub fn snapshot_plan(inv: &Inventory, source: &str) -> Plan {
    let mut parts = Vec::new();
    for a in &inv.accounts {
        let t = PartTarget { account: a.id.clone(), region: None, role: None, external_id: None, gaps: Vec::new() };
        parts.push(t.clone());
        parts.extend(a.regions.iter().map(|r| PartTarget { region: Some(r.name.clone()), gaps: Vec::new(), ..t.clone() }));
    }
    Plan { parts, source: source.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_hub::Store;
    use std::collections::BTreeSet;

    struct Quiet;
    impl Notify for Quiet {
        fn notice(&self, _: crate::Level, _: &str) {}
    }

    fn findings(db: &Path) -> BTreeSet<(String, String)> {
        let store = Store::open_read_only(db).unwrap();
        let filter = rampart_hub::FindingFilter::default();
        store.findings(&filter).unwrap().into_iter().map(|f| (f.id.clone(), format!("{:?}", f.status))).collect()
    }

    #[test]
    fn three_workers_record_the_same_findings_as_one_scan_and_a_retried_evaluation_records_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let inv = crate::inputs::demo().unwrap();
        // One process: the demo's checks recorded.
        let single = dir.path().join("single.db");
        let started = crate::now();
        let mut scan = crate::scan::check_inventory(&inv, "demo", None, started);
        scan.record(&mut Store::open(&single).unwrap()).unwrap();

        // The queue: a job per account's globals and per account × region, and the evaluation.
        let queued = dir.path().join("queued.db");
        let plan = snapshot_plan(&inv, "demo");
        let regions: usize = inv.accounts.iter().map(|a| a.regions.len()).sum();
        assert_eq!(plan.parts.len(), inv.accounts.len() + regions);
        let batch = enqueue(&mut Store::open(&queued).unwrap(), &plan).unwrap();
        let collector = SnapshotCollector(inv.clone());
        let stop = AtomicBool::new(false);
        let stats: Vec<WorkStats> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..3)
                .map(|i| {
                    let (queued, collector, stop) = (&queued, &collector, &stop);
                    s.spawn(move || {
                        let opts = WorkOptions { exit_when_idle: true, ..WorkOptions::named(format!("w{i}")) };
                        work(queued, collector, &opts, stop, &Quiet).unwrap()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(stats.iter().map(|s| s.done).sum::<usize>(), plan.parts.len() + 1, "{stats:?}");
        let store = Store::open_read_only(&queued).unwrap();
        assert!(store.batch_progress(&batch).unwrap().finished());
        assert_eq!(store.runs().unwrap().iter().filter(|r| r.id == batch).count(), 1);
        drop(store);
        assert_eq!(findings(&queued), findings(&single));

        // The evaluation done again (its worker died after recording): nothing recorded twice.
        let store = Store::open_existing(&queued).unwrap();
        let job = Job {
            id: 0,
            batch: batch.clone(),
            key: format!("{batch}/evaluate"),
            kind: EVALUATE.into(),
            payload: serde_json::to_value(Evaluation { source: "demo".into(), started: crate::now() }).unwrap(),
            attempts: 2,
            lease_until: crate::now(),
        };
        evaluate_job(&queued, &job, &WorkOptions::named("again".into()), &Quiet).unwrap();
        assert_eq!(store.runs().unwrap().len(), 1);
    }

    /// A SQLite store stays busy while an evaluation writes its run (one transaction): a
    /// worker waits it out, longer than the store's 10-second busy timeout, and then does its
    /// job, instead of failing.
    #[test]
    fn a_worker_waits_out_a_store_busy_longer_than_its_busy_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let inv = crate::inputs::demo().unwrap();
        let db = dir.path().join("queued.db");
        let plan = snapshot_plan(&inv, "demo");
        let batch = enqueue(&mut crate::db::open(&db, PgMode::Create).unwrap(), &plan).unwrap();
        let mut holder = Store::open_existing(&db).unwrap();
        let held = holder.begin_run(&crate::run_info("held".into(), crate::now(), vec![], vec![], vec![])).unwrap();
        let collector = SnapshotCollector(inv.clone());
        let stop = AtomicBool::new(false);
        let stats = std::thread::scope(|s| {
            let worker = s.spawn(|| {
                let opts = WorkOptions { exit_when_idle: true, idle_wait: std::time::Duration::from_millis(200), ..WorkOptions::named("w".into()) };
                work(&db, &collector, &opts, &stop, &Quiet)
            });
            std::thread::sleep(std::time::Duration::from_secs(12));
            drop(held);
            worker.join().unwrap()
        });
        let stats = stats.expect("the worker rides out a busy store");
        assert_eq!(stats.done, plan.parts.len() + 1, "{stats:?}");
        assert!(Store::open_read_only(&db).unwrap().batch_progress(&batch).unwrap().finished());
    }

    #[test]
    fn a_part_that_failed_every_attempt_is_a_gap_of_its_account_and_the_rest_is_evaluated() {
        let inv = crate::inputs::demo().unwrap();
        let a = &inv.accounts[0];
        let region = a.regions[0].name.clone();
        let targets = vec![
            (format!("b/{}/global", a.id), PartTarget { account: a.id.clone(), region: None, role: None, external_id: None, gaps: Vec::new() }),
            (
                format!("b/{}/{region}", a.id),
                PartTarget { account: a.id.clone(), region: Some(region.clone()), role: None, external_id: None, gaps: Vec::new() },
            ),
        ];
        let collector = SnapshotCollector(inv.clone());
        let global = collect_job(
            &Job {
                id: 1,
                batch: "b".into(),
                key: targets[0].0.clone(),
                kind: COLLECT.into(),
                payload: serde_json::to_value(&targets[0].1).unwrap(),
                attempts: 1,
                lease_until: crate::now(),
            },
            &collector,
        )
        .unwrap();
        let dead =
            vec![rampart_hub::jobs::DeadJob { key: targets[1].0.clone(), kind: COLLECT.into(), attempts: 5, error: "AccessDenied".into() }];
        let merged = merge(&targets, &[(targets[0].0.clone(), global)], &dead, crate::now()).unwrap();
        assert_eq!(merged.accounts.len(), 1);
        // The region is there with nothing read (its checks NOT_AVAILABLE, never FAILED).
        let regions = &merged.accounts[0].regions;
        assert_eq!(regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), [region.as_str()]);
        assert!(regions[0].ec2.known().is_none() && regions[0].cloudtrail.known().is_none(), "nothing read");
        let gap = merged.accounts[0].gaps.iter().find(|g| g.action == "rampart:Collect").expect("the failed part is a gap");
        assert!(gap.message.contains(&format!("region {region}")) && gap.message.contains("AccessDenied"), "{}", gap.message);
        // The run over it is incomplete, never clean.
        let scan = crate::scan::check_inventory(&merged, "demo", None, crate::now());
        assert!(scan.run.incomplete.iter().any(|l| l.contains("rampart:Collect")), "{:?}", scan.run.incomplete);
    }
}
