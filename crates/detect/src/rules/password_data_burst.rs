//! One principal asking for the Windows password data of many instances in a short time
//! (`GetPasswordData`): reads of an administrator password, instance after instance.
//! Refused calls count: they show what was tried.

use crate::config::Thresholds as T;
use crate::{clusters, is, most_in_window, param, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_password_data_burst",
    title: "Windows password data of many instances requested",
    guardduty_type: "CredentialAccess:EC2/UnsecuredCredentials",
    severity: Severity::Medium,
    tactic: "Credential Access",
    technique: "T1552",
    technique_name: "Unsecured Credentials",
    description: "One principal asked for the encrypted Windows administrator password of many instances within a few minutes (GetPasswordData).",
    remediation: "Confirm with the principal's owner; if unexpected, change the administrator password of the instances it read and revoke its credentials.",
};

fn instance(e: &Event) -> Vec<String> {
    if is(e, "ec2.amazonaws.com", "GetPasswordData") {
        param(e, "instanceId").map(str::to_string).into_iter().collect()
    } else {
        Vec::new()
    }
}

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    let need = T::at_least_one(t.password_data_instances);
    for (_, list) in clusters(events, t.window(), |e| (!instance(e).is_empty()).then(|| Actor::of(e).key)) {
        let most = most_in_window(&list, t.window(), instance);
        if most < need {
            continue;
        }
        let refused = list.iter().filter(|e| e.error_code.is_some()).count();
        let reason = format!(
            "Password data of {most} instances requested within {} minutes ({refused} of {} call(s) refused); the threshold is {need}.",
            t.window_minutes,
            list.len()
        );
        out.push(Hit { rule: &RULE, actor: Actor::of(list[0]), events: list, reason, severity: None });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn many_instances_are_a_burst_and_one_is_not() {
        let many: Vec<_> = (0..5)
            .map(|i| record(&format!("g{i}"), "ec2", "GetPasswordData", alice(), i, json!({"instanceId": format!("i-{i}")})))
            .collect();
        assert_eq!(seen_by("threat_password_data_burst", &many).len(), 1);
        let one: Vec<_> =
            (0..5).map(|i| record(&format!("o{i}"), "ec2", "GetPasswordData", alice(), i, json!({"instanceId": "i-1"}))).collect();
        assert!(seen_by("threat_password_data_burst", &one).is_empty());
    }
}
