//! A scan recorded on PostgreSQL applies the automation rules and publishes its events as
//! on SQLite (`rampart_app::db::record`, what `rampart scan/demo --db` do), and the
//! outbox's deliveries go out from there (`rampart_app::events::deliver_due`).
//!
//! Needs `RAMPART_TEST_POSTGRES` (a superuser's `postgres://` URL; scripts/test starts the
//! server); without it the test fails, naming how to get one.

use rampart_app::events::{DeliveryPass, Sender};
use rampart_hub::{EventTarget, FindingChange, FindingRecord, PgMode, RuleApplied, RuleSpec};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Mutex;

/// A database of its own on the test server, dropped after the test.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn new(tag: &str) -> Database {
        let admin = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!("RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL (apt-get install postgresql) and starts it")
        });
        let name = format!("rampart_app_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("the test PostgreSQL runs (scripts/test starts it)");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        let (prefix, _) = admin.split('?').next().unwrap().rsplit_once('/').unwrap();
        let url = format!("{prefix}/{name}");
        Database { admin, name, url }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

/// A target that takes every event and remembers its idempotency keys.
struct Receiver(Mutex<Vec<String>>);

impl Sender for Receiver {
    fn send(&self, _: &EventTarget, _: &Value, key: &str) -> Result<(), String> {
        self.0.lock().unwrap().push(key.to_string());
        Ok(())
    }
}

/// What recording the demo left: the rules' work, every finding with its history, the
/// events (their id aside, which is new each time) and the deliveries sent.
struct Outcome {
    applied: Vec<RuleApplied>,
    findings: Vec<(FindingRecord, Vec<FindingChange>)>,
    events: Vec<Value>,
    first_pass: DeliveryPass,
    second_pass: DeliveryPass,
    warnings: Vec<String>,
}

fn record_demo(spec: &Path) -> Outcome {
    let mut store = rampart_app::db::open(spec, PgMode::Create).unwrap();
    let rule = |name: &str, order: u64, terminal: bool, criteria: Value, update: Value| {
        RuleSpec::from_json(&json!({
            "RuleName": name, "RuleOrder": order, "IsTerminal": terminal, "Criteria": criteria,
            "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update}]
        }))
        .unwrap()
    };
    let failed = json!({"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]});
    rampart_app::automation::create(
        &mut store,
        &rule("failed are notified", 10, true, failed, json!({"Workflow": {"Status": "NOTIFIED"}, "Severity": {"Label": "HIGH"}})),
        "admin",
    )
    .unwrap();
    rampart_app::automation::create(
        &mut store,
        &rule("the rest noted", 20, false, json!({}), json!({"Note": {"Text": "seen", "UpdatedBy": "rule"}})),
        "admin",
    )
    .unwrap();
    rampart_app::events::create_webhook(&mut store, "hook", "webhook", "http://127.0.0.1:9/hook", None).unwrap();
    rampart_app::events::create_rule(&mut store, "imported", &json!({"detail-type": ["Security Hub Findings - Imported"]}), "hook")
        .unwrap();

    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at);
    scan.run.id = "run-demo".into();
    // The run's end (the time of the rules' changes and of its events), the same for both.
    scan.run.finished_at = inv.collected_at + time::Duration::minutes(1);
    let said = rampart_app::Collected::default();
    let applied = rampart_app::db::record(&mut scan, &mut store, &said).unwrap();
    let mut ids: Vec<String> = scan.findings.iter().map(|f| f.id.clone()).collect();
    ids.sort();
    let findings = ids.iter().map(|id| (store.finding_record(id).unwrap(), store.finding_history(id).unwrap())).collect();
    let far = rampart_app::now() + time::Duration::days(1);
    let mut events: Vec<Value> = store
        .due_deliveries(far, 100_000)
        .unwrap()
        .into_iter()
        .map(|d| {
            let mut body = d.body;
            body.as_object_mut().unwrap().remove("id");
            body
        })
        .collect();
    events.sort_by_key(|e| e["resources"].to_string());
    let rx = Receiver(Mutex::new(Vec::new()));
    let first_pass = rampart_app::events::deliver_due(&mut store, &rx, far, 100_000).unwrap();
    let second_pass = rampart_app::events::deliver_due(&mut store, &rx, far, 100_000).unwrap();
    let keys = rx.0.into_inner().unwrap();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "each event sent once");
    Outcome { applied, findings, events, first_pass, second_pass, warnings: said.warnings() }
}

#[test]
fn a_scan_recorded_on_postgres_applies_automation_rules_and_publishes_events_as_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let pg = Database::new("automation");
    let a = record_demo(&dir.path().join("r.db"));
    let b = record_demo(Path::new(&pg.url));
    assert!(b.warnings.is_empty(), "everything recorded on PostgreSQL: {:?}", b.warnings);

    let n = a.findings.len();
    let failed = a.findings.iter().filter(|(r, _)| r.finding.status == rampart_model::Status::Failed).count();
    assert!(failed > 0 && failed < n, "the demo has failed and other findings");
    assert_eq!(
        a.applied.iter().map(|r| (r.name.as_str(), r.findings.len())).collect::<Vec<_>>(),
        [("failed are notified", failed), ("the rest noted", n - failed)]
    );
    assert_eq!(a.applied, b.applied, "the rules matched the same findings");
    for ((x, hx), (y, hy)) in a.findings.iter().zip(&b.findings) {
        // `updated_at` is when the row was written (the clock's), not the run's time.
        let (mut x, mut y) = (x.clone(), y.clone());
        (x.updated_at, y.updated_at) = (rampart_model::Timestamp::UNIX_EPOCH, rampart_model::Timestamp::UNIX_EPOCH);
        assert_eq!(x, y, "{}", x.finding.id);
        assert_eq!(hx, hy, "{}'s history", x.finding.id);
    }
    assert!(b.findings.iter().filter(|(r, _)| r.finding.status == rampart_model::Status::Failed).all(|(r, h)| {
        r.finding.workflow_status == rampart_model::WorkflowStatus::Notified
            && h.iter().any(|c| c.changed_by.as_deref() == Some("rule:failed are notified"))
    }));

    assert_eq!(a.events.len(), n, "one event per finding");
    assert_eq!(a.events, b.events, "the same events, carrying the findings as the rules left them");
    assert!(b.events.iter().any(|e| e["detail"]["findings"][0]["workflow_status"] == "NOTIFIED" || e.to_string().contains("NOTIFIED")));
    assert_eq!(a.first_pass, DeliveryPass { delivered: n, retried: 0, dead: 0 });
    assert_eq!(b.first_pass, a.first_pass);
    assert_eq!(b.second_pass, DeliveryPass::default(), "nothing delivered twice");
}
