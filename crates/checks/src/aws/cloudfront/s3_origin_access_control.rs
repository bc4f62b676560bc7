//! CloudFront distributions with S3 origins do not use origin access control.
//!
//! Security Hub CloudFront.13 (FSBP): fails when an S3 origin has no origin access control (an
//! origin access identity does not count). Distributions without S3 origins are not evaluated.
//! One result per distribution with an S3 origin.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_s3_origin_access_control",
        title: "CloudFront distributions with S3 origins do not use origin access control",
        description: "Without origin access control the S3 bucket must be readable by the public or through a legacy origin access identity, which lacks SSE-KMS support and short-term credentials.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.13")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > Origins > the S3 origin > Edit > Origin access: Origin access control settings; create a control and update the bucket policy as shown.",
            cli: "aws cloudfront create-origin-access-control --origin-access-control-config Name=<name>,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3; then set OriginAccessControlId on the origin with update-distribution",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        let s3: Vec<_> = d.origins.iter().filter(|o| o.s3_origin).collect();
        if s3.is_empty() {
            return;
        }
        let bad: Vec<&str> = s3.iter().filter(|o| o.origin_access_control_id.as_deref().unwrap_or("").is_empty()).map(|o| o.id.as_str()).collect();
        if bad.is_empty() {
            out.pass(res, "every S3 origin uses origin access control");
        } else {
            out.fail(res, format!("S3 origins without origin access control: {}", bad.join(", ")));
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
        let s3 = |oac: Option<&str>, oai: Option<&str>| Origin { id: "bucket".into(), s3_origin: true, origin_access_control_id: oac.map(Into::into), origin_access_identity: oai.map(Into::into), ..Default::default() };
        assert_eq!(one(|d| d.origins = vec![s3(Some("E2OAC"), None)]), Status::Passed);
        assert_eq!(one(|d| d.origins = vec![s3(None, Some("origin-access-identity/cloudfront/E1"))]), Status::Failed);
        assert_eq!(one(|d| d.origins = vec![s3(Some(""), None)]), Status::Failed);
        assert!(results(|d| d.origins = vec![Origin { id: "app".into(), origin_protocol_policy: Some("https-only".into()), ..Default::default() }]).is_empty());
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
