//! RDS DB instances with `PubliclyAccessible` set.
//!
//! Security Hub RDS.2; CIS AWS Foundations v3.0.0 2.3.3. One result per DB instance.
//!
//! AWS: "The rule is non-compliant if the publiclyAccessible field is true in the instance
//! configuration item" (Config `rds-instance-public-access-check`, behind RDS.2). Whether the
//! subnet routes to an internet gateway does not change the verdict, as in AWS.

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_public_access",
        title: "RDS DB instances are publicly accessible",
        description: "A publicly accessible DB instance gets a public DNS name and address; only its security groups then stand between the database and the internet.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.2"), StandardRef::cis("2.3.3")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Connectivity > Additional configuration: choose Not publicly accessible, then apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        if db.publicly_accessible {
            out.fail(res, "PubliclyAccessible is true");
        } else {
            out.pass(res, "the instance is not publicly accessible");
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
        rds(&mut inv).db_instances = vec![db("private"), DbInstance { publicly_accessible: true, ..db("public") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
