//! Events on both backends: targets, rules and custom actions managed; the outbox stores
//! an event once with its deliveries in one transaction, hands each due delivery to one
//! deliverer, records each outcome once, retries and keeps dead letters.

use super::*;
use rampart_hub::MAX_CUSTOM_ACTIONS;
use serde_json::{json, Value};

fn event(id: &str) -> Value {
    json!({"version": "0", "id": id, "detail-type": "Security Hub Findings - Imported", "source": "rampart.hub", "detail": {"n": id}})
}

fn minutes(n: i64) -> Timestamp {
    at(0) + time::Duration::minutes(n)
}

fn events_targets_rules_and_custom_actions_are_managed(db: &Db) {
    let mut s = db.open();
    let hook = s.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    assert_eq!((hook.name.as_str(), hook.kind.as_str(), hook.enabled), ("hook", "webhook", true));
    assert_eq!(hook.config, json!({"url": "http://127.0.0.1:9/x"}));
    let e = s.create_event_target("hook", "slack", &json!({}), at(0)).unwrap_err();
    assert!(e.to_string().contains("exists"), "{e}");
    let e = s.create_event_target("pager", "pager", &json!({}), at(0)).unwrap_err();
    assert!(e.to_string().contains("unknown target kind"), "{e}");
    let mail = s.create_event_target("mail", "email", &json!({"to": ["a@example.com"]}), at(0)).unwrap();
    assert_eq!(mail.id, hook.id + 1, "a refused name uses up no id");
    assert_eq!(s.event_target("mail").unwrap(), mail);
    assert_eq!(s.event_targets().unwrap(), [hook.clone(), mail.clone()]);
    assert!(s.event_target("nope").is_err());

    let pattern = json!({"detail-type": ["Security Hub Findings - Imported"]});
    let r1 = s.create_event_rule("all to hook", &pattern, "hook", at(0)).unwrap();
    assert_eq!((r1.name.as_str(), r1.target.as_str(), r1.target_id, r1.enabled), ("all to hook", "hook", hook.id, true));
    assert_eq!(r1.pattern, pattern);
    assert!(s.create_event_rule("all to hook", &pattern, "mail", at(0)).unwrap_err().to_string().contains("exists"));
    assert!(s.create_event_rule("to nowhere", &pattern, "nope", at(0)).is_err());
    s.create_event_rule("all to mail", &pattern, "mail", at(0)).unwrap();
    s.set_event_rule_enabled("all to mail", false).unwrap();
    let rules = s.event_rules().unwrap();
    assert_eq!(rules.iter().map(|r| (r.name.as_str(), r.enabled)).collect::<Vec<_>>(), [("all to hook", true), ("all to mail", false)]);
    assert!(s.set_event_rule_enabled("nope", true).is_err());
    s.delete_event_rule("all to mail").unwrap();
    assert!(s.delete_event_rule("all to mail").is_err(), "no such rule any more");

    let a = s.create_custom_action("Send to SOAR", "hand over", at(0)).unwrap();
    assert_eq!(a.id, "custom-action/1");
    assert!(s.create_custom_action("Send to SOAR", "again", at(0)).unwrap_err().to_string().contains("exists"));
    assert!(s.create_custom_action("a name far too long for it", "", at(0)).is_err());
    let b = s.create_custom_action("Ticket", "", at(0)).unwrap();
    assert_eq!(b.id, "custom-action/2", "a refused name uses up no id");
    assert_eq!(s.custom_actions().unwrap(), [a.clone(), b.clone()]);
    assert_eq!(s.custom_action("custom-action/1").unwrap(), a);
    assert_eq!(s.custom_action("Ticket").unwrap(), b);
    s.delete_custom_action("Send to SOAR").unwrap();
    assert!(s.custom_action("custom-action/1").is_err());
    for i in 1..MAX_CUSTOM_ACTIONS {
        s.create_custom_action(&format!("a{i}"), "", at(0)).unwrap();
    }
    let e = s.create_custom_action("one more", "", at(0)).unwrap_err();
    assert!(e.to_string().contains("at most 50"), "{e}");
    assert_eq!(s.custom_actions().unwrap().last().unwrap().id, format!("custom-action/{}", MAX_CUSTOM_ACTIONS + 1), "ids never reused");

    // A target goes with its rules and its deliveries.
    assert!(s.enqueue_event(&event("e1"), &[hook.id, mail.id], at(0)).unwrap());
    s.delete_event_target("hook").unwrap();
    assert!(s.event_rules().unwrap().is_empty());
    assert_eq!(s.due_deliveries(at(0), 10).unwrap().iter().map(|d| d.target.name.as_str()).collect::<Vec<_>>(), ["mail"]);
    assert!(s.delete_event_target("hook").is_err());
}

