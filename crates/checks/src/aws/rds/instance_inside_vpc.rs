//! RDS DB instances that are not in a VPC.
//!
//! No current Security Hub control or CIS recommendation asks it (EC2-Classic, the alternative,
//! is retired); it is Prowler's `rds_instance_inside_vpc` (see `crate::prowler`). An instance
//! passes when its DB subnet group names a VPC. One result per DB instance.

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_inside_vpc",
        title: "RDS DB instances are not deployed in a VPC",
        description: "Outside a VPC a database has no security groups, network ACLs or private subnets of the account's own to keep it away from other networks.",
        severity: Severity::High,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[],
        remediation: Remediation {
            console: "RDS console > the instance > Modify > Connectivity: choose a DB subnet group in a VPC (or restore a snapshot into one).",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --db-subnet-group-name <subnet-group-in-a-vpc> --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| match &db.vpc_id {
        Some(vpc) => out.pass(res, format!("the instance is in VPC {vpc}")),
        None => out.fail(res, "the instance's DB subnet group names no VPC"),
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
        rds(&mut inv).db_instances =
            vec![DbInstance { vpc_id: Some("vpc-1".into()), ..db("in-vpc") }, DbInstance { vpc_id: None, ..db("classic") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
