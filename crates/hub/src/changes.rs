//! Change-triggered checks: the findings of the resources a change touched, updated
//! without a run; and the checkpoints of the CloudTrail files read.
//!
//! A change (one CloudTrail event, or several read in one poll) re-runs some checks on some
//! resources. [`Store::apply_change`] stores exactly those results and nothing else: the
//! findings of other resources, and of other checks, are not touched. The lifecycle is a
//! run's (`lifecycle.rs`: FAILED → PASSED resolves NEW and NOTIFIED findings, PASSED →
//! FAILED reopens RESOLVED ones), every workflow change noted `change:<event id>` in the
//! history; a finding of a re-checked (check, resource) pair that the checks no longer
//! produce, and every finding of a resource that no longer exists, is ARCHIVED (Security
//! Hub's record state for a deleted resource). No run is recorded: a change is not a scan,
//! and the runs list keeps saying what the last full scan covered.

use crate::codec;
use crate::error::StoreError;
use crate::lifecycle::{next_workflow, Known};
use crate::sql::vals;
use crate::store::{corrupt, Store};
use rampart_model::{Finding, RecordState, Timestamp, WorkflowStatus};
use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

/// What one change re-checked, and what it found.
#[derive(Debug)]
pub struct ChangeUpdate<'a> {
    /// The change's identity, noted in the history: `change:<id>` (a CloudTrail event id).
    pub id: &'a str,
    pub at: Timestamp,
    /// The checks re-run.
    pub checks: &'a [String],
    /// The resources (their ids as findings name them: ARNs) re-read and still there.
    pub resources: &'a [String],
    /// The results of `checks` on `resources` (others are ignored). On success each is
    /// updated in place to what the store now holds (workflow, first seen).
    pub findings: &'a mut [Finding],
    /// Resources that no longer exist: every active finding of theirs is archived.
    pub deleted: &'a [String],
}

/// What [`Store::apply_change`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeApplied {
    /// Findings seen for the first time.
    pub created: usize,
    /// Known findings whose status, reason, severity or record state changed.
    pub updated: usize,
    /// Known findings the results left as they were (nothing written).
    pub unchanged: usize,
    /// Of `updated`: the workflow became RESOLVED, or NEW again.
    pub resolved: usize,
    pub reopened: usize,
    pub archived: usize,
}

/// One log file read, for [`Store::record_trail_file`].
/// How many times a log file that fails is tried before it is given up (and reported).
pub const MAX_TRAIL_ATTEMPTS: u32 = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailFile {
    pub key: String,
    /// The region folder it is in (the checkpoint's unit).
    pub prefix: String,
    pub events: u64,
    /// Events that changed something this version re-reads.
    pub changes: u64,
    /// Records skipped: malformed, or writes this version does not map.
    pub skipped: u64,
    /// Why the file could not be read at all, if so.
    pub error: Option<String>,
}

const UPDATE: &str = r#"
UPDATE findings SET severity = ?, status = ?, reason = ?, last_observed = ?,
    workflow_status = ?, record_state = 'ACTIVE', updated_at = ?
WHERE id = ?
"#;

/// `store::INSERT_FINDING` with `?` placeholders, as [`crate::sql::Sql`] runs it on either backend.
static INSERT_FINDING: LazyLock<String> = LazyLock::new(|| crate::sql::unnumbered(crate::store::INSERT_FINDING));

