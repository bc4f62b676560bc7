//! EFS file systems reachable from only one Availability Zone.
//!
//! Prowler's `efs_multi_az_enabled` (see `crate::prowler`): a One Zone file system fails, and
//! so does a Regional one with at most one mount target. A One Zone file system can only have a
//! mount target in its own zone and a file system has at most one mount target per zone, so
//! both come down to the zones of the mount targets: the file system passes when its mount
//! targets are in at least two zones. One result per file system.

use super::each_file_system;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_multi_az",
        title: "EFS file systems are reachable from only one Availability Zone",
        description: "With mount targets in a single zone (or a One Zone file system) the file system's clients lose it when that zone fails.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "efs",
        resource_type: ResourceType::AwsEfsFileSystem,
        standards: &[],
        remediation: Remediation {
            console: "EFS console > File systems > the file system > Network > Manage: add a mount target in a subnet of another Availability Zone (a One Zone file system must be copied to a Regional one, e.g. with AWS DataSync or a backup restore).",
            cli: "aws efs create-mount-target --file-system-id <fs-id> --subnet-id <subnet-in-another-az> --security-groups <sg-id>",
            url: "https://docs.aws.amazon.com/efs/latest/ug/accessing-fs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_file_system(ctx, out, |_, _, fs, res, out| {
        let targets = match &fs.mount_targets {
            Observed::Known(t) => t,
            Observed::Unknown(why) => return out.not_available(res, format!("mount targets could not be read: {why}")),
        };
        if targets.iter().any(|t| t.availability_zone.is_none()) {
            return out.not_available(res, "a mount target's Availability Zone was not reported");
        }
        let zones: BTreeSet<&str> = targets.iter().filter_map(|t| t.availability_zone.as_deref()).collect();
        let names = zones.iter().copied().collect::<Vec<_>>().join(", ");
        match zones.len() {
            0 => out.fail(res, "the file system has no mount target"),
            1 => out.fail(res, format!("the file system's mount targets are all in {names}")),
            _ => out.pass(res, format!("the file system has mount targets in {names}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::EfsMountTarget;
    use rampart_model::Status;

    fn target(az: Option<&str>) -> EfsMountTarget {
        EfsMountTarget {
            mount_target_id: "fsmt-1".into(),
            subnet_id: "subnet-1".into(),
            vpc_id: None,
            availability_zone: az.map(str::to_string),
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let with = |name: &str, t: Observed<Vec<EfsMountTarget>>| {
            let mut fs = file_system(name);
            fs.mount_targets = t;
            fs
        };
        set(
            &mut inv,
            vec![
                with("two", Observed::Known(vec![target(Some("us-east-1a")), target(Some("us-east-1b"))])),
                file_system("one"),
                with("none", Observed::Known(vec![])),
                with("unread", Observed::Unknown("elasticfilesystem:DescribeMountTargets access denied".into())),
                with("no-zone", Observed::Known(vec![target(Some("us-east-1a")), target(None)])),
            ],
            vec![],
        );
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable, Status::NotAvailable]
        );
        assert_eq!(r[1].reason, "the file system's mount targets are all in us-east-1a");
        region(&mut inv).efs = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
