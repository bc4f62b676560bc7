//! A role's trust policy that lets an outside account (or anyone) assume it: `CreateRole`
//! or `UpdateAssumeRolePolicy` naming an AWS principal of an account that is neither the
//! role's own nor a trusted one (`trusted_accounts`).

use crate::policy::{account_of, allows, aws_principals, conditional, document};
use crate::{ok, param, Actor, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_role_trust_opened",
    title: "Role trust opened to an outside account",
    guardduty_type: "Persistence:IAMUser/AnomalousBehavior",
    severity: Severity::Medium,
    tactic: "Persistence",
    technique: "T1098",
    technique_name: "Account Manipulation",
    description: "A role's trust policy was written to let principals of another account (not a trusted one), or anyone, assume it: a way in from outside.",
    remediation: "Confirm the outside account is a known partner (then add it to `trusted_accounts`); otherwise restore the trust policy and review the role's sessions.",
};

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    for e in events {
        if !(ok(e) && e.source == "iam.amazonaws.com") {
            continue;
        }
        let doc = match e.name.as_str() {
            "CreateRole" => document(e.request.get("assumeRolePolicyDocument")),
            "UpdateAssumeRolePolicy" => document(e.request.get("policyDocument")),
            _ => continue,
        };
        let Some(doc) = doc else { continue };
        let mut outside = Vec::new();
        let mut anyone = false;
        for s in allows(&doc) {
            for p in aws_principals(s) {
                if p == "*" {
                    if !conditional(s) {
                        anyone = true;
                        outside.push(p);
                    }
                } else if account_of(&p).is_some_and(|a| t.outside(a, &e.account)) {
                    outside.push(p);
                }
            }
        }
        if outside.is_empty() {
            continue;
        }
        let role = param(e, "roleName").unwrap_or("?");
        out.push(Hit {
            rule: &RULE,
            actor: Actor::of(e),
            events: vec![e],
            reason: format!("{} lets {} assume the role `{role}`.", e.name, outside.join(", ")),
            severity: anyone.then_some(Severity::High),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    fn trust(principal: serde_json::Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}).to_string()
    }

    #[test]
    fn outside_accounts_and_anyone_are_seen_and_own_and_service_principals_are_not() {
        let r = [
            record(
                "out",
                "iam",
                "UpdateAssumeRolePolicy",
                alice(),
                0,
                json!({"roleName": "r", "policyDocument": trust(json!({"AWS": "arn:aws:iam::999988887777:root"}))}),
            ),
            record(
                "own",
                "iam",
                "CreateRole",
                alice(),
                1,
                json!({"roleName": "r", "assumeRolePolicyDocument": trust(json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}))}),
            ),
            record(
                "svc",
                "iam",
                "CreateRole",
                alice(),
                2,
                json!({"roleName": "r", "assumeRolePolicyDocument": trust(json!({"Service": "lambda.amazonaws.com"}))}),
            ),
            record(
                "all",
                "iam",
                "CreateRole",
                alice(),
                3,
                json!({"roleName": "r", "assumeRolePolicyDocument": trust(json!({"AWS": "*"}))}),
            ),
        ];
        assert_eq!(seen_by("threat_role_trust_opened", &r), vec![vec!["out"], vec!["all"]]);
        let trusted = crate::Thresholds { trusted_accounts: vec!["999988887777".into()], ..Default::default() };
        let events = events(&r[..1]);
        assert!(crate::hits(&events, &trusted).is_empty());
    }
}
