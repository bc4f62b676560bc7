//! `rampart db copy`: every store that runs on PostgreSQL, from a SQLite file into an
//! empty PostgreSQL database; the same answers from both after it; ids continue past the
//! copied ones; a non-empty target refused.

use super::imports::{asff, now, parse, PROWLER};
use super::*;
use rampart_hub::{AuditEntry, AuditFilter};

fn audit(user: &str, hour: i64) -> AuditEntry {
    AuditEntry {
        id: 0,
        at: at(hour),
        user: user.into(),
        role: "admin".into(),
        method: "POST".into(),
        route: "/api/v1/findings/{id}/workflow".into(),
        targets: vec!["t-1".into()],
        status: 200,
        client: "127.0.0.1".into(),
        user_agent: "ua".into(),
        repeats: 1,
    }
}

fn store_names(s: &Backend) -> Vec<&'static str> {
    s.schema_versions().iter().map(|(name, _)| *name).collect()
}

#[test]
fn copy_takes_every_store_that_runs_on_postgresql_and_ids_continue_after_it() {
    let lite = sqlite();
    let mut s = lite.open();
    let fs = estate(&mut s);
    let who = ChangeAuthor { who: "bob".into(), reason: "why".into() };
    let update = FindingUpdate::from_json(&serde_json::json!({"Note": {"Text": "n", "UpdatedBy": "bob"}, "Criticality": 10})).unwrap();
    s.batch_update_findings(&[fs[0].id.clone()], &update, &who, at(3)).unwrap();
    s.set_workflow_by(&fs[1].id, WorkflowStatus::Suppressed, "accepted", Some("bob")).unwrap();
    let imported = s.import_findings(&parse((0..5).map(|n| asff(n, "FAILED", 1)).collect()), now()).unwrap();
    assert_eq!(imported.success_count, 5);
    s.enqueue_jobs("b", &[job("b/a", "collect"), job("b/b", "collect"), job("b/c", "collect")], at(0)).unwrap();
    let j = s.claim_job("w", &["collect"], at(0), LEASE).unwrap().unwrap();
    s.finish_job(j.id, "w", Some(b"output of a"), at(0)).unwrap();
    let audit_ids: Vec<i64> = (0..4).map(|i| s.record_audit(&audit("ana", i)).unwrap()).collect();
    assert!(s.add_user("ana", "admin", "$argon2id$v=19$not-a-real-hash").unwrap());
    drop(s);

    let pg = postgres();
    let mut target_store = pg.open();
    let pg_stores = store_names(&target_store);
    let source = Store::open_read_only(std::path::Path::new(&lite.spec)).unwrap();
    let stats = target_store.postgres_mut().expect("PostgreSQL").copy_from(&source).unwrap();
    drop(target_store);

    // Every store of the file is copied or named as not copied; those copied are the ones
    // PostgreSQL holds.
    for name in ["findings", "jobs", "audit"] {
        assert!(stats.stores.contains(&name), "{name} copied: {stats:?}");
    }
    let mut both: Vec<&str> = stats.stores.iter().chain(&stats.not_copied).copied().collect();
    both.sort();
    let mut file_stores = store_names(&source);
    file_stores.sort();
    assert_eq!(both, file_stores);
    assert!(stats.stores.iter().all(|s| pg_stores.contains(s)), "{stats:?} vs {pg_stores:?}");
    assert!(stats.not_copied.iter().all(|s| !pg_stores.contains(s)), "{stats:?} vs {pg_stores:?}");
    assert_eq!((stats.rows("findings"), stats.rows("runs"), stats.rows("imported_findings")), (125, 1, 5));
    assert_eq!((stats.rows("jobs"), stats.rows("job_outputs"), stats.rows("audit_log")), (3, 1, 4));
    assert!(stats.rows("finding_history") >= 2 && stats.rows("workflow_history") >= 1, "{stats:?}");
    // Every table copied whole: its rows in the file, in the report and in PostgreSQL.
    let file = rusqlite::Connection::open(&lite.spec).unwrap();
    let mut server = postgres::Client::connect(&pg.spec, postgres::NoTls).unwrap();
    for (table, n) in &stats.tables {
        let in_file: i64 = file.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get(0)).unwrap();
        let in_server: i64 = server.query_one(format!("SELECT count(*) FROM \"{table}\"").as_str(), &[]).unwrap().get(0);
        assert_eq!((in_file as u64, in_server as u64), (*n, *n), "{table}");
    }

    // The same answers from both.
    let (a, mut b) = (lite.open(), pg.open());
    assert_eq!(a.runs().unwrap(), b.runs().unwrap());
    assert_eq!(all(&a), all(&b));
    for k in &imported.stored {
        assert_eq!(a.finding_record(k).unwrap(), b.finding_record(k).unwrap());
        assert_eq!(a.imported_source(k).unwrap(), b.imported_source(k).unwrap());
    }
    assert_eq!(a.finding_history(&fs[0].id).unwrap(), b.finding_history(&fs[0].id).unwrap());
    assert_eq!(a.workflow_history(&fs[1].id).unwrap(), b.workflow_history(&fs[1].id).unwrap());
    assert_eq!(a.batch_progress("b").unwrap(), b.batch_progress("b").unwrap());
    assert_eq!(a.job_outputs("b").unwrap(), b.job_outputs("b").unwrap());
    if stats.stores.contains(&"auth") {
        assert_eq!(a.users().unwrap(), b.users().unwrap());
    }
    let every = AuditFilter { limit: 100, ..Default::default() };
    assert_eq!(a.audit_entries(&every).unwrap(), b.audit_entries(&every).unwrap());

    // Rows written after the copy get fresh ids, past the copied ones.
    let next_audit = b.record_audit(&audit("bob", 9)).unwrap();
    assert!(next_audit > *audit_ids.iter().max().unwrap(), "{next_audit} after {audit_ids:?}");
    b.enqueue_jobs("c", &[job("c/a", "collect")], at(1)).unwrap();
    let mut claimed = Vec::new();
    while let Some(j) = b.claim_job("w2", &["collect"], at(1), LEASE).unwrap() {
        claimed.push((j.key, j.id));
    }
    let new_job = claimed.iter().find(|(k, _)| k == "c/a").expect("the new job is claimed").1;
    assert!(claimed.iter().all(|(k, id)| k == "c/a" || *id < new_job), "{claimed:?}");
    b.set_workflow_by(&fs[2].id, WorkflowStatus::Notified, "after the copy", None).unwrap();
    b.batch_update_findings(&[fs[2].id.clone()], &update, &who, at(4)).unwrap();
    assert_eq!(b.finding_history(&fs[2].id).unwrap().len(), a.finding_history(&fs[2].id).unwrap().len() + 3);
    let more = b.import_findings(&parse(vec![asff(9, "FAILED", 1)]), now()).unwrap();
    assert!(more.stored[0] > imported.stored[4], "imported keys continue too");
    assert_eq!(b.imported_key(PROWLER, "prowler-s3-9").unwrap(), Some(more.stored[0].clone()));
}

#[test]
fn copy_refuses_a_target_holding_rows_of_any_store_it_copies() {
    let lite = sqlite();
    let mut s = lite.open();
    estate(&mut s);
    drop(s);
    let source = Store::open_read_only(std::path::Path::new(&lite.spec)).unwrap();

    // A first copy, then a second into the same database.
    let pg = postgres();
    let mut t = pg.open();
    t.postgres_mut().unwrap().copy_from(&source).unwrap();
    assert!(matches!(t.postgres_mut().unwrap().copy_from(&source), Err(StoreError::TargetNotEmpty { runs: 1, .. })));

    // A database with no run but an audit row is not empty either; nothing is copied.
    let other = postgres();
    let mut t = other.open();
    t.record_audit(&audit("ana", 0)).unwrap();
    assert!(matches!(t.postgres_mut().unwrap().copy_from(&source), Err(StoreError::TargetNotEmpty { runs: 0, .. })));
    assert!(t.runs().unwrap().is_empty());
    assert_eq!(t.audit_entries(&AuditFilter { limit: 10, ..Default::default() }).unwrap().len(), 1);
}
