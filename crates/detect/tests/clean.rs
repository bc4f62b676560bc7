//! Acceptance: a clean set of ordinary activity (`rampart_detect::generate`, 3,000 records
//! of a working day) raises none of the medium-or-higher detections.

use rampart_detect::generate::{benign, ORG_ACCOUNT};
use rampart_detect::{hits, Thresholds};
use rampart_model::Severity;

#[test]
fn ordinary_activity_raises_nothing_medium_or_higher() {
    let records = benign(3_000, 20261207, time::macros::datetime!(2026-12-07 08:00 UTC));
    assert!(records.len() >= 2_000);
    let events: Vec<_> = records.iter().map(|r| rampart_cloudtrail::log::event(r).unwrap()).collect();
    // The organisation's backup account is named as trusted, as an organisation's
    // configuration names its own accounts.
    let t = Thresholds { trusted_accounts: vec![ORG_ACCOUNT.to_string()], ..Thresholds::default() };
    let found = hits(&events, &t);
    let loud: Vec<String> = found
        .iter()
        .filter(|h| h.severity.unwrap_or(h.rule.severity) >= Severity::Medium)
        .map(|h| format!("{} {}: {}", h.rule.id, h.actor.name, h.reason))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    // The root user's sign-in is there, and reported at low severity: the detections did run.
    assert!(found.iter().any(|h| h.rule.id == "threat_root_credential_usage"), "{:?}", found.iter().map(|h| h.rule.id).collect::<Vec<_>>());
    // Without the organisation's account trusted, its snapshot shares are outside.
    assert!(hits(&events, &Thresholds::default()).iter().any(|h| h.rule.id == "threat_shared_outside"));
}
