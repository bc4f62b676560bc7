//! RDS DB instances listening on their engine's default port.
//!
//! Security Hub RDS.23:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-23>.
//! Default ports: 3306 (MySQL, MariaDB, Aurora MySQL), 5432 (PostgreSQL, Aurora PostgreSQL), 1521
//! (Oracle), 1433 (SQL Server), 50000 (Db2). One result per DB instance of those engines with an endpoint.
//!
//! AWS: "This control checks whether the RDS cluster or instance uses a port other than the default
//! port of the database engine" (Security Hub RDS.23).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_default_port",
        title: "RDS DB instances use the database engine's default port",
        description: "Scanners and worms probe the well-known database ports first; a non-default port takes an instance out of the cheapest sweeps (it does not replace network restrictions).",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.23")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Connectivity > Additional configuration > Database port: enter another port; apply, then update clients and security groups.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --db-port-number <port> --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        let Some(default) = default_port(&db.engine) else { return };
        match db.endpoint_port {
            Some(port) if port == default => out.fail(res, format!("{} listens on its default port {port}", db.engine)),
            Some(port) => out.pass(res, format!("port {port} is not {}'s default {default}", db.engine)),
            None => out.not_available(res, "the instance has no endpoint (yet): its port is unknown"),
        }
    });
}

/// The default port of an RDS engine, `None` for engines the control does not cover.
pub(crate) fn default_port(engine: &str) -> Option<i32> {
    match engine {
        "mysql" | "mariadb" | "aurora" | "aurora-mysql" => Some(3306),
        "postgres" | "aurora-postgresql" => Some(5432),
        e if e.starts_with("oracle-") => Some(1521),
        e if e.starts_with("sqlserver-") => Some(1433),
        e if e.starts_with("db2-") => Some(50000),
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
        rds(&mut inv).db_instances = vec![
            DbInstance { endpoint_port: Some(15432), ..db("good") },
            db("bad"),
            DbInstance { engine: "sqlserver-se".into(), endpoint_port: Some(1433), ..db("sql") },
            DbInstance { endpoint_port: None, ..db("creating") },
            DbInstance { engine: "neptune".into(), endpoint_port: Some(8182), ..db("graph-not-applicable") },
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
