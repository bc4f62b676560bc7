//! A trail stopped or deleted, VPC flow logs or Route 53 Resolver query logging deleted:
//! what an intruder does first so the rest is not recorded.

use crate::rules::each;
use crate::{is, ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_logging_disabled",
    title: "Logging stopped or deleted",
    guardduty_type: "Stealth:IAMUser/CloudTrailLoggingDisabled",
    // GuardDuty rates a stopped trail LOW; a responder treats the loss of the audit trail as
    // the start of an incident.
    severity: Severity::High,
    tactic: "Defense Evasion",
    technique: "T1562.008",
    technique_name: "Impair Defenses: Disable or Modify Cloud Logs",
    description: "A CloudTrail trail was stopped or deleted, or VPC flow logs or Route 53 Resolver query logging were deleted: what happens next is no longer recorded there.",
    remediation: "Confirm with the principal's owner; restart or recreate the logging (cloudtrail start-logging), and review what the principal did before and after.",
};

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !ok(e) {
            return None;
        }
        let trail = || param(e, "name").unwrap_or("?");
        if is(e, "cloudtrail.amazonaws.com", "StopLogging") {
            Some(format!("StopLogging stopped the trail `{}`.", trail()))
        } else if is(e, "cloudtrail.amazonaws.com", "DeleteTrail") {
            Some(format!("DeleteTrail deleted the trail `{}`.", trail()))
        } else if is(e, "ec2.amazonaws.com", "DeleteFlowLogs") {
            let ids = crate::leaves(&e.request).into_iter().filter(|s| s.starts_with("fl-")).collect::<Vec<_>>();
            Some(format!("DeleteFlowLogs deleted the VPC flow logs {}.", ids.join(", ")))
        } else if is(e, "route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig")
            || is(e, "route53resolver.amazonaws.com", "DisassociateResolverQueryLogConfig")
        {
            Some(format!("{} removed DNS query logging `{}`.", e.name, param(e, "resolverQueryLogConfigId").unwrap_or("?")))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn stop_and_delete_are_seen_and_failed_calls_and_reads_are_not() {
        let r = [
            record("e1", "cloudtrail", "StopLogging", alice(), 0, json!({"name": "main"})),
            record("e2", "cloudtrail", "DeleteTrail", alice(), 5, json!({"name": "main"})),
            record(
                "e3",
                "ec2",
                "DeleteFlowLogs",
                alice(),
                6,
                json!({"DeleteFlowLogsRequest": {"FlowLogId": {"tag": 1, "content": "fl-1"}}}),
            ),
            record("e4", "route53resolver", "DeleteResolverQueryLogConfig", alice(), 7, json!({"resolverQueryLogConfigId": "rqlc-1"})),
            record("e5", "cloudtrail", "GetTrailStatus", alice(), 8, json!({"name": "main"})),
        ];
        let mut failed = record("e6", "cloudtrail", "StopLogging", alice(), 9, json!({"name": "main"}));
        failed["errorCode"] = json!("AccessDenied");
        let mut all = r.to_vec();
        all.push(failed);
        assert_eq!(seen_by("threat_logging_disabled", &all), vec![vec!["e1"], vec!["e2"], vec!["e3"], vec!["e4"]]);
    }
}
