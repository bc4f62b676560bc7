//! An account leaving its organisation: out from under the organisation's trail, service
//! control policies and delegated security services. Attempts are reported too: a refused
//! attempt is itself a sign of intent.

use crate::rules::each;
use crate::{is, ok, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_organization_leave",
    title: "Account left or tried to leave its organization",
    guardduty_type: "",
    severity: Severity::High,
    tactic: "Defense Evasion",
    technique: "T1666",
    technique_name: "Modify Cloud Resource Hierarchy",
    description: "LeaveOrganization was called: an account that leaves its organisation is no longer under its service control policies, organisation trail or delegated security services.",
    remediation: "If the account left, invite it back and review what changed while it was out; if the call was refused, find out who made it and why.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !is(e, "organizations.amazonaws.com", "LeaveOrganization") {
            return None;
        }
        Some(if ok(e) {
            format!("Account {} left its organization.", e.account)
        } else {
            format!(
                "Account {} tried to leave its organization; the call failed with {}.",
                e.account,
                e.error_code.as_deref().unwrap_or("?")
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn leaving_is_seen_even_when_refused() {
        let mut refused = record("no", "organizations", "LeaveOrganization", alice(), 0, json!(null));
        refused["errorCode"] = json!("AccessDenied");
        let r = [
            refused,
            record("yes", "organizations", "LeaveOrganization", alice(), 1, json!(null)),
            record("list", "organizations", "DescribeOrganization", alice(), 2, json!(null)),
        ];
        assert_eq!(seen_by("threat_organization_leave", &r), vec![vec!["no"], vec!["yes"]]);
    }
}
