//! RDS DB instances that do not copy their tags to snapshots.
//!
//! Security Hub RDS.17 (AWS Config rule `rds-instance-copy-tags-to-snapshots-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-17>.
//! Aurora instances are skipped: for them RDS ignores the instance setting and the cluster's applies, which
//! RDS.16 (`rds_cluster_copy_tags_to_snapshots`) evaluates. One result per other DB instance.
//!
//! AWS: "This control checks whether RDS DB instances are configured to copy all tags to snapshots
//! when the snapshots are created" (Security Hub RDS.17).

use super::each_instance_with;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_copy_tags_to_snapshots",
        title: "RDS DB instances do not copy tags to snapshots",
        description: "Snapshots without the instance's tags escape tag-based access control, ownership and retention policies.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.17")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Backup: select Copy tags to snapshots; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --copy-tags-to-snapshot --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance_with(ctx, out, |db| &db.copy_tags_to_snapshot, |db, &copy, res, out| {
        if db.engine.starts_with("aurora") {
            return;
        }
        if copy {
            out.pass(res, "tags are copied to snapshots");
        } else {
            out.fail(res, "CopyTagsToSnapshot is false");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![
            DbInstance { copy_tags_to_snapshot: Observed::Known(true), ..db("good") },
            db("bad"),
            DbInstance { engine: "aurora-postgresql".into(), ..db("aurora-member") },
            DbInstance { copy_tags_to_snapshot: Observed::not_collected(), ..db("old-snapshot") },
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
