//! CloudFront distributions do not have standard logging enabled.
//!
//! Security Hub CloudFront.5 (FSBP): fails when standard (legacy) logging to S3 is off. Standard
//! logging v2 (CloudWatch delivery) is configured elsewhere and not collected: such a
//! distribution fails here as it does in Security Hub.
//! One result per distribution.
//!
//! AWS: "The control fails if access logging is not enabled for a distribution" (Security Hub
//! CloudFront.5; Config `cloudfront-accesslogs-enabled`: "NON_COMPLIANT if a CloudFront
//! distribution does not have logging configured").

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_logging",
        title: "CloudFront distributions do not have standard logging enabled",
        description: "Access logs record every request CloudFront serves; without them abuse and attacks against the site cannot be investigated.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.5")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > General > Settings > Edit > Standard logging: On, and choose an S3 bucket.",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set Logging {Enabled:true,Bucket:<bucket>.s3.amazonaws.com,Prefix:<prefix>,IncludeCookies:false}; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        if d.logging_enabled {
            out.pass(res, "standard logging is on");
        } else {
            out.fail(res, "standard logging is off");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{one_with, results_with};
    use super::*;
    #[allow(unused_imports)]
    use rampart_inventory::{Distribution, Origin};
    use rampart_model::Status;

    fn one(edit: impl FnOnce(&mut Distribution)) -> Status {
        one_with(&CHECK, edit)
    }

    #[allow(dead_code)]
    fn results(edit: impl FnOnce(&mut Distribution)) -> Vec<rampart_model::CheckResult> {
        results_with(&CHECK, edit)
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(one(|d| d.logging_enabled = true), Status::Passed);
        assert_eq!(one(|_| {}), Status::Failed);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
