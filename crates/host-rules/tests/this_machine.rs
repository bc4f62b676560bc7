//! The rules over this machine's real telemetry: no panic, and every rule gives at
//! least one result.

use std::collections::BTreeSet;
use std::path::Path;

use rampart_host_rules::{evaluate, findings, HostRef, REGISTRY};
use rampart_model::Status;

#[test]
fn evaluates_this_machine() {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let t = rampart_host::collect(Path::new("/"), now);
    let host = HostRef::from_telemetry(&t);
    let results = evaluate(&t, &host);
    let seen: BTreeSet<&str> = results.iter().map(|r| r.check_id).collect();
    for r in REGISTRY {
        assert!(seen.contains(r.meta.id), "no result from {}", r.meta.id);
    }
    let fs = findings(results.clone(), now);
    let ids: BTreeSet<&str> = fs.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids.len(), fs.len(), "finding ids are unique");
    let count = |s| results.iter().filter(|r| r.status == s).count();
    eprintln!(
        "{} results on {}: {} passed, {} failed, {} not available",
        results.len(),
        host.resource.id,
        count(Status::Passed),
        count(Status::Failed),
        count(Status::NotAvailable)
    );
    for r in &results {
        eprintln!(
            "{:13} {} [{}] {}",
            r.status.as_str(),
            r.check_id,
            r.detail,
            r.reason
        );
    }
}
