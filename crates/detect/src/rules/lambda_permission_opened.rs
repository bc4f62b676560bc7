//! A Lambda function's resource policy opened to everyone (`AddPermission` with principal
//! `*` and no source or organisation condition) or to an outside account: anyone (or that
//! account) can invoke it, a way back in that survives the loss of other credentials.

use crate::policy::account_of;
use crate::rules::each;
use crate::{ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_lambda_permission_opened",
    title: "Lambda function opened to an outside principal",
    guardduty_type: "",
    severity: Severity::High,
    tactic: "Persistence",
    technique: "T1098",
    technique_name: "Account Manipulation",
    description: "A Lambda function's resource policy was given a statement that lets anyone, or an account outside the organisation, invoke or change it.",
    remediation: "Remove the statement (lambda remove-permission), review the function's code and recent invocations, and confirm the change with its owner.",
};

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        // The operation carries the API version in its name (`AddPermission20150331v2`).
        if !(ok(e) && e.source == "lambda.amazonaws.com" && e.name.starts_with("AddPermission")) {
            return None;
        }
        let principal = param(e, "principal")?;
        let function = param(e, "functionName").unwrap_or("?");
        let action = param(e, "action").unwrap_or("?");
        let narrowed = ["sourceArn", "sourceAccount", "principalOrgID"].iter().any(|k| param(e, k).is_some_and(|v| !v.is_empty()));
        if principal == "*" && !narrowed {
            return Some(format!("{} lets anyone call {action} on the function `{function}`.", e.name));
        }
        account_of(principal)
            .filter(|a| t.outside(a, &e.account))
            .map(|a| format!("{} lets account {a} call {action} on the function `{function}`.", e.name))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn anyone_or_an_outside_account_is_seen_and_services_or_narrowed_ones_are_not() {
        let at = std::cell::Cell::new(0);
        let add = |id: &str, req: serde_json::Value| {
            at.set(at.get() + 1);
            record(id, "lambda", "AddPermission20150331v2", alice(), at.get(), req)
        };
        let r = [
            add("star", json!({"functionName": "f", "action": "lambda:InvokeFunction", "principal": "*", "statementId": "s"})),
            add("out", json!({"functionName": "f", "action": "lambda:InvokeFunction", "principal": "999988887777", "statementId": "s"})),
            add(
                "s3",
                json!({"functionName": "f", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::b"}),
            ),
            add("org", json!({"functionName": "f", "action": "lambda:InvokeFunction", "principal": "*", "principalOrgID": "o-abc"})),
            add(
                "own",
                json!({"functionName": "f", "action": "lambda:InvokeFunction", "principal": format!("arn:aws:iam::{ACCOUNT}:root")}),
            ),
        ];
        assert_eq!(seen_by("threat_lambda_permission_opened", &r), vec![vec!["star"], vec!["out"]]);
    }
}
