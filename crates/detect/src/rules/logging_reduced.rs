//! A trail told to record less: event selectors that drop management events or record
//! only reads or only writes, or an update that makes a multi-region trail single-region
//! or drops global service events.

use crate::rules::each;
use crate::{is, ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_logging_reduced",
    title: "Trail logging reduced",
    guardduty_type: "",
    severity: Severity::Medium,
    tactic: "Defense Evasion",
    technique: "T1562.008",
    technique_name: "Impair Defenses: Disable or Modify Cloud Logs",
    description: "A CloudTrail trail was changed to record less: its event selectors drop management events or keep only reads or only writes, or it stopped covering every region or global services.",
    remediation: "Restore the trail's selectors (all management events, read and write) and its multi-region setting; find out who changed it and why.",
};

/// What a `PutEventSelectors` request leaves out, in words; empty when it records every
/// management event.
fn selectors_reduce(request: &Value) -> Vec<String> {
    let mut why = Vec::new();
    if let Some(Value::Array(list)) = request.get("eventSelectors") {
        for s in list {
            if s.get("includeManagementEvents") == Some(&Value::Bool(false)) {
                why.push("a selector excludes management events".to_string());
            }
            if let Some(rw) = s.get("readWriteType").and_then(Value::as_str).filter(|rw| *rw != "All") {
                why.push(format!("a selector records {rw} events only"));
            }
            if s.get("excludeManagementEventSources").and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
                why.push("a selector excludes management event sources".to_string());
            }
        }
        if !list.iter().any(|s| s.get("includeManagementEvents") != Some(&Value::Bool(false))) {
            why.push("no selector records management events".to_string());
        }
    }
    if let Some(Value::Array(list)) = request.get("advancedEventSelectors") {
        let management = |s: &Value| {
            s.get("fieldSelectors").and_then(Value::as_array).is_some_and(|f| {
                f.iter().any(|c| {
                    c.get("field").and_then(Value::as_str) == Some("eventCategory")
                        && c.get("equals").and_then(Value::as_array).is_some_and(|e| e.iter().any(|v| v == "Management"))
                })
            })
        };
        if !list.iter().any(management) {
            why.push("no advanced selector records management events".to_string());
        }
    }
    why.sort();
    why.dedup();
    why
}

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !ok(e) {
            return None;
        }
        let trail = param(e, "trailName").or_else(|| param(e, "name")).unwrap_or("?");
        if is(e, "cloudtrail.amazonaws.com", "PutEventSelectors") {
            let why = selectors_reduce(&e.request);
            (!why.is_empty()).then(|| format!("PutEventSelectors on the trail `{trail}`: {}.", why.join("; ")))
        } else if is(e, "cloudtrail.amazonaws.com", "UpdateTrail") {
            let mut why = Vec::new();
            if e.request.get("isMultiRegionTrail") == Some(&Value::Bool(false)) {
                why.push("it no longer covers every region");
            }
            if e.request.get("includeGlobalServiceEvents") == Some(&Value::Bool(false)) {
                why.push("it no longer records global service events (IAM, STS, CloudFront)");
            }
            if e.request.get("enableLogFileValidation") == Some(&Value::Bool(false)) {
                why.push("log file validation was turned off");
            }
            (!why.is_empty()).then(|| format!("UpdateTrail on the trail `{trail}`: {}.", why.join("; ")))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn selectors_and_updates_that_record_less_are_seen_and_full_ones_are_not() {
        let full = json!({"trailName": "main", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": true, "dataResources": []}]});
        let writes_only = json!({"trailName": "main", "eventSelectors": [{"readWriteType": "WriteOnly", "includeManagementEvents": true}]});
        let none = json!({"trailName": "main", "eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": false}]});
        let advanced_data_only =
            json!({"trailName": "main", "advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]}]}]});
        let advanced_full = json!({"trailName": "main", "advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]});
        let r = [
            record("full", "cloudtrail", "PutEventSelectors", alice(), 0, full),
            record("w", "cloudtrail", "PutEventSelectors", alice(), 1, writes_only),
            record("none", "cloudtrail", "PutEventSelectors", alice(), 2, none),
            record("adv", "cloudtrail", "PutEventSelectors", alice(), 3, advanced_data_only),
            record("advfull", "cloudtrail", "PutEventSelectors", alice(), 4, advanced_full),
            record("single", "cloudtrail", "UpdateTrail", alice(), 5, json!({"name": "main", "isMultiRegionTrail": false})),
            record("rename", "cloudtrail", "UpdateTrail", alice(), 6, json!({"name": "main", "s3KeyPrefix": "x"})),
        ];
        assert_eq!(seen_by("threat_logging_reduced", &r), vec![vec!["w"], vec!["none"], vec!["adv"], vec!["single"]]);
    }
}
