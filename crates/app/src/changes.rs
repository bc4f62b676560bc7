//! Change-triggered checks: CloudTrail log files a trail delivers to S3, each management
//! write event mapped to the inventory pieces it can change, only those re-collected and
//! only the checks that read them re-run.
//!
//! One [`poll`]:
//! 1. finds the trail's region folders in the bucket (`AWSLogs/<account>/CloudTrail/<region>/`
//!    and an organisation trail's `AWSLogs/<o-id>/<account>/CloudTrail/<region>/`);
//! 2. in each, lists the log files from the day before its checkpoint (the first time: from
//!    the day before the inventory was collected, whose events it already reflects) and
//!    reads those not read before (a file delivered late is read too, and none twice; a key
//!    dated after tomorrow is skipped and counted, so the checkpoint never passes today);
//! 3. maps every event ([`rampart_cloudtrail::classify`]): reads, failed calls and data
//!    events change nothing; a write names security groups or buckets, or is counted as
//!    unmapped by `service:EventName`; a record that cannot be read is counted, never fatal;
//! 4. reads each changed resource again on its own (`rampart_collect_aws::refresh`) and
//!    puts it into the latest inventory (or takes it out when it is gone);
//! 5. re-runs every check that reads the changed piece (`rampart_checks::reads`): the
//!    checks of that resource's type on it, and the checks of other types that read it (an
//!    instance's or a database's checks reading its security groups) on the resources whose
//!    results the change moved (evaluated before and after the piece was put in). Only
//!    those results are stored (`Store::apply_change`: FAILED → PASSED resolves, a deleted
//!    resource's findings are archived); the inventory is recorded again with the changes
//!    in it;
//! 6. records each file read, which moves its folder's checkpoint; a file that could not be
//!    read, or named a resource that could not be read again, is recorded as tried, not read:
//!    the next poll tries it again, up to `MAX_TRAIL_ATTEMPTS` times.
//!
//! [`watch`] polls at an interval (5 minutes by default) until told to stop; `rampart serve`
//! polls through its schedules instead (a trail scope: `crate::schedule`).

use crate::Notify;
use anyhow::{bail, Context, Result};
use rampart_checks::reads::Input;
use rampart_cloudtrail::{classify, key, parse_key, read_log, Change, KeyKind, Piece, MAX_INFLATED};
use rampart_collect_aws::refresh::{Session, TrailBucket};
use rampart_hub::{ChangeApplied, ChangeUpdate, PollStatus, Store, TrailFile};
use rampart_inventory::{Inventory, Observed};
use rampart_model::{ResourceType, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// How often [`watch`] polls unless told otherwise.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// At most this many log files are read in one poll (the rest in the next ones).
pub const MAX_FILES_PER_POLL: usize = 2_000;

/// Keys listed per call while looking for the files not read yet.
pub const LIST_BATCH: usize = 1_000;

/// A log file larger than this (compressed) is not read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// What to watch.
#[derive(Debug, Clone)]
pub struct Watch {
    pub aws: rampart_collect_aws::Options,
    /// The bucket the trail delivers to.
    pub bucket: String,
    /// The trail's key prefix (the part before `AWSLogs/`), if it has one.
    pub prefix: Option<String>,
    /// The configuration's thresholds, exclusions and suppressions, as for a scan.
    pub config: Option<rampart_config::Config>,
}

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    /// Region folders looked at.
    pub folders: usize,
    pub files: usize,
    pub events: u64,
    /// Events that changed a resource this version reads again.
    pub changes: u64,
    /// Reads, failed calls, data events: nothing changed.
    pub ignored: u64,
    /// Writes not mapped to a resource, by `service:EventName`.
    pub unmapped: BTreeMap<String, u64>,
    /// Records that could not be read as events.
    pub malformed: u64,
    /// Files that could not be read at all, with why.
    pub unreadable: Vec<String>,
    /// Log files skipped because their key is dated after tomorrow (UTC): not read, and the
    /// checkpoint never moves past today.
    pub future: Vec<String>,
    /// Resources read again, and those found gone.
    pub refreshed: Vec<String>,
    pub deleted: Vec<String>,
    /// Resources a change named that were not read again, with why (their findings wait for
    /// the next scan).
    pub not_refreshed: Vec<String>,
    /// The checks re-run.
    pub checks: Vec<String>,
    /// The store's changes, summed.
    pub applied: ChangeApplied,
}

