//! EBS snapshots of the account that are not encrypted.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `ec2_ebs_snapshots_encrypted` (see `crate::prowler`). A snapshot fails when DescribeSnapshots
//! reports `Encrypted: false`. One result per snapshot the account owns.

use super::{each_ec2_item, snapshot_resource};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_snapshot_encrypted",
        title: "EBS snapshots are not encrypted",
        description: "An unencrypted snapshot holds a copy of the volume's data without the protection of a KMS key: whoever can copy or share it reads everything, and volumes restored from it are unencrypted too.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Snapshot,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Snapshots > the snapshot > Actions > Copy snapshot: select Encrypt this snapshot and a KMS key; then delete the unencrypted original. Turn on EBS encryption by default so new snapshots are encrypted.",
            cli: "aws ec2 copy-snapshot --source-region <region> --source-snapshot-id <snap-id> --encrypted --kms-key-id <key-id>; aws ec2 delete-snapshot --snapshot-id <snap-id>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2Snapshot,
        "snapshot",
        |e| &e.snapshots,
        |account, region, _, s, out| {
            let res = snapshot_resource(account, region, s);
            if s.encrypted {
                out.pass(res, "the snapshot is encrypted");
            } else {
                out.fail(res, "the snapshot is not encrypted");
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Snapshot};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).snapshots = Observed::Known(vec![
            Snapshot {
                snapshot_id: "snap-enc".into(),
                encrypted: true,
                ..Default::default()
            },
            Snapshot {
                snapshot_id: "snap-plain".into(),
                encrypted: false,
                ..Default::default()
            },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).snapshots = Observed::Unknown("ec2:DescribeSnapshots access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
