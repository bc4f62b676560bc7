//! EBS volumes attached to an instance that are not encrypted at rest.
//!
//! Security Hub EC2.3 (FSBP): evaluates volumes in the `in-use` state (attached); unattached
//! volumes are out of scope. One result per attached volume.
//!
//! AWS: "This control checks whether the EBS volumes that are in an attached state are encrypted
//! ... If the EBS volume is not attached, then it is not subject to this check" (Security Hub
//! EC2.3).

use super::{each_ec2_item, volume_resource};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_attached_volumes_encrypted",
        title: "Attached EBS volumes are not encrypted at rest",
        description: "An unencrypted volume, and every snapshot taken of it, stores the instance's data in the clear: whoever obtains a copy reads it without a KMS permission.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Volume,
        standards: &[StandardRef::fsbp("EC2.3")],
        remediation: Remediation {
            console: "EC2 console > Volumes > the volume > Actions > Create snapshot; copy the snapshot with Encrypt this snapshot; create a volume from the copy and swap it for the old one on the instance. Turn on EBS encryption by default for new volumes.",
            cli: "aws ec2 create-snapshot --volume-id <vol-id>; aws ec2 copy-snapshot --source-snapshot-id <snap-id> --source-region <region> --encrypted; aws ec2 create-volume --snapshot-id <encrypted-snap-id> --availability-zone <az>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2Volume, "volume", |e| &e.volumes, |account, region, _, v, out| {
        if v.attached_instance_ids.is_empty() {
            return;
        }
        let res = volume_resource(account, region, v);
        let to = v.attached_instance_ids.join(", ");
        if v.encrypted {
            out.pass(res, format!("the volume attached to {to} is encrypted"));
        } else {
            out.fail(res, format!("the volume attached to {to} is not encrypted"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Volume};
    use rampart_model::Status;

    fn vol(id: &str, encrypted: bool, attached: &[&str]) -> Volume {
        Volume { volume_id: id.into(), encrypted, attached_instance_ids: attached.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).volumes = Observed::Known(vec![vol("vol-enc", true, &["i-1"]), vol("vol-clear", false, &["i-1"]), vol("vol-loose", false, &[])]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[1].resource.id.ends_with("volume/vol-clear"));
        ec2(&mut inv).volumes = Observed::Unknown("ec2:DescribeVolumes access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
