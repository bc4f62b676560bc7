//! The application layer's own tests: what both front ends rely on. The commands' end-to-end
//! behaviour is tested through the binary in crates/cli/tests.

use super::*;

#[test]
fn the_demo_scan_is_a_run_of_every_aws_check_with_failures_and_compliance() {
    let inv = inputs::demo().unwrap();
    let started = now();
    let scan = scan::check_inventory(&inv, "demo", None, started);
    assert_eq!(scan.run.source, "demo");
    assert_eq!(scan.run.started_at, started);
    assert!(scan.run.finished_at >= started);
    // Every check, and the analyses whose findings join the checks' (escalation, …).
    for c in rampart_checks::REGISTRY {
        assert!(scan.run.checks.iter().any(|id| id == c.meta.id), "{}", c.meta.id);
    }
    assert!(scan.run.checks.iter().any(|id| id == rampart_iam::escalation::CHECK_ID));
    assert!(scan.failing(Some(rampart_model::Severity::High)));
    assert!(!scan.failing(None), "no minimum severity: nothing fails the scan");
    let reports = scan.compliance();
    assert_eq!(reports.len(), rampart_compliance::STANDARDS.len());
}

#[test]
fn a_recorded_run_reads_back_with_its_compliance_and_finding_detail() {
    let mut store = rampart_hub::Store::open_in_memory().unwrap();
    let inv = inputs::demo().unwrap();
    let mut scan = scan::check_inventory(&inv, "demo", None, now());
    scan.record(&mut store).unwrap();
    let (run, reports) = browse::compliance(&store, None, &[]).unwrap().expect("a run was recorded");
    assert_eq!(run, scan.run.id);
    assert_eq!(reports.len(), rampart_compliance::STANDARDS.len());
    let failed = scan.findings.iter().find(|f| f.status == rampart_model::Status::Failed).unwrap();
    let detail = browse::finding(&store, &failed.id).unwrap();
    let doc = detail.to_json();
    assert_eq!(doc["finding"]["id"], failed.id.as_str());
    assert_eq!(doc["results"].as_array().unwrap().len(), 1);
}

#[test]
fn an_empty_store_has_no_compliance_rather_than_an_empty_one() {
    let store = rampart_hub::Store::open_in_memory().unwrap();
    assert!(browse::compliance(&store, None, &[]).unwrap().is_none());
}

#[test]
fn check_ids_are_checked_with_the_nearest_one_suggested() {
    let e = browse::known_check("iam_root_mfaa").unwrap_err().to_string();
    assert!(e.contains("did you mean `iam_root_mfa`"), "{e}");
    assert!(browse::known_check("host_cve").is_ok());
    assert!(browse::known_check("aws_access_key_in_file").is_ok() || browse::known_check(rampart_secrets::CHECK_ID).is_ok());
    assert!(browse::known_check(&"x".repeat(500)).unwrap_err().to_string().len() < 200);
}

#[test]
fn telemetry_that_names_no_instance_is_a_warning_not_a_join() {
    let dir = tempfile::tempdir().unwrap();
    let root = rampart_host::Root::dir(dir.path()).unwrap();
    let notes = Collected::default();
    let t = host::collect_root(&root, now(), &notes);
    let doc = dir.path().join("t.json");
    std::fs::write(&doc, t.to_json()).unwrap();
    let mut inv = inputs::demo().unwrap();
    let before = inv.host_listeners.len();
    inputs::join_telemetry(&mut inv, &[doc], &notes).unwrap();
    assert_eq!(inv.host_listeners.len(), before);
    assert!(notes.warnings().iter().any(|w| w.contains("names no EC2 instance id")), "{:?}", notes.warnings());
}

#[test]
fn a_missing_telemetry_document_is_an_error_naming_it() {
    let mut inv = inputs::demo().unwrap();
    let e = inputs::join_telemetry(&mut inv, &["/nonexistent/t.json".into()], &Collected::default()).unwrap_err();
    assert!(format!("{e:#}").contains("/nonexistent/t.json"), "{e:#}");
}

#[test]
fn gap_lines_are_sentences_with_what_to_do() {
    use rampart_model::GapKind;
    assert_eq!(
        inputs::gap_line("ec2:DescribeVolumes", GapKind::AccessDenied, 2, "AccessDenied (HTTP 403): not allowed"),
        "ec2:DescribeVolumes access denied (2 calls): AccessDenied (HTTP 403): not allowed — allow it to the scanning identity (see `rampart iam-policy`)"
    );
    let line = inputs::gap_line("ec2:DescribeClientVpnEndpoints", GapKind::ServerError, 1, "service error: unhandled error: error parsing XML: no root element (HTTP 500)");
    assert!(!line.contains("ServiceError(") && !line.contains("{ "), "{line}");
}

