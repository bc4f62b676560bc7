//! Inspector's assessment targets, templates and runs on both backends: every public method
//! of the store (`assess.rs`, `assess_edit.rs`) and each invariant it keeps.

use super::*;
use rampart_hub::{AssessmentState, TargetSelector};
use std::collections::BTreeMap;
use AssessmentState::*;

fn selector(tag: (&str, &str), hosts: &[&str]) -> TargetSelector {
    TargetSelector { tags: BTreeMap::from([(tag.0.to_string(), tag.1.to_string())]), hosts: hosts.iter().map(|h| h.to_string()).collect() }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A target `web` and a template `nightly` of it.
fn with_template(s: &mut Backend) {
    s.create_target("web", &selector(("env", "prod"), &["web-*"]), at(0)).unwrap();
    s.create_template("nightly", "web", &strings(&["cve", "cis"]), 3600, at(0)).unwrap();
}

fn assessment_targets_and_templates_are_created_read_replaced_and_deleted(db: &Db) {
    let mut s = db.open();
    let web = s.create_target("web", &selector(("env", "prod"), &["web-*"]), at(0)).unwrap();
    assert_eq!((web.name.as_str(), web.created_at), ("web", at(0)));
    let db_target = s.create_target("db", &TargetSelector::default(), at(1)).unwrap();
    assert_eq!(s.targets().unwrap(), vec![db_target.clone(), web.clone()], "by name, read back as created");
    assert_eq!(s.target("web").unwrap(), web);
    assert!(matches!(s.target("nope").unwrap_err(), StoreError::UnknownTarget(n) if n == "nope"));
    assert!(matches!(
        s.create_target("web", &TargetSelector::default(), at(2)).unwrap_err(),
        StoreError::DuplicateTarget(n) if n == "web"
    ));
    assert_eq!(s.target("web").unwrap(), web, "a duplicate changes nothing");

    // Templates: rule packages checked and deduplicated, the target must exist, names unique.
    let nightly = s.create_template("nightly", "web", &strings(&["cve", "cis", "cve"]), 3600, at(2)).unwrap();
    assert_eq!(nightly.rule_packages, ["cve", "cis"]);
    assert!(matches!(s.create_template("t", "nope", &[], 60, at(2)).unwrap_err(), StoreError::UnknownTarget(n) if n == "nope"));
    assert!(matches!(
        s.create_template("t", "web", &strings(&["fuzz"]), 60, at(2)).unwrap_err(),
        StoreError::UnknownRulePackage(p) if p == "fuzz"
    ));
    assert!(matches!(
        s.create_template("nightly", "db", &[], 60, at(2)).unwrap_err(),
        StoreError::DuplicateTemplate(n) if n == "nightly"
    ));
    let weekly = s.create_template("weekly", "db", &strings(&["runtime"]), u64::MAX, at(3)).unwrap();
    assert_eq!(weekly.duration_seconds, u64::MAX);
    assert_eq!(s.templates().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["nightly", "weekly"]);
    let stored = s.template("nightly").unwrap();
    assert_eq!(stored, nightly);
    assert_eq!(s.template("weekly").unwrap().duration_seconds, i64::MAX as u64, "kept as the largest stored duration");
    assert!(matches!(s.template("monthly").unwrap_err(), StoreError::UnknownTemplate(n) if n == "monthly"));

    // Replacing keeps created_at; a replacement names what exists.
    let wider = selector(("env", "stage"), &[]);
    let replaced = s.replace_target("web", &wider).unwrap();
    assert_eq!((replaced.selector, replaced.created_at), (wider, at(0)));
    assert!(matches!(s.replace_target("nope", &TargetSelector::default()).unwrap_err(), StoreError::UnknownTarget(_)));
    let moved = s.replace_template("nightly", "db", &strings(&["best-practices", "best-practices"]), 60).unwrap();
    assert_eq!(
        (moved.target.as_str(), moved.rule_packages.clone(), moved.duration_seconds, moved.created_at),
        ("db", strings(&["best-practices"]), 60, at(2))
    );
    assert!(matches!(s.replace_template("monthly", "db", &[], 60).unwrap_err(), StoreError::UnknownTemplate(_)));
    assert!(matches!(s.replace_template("nightly", "nope", &[], 60).unwrap_err(), StoreError::UnknownTarget(_)));
    assert!(matches!(s.replace_template("nightly", "db", &strings(&["fuzz"]), 60).unwrap_err(), StoreError::UnknownRulePackage(_)));
    assert_eq!(s.template("nightly").unwrap(), moved, "a refused replacement changes nothing");

    // A target in use cannot be deleted; the error names every template that uses it.
    match s.delete_target("db").unwrap_err() {
        StoreError::TargetInUse { name, templates } => assert_eq!((name.as_str(), templates), ("db", strings(&["nightly", "weekly"]))),
        e => panic!("{e}"),
    }
    assert!(s.target("db").is_ok(), "kept");
    s.delete_target("web").unwrap();
    assert!(matches!(s.delete_target("web").unwrap_err(), StoreError::UnknownTarget(_)));
    // A template that ran cannot be deleted (its runs name it); one that never ran can.
    let r = s.start_run("weekly", at(4)).unwrap();
    assert!(matches!(s.delete_template("weekly").unwrap_err(), StoreError::TemplateHasRuns { name, runs: 1 } if name == "weekly"));
    s.delete_template("nightly").unwrap();
    assert!(matches!(s.delete_template("nightly").unwrap_err(), StoreError::UnknownTemplate(_)));
    assert!(matches!(s.delete_target("db").unwrap_err(), StoreError::TargetInUse { templates, .. } if templates == ["weekly"]));
    assert_eq!(s.assessment_run(r.id).unwrap().template, "weekly");
    // What was written is what another connection reads.
    drop(s);
    let s = db.open();
    assert_eq!(s.targets().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["db"]);
    assert_eq!(s.templates().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["weekly"]);
}

fn an_assessment_run_moves_only_forward_and_fails_only_with_a_reason(db: &Db) {
    let mut s = db.open();
    with_template(&mut s);
    assert!(matches!(s.start_run("weekly", at(1)).unwrap_err(), StoreError::UnknownTemplate(n) if n == "weekly"));
    let r = s.start_run("nightly", at(1)).unwrap();
    assert_eq!((r.template.as_str(), r.state, r.created_at, r.collecting_at, r.hosts.len()), ("nightly", Created, at(1), None, 0));
    for refused in [Created, EvaluatingRules, Completed] {
        let e = s.advance(r.id, refused, None, at(2)).unwrap_err();
        assert!(matches!(e, StoreError::InvalidTransition { from: "CREATED", .. }), "{e}");
    }
    s.advance(r.id, CollectingData, None, at(2)).unwrap();
    assert!(matches!(
        s.advance(r.id, CollectingData, None, at(3)).unwrap_err(),
        StoreError::InvalidTransition { from: "COLLECTING_DATA", to: "COLLECTING_DATA", .. }
    ));
    s.advance(r.id, EvaluatingRules, Some("ignored for this state"), at(3)).unwrap();
    let done = s.advance(r.id, Completed, None, at(4)).unwrap();
    assert_eq!(
        (done.state, done.created_at, done.collecting_at, done.evaluating_at, done.completed_at, done.failed_at, done.failure.clone()),
        (Completed, at(1), Some(at(2)), Some(at(3)), Some(at(4)), None, None)
    );
    assert_eq!(s.assessment_run(r.id).unwrap(), done);
    for to in AssessmentState::ALL {
        assert!(matches!(s.advance(r.id, to, Some("late"), at(5)).unwrap_err(), StoreError::InvalidTransition { from: "COMPLETED", .. }));
    }

    // FAILED needs a reason, from any state that is not final, and stays final.
    let f = s.start_run("nightly", at(6)).unwrap().id;
    assert!(matches!(s.advance(f, Failed, None, at(6)).unwrap_err(), StoreError::FailureWithoutReason(id) if id == f));
    assert!(matches!(s.advance(f, Failed, Some("  "), at(6)).unwrap_err(), StoreError::FailureWithoutReason(_)));
    assert_eq!(s.assessment_run(f).unwrap().state, Created, "a refused failure changes nothing");
    s.advance(f, CollectingData, None, at(7)).unwrap();
    let failed = s.advance(f, Failed, Some(" no telemetry "), at(8)).unwrap();
    assert_eq!(
        (failed.state, failed.collecting_at, failed.failed_at, failed.failure.as_deref()),
        (Failed, Some(at(7)), Some(at(8)), Some("no telemetry"))
    );
    for to in AssessmentState::ALL {
        assert!(matches!(s.advance(f, to, Some("again"), at(9)).unwrap_err(), StoreError::InvalidTransition { from: "FAILED", .. }));
    }
    assert_eq!(s.assessment_run(f).unwrap().failure.as_deref(), Some("no telemetry"), "the first reason is kept");
    let from_created = s.start_run("nightly", at(10)).unwrap().id;
    assert_eq!(s.advance(from_created, Failed, Some("x"), at(10)).unwrap().state, Failed);
    let from_evaluating = s.start_run("nightly", at(11)).unwrap().id;
    s.advance(from_evaluating, CollectingData, None, at(11)).unwrap();
    s.advance(from_evaluating, EvaluatingRules, None, at(11)).unwrap();
    assert_eq!(s.advance(from_evaluating, Failed, Some("x"), at(12)).unwrap().state, Failed);

    assert!(matches!(s.advance(9_999, CollectingData, None, at(0)).unwrap_err(), StoreError::UnknownAssessmentRun(9_999)));
    assert!(matches!(s.assessment_run(9_999).unwrap_err(), StoreError::UnknownAssessmentRun(9_999)));
    let ids: Vec<i64> = s.assessment_runs().unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [from_evaluating, from_created, f, r.id], "newest first");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "ids grow: {ids:?}");
}

