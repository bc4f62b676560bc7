//! RDS DB instances whose server certificate expires within 90 days.
//!
//! Prowler's `rds_instance_certificate_expiration` (see `crate::prowler`): an instance fails
//! when the server certificate RDS installed from its certificate authority
//! (`CertificateDetails.ValidTill`) has expired or expires within three months (here: 90 days).
//! Clients that verify the server then refuse to connect once it has expired. An instance
//! without certificate details passes. One result per DB instance.

use super::each_instance;
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

/// Days of validity below which the certificate fails.
const WITHIN_DAYS: i64 = 90;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_certificate_expiry",
        title: "RDS DB instance server certificates expire within 90 days",
        description: "When an instance's server certificate expires, clients that verify it (as they should) can no longer connect; rotating to a current certificate authority needs planning and often a restart.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Connectivity > Certificate authority: choose a current CA (for example rds-ca-rsa2048-g1), apply in the maintenance window or immediately, and update the clients' trust store.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --ca-certificate-identifier rds-ca-rsa2048-g1 --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        let till = match &db.certificate_valid_till {
            Observed::Known(None) => return out.pass(res, "the instance reports no server certificate"),
            Observed::Known(Some(t)) => t,
            Observed::Unknown(why) => return out.not_available(res, format!("the certificate details could not be read: {why}")),
        };
        let Some(end) = parse_time(till) else {
            return out.not_available(res, format!("the certificate's end of validity `{till}` is not a date"));
        };
        let left = -days_since(end, ctx.now);
        if end <= ctx.now {
            out.fail(res, format!("the server certificate expired on {till}"));
        } else if left < WITHIN_DAYS {
            out.fail(res, format!("the server certificate expires in {left} days ({till})"));
        } else {
            out.pass(res, format!("the server certificate is valid until {till}"));
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
        // testkit's now: 2026-11-27 12:00 UTC.
        let with = |id: &str, till: Observed<Option<String>>| DbInstance { certificate_valid_till: till, ..db(id) };
        let at = |t: &str| Observed::Known(Some(t.to_string()));
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![
            with("far", at("2027-08-01T00:00:00Z")),
            with("edge-pass", at("2027-02-25T12:00:00Z")),
            with("edge-fail", at("2027-02-24T12:00:00Z")),
            with("expired", at("2026-11-01T00:00:00Z")),
            with("none", Observed::Known(None)),
            with("unread", Observed::Unknown("not collected".into())),
        ];
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Passed, Status::NotAvailable]
        );
        assert_eq!(r[2].reason, "the server certificate expires in 89 days (2027-02-24T12:00:00Z)");
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