impl Store {
    /// Stores the results of one change (see the module documentation), in one transaction.
    pub fn apply_change(&mut self, change: ChangeUpdate<'_>) -> Result<ChangeApplied, StoreError> {
        let path = self.path.clone();
        let bad = corrupt(&path);
        let now = codec::time_to_text(codec::truncate(change.at));
        let note = format!("change:{}", change.id);
        let checks: HashSet<&str> = change.checks.iter().map(String::as_str).collect();
        let resources: HashSet<&str> = change.resources.iter().map(String::as_str).collect();
        let mut done = ChangeApplied::default();
        let mut updates: Vec<Option<(Timestamp, WorkflowStatus)>> = vec![None; change.findings.len()];
        let findings: &[Finding] = change.findings;
        self.db.tx(|tx| {
            let get = format!(
                "SELECT f.status, f.workflow_status, f.record_state, f.first_observed, f.reason, f.severity FROM findings f WHERE f.id = ?{}",
                tx.dialect().for_update_of("f")
            );
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for (i, f) in findings.iter().enumerate() {
                if !checks.contains(f.check_id.as_ref()) || !resources.contains(f.resource.id.as_str()) {
                    continue;
                }
                seen.insert(&f.id);
                // Locked on PostgreSQL until the change commits: a concurrent writer of the
                // finding waits, and its change is not overwritten from a stale read.
                let row = tx.query_opt(&get, &vals![&f.id])?;
                let last = codec::time_to_text(codec::truncate(f.last_observed));
                let Some(row) = row else {
                    // First sight (a new group, a rule that now fails where none did).
                    let workflow = if f.workflow_status == WorkflowStatus::Suppressed {
                        WorkflowStatus::Suppressed
                    } else {
                        next_workflow(None, f.status)
                    };
                    let first = codec::truncate(f.first_observed);
                    let values = crate::run_writer::with_finding_row(f, first, &last, workflow, &now, crate::sql::values_of)?;
                    tx.execute(&INSERT_FINDING, &values)?;
                    done.created += 1;
                    updates[i] = Some((first, workflow));
                    continue;
                };
                let known = Known {
                    status: codec::status_from_text(&row.text(0)?).map_err(&bad)?,
                    workflow: codec::workflow_from_text(&row.text(1)?).map_err(&bad)?,
                    record_state: codec::record_state_from_text(&row.text(2)?).map_err(&bad)?,
                };
                let first = codec::time_from_text(&row.text(3)?).map_err(&bad)?;
                let next = next_workflow(Some(known), f.status);
                if known.status == f.status
                    && known.record_state == RecordState::Active
                    && row.text(4)? == f.reason
                    && row.text(5)? == f.severity.label()
                {
                    done.unchanged += 1;
                    updates[i] = Some((first, known.workflow));
                    continue;
                }
                tx.execute(UPDATE, &vals![f.severity.label(), f.status.as_str(), &f.reason, &last, next.as_str(), &now, &f.id])?;
                done.updated += 1;
                if next != known.workflow {
                    let why = if known.record_state == RecordState::Archived {
                        format!("{note}: back from archive as {}", f.status)
                    } else {
                        format!("{note}: compliance {} -> {}", known.status, f.status)
                    };
                    tx.execute(
                        "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id)
                         VALUES (?, ?, ?, ?, ?, NULL)",
                        &vals![&f.id, &now, known.workflow.as_str(), next.as_str(), why],
                    )?;
                    match next {
                        WorkflowStatus::Resolved => done.resolved += 1,
                        WorkflowStatus::New => done.reopened += 1,
                        _ => {}
                    }
                }
                updates[i] = Some((first, next));
            }
            // A re-checked pair's findings the checks no longer produce (a finding per port
            // that is closed now), and a deleted resource's findings: archived.
            let mut check_list: Vec<String> = change.checks.to_vec();
            check_list.sort_unstable();
            let check_json = codec::strings_to_json(&check_list);
            let vanished = format!(
                "SELECT id FROM findings WHERE record_state = 'ACTIVE' AND product_arn IS NULL AND resource_id = ? AND {}",
                tx.dialect().in_json_list("check_id")
            );
            for r in change.resources {
                for row in tx.query(&vanished, &vals![r, &check_json])? {
                    let id = row.text(0)?;
                    if !seen.contains(id.as_str()) {
                        done.archived += tx
                            .execute("UPDATE findings SET record_state = 'ARCHIVED', updated_at = ? WHERE id = ?", &vals![&now, &id])?
                            as usize;
                    }
                }
            }
            for r in change.deleted {
                done.archived += tx.execute(
                    "UPDATE findings SET record_state = 'ARCHIVED', updated_at = ?
                     WHERE record_state = 'ACTIVE' AND product_arn IS NULL AND resource_id = ?",
                    &vals![&now, r],
                )? as usize;
            }
            Ok(())
        })?;
        for (f, u) in change.findings.iter_mut().zip(updates) {
            if let Some((first, workflow)) = u {
                f.first_observed = first;
                f.workflow_status = workflow;
                f.record_state = RecordState::Active;
            }
        }
        Ok(done)
    }

    /// The greatest key read in `prefix` (a region folder) of `bucket`, if any.
    pub fn trail_checkpoint(&self, bucket: &str, prefix: &str) -> Result<Option<String>, StoreError> {
        let row = self.sql().query_opt("SELECT last_key FROM trail_checkpoints WHERE bucket = ? AND prefix = ?", &vals![bucket, prefix])?;
        row.map(|r| r.text(0)).transpose()
    }

