//! S3 Multi-Region Access Points without all four Block Public Access settings.
//!
//! Security Hub S3.24:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-24>.
//! A Multi-Region Access Point passes when its Block Public Access configuration has all four
//! settings on. They are listed through us-west-2's S3 Control endpoint; when that listing
//! fails the account gets one NOT_AVAILABLE. One result per Multi-Region Access Point.
//!
//! AWS: not retrieved in this pass; the check follows the control title ("S3 Multi-Region Access
//! Points should have block public access settings enabled") and S3.19's rule for single-region
//! access points: one setting off fails (`open`: only IgnorePublicAcls off).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_multi_region_access_point_public_access_block",
        title: "S3 Multi-Region Access Points do not have block public access settings enabled",
        description: "A Multi-Region Access Point without Block Public Access can carry a policy that opens the data of all its buckets to the world.",
        severity: Severity::High,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3MultiRegionAccessPoint,
        standards: &[StandardRef::fsbp("S3.24")],
        remediation: Remediation {
            console: "The settings cannot be changed after creation: S3 console > Multi-Region Access Points > Create with Block all public access on, move clients to it, and delete the old one.",
            cli: "aws s3control create-multi-region-access-point --region us-west-2 --account-id <account> --details 'Name=<name>,PublicAccessBlock={BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true},Regions=[{Bucket=<bucket>}]'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/multi-region-access-point-block-public-access.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Observed::Known(s3) = &account.s3 else {
            let res = resource(account, &account.home_region, ResourceType::AwsS3MultiRegionAccessPoint, format!("arn:{}:s3::{}:accesspoint/*", account.partition, account.id), "all Multi-Region Access Points");
            out.not_available(res, format!("S3 could not be read: {}", account.s3.as_result().err().unwrap_or_default()));
            continue;
        };
        let points = match &s3.multi_region_access_points {
            Observed::Known(p) => p,
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsS3MultiRegionAccessPoint, format!("arn:{}:s3::{}:accesspoint/*", account.partition, account.id), "all Multi-Region Access Points");
                out.not_available(res, format!("Multi-Region Access Points could not be listed: {why}"));
                continue;
            }
        };
        for p in points {
            let res = resource(account, &account.home_region, ResourceType::AwsS3MultiRegionAccessPoint, format!("arn:{}:s3::{}:accesspoint/{}", account.partition, account.id, p.alias), &p.name);
            match &p.public_access_block {
                Some(b) if b.block_public_acls && b.ignore_public_acls && b.block_public_policy && b.restrict_public_buckets => {
                    out.pass(res, "all four Block Public Access settings are on")
                }
                Some(_) => out.fail(res, "not all four Block Public Access settings are on"),
                None => out.fail(res, "no Block Public Access configuration"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{MultiRegionAccessPoint, PublicAccessBlock};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let all = PublicAccessBlock { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true };
        let mrap = |name: &str, bpa: Option<PublicAccessBlock>| MultiRegionAccessPoint { name: name.into(), alias: format!("{name}.mrap"), status: "READY".into(), public_access_block: bpa };
        let mut inv = inventory();
        account(&mut inv).s3.known_mut().unwrap().multi_region_access_points =
            Observed::Known(vec![mrap("blocked", Some(all)), mrap("open", Some(PublicAccessBlock { ignore_public_acls: false, ..all })), mrap("none", None)]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        account(&mut inv).s3.known_mut().unwrap().multi_region_access_points = Observed::Unknown("s3:ListMultiRegionAccessPoints access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).s3 = Observed::Unknown("s3:ListAllMyBuckets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
