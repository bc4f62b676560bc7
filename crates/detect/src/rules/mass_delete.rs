//! Many S3 objects deleted by one principal in a short time (S3 data events:
//! `DeleteObject`, `DeleteObjects`): destruction, or the clean-up after a copy.

use crate::config::Thresholds as T;
use crate::{clusters, most_in_window, ok, param, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_mass_object_deletion",
    title: "Many S3 objects deleted",
    guardduty_type: "Impact:S3/AnomalousBehavior.Delete",
    severity: Severity::High,
    tactic: "Impact",
    technique: "T1485",
    technique_name: "Data Destruction",
    description: "One principal deleted many S3 objects within a few minutes (seen in S3 data events, which a trail records only when configured to).",
    remediation: "Confirm with the principal's owner; if unexpected, revoke its credentials and restore the objects from versions or backups.",
};

/// The objects a record deletes (bucket/key; the object ARNs CloudTrail lists for
/// `DeleteObjects`, else the call itself as one).
fn deleted(e: &Event) -> Vec<String> {
    if !(ok(e) && e.source == "s3.amazonaws.com") {
        return Vec::new();
    }
    let bucket = param(e, "bucketName").unwrap_or("");
    match e.name.as_str() {
        "DeleteObject" => vec![format!("{bucket}/{}", param(e, "key").unwrap_or(&e.id))],
        "DeleteObjects" => {
            let objects: Vec<String> =
                e.resource_arns.iter().filter(|a| a.matches('/').count() >= 1 && a.starts_with("arn:aws:s3:::")).cloned().collect();
            if objects.is_empty() {
                vec![format!("{bucket}/(batch {})", e.id)]
            } else {
                objects
            }
        }
        _ => Vec::new(),
    }
}

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    let need = T::at_least_one(t.deleted_objects);
    for (_, list) in clusters(events, t.window(), |e| (!deleted(e).is_empty()).then(|| Actor::of(e).key)) {
        let most = most_in_window(&list, t.window(), deleted);
        if most < need {
            continue;
        }
        let reason = format!("{most} objects deleted within {} minutes; the threshold is {need}.", t.window_minutes);
        out.push(Hit { rule: &RULE, actor: Actor::of(list[0]), events: list, reason, severity: None });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_hundred_deletions_are_seen_and_ninety_nine_are_not() {
        let del: Vec<_> = (0..100)
            .map(|i| record(&format!("d{i}"), "s3", "DeleteObject", alice(), i, json!({"bucketName": "b", "key": format!("k{i}")})))
            .collect();
        assert_eq!(seen_by("threat_mass_object_deletion", &del).len(), 1);
        assert!(seen_by("threat_mass_object_deletion", &del[..99]).is_empty());
    }
}
