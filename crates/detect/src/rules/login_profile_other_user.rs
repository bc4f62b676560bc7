//! A console password set for another IAM user (`CreateLoginProfile`,
//! `UpdateLoginProfile`): whoever set it can now sign in as that user.

use crate::rules::each;
use crate::who::user_name;
use crate::{ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_login_profile_for_other_user",
    title: "Console password set for another user",
    guardduty_type: "Persistence:IAMUser/AnomalousBehavior",
    severity: Severity::Medium,
    tactic: "Persistence",
    technique: "T1098.001",
    technique_name: "Account Manipulation: Additional Cloud Credentials",
    description: "A principal created or changed the console password of another IAM user: it can sign in as that user.",
    remediation: "Confirm with the user's owner; if unexpected, delete the login profile (or reset the password) and review the user's console activity.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !(ok(e) && e.source == "iam.amazonaws.com" && matches!(e.name.as_str(), "CreateLoginProfile" | "UpdateLoginProfile")) {
            return None;
        }
        let target = param(e, "userName")?;
        (user_name(e) != Some(target)).then(|| format!("{} set a console password for the user `{target}`.", e.name))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_password_for_someone_else_is_seen() {
        let r = [
            record("create", "iam", "CreateLoginProfile", alice(), 0, json!({"userName": "bob", "passwordResetRequired": false})),
            record("update", "iam", "UpdateLoginProfile", alice(), 1, json!({"userName": "bob"})),
            record("self", "iam", "UpdateLoginProfile", alice(), 2, json!({"userName": "alice"})),
        ];
        assert_eq!(seen_by("threat_login_profile_for_other_user", &r), vec![vec!["create"], vec!["update"]]);
    }
}
