//! One principal reading many secrets in a short time: Secrets Manager `GetSecretValue` and
//! `BatchGetSecretValue`, SSM `GetParameter(s)`/`GetParametersByPath` with decryption.
//! Applications read the same few secrets again and again; what is counted is how many
//! *distinct* secrets one principal reads within the window. Refused reads count too: they
//! show what was tried.

use crate::config::Thresholds as T;
use crate::{clusters, most_in_window, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_secrets_read_burst",
    title: "Many secrets read in a short time",
    guardduty_type: "CredentialAccess:IAMUser/AnomalousBehavior",
    severity: Severity::Medium,
    tactic: "Credential Access",
    technique: "T1555.006",
    technique_name: "Credentials from Password Stores: Cloud Secrets Management Stores",
    description: "One principal read many distinct secrets (Secrets Manager secrets or decrypted SSM SecureString parameters) within a few minutes: the pattern of harvesting credentials rather than an application reading its own.",
    remediation: "Confirm with the principal's owner; if unexpected, rotate every secret it read and revoke its credentials.",
};

/// The secrets a record reads (names, ARNs, paths), empty when it reads none.
fn secrets_of(e: &Event) -> Vec<String> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    match (e.source.as_str(), e.name.as_str()) {
        ("secretsmanager.amazonaws.com", "GetSecretValue") => e.request.get("secretId").and_then(text).into_iter().collect(),
        ("secretsmanager.amazonaws.com", "BatchGetSecretValue") => {
            let listed: Vec<String> =
                e.request.get("secretIdList").and_then(Value::as_array).into_iter().flatten().filter_map(text).collect();
            if listed.is_empty() {
                // A read by filters: how many it returned is not recorded; the call is one read.
                vec![format!("batch {}", e.id)]
            } else {
                listed
            }
        }
        ("ssm.amazonaws.com", "GetParameter" | "GetParameters" | "GetParametersByPath") => {
            if e.request.get("withDecryption") != Some(&Value::Bool(true)) {
                return Vec::new();
            }
            let mut out: Vec<String> = e.request.get("names").and_then(Value::as_array).into_iter().flatten().filter_map(text).collect();
            out.extend(e.request.get("name").and_then(text));
            out.extend(e.request.get("path").and_then(text).map(|p| format!("{p}*")));
            out
        }
        _ => Vec::new(),
    }
}

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    let need = T::at_least_one(t.secrets_read);
    for (_, list) in clusters(events, t.window(), |e| (!secrets_of(e).is_empty()).then(|| Actor::of(e).key)) {
        let most = most_in_window(&list, t.window(), secrets_of);
        if most < need {
            continue;
        }
        let refused = list.iter().filter(|e| e.error_code.is_some()).count();
        let reason = format!(
            "{most} distinct secrets read within {} minutes ({} call(s), {refused} refused); the threshold is {need}.",
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

    fn get(id: &str, secret: &str, at: i64) -> serde_json::Value {
        record(id, "secretsmanager", "GetSecretValue", alice(), at, json!({"secretId": secret}))
    }

    #[test]
    fn five_distinct_secrets_in_ten_minutes_are_a_burst_and_one_secret_read_often_is_not() {
        let burst: Vec<_> = (0..5).map(|i| get(&format!("s{i}"), &format!("db-{i}"), i * 30)).collect();
        assert_eq!(seen_by("threat_secrets_read_burst", &burst), vec![vec!["s0", "s1", "s2", "s3", "s4"]]);
        let same: Vec<_> = (0..50).map(|i| get(&format!("r{i}"), "db-1", i * 10)).collect();
        assert!(seen_by("threat_secrets_read_burst", &same).is_empty());
        // Spread over more than the window: never five in one window.
        let slow: Vec<_> = (0..5).map(|i| get(&format!("w{i}"), &format!("db-{i}"), i * 200)).collect();
        assert!(seen_by("threat_secrets_read_burst", &slow).is_empty());
    }

    #[test]
    fn decrypted_parameters_count_and_plain_ones_do_not() {
        let names: Vec<String> = (0..6).map(|i| format!("/creds/{i}")).collect();
        let decrypted = record("p1", "ssm", "GetParameters", alice(), 0, json!({"names": names, "withDecryption": true}));
        let plain = record("p2", "ssm", "GetParameters", alice(), 0, json!({"names": names, "withDecryption": false}));
        assert_eq!(seen_by("threat_secrets_read_burst", &[decrypted]), vec![vec!["p1"]]);
        assert!(seen_by("threat_secrets_read_burst", &[plain]).is_empty());
    }
}
