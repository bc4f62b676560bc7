//! Automation rules: order, terminal rules, disabled rules, the history they leave, the
//! dry run, and what a rule may be made of.

use crate::{RuleSpec, Store, StoreError};
use crate::tests_triage::{now, run};
use rampart_model::{Finding, Status};
use serde_json::{json, Value};

/// A store with failing findings on buckets prod-a, prod-b and dev-c; their ids.
fn store() -> (Store, Vec<String>) {
    let mut store = Store::open_in_memory().unwrap();
    let mut fs: Vec<Finding> =
        ["prod-a", "prod-b", "dev-c"].iter().map(|r| crate::tests::finding("c", r, "111111111111", "us-east-1", Status::Failed, 0)).collect();
    store.record_run(&run("r1"), &mut fs, &[]).unwrap();
    let ids = fs.iter().map(|f| f.id.clone()).collect();
    (store, ids)
}

fn rule(name: &str, order: u64, terminal: bool, prefix: &str, update: Value) -> RuleSpec {
    RuleSpec::from_json(&json!({
        "RuleName": name, "RuleOrder": order, "IsTerminal": terminal,
        "Criteria": {"ResourceId": [{"Value": format!("arn:aws:s3:::{prefix}"), "Comparison": "PREFIX"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update}]
    }))
    .unwrap()
}

fn record(store: &Store, id: &str) -> crate::FindingRecord {
    store.finding_record(id).unwrap()
}

#[test]
fn rules_apply_in_order_and_a_terminal_rule_stops_the_later_ones() {
    let (mut store, ids) = store();
    // Created out of order: order decides, not creation.
    store.create_automation_rule(&rule("notes on everything", 20, false, "", json!({"Note": {"Text": "seen by rule", "UpdatedBy": "automation"}})), "admin", now()).unwrap();
    store.create_automation_rule(&rule("prod is critical", 10, true, "prod-", json!({"Severity": {"Label": "CRITICAL"}})), "admin", now()).unwrap();
    store.create_automation_rule(&rule("dev is low", 30, false, "dev-", json!({"Severity": {"Label": "LOW"}, "Workflow": {"Status": "NOTIFIED"}})), "admin", now()).unwrap();
    let names: Vec<String> = store.automation_rules().unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["prod is critical", "notes on everything", "dev is low"]);

    let applied = store.apply_automation_rules(&ids, now()).unwrap();
    let summary: Vec<(&str, usize)> = applied.iter().map(|a| (a.name.as_str(), a.findings.len())).collect();
    // The terminal prod rule keeps prod findings from the note rule.
    assert_eq!(summary, [("prod is critical", 2), ("notes on everything", 1), ("dev is low", 1)]);
    let (prod, dev) = (record(&store, &ids[0]), record(&store, &ids[2]));
    assert_eq!(prod.severity_override.map(|s| s.label()), Some("CRITICAL"));
    assert!(prod.note.is_none(), "a terminal rule stops later rules for its findings");
    assert_eq!(dev.severity_override.map(|s| s.label()), Some("LOW"));
    assert_eq!(dev.note.as_ref().map(|n| n.text.as_str()), Some("seen by rule"));
    assert_eq!(dev.finding.workflow_status.as_str(), "NOTIFIED");

    // Every change names the rule that made it.
    let history = store.finding_history(&ids[2]).unwrap();
    let by_rule: Vec<(&str, &str)> =
        history.iter().filter(|c| c.changed_by.as_deref().is_some_and(|w| w.starts_with("rule:"))).map(|c| (c.changed_by.as_deref().unwrap(), c.field.as_str())).collect();
    assert!(by_rule.contains(&("rule:notes on everything", "NoteText")), "{by_rule:?}");
    assert!(by_rule.contains(&("rule:dev is low", "SeverityLabel")), "{by_rule:?}");
    assert!(by_rule.contains(&("rule:dev is low", "WorkflowStatus")), "{by_rule:?}");
    assert!(history.iter().all(|c| !c.reason.is_empty()));
}

