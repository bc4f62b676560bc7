//! The S3 bucket that receives a trail's logs is public.
//!
//! Part of what the issue asks of Trusted Advisor "AWS CloudTrail Logging" (trail bucket
//! public); CIS had it as 3.3 up to v2.0.0, and v3.0.0 dropped it. The bucket is judged with
//! S3's own rules ([`crate::aws::s3::exposure`]). One result per trail, in its home region.

use super::each_home_trail;
use crate::aws::s3::exposure::exposure;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_bucket_public",
        title: "The S3 bucket of a CloudTrail trail is publicly accessible",
        description: "Public CloudTrail logs tell anyone how the account is built and used; public write lets anyone tamper with or delete the audit trail.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[StandardRef::ta("AWS CloudTrail Logging")],
        remediation: Remediation {
            console: "S3 console > the trail's bucket > Permissions: turn on all four Block public access settings, remove AllUsers/AuthenticatedUsers grants and Principal \"*\" statements (keep the statements for cloudtrail.amazonaws.com).",
            cli: "aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |account, t, res, out| {
        let Some(name) = &t.s3_bucket_name else {
            out.pass(res, "the trail delivers to no S3 bucket");
            return;
        };
        let s3 = match &account.s3 {
            Observed::Known(s3) => s3,
            Observed::Unknown(why) => return out.not_available(res, format!("S3 could not be read: {why}")),
        };
        let Some(bucket) = s3.buckets.iter().find(|b| &b.name == name) else {
            return out.not_available(res, format!("bucket `{name}` is not in this account's inventory (another account's, or deleted)"));
        };
        let exp = exposure(&s3.account_public_access_block, bucket, &account.id);
        let public: Vec<String> = exp.read.iter().chain(exp.write.iter()).cloned().collect();
        if !public.is_empty() {
            out.fail(res, format!("bucket `{name}` is public: {}", public.join("; ")));
        } else if let Some(why) = exp.malformed {
            out.malformed(res, format!("bucket `{name}`: {why}"));
        } else if !exp.unknown.is_empty() {
            out.not_available(res, format!("bucket `{name}`: {}", exp.unknown.join("; ")));
        } else {
            out.pass(res, format!("bucket `{name}` is not public"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::aws::s3::bucket_public_read::tests::{bucket, PUBLIC_GET};
    use crate::testkit::*;
    use rampart_model::Status;

    fn with(b: rampart_inventory::Bucket) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).s3.known_mut().unwrap().buckets.push(b);
        region(&mut inv).cloudtrail = Observed::Known(vec![trail("main", "us-east-1")]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(bucket("trail-logs"))).0, Status::Passed);
        let mut b = bucket("trail-logs");
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
        let mut b = bucket("trail-logs");
        b.policy = Observed::Unknown("s3:GetBucketPolicy access denied".into());
        assert_eq!(single(&CHECK, &with(b)).0, Status::NotAvailable);
        assert_eq!(single(&CHECK, &with(bucket("someone-elses"))).0, Status::NotAvailable);
    }
}
