//! Automation rules on both backends: managed, applied to the findings of a run (updating
//! them through the findings store's batch update, with their history), tried without
//! changing anything; and one estate with one set of rules gives the same findings and
//! history on SQLite and PostgreSQL.

use super::*;
use rampart_hub::{FindingChange, FindingRecord, RuleApplied, RuleSpec, MAX_RULES};
use serde_json::{json, Value};

fn rule(name: &str, order: u64, terminal: bool, criteria: Value, update: Value) -> RuleSpec {
    RuleSpec::from_json(&json!({
        "RuleName": name, "RuleOrder": order, "IsTerminal": terminal, "Criteria": criteria,
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update}]
    }))
    .unwrap()
}

fn prefix(p: &str) -> Value {
    json!({"ResourceId": [{"Value": format!("arn:aws:s3:::{p}"), "Comparison": "PREFIX"}]})
}

fn automation_rules_are_created_found_replaced_switched_and_deleted(db: &Db) {
    let mut s = db.open();
    assert!(s.automation_rules().unwrap().is_empty());
    let a = s.create_automation_rule(&rule("a", 5, false, prefix(""), json!({"Criticality": 10})), "admin", at(0)).unwrap();
    assert_eq!(
        (a.id.as_str(), a.name.as_str(), a.order, a.enabled, a.terminal, a.created_by.as_str()),
        ("rule/1", "a", 5, true, false, "admin")
    );
    assert_eq!((a.created_at, a.updated_at), (at(0), at(0)));
    assert_eq!(a.action, json!({"Criticality": 10}));
    assert_eq!(s.automation_rule("a").unwrap().id, "rule/1", "by name");
    assert_eq!(s.automation_rule("rule/1").unwrap().name, "a", "by id");
    let dup = s.create_automation_rule(&rule("a", 6, false, prefix(""), json!({"Criticality": 10})), "admin", at(0)).unwrap_err();
    assert!(dup.to_string().contains("exists"), "{dup}");
    let b = s.create_automation_rule(&rule("b", 1, true, prefix("x"), json!({"Confidence": 5})), "bob", at(1)).unwrap();
    assert_eq!(b.id, "rule/2", "a refused name uses up no id");
    let names: Vec<String> = s.automation_rules().unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["b", "a"], "in order, not by creation");

    let clash = s.replace_automation_rule("rule/1", &rule("b", 7, true, prefix("y"), json!({"Criticality": 20})), at(2)).unwrap_err();
    assert!(clash.to_string().contains("exists"), "{clash}");
    let changed = s.replace_automation_rule("rule/1", &rule("c", 7, true, prefix("y"), json!({"Criticality": 20})), at(2)).unwrap();
    assert_eq!((changed.id.as_str(), changed.name.as_str(), changed.order, changed.terminal), ("rule/1", "c", 7, true));
    assert_eq!((changed.created_at, changed.updated_at, changed.created_by.as_str()), (at(0), at(2), "admin"));
    let off = s.set_automation_rule_enabled("c", false, at(3)).unwrap();
    assert!(!off.enabled);
    assert_eq!(off.updated_at, at(3));
    assert!(!s.automation_rule("rule/1").unwrap().enabled);

    s.delete_automation_rule("c").unwrap();
    assert!(matches!(s.automation_rule("c"), Err(StoreError::UnknownRule(_))));
    assert!(matches!(s.delete_automation_rule("rule/1"), Err(StoreError::UnknownRule(_))));
    let d = s.create_automation_rule(&rule("d", 5, false, prefix(""), json!({"Criticality": 10})), "admin", at(4)).unwrap();
    assert_eq!(d.id, "rule/3", "ids are never reused");

    // At most MAX_RULES.
    for i in 2..MAX_RULES {
        s.create_automation_rule(&rule(&format!("r{i}"), 1, false, prefix(""), json!({"Confidence": 1})), "admin", at(4)).unwrap();
    }
    assert_eq!(s.automation_rules().unwrap().len(), MAX_RULES);
    let e = s.create_automation_rule(&rule("one more", 1, false, prefix(""), json!({"Confidence": 1})), "admin", at(4)).unwrap_err();
    assert!(e.to_string().contains("at most 100"), "{e}");
}

