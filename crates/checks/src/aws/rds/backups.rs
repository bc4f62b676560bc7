//! RDS DB instances without automated backups kept at least 7 days.
//!
//! Security Hub RDS.11 (its `backupRetentionMinimum` default, 7 days); Trusted Advisor (fault
//! tolerance) "Amazon RDS Backups" flags retention 0, reported here as HIGH. One result per DB
//! instance. Read replicas, which cannot keep backups of their own, are not told apart by the
//! inventory.
//!
//! AWS: "The control fails if backups are not enabled, and if the retention period is less than 7
//! days" (Security Hub RDS.11): 7 days passes, 6 fails (`six_days_fail_seven_pass`).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Fewest days of automated backups that pass.
pub const MIN_RETENTION_DAYS: i32 = 7;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_backups",
        title: "RDS DB instances do not keep automated backups for 7 days",
        description: "Automated backups allow point-in-time recovery after data loss, corruption or ransomware; with no or short retention there is nothing, or too little, to restore from.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.11"), StandardRef::ta("Amazon RDS Backups")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Backup: set Backup retention period to 7 days or more; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --backup-retention-period 7 --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| match db.backup_retention_period {
        d if d >= MIN_RETENTION_DAYS => out.pass(res, format!("automated backups are kept {d} days")),
        0 => out.fail_with(res, Severity::High, "automated backups are off (retention period 0)"),
        d => out.fail(res, format!("automated backups are kept only {d} days (fewer than {MIN_RETENTION_DAYS})")),
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
        rds(&mut inv).db_instances = vec![
            DbInstance { backup_retention_period: 7, ..db("week") },
            DbInstance { backup_retention_period: 1, ..db("day") },
            DbInstance { backup_retention_period: 0, ..db("none") },
        ];
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed]);
        assert_eq!(r[1].severity, None);
        assert_eq!(r[2].severity, Some(Severity::High));
        region(&mut inv).rds = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn six_days_fail_seven_pass() {
        let mut inv = inventory();
        rds(&mut inv).db_instances =
            vec![DbInstance { backup_retention_period: 6, ..db("six") }, DbInstance { backup_retention_period: 7, ..db("seven") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed]);
    }
}
