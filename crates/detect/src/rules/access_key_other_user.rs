//! An access key created for another IAM user: a way back in that survives the loss of
//! the credentials used to create it.

use crate::rules::each;
use crate::who::user_name;
use crate::{is, ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_access_key_for_other_user",
    title: "Access key created for another user",
    guardduty_type: "Persistence:IAMUser/AnomalousBehavior",
    severity: Severity::Medium,
    tactic: "Persistence",
    technique: "T1098.001",
    technique_name: "Account Manipulation: Additional Cloud Credentials",
    description: "A principal created an access key for an IAM user other than itself: long-lived credentials that keep working after the creator's own are revoked.",
    remediation: "Confirm with the user's owner; if unexpected, delete the key and review what it was used for.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !(ok(e) && is(e, "iam.amazonaws.com", "CreateAccessKey")) {
            return None;
        }
        // Without `userName` the key is the caller's own.
        let target = param(e, "userName")?;
        (user_name(e) != Some(target)).then(|| format!("CreateAccessKey created an access key for the user `{target}`."))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_key_for_someone_else_is_seen_and_ones_own_is_not() {
        let r = [
            record("other", "iam", "CreateAccessKey", alice(), 0, json!({"userName": "bob"})),
            record("own", "iam", "CreateAccessKey", alice(), 1, json!({"userName": "alice"})),
            record("implicit", "iam", "CreateAccessKey", alice(), 2, json!(null)),
            record("byrole", "iam", "CreateAccessKey", role_session("admin"), 3, json!({"userName": "alice"})),
        ];
        assert_eq!(seen_by("threat_access_key_for_other_user", &r), vec![vec!["other"], vec!["byrole"]]);
    }
}
