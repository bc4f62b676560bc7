//! A console sign-in of an IAM user or root that succeeded without MFA. Sign-ins through
//! an identity provider (SAML, IAM Identity Center) are left out: their MFA happens at the
//! provider and CloudTrail records `MFAUsed: No` for them.

use crate::rules::each;
use crate::who::kind;
use crate::{Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_console_login_without_mfa",
    title: "Console sign-in without MFA",
    guardduty_type: "",
    severity: Severity::Medium,
    tactic: "Initial Access",
    technique: "T1078.004",
    technique_name: "Valid Accounts: Cloud Accounts",
    description: "An IAM user or the root user signed in to the console with a password alone. A password that leaked is then enough to get in.",
    remediation: "Require MFA for the user (an MFA device and a policy that denies actions without aws:MultiFactorAuthPresent); if the sign-in is unexpected, reset the password.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if e.name != "ConsoleLogin" || e.source != "signin.amazonaws.com" {
            return None;
        }
        if !matches!(kind(e), "IAMUser" | "Root") {
            return None;
        }
        let success = e.response.get("ConsoleLogin").and_then(Value::as_str) == Some("Success");
        let mfa = e.additional.get("MFAUsed").and_then(Value::as_str);
        (success && mfa == Some("No"))
            .then(|| format!("ConsoleLogin succeeded from {} without MFA.", e.source_ip.as_deref().unwrap_or("an unknown address")))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    fn login(id: &str, who: serde_json::Value, mfa: &str, result: &str) -> serde_json::Value {
        let mut r = record(id, "signin", "ConsoleLogin", who, 0, json!(null));
        r["responseElements"] = json!({"ConsoleLogin": result});
        r["additionalEventData"] = json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": mfa});
        r["eventType"] = json!("AwsConsoleSignIn");
        r
    }

    #[test]
    fn a_password_only_sign_in_is_seen_and_mfa_failures_and_federation_are_not() {
        let r = [
            login("nomfa", alice(), "No", "Success"),
            login("mfa", alice(), "Yes", "Success"),
            login("failed", alice(), "No", "Failure"),
            login("saml", role_session("alice@example.com"), "No", "Success"),
        ];
        assert_eq!(seen_by("threat_console_login_without_mfa", &r), vec![vec!["nomfa"]]);
    }
}
