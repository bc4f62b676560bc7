//! EBS volumes not attached to any instance (state `available`).
//!
//! Trusted Advisor's "Underutilized Amazon EBS Volumes" flags unattached volumes *and* attached
//! ones with less than one IOPS a day over a week, which needs CloudWatch metrics Rampart does
//! not read offline. This check covers only the first half, so it does not claim the Trusted
//! Advisor check: a PASSED here says "attached", not "used". One result per volume that is
//! `available` or `in-use`.

use super::{each_ec2_item, volume_resource};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_volume_unattached",
        title: "EBS volumes not attached to any instance",
        description: "A detached volume is billed for its provisioned size and IOPS while nothing reads it. Trusted Advisor's \"Underutilized Amazon EBS Volumes\" also flags attached volumes with almost no I/O, from CloudWatch metrics Rampart cannot see offline; this check reports unattached volumes only.",
        severity: Severity::Low,
        category: Category::CostOptimization,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Volume,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Volumes > the volume: Actions > Create snapshot if its data may be needed again, then Actions > Delete volume.",
            cli: "aws ec2 create-snapshot --volume-id <vol-id> --description \"before delete\" && aws ec2 delete-volume --volume-id <vol-id>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-deleting-volume.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2Volume, "volume", |e| &e.volumes, |account, region, _, v, out| {
        let res = volume_resource(account, region, v);
        match v.state.as_str() {
            "available" => out.fail(res, format!("{} GiB {} volume is not attached to any instance", v.size_gib, v.volume_type)),
            "in-use" => out.pass(res, format!("attached to {}", v.attached_instance_ids.join(", "))),
            // creating, deleting, deleted, error: nothing to judge.
            _ => {}
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Volume};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).volumes = Observed::Known(vec![
            Volume { volume_id: "vol-used".into(), state: "in-use".into(), attached_instance_ids: vec!["i-1".into()], ..Default::default() },
            Volume { volume_id: "vol-idle".into(), state: "available".into(), size_gib: 100, volume_type: "gp3".into(), ..Default::default() },
            Volume { volume_id: "vol-new".into(), state: "creating".into(), ..Default::default() },
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[1].reason.contains("100 GiB gp3"), "{}", r[1].reason);
        ec2(&mut inv).volumes = Observed::Unknown("ec2:DescribeVolumes access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
