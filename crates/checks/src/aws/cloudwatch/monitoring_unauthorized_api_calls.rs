//! CIS AWS Foundations Benchmark v3.0.0 4.1: unauthorized API calls must be monitored.
//!
//! The benchmark: "It is recommended that a metric filter and alarm be established for unauthorized
//! API calls." Its audit also requires the alarm's SNS topic to have a subscriber: "at least one
//! subscription should have "SubscriptionArn" with valid aws ARN". Security Hub's CloudWatch.2 (CIS
//! v1.2.0/v1.4.0) checks the same with its own pattern, which is also accepted; CloudWatch.2 is not
//! part of FSBP.
//!
//! One result per account; how the trail, the filter pattern, the alarm and the topic are
//! judged is in [`super`] (a filter that misses one of the pattern's terms, or adds one, does
//! not count).

use super::{judge_monitoring, Monitoring};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The benchmark's pattern as written, the same with its `||` in parentheses (see [`super`]), then CloudWatch.2's.
pub const PATTERNS: &[&str] = &[
    r#"{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
    r#"{ (($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
    r#"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#,
];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_monitoring_unauthorized_api_calls",
        title: "Unauthorized API calls are not monitored by a metric filter and alarm",
        description: "A metric filter on the CloudTrail log group with an alarm that notifies someone turns unauthorized API calls into an alert within minutes, instead of a record found after the fact.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("4.1")],
        remediation: Remediation {
            console: "CloudWatch console > Log groups > the multi-region trail's log group > Actions > Create metric filter with the CIS pattern; then create an alarm on its metric (Sum >= 1) that notifies an SNS topic with a confirmed subscription.",
            cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name <name> --metric-transformations metricName=<metric>,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '<CIS pattern>' && aws cloudwatch put-metric-alarm --alarm-name <name> --metric-name <metric> --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions <sns-topic-arn>",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    judge_monitoring(ctx, out, &Monitoring { what: "unauthorized API calls", slug: "unauthorized-api-calls", patterns: PATTERNS });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_must_be_the_benchmarks() {
        super::super::tests::pattern_boundaries(&CHECK, PATTERNS, " && ($.eventName!=\"HeadBucket\")", ("AccessDenied*", "AccessDenied"));
    }
}