#[test]
fn run_ids_are_unique_and_carry_this_build() {
    let a = run_info("x".into(), now(), vec![], vec![], vec![]);
    let b = run_info("x".into(), now(), vec![], vec![], vec![]);
    assert_ne!(a.id, b.id);
    assert_eq!(a.tool_version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(1234567), "1,234,567");
}

#[test]
fn reach_questions_that_make_no_sense_are_refused_before_anything_is_read() {
    let q = |from: &str, to: &str| reach::Question { from: from.into(), to: to.into(), to_address: None, protocol: rampart_reach::Protocol::TCP, port: 22 };
    assert!(reach::check(&q("internet", "internet")).is_err());
    assert!(reach::check(&q("nonsense", "i-1")).is_err());
    assert!(reach::check(&q("i-1", "internet")).is_ok());
    assert!(reach::check(&q("subnet-1", "i-1")).is_ok());
}

mod events {
    use crate::events::*;
    use rampart_hub::{EventTarget, Store};
    use serde_json::{json, Value};
    use std::sync::Mutex;

    /// Records what it is given; fails while `down` is set.
    struct Receiver {
        got: Mutex<Vec<(String, Value, String)>>,
        down: Mutex<bool>,
    }

    impl Sender for Receiver {
        fn send(&self, target: &EventTarget, body: &Value, key: &str) -> Result<(), String> {
            if *self.down.lock().unwrap() {
                return Err("connection refused".into());
            }
            self.got.lock().unwrap().push((target.name.clone(), body.clone(), key.to_string()));
            Ok(())
        }
    }

    fn demo_store() -> (Store, Vec<String>) {
        let mut store = Store::open_in_memory().unwrap();
        let mut scan = crate::scan::check_inventory(&crate::inputs::demo().unwrap(), "demo", None, crate::now());
        scan.record(&mut store).unwrap();
        let failed = scan.findings.iter().filter(|f| f.status == rampart_model::Status::Failed).map(|f| f.id.clone()).collect();
        (store, failed)
    }

    #[test]
    fn a_custom_action_on_twenty_findings_reaches_the_matching_target_and_twenty_one_are_refused() {
        let (mut store, failed) = demo_store();
        create_webhook(&mut store, "soc", "webhook", "http://127.0.0.1:9/hook", Some("s3cret")).unwrap();
        create_webhook(&mut store, "other", "slack", "http://127.0.0.1:9/slack", None).unwrap();
        create_rule(&mut store, "actions to soc", &json!({"detail-type": [rampart_events::DETAIL_TYPE_CUSTOM_ACTION]}), "soc").unwrap();
        create_rule(&mut store, "nothing", &json!({"detail-type": [{"prefix": "Inspector"}]}), "other").unwrap();
        store.create_custom_action("Send to SOC", "open a ticket", crate::now()).unwrap();

        let e = trigger_custom_action(&mut store, "Send to SOC", &failed[..21], "alice").unwrap_err().to_string();
        assert!(e.contains("at most 20 findings"), "{e}");
        let event = trigger_custom_action(&mut store, "Send to SOC", &failed[..20], "alice").unwrap();
        assert_eq!(event.detail["findings"].as_array().unwrap().len(), 20);

        let rx = Receiver { got: Mutex::new(Vec::new()), down: Mutex::new(false) };
        let pass = deliver_due(&mut store, &rx, crate::now(), 100).unwrap();
        assert_eq!(pass, DeliveryPass { delivered: 1, retried: 0, dead: 0 });
        let got = rx.got.lock().unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "soc");
        assert_eq!(got[0].2, event.id, "the idempotency key is the event id");
        assert_eq!(got[0].1["detail"]["actionName"], "Send to SOC");
        drop(got);
        assert_eq!(deliver_due(&mut store, &rx, crate::now(), 100).unwrap(), DeliveryPass::default(), "delivered once");
    }

    #[test]
    fn a_receiver_that_stays_down_gets_retries_with_backoff_then_a_dead_letter() {
        let (mut store, failed) = demo_store();
        create_webhook(&mut store, "soc", "webhook", "http://127.0.0.1:9/hook", None).unwrap();
        create_rule(&mut store, "all", &json!({"source": [rampart_events::SOURCE]}), "soc").unwrap();
        store.create_custom_action("Escalate", "", crate::now()).unwrap();
        trigger_custom_action(&mut store, "Escalate", &failed[..1], "bob").unwrap();
        let rx = Receiver { got: Mutex::new(Vec::new()), down: Mutex::new(true) };
        let mut now = crate::now();
        for attempt in 1..MAX_ATTEMPTS {
            assert_eq!(deliver_due(&mut store, &rx, now, 10).unwrap().retried, 1);
            // Not due again before its backoff, due after it.
            let wait = backoff(attempt);
            assert_eq!(deliver_due(&mut store, &rx, now + wait - time::Duration::seconds(2), 10).unwrap(), DeliveryPass::default());
            now += wait + time::Duration::seconds(1);
        }
        assert!((1..10).all(|n| backoff(n) <= backoff(n + 1)), "backoff never shrinks");
        assert_eq!(deliver_due(&mut store, &rx, now, 10).unwrap().dead, 1);
        let dead = store.dead_letters().unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].attempts, MAX_ATTEMPTS);
        assert_eq!(dead[0].last_error.as_deref(), Some("connection refused"));
    }

    #[test]
    fn patterns_are_checked_when_a_rule_is_made() {
        let mut store = Store::open_in_memory().unwrap();
        create_webhook(&mut store, "t", "webhook", "http://127.0.0.1:9/", None).unwrap();
        let e = create_rule(&mut store, "r", &json!({"source": [{"regex": "x"}]}), "t").unwrap_err().to_string();
        assert!(e.contains("unknown operator `regex`"), "{e}");
        assert!(create_webhook(&mut store, "u", "webhook", "ftp://x", None).is_err());
        assert_eq!(backoff(1), time::Duration::seconds(30));
        assert_eq!(backoff(30), time::Duration::hours(1));
    }

    #[test]
    fn event_ids_are_unique() {
        let ids: std::collections::BTreeSet<String> = (0..1000).map(|_| event_id()).collect();
        assert_eq!(ids.len(), 1000);
    }
}

