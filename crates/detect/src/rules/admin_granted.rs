//! Full administrator rights given to a user, group or role: the `AdministratorAccess`
//! managed policy attached, or an inline policy that allows every action on every resource.

use crate::policy::{allows, document, strings};
use crate::{ok, param, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_admin_granted",
    title: "Administrator rights granted",
    guardduty_type: "PrivilegeEscalation:IAMUser/AnomalousBehavior",
    severity: Severity::Medium,
    tactic: "Privilege Escalation",
    technique: "T1098.003",
    technique_name: "Account Manipulation: Additional Cloud Roles",
    description: "A user, group or role was given full administrator rights (AdministratorAccess, or an inline policy allowing every action on every resource).",
    remediation: "Confirm the grant with the principal's owner; if unexpected, detach the policy and review what the principal did with it.",
};

fn admin_document(v: Option<&serde_json::Value>) -> bool {
    let Some(doc) = document(v) else { return false };
    allows(&doc).iter().any(|s| strings(s.get("Action")).iter().any(|a| a == "*") && strings(s.get("Resource")).iter().any(|r| r == "*"))
}

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    for e in events {
        if !(ok(e) && e.source == "iam.amazonaws.com") {
            continue;
        }
        let target = ["userName", "roleName", "groupName"].iter().find_map(|k| param(e, k).map(|v| (k.trim_end_matches("Name"), v)));
        let Some((kind, name)) = target else { continue };
        let admin = match e.name.as_str() {
            "AttachUserPolicy" | "AttachRolePolicy" | "AttachGroupPolicy" => {
                param(e, "policyArn").is_some_and(|p| p.ends_with(":policy/AdministratorAccess"))
            }
            "PutUserPolicy" | "PutRolePolicy" | "PutGroupPolicy" => admin_document(e.request.get("policyDocument")),
            _ => false,
        };
        if admin {
            out.push(Hit {
                rule: &RULE,
                actor: Actor::of(e),
                events: vec![e],
                reason: format!("{} gave the {kind} `{name}` administrator rights.", e.name),
                severity: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn administrator_access_and_star_policies_are_seen_and_narrow_ones_are_not() {
        let star = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).to_string();
        let narrow = json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}).to_string();
        let r = [
            record(
                "attach",
                "iam",
                "AttachUserPolicy",
                alice(),
                0,
                json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            ),
            record(
                "ro",
                "iam",
                "AttachRolePolicy",
                alice(),
                1,
                json!({"roleName": "r", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            ),
            record("inline", "iam", "PutRolePolicy", alice(), 2, json!({"roleName": "r", "policyName": "p", "policyDocument": star})),
            record("narrow", "iam", "PutGroupPolicy", alice(), 3, json!({"groupName": "g", "policyName": "p", "policyDocument": narrow})),
        ];
        assert_eq!(seen_by("threat_admin_granted", &r), vec![vec!["attach"], vec!["inline"]]);
    }
}
