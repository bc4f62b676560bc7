//! Agents, their tokens bound to a host, and their telemetry on both backends: every public
//! method of the store (`agents.rs`) and each invariant it keeps.

use super::*;
use rampart_hub::{TelemetryUpload, UploadOutcome};
use std::collections::BTreeMap;

/// A token's SHA-256 digest, as the store keeps it: 64 lower-case hex digits.
fn digest(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

fn upload<'a>(host: &'a str, tags: &'a BTreeMap<String, String>, hour: i64) -> TelemetryUpload<'a> {
    TelemetryUpload {
        host_id: host,
        hostname: host,
        tags,
        collected_at: at(hour),
        received_at: at(hour),
        json: r#"{"schema_version":2,"packages":["openssl 3.0.2"]}"#,
        version: "0.1.0",
        interval_seconds: Some(3600),
        health: &[],
    }
}

fn stored(outcome: UploadOutcome) -> i64 {
    match outcome {
        UploadOutcome::Stored(id) => id,
        other => panic!("not stored: {other:?}"),
    }
}

/// Runs one statement on the database behind the store's back (as another program
/// would), through the backend's own client.
fn raw_execute(db: &Db, sql: &str) -> Result<u64, String> {
    if db.drop_pg.is_some() {
        let mut c = postgres::Client::connect(&db.spec, postgres::NoTls).unwrap();
        c.execute(sql, &[]).map_err(|e| e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_string()))
    } else {
        let c = rusqlite::Connection::open(&db.spec).unwrap();
        c.execute(sql, []).map(|n| n as u64).map_err(|e| e.to_string())
    }
}

fn an_agent_is_added_bound_to_its_first_host_and_revoked(db: &Db) {
    let mut s = db.open();
    assert!(s.add_agent("web-1", &digest(1), "admin", at(0)).unwrap());
    assert!(!s.add_agent("web-1", &digest(2), "admin", at(1)).unwrap(), "the name is taken");
    // Only a digest is kept: anything but 64 lower-case hex digits is refused.
    for not_a_digest in
        ["a-token-in-clear".to_string(), digest(0xab).to_uppercase(), digest(3)[..63].to_string(), format!("{}0", digest(3))]
    {
        assert!(s.add_agent("bad", &not_a_digest, "admin", at(0)).is_err(), "{not_a_digest} kept");
    }
    assert!(s.add_agent("clash", &digest(1), "admin", at(0)).is_err(), "one token, one agent");
    assert!(s.agent("bad").unwrap().is_none() && s.agent("clash").unwrap().is_none());
    assert!(s.add_agent("db-1", &digest(4), "ops", at(2)).unwrap());

    let a = s.agent_by_token(&digest(1)).unwrap().unwrap();
    assert_eq!(
        (a.name.as_str(), a.created_at, a.created_by.as_str(), a.revoked_at, a.host_id.clone(), a.last_seen, a.uploads, a.health.len()),
        ("web-1", at(0), "admin", None, None, None, 0, 0)
    );
    assert!(s.agent_by_token(&digest(9)).unwrap().is_none());
    assert_eq!(s.agents().unwrap().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["db-1", "web-1"]);

    // The first upload binds the agent and sets its status; another host's is refused whole.
    let tags = BTreeMap::from([("env".to_string(), "prod".to_string())]);
    let health = vec!["packages: dpkg status unreadable".to_string()];
    let mut first = upload("i-1", &tags, 3);
    first.hostname = "web-1.internal";
    first.interval_seconds = None;
    first.health = &health;
    first.received_at = at(4);
    let id = stored(s.record_upload("web-1", &first).unwrap());
    assert_eq!(s.record_upload("web-1", &upload("i-2", &tags, 5)).unwrap(), UploadOutcome::OtherHost { bound: "i-1".into() });
    assert_eq!(s.record_upload("nobody", &upload("i-9", &tags, 5)).unwrap(), UploadOutcome::Unknown);
    assert_eq!((s.telemetry_count(Some("web-1")).unwrap(), s.telemetry_count(None).unwrap()), (1, 1), "refused uploads stored nothing");
    let a = s.agent("web-1").unwrap().unwrap();
    assert_eq!(
        (a.host_id.as_deref(), a.hostname.as_deref(), a.version.as_deref(), a.interval_seconds, a.last_seen, a.health.clone(), a.uploads),
        (Some("i-1"), Some("web-1.internal"), Some("0.1.0"), None, Some(at(4)), health.clone(), 1)
    );
    let mut again = upload("i-1", &tags, 6);
    again.interval_seconds = Some(u64::MAX);
    stored(s.record_upload("web-1", &again).unwrap());
    let a = s.agent("web-1").unwrap().unwrap();
    assert_eq!((a.uploads, a.interval_seconds, a.health.len(), a.last_seen), (2, Some(i64::MAX as u64), 0, Some(at(6))));
    assert_eq!(s.telemetry_count(Some("web-1")).unwrap(), 2);
    assert_eq!(s.telemetry_count(Some("db-1")).unwrap(), 0);

    // The document comes back as uploaded (kept compressed).
    assert_eq!(s.telemetry_document(id).unwrap().as_deref(), Some(first.json));
    assert_eq!(s.telemetry_document(id + 1_000).unwrap(), None);
    let latest = s.latest_telemetry(at(0)).unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!((latest[0].agent.as_str(), latest[0].host_id.as_str(), &latest[0].tags), ("web-1", "i-1", &tags));

    // Revoking: the token no longer finds the agent, uploads are refused, the rest is kept.
    assert!(s.revoke_agent("web-1", at(7)).unwrap());
    assert!(!s.revoke_agent("web-1", at(8)).unwrap(), "revoked already");
    assert!(!s.revoke_agent("nobody", at(8)).unwrap());
    assert!(s.agent_by_token(&digest(1)).unwrap().is_none());
    assert_eq!(s.record_upload("web-1", &upload("i-1", &tags, 9)).unwrap(), UploadOutcome::Unknown);
    let a = s.agent("web-1").unwrap().unwrap();
    assert_eq!((a.revoked_at, a.uploads), (Some(at(7)), 2));
    assert_eq!(s.telemetry_count(Some("web-1")).unwrap(), 2, "documents are kept");
}

