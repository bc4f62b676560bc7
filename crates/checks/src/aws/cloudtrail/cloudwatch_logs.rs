//! CloudTrail trails that do not deliver to CloudWatch Logs.
//!
//! Security Hub CloudTrail.5 (AWS Config rule `cloud-trail-cloud-watch-logs-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-5>.
//! A trail passes when it names a CloudWatch Logs log group (`CloudWatchLogsLogGroupArn`).
//! The AWS Config rule also looks at the last delivery time, which `DescribeTrails` does not
//! return: a trail whose deliveries fail still passes here. One result per trail, in its home
//! region.
//!
//! AWS: "The control fails if the `CloudWatchLogsLogGroupArn` property of the trail is empty"
//! (Security Hub CloudTrail.5).

use super::each_home_trail;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_cloudwatch_logs",
        title: "CloudTrail trails are not integrated with CloudWatch Logs",
        description: "Events delivered to CloudWatch Logs can drive metric filters and alarms (root use, policy changes, console logins without MFA) within minutes; events only in S3 are seen when someone looks.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[StandardRef::fsbp("CloudTrail.5")],
        remediation: Remediation {
            console: "CloudTrail console > Trails > the trail > CloudWatch Logs > Edit: select Enabled, choose a log group and an IAM role CloudTrail can assume to write to it.",
            cli: "aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |_, t, res, out| match t.cloud_watch_logs_log_group_arn.as_deref().filter(|g| !g.is_empty()) {
        Some(group) => out.pass(res, format!("delivers to log group `{group}`")),
        None => out.fail(res, "no CloudWatch Logs log group"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Trail};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).cloudtrail = Observed::Known(vec![
            Trail { cloud_watch_logs_log_group_arn: Some("arn:aws:logs:us-east-1:123456789012:log-group:trail:*".into()), ..trail("good", "us-east-1") },
            Trail { cloud_watch_logs_log_group_arn: None, ..trail("bad", "us-east-1") },
            Trail { cloud_watch_logs_log_group_arn: None, ..trail("shadow", "eu-west-1") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).cloudtrail = Observed::Unknown("cloudtrail:DescribeTrails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