impl PollReport {
    /// What the poll did, as a trail schedule keeps it: counts, and the first few reasons
    /// a file or a changed resource was not read.
    pub fn status(&self) -> PollStatus {
        let problems: Vec<String> = self.unreadable.iter().chain(&self.not_refreshed).cloned().collect();
        let a = &self.applied;
        PollStatus {
            files: self.files as u64,
            events: self.events,
            changes: self.changes,
            ignored: self.ignored,
            unmapped: self.unmapped.values().sum(),
            malformed: self.malformed,
            errors: problems.len() as u64,
            error_messages: problems.into_iter().take(5).collect(),
            refreshed: self.refreshed.len() as u64,
            deleted: self.deleted.len() as u64,
            checks: self.checks.len() as u64,
            created: a.created as u64,
            updated: a.updated as u64,
            resolved: a.resolved as u64,
            reopened: a.reopened as u64,
            archived: a.archived as u64,
            summary: self.summary(),
        }
    }

    /// One line: `2 file(s), 5 event(s): 1 change(s) ...`.
    pub fn summary(&self) -> String {
        let unmapped: u64 = self.unmapped.values().sum();
        let a = &self.applied;
        format!(
            "{} file(s), {} event(s): {} change(s), {} ignored, {} unmapped, {} malformed; {} resource(s) re-read, {} gone; findings: {} new, {} updated ({} resolved, {} reopened), {} archived",
            self.files,
            self.events,
            self.changes,
            self.ignored,
            unmapped,
            self.malformed,
            self.refreshed.len(),
            self.deleted.len(),
            a.created,
            a.updated,
            a.resolved,
            a.reopened,
            a.archived
        )
    }
}

/// A changed piece, with the last event that named it and the files that named it (which
/// are not recorded as read when the piece cannot be re-read: the next poll tries again).
struct Pending {
    event_id: String,
    files: BTreeSet<usize>,
}

