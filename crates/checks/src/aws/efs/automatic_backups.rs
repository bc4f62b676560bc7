//! EFS file systems without automatic backups.
//!
//! Security Hub EFS.7 (FSBP; AWS Config rule `efs-automatic-backups-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-7>. The
//! control fails when the file system does not have automatic backups enabled; the Config rule
//! reads `BackupPolicy.Status`. A file system passes when its backup policy is `ENABLED` (or
//! `ENABLING`, on its way there), and fails when it is `DISABLED` or `DISABLING` or when it has
//! no backup policy (`DescribeBackupPolicy` answers `PolicyNotFound`: backups were never turned
//! on). One result per file system.
//!
//! AWS: not retrieved in this pass beyond the control's wording above (Config
//! `efs-automatic-backups-enabled`); `ENABLING` counts as on, `DISABLING` as off.

use super::each_file_system;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_automatic_backups",
        title: "EFS file systems do not have automatic backups enabled",
        description: "Without automatic backups, AWS Backup keeps no daily recovery points of the file system, so deleted or corrupted files cannot be restored.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "efs",
        resource_type: ResourceType::AwsEfsFileSystem,
        standards: &[StandardRef::fsbp("EFS.7")],
        remediation: Remediation {
            console: "EFS console > File systems > the file system > General > Edit: select Enable automatic backups, then Save changes.",
            cli: "aws efs put-backup-policy --file-system-id <fs-id> --backup-policy Status=ENABLED",
            url: "https://docs.aws.amazon.com/efs/latest/ug/automatic-backups.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_file_system(ctx, out, |_, _, fs, res, out| match &fs.backup_policy_status {
        Observed::Unknown(why) => out.not_available(res, format!("the backup policy could not be read: {why}")),
        Observed::Known(None) => out.fail(res, "the file system has no backup policy: automatic backups are off"),
        Observed::Known(Some(s)) if s == "ENABLED" || s == "ENABLING" => {
            out.pass(res, format!("automatic backups are on (backup policy {s})"))
        }
        Observed::Known(Some(s)) => out.fail(res, format!("automatic backups are off (backup policy {s})")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{file_system, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::EfsFileSystem;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let status = |s: Option<&str>| Observed::Known(s.map(str::to_string));
        let none = EfsFileSystem { backup_policy_status: status(None), ..file_system("none") };
        let disabled = EfsFileSystem { backup_policy_status: status(Some("DISABLED")), ..file_system("disabled") };
        let enabling = EfsFileSystem { backup_policy_status: status(Some("ENABLING")), ..file_system("enabling") };
        let unknown = EfsFileSystem { backup_policy_status: Observed::Unknown("elasticfilesystem:DescribeBackupPolicy access denied".into()), ..file_system("unknown") };
        set(&mut inv, vec![file_system("on"), none, disabled, enabling, unknown], vec![]);
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Failed, Status::Failed, Status::Passed, Status::NotAvailable]
        );
        region(&mut inv).efs = Observed::Unknown("elasticfilesystem:DescribeFileSystems access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
