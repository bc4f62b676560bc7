//! S3 buckets without versioning.
//!
//! Trusted Advisor "Amazon S3 Bucket Versioning" (fault tolerance): green when versioning is
//! enabled; yellow when it was never enabled or is suspended. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_versioning",
        title: "S3 buckets do not have versioning enabled",
        description: "Without versioning an overwrite or a deletion, by mistake, by an application bug or by an attacker, destroys the only copy of an object.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::ta("Amazon S3 Bucket Versioning")],
        remediation: Remediation {
            console: "S3 console > the bucket > Properties > Bucket Versioning > Edit: Enable (and add lifecycle rules that expire noncurrent versions to bound the cost).",
            cli: "aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.versioning {
        Observed::Known(Some(s)) if s == "Enabled" => out.pass(res, "versioning is enabled"),
        Observed::Known(Some(s)) if s == "Suspended" => out.fail(res, "versioning is suspended"),
        Observed::Known(Some(s)) => out.not_available(res, format!("unexpected versioning status `{s}`")),
        Observed::Known(None) => out.fail(res, "versioning was never enabled"),
        Observed::Unknown(why) => out.not_available(res, format!("bucket versioning could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let status = |v: Observed<Option<String>>| single(&CHECK, &with_bucket(|b| b.versioning = v)).0;
        assert_eq!(status(Observed::Known(Some("Enabled".into()))), Status::Passed);
        assert_eq!(status(Observed::Known(Some("Suspended".into()))), Status::Failed);
        assert_eq!(status(Observed::Known(None)), Status::Failed);
        assert_eq!(status(Observed::Unknown("s3:GetBucketVersioning denied".into())), Status::NotAvailable);
    }
}
