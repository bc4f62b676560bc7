//! RDS DB instances without Enhanced Monitoring.
//!
//! Security Hub RDS.6 (AWS Config rule `rds-enhanced-monitoring-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-6>.
//! The control's optional `monitoringInterval` is not set: any interval above 0 passes. One result per DB instance.
//!
//! AWS: "This control checks whether enhanced monitoring is enabled for your RDS DB instances"
//! (Security Hub RDS.6); `MonitoringInterval` 0 is off, any other value on.

use super::each_instance_with;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_enhanced_monitoring",
        title: "RDS DB instances do not have Enhanced Monitoring",
        description: "Enhanced Monitoring reports operating-system metrics (processes, memory, file system) at up to 1-second granularity, which CloudWatch's hypervisor metrics miss.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.6")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Monitoring: select Enable Enhanced monitoring, choose a granularity and monitoring role; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --monitoring-interval 60 --monitoring-role-arn <role-arn> --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance_with(ctx, out, |db| &db.monitoring_interval, |_, &interval, res, out| {
        if interval > 0 {
            out.pass(res, format!("Enhanced Monitoring every {interval} seconds"));
        } else {
            out.fail(res, "MonitoringInterval is 0: Enhanced Monitoring is off");
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
            DbInstance { monitoring_interval: Observed::Known(60), ..db("good") },
            db("bad"),
            DbInstance { monitoring_interval: Observed::not_collected(), ..db("old-snapshot") },
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