/// Reads the log files delivered since the last poll and updates the findings of what they
/// changed (see the module documentation). The store must hold an inventory (a scan's).
pub fn poll(store: &mut Store, watch: &Watch, notify: &dyn Notify) -> Result<PollReport> {
    let Some((info, mut inv)) = crate::inventory::latest(store)? else {
        bail!("no scan recorded an inventory in `{}` yet: scan the account first, then watch its trail", store.path().display());
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let session = rt.block_on(Session::start(&watch.aws))?;
    let mut report = PollReport::default();
    let bucket = rt
        .block_on(session.trail_bucket(&watch.bucket))
        .map_err(|e| anyhow::anyhow!("cannot read the trail's bucket `{}`: {e}", watch.bucket))?;

    // 1-2: the files not read yet, folder by folder.
    let folders = rt.block_on(region_folders(&session, &bucket, watch.prefix.as_deref().unwrap_or("")))?;
    report.folders = folders.len();
    let mut files: Vec<(String, String)> = Vec::new(); // (folder, key)
    let today = crate::now().date();
    // CloudTrail delivers within minutes; a key dated later than tomorrow (a clock or time
    // zone's slack) is not a delivery: it would move the checkpoint past every real file.
    let latest = today.next_day().unwrap_or(today);
    for folder in &folders {
        let from = match store.trail_checkpoint(&bucket.name, folder)? {
            Some(last) => match parse_key(&last) {
                KeyKind::Log(k) => k.date.min(today),
                _ => inv.collected_at.date(),
            },
            None => inv.collected_at.date(),
        };
        let start = from.previous_day().unwrap_or(from);
        // `StartAfter` the day folder's own name: every key in that day sorts after it.
        let start_after = key::day_prefix(folder, start);
        // Listed a batch at a time past the files read already (a busy folder holds more of
        // them in two days than one listing returns), until a poll's worth is found.
        let future = &mut report.future;
        let mut unread = |keys: Vec<String>| -> Result<Vec<String>, String> {
            let mut logs: Vec<String> = Vec::new();
            for k in keys {
                match parse_key(&k) {
                    KeyKind::Log(l) if l.date > latest => future.push(k),
                    KeyKind::Log(_) => logs.push(k),
                    _ => {}
                }
            }
            // Called from inside the listing's future: the store's PostgreSQL client blocks
            // on a runtime of its own, which may not start inside this one's task.
            let done = tokio::task::block_in_place(|| store.trail_files_read(&bucket.name, &logs)).map_err(|e| e.to_string())?;
            Ok(logs.into_iter().filter(|k| !done.contains(k)).collect())
        };
        let logs = rt
            .block_on(session.list_keys_until(&bucket, folder, Some(&start_after), LIST_BATCH, MAX_FILES_PER_POLL, &mut unread))
            .map_err(|e| anyhow::anyhow!("cannot list `{folder}` in bucket `{}`: {e}", bucket.name))?;
        files.extend(logs.into_iter().map(|k| (folder.clone(), k)));
        // Files of days the listing no longer reaches are forgotten.
        if let Some(old) = start.previous_day() {
            store.forget_trail_files(&bucket.name, folder, &key::day_prefix(folder, old))?;
        }
    }
    files.truncate(MAX_FILES_PER_POLL);

    // 3: the events, mapped.
    let mut events = Vec::new();
    let mut stats: Vec<TrailFile> = Vec::new();
    for (folder, k) in &files {
        let mut file = TrailFile { key: k.clone(), prefix: folder.clone(), ..TrailFile::default() };
        match rt.block_on(session.get_object(&bucket, k, MAX_FILE_BYTES)) {
            Err(e) => {
                file.error = Some(e.clone());
                report.unreadable.push(e);
            }
            Ok(bytes) => {
                // Record by record (memory holds one record, not the file); what a file says
                // counts only once all of it was read.
                let (mut read, mut ignored, mut malformed) = (0u64, 0u64, Vec::new());
                let mut unmapped: BTreeMap<String, u64> = BTreeMap::new();
                let mut changed = Vec::new();
                let outcome = read_log(k, &bytes, MAX_INFLATED, &mut |r| match r {
                    Err(m) => malformed.push(m),
                    Ok(e) => {
                        read += 1;
                        match classify(&e) {
                            Change::None(_) => ignored += 1,
                            Change::Unmapped(_) => *unmapped.entry(format!("{}:{}", e.service(), e.name)).or_default() += 1,
                            Change::Pieces(p) => changed.push((e.time, e.id, p)),
                        }
                    }
                });
                match outcome {
                    Err(e) => {
                        file.error = Some(e.to_string());
                        report.unreadable.push(e.to_string());
                    }
                    Ok(()) => {
                        file.events = read;
                        file.skipped = malformed.len() as u64 + unmapped.values().sum::<u64>();
                        file.changes = changed.len() as u64;
                        report.malformed += malformed.len() as u64;
                        report.ignored += ignored;
                        for m in malformed.iter().take(3) {
                            notify.warn(&format!("skipped record {} of `{}`: {}", m.index, m.file, m.message));
                        }
                        for (name, n) in unmapped {
                            *report.unmapped.entry(name).or_default() += n;
                        }
                        events.extend(changed.into_iter().map(|(time, id, p)| (time, id, p, stats.len())));
                    }
                }
            }
        }
        report.events += file.events;
        report.changes += file.changes;
        stats.push(file);
    }
    report.files = stats.len();
    events.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut pending: BTreeMap<Piece, Pending> = BTreeMap::new();
    for (_, id, pieces, file) in events {
        for p in pieces {
            let entry = pending.entry(p).or_insert_with(|| Pending { event_id: String::new(), files: BTreeSet::new() });
            entry.event_id = id.clone();
            entry.files.insert(file);
        }
    }

    // 4-5: each changed piece read again, put into the inventory, its checks re-run.
    let now = crate::now();
    let mut patched = false;
    let mut checks_run: BTreeSet<&'static str> = BTreeSet::new();
    for (piece, p) in &pending {
        if piece.account() != session.account {
            report.not_refreshed.push(format!("{}: not the account of these credentials ({})", piece.describe(), session.account));
            continue;
        }
        // The checks of other types that read this piece, evaluated before it changes: the
        // resources whose results it moves are those to store again.
        let input = input_of(piece);
        let others: Vec<&'static str> =
            input.other_readers().iter().copied().filter(|id| rampart_checks::REGISTRY.iter().any(|c| c.meta.id == *id)).collect();
        let before = if others.is_empty() { Vec::new() } else { check(&inv, &others, watch.config.as_ref(), now) };
        let Some(outcome) = refresh(&rt, &session, &mut inv, piece)? else {
            report.not_refreshed.push(format!("{}: not in the scanned inventory (region or service not read)", piece.describe()));
            continue;
        };
        let (arn, kind, gone) = match outcome {
            Ok(v) => v,
            Err(why) => {
                // Its files are not read yet: the next poll reads them and tries again.
                for &i in &p.files {
                    stats[i].error.get_or_insert_with(|| format!("{} could not be read again: {why}", piece.describe()));
                }
                report.not_refreshed.push(format!("{}: {why}", piece.describe()));
                continue;
            }
        };
        patched = true;
        let ids: Vec<&'static str> = rampart_checks::REGISTRY.iter().filter(|c| c.meta.resource_type == kind).map(|c| c.meta.id).collect();
        checks_run.extend(ids.iter().copied());
        checks_run.extend(others.iter().copied());
        let checks: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let mut findings = if gone { Vec::new() } else { check(&inv, &ids, watch.config.as_ref(), now) };
        let resources = if gone { Vec::new() } else { vec![arn.clone()] };
        let deleted = if gone { vec![arn.clone()] } else { Vec::new() };
        let done = store.apply_change(ChangeUpdate {
            id: if p.event_id.is_empty() { "unknown" } else { &p.event_id },
            at: now,
            checks: &checks,
            resources: &resources,
            findings: &mut findings,
            deleted: &deleted,
        })?;
        add(&mut report.applied, &done);
        if !others.is_empty() {
            let after = check(&inv, &others, watch.config.as_ref(), now);
            let moved = moved_resources(&before, &after);
            if !moved.is_empty() {
                let mut findings: Vec<rampart_model::Finding> = after.into_iter().filter(|f| moved.contains(&f.resource.id)).collect();
                let checks: Vec<String> = others.iter().map(|s| s.to_string()).collect();
                let resources: Vec<String> = moved.into_iter().collect();
                let done = store.apply_change(ChangeUpdate {
                    id: if p.event_id.is_empty() { "unknown" } else { &p.event_id },
                    at: now,
                    checks: &checks,
                    resources: &resources,
                    findings: &mut findings,
                    deleted: &[],
                })?;
                add(&mut report.applied, &done);
            }
        }
        if gone {
            report.deleted.push(piece.describe());
        } else {
            report.refreshed.push(piece.describe());
        }
    }
    for g in session.take_gaps() {
        notify.warn(&crate::inputs::gap_line(&g.action, g.kind, 1, &g.message));
    }
    report.checks = checks_run.into_iter().map(str::to_string).collect();
    if patched {
        crate::inventory::record(store, &info.run_id, &inv)?;
    }
    // 6: the files, read (or tried: one that failed is tried again at the next poll, up to
    // MAX_TRAIL_ATTEMPTS times, then reported as given up).
    for f in &stats {
        let tries = store.record_trail_file(&bucket.name, f, now)?;
        if let Some(e) = &f.error {
            if tries >= rampart_hub::MAX_TRAIL_ATTEMPTS {
                notify.warn(&format!("gave up log file `{}` after {tries} attempts: {e}", f.key));
            }
        }
    }
    if !report.future.is_empty() {
        notify.warn(&format!(
            "skipped {} log file(s) dated after tomorrow (UTC), e.g. `{}`: not a delivery of the trail",
            report.future.len(),
            report.future[0]
        ));
    }
    Ok(report)
}

/// Polls every `interval` until `stop` says so (it is asked after each poll, with its
/// outcome). A poll that fails is reported and the next one tried.
pub fn watch(store: &mut Store, watch: &Watch, interval: Duration, notify: &dyn Notify, stop: &mut dyn FnMut(&Result<PollReport>) -> bool) {
    loop {
        let started = std::time::Instant::now();
        let r = poll(store, watch, notify);
        if stop(&r) {
            return;
        }
        std::thread::sleep(interval.saturating_sub(started.elapsed()));
    }
}

/// The region folders of the trail's bucket under `prefix`.
async fn region_folders(session: &Session, bucket: &TrailBucket, prefix: &str) -> Result<Vec<String>> {
    let mut base = prefix.trim_matches('/').to_string();
    if !base.is_empty() {
        base.push('/');
    }
    base.push_str("AWSLogs/");
    let list = |p: String| async move {
        session.list_folders(bucket, &p).await.map_err(|e| anyhow::anyhow!("cannot list `{p}` in bucket `{}`: {e}", bucket.name))
    };
    let mut accounts = Vec::new();
    for f in list(base.clone()).await? {
        let name = f.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
        if key::is_account_id(&name) {
            accounts.push(f);
        } else if key::is_org_id(&name) {
            for a in list(f).await? {
                let acct = a.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
                if key::is_account_id(acct) {
                    accounts.push(a);
                }
            }
        }
    }
    let mut folders = Vec::new();
    for a in accounts {
        folders.extend(list(format!("{a}CloudTrail/")).await?);
    }
    folders.sort();
    Ok(folders)
}

type Refreshed = std::result::Result<(String, ResourceType, bool), String>;

/// Reads `piece` again and puts it into `inv`: `None` when the inventory has no place for it
/// (its account or region was not scanned, or its service could not be read), else the
/// resource's id as findings name it, its type, and whether it is gone — or why it could
/// not be read.
fn refresh(rt: &tokio::runtime::Runtime, session: &Session, inv: &mut Inventory, piece: &Piece) -> Result<Option<Refreshed>> {
    let Some(account) = inv.accounts.iter_mut().find(|a| a.id == piece.account()) else { return Ok(None) };
    match piece {
        Piece::SecurityGroup { region, group_id, .. } => {
            let arn = account.arn("ec2", region, &format!("security-group/{group_id}"));
            let Some(r) = account.regions.iter_mut().find(|r| &r.name == region) else { return Ok(None) };
            let Observed::Known(ec2) = &mut r.ec2 else { return Ok(None) };
            let read = rt.block_on(session.security_group(region, group_id));
            let read = match read {
                Ok(g) => g,
                Err(why) => return Ok(Some(Err(why))),
            };
            let at = ec2.security_groups.iter().position(|g| &g.group_id == group_id);
            let gone = read.is_none();
            match (read, at) {
                (Some(g), Some(i)) => ec2.security_groups[i] = g,
                (Some(g), None) => ec2.security_groups.push(g),
                (None, Some(i)) => {
                    ec2.security_groups.remove(i);
                }
                (None, None) => {}
            }
            Ok(Some(Ok((arn, ResourceType::AwsEc2SecurityGroup, gone))))
        }
        Piece::Bucket { name, .. } => {
            let arn = format!("arn:{}:s3:::{name}", account.partition);
            let Observed::Known(s3) = &mut account.s3 else { return Ok(None) };
            let read = match rt.block_on(session.bucket(name)) {
                Ok(b) => b,
                Err(why) => return Ok(Some(Err(why))),
            };
            let at = s3.buckets.iter().position(|b| &b.name == name);
            let gone = read.is_none();
            match (read, at) {
                (Some(mut b), Some(i)) => {
                    b.creation_date = s3.buckets[i].creation_date.take();
                    s3.buckets[i] = b;
                }
                (Some(b), None) => s3.buckets.push(b),
                (None, Some(i)) => {
                    s3.buckets.remove(i);
                }
                (None, None) => {}
            }
            Ok(Some(Ok((arn, ResourceType::AwsS3Bucket, gone))))
        }
    }
}

/// The input a changed piece is.
fn input_of(piece: &Piece) -> Input {
    match piece {
        Piece::SecurityGroup { .. } => Input::SecurityGroups,
        Piece::Bucket { .. } => Input::Buckets,
    }
}

/// The resources whose results differ between two evaluations of the same checks: a
/// (check, resource) result that appeared, vanished, or changed its status, reason or
/// severity.
fn moved_resources(before: &[rampart_model::Finding], after: &[rampart_model::Finding]) -> BTreeSet<String> {
    type Verdict<'a> = (rampart_model::Status, &'a str, rampart_model::Severity);
    fn index(fs: &[rampart_model::Finding]) -> BTreeMap<&str, Verdict<'_>> {
        fs.iter().map(|f| (f.id.as_str(), (f.status, f.reason.as_str(), f.severity))).collect()
    }
    let (b, a) = (index(before), index(after));
    let mut moved = BTreeSet::new();
    for f in before.iter().chain(after) {
        if b.get(f.id.as_str()) != a.get(f.id.as_str()) {
            moved.insert(f.resource.id.clone());
        }
    }
    moved
}

