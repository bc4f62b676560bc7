//! Change-triggered checks (`changes.rs`) on both backends: a change's results update only
//! the findings of its (check, resource) pairs, by the run lifecycle, noted
//! `change:<event id>` in the history; and the CloudTrail log files read once, with
//! checkpoints and retries.

use super::*;
use rampart_hub::{ChangeApplied, ChangeUpdate, TrailFile, MAX_TRAIL_ATTEMPTS};
use std::collections::HashSet;

fn state(s: &Backend, id: &str) -> (Status, WorkflowStatus, RecordState) {
    let f = get(s, id);
    (f.status, f.workflow_status, f.record_state)
}

fn arn(r: &str) -> String {
    format!("arn:aws:s3:::{r}")
}

fn a_change_updates_only_its_pairs_creates_resolves_reopens_and_archives(db: &Db) {
    let mut s = db.open();
    let checks = vec!["c1".to_string(), "c2".to_string()];
    let mut scan = vec![
        finding("c1", "sg-a", A, Status::Passed, 0),
        finding("c1", "sg-b", A, Status::Failed, 0),
        finding("c2", "sg-b", A, Status::Failed, 0),
        finding("c9", "sg-b", A, Status::Failed, 0),
    ];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut scan, &[]).unwrap();
    let ids: Vec<String> = scan.iter().map(|f| f.id.clone()).collect();

    // sg-a's c1 now fails (reopened); c2 fails there for the first time (created); sg-b is
    // not re-checked, and a result of it is ignored.
    let mut now = vec![
        finding("c1", "sg-a", A, Status::Failed, 1),
        finding("c2", "sg-a", A, Status::Failed, 1),
        finding("c1", "sg-b", A, Status::Passed, 1),
    ];
    let applied = s
        .apply_change(ChangeUpdate { id: "ev-1", at: at(1), checks: &checks, resources: &[arn("sg-a")], findings: &mut now, deleted: &[] })
        .unwrap();
    assert_eq!(applied, ChangeApplied { created: 1, updated: 1, reopened: 1, ..Default::default() });
    assert_eq!(state(&s, &ids[0]), (Status::Failed, WorkflowStatus::New, RecordState::Active));
    assert_eq!(state(&s, &ids[1]), (Status::Failed, WorkflowStatus::New, RecordState::Active), "sg-b untouched");
    assert_eq!((now[0].workflow_status, now[0].first_observed), (WorkflowStatus::New, at(0)), "as the store holds it");
    let created = get(&s, &now[1].id);
    assert_eq!((created.first_observed, created.last_observed, created.workflow_status), (at(1), at(1), WorkflowStatus::New));
    assert_eq!(created.related_requirements, now[1].related_requirements, "the whole row, as a run writes it");
    assert_eq!(created.remediation_url, now[1].remediation_url);

    // Passed again: RESOLVED, the history naming the event.
    let mut now = vec![finding("c1", "sg-a", A, Status::Passed, 2), finding("c2", "sg-a", A, Status::Failed, 2)];
    let applied = s
        .apply_change(ChangeUpdate { id: "ev-2", at: at(2), checks: &checks, resources: &[arn("sg-a")], findings: &mut now, deleted: &[] })
        .unwrap();
    assert_eq!(applied, ChangeApplied { updated: 1, unchanged: 1, resolved: 1, ..Default::default() });
    assert_eq!(state(&s, &ids[0]), (Status::Passed, WorkflowStatus::Resolved, RecordState::Active));
    let h = s.workflow_history(&ids[0]).unwrap();
    let last = h.last().unwrap();
    assert_eq!((last.from, last.to, last.run_id.as_deref()), (WorkflowStatus::New, WorkflowStatus::Resolved, None));
    assert_eq!(last.note, "change:ev-2: compliance FAILED -> PASSED");
    assert!(h.iter().any(|c| c.note == "change:ev-1: compliance PASSED -> FAILED"), "{h:?}");

    // sg-b re-checked by c2 alone, which produces nothing for it: its c2 finding is
    // archived; c9 (not re-run) stays active.
    let applied = s
        .apply_change(ChangeUpdate {
            id: "ev-3",
            at: at(3),
            checks: &["c2".into()],
            resources: &[arn("sg-b")],
            findings: &mut [],
            deleted: &[],
        })
        .unwrap();
    assert_eq!(applied, ChangeApplied { archived: 1, ..Default::default() });
    assert_eq!(state(&s, &ids[2]).2, RecordState::Archived);
    assert_eq!(state(&s, &ids[3]).2, RecordState::Active);
    // Back from archive.
    let mut back = vec![finding("c2", "sg-b", A, Status::Failed, 4)];
    let applied = s
        .apply_change(ChangeUpdate {
            id: "ev-4",
            at: at(4),
            checks: &["c2".into()],
            resources: &[arn("sg-b")],
            findings: &mut back,
            deleted: &[],
        })
        .unwrap();
    assert_eq!(applied, ChangeApplied { updated: 1, ..Default::default() });
    assert_eq!(state(&s, &ids[2]), (Status::Failed, WorkflowStatus::New, RecordState::Active));

    // sg-b deleted: every active finding of it archived; sg-a untouched.
    let applied = s
        .apply_change(ChangeUpdate { id: "ev-5", at: at(5), checks: &checks, resources: &[], findings: &mut [], deleted: &[arn("sg-b")] })
        .unwrap();
    assert_eq!(applied.archived, 3);
    for id in &ids[1..] {
        assert_eq!(state(&s, id).2, RecordState::Archived, "{id}");
    }
    assert_eq!(state(&s, &ids[0]).2, RecordState::Active);
    assert_eq!(s.runs().unwrap().len(), 1, "a change records no run");
}

