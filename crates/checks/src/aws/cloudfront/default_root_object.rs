//! CloudFront distributions have no default root object.
//!
//! Security Hub CloudFront.1 (FSBP): fails when the distribution has no default root object.
//! One result per distribution.
//!
//! AWS: "The control fails if the CloudFront distribution does not have a default root object
//! configured" (Security Hub CloudFront.1): an empty string counts as none.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_default_root_object",
        title: "CloudFront distributions have no default root object",
        description: "Without a default root object, a request for the distribution's root URL is passed to the origin as is, which may list the origin's contents or expose an error page.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.1")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > General > Settings > Edit > Default root object: enter e.g. index.html.",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set DistributionConfig.DefaultRootObject to index.html; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DefaultRootObject.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| match d.default_root_object.as_deref() {
        Some(o) if !o.is_empty() => out.pass(res, format!("the default root object is `{o}`")),
        _ => out.fail(res, "no default root object is configured"),
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
        assert_eq!(one(|d| d.default_root_object = Some("index.html".into())), Status::Passed);
        assert_eq!(one(|d| d.default_root_object = Some(String::new())), Status::Failed);
        assert_eq!(one(|_| {}), Status::Failed);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
