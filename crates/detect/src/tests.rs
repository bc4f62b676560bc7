use crate::testing::*;
use serde_json::json;

#[test]
fn a_finding_carries_its_technique_events_and_a_stable_id() {
    let r = [record("e1", "cloudtrail", "StopLogging", alice(), 0, json!({"name": "main"}))];
    let events = events(&r);
    let f = crate::detect(&events, &crate::Thresholds::default());
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(f.check_id, "threat_logging_disabled");
    assert_eq!(crate::ttps(f).collect::<Vec<_>>(), vec!["TTPs/Defense Evasion/T1562.008"]);
    assert_eq!(f.detail, "e1");
    assert_eq!(f.resource.id, format!("arn:aws:iam::{ACCOUNT}:user/alice"));
    assert_eq!(f.resource.kind, rampart_model::ResourceType::AwsIamUser);
    assert_eq!(f.status, rampart_model::Status::Failed);
    assert_eq!(f.remediation_url, "https://attack.mitre.org/techniques/T1562/008/");
    assert_eq!(f.id, crate::detect(&events, &crate::Thresholds::default())[0].id);
    assert!(f.id.starts_with("rampart/threat_logging_disabled/"));
}

#[test]
fn every_rule_has_a_unique_id_a_technique_and_a_run() {
    let mut ids: Vec<&str> = crate::catalogue().iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), crate::rules::RUNS.len());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), crate::catalogue().len());
    for r in crate::catalogue() {
        assert!(r.id.starts_with("threat_"), "{}", r.id);
        assert!(
            r.technique.starts_with('T') && r.technique[1..].split('.').all(|p| p.chars().all(|c| c.is_ascii_digit())),
            "{}",
            r.technique
        );
        assert!(
            [
                "Initial Access",
                "Execution",
                "Persistence",
                "Privilege Escalation",
                "Defense Evasion",
                "Credential Access",
                "Discovery",
                "Lateral Movement",
                "Collection",
                "Exfiltration",
                "Impact"
            ]
            .contains(&r.tactic),
            "{}",
            r.tactic
        );
    }
}

#[test]
fn a_long_list_of_events_is_capped_in_the_detail() {
    let r: Vec<_> = (0..60)
        .map(|i| {
            record(
                &format!("e{i:02}"),
                "iam",
                "ListUsers",
                json!({"type": "Root", "accountId": ACCOUNT, "arn": format!("arn:aws:iam::{ACCOUNT}:root")}),
                i,
                json!(null),
            )
        })
        .collect();
    let events = events(&r);
    let f = crate::detect(&events, &crate::Thresholds::default());
    assert_eq!(f.len(), 1);
    assert!(f[0].detail.ends_with(" (+10 more)"), "{}", f[0].detail);
    assert_eq!(f[0].detail.split(' ').filter(|w| w.starts_with('e')).count(), crate::MAX_EVENT_IDS);
}
