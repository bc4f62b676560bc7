//! S3 buckets that anyone can write to (upload, overwrite, delete, or rewrite permissions).
//!
//! Trusted Advisor "Amazon S3 Bucket Permissions" (open upload/delete: red), Security Hub S3.3.
//!
//! AWS: "The rule is compliant when both of the following are true: The Block Public Access setting
//! restricts public policies or the bucket policy does not allow public write access. The Block
//! Public Access setting restricts public ACLs or the bucket ACL does not allow public write
//! access" (Config `s3-bucket-public-write-prohibited`, behind S3.3). One public statement among
//! several fails the bucket, and blocking public policies does not excuse a public ACL grant
//! (`one_public_path_among_several`).

use super::bucket_public_read::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_public_write",
        title: "S3 bucket allows public write access",
        description: "Anyone on the internet (or any AWS account) can upload, overwrite or delete objects, or change permissions, in this bucket through its ACL or bucket policy.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[
            StandardRef::ta("Amazon S3 Bucket Permissions"),
            StandardRef::fsbp("S3.3"),
        ],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions: turn on all four Block public access settings; remove WRITE, WRITE_ACP and FULL_CONTROL grants to Everyone / Authenticated users from the ACL and public write statements from the bucket policy.",
            cli: "aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |e| &e.write, "no ACL grant or policy statement lets the public write to the bucket");
}

#[cfg(test)]
mod tests {
    use super::super::bucket_public_read::tests::{bucket, grant, with};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, PublicAccessBlock, ALL_USERS_URI};
    use rampart_model::Status;

    const PUBLIC_PUT: &str = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}}"#;

    #[test]
    fn fail() {
        let mut b = bucket("acl-write");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "WRITE"));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
        let mut b = bucket("policy-write");
        b.policy = Observed::Known(Some(PUBLIC_PUT.into()));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
    }

    #[test]
    fn unknown_s3_actions_count_as_write() {
        let mut b = bucket("policy-new-action");
        b.policy = Observed::Known(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutShinyNewThing","Resource":"arn:aws:s3:::b"}]}"#.into(),
        ));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
    }

    #[test]
    fn pass() {
        // Read-only public is not public write.
        let mut b = bucket("acl-read");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Passed);
        let mut b = bucket("blocked");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "WRITE"));
        b.policy = Observed::Known(Some(PUBLIC_PUT.into()));
        b.public_access_block = Observed::Known(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Passed);
    }

    #[test]
    fn not_available() {
        let mut b = bucket("acl-unknown");
        b.acl = Observed::Unknown("s3:GetBucketAcl access denied".into());
        assert_eq!(single(&CHECK, &with(b)).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).s3 = Observed::Unknown("s3:ListAllMyBuckets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn one_public_path_among_several() {
        // A private statement, a statement pinned to one account, and one public write.
        let mut b = bucket("mixed-policy");
        b.policy = Observed::Known(Some(
            r#"{"Statement":[
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},
                {"Effect":"Allow","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}"#
                .into(),
        ));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
        // Public policies blocked, public ACLs not: the ACL's public WRITE grant still counts.
        let mut b = bucket("policy-blocked-acl-open");
        b.policy = Observed::Known(Some(PUBLIC_PUT.into()));
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "WRITE"));
        b.public_access_block = Observed::Known(Some(PublicAccessBlock {
            block_public_acls: false,
            ignore_public_acls: false,
            block_public_policy: true,
            restrict_public_buckets: true,
        }));
        let r = run_check(&CHECK, &with(b));
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("ACL grants") && !r[0].reason.contains("bucket policy"), "{}", r[0].reason);
    }
}
