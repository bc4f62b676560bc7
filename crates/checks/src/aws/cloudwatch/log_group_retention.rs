//! Security Hub CloudWatch.16 (not part of FSBP): log groups keep their events for at least a
//! year.
//!
//! The control: "This controls evaluates if a CloudWatch log group has a retention period of at
//! least 1 year. The control fails if the retention period is less than 1 year." A group whose
//! events never expire (no retention setting) keeps them for more than a year and passes; one
//! year is 365 days, the control's default parameter. One result per log group.

use super::super::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

/// The shortest retention that passes.
pub const MIN_DAYS: i32 = 365;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_log_group_retention",
        title: "CloudWatch log groups keep their events for less than a year",
        description: "Logs deleted after a few days or months are gone when an incident is found later; investigations and log retention standards commonly need a year or more.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsLogsLogGroup,
        standards: &[],
        remediation: Remediation {
            console: "CloudWatch console > Log groups > the group > Actions > Edit retention setting: 1 year (365 days) or more, or Never expire.",
            cli: "aws logs put-retention-policy --log-group-name <name> --retention-in-days 365",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "logs",
        ResourceType::AwsLogsLogGroup,
        "log-group",
        |r| &r.log_groups,
        |account, region, g, out| {
            let res = resource(account, &region.name, ResourceType::AwsLogsLogGroup, g.arn.clone(), &g.name);
            match g.retention_in_days {
                None => out.pass(res, "events never expire"),
                Some(d) if d >= MIN_DAYS => out.pass(res, format!("events are kept {d} days")),
                Some(d) => out.fail(res, format!("events are kept only {d} days (at least {MIN_DAYS} required)")),
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LogGroup, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let group = |name: &str, days: Option<i32>| LogGroup {
            name: name.into(),
            arn: format!("arn:aws:logs:us-east-1:123456789012:log-group:{name}"),
            retention_in_days: days,
            kms_key_id: None,
        };
        let mut inv = inventory();
        region(&mut inv).log_groups =
            Observed::Known(vec![group("forever", None), group("year", Some(365)), group("almost", Some(364)), group("week", Some(7))]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed]);
        region(&mut inv).log_groups = Observed::Unknown("logs:DescribeLogGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