fn the_outbox_stores_an_event_once_and_retries_until_delivered_or_dead(db: &Db) {
    let mut s = db.open();
    let hook = s.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    let slack = s.create_event_target("slack", "slack", &json!({"url": "http://127.0.0.1:9/s"}), at(0)).unwrap();
    assert!(s.enqueue_event(&event("e1"), &[hook.id, slack.id], minutes(0)).unwrap());
    assert!(!s.enqueue_event(&event("e1"), &[hook.id], minutes(0)).unwrap(), "the same event id is stored once");
    assert!(!s.enqueue_event(&event("e2"), &[], minutes(0)).unwrap(), "no target: dropped");
    assert!(s.enqueue_event(&json!({"detail": {}}), &[hook.id], minutes(0)).is_err(), "an event needs an id");
    // The event and its deliveries are one transaction: a delivery refused leaves no event.
    assert!(s.enqueue_event(&event("e3"), &[hook.id, 9999], minutes(0)).is_err(), "no target 9999");
    assert!(s.enqueue_event(&event("e3"), &[hook.id], minutes(1)).unwrap(), "nothing of the refused one was kept");

    let due = s.due_deliveries(minutes(0), 100).unwrap();
    assert_eq!(due.iter().map(|d| (d.event_id.as_str(), d.target.name.as_str())).collect::<Vec<_>>(), [("e1", "hook"), ("e1", "slack")]);
    assert!(due.iter().all(|d| d.body == event("e1") && d.attempts == 0 && d.state == "pending" && d.last_error.is_none()));
    assert_eq!(s.due_deliveries(minutes(1), 1).unwrap().len(), 1, "at most the limit");

    // Claimed: not due again before the lease ends, nor to anyone else.
    let claimed = s.claim_due_deliveries(minutes(1), minutes(11), 2).unwrap();
    assert_eq!(claimed, due, "oldest first, as they were");
    assert_eq!(claimed.iter().map(|d| d.event_id.as_str()).collect::<Vec<_>>(), ["e1", "e1"]);
    let rest = s.claim_due_deliveries(minutes(1), minutes(11), 10).unwrap();
    assert_eq!(rest.iter().map(|d| d.event_id.as_str()).collect::<Vec<_>>(), ["e3"]);
    assert!(s.claim_due_deliveries(minutes(5), minutes(15), 10).unwrap().is_empty(), "all taken");

    assert!(s.delivery_succeeded("e1", hook.id, minutes(2)).unwrap());
    assert!(!s.delivery_succeeded("e1", hook.id, minutes(2)).unwrap(), "recorded once");
    assert!(!s.delivery_failed("e1", hook.id, "late", None).unwrap(), "a delivered one stays delivered");
    assert!(s.delivery_failed("e1", slack.id, "connection refused", Some(minutes(20))).unwrap());
    // e3's deliverer never came back: its delivery is due again after the lease.
    let again = s.claim_due_deliveries(minutes(12), minutes(22), 10).unwrap();
    assert_eq!(again.iter().map(|d| (d.event_id.as_str(), d.attempts)).collect::<Vec<_>>(), [("e3", 0)]);
    assert!(s.delivery_succeeded("e3", hook.id, minutes(12)).unwrap());

    assert!(s.due_deliveries(minutes(19), 100).unwrap().is_empty(), "the retry waits for its time");
    let retry = s.claim_due_deliveries(minutes(20), minutes(30), 10).unwrap();
    assert_eq!(
        retry.iter().map(|d| (d.target.name.as_str(), d.attempts, d.last_error.as_deref())).collect::<Vec<_>>(),
        [("slack", 1, Some("connection refused"))]
    );
    assert!(s.delivery_failed("e1", slack.id, "HTTP 500", None).unwrap());
    assert!(s.due_deliveries(minutes(600), 100).unwrap().is_empty());
    let dead = s.dead_letters().unwrap();
    assert_eq!(
        dead.iter().map(|d| (d.event_id.as_str(), d.target.id, d.attempts, d.state.as_str(), d.last_error.as_deref())).collect::<Vec<_>>(),
        [("e1", slack.id, 2, "dead", Some("HTTP 500"))]
    );

    // Dead letters made pending again, with a fresh count.
    assert!(s.retry_dead_letters("e1", Some("hook"), minutes(30)).is_err(), "hook's delivery is not dead");
    assert!(s.retry_dead_letters("nope", None, minutes(30)).is_err());
    assert_eq!(s.retry_dead_letters("e1", Some("slack"), minutes(30)).unwrap(), 1);
    assert!(s.dead_letters().unwrap().is_empty());
    let back = s.due_deliveries(minutes(30), 10).unwrap();
    assert_eq!(back.iter().map(|d| (d.target.name.as_str(), d.attempts)).collect::<Vec<_>>(), [("slack", 0)]);
    assert!(s.delivery_failed("e1", slack.id, "HTTP 500", None).unwrap());
    assert_eq!(s.retry_dead_letters("e1", None, minutes(40)).unwrap(), 1, "every target's");

    // Retention forgets the events whose deliveries are all done, with their deliveries;
    // one still to be delivered stays whatever its age.
    assert_eq!(s.prune_events(minutes(600)).unwrap(), 1, "e3, delivered");
    assert_eq!(s.due_deliveries(minutes(600), 10).unwrap().iter().map(|d| d.event_id.as_str()).collect::<Vec<_>>(), ["e1"]);
    assert!(s.enqueue_event(&event("e3"), &[hook.id], minutes(600)).unwrap(), "a forgotten event's id is new again");
}

