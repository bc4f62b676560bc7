//! Temporary credentials of an EC2 instance's role used from somewhere other than the
//! instance. CloudTrail marks a session delivered to an instance (`ec2RoleDelivery`) and
//! names it by the instance id. Without an inventory of the instances' addresses, two
//! signs are read from the records alone:
//! * the session is used from an address that people call from (IAM users, root, IAM
//!   Identity Center sessions): a workstation outside the instance. Other workloads'
//!   sessions are not counted: behind one NAT gateway, instances, functions and tasks share
//!   an address;
//! * one set of the session's credentials (one access key id) is used from more than one
//!   public address (an instance has one way out; private addresses, through VPC endpoints,
//!   are not counted; an instance stopped and started gets a new address and new
//!   credentials).

use crate::who::{by_service, instance_session, kind};
use crate::{Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

pub static RULE: Rule = Rule {
    id: "threat_instance_credentials_outside",
    title: "Instance credentials used outside their instance",
    guardduty_type: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
    severity: Severity::High,
    tactic: "Credential Access",
    technique: "T1552.005",
    technique_name: "Unsecured Credentials: Cloud Instance Metadata API",
    description: "Temporary credentials delivered to an EC2 instance were used from an address that is not the instance's: someone copied them off the instance (through its metadata service, a server-side request forgery, or a shell on it).",
    remediation: "Revoke the role's active sessions (an inline deny on tokens issued before now), find how the credentials left the instance, and require IMDSv2 on it.",
};

/// A public address (not private, loopback, link-local or shared): the kind an instance
/// reaches AWS from over the internet. An address that is not an IP (an AWS service's
/// name) is not one.
fn public(ip: &str) -> bool {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => {
            let [x, y, ..] = a.octets();
            !(a.is_private() || a.is_loopback() || a.is_link_local() || a.is_unspecified() || (x == 100 && (64..128).contains(&y)))
        }
        Ok(IpAddr::V6(a)) => {
            !(a.is_loopback() || a.is_unspecified() || (a.segments()[0] & 0xfe00) == 0xfc00 || (a.segments()[0] & 0xffc0) == 0xfe80)
        }
        Err(_) => false,
    }
}

/// Whether a record's caller is a person: an IAM user, root, or an IAM Identity Center
/// session (its role is named `AWSReservedSSO_...`).
fn person(e: &Event) -> bool {
    match kind(e) {
        "IAMUser" | "Root" => true,
        "AssumedRole" => e
            .user_identity
            .pointer("/sessionContext/sessionIssuer/userName")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|r| r.starts_with("AWSReservedSSO_")),
        _ => false,
    }
}

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    // Addresses people call from.
    let mut others: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    // Each instance session's records, by (session key, instance, access key id).
    let mut sessions: BTreeMap<(String, &str, &str), Vec<&'a Event>> = BTreeMap::new();
    for e in events {
        let Some(ip) = e.source_ip.as_deref() else { continue };
        if by_service(e) {
            continue;
        }
        match instance_session(e) {
            Some(instance) => {
                let key_id = e.user_identity.get("accessKeyId").and_then(serde_json::Value::as_str).unwrap_or("");
                sessions.entry((Actor::of(e).key, instance, key_id)).or_default().push(e)
            }
            None if person(e) => {
                others.entry(ip).or_default().insert(Actor::of(e).name);
            }
            None => {}
        }
    }
    for ((_, instance, _), list) in sessions {
        let shared: Vec<&Event> =
            list.iter().copied().filter(|e| e.source_ip.as_deref().is_some_and(|ip| others.contains_key(ip))).collect();
        let addresses: BTreeSet<&str> = list.iter().filter_map(|e| e.source_ip.as_deref()).filter(|ip| public(ip)).collect();
        let reason = if let Some(first) = shared.first() {
            let ip = first.source_ip.as_deref().unwrap_or("");
            let who: Vec<&str> = others[ip].iter().map(String::as_str).collect();
            format!("Credentials of instance {instance} were used from {ip}, the address {} also call(s) from.", who.join(", "))
        } else if addresses.len() > 1 {
            format!(
                "Credentials of instance {instance} were used from {} public addresses: {}.",
                addresses.len(),
                addresses.iter().copied().collect::<Vec<_>>().join(", ")
            )
        } else {
            continue;
        };
        let events = if shared.is_empty() { list } else { shared };
        out.push(Hit { rule: &RULE, actor: Actor::of(events[0]), events, reason, severity: None });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    fn instance_call(id: &str, ip: &str, at: i64) -> serde_json::Value {
        let mut who = role_session("i-0abc");
        who["sessionContext"]["ec2RoleDelivery"] = json!("2.0");
        let mut r = record(id, "ec2", "DescribeInstances", who, at, json!({}));
        r["sourceIPAddress"] = json!(ip);
        r
    }

    #[test]
    fn a_session_used_from_a_users_address_or_two_public_addresses_is_seen() {
        let mut user = record("u", "iam", "ListUsers", alice(), 0, json!(null));
        user["sourceIPAddress"] = json!("198.51.100.7");
        let stolen = [user.clone(), instance_call("i1", "203.0.113.5", 1), instance_call("i2", "198.51.100.7", 2)];
        assert_eq!(seen_by("threat_instance_credentials_outside", &stolen), vec![vec!["i2"]]);
        let two = [instance_call("a", "203.0.113.5", 1), instance_call("b", "192.0.2.9", 2)];
        assert_eq!(seen_by("threat_instance_credentials_outside", &two), vec![vec!["a", "b"]]);
        // The instance's public address and a VPC endpoint's private one: its own.
        let own = [instance_call("c", "203.0.113.5", 1), instance_call("d", "10.0.1.17", 2), instance_call("e", "203.0.113.5", 3)];
        assert!(seen_by("threat_instance_credentials_outside", &own).is_empty());
        // Behind one NAT gateway a function shares the instance's address: not a person.
        let mut function = record("fn", "dynamodb", "DescribeTable", role_session("orders-fn"), 0, json!({}));
        function["sourceIPAddress"] = json!("203.0.113.5");
        assert!(seen_by("threat_instance_credentials_outside", &[function, instance_call("f", "203.0.113.5", 1)]).is_empty());
        // Stopped and started: a new address with new credentials.
        let mut later = instance_call("h", "192.0.2.9", 9000);
        later["userIdentity"]["accessKeyId"] = json!("ASIANEWKEY");
        assert!(seen_by("threat_instance_credentials_outside", &[instance_call("g", "203.0.113.5", 1), later]).is_empty());
    }
}