fn one_live_agent_per_host_and_the_trigger_refuses_a_rebinding_whatever_writes(db: &Db) {
    let mut s = db.open();
    let tags = BTreeMap::new();
    s.add_agent("a", &digest(1), "admin", at(0)).unwrap();
    s.add_agent("b", &digest(2), "admin", at(0)).unwrap();
    s.add_agent("c", &digest(3), "admin", at(0)).unwrap();
    stored(s.record_upload("a", &upload("i-a", &tags, 1)).unwrap());
    // b claims a's host with a document collected far ahead: refused, nothing kept, b unbound.
    let mut forged = upload("i-a", &tags, 24 * 365 * 70);
    forged.received_at = at(2);
    assert_eq!(s.record_upload("b", &forged).unwrap(), UploadOutcome::HostTaken { agent: "a".into() });
    assert_eq!(s.telemetry_count(Some("b")).unwrap(), 0);
    assert_eq!(s.agent("b").unwrap().unwrap().host_id, None);
    assert_eq!(s.latest_telemetry(at(0)).unwrap().iter().map(|r| r.agent.as_str()).collect::<Vec<_>>(), ["a"]);

    // The database refuses it too, whatever writes: the trigger (PL/pgSQL on PostgreSQL).
    let e = raw_execute(db, "UPDATE agents SET host_id = 'i-a' WHERE name = 'b'").unwrap_err();
    assert!(e.contains("this host is bound to another agent"), "{e}");
    assert_eq!(s.agent("b").unwrap().unwrap().host_id, None);
    // A host no agent holds binds; a revoked agent's host is free again.
    assert_eq!(raw_execute(db, "UPDATE agents SET host_id = 'i-c' WHERE name = 'c'").unwrap(), 1);
    s.revoke_agent("a", at(3)).unwrap();
    assert_eq!(raw_execute(db, "UPDATE agents SET host_id = 'i-a' WHERE name = 'b'").unwrap(), 1);
    assert_eq!(raw_execute(db, "UPDATE agents SET host_id = NULL WHERE name = 'b'").unwrap(), 1);
    stored(s.record_upload("b", &upload("i-a", &tags, 4)).unwrap());
    assert_eq!(s.agent("b").unwrap().unwrap().host_id.as_deref(), Some("i-a"));
    assert_eq!(s.record_upload("c", &upload("i-a", &tags, 5)).unwrap(), UploadOutcome::OtherHost { bound: "i-c".into() });
}