    /// Which of `keys` of `bucket` were read already: read whole, or tried
    /// [`MAX_TRAIL_ATTEMPTS`] times without success (a file recorded with an error is
    /// otherwise not read yet, and the next poll tries it again).
    pub fn trail_files_read(&self, bucket: &str, keys: &[String]) -> Result<HashSet<String>, StoreError> {
        let db = self.sql();
        let mut out = HashSet::new();
        // A page of a listing at a time; a statement per 1,000 keys.
        for chunk in keys.chunks(1000) {
            let rows = db.query(
                &format!(
                    "SELECT key FROM trail_files WHERE bucket = ? AND (error IS NULL OR attempts >= ?) AND {}",
                    db.dialect().in_json_list("key")
                ),
                &vals![bucket, MAX_TRAIL_ATTEMPTS, codec::strings_to_json(chunk)],
            )?;
            for row in rows {
                out.insert(row.text(0)?);
            }
        }
        Ok(out)
    }

    /// Records that `file` of `bucket` was read, or tried when `file.error` says why it
    /// failed, and moves its folder's checkpoint up to its key. Returns how many times it was
    /// tried. A file read whole is recorded once (recording it again is refused with
    /// [`StoreError::InvalidUpdate`]); one that failed may be recorded again, until it is read
    /// or tried [`MAX_TRAIL_ATTEMPTS`] times.
    pub fn record_trail_file(&mut self, bucket: &str, file: &TrailFile, at: Timestamp) -> Result<u32, StoreError> {
        let now = codec::time_to_text(codec::truncate(at));
        self.db.tx(|tx| {
            let n = tx.execute(
                "INSERT INTO trail_files (bucket, key, prefix, processed_at, events, changes, skipped, error, attempts)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (bucket, key) DO UPDATE SET
                     processed_at = excluded.processed_at, events = excluded.events, changes = excluded.changes,
                     skipped = excluded.skipped, error = excluded.error, attempts = trail_files.attempts + 1
                 WHERE trail_files.error IS NOT NULL AND trail_files.attempts < ?",
                &vals![
                    bucket,
                    &file.key,
                    &file.prefix,
                    &now,
                    file.events,
                    file.changes,
                    file.skipped,
                    file.error.as_deref(),
                    MAX_TRAIL_ATTEMPTS
                ],
            )?;
            if n == 0 {
                return Err(StoreError::InvalidUpdate(format!("log file `{}` of bucket `{bucket}` was read already", file.key)));
            }
            let greatest = tx.dialect().greatest("trail_checkpoints.last_key", "excluded.last_key");
            tx.execute(
                &format!(
                    "INSERT INTO trail_checkpoints (bucket, prefix, last_key, updated_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (bucket, prefix) DO UPDATE SET last_key = {greatest}, updated_at = excluded.updated_at"
                ),
                &vals![bucket, &file.prefix, &file.key, &now],
            )?;
            let row = tx.query_one("SELECT attempts FROM trail_files WHERE bucket = ? AND key = ?", &vals![bucket, &file.key])?;
            Ok(u32::try_from(row.int(0)?).unwrap_or(u32::MAX))
        })
    }

    /// Forgets the files read in `prefix` of `bucket` whose keys sort below `below` (a day
    /// folder well behind the checkpoint, which no listing reaches any more). Returns how
    /// many.
    pub fn forget_trail_files(&mut self, bucket: &str, prefix: &str, below: &str) -> Result<usize, StoreError> {
        let n = self.sql().execute("DELETE FROM trail_files WHERE bucket = ? AND prefix = ? AND key < ?", &vals![bucket, prefix, below])?;
        Ok(n as usize)
    }