/// The findings of `ids` over `inv`, with the configuration applied as a scan applies it.
fn check(inv: &Inventory, ids: &[&str], config: Option<&rampart_config::Config>, now: Timestamp) -> Vec<rampart_model::Finding> {
    let thresholds = config.map(|c| c.thresholds).unwrap_or_default();
    let ranges = crate::ip_ranges::load(&crate::ip_ranges::default_dir()).ok().flatten();
    let outcome = rampart_checks::run_with_ip_ranges(inv, now, &thresholds, ids, ranges.as_ref().or(rampart_checks::ip_ranges::bundled()));
    let mut findings = rampart_checks::findings(outcome.results, now);
    if let Some(config) = config {
        let tags = inv.tags_by_arn();
        let _ = config.apply(&mut findings, &|r| tags.get(&r.id).cloned(), now);
    }
    findings
}

fn add(sum: &mut ChangeApplied, d: &ChangeApplied) {
    sum.created += d.created;
    sum.updated += d.updated;
    sum.unchanged += d.unchanged;
    sum.resolved += d.resolved;
    sum.reopened += d.reopened;
    sum.archived += d.archived;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_checks::reads::{reads, Input};
    use rampart_inventory::{SgPeer, SgRule};
    use std::collections::BTreeMap;

    /// Each (check, resource) result's verdict, by finding id, with its check.
    fn verdicts(inv: &Inventory) -> BTreeMap<String, (String, String)> {
        check(inv, &[], None, inv.collected_at)
            .into_iter()
            .map(|f| (f.id.clone(), (f.check_id.to_string(), format!("{} {} {}", f.status, f.severity.label(), f.reason))))
            .collect()
    }

    /// The checks whose results differ between two estates.
    fn moved_checks(a: &BTreeMap<String, (String, String)>, b: &BTreeMap<String, (String, String)>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (id, (check, v)) in a.iter().chain(b) {
            if a.get(id).map(|x| &x.1) != b.get(id).map(|x| &x.1) || a.contains_key(id) != b.contains_key(id) {
                let _ = v;
                out.insert(check.clone());
            }
        }
        out
    }

    fn open_rule() -> SgRule {
        SgRule { ip_protocol: "-1".into(), from_port: None, to_port: None, peer: SgPeer::Cidr4("0.0.0.0/0".into()), description: None }
    }

    /// Changes every piece of `input` in the estate in a few ways: the checks whose results
    /// move must declare that they read it.
    fn perturbations(input: Input, inv: &Inventory) -> Vec<Inventory> {
        let mut out = Vec::new();
        let each_ec2 = |f: &dyn Fn(&mut rampart_inventory::Ec2)| {
            let mut v = inv.clone();
            for a in &mut v.accounts {
                for r in &mut a.regions {
                    if let Observed::Known(ec2) = &mut r.ec2 {
                        f(ec2);
                    }
                }
            }
            v
        };
        let each_s3 = |f: &dyn Fn(&mut rampart_inventory::S3)| {
            let mut v = inv.clone();
            for a in &mut v.accounts {
                if let Observed::Known(s3) = &mut a.s3 {
                    f(s3);
                }
            }
            v
        };
        match input {
            Input::SecurityGroups => {
                out.push(each_ec2(&|ec2| {
                    ec2.security_groups
                        .iter_mut()
                        .for_each(|g| g.ingress = vec![open_rule(), SgRule { peer: SgPeer::Cidr6("::/0".into()), ..open_rule() }])
                }));
                out.push(each_ec2(&|ec2| {
                    ec2.security_groups.iter_mut().for_each(|g| {
                        g.ingress.clear();
                        g.egress.clear();
                    })
                }));
                out.push(each_ec2(&|ec2| ec2.security_groups.clear()));
            }
            Input::Buckets => {
                out.push(each_s3(&|s3| {
                    s3.buckets.iter_mut().for_each(|b| {
                        b.public_access_block = Observed::Known(None);
                        b.policy = Observed::Known(Some(
                            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#
                                .into(),
                        ));
                    })
                }));
                out.push(each_s3(&|s3| s3.buckets.clear()));
            }
        }
        out
    }

    /// The declaration of what checks read (`rampart_checks::reads`) is complete over the
    /// demo estate: changing every security group (or bucket) moves only the results of
    /// checks that declare they read security groups (buckets), so a change re-runs every
    /// check whose verdict it can move.
    #[test]
    fn every_check_whose_results_a_piece_moves_declares_that_it_reads_it() {
        let inv = crate::inputs::demo().unwrap();
        let base = verdicts(&inv);
        for input in [Input::SecurityGroups, Input::Buckets] {
            let mut undeclared = BTreeSet::new();
            let mut moved_any = BTreeSet::new();
            for changed in perturbations(input, &inv) {
                for id in moved_checks(&base, &verdicts(&changed)) {
                    let c = rampart_checks::REGISTRY.iter().find(|c| c.meta.id == id).unwrap();
                    moved_any.insert(id.clone());
                    if !reads(c, input) {
                        undeclared.insert(id);
                    }
                }
            }
            assert!(undeclared.is_empty(), "{input:?}: these checks' results moved but they do not declare reading it: {undeclared:?}");
            // The test has teeth: the demo's own checks of that type moved, and so did
            // checks of other types that read it (security groups).
            assert!(moved_any
                .iter()
                .any(|id| rampart_checks::REGISTRY.iter().any(|c| c.meta.id == id && c.meta.resource_type == input.resource_type())));
            if input == Input::SecurityGroups {
                assert!(moved_any.iter().any(|id| input.other_readers().contains(&id.as_str())), "{moved_any:?}");
            }
        }
    }

    #[test]
    fn moved_resources_are_those_whose_results_differ() {
        let inv = crate::inputs::demo().unwrap();
        let ids = rampart_checks::reads::Input::SecurityGroups.other_readers();
        let before = check(&inv, ids, None, inv.collected_at);
        assert!(moved_resources(&before, &before).is_empty());
        let opened = perturbations(Input::SecurityGroups, &inv).remove(0);
        let after = check(&opened, ids, None, inv.collected_at);
        let moved = moved_resources(&before, &after);
        assert!(!moved.is_empty());
        assert!(moved.iter().all(|r| !r.contains(":security-group/")), "other types' resources only: {moved:?}");
    }
}