fn a_log_file_is_read_once_moves_its_checkpoint_and_is_retried_until_read_or_given_up(db: &Db) {
    let mut s = db.open();
    assert_eq!(s.trail_checkpoint("b", "p/").unwrap(), None);
    let file = |k: &str| TrailFile { key: k.into(), prefix: "p/".into(), events: 3, changes: 1, skipped: 1, error: None };
    assert_eq!(s.record_trail_file("b", &file("p/2026/12/07/b.json.gz"), at(0)).unwrap(), 1);
    // Delivered late, below the checkpoint: read; the checkpoint stays.
    s.record_trail_file("b", &file("p/2026/12/07/a.json.gz"), at(1)).unwrap();
    assert_eq!(s.trail_checkpoint("b", "p/").unwrap().as_deref(), Some("p/2026/12/07/b.json.gz"));
    assert_eq!(s.trail_checkpoint("other", "p/").unwrap(), None);
    let e = s.record_trail_file("b", &file("p/2026/12/07/a.json.gz"), at(2)).unwrap_err();
    assert!(e.to_string().contains("read already"), "{e}");
    let read = s.trail_files_read("b", &["p/2026/12/07/a.json.gz".into(), "p/2026/12/07/c.json.gz".into()]).unwrap();
    assert_eq!(read, HashSet::from(["p/2026/12/07/a.json.gz".to_string()]));
    assert_eq!(s.trail_totals("b").unwrap(), (2, 6, 2, 2, 0));
    assert_eq!(s.trail_totals("none").unwrap(), (0, 0, 0, 0, 0));

    // A failed file is tried again; read at the third try; once.
    let key = "p/2026/12/07/f.json.gz".to_string();
    let failed = TrailFile { key: key.clone(), prefix: "p/".into(), error: Some("throttled".into()), ..TrailFile::default() };
    assert_eq!(s.record_trail_file("b", &failed, at(3)).unwrap(), 1);
    assert!(s.trail_files_read("b", &[key.clone()]).unwrap().is_empty());
    assert_eq!(s.record_trail_file("b", &failed, at(4)).unwrap(), 2);
    assert_eq!(s.trail_totals("b").unwrap().4, 1);
    let ok = TrailFile { events: 2, changes: 1, error: None, ..failed.clone() };
    assert_eq!(s.record_trail_file("b", &ok, at(5)).unwrap(), 3);
    assert_eq!(s.trail_files_read("b", &[key.clone()]).unwrap().len(), 1);
    assert_eq!(s.trail_totals("b").unwrap(), (3, 8, 3, 2, 0));
    assert_eq!(s.trail_checkpoint("b", "p/").unwrap().as_deref(), Some(key.as_str()), "moved up");
    // One that keeps failing is given up after MAX_TRAIL_ATTEMPTS tries.
    let other = TrailFile { key: "p/2026/12/07/g.json.gz".into(), ..failed };
    for n in 1..=MAX_TRAIL_ATTEMPTS {
        assert!(s.trail_files_read("b", &[other.key.clone()]).unwrap().is_empty());
        assert_eq!(s.record_trail_file("b", &other, at(5 + n as i64)).unwrap(), n);
    }
    assert_eq!(s.trail_files_read("b", &[other.key.clone()]).unwrap().len(), 1);
    assert!(s.record_trail_file("b", &other, at(20)).is_err());

    assert_eq!(s.forget_trail_files("b", "p/", "p/2026/12/07/b").unwrap(), 1, "a.json.gz");
    assert_eq!(s.forget_trail_files("b", "q/", "z").unwrap(), 0);
    assert_eq!(s.trail_totals("b").unwrap().0, 3);
    assert_eq!(s.trail_checkpoint("b", "p/").unwrap().as_deref(), Some("p/2026/12/07/g.json.gz"));
}

/// A change applied while a run that holds its finding is being recorded waits for the
/// run, and is decided on what the run left (not on what was there before it).
fn a_change_waits_for_a_run_being_recorded_and_builds_on_it(db: &Db) {
    let mut s = db.open();
    let mut scan = vec![finding("c1", "sg-a", A, Status::Passed, 0)];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut scan, &[]).unwrap();
    let id = scan[0].id.clone();
    let written = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        let written = &written;
        scope.spawn(move || {
            let mut recorder = db.open();
            let r2 = run("r2", 1, &[A], &[USE1]);
            let mut w = recorder.begin_run(&r2).unwrap();
            w.write(&[finding("c1", "sg-a", A, Status::Failed, 1)], &[]).unwrap();
            written.wait();
            std::thread::sleep(std::time::Duration::from_millis(700));
            w.finish(&r2).unwrap();
        });
        written.wait();
        let mut now = vec![finding("c1", "sg-a", A, Status::Passed, 2)];
        let applied = s
            .apply_change(ChangeUpdate {
                id: "ev-9",
                at: at(2),
                checks: &["c1".to_string()],
                resources: &[arn("sg-a")],
                findings: &mut now,
                deleted: &[],
            })
            .unwrap();
        assert_eq!(applied, ChangeApplied { updated: 1, resolved: 1, ..Default::default() }, "decided on the run's FAILED");
    });
    assert_eq!(state(&s, &id), (Status::Passed, WorkflowStatus::Resolved, RecordState::Active));
    let notes: Vec<String> = s.workflow_history(&id).unwrap().into_iter().map(|h| h.note).collect();
    assert_eq!(notes.last().map(String::as_str), Some("change:ev-9: compliance FAILED -> PASSED"), "{notes:?}");
}

conformance!(
    a_change_updates_only_its_pairs_creates_resolves_reopens_and_archives,
    a_change_waits_for_a_run_being_recorded_and_builds_on_it,
    a_log_file_is_read_once_moves_its_checkpoint_and_is_retried_until_read_or_given_up,
);