/// Two deliverers polling one outbox at once (each its own connection, as two servers):
/// no delivery is taken by both.
fn two_deliverers_polling_at_once_never_take_the_same_delivery(db: &Db) {
    let mut s = db.open();
    let hook = s.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    for i in 0..120 {
        s.enqueue_event(&event(&format!("e{i:03}")), &[hook.id], minutes(0)).unwrap();
    }
    drop(s);
    let start = std::sync::Barrier::new(2);
    let taken: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let start = &start;
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    let mut mine = Vec::new();
                    start.wait();
                    loop {
                        let page = s.claim_due_deliveries(minutes(1), minutes(11), 4).unwrap();
                        if page.is_empty() {
                            return mine;
                        }
                        for d in page {
                            // Sending takes time; the other deliverer polls meanwhile.
                            std::thread::sleep(std::time::Duration::from_millis(2));
                            assert!(s.delivery_succeeded(&d.event_id, d.target.id, minutes(1)).unwrap(), "{} recorded once", d.event_id);
                            mine.push(d.event_id);
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<String> = taken.iter().flatten().cloned().collect();
    assert_eq!(all.len(), 120, "no delivery taken twice: {:?}", taken.iter().map(Vec::len).collect::<Vec<_>>());
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 120, "every delivery taken");
    assert!(taken.iter().all(|t| !t.is_empty()), "both deliverers worked: {:?}", taken.iter().map(Vec::len).collect::<Vec<_>>());
    let s = db.open();
    assert!(s.due_deliveries(minutes(600), 1000).unwrap().is_empty());
}

/// One event enqueued by two writers at once (a run recorded twice): stored once.
fn an_event_enqueued_by_two_writers_at_once_is_stored_once(db: &Db) {
    let mut s = db.open();
    let hook = s.create_event_target("hook", "webhook", &json!({"url": "http://127.0.0.1:9/x"}), at(0)).unwrap();
    drop(s);
    let start = std::sync::Barrier::new(2);
    let stored: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let start = &start;
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    start.wait();
                    (0..40).filter(|i| s.enqueue_event(&event(&format!("e{i:02}")), &[hook.id], minutes(0)).unwrap()).count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(stored.iter().sum::<usize>(), 40, "{stored:?}");
    assert_eq!(db.open().due_deliveries(minutes(0), 100).unwrap().len(), 40);
}

conformance!(
    events_targets_rules_and_custom_actions_are_managed,
    the_outbox_stores_an_event_once_and_retries_until_delivered_or_dead,
    two_deliverers_polling_at_once_never_take_the_same_delivery,
    an_event_enqueued_by_two_writers_at_once_is_stored_once,
);
