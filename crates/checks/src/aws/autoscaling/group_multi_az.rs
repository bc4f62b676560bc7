//! Auto Scaling groups in fewer than two Availability Zones.
//!
//! The Trusted Advisor-style fault-tolerance check "Auto Scaling groups in one AZ";
//! Trusted Advisor itself has no such check (its "Amazon EC2 Availability Zone Balance" judges
//! the spread of a region's instances, not groups), so it maps to Security Hub AutoScaling.2
//! (FSBP; AWS Config rule `autoscaling-multiple-az`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-2>.
//! With the control's default `minAvailabilityZones` of 2, a group passes when its
//! `AvailabilityZones` name at least two zones. One result per group.

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// The control's default minimum number of Availability Zones.
pub const MIN_ZONES: usize = 2;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_multi_az",
        title: "Auto Scaling groups span fewer than two Availability Zones",
        description: "An Auto Scaling group in a single Availability Zone cannot launch replacement instances in another zone when that zone has an outage.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::fsbp("AutoScaling.2")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Network > Edit: add a subnet (or Availability Zone) in a second zone.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --vpc-zone-identifier <subnet-a>,<subnet-b>",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-availability-zone.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        let zones = &g.availability_zones;
        if zones.len() >= MIN_ZONES {
            out.pass(res, format!("the group spans {} Availability Zones: {}", zones.len(), zones.join(", ")));
        } else {
            out.fail(res, format!("the group spans {} Availability Zone(s): {}", zones.len(), zones.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{group, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScalingGroup, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        set(&mut inv, vec![group("two"), AutoScalingGroup { availability_zones: vec!["us-east-1a".into()], ..group("one") }], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        // Not collected (a snapshot older than the field) is not available either, never passed.
        region(&mut inv).autoscaling = Observed::not_collected();
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
