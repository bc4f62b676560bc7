//! Regions whose block public access for EBS snapshots does not block all public sharing.
//!
//! Security Hub EC2.182 (FSBP), "Block public access settings should be enabled for EBS
//! snapshots" (high), evaluated by the AWS Config rule below. AWS's control page was not within
//! reach of this project's search; the number and title are those of two independent public
//! lists of Security Hub controls, and the rule is AWS's (see docs/control-definitions.md).
//!
//! AWS: AWS Config rule `ebs-snapshot-block-public-access`: "The rule is NON_COMPLIANT if block
//! public access is not enabled for all public sharing of EBS snapshots in an AWS Region"
//! (<https://docs.aws.amazon.com/config/latest/developerguide/ebs-snapshot-block-public-access.html>).
//! The setting (`GetSnapshotBlockPublicAccessState`) is `block-all-sharing`, `block-new-sharing`
//! or `unblocked`; only `block-all-sharing` passes: in `block-new-sharing` mode "snapshots that
//! were already publicly shared, remain publicly available" (EBS User Guide, block public access
//! for snapshots). One result per region. `ec2_ebs_public_snapshots` judges each snapshot.

use super::each_region_setting;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_snapshot_block_public_access",
        title: "Block public access for EBS snapshots does not block all public sharing",
        description: "Block public access for snapshots is a regional switch: in block-all-sharing mode no snapshot of the region can be shared publicly, and snapshots shared publicly before are treated as private, whatever their permissions say.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::fsbp("EC2.182")],
        remediation: Remediation {
            console: "EC2 console (in each region) > Dashboard > Account attributes > Data protection and security > Block public access for EBS snapshots > Manage: select Block public access, Block all public sharing.",
            cli: "aws ec2 enable-snapshot-block-public-access --state block-all-sharing --region <region>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let what = "block public access for snapshots";
    each_region_setting(ctx, out, "snapshot-block-public-access", what, |e| &e.snapshot_block_public_access, |s, r| judge(s, r))
}

fn judge(state: &str, region: &str) -> Result<String, String> {
    let said = format!("block public access for snapshots is `{state}` in {region}");
    match state {
        "block-all-sharing" => Ok(said),
        "block-new-sharing" => Err(format!("{said}: snapshots shared publicly before stay public")),
        _ => Err(format!("{said}: snapshots can be shared publicly")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    #[test]
    fn only_block_all_sharing_passes() {
        let mut inv = inventory();
        for (state, want) in [("block-all-sharing", Status::Passed), ("block-new-sharing", Status::Failed), ("unblocked", Status::Failed)] {
            ec2(&mut inv).snapshot_block_public_access = Observed::Known(state.into());
            assert_eq!(single(&CHECK, &inv).0, want, "{state}");
        }
        ec2(&mut inv).snapshot_block_public_access = Observed::Unknown("ec2:GetSnapshotBlockPublicAccessState not supported".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
