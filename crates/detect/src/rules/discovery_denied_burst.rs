//! Many calls refused as not authorised to one principal in a short time: credentials
//! probing what they may do (enumeration), or a tool trying everything it knows.

use crate::config::Thresholds as T;
use crate::{clusters, denied, most_in_window, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_access_denied_burst",
    title: "Many calls refused as not authorised",
    guardduty_type: "Discovery:IAMUser/AnomalousBehavior",
    severity: Severity::Low,
    tactic: "Discovery",
    technique: "T1580",
    technique_name: "Cloud Infrastructure Discovery",
    description: "One principal made many calls that were refused as not authorised within a few minutes: the pattern of stolen credentials probing what they can do.",
    remediation: "Confirm with the principal's owner (a misconfigured application does this too); if unexpected, revoke its credentials.",
};

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    let need = T::at_least_one(t.denied_calls);
    for (_, list) in clusters(events, t.window(), |e| denied(e).then(|| Actor::of(e).key)) {
        // Each refused record counts once.
        let most = most_in_window(&list, t.window(), |e| vec![(e.time, e.id.clone(), e.name.clone())]);
        if most < need {
            continue;
        }
        let mut names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let reason = format!("{most} calls refused within {} minutes ({}); the threshold is {need}.", t.window_minutes, names.join(", "));
        out.push(Hit { rule: &RULE, actor: Actor::of(list[0]), events: list, reason, severity: None });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn ten_refusals_in_the_window_are_a_burst_and_nine_are_not() {
        let refused = |i: i64| {
            let mut r = record(&format!("d{i}"), "ec2", "DescribeInstanceAttribute", alice(), i * 5, json!({"attribute": "userData"}));
            r["errorCode"] = json!("Client.UnauthorizedOperation");
            r
        };
        let ten: Vec<_> = (0..10).map(refused).collect();
        assert_eq!(seen_by("threat_access_denied_burst", &ten).len(), 1);
        assert!(seen_by("threat_access_denied_burst", &ten[..9]).is_empty());
        // Other errors are not refusals.
        let mut throttled = ten.clone();
        for r in &mut throttled {
            r["errorCode"] = json!("ThrottlingException");
        }
        assert!(seen_by("threat_access_denied_burst", &throttled).is_empty());
    }
}
