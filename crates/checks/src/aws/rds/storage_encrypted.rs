//! RDS DB instances without encryption at rest.
//!
//! Trusted Advisor "Amazon RDS storage encryption is turned off" (red), Security Hub RDS.3,
//! CIS AWS Foundations v3.0.0 2.3.1. One result per DB instance.
//!
//! AWS: "The rule is NON_COMPLIANT if storage encryption is not enabled" (Config
//! `rds-storage-encrypted`, behind RDS.3 and CIS 2.3.1).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_storage_encrypted",
        title: "RDS DB instances are not encrypted at rest",
        description: "Unencrypted storage leaves the database, its automated backups, read replicas and snapshots readable to anyone who obtains the underlying storage or a copy of a snapshot.",
        severity: Severity::High,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[
            StandardRef::ta("Amazon RDS storage encryption is turned off"),
            StandardRef::fsbp("RDS.3"),
            StandardRef::cis("2.3.1"),
        ],
        remediation: Remediation {
            console: "Encryption can only be chosen at creation: RDS console > Snapshots > take a snapshot of the instance > Actions > Copy snapshot with Enable encryption > Restore the encrypted copy and switch clients to the new instance.",
            cli: "aws rds create-db-snapshot --db-instance-identifier <id> --db-snapshot-identifier <snap> && aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap>-enc --kms-key-id <key> && aws rds restore-db-instance-from-db-snapshot --db-instance-identifier <new-id> --db-snapshot-identifier <snap>-enc",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        if db.storage_encrypted {
            out.pass(res, "storage is encrypted");
        } else {
            out.fail(res, "StorageEncrypted is false");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::db;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{DbInstance, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![db("enc"), DbInstance { storage_encrypted: false, ..db("plain") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
