//! EFS file systems that do not encrypt data at rest.
//!
//! CIS AWS Foundations Benchmark v3.0.0 2.4.1 "Ensure that encryption is enabled for EFS file
//! systems", and Security Hub EFS.1 and EFS.8 (FSBP; AWS Config rules `efs-encrypted-check` and
//! `efs-filesystem-ct-encrypted`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-1>. Both
//! controls fail a file system whose `Encrypted` is false; EFS.1 does not use the Config rule's
//! `KmsKeyId` parameter (it only checks `Encrypted`), so neither does this check. Encryption is
//! chosen at creation and cannot be changed. One result per file system.
//!
//! AWS: "The rule is NON_COMPLIANT if the encrypted key is set to false on `DescribeFileSystems` or
//! if the `KmsKeyId` key on `DescribeFileSystems` does not match the `KmsKeyId` parameter" (Config
//! `efs-encrypted-check`, behind EFS.1; the control sets no `KmsKeyId`).

use super::each_file_system;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_encrypted",
        title: "EFS file systems are not encrypted at rest",
        description: "An unencrypted file system stores its files and metadata in the clear; encryption at rest with an AWS KMS key protects them if the storage is ever accessed outside EFS.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "efs",
        resource_type: ResourceType::AwsEfsFileSystem,
        standards: &[StandardRef::cis("2.4.1"), StandardRef::fsbp("EFS.1"), StandardRef::fsbp("EFS.8")],
        remediation: Remediation {
            console: "EFS console > Create file system > Customize: keep Enable encryption of data at rest selected; copy the data over (e.g. with AWS DataSync), point clients at the new file system, then delete the old one.",
            cli: "aws efs create-file-system --encrypted [--kms-key-id <key>] --creation-token <token>; copy the data, then aws efs delete-file-system --file-system-id <old-id>",
            url: "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_file_system(ctx, out, |_, _, fs, res, out| {
        if !fs.encrypted {
            out.fail(res, "the file system does not encrypt data at rest (Encrypted false)");
        } else {
            match &fs.kms_key_id {
                Some(key) => out.pass(res, format!("the file system encrypts data at rest with KMS key {key}")),
                None => out.pass(res, "the file system encrypts data at rest"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{file_system, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EfsFileSystem, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let plain = EfsFileSystem { encrypted: false, kms_key_id: None, ..file_system("plain") };
        set(&mut inv, vec![file_system("encrypted"), plain], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).efs = Observed::Unknown("elasticfilesystem:DescribeFileSystems access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        // Not collected (a snapshot older than the field) is not available either, never passed.
        region(&mut inv).efs = Observed::not_collected();
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn an_empty_region_has_no_results() {
        let mut inv = inventory();
        set(&mut inv, vec![], vec![]);
        assert!(statuses(&CHECK, &inv).is_empty());
    }
}
