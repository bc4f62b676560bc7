//! Security Hub CloudWatch.15 (not part of FSBP): a metric alarm must do something when it
//! fires.
//!
//! The control: "This control checks if CloudWatch alarms have at least one action configured
//! for the ALARM state." Actions for the OK and INSUFFICIENT_DATA states do not count (the
//! control's defaults `okActionRequired` and `insufficientDataActionRequired` are false);
//! whether the actions are enabled is [`super::alarm_actions_enabled`]'s question
//! (CloudWatch.17). One result per metric alarm.

use super::{alarm_resource, each_alarm};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_alarm_action_configured",
        title: "CloudWatch alarms have no action for the ALARM state",
        description: "An alarm without an ALARM action changes state silently: nobody is notified and nothing is remediated when the metric crosses its threshold.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsCloudWatchAlarm,
        standards: &[],
        remediation: Remediation {
            console: "CloudWatch console > Alarms > the alarm > Actions > Edit > Notification: In alarm, send a notification to an SNS topic (or add an Auto Scaling, EC2 or Systems Manager action).",
            cli: "aws cloudwatch put-metric-alarm ... --alarm-actions <sns-topic-arn> (repeat the alarm's whole definition)",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_alarm(ctx, out, |account, region, a, out| {
        let res = alarm_resource(account, region, a);
        if a.alarm_actions.is_empty() {
            let other = if a.ok_actions.is_empty() && a.insufficient_data_actions.is_empty() {
                "no action at all"
            } else {
                "actions only for other states"
            };
            out.fail(res, format!("no action for the ALARM state ({other})"));
        } else {
            out.pass(res, format!("{} action(s) for the ALARM state", a.alarm_actions.len()));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{MetricAlarm, Observed};
    use rampart_model::Status;

    pub fn alarm(name: &str) -> MetricAlarm {
        MetricAlarm {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"),
            actions_enabled: true,
            ..MetricAlarm::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).metric_alarms = Observed::Known(vec![
            MetricAlarm { alarm_actions: vec!["arn:aws:sns:us-east-1:123456789012:t".into()], ..alarm("notifies") },
            alarm("silent"),
            // Only an OK action: the ALARM state still does nothing.
            MetricAlarm { ok_actions: vec!["arn:aws:sns:us-east-1:123456789012:t".into()], ..alarm("ok-only") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        assert!(run_check(&CHECK, &inv)[2].reason.contains("only for other states"));
        region(&mut inv).metric_alarms = Observed::Unknown("cloudwatch:DescribeAlarms access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
