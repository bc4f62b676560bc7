//! RDS DB instances that do not publish their engine's logs to CloudWatch Logs.
//!
//! Security Hub RDS.9 (AWS Config rule `rds-logging-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-9>.
//! The logs the control requires per engine (see `required_logs`): Oracle `alert`, `audit`, `trace`,
//! `listener`; PostgreSQL `postgresql`, `upgrade`; MySQL, MariaDB and Aurora MySQL `audit`, `error`,
//! `general`, `slowquery`; SQL Server `error`, `agent`; Aurora PostgreSQL `postgresql`. Aurora
//! instances publish through their cluster, so for a cluster member the cluster's exports are
//! read. Instances of other engines get no result.
//!
//! AWS: "This control checks whether the following logs of Amazon RDS are enabled and sent to
//! CloudWatch Logs: Oracle: (Alert, Audit, Trace, Listener); PostgreSQL: (Postgresql, Upgrade);
//! MySQL, MariaDB, Aurora, Aurora-MySQL: (Audit, Error, General, SlowQuery); SQL Server: (Error,
//! Agent); Aurora-PostgreSQL: (Postgresql, Upgrade)" (Security Hub RDS.9, 2023 wording).
//! Disagreement kept: for Aurora PostgreSQL only `postgresql` is required here, because Aurora
//! PostgreSQL clusters cannot export an `upgrade` log (it is an RDS for PostgreSQL log type), so
//! demanding it would fail every Aurora PostgreSQL instance with no fix available.

use super::known_rds;
use rampart_inventory::Observed;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_cloudwatch_logs",
        title: "RDS DB instances do not publish logs to CloudWatch Logs",
        description: "Database logs (errors, audit, slow queries, connections) kept in CloudWatch Logs survive the instance, can be retained and searched, and can raise alarms on suspicious activity.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.9")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance (for Aurora, the cluster) > Modify > Log exports: select every log type listed in the finding; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"<type>\"]}' --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    // Aurora members publish what their cluster exports: index clusters by region and id.
    let mut cluster_exports = std::collections::HashMap::new();
    for (account, region) in ctx.inventory.regions() {
        if let Observed::Known(rds) = &region.rds {
            if let Observed::Known(clusters) = &rds.db_clusters {
                for c in clusters {
                    cluster_exports.insert((&account.id, &region.name, c.db_cluster_identifier.as_str()), &c.enabled_cloudwatch_logs_exports);
                }
            }
        }
    }
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbInstance, out) else { continue };
        for db in &rds.db_instances {
            let Some(required) = required_logs(&db.engine) else { continue };
            let res = super::instance_resource(account, region, db);
            let member_of = match &db.db_cluster_identifier {
                Observed::Known(c) => c.as_deref(),
                Observed::Unknown(why) => {
                    out.not_available(res, format!("cluster membership not collected: {why}"));
                    continue;
                }
            };
            let exports: &Vec<String> = match member_of {
                Some(cluster) => match cluster_exports.get(&(&account.id, &region.name, cluster)) {
                    Some(e) => e,
                    None => {
                        out.not_available(res, format!("the exports of its cluster `{cluster}` were not read"));
                        continue;
                    }
                },
                None => match &db.enabled_cloudwatch_logs_exports {
                    Observed::Known(e) => e,
                    Observed::Unknown(why) => {
                        out.not_available(res, format!("not collected: {why}"));
                        continue;
                    }
                },
            };
            let missing: Vec<&str> = required.iter().copied().filter(|r| !exports.iter().any(|e| e == r)).collect();
            let via = member_of.map(|c| format!(" (through cluster `{c}`)")).unwrap_or_default();
            if missing.is_empty() {
                out.pass(res, format!("publishes {}{via}", required.join(", ")));
            } else {
                out.fail(res, format!("does not publish {}{via}", missing.join(", ")));
            }
        }
    }
}

/// The log types the control requires of an engine; `None` for engines it does not cover.
fn required_logs(engine: &str) -> Option<&'static [&'static str]> {
    match engine {
        "mysql" | "mariadb" | "aurora" | "aurora-mysql" => Some(&["audit", "error", "general", "slowquery"]),
        "postgres" => Some(&["postgresql", "upgrade"]),
        "aurora-postgresql" => Some(&["postgresql"]),
        e if e.starts_with("oracle-") => Some(&["alert", "audit", "trace", "listener"]),
        e if e.starts_with("sqlserver-") => Some(&["error", "agent"]),
        _ => None,
    }
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
        let logs = |l: &[&str]| Observed::Known(l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        rds(&mut inv).db_instances = vec![
            DbInstance { enabled_cloudwatch_logs_exports: logs(&["postgresql", "upgrade"]), ..db("good") },
            DbInstance { enabled_cloudwatch_logs_exports: logs(&["postgresql"]), ..db("bad") },
            DbInstance { engine: "aurora-mysql".into(), db_cluster_identifier: Observed::Known(Some("c1".into())), ..db("member") },
            DbInstance { engine: "aurora-mysql".into(), db_cluster_identifier: Observed::Known(Some("gone".into())), ..db("orphan") },
            DbInstance { enabled_cloudwatch_logs_exports: Observed::not_collected(), ..db("old-snapshot") },
            DbInstance { engine: "db2-se".into(), ..db("not-applicable") },
        ];
        rds(&mut inv).db_clusters = Observed::Known(vec![DbCluster {
            engine: "aurora-mysql".into(),
            enabled_cloudwatch_logs_exports: vec!["audit".into(), "error".into(), "general".into(), "slowquery".into()],
            ..cluster("c1")
        }]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<_> = r.iter().map(|r| r.status).collect();
        assert_eq!(got, vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable, Status::NotAvailable]);
        assert!(r[1].reason.contains("upgrade"), "{}", r[1].reason);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
