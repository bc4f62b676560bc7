//! Schedules and retention (`schedules.rs`) on both backends: one schedule per scope, the
//! claim of a run (one statement: two connections racing for a scope never both win), a
//! trail's last poll, and pruning old runs, results and events.

use super::*;
use rampart_hub::{PollStatus, ScheduleScope, ScheduleSettings};

fn schedules_are_one_per_scope_edited_claimed_renewed_finished_and_deleted(db: &Db) {
    let mut s = db.open();
    let t0 = at(0);
    let lease = time::Duration::minutes(2);
    let account = ScheduleScope::Account { account: A.into() };
    let a = s.create_schedule(&account, 43_200, false, t0).unwrap();
    assert_eq!((a.scope.clone(), a.interval_secs, a.paused, a.created_at, a.updated_at), (account.clone(), 43_200, false, t0, t0));
    let e = s.create_schedule(&account, 3600, false, t0).unwrap_err();
    assert!(e.to_string().contains("has a schedule already"), "{e}");
    let org = s.create_schedule(&ScheduleScope::Org, 3600, true, t0).unwrap();
    assert!(org.id != a.id);
    assert_eq!(s.schedules().unwrap().iter().map(|x| x.scope.key()).collect::<Vec<_>>(), [format!("account/{A}"), "org".to_string()]);

    let b = s.update_schedule(a.id, 3600, true, at(1)).unwrap().unwrap();
    assert_eq!((b.interval_secs, b.paused, b.updated_at), (3600, true, at(1)));
    assert_eq!(s.update_schedule(a.id + 999, 3600, true, t0).unwrap(), None);
    let role = ScheduleSettings { member_role: Some("RampartAudit".into()), external_id: Some("ext-1".into()) };
    assert_eq!(s.set_schedule_settings(org.id, &role, t0).unwrap().unwrap().settings, role);
    assert_eq!(s.set_schedule_settings(org.id + 999, &role, t0).unwrap(), None);
    assert_eq!(s.set_schedule_settings(org.id, &ScheduleSettings::default(), t0).unwrap().unwrap().settings, ScheduleSettings::default());

    // Run now: kept until a claim clears it.
    assert!(s.request_schedule_run(org.id, t0).unwrap());
    assert!(s.request_schedule_run(org.id, at(1)).unwrap());
    assert!(!s.request_schedule_run(org.id + 999, t0).unwrap());
    assert_eq!(s.schedule(org.id).unwrap().unwrap().run_requested_at, Some(t0), "the first request is kept");

    // The claim: exclusive until finished or expired.
    assert!(s.claim_schedule(org.id, "a", t0, t0 + lease, None).unwrap());
    let row = s.schedule(org.id).unwrap().unwrap();
    assert_eq!(row.run_requested_at, None);
    assert_eq!(row.claim.as_ref().map(|c| (c.by.as_str(), c.at, c.lease_until)), Some(("a", t0, t0 + lease)));
    assert!(row.running_at(t0 + lease).is_some() && row.running_at(t0 + lease * 2).is_none());
    assert!(!s.claim_schedule(org.id, "b", t0 + lease, t0 + lease * 2, None).unwrap(), "held at its last instant");
    assert_eq!(s.renew_schedule_claims(&[org.id, a.id], "a", t0 + lease * 3).unwrap(), 1);
    assert_eq!(s.renew_schedule_claims(&[org.id], "b", t0 + lease * 9).unwrap(), 0);
    assert!(!s.claim_schedule(org.id, "b", t0 + lease * 2, t0 + lease * 4, None).unwrap(), "renewed");
    let end = t0 + time::Duration::minutes(5);
    assert!(s.finish_schedule_run(org.id, "a", end, None, Some("run-1")).unwrap());
    let row = s.schedule(org.id).unwrap().unwrap();
    assert_eq!(
        (row.last_started_at, row.last_finished_at, row.last_run_id.as_deref(), row.last_error, row.claim),
        (Some(t0), Some(end), Some("run-1"), None, None)
    );
    assert!(!s.claim_schedule(org.id, "b", end, end + lease, None).unwrap(), "decided on a stale read");
    assert!(s.claim_schedule(org.id, "b", end, end + lease, Some(t0)).unwrap());
    // b dies; after its lease a takes over; b's late finish records nothing.
    assert!(s.claim_schedule(org.id, "a", end + lease * 2, end + lease * 3, Some(t0)).unwrap());
    assert!(!s.finish_schedule_run(org.id, "b", end + lease * 2, Some("late"), None).unwrap());
    assert!(s.finish_schedule_run(org.id, "a", end + lease * 2, Some("AccessDenied"), None).unwrap());
    assert_eq!(s.schedule(org.id).unwrap().unwrap().last_error.as_deref(), Some("AccessDenied"));

    // A trail's last poll is kept; a poll that failed as a whole keeps the last one's.
    let trail = ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: Some("org/main".into()) };
    let id = s.create_schedule(&trail, 300, false, t0).unwrap().id;
    assert_eq!(s.schedule(id).unwrap().unwrap().scope, trail);
    let poll =
        PollStatus { files: 3, malformed: 2, errors: 1, error_messages: vec!["throttled".into()], updated: 4, ..PollStatus::default() };
    assert!(s.claim_schedule(id, "a", t0, t0 + lease, None).unwrap());
    assert!(s.finish_schedule_poll(id, "a", t0, None, None, Some(&poll)).unwrap());
    assert_eq!(s.schedule(id).unwrap().unwrap().last_poll.as_ref(), Some(&poll));
    assert!(s.claim_schedule(id, "a", at(1), at(1) + lease, Some(t0)).unwrap());
    assert!(s.finish_schedule_poll(id, "a", at(1), Some("AccessDenied"), None, None).unwrap());
    let row = s.schedule(id).unwrap().unwrap();
    assert_eq!((row.last_poll.as_ref(), row.last_error.as_deref()), (Some(&poll), Some("AccessDenied")));

    assert!(s.delete_schedule(a.id).unwrap());
    assert!(!s.delete_schedule(a.id).unwrap());
    assert_eq!(s.schedule(a.id).unwrap(), None);
    assert_eq!(s.schedules().unwrap().len(), 2);
}