/// What a scenario leaves: what each rule matched, and each finding's record and history.
type Outcome = (Vec<RuleApplied>, Vec<String>, Vec<(FindingRecord, Vec<FindingChange>)>);

/// The estate (3 checks × 40 buckets × 2 accounts), rules over it, applied to the findings
/// of a run, a dry run, and a second application that changes nothing.
fn scenario(s: &mut Backend) -> Outcome {
    let fs = estate(s);
    let by = "admin";
    // Created out of order; one disabled; criteria over a multi-valued field too.
    s.create_automation_rule(
        &rule("notes", 20, false, json!({}), json!({"Note": {"Text": "seen by rule", "UpdatedBy": "automation"}})),
        by,
        at(1),
    )
    .unwrap();
    s.create_automation_rule(
        &rule(
            "A's even buckets are critical",
            10,
            true,
            json!({"AwsAccountId": [{"Value": A, "Comparison": "EQUALS"}], "ResourceId": [{"Value": "arn:aws:s3:::bucket-0", "Comparison": "PREFIX"}]}),
            json!({"Severity": {"Label": "CRITICAL"}, "Workflow": {"Status": "NOTIFIED"}}),
        ),
        by,
        at(1),
    )
    .unwrap();
    s.create_automation_rule(
        &rule(
            "S3.8 is low",
            30,
            false,
            json!({"ComplianceSecurityControlId": [{"Value": "S3.8", "Comparison": "EQUALS"}]}),
            json!({"Severity": {"Label": "LOW"}, "Confidence": 40, "UserDefinedFields": {"team": "storage"}}),
        ),
        by,
        at(1),
    )
    .unwrap();
    let mut off = rule("off", 1, false, json!({}), json!({"Criticality": 99}));
    off.enabled = false;
    s.create_automation_rule(&off, by, at(1)).unwrap();

    // A run updates the failed findings; the rules apply to them.
    let mut later: Vec<Finding> = fs.iter().filter(|f| f.status == Status::Failed).map(|f| finding_at(f, 2)).collect();
    s.record_run(&run("r1", 2, &[A, B], &[USE1]), &mut later, &[]).unwrap();
    let ids: Vec<String> = later.iter().map(|f| f.id.clone()).collect();
    let applied = s.apply_automation_rules(&ids, at(3)).unwrap();
    let dry = s.automation_dry_run(&rule("try", 1, false, prefix("bucket-1"), json!({"Confidence": 1})), at(4)).unwrap();
    // Applying again sets what is already set: no change, no history.
    let again = s.apply_automation_rules(&ids, at(5)).unwrap();
    assert_eq!(again.iter().map(|a| a.findings.len()).collect::<Vec<_>>(), applied.iter().map(|a| a.findings.len()).collect::<Vec<_>>());
    let mut all_ids: Vec<String> = fs.iter().map(|f| f.id.clone()).collect();
    all_ids.sort();
    let states = all_ids.iter().map(|id| (s.finding_record(id).unwrap(), s.finding_history(id).unwrap())).collect();
    (applied, dry, states)
}

fn finding_at(f: &Finding, hour: i64) -> Finding {
    let mut f = f.clone();
    f.first_observed = at(hour);
    f.last_observed = at(hour);
    f
}

