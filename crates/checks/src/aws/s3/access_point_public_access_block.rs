//! S3 access points without all four Block Public Access settings.
//!
//! Security Hub S3.19:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-19>.
//! An access point passes when its own Block Public Access configuration (set at creation,
//! immutable afterwards) has `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy` and
//! `RestrictPublicBuckets` all on. One result per access point.
//!
//! AWS: "The rule is NON_COMPLIANT if block public access settings are not enabled for S3 access
//! points" (Config `s3-access-point-public-access-blocks`, behind S3.19): one of the four off fails
//! (`pass_fail_not_available`, `open`: only BlockPublicPolicy off).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_access_point_public_access_block",
        title: "S3 access points do not have block public access settings enabled",
        description: "An access point without Block Public Access can carry a policy that opens the bucket's data to the world through the access point.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3AccessPoint,
        standards: &[StandardRef::fsbp("S3.19")],
        remediation: Remediation {
            console: "An access point's Block Public Access settings cannot be changed: S3 console > Access Points > Create access point with all four Block Public Access settings on, move users to it, and delete the old one.",
            cli: "aws s3control create-access-point --account-id <account> --name <new-name> --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-bpa-settings.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    crate::aws::each_regional(ctx, out, "s3", ResourceType::AwsS3AccessPoint, "accesspoint", |r| &r.s3_access_points, |account, region, ap, out| {
        let arn = if ap.arn.is_empty() { account.arn("s3", &region.name, &format!("accesspoint/{}", ap.name)) } else { ap.arn.clone() };
        let res = resource(account, &region.name, ResourceType::AwsS3AccessPoint, arn, &ap.name);
        match &ap.public_access_block {
            Observed::Known(Some(b)) => {
                let off: Vec<&str> = [
                    ("BlockPublicAcls", b.block_public_acls),
                    ("IgnorePublicAcls", b.ignore_public_acls),
                    ("BlockPublicPolicy", b.block_public_policy),
                    ("RestrictPublicBuckets", b.restrict_public_buckets),
                ]
                .iter()
                .filter(|(_, on)| !on)
                .map(|(name, _)| *name)
                .collect();
                if off.is_empty() {
                    out.pass(res, "all four Block Public Access settings are on");
                } else {
                    out.fail(res, format!("off: {}", off.join(", ")));
                }
            }
            Observed::Known(None) => out.fail(res, "the access point has no Block Public Access configuration"),
            Observed::Unknown(why) => out.not_available(res, format!("access point could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{PublicAccessBlock, S3AccessPoint};
    use rampart_model::Status;

    fn ap(name: &str, bpa: Observed<Option<PublicAccessBlock>>) -> S3AccessPoint {
        S3AccessPoint { name: name.into(), bucket: "b".into(), network_origin: "Internet".into(), public_access_block: bpa, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let all = PublicAccessBlock { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true };
        let mut inv = inventory();
        region(&mut inv).s3_access_points = Observed::Known(vec![
            ap("blocked", Observed::Known(Some(all))),
            ap("open", Observed::Known(Some(PublicAccessBlock { block_public_policy: false, ..all }))),
            ap("unknown", Observed::Unknown("s3:GetAccessPoint access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert_eq!(r[1].reason, "off: BlockPublicPolicy");
        region(&mut inv).s3_access_points = Observed::Unknown("s3:ListAccessPoints access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
