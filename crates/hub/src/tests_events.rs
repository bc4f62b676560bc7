//! The outbox: an event is stored once with a delivery per target; due deliveries come
//! back until they succeed or die; custom actions and targets are checked.

use crate::Store;
use serde_json::json;
use time::macros::datetime;

fn at(min: i64) -> rampart_model::Timestamp {
    datetime!(2026-12-07 10:00:00 UTC) + time::Duration::minutes(min)
}

fn event(id: &str) -> serde_json::Value {
    json!({"version": "0", "id": id, "detail-type": "Security Hub Findings - Custom Action", "source": "rampart.hub", "detail": {}})
}

#[test]
fn an_event_is_stored_once_with_a_delivery_per_target_and_retried_until_it_succeeds_or_dies() {
    let mut store = Store::open_in_memory().unwrap();
    let hook = store.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    let slack = store.create_event_target("slack", "slack", &json!({"url": "http://127.0.0.1:9/s"}), at(0)).unwrap();
    assert!(store.enqueue_event(&event("e1"), &[hook.id, slack.id], at(0)).unwrap());
    assert!(!store.enqueue_event(&event("e1"), &[hook.id, slack.id], at(0)).unwrap(), "the same event id is stored once");
    assert!(!store.enqueue_event(&event("e2"), &[], at(0)).unwrap(), "no target: dropped");
    let due = store.due_deliveries(at(0), 100).unwrap();
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|d| d.event_id == "e1" && d.body["id"] == "e1" && d.attempts == 0));

    store.delivery_succeeded("e1", hook.id, at(0)).unwrap();
    store.delivery_failed("e1", slack.id, "connection refused", Some(at(5))).unwrap();
    assert!(store.due_deliveries(at(1), 100).unwrap().is_empty(), "the retry waits for its time");
    let again = store.due_deliveries(at(5), 100).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].target.name.as_str(), again[0].attempts, again[0].last_error.as_deref()), ("slack", 1, Some("connection refused")));
    store.delivery_failed("e1", slack.id, "HTTP 500", None).unwrap();
    assert!(store.due_deliveries(at(60), 100).unwrap().is_empty());
    let dead = store.dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].attempts, dead[0].last_error.as_deref()), (2, Some("HTTP 500")));
}

#[test]
fn the_outbox_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    {
        let mut store = Store::open(&path).unwrap();
        let t = store.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
        store.enqueue_event(&event("e1"), &[t.id], at(0)).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.due_deliveries(at(0), 10).unwrap().len(), 1, "a delivery decided before a crash is still due after it");
}

#[test]
fn rules_targets_and_custom_actions_are_checked() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(store.create_event_target("x", "pigeon", &json!({}), at(0)).unwrap_err().to_string().contains("unknown target kind"));
    store.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    assert!(store.create_event_target("hook", "webhook", &json!({}), at(0)).unwrap_err().to_string().contains("exists"));
    let rule = store.create_event_rule("high", &json!({"detail-type": ["Security Hub Findings - Imported"]}), "hook", at(0)).unwrap();
    assert_eq!((rule.target.as_str(), rule.enabled), ("hook", true));
    assert!(store.create_event_rule("r", &json!({}), "nope", at(0)).unwrap_err().to_string().contains("no event target `nope`"));
    let a = store.create_custom_action("Send to SOC", "open a ticket", at(0)).unwrap();
    assert_eq!(a.id, "custom-action/1");
    assert_eq!(store.custom_action("Send to SOC").unwrap(), a);
    assert!(store.create_custom_action("a name that is far too long", "", at(0)).unwrap_err().to_string().contains("1 to 20"));
    for i in 1..crate::MAX_CUSTOM_ACTIONS {
        store.create_custom_action(&format!("a{i}"), "", at(0)).unwrap();
    }
    assert!(store.create_custom_action("more", "", at(0)).unwrap_err().to_string().contains("at most 50"));
}
