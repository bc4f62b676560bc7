//! EFS access points that do not enforce a user identity.
//!
//! Security Hub EFS.4 (FSBP; AWS Config rule `efs-access-point-enforce-user-identity`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-4>. The
//! control fails when the access point defines no POSIX user (`PosixUser`). One result per
//! access point.
//!
//! AWS: "This control fails if a POSIX user identity is not defined while creating the EFS access
//! point" (Security Hub EFS.4; Config `efs-access-point-enforce-user-identity`: "NON_COMPLIANT if
//! 'PosixUser' is not defined").

use super::each_access_point;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_access_point_user_identity",
        title: "EFS access points do not enforce a user identity",
        description: "Without a POSIX user on the access point, every NFS client acts with whatever user and group ids it claims, instead of the one identity the application should have.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "efs",
        resource_type: ResourceType::AwsEfsAccessPoint,
        standards: &[StandardRef::fsbp("EFS.4")],
        remediation: Remediation {
            console: "EFS console > Access points > Create access point: under POSIX user set the user ID and group ID (access points cannot be edited); point clients at it, then delete the old access point.",
            cli: "aws efs create-access-point --file-system-id <fs-id> --posix-user Uid=<uid>,Gid=<gid>; aws efs delete-access-point --access-point-id <old-id>",
            url: "https://docs.aws.amazon.com/efs/latest/ug/enforce-identity-access-points.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_access_point(ctx, out, |ap, res, out| {
        if ap.posix_user {
            out.pass(res, "the access point enforces a POSIX user identity");
        } else {
            out.fail(res, "the access point defines no POSIX user, so clients keep their own user and group ids");
        }
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
        let anyone = EfsAccessPoint { posix_user: false, ..access_point("anyone") };
        set(&mut inv, vec![], vec![access_point("app"), anyone]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).efs = Observed::Unknown("elasticfilesystem:DescribeFileSystems access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
