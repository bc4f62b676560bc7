//! EC2 instances without detailed monitoring.
//!
//! Prowler's `ec2_instance_detailed_monitoring_enabled` (see `crate::prowler`): an instance
//! passes when its `Monitoring.State` is `enabled` (CloudWatch metrics every minute instead of
//! every five). Terminated instances are not judged. One result per instance.

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_detailed_monitoring",
        title: "EC2 instances do not have detailed monitoring enabled",
        description: "With basic monitoring CloudWatch gets an instance's metrics every five minutes: alarms and Auto Scaling react minutes late to a saturated or misbehaving instance.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Instances > the instance > Actions > Monitor and troubleshoot > Manage detailed monitoring: Enable (charged per metric).",
            cli: "aws ec2 monitor-instances --instance-ids <instance-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, _, instance, res, out| match &instance.monitoring_state {
        Observed::Known(s) if s == "enabled" => out.pass(res, "detailed monitoring is enabled"),
        Observed::Known(s) => out.fail(res, format!("detailed monitoring is {s}")),
        Observed::Unknown(why) => out.not_available(res, format!("the monitoring state could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Instance;
    use rampart_model::Status;

    fn instance(id: &str, state: &str, monitoring: Observed<String>) -> Instance {
        Instance { instance_id: id.into(), state: state.into(), monitoring_state: monitoring, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let known = |s: &str| Observed::Known(s.to_string());
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            instance("i-on", "running", known("enabled")),
            instance("i-off", "running", known("disabled")),
            instance("i-pending", "stopped", known("pending")),
            instance("i-unknown", "running", Observed::Unknown("no Monitoring.State in the response".into())),
            instance("i-gone", "terminated", known("disabled")),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