fn an_assessment_run_keeps_its_findings_run_and_hosts(db: &Db) {
    let mut s = db.open();
    with_template(&mut s);
    let mut ids = Vec::new();
    for (i, findings_run) in ["run-a", "run-b"].into_iter().enumerate() {
        let hour = i as i64 * 10;
        s.record_run(&run(findings_run, hour, &[], &[]), &mut [], &[]).unwrap();
        let r = s.start_run("nightly", at(hour)).unwrap().id;
        s.advance(r, CollectingData, None, at(hour + 1)).unwrap();
        s.advance(r, EvaluatingRules, None, at(hour + 2)).unwrap();
        assert!(matches!(s.attach_findings_run(r, "run-nope", &[]).unwrap_err(), StoreError::UnknownRun(n) if n == "run-nope"));
        let attached = s.attach_findings_run(r, findings_run, &strings(&["web-1", "web-2"])).unwrap();
        assert_eq!((attached.findings_run_id.as_deref(), attached.state), (Some(findings_run), EvaluatingRules));
        s.advance(r, Completed, None, at(hour + 3)).unwrap();
        ids.push(r);
    }
    assert!(matches!(s.attach_findings_run(9_999, "run-a", &[]).unwrap_err(), StoreError::UnknownAssessmentRun(9_999)));
    let runs = s.assessment_runs().unwrap();
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[1], ids[0]]);
    assert!(runs.iter().all(|r| r.state == Completed && r.hosts == ["web-1", "web-2"]));
    assert_eq!(runs[0].findings_run_id.as_deref(), Some("run-b"));
    assert_eq!(runs[1].findings_run_id.as_deref(), Some("run-a"));
    assert_eq!(runs[1].completed_at, Some(at(3)));
}