fn the_newest_telemetry_is_the_last_received_and_old_documents_are_pruned(db: &Db) {
    let mut s = db.open();
    let tags = BTreeMap::new();
    s.add_agent("a", &digest(1), "admin", at(0)).unwrap();
    s.add_agent("b", &digest(2), "admin", at(0)).unwrap();
    let day = |d: i64| d * 24;
    for d in [0, 20, 35] {
        stored(s.record_upload("a", &upload("host-a", &tags, day(d))).unwrap());
    }
    stored(s.record_upload("b", &upload("host-b", &tags, day(5))).unwrap());
    let latest = s.latest_telemetry(at(day(1))).unwrap();
    assert_eq!(
        latest.iter().map(|r| (r.host_id.as_str(), r.collected_at, r.received_at)).collect::<Vec<_>>(),
        [("host-a", at(day(35)), at(day(35))), ("host-b", at(day(5)), at(day(5)))],
        "by host, the newest of each collected since"
    );
    assert!(s.latest_telemetry(at(day(36))).unwrap().is_empty());

    // A document claiming a far-future collection, received first, is not the newest once a
    // later one is received.
    let mut future = upload("host-a", &tags, day(365 * 70));
    future.received_at = at(day(36));
    stored(s.record_upload("a", &future).unwrap());
    assert_eq!(s.latest_telemetry(at(day(1))).unwrap()[0].collected_at, at(day(365 * 70)));
    let mut later = upload("host-a", &tags, day(37));
    later.received_at = at(day(37));
    let newest = stored(s.record_upload("a", &later).unwrap());
    assert_eq!(s.latest_telemetry(at(day(1))).unwrap()[0].id, newest);

    // Kept 30 days (the caller's cut-off): older documents go, agents and status stay.
    assert_eq!(s.telemetry_count(None).unwrap(), 6);
    let oldest = s.latest_telemetry(at(0)).unwrap();
    assert_eq!(s.prune_telemetry(at(day(37 - 30))).unwrap(), 2, "days 0 and 5");
    assert_eq!(s.prune_telemetry(at(day(37 - 30))).unwrap(), 0);
    assert_eq!((s.telemetry_count(None).unwrap(), s.telemetry_count(Some("b")).unwrap()), (4, 0));
    assert!(oldest.iter().all(|r| r.host_id != "host-b" || s.telemetry_document(r.id).unwrap().is_none()), "pruned: no document");
    assert_eq!(s.agents().unwrap().len(), 2, "agents are kept");
    assert_eq!(s.agent("b").unwrap().unwrap().uploads, 1);

    // A revoked agent's documents are not the newest of its host.
    s.revoke_agent("a", at(day(38))).unwrap();
    assert!(s.latest_telemetry(at(0)).unwrap().is_empty());
}

/// Two agents binding one host at the same moment, round after round: one is bound, the
/// other told the host is taken; and one agent uploading from two hosts at once is bound to
/// one of them, holding no document of the other.
fn concurrent_uploads_leave_one_live_agent_per_host(db: &Db) {
    const ROUNDS: usize = 15;
    let mut s = db.open();
    for r in 0..ROUNDS {
        s.add_agent(&format!("x{r}"), &digest(2 * r as u8), "admin", at(0)).unwrap();
        s.add_agent(&format!("y{r}"), &digest(2 * r as u8 + 1), "admin", at(0)).unwrap();
    }
    s.add_agent("solo", &digest(200), "admin", at(0)).unwrap();
    drop(s);
    let start = std::sync::Barrier::new(2);
    let outcomes: Vec<Vec<UploadOutcome>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["x", "y"]
            .into_iter()
            .map(|side| {
                let start = &start;
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    let tags = BTreeMap::new();
                    let mut out = Vec::new();
                    for r in 0..ROUNDS {
                        let host = format!("host-{r}");
                        start.wait();
                        out.push(s.record_upload(&format!("{side}{r}"), &upload(&host, &tags, 1)).unwrap());
                    }
                    // The same agent from two hosts.
                    let host = format!("solo-{side}");
                    start.wait();
                    out.push(s.record_upload("solo", &upload(&host, &tags, 1)).unwrap());
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let s = db.open();
    for r in 0..ROUNDS {
        let (x, y) = (&outcomes[0][r], &outcomes[1][r]);
        let bound: Vec<String> =
            s.agents().unwrap().into_iter().filter(|a| a.host_id.as_deref() == Some(&format!("host-{r}"))).map(|a| a.name).collect();
        assert_eq!(bound.len(), 1, "round {r}: one agent bound: {bound:?} ({x:?}, {y:?})");
        let (won, lost) = if matches!(x, UploadOutcome::Stored(_)) { (x, y) } else { (y, x) };
        assert!(matches!(won, UploadOutcome::Stored(_)), "round {r}: {x:?} {y:?}");
        assert_eq!(lost, &UploadOutcome::HostTaken { agent: bound[0].clone() }, "round {r}");
    }
    let solo = s.agent("solo").unwrap().unwrap();
    let host = solo.host_id.clone().expect("bound to one of the two");
    let (a, b) = (&outcomes[0][ROUNDS], &outcomes[1][ROUNDS]);
    let stored_ones = [a, b].iter().filter(|o| matches!(o, UploadOutcome::Stored(_))).count();
    assert_eq!(stored_ones, 1, "{a:?} {b:?}");
    assert!([a, b].contains(&&UploadOutcome::OtherHost { bound: host.clone() }), "{a:?} {b:?}");
    assert_eq!((solo.uploads, s.telemetry_count(Some("solo")).unwrap()), (1, 1));
    assert_eq!(
        s.latest_telemetry(at(0)).unwrap().iter().filter(|t| t.agent == "solo").map(|t| t.host_id.clone()).collect::<Vec<_>>(),
        [host]
    );
}

conformance!(
    an_agent_is_added_bound_to_its_first_host_and_revoked,
    one_live_agent_per_host_and_the_trigger_refuses_a_rebinding_whatever_writes,
    the_newest_telemetry_is_the_last_received_and_old_documents_are_pruned,
    concurrent_uploads_leave_one_live_agent_per_host,
);