#[test]
fn rules_touch_only_the_findings_given_and_disabled_rules_nothing() {
    let (mut store, ids) = store();
    let mut off = rule("off", 1, false, "", json!({"Confidence": 5}));
    off.enabled = false;
    store.create_automation_rule(&off, "admin", now()).unwrap();
    store.create_automation_rule(&rule("conf", 2, false, "", json!({"Confidence": 80})), "admin", now()).unwrap();
    let applied = store.apply_automation_rules(&ids[..1], now()).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(applied[0].findings, [ids[0].clone()]);
    assert_eq!(record(&store, &ids[0]).confidence, Some(80));
    assert_eq!(record(&store, &ids[1]).confidence, None, "not created or updated by this run: untouched");
    // Applying again changes nothing and records nothing new.
    let before = store.finding_history(&ids[0]).unwrap().len();
    store.apply_automation_rules(&ids[..1], now()).unwrap();
    assert_eq!(store.finding_history(&ids[0]).unwrap().len(), before);
}

#[test]
fn a_dry_run_lists_what_a_rule_would_change_and_changes_nothing() {
    let (store, ids) = store();
    let spec = rule("prod", 1, false, "prod-", json!({"Workflow": {"Status": "SUPPRESSED"}}));
    let mut would = store.automation_dry_run(&spec, now()).unwrap();
    would.sort();
    let mut want = vec![ids[0].clone(), ids[1].clone()];
    want.sort();
    assert_eq!(would, want);
    assert_eq!(record(&store, &ids[0]).finding.workflow_status.as_str(), "NEW");
}

#[test]
fn rules_are_changed_deleted_and_found_by_id_or_name() {
    let (mut store, _) = store();
    let r = store.create_automation_rule(&rule("a", 5, false, "", json!({"Criticality": 10})), "admin", now()).unwrap();
    assert_eq!(r.id, "rule/1");
    assert_eq!(store.automation_rule("a").unwrap().id, "rule/1");
    let dup = store.create_automation_rule(&rule("a", 6, false, "", json!({"Criticality": 10})), "admin", now()).unwrap_err();
    assert!(dup.to_string().contains("exists"), "{dup}");
    let changed = store.replace_automation_rule("rule/1", &rule("b", 7, true, "x", json!({"Criticality": 20})), now()).unwrap();
    assert_eq!((changed.id.as_str(), changed.name.as_str(), changed.order, changed.terminal), ("rule/1", "b", 7, true));
    store.delete_automation_rule("b").unwrap();
    assert!(matches!(store.automation_rule("b"), Err(StoreError::UnknownRule(_))));
    let r2 = store.create_automation_rule(&rule("c", 5, false, "", json!({"Criticality": 10})), "admin", now()).unwrap();
    assert_eq!(r2.id, "rule/2", "ids are never reused");
}

#[test]
fn a_rule_must_be_whole_and_known() {
    let base = json!({"RuleName": "r", "RuleOrder": 1, "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Confidence": 1}}]});
    assert!(RuleSpec::from_json(&base).is_ok());
    let with = |k: &str, v: Value| {
        let mut o = base.clone();
        o[k] = v;
        RuleSpec::from_json(&o).map(|_| ()).unwrap_err().to_string()
    };
    assert!(with("RuleOrder", json!(0)).contains("1 to 1000"));
    assert!(with("RuleOrder", json!(1001)).contains("1 to 1000"));
    assert!(with("RuleStatus", json!("ON")).contains("ENABLED or DISABLED"));
    assert!(with("Colour", json!("red")).contains("unknown member `Colour`"));
    assert!(with("Actions", json!([])).contains("exactly one"));
    assert!(with("Actions", json!([{"Type": "SEND_EMAIL", "FindingFieldsUpdate": {}}])).contains("FINDING_FIELDS_UPDATE"));
    assert!(with("Actions", json!([{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Confidence": 101}}])).contains("0 to 100"));
    assert!(with("Criteria", json!({"NoSuchField": []})).contains("NoSuchField"));
    assert!(with("RuleName", json!("  ")).contains("RuleName"));
}

#[test]
fn at_most_a_hundred_rules() {
    let (mut store, _) = store();
    for i in 0..crate::MAX_RULES {
        store.create_automation_rule(&rule(&format!("r{i}"), 1, false, "", json!({"Confidence": 1})), "admin", now()).unwrap();
    }
    let e = store.create_automation_rule(&rule("one more", 1, false, "", json!({"Confidence": 1})), "admin", now()).unwrap_err();
    assert!(e.to_string().contains("at most 100"), "{e}");
}
