//! RDS DB instances without a Multi-AZ deployment.
//!
//! Security Hub RDS.5; Trusted Advisor (fault tolerance) "Amazon RDS Multi-AZ". One result per
//! DB instance.
//!
//! AWS: "Checks whether high availability is enabled for your RDS DB instances ... This rule does
//! not evaluate Amazon Aurora DB, Amazon DocumentDB, and Amazon Neptune DB instances" (Config
//! `rds-multi-az-support`, behind RDS.5).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_multi_az",
        title: "RDS DB instances are not deployed in multiple Availability Zones",
        description: "A Single-AZ instance is unavailable for as long as its Availability Zone or host fails; Multi-AZ keeps a synchronous standby and fails over to it automatically.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.5"), StandardRef::ta("Amazon RDS Multi-AZ")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Availability & durability: choose Create a standby instance; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --multi-az --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        // Cluster members are not evaluated: RDS.5 (AWS Config `rds-multi-az-support` does not evaluate Aurora, DocumentDB and Neptune instances; a Multi-AZ DB cluster is multi-AZ by itself).
        if super::cluster_member(db).is_some() {
            return;
        }
        if db.multi_az {
            out.pass(res, "Multi-AZ is on");
        } else {
            out.fail(res, "MultiAZ is false: the instance has no standby in another Availability Zone");
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
        rds(&mut inv).db_instances = vec![DbInstance { multi_az: true, ..db("good") }, DbInstance { multi_az: false, ..db("bad") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        // Cluster members (by engine, or by DBClusterIdentifier) are the cluster's business.
        rds(&mut inv).db_instances.push(DbInstance { engine: "aurora-postgresql".into(), ..db("aurora-member") });
        rds(&mut inv).db_instances.push(DbInstance { db_cluster_identifier: Observed::Known(Some("maz".into())), ..db("maz-member") });
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
