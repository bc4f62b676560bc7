//! Aurora MySQL DB clusters that do not publish audit logs to CloudWatch Logs.
//!
//! Security Hub RDS.34 (AWS Config rule `aurora-mysql-cluster-audit-logging`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-34>.
//! Only `aurora-mysql` (and the retired `aurora`) clusters are evaluated; they pass when `audit` is among
//! `EnabledCloudwatchLogsExports`. One result per such cluster.
//!
//! AWS: "The rule is NON_COMPLIANT if Aurora MySQL-Compatible Edition clusters do not have audit log
//! publishing configured" (Config `rds-aurora-mysql-audit-logging-enabled`; Security Hub RDS.34:
//! "The control fails if the cluster isn't configured to publish audit logs to CloudWatch Logs").
//! Other exports (error, general, slowquery) without `audit` fail (`pass_fail_not_available`).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_aurora_mysql_audit_logs",
        title: "Aurora MySQL clusters do not publish audit logs to CloudWatch Logs",
        description: "Audit logs record connections, queries and changes to the database; published to CloudWatch Logs they are retained, searchable and alarmable outside the cluster.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.34")],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Modify > Log exports: select Audit log; apply. Turn auditing on in the cluster parameter group (server_audit_logging = 1).",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"audit\"]}' --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.CloudWatch.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if !matches!(c.engine.as_str(), "aurora-mysql" | "aurora") {
            return;
        }
        if c.enabled_cloudwatch_logs_exports.iter().any(|l| l == "audit") {
            out.pass(res, "audit logs are published to CloudWatch Logs");
        } else {
            out.fail(res, "`audit` is not among EnabledCloudwatchLogsExports");
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
        rds(&mut inv).db_clusters = Observed::Known(vec![
            DbCluster { engine: "aurora-mysql".into(), enabled_cloudwatch_logs_exports: vec!["error".into(), "audit".into()], ..cluster("good") },
            DbCluster { engine: "aurora-mysql".into(), enabled_cloudwatch_logs_exports: vec!["error".into()], ..cluster("bad") },
            cluster("postgres-not-applicable"),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
