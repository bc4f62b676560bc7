//! EFS access points that do not enforce a root directory.
//!
//! Security Hub EFS.3 (FSBP; AWS Config rule `efs-access-point-enforce-root-directory`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-3>. The
//! control fails when the access point's `RootDirectory.Path` is `/`, the file system's own
//! root; an access point that names no root directory uses `/` and fails too. One result per
//! access point.
//!
//! AWS: "The control fails if the value of `Path` is set to `/` (the default root directory of the
//! file system)" (Security Hub EFS.3); a missing root directory is `/` too
//! (`pass_fail_not_available`).

use super::each_access_point;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_access_point_root_directory",
        title: "EFS access points do not enforce a root directory",
        description: "An access point whose root directory is the file system's root gives its clients the whole file system instead of only the subdirectory their application needs.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "efs",
        resource_type: ResourceType::AwsEfsAccessPoint,
        standards: &[StandardRef::fsbp("EFS.3")],
        remediation: Remediation {
            console: "EFS console > Access points > Create access point: set Root directory path to the application's subdirectory (access points cannot be edited); point clients at it, then delete the old access point.",
            cli: "aws efs create-access-point --file-system-id <fs-id> --root-directory 'Path=/<app>,CreationInfo={OwnerUid=<uid>,OwnerGid=<gid>,Permissions=750}'; aws efs delete-access-point --access-point-id <old-id>",
            url: "https://docs.aws.amazon.com/efs/latest/ug/enforce-root-directory-access-point.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_access_point(ctx, out, |ap, res, out| match ap.root_directory_path.as_deref() {
        None => out.fail(res, "the access point names no root directory, so its clients see the file system's root (/)"),
        Some(p) if p.trim_end_matches('/').is_empty() => out.fail(res, "the access point's root directory is the file system's root (/)"),
        Some(p) => out.pass(res, format!("the access point enforces the root directory {p}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{access_point, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EfsAccessPoint, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let root = EfsAccessPoint { root_directory_path: Some("/".into()), ..access_point("root") };
        let unset = EfsAccessPoint { root_directory_path: None, ..access_point("unset") };
        set(&mut inv, vec![], vec![access_point("app"), root, unset]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        // Access points unreadable, file systems listed: not available.
        crate::testkit::region(&mut inv).efs.known_mut().unwrap().access_points = Observed::Unknown("elasticfilesystem:DescribeAccessPoints access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).efs = Observed::not_collected();
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
