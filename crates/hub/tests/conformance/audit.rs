//! The audit log on both backends.

use super::*;
use rampart_hub::{AuditEntry, AuditFilter};

fn entry(user: &str, route: &str, hour: i64) -> AuditEntry {
    AuditEntry {
        id: 0,
        at: at(hour),
        user: user.into(),
        role: "admin".into(),
        method: "POST".into(),
        route: route.into(),
        targets: vec!["t-1".into()],
        status: 200,
        client: "127.0.0.1".into(),
        user_agent: "ua".into(),
        repeats: 1,
    }
}

fn audit_is_appended_filtered_paged_counted_and_pruned(db: &Db) {
    let mut s = db.open();
    let mut ids = Vec::new();
    for i in 0..5 {
        let user = if i % 2 == 0 { "ana" } else { "bob" };
        let route = if i < 3 { "/api/v1/automation/rules" } else { "/findings/{id}/workflow" };
        ids.push(s.record_audit(&entry(user, route, i)).unwrap());
    }
    assert!(ids.windows(2).all(|w| w[1] > w[0]), "ids grow: {ids:?}");
    let all = s.audit_entries(&AuditFilter { limit: 100, ..Default::default() }).unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), ids.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(all[0].targets, ["t-1"]);
    let ana = s.audit_entries(&AuditFilter { user: Some("ana".into()), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(ana.len(), 3);
    let area = s.audit_entries(&AuditFilter { route: Some("/api/v1/automation".into()), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(area.len(), 3);
    let window = s.audit_entries(&AuditFilter { since: Some(at(1)), until: Some(at(3)), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(window.len(), 2);
    let page = s.audit_entries(&AuditFilter { limit: 2, before_id: Some(ids[2]), ..Default::default() }).unwrap();
    assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [ids[1], ids[0]]);
    assert!(s.audit_repeated(ids[0], 2).unwrap());
    assert!(s.audit_repeated(ids[0], u32::MAX).unwrap(), "capped, not overflowing");
    assert!(!s.audit_repeated(ids[4] + 100, 1).unwrap(), "no such row");
    assert_eq!(s.prune_audit(at(2)).unwrap(), 2);
    assert_eq!(s.audit_entries(&AuditFilter { limit: 100, ..Default::default() }).unwrap().len(), 3);
}

conformance!(audit_is_appended_filtered_paged_counted_and_pruned);
