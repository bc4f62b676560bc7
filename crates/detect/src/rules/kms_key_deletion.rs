//! A KMS key scheduled for deletion: once deleted, whatever it encrypted cannot be read.

use crate::rules::each;
use crate::{is, ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_kms_key_deletion",
    title: "KMS key scheduled for deletion",
    guardduty_type: "",
    severity: Severity::Medium,
    tactic: "Impact",
    technique: "T1485",
    technique_name: "Data Destruction",
    description: "A KMS key was scheduled for deletion: when the waiting period ends, data encrypted under it is lost for good.",
    remediation: "If unexpected, cancel the deletion (kms cancel-key-deletion) before the waiting period ends and revoke the principal's credentials.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        (ok(e) && is(e, "kms.amazonaws.com", "ScheduleKeyDeletion")).then(|| {
            let days = e.request.get("pendingWindowInDays").and_then(serde_json::Value::as_i64).unwrap_or(30);
            format!("ScheduleKeyDeletion scheduled the key `{}` for deletion in {days} days.", param(e, "keyId").unwrap_or("?"))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn scheduling_is_seen_and_cancelling_is_not() {
        let r = [
            record("s", "kms", "ScheduleKeyDeletion", alice(), 0, json!({"keyId": "k", "pendingWindowInDays": 7})),
            record("c", "kms", "CancelKeyDeletion", alice(), 1, json!({"keyId": "k"})),
        ];
        assert_eq!(seen_by("threat_kms_key_deletion", &r), vec![vec!["s"]]);
    }
}