    /// Totals over the files read from `bucket`: (files, events, changes, skipped, files that
    /// could not be read).
    pub fn trail_totals(&self, bucket: &str) -> Result<(u64, u64, u64, u64, u64), StoreError> {
        let r = self.sql().query_one(
            "SELECT count(*), CAST(coalesce(sum(events), 0) AS BIGINT), CAST(coalesce(sum(changes), 0) AS BIGINT),
                    CAST(coalesce(sum(skipped), 0) AS BIGINT), count(error) FROM trail_files WHERE bucket = ?",
            &vals![bucket],
        )?;
        let n = |i: usize| r.int(i).map(|v| v.max(0) as u64);
        Ok((n(0)?, n(1)?, n(2)?, n(3)?, n(4)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::{RunInfo, Status};

    fn t(s: i64) -> Timestamp {
        time::OffsetDateTime::from_unix_timestamp(1_800_000_000 + s).unwrap()
    }

    /// A finding of `check` on bucket `resource` (its id `arn:aws:s3:::<resource>`) at second `s`.
    fn finding(check: &str, resource: &str, status: Status, s: i64) -> Finding {
        let mut f = crate::tests::finding(check, resource, "111122223333", "us-east-1", status, 0);
        f.first_observed = t(s);
        f.last_observed = t(s);
        f
    }

    fn arn(r: &str) -> String {
        format!("arn:aws:s3:::{r}")
    }

    fn state(store: &Store, id: &str) -> (Status, WorkflowStatus, RecordState) {
        let f = store.finding_record(id).unwrap().finding;
        (f.status, f.workflow_status, f.record_state)
    }

    #[test]
    fn a_change_updates_only_its_pairs_resolves_reopens_and_archives() {
        let mut store = Store::open_in_memory().unwrap();
        let checks = vec!["c1".to_string(), "c2".to_string()];
        let mut scan = vec![
            finding("c1", "sg-a", Status::Passed, 0),
            finding("c1", "sg-b", Status::Failed, 0),
            finding("c2", "sg-b", Status::Failed, 0),
            finding("c9", "sg-b", Status::Failed, 0),
        ];
        let run = RunInfo {
            id: "r1".into(),
            started_at: t(0),
            finished_at: t(0),
            source: "aws".into(),
            accounts: vec!["111122223333".into()],
            regions: vec!["us-east-1".into()],
            tool_version: "x".into(),
            checks: vec!["c1".into(), "c2".into(), "c9".into()],
            incomplete: vec![],
        };
        store.record_run(&run, &mut scan, &[]).unwrap();
        let ids: Vec<String> = scan.iter().map(|f| f.id.clone()).collect();

        // The port on sg-a opens: c1 fails there; sg-b is not re-checked and keeps its findings.
        let mut now = vec![finding("c1", "sg-a", Status::Failed, 10), finding("c1", "sg-b", Status::Passed, 10)];
        let applied = store
            .apply_change(ChangeUpdate {
                id: "ev-1",
                at: t(10),
                checks: &checks,
                resources: &[arn("sg-a")],
                findings: &mut now,
                deleted: &[],
            })
            .unwrap();
        assert_eq!(applied, ChangeApplied { updated: 1, reopened: 1, ..Default::default() });
        assert_eq!(state(&store, &ids[0]), (Status::Failed, WorkflowStatus::New, RecordState::Active));
        assert_eq!(state(&store, &ids[1]), (Status::Failed, WorkflowStatus::New, RecordState::Active), "sg-b is not the changed resource");
        assert_eq!(now[0].workflow_status, WorkflowStatus::New);

        // Closed again: RESOLVED, the history naming the event.
        let mut now = vec![finding("c1", "sg-a", Status::Passed, 20)];
        let applied = store
            .apply_change(ChangeUpdate {
                id: "ev-2",
                at: t(20),
                checks: &checks,
                resources: &[arn("sg-a")],
                findings: &mut now,
                deleted: &[],
            })
            .unwrap();
        assert_eq!(applied.resolved, 1);
        assert_eq!(state(&store, &ids[0]), (Status::Passed, WorkflowStatus::Resolved, RecordState::Active));
        let h = store.workflow_history(&ids[0]).unwrap();
        let last = h.last().unwrap();
        assert_eq!((last.from, last.to, last.run_id.as_deref()), (WorkflowStatus::New, WorkflowStatus::Resolved, None));
        assert_eq!(last.note, "change:ev-2: compliance FAILED -> PASSED");
        // The same result again writes nothing.
        let mut same = vec![finding("c1", "sg-a", Status::Passed, 25)];
        let applied = store
            .apply_change(ChangeUpdate {
                id: "ev-3",
                at: t(25),
                checks: &checks,
                resources: &[arn("sg-a")],
                findings: &mut same,
                deleted: &[],
            })
            .unwrap();
        assert_eq!(applied, ChangeApplied { unchanged: 1, ..Default::default() });

        // sg-b re-checked with c2 only producing nothing for it: its c2 finding is archived,
        // c9 (not re-run) stays active.
        let applied = store
            .apply_change(ChangeUpdate {
                id: "ev-4",
                at: t(30),
                checks: &["c2".into()],
                resources: &[arn("sg-b")],
                findings: &mut [],
                deleted: &[],
            })
            .unwrap();
        assert_eq!(applied.archived, 1);
        assert_eq!(state(&store, &ids[2]).2, RecordState::Archived);
        assert_eq!(state(&store, &ids[3]).2, RecordState::Active);

        // sg-b deleted: every active finding of it archived; sg-a untouched.
        let applied = store
            .apply_change(ChangeUpdate {
                id: "ev-5",
                at: t(40),
                checks: &checks,
                resources: &[],
                findings: &mut [],
                deleted: &[arn("sg-b")],
            })
            .unwrap();
        assert_eq!(applied.archived, 2);
        assert_eq!(state(&store, &ids[1]).2, RecordState::Archived);
        assert_eq!(state(&store, &ids[3]).2, RecordState::Archived);
        assert_eq!(state(&store, &ids[0]).2, RecordState::Active);
    }

    #[test]
    fn the_shared_insert_of_a_finding_is_run_with_plain_placeholders() {
        assert_eq!(INSERT_FINDING.matches('?').count(), 24);
        assert!(!INSERT_FINDING.contains("?1"), "{}", *INSERT_FINDING);
        assert_eq!(crate::sql::unnumbered("a = ?1, b = '?2', c = ?2, d = ?"), "a = ?, b = '?2', c = ?, d = ?");
        let e = std::panic::catch_unwind(|| crate::sql::unnumbered("a = ?2, b = ?1")).unwrap_err();
        assert!(e.downcast_ref::<String>().is_some_and(|m| m.contains("out of order")), "{e:?}");
    }

    #[test]
    fn a_log_file_is_recorded_once_and_moves_its_checkpoint() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.trail_checkpoint("b", "p/").unwrap(), None);
        let file = |k: &str| TrailFile { key: k.into(), prefix: "p/".into(), events: 3, changes: 1, skipped: 1, error: None };
        store.record_trail_file("b", &file("p/2026/12/07/b.json.gz"), t(0)).unwrap();
        // A file delivered late, below the checkpoint: read, the checkpoint stays.
        store.record_trail_file("b", &file("p/2026/12/07/a.json.gz"), t(1)).unwrap();
        assert_eq!(store.trail_checkpoint("b", "p/").unwrap().as_deref(), Some("p/2026/12/07/b.json.gz"));
        let e = store.record_trail_file("b", &file("p/2026/12/07/a.json.gz"), t(2)).unwrap_err();
        assert!(e.to_string().contains("read already"), "{e}");
        let read = store.trail_files_read("b", &["p/2026/12/07/a.json.gz".into(), "p/2026/12/07/c.json.gz".into()]).unwrap();
        assert_eq!(read, HashSet::from(["p/2026/12/07/a.json.gz".to_string()]));
        assert_eq!(store.trail_totals("b").unwrap(), (2, 6, 2, 2, 0));
        assert_eq!(store.forget_trail_files("b", "p/", "p/2026/12/07/b").unwrap(), 1);
        assert_eq!(store.trail_checkpoint("b", "p/").unwrap().as_deref(), Some("p/2026/12/07/b.json.gz"));
    }

    #[test]
    fn a_log_file_that_failed_is_tried_again_until_read_or_given_up() {
        let mut store = Store::open_in_memory().unwrap();
        let key = "p/2026/12/07/f.json.gz".to_string();
        let failed = TrailFile { key: key.clone(), prefix: "p/".into(), error: Some("throttled".into()), ..TrailFile::default() };
        assert_eq!(store.record_trail_file("b", &failed, t(0)).unwrap(), 1);
        assert!(store.trail_files_read("b", &[key.clone()]).unwrap().is_empty(), "a failed file is not read");
        assert_eq!(store.record_trail_file("b", &failed, t(1)).unwrap(), 2);
        assert_eq!(store.trail_totals("b").unwrap().4, 1);
        // Read at the third try: read, once.
        let read = TrailFile { events: 2, changes: 1, ..failed.clone() };
        let read = TrailFile { error: None, ..read };
        assert_eq!(store.record_trail_file("b", &read, t(2)).unwrap(), 3);
        assert_eq!(store.trail_files_read("b", &[key.clone()]).unwrap().len(), 1);
        assert_eq!(store.trail_totals("b").unwrap(), (1, 2, 1, 0, 0));
        assert!(store.record_trail_file("b", &read, t(3)).unwrap_err().to_string().contains("read already"));
        // One that keeps failing is given up after MAX_TRAIL_ATTEMPTS tries.
        let other = TrailFile { key: "p/2026/12/07/g.json.gz".into(), ..failed };
        for n in 1..=MAX_TRAIL_ATTEMPTS {
            assert!(store.trail_files_read("b", &[other.key.clone()]).unwrap().is_empty());
            assert_eq!(store.record_trail_file("b", &other, t(n as i64)).unwrap(), n);
        }
        assert_eq!(store.trail_files_read("b", &[other.key.clone()]).unwrap().len(), 1);
        assert!(store.record_trail_file("b", &other, t(9)).is_err());
    }
}
