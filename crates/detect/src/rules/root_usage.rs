//! The root user's credentials used: for a sign-in or an API call. AWS advises using root
//! only for the few tasks that need it.

use crate::who::{by_service, kind};
use crate::{clusters, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_root_credential_usage",
    title: "Root user credentials used",
    guardduty_type: "Policy:IAMUser/RootCredentialUsage",
    severity: Severity::Low,
    tactic: "Privilege Escalation",
    technique: "T1078.004",
    technique_name: "Valid Accounts: Cloud Accounts",
    description: "The account's root user signed in or called an API. Root can do anything in the account and cannot be limited by IAM policies; it should be used only for the few tasks that need it.",
    remediation: "Confirm with the account's owner; if unexpected, change the root password, remove any root access keys, and make sure root has MFA.",
};

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    // One finding per stretch of root activity (calls no more than the window apart).
    for (_, list) in clusters(events, t.window(), |e| (kind(e) == "Root" && !by_service(e)).then(|| e.account.clone())) {
        let mut names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let reason = format!("The root user of {} made {} call(s): {}.", list[0].account, list.len(), names.join(", "));
        out.push(Hit { rule: &RULE, actor: Actor::of(list[0]), events: list, reason, severity: None });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn root_activity_is_one_finding_per_stretch_and_services_for_root_are_not() {
        let root = json!({"type": "Root", "principalId": ACCOUNT, "arn": format!("arn:aws:iam::{ACCOUNT}:root"), "accountId": ACCOUNT});
        let mut by_service = root.clone();
        by_service["invokedBy"] = json!("support.amazonaws.com");
        let r = [
            record("a", "iam", "ListUsers", root.clone(), 0, json!(null)),
            record("b", "iam", "CreateAccessKey", root.clone(), 60, json!(null)),
            record("svc", "iam", "ListUsers", by_service, 61, json!(null)),
            record("c", "s3", "ListBuckets", root.clone(), 7200, json!(null)),
            record("user", "s3", "ListBuckets", alice(), 7201, json!(null)),
        ];
        assert_eq!(seen_by("threat_root_credential_usage", &r), vec![vec!["a", "b"], vec!["c"]]);
    }
}
