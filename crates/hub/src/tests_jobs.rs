//! The job queue on an in-memory SQLite store: claims with leases, a dead worker's job taken
//! again, a lost lease cannot finish, the barrier waits for its batch, dead jobs after every
//! attempt, idempotent enqueuing. The same on both backends, and concurrent claimers on
//! their own connections, are in the conformance suite (`tests/conformance.rs`).

use crate::jobs::{NewJob, MAX_ATTEMPTS};
use crate::Store;
use serde_json::json;
use time::Duration;

fn now() -> rampart_model::Timestamp {
    time::macros::datetime!(2026-12-07 12:00 UTC)
}

fn job(key: &str, kind: &str) -> NewJob {
    NewJob { key: key.into(), kind: kind.into(), payload: json!({"k": key}), barrier: false }
}

const LEASE: Duration = Duration::seconds(60);

#[test]
fn a_job_is_claimed_once_and_its_output_kept_with_its_done_state() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.enqueue_jobs("b1", &[job("b1/a", "collect"), job("b1/b", "collect")], now()).unwrap(), 2);
    // Enqueuing again adds nothing.
    assert_eq!(s.enqueue_jobs("b1", &[job("b1/a", "collect")], now()).unwrap(), 0);
    let a = s.claim_job("w1", &["collect"], now(), LEASE).unwrap().unwrap();
    let b = s.claim_job("w2", &["collect"], now(), LEASE).unwrap().unwrap();
    assert_ne!(a.key, b.key);
    assert_eq!((a.attempts, a.payload.clone()), (1, json!({"k": a.key})));
    assert!(s.claim_job("w3", &["collect"], now(), LEASE).unwrap().is_none());
    // Other kinds are not claimed by a worker that does not do them.
    assert!(s.claim_job("w3", &["evaluate"], now(), LEASE).unwrap().is_none());
    assert!(s.finish_job(a.id, "w1", Some(b"A"), now()).unwrap());
    // Not twice, and not by another worker.
    assert!(!s.finish_job(a.id, "w1", Some(b"A2"), now()).unwrap());
    assert!(!s.finish_job(b.id, "w1", Some(b"X"), now()).unwrap());
    assert!(s.finish_job(b.id, "w2", Some(b"B"), now()).unwrap());
    assert_eq!(s.job_outputs("b1").unwrap(), vec![("b1/a".to_string(), b"A".to_vec()), ("b1/b".to_string(), b"B".to_vec())]);
    let p = s.batch_progress("b1").unwrap();
    assert!(p.finished() && p.done == 2, "{p:?}");
}

#[test]
fn a_dead_workers_job_is_taken_again_when_its_lease_runs_out_and_the_first_worker_cannot_finish_it() {
    let mut s = Store::open_in_memory().unwrap();
    s.enqueue_jobs("b", &[job("b/a", "collect")], now()).unwrap();
    let first = s.claim_job("w1", &["collect"], now(), LEASE).unwrap().unwrap();
    // Renewed in time: still w1's.
    assert!(s.renew_job(first.id, "w1", now() + Duration::seconds(50), LEASE).unwrap());
    assert!(s.claim_job("w2", &["collect"], now() + Duration::seconds(100), LEASE).unwrap().is_none());
    // w1 stops renewing: after its lease, w2 takes the job (second attempt).
    let later = now() + Duration::seconds(111);
    let second = s.claim_job("w2", &["collect"], later, LEASE).unwrap().unwrap();
    assert_eq!((second.id, second.attempts), (first.id, 2));
    // w1 wakes up: it can neither renew nor finish.
    assert!(!s.renew_job(first.id, "w1", later, LEASE).unwrap());
    assert!(!s.finish_job(first.id, "w1", Some(b"stale"), later).unwrap());
    assert!(s.finish_job(second.id, "w2", Some(b"fresh"), later).unwrap());
    assert_eq!(s.job_outputs("b").unwrap(), vec![("b/a".to_string(), b"fresh".to_vec())]);
}

#[test]
fn the_barrier_job_waits_for_every_other_job_of_its_batch() {
    let mut s = Store::open_in_memory().unwrap();
    let eval = NewJob { key: "b/evaluate".into(), kind: "evaluate".into(), payload: json!({}), barrier: true };
    s.enqueue_jobs("b", &[job("b/a", "collect"), eval.clone()], now()).unwrap();
    s.enqueue_jobs("other", &[job("other/a", "collect")], now()).unwrap();
    assert!(s.claim_job("w", &["evaluate"], now(), LEASE).unwrap().is_none());
    let a = s.claim_job("w", &["collect"], now(), LEASE).unwrap().unwrap();
    assert_eq!(a.key, "b/a");
    // Running is not finished.
    assert!(s.claim_job("w", &["evaluate"], now(), LEASE).unwrap().is_none());
    s.finish_job(a.id, "w", None, now()).unwrap();
    // Another batch's pending job does not hold this one back.
    let e = s.claim_job("w", &["evaluate", "collect"], now(), LEASE).unwrap().unwrap();
    assert_eq!(e.key, "b/evaluate");
}

#[test]
fn a_job_that_fails_every_attempt_is_dead_with_its_error_and_its_batch_still_finishes() {
    let mut s = Store::open_in_memory().unwrap();
    s.enqueue_jobs("b", &[job("b/a", "collect")], now()).unwrap();
    for i in 0..MAX_ATTEMPTS {
        let j = s.claim_job("w", &["collect"], now(), LEASE).unwrap().unwrap();
        assert_eq!(j.attempts, i + 1);
        assert!(s.fail_job(j.id, "w", &format!("AccessDenied {i}"), now()).unwrap());
    }
    assert!(s.claim_job("w", &["collect"], now(), LEASE).unwrap().is_none());
    let dead = s.dead_jobs("b").unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].attempts, dead[0].error.as_str()), (MAX_ATTEMPTS, "AccessDenied 4"));
    assert!(s.batch_progress("b").unwrap().finished());

    // A job whose workers all die is dead too, once its last lease runs out.
    s.enqueue_jobs("c", &[job("c/a", "collect")], now()).unwrap();
    let mut t = now();
    for _ in 0..MAX_ATTEMPTS {
        s.claim_job("w", &["collect"], t, LEASE).unwrap().unwrap();
        t += Duration::seconds(61);
    }
    assert!(s.claim_job("w", &["collect"], t, LEASE).unwrap().is_none());
    assert!(s.dead_jobs("c").unwrap()[0].error.contains("lease ran out"));
}
