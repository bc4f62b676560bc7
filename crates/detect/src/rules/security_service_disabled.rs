//! GuardDuty, AWS Config, Security Hub, Access Analyzer, Macie or Inspector turned off,
//! or detached from the administrator account that watches it.

use crate::rules::each;
use crate::{ok, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_security_service_disabled",
    title: "Security service disabled",
    guardduty_type: "DefenseEvasion:IAMUser/AnomalousBehavior",
    severity: Severity::High,
    tactic: "Defense Evasion",
    technique: "T1562.001",
    technique_name: "Impair Defenses: Disable or Modify Tools",
    description: "A security monitoring service (GuardDuty, AWS Config, Security Hub, IAM Access Analyzer, Macie or Inspector) was turned off or detached from its administrator account.",
    remediation: "Re-enable the service (and its administrator association); treat the principal as possibly compromised until its owner confirms the change.",
};

/// (event source, operation) pairs that turn a service off.
const OFF: &[(&str, &str)] = &[
    ("guardduty.amazonaws.com", "DeleteDetector"),
    ("guardduty.amazonaws.com", "DisassociateFromMasterAccount"),
    ("guardduty.amazonaws.com", "DisassociateFromAdministratorAccount"),
    ("config.amazonaws.com", "StopConfigurationRecorder"),
    ("config.amazonaws.com", "DeleteConfigurationRecorder"),
    ("config.amazonaws.com", "DeleteDeliveryChannel"),
    ("securityhub.amazonaws.com", "DisableSecurityHub"),
    ("securityhub.amazonaws.com", "DisassociateFromMasterAccount"),
    ("securityhub.amazonaws.com", "DisassociateFromAdministratorAccount"),
    ("access-analyzer.amazonaws.com", "DeleteAnalyzer"),
    ("macie2.amazonaws.com", "DisableMacie"),
    ("inspector2.amazonaws.com", "Disable"),
];

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !ok(e) {
            return None;
        }
        if OFF.iter().any(|(s, n)| e.source == *s && e.name == *n) {
            return Some(format!("{} called {} in {}.", e.service(), e.name, e.region));
        }
        // GuardDuty's UpdateDetector with `enable: false` suspends the detector.
        if e.source == "guardduty.amazonaws.com" && e.name == "UpdateDetector" && e.request.get("enable") == Some(&Value::Bool(false)) {
            return Some(format!("guardduty UpdateDetector suspended the detector in {}.", e.region));
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn turning_a_service_off_is_seen_and_turning_it_on_is_not() {
        let r = [
            record("gd", "guardduty", "DeleteDetector", alice(), 0, json!({"detectorId": "d1"})),
            record("suspend", "guardduty", "UpdateDetector", alice(), 1, json!({"detectorId": "d1", "enable": false})),
            record("resume", "guardduty", "UpdateDetector", alice(), 2, json!({"detectorId": "d1", "enable": true})),
            record("cfg", "config", "StopConfigurationRecorder", alice(), 3, json!({"configurationRecorderName": "default"})),
            record("sh", "securityhub", "DisableSecurityHub", alice(), 4, json!({})),
            record("on", "securityhub", "EnableSecurityHub", alice(), 5, json!({})),
        ];
        assert_eq!(seen_by("threat_security_service_disabled", &r), vec![vec!["gd"], vec!["suspend"], vec!["cfg"], vec!["sh"]]);
    }
}