/// Every kind of scan says in its run what it could not read: an AWS scan its gaps, a host
/// scan its package sources not read, a secrets scan its unreadable paths.
#[test]
fn a_partial_read_is_an_incomplete_run() {
    let mut inv = inputs::demo().unwrap();
    let scan = scan::check_inventory(&inv, "demo", None, now());
    assert_eq!(scan.run.incomplete, rampart_model::gaps_in_words(&scan.gaps));
    let account = inv.accounts[0].id.clone();
    inv.accounts[0].gaps.push(rampart_model::Gap {
        action: "s3:GetBucketPolicy".into(),
        kind: rampart_model::GapKind::AccessDenied,
        account,
        region: "us-east-1".into(),
        resource: Some("arn:aws:s3:::b".into()),
        message: "AccessDenied".into(),
    });
    let scan = scan::check_inventory(&inv, "demo", None, now());
    assert!(scan.run.incomplete.iter().any(|w| w.starts_with("s3:GetBucketPolicy access denied")), "{:?}", scan.run.incomplete);

    let t = rampart_host::Telemetry::from_json(
        r#"{"schema_version":2,"collected_at":"2026-01-01T00:00:00Z","root":"/mnt/x","host":{},
            "packages":[{"kind":null,"location":"/srv/locked","packages":{"unknown":"permission denied"}}]}"#,
    )
    .unwrap();
    assert_eq!(host::not_read(&t), ["packages of `/srv/locked` (any kind) not read: permission denied"]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.txt"), "nothing\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
    let req = secrets::Request { paths: vec![dir.path().to_path_buf()], options: Default::default(), history: false };
    let (scan, report) = secrets::scan(&req, None, &Collected::default()).unwrap();
    assert_eq!(report.incomplete(), 1);
    assert_eq!(scan.run.incomplete.len(), 1);
    assert!(scan.run.incomplete[0].contains("dangling"), "{:?}", scan.run.incomplete);
}

#[test]
fn resource_tags_are_recorded_so_rules_on_tags_apply() {
    let mut store = rampart_hub::Store::open_in_memory().unwrap();
    let inv = inputs::demo().unwrap();
    let tags = inv.tags_by_arn();
    let (arn, tag) = tags.iter().find_map(|(arn, t)| t.iter().next().map(|(k, v)| (arn.clone(), (k.clone(), v.clone())))).expect("the demo has tagged resources");
    let spec = rampart_hub::RuleSpec::from_json(&serde_json::json!({
        "RuleName": "tagged", "RuleOrder": 1,
        "Criteria": {"ResourceTags": [{"Key": tag.0, "Value": tag.1, "Comparison": "EQUALS"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Criticality": 90}}]
    }))
    .unwrap();
    store.create_automation_rule(&spec, "t", now()).unwrap();
    let mut scan = scan::check_inventory(&inv, "demo", None, now());
    let applied = scan.record(&mut store).unwrap();
    let touched: Vec<&String> = applied.iter().flat_map(|a| a.findings.iter()).collect();
    assert!(!touched.is_empty(), "findings of tagged resources match ResourceTags criteria");
    assert!(scan.findings.iter().filter(|f| f.resource.id == arn).all(|f| touched.contains(&&f.id)));
}
