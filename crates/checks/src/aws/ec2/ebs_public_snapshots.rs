//! EBS snapshots that any AWS account can copy or restore (`createVolumePermission` = `all`).
//!
//! Trusted Advisor "Amazon EBS Public Snapshots" (red), Security Hub EC2.1. One result per
//! snapshot owned by the account.
//!
//! AWS: "The rule is NON_COMPLIANT if one or more snapshots with RestorableByUserIds field are set
//! to all" (Config `ebs-snapshot-public-restorable-check`, behind EC2.1): `all` beside named
//! accounts still fails (`all_beside_named_accounts`).

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_public_snapshots",
        title: "EBS snapshots are publicly restorable",
        description: "A public snapshot lets every AWS account create a volume from it and read all the data it holds.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Snapshot,
        standards: &[StandardRef::ta("Amazon EBS Public Snapshots"), StandardRef::fsbp("EC2.1")],
        remediation: Remediation {
            console: "EC2 console > Snapshots > the snapshot > Actions > Snapshot settings > Modify permissions: choose Private and add only the accounts that need it. Consider Block public access for EBS snapshots.",
            cli: "aws ec2 modify-snapshot-attribute --snapshot-id <snap-id> --attribute createVolumePermission --operation-type remove --group-names all",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Snapshot, "snapshot", out) else { continue };
        let snapshots = match &ec2.snapshots {
            Observed::Known(s) => s,
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsEc2Snapshot, account.arn("ec2", &region.name, "snapshot/*"), "all snapshots");
                out.not_available(res, format!("snapshots could not be listed: {why}"));
                continue;
            }
        };
        for s in snapshots {
            let res = resource(account, &region.name, ResourceType::AwsEc2Snapshot, account.arn("ec2", &region.name, &format!("snapshot/{}", s.snapshot_id)), &s.snapshot_id);
            match &s.create_volume_permissions {
                Observed::Known(p) if p.iter().any(|g| g == "all") => out.fail(res, "createVolumePermission includes `all`: any AWS account can restore it"),
                Observed::Known(_) => out.pass(res, "the snapshot is not public"),
                Observed::Unknown(why) => out.not_available(res, format!("snapshot permissions could not be read: {why}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Snapshot;
    use rampart_model::Status;

    fn snap(id: &str, perms: Observed<Vec<String>>) -> Snapshot {
        Snapshot { snapshot_id: id.into(), create_volume_permissions: perms, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).snapshots = Observed::Known(vec![
            snap("snap-private", Observed::Known(vec![])),
            snap("snap-shared", Observed::Known(vec!["210987654321".into()])),
            snap("snap-public", Observed::Known(vec!["all".into()])),
            snap("snap-unknown", Observed::Unknown("ec2:DescribeSnapshotAttribute access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]);
        ec2(&mut inv).snapshots = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn all_beside_named_accounts() {
        let mut inv = inventory();
        ec2(&mut inv).snapshots = Observed::Known(vec![snap("snap-mixed", Observed::Known(vec!["210987654321".into(), "all".into()]))]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
    }
}
