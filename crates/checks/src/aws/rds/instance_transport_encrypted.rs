//! RDS DB instances that accept connections without TLS.
//!
//! Prowler's `rds_instance_transport_encrypted` (see `crate::prowler`): an instance passes when
//! its DB parameter group makes the engine refuse unencrypted connections: `rds.force_ssl` = 1
//! (PostgreSQL, SQL Server) or `require_secure_transport` = ON (MySQL, MariaDB). The value is
//! the one the parameter group holds (engine defaults included, as `DescribeDBParameters`
//! returns them). Aurora instances take it from their cluster parameter group and Oracle and
//! Db2 use other mechanisms (option groups, SSL ports): those are not judged. One result per
//! instance of the four engines.

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_transport_encrypted",
        title: "RDS DB instances accept unencrypted connections",
        description: "Unless the engine is told to refuse them, clients may connect without TLS and send credentials and data in the clear over the network.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[],
        remediation: Remediation {
            console: "RDS console > Parameter groups > the instance's custom parameter group (create one if it uses a default group) > Edit: set rds.force_ssl to 1 (PostgreSQL, SQL Server) or require_secure_transport to ON (MySQL, MariaDB); attach it to the instance and reboot if the parameter is static.",
            cli: "aws rds modify-db-parameter-group --db-parameter-group-name <group> --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| match &db.transport_encryption_parameter {
        Observed::Known(None) => {}
        Observed::Known(Some((group, param, value))) => {
            if value == "1" || value.eq_ignore_ascii_case("on") {
                out.pass(res, format!("{param} is {value} in parameter group {group}"))
            } else {
                out.fail(res, format!("{param} is {value} in parameter group {group}: connections without TLS are accepted"))
            }
        }
        Observed::Unknown(why) => {
            out.not_available(res, format!("the TLS parameter of the instance's parameter group could not be read: {why}"))
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::DbInstance;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let with = |id: &str, engine: &str, v: Observed<Option<(String, String, String)>>| DbInstance {
            engine: engine.into(),
            transport_encryption_parameter: v,
            ..db(id)
        };
        let param = |p: &str, v: &str| Observed::Known(Some(("pg".to_string(), p.to_string(), v.to_string())));
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![
            with("pg-forced", "postgres", param("rds.force_ssl", "1")),
            with("pg-open", "postgres", param("rds.force_ssl", "0")),
            with("mysql-on", "mysql", param("require_secure_transport", "ON")),
            with("mysql-off", "mysql", param("require_secure_transport", "OFF")),
            with("unread", "mariadb", Observed::Unknown("parameter group pg does not report the value of require_secure_transport".into())),
            with("oracle", "oracle-ee", Observed::Known(None)),
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
