//! CloudTrail log file integrity validation.
//!
//! Security Hub CloudTrail.4, CIS AWS Foundations v3.0.0 3.2; part of what the issue asks of
//! Trusted Advisor "AWS CloudTrail Logging". One result per trail, in its home region.

use super::each_home_trail;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_log_file_validation",
        title: "CloudTrail log file validation is not enabled",
        description: "Without digest files nobody can prove that delivered CloudTrail logs were not modified or deleted afterwards, e.g. by an intruder covering their tracks.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[
            StandardRef::ta("AWS CloudTrail Logging"),
            StandardRef::fsbp("CloudTrail.4"),
            StandardRef::cis("3.2"),
        ],
        remediation: Remediation {
            console: "CloudTrail console > Trails > the trail > General details > Edit: under Additional settings select Log file validation Enabled.",
            cli: "aws cloudtrail update-trail --name <trail> --enable-log-file-validation",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-enabling.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |_, t, res, out| {
        if t.log_file_validation_enabled {
            out.pass(res, "log file validation is enabled");
        } else {
            out.fail(res, "log file validation is disabled");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Trail};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).cloudtrail = Observed::Known(vec![
            trail("good", "us-east-1"),
            Trail { log_file_validation_enabled: false, ..trail("bad", "us-east-1") },
            // A shadow of a trail homed elsewhere is judged there, not here.
            Trail { log_file_validation_enabled: false, ..trail("shadow", "eu-west-1") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).cloudtrail = Observed::Unknown("cloudtrail:DescribeTrails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
