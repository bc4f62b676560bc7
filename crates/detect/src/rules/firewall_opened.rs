//! A security group opened to the whole internet (`0.0.0.0/0` or `::/0`).

use crate::{is, ok, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_firewall_opened",
    title: "Security group opened to the internet",
    guardduty_type: "",
    severity: Severity::Medium,
    tactic: "Defense Evasion",
    technique: "T1562.007",
    technique_name: "Impair Defenses: Disable or Modify Cloud Firewall",
    description: "A security group rule was added that admits traffic from any address (a /0 range): what the group protects is reachable from the internet on those ports.",
    remediation: "Remove the rule or narrow it to known addresses; check what listens on those ports.",
};

/// Whether a CIDR is a whole address space (`/0`).
fn world(cidr: &str) -> bool {
    cidr.ends_with("/0")
}

/// The port ranges a request opens to the world, as `tcp/22`, `all`, ...
fn open_ranges(e: &Event) -> Vec<(String, i64, i64)> {
    let mut out = Vec::new();
    let port = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(-1);
    let proto = |v: &Value| v.get("ipProtocol").and_then(Value::as_str).unwrap_or("-1").to_string();
    // The old single-rule form.
    if e.request.get("cidrIp").and_then(Value::as_str).is_some_and(world) {
        out.push((proto(&e.request), port(&e.request, "fromPort"), port(&e.request, "toPort")));
    }
    let items = e.request.pointer("/ipPermissions/items").and_then(Value::as_array).cloned().unwrap_or_default();
    for p in &items {
        let v4 = p.pointer("/ipRanges/items").and_then(Value::as_array).into_iter().flatten().filter_map(|r| r.get("cidrIp")?.as_str());
        let v6 = p.pointer("/ipv6Ranges/items").and_then(Value::as_array).into_iter().flatten().filter_map(|r| r.get("cidrIpv6")?.as_str());
        if v4.chain(v6).any(world) {
            out.push((proto(p), port(p, "fromPort"), port(p, "toPort")));
        }
    }
    out
}

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    for e in events {
        if !(ok(e) && is(e, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress")) {
            continue;
        }
        let ranges = open_ranges(e);
        if ranges.is_empty() {
            continue;
        }
        let web_only = ranges.iter().all(|(p, from, to)| p == "tcp" && from == to && (*from == 80 || *from == 443));
        let shown: Vec<String> = ranges
            .iter()
            .map(|(p, from, to)| match (p.as_str(), from, to) {
                ("-1", _, _) => "all traffic".to_string(),
                (p, f, t) if f == t => format!("{p}/{f}"),
                (p, f, t) => format!("{p}/{f}-{t}"),
            })
            .collect();
        let group = e.request.get("groupId").and_then(Value::as_str).unwrap_or("?");
        out.push(Hit {
            rule: &RULE,
            actor: Actor::of(e),
            events: vec![e],
            reason: format!("AuthorizeSecurityGroupIngress opened {} of `{group}` to any address.", shown.join(", ")),
            // A web port open to the world is often meant; anything else rarely is.
            severity: web_only.then_some(Severity::Low),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_rule_from_any_address_is_seen_and_web_ports_are_low() {
        let ssh = json!({"groupId": "sg-1", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
            "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}});
        let office = json!({"groupId": "sg-1", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
            "ipRanges": {"items": [{"cidrIp": "203.0.113.0/24"}]}}]}});
        let web = json!({"groupId": "sg-2", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
            "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}});
        let old_form = json!({"groupId": "sg-3", "cidrIp": "0.0.0.0/0", "ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389});
        let r = [
            record("ssh", "ec2", "AuthorizeSecurityGroupIngress", alice(), 0, ssh),
            record("office", "ec2", "AuthorizeSecurityGroupIngress", alice(), 1, office),
            record("web", "ec2", "AuthorizeSecurityGroupIngress", alice(), 2, web),
            record("old", "ec2", "AuthorizeSecurityGroupIngress", alice(), 3, old_form),
        ];
        let events = events(&r);
        let hits = crate::hits(&events, &crate::Thresholds::default());
        let got: Vec<(Vec<String>, rampart_model::Severity)> = hits
            .iter()
            .filter(|h| h.rule.id == "threat_firewall_opened")
            .map(|h| (h.event_ids(), h.severity.unwrap_or(h.rule.severity)))
            .collect();
        use rampart_model::Severity::*;
        assert_eq!(got, vec![(vec!["ssh".to_string()], Medium), (vec!["web".to_string()], Low), (vec!["old".to_string()], Medium)]);
        assert!(hits[0].reason.contains("tcp/22 of `sg-1`"), "{}", hits[0].reason);
    }
}