fn automation_rules_apply_in_order_to_a_runs_findings_with_their_history(db: &Db) {
    let mut s = db.open();
    let (applied, dry, states) = scenario(&mut s);
    let summary: Vec<(&str, usize)> = applied.iter().map(|a| (a.name.as_str(), a.findings.len())).collect();
    // Failed: (b + i) % 3 != 0 for check i. A's even buckets with a prefix bucket-0: 0, 2, 4, 6, 8.
    let failed = |i: usize, buckets: &mut dyn Iterator<Item = usize>| buckets.filter(|b| (b + i) % 3 != 0).count();
    let critical: usize = (0..3).map(|i| failed(i, &mut [0usize, 2, 4, 6, 8].into_iter())).sum();
    let all_failed: usize = (0..3).map(|i| failed(i, &mut (0..40))).sum();
    let s38 = failed(2, &mut (0..40));
    let s38_critical = failed(2, &mut [0usize, 2, 4, 6, 8].into_iter());
    assert_eq!(
        summary,
        [("A's even buckets are critical", critical), ("notes", all_failed - critical), ("S3.8 is low", s38 - s38_critical)],
        "in order; the terminal rule keeps its findings from the later ones; the disabled rule does nothing"
    );
    assert!(applied.iter().all(|a| a.findings.windows(2).all(|w| w[0] < w[1])), "ids in order");
    assert_eq!(dry.len(), 10 * 3, "buckets 10-19 of the three checks, failed or not");

    let find = |resource: &str, check: &str| {
        let id = finding(check, resource, A, Status::Failed, 0).id;
        states.iter().find(|(r, _)| r.finding.id == id).unwrap_or_else(|| panic!("{id}")).clone()
    };
    let (crit, crit_history) = find("bucket-04", "S3.2");
    assert_eq!(crit.severity_override.map(|s| s.label()), Some("CRITICAL"));
    assert_eq!(crit.finding.workflow_status, WorkflowStatus::Notified);
    assert!(crit.note.is_none(), "a terminal rule stops the later ones");
    let by_rule: Vec<(&str, &str, Timestamp)> = crit_history
        .iter()
        .filter_map(|c| c.changed_by.as_deref().filter(|w| w.starts_with("rule:")).map(|w| (w, c.field.as_str(), c.changed_at)))
        .collect();
    assert_eq!(
        by_rule,
        [("rule:A's even buckets are critical", "WorkflowStatus", at(3)), ("rule:A's even buckets are critical", "SeverityLabel", at(3))],
        "each change once, named after its rule, at the first application"
    );
    assert!(crit_history
        .iter()
        .filter(|c| c.changed_by.as_deref().is_some_and(|w| w.starts_with("rule:")))
        .all(|c| c.reason.contains("order 10")));

    let (low, low_history) = find("bucket-11", "S3.8");
    assert_eq!(low.severity_override.map(|s| s.label()), Some("LOW"));
    assert_eq!(low.confidence, Some(40));
    assert_eq!(low.note.as_ref().map(|n| n.text.as_str()), Some("seen by rule"));
    assert_eq!(low.user_defined_fields.get("team").map(String::as_str), Some("storage"));
    let fields: Vec<&str> = low_history.iter().filter(|c| c.changed_by.is_some()).map(|c| c.field.as_str()).collect();
    for f in ["NoteText", "SeverityLabel", "Confidence", "UserDefinedFields.team"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert!(low.criticality.is_none(), "the disabled rule changed nothing");

    let (passed, passed_history) = find("bucket-00", "S3.1");
    assert!(passed.note.is_none() && passed.severity_override.is_none(), "not in the run's findings: untouched");
    assert!(passed_history.iter().all(|c| c.changed_by.is_none()));
}

/// One estate and one set of rules: the same findings and history on both backends.
#[test]
fn automation_rules_leave_the_same_findings_and_history_on_sqlite_and_postgres() {
    let (lite, pg) = (sqlite(), postgres());
    let a = scenario(&mut lite.open());
    let b = scenario(&mut pg.open());
    assert_eq!(a.0, b.0, "what each rule matched");
    assert_eq!(a.1, b.1, "the dry run");
    assert_eq!(a.2.len(), b.2.len());
    for (x, y) in a.2.iter().zip(&b.2) {
        assert_eq!(x, y, "{}", x.0.finding.id);
    }
}

conformance!(
    automation_rules_are_created_found_replaced_switched_and_deleted,
    automation_rules_apply_in_order_to_a_runs_findings_with_their_history,
);
