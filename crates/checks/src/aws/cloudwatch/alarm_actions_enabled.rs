//! Security Hub CloudWatch.17 (not part of FSBP): a metric alarm's actions must be activated.
//!
//! The control: "This control checks if CloudWatch alarm actions are activated (`ActionEnabled`
//! should be set to true). The control fails if the alarm action for a CloudWatch alarm is
//! deactivated." One result per metric alarm.

use super::{alarm_resource, each_alarm};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_alarm_actions_enabled",
        title: "CloudWatch alarm actions are deactivated",
        description: "With its actions deactivated an alarm still changes state but runs none of its actions: no notification, no scaling, no recovery.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsCloudWatchAlarm,
        standards: &[],
        remediation: Remediation {
            console: "CloudWatch console > Alarms > select the alarm > Actions > Enable actions.",
            cli: "aws cloudwatch enable-alarm-actions --alarm-names <name>",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_alarm(ctx, out, |account, region, a, out| {
        let res = alarm_resource(account, region, a);
        if a.actions_enabled {
            out.pass(res, "alarm actions are activated");
        } else {
            out.fail(res, "alarm actions are deactivated");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{MetricAlarm, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let alarm = |name: &str, on: bool| MetricAlarm {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
            actions_enabled: on,
            ..MetricAlarm::default()
        };
        let mut inv = inventory();
        region(&mut inv).metric_alarms = Observed::Known(vec![alarm("on", true), alarm("off", false)]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).metric_alarms = Observed::Unknown("cloudwatch:DescribeAlarms access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