/// Two servers (two connections) claim the same due scope at the same instant, 40 times:
/// exactly one wins each time.
fn two_connections_racing_for_a_scope_never_both_claim_it(db: &Db) {
    let mut s = db.open();
    let id = s.create_schedule(&ScheduleScope::Org, 3600, false, at(0)).unwrap().id;
    let lease = time::Duration::minutes(2);
    let mut last_started = None;
    for round in 0..40 {
        let now = at(round);
        let barrier = std::sync::Barrier::new(2);
        let wins: Vec<bool> = std::thread::scope(|scope| {
            let claimers: Vec<_> = ["server-a", "server-b"]
                .into_iter()
                .map(|by| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        let mut mine = db.open();
                        barrier.wait();
                        mine.claim_schedule(id, by, now, now + lease, last_started).unwrap()
                    })
                })
                .collect();
            claimers.into_iter().map(|c| c.join().unwrap()).collect()
        });
        assert_eq!(wins.iter().filter(|w| **w).count(), 1, "round {round}: {wins:?}");
        let winner = if wins[0] { "server-a" } else { "server-b" };
        assert_eq!(s.schedule(id).unwrap().unwrap().claim.map(|c| c.by).as_deref(), Some(winner));
        assert!(s.finish_schedule_run(id, winner, now + time::Duration::minutes(1), None, None).unwrap());
        last_started = Some(now);
    }
}

/// Retention: old results (but each finding's latest), old runs (but the latest and any
/// holding a finding's latest result, with their inventory), old delivered events.
fn old_runs_and_results_are_pruned_but_each_findings_latest_stays(db: &Db) {
    let mut s = db.open();
    let mut r1 = vec![finding("S3.1", "a", A, Status::Failed, 0), finding("S3.2", "b", A, Status::Failed, 0)];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut r1, &[]).unwrap();
    s.record_inventory("r1", at(0), b"{}", &[]).unwrap();
    let mut r2 = vec![finding("S3.1", "a", A, Status::Passed, 5)];
    s.record_run(&run("r2", 5, &[A], &[USE1]), &mut r2, &[]).unwrap();
    let mut r3 = vec![finding("S3.1", "a", A, Status::Passed, 9)];
    s.record_run(&run("r3", 9, &[A], &[USE1]), &mut r3, &[]).unwrap();
    // r1 holds S3.2/b's only (latest) result: it stays with it; r2's is not a latest one.
    assert_eq!(s.prune_results(at(8)).unwrap(), 2, "r1's and r2's results of S3.1/a");
    assert_eq!(s.run_results("r1").unwrap().len(), 1);
    assert_eq!(s.prune_runs(at(8)).unwrap(), 1, "r2 alone");
    assert_eq!(s.runs().unwrap().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r3", "r1"]);
    assert_eq!(s.prune_runs(at(100)).unwrap(), 0, "the latest run and r1 stay");
    assert!(s.inventory_json("r1").unwrap().is_some());
    assert_eq!(get(&s, &r1[0].id).first_observed, at(0), "findings keep their first sight");
    assert_eq!(s.prune_events(at(100)).unwrap(), 0, "no event");
}

conformance!(
    schedules_are_one_per_scope_edited_claimed_renewed_finished_and_deleted,
    two_connections_racing_for_a_scope_never_both_claim_it,
    old_runs_and_results_are_pruned_but_each_findings_latest_stays,
);