/// Two connections moving one run from the same state at the same moment: one moves it, the
/// other is refused as a move from the state the first left (round after round, so the
/// two really meet).
fn two_writers_cannot_both_move_one_run_from_the_same_state(db: &Db) {
    let mut s = db.open();
    with_template(&mut s);
    let runs: Vec<i64> = (0..20).map(|i| s.start_run("nightly", at(i)).unwrap().id).collect();
    drop(s);
    let start = std::sync::Barrier::new(2);
    let outcomes: Vec<Vec<Result<(), String>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|w| {
                let (start, runs) = (&start, &runs);
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    let mut out = Vec::new();
                    for &r in runs {
                        start.wait();
                        out.push(match s.advance(r, CollectingData, None, at(100 + w)) {
                            Ok(run) => {
                                assert_eq!(run.collecting_at, Some(at(100 + w)), "the move returned is this writer's");
                                Ok(())
                            }
                            Err(StoreError::InvalidTransition { from, .. }) => Err(from.to_string()),
                            Err(e) => panic!("writer {w}, run {r}: {e}"),
                        });
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, r) in runs.iter().enumerate() {
        let (a, b) = (&outcomes[0][i], &outcomes[1][i]);
        assert!(a.is_ok() != b.is_ok(), "run {r}: exactly one writer moves it: {a:?} {b:?}");
        let refused = if a.is_err() { a } else { b };
        assert_eq!(refused.as_ref().unwrap_err(), "COLLECTING_DATA", "run {r}: judged from where the other left it");
    }
}

conformance!(
    assessment_targets_and_templates_are_created_read_replaced_and_deleted,
    an_assessment_run_moves_only_forward_and_fails_only_with_a_reason,
    an_assessment_run_keeps_its_findings_run_and_hosts,
    two_writers_cannot_both_move_one_run_from_the_same_state,
);
