pub mod access_point_public_access_block;
pub mod account_public_access_block;
pub mod multi_region_access_point_public_access_block;
pub mod bucket_public_read;
pub mod bucket_public_write;
pub mod exposure;
pub mod bucket_ssl_required;
pub mod bucket_public_access_block;
pub mod bucket_access_logging;
pub mod bucket_versioning;
pub mod bucket_cross_account_actions;
pub mod bucket_lifecycle;
pub mod bucket_acls_disabled;
pub mod bucket_mfa_delete;
pub mod bucket_kms_encryption;
pub mod bucket_object_lock;
pub mod bucket_event_notifications;
pub mod bucket_cross_region_replication;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Bucket, Observed};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every bucket of every account whose S3 data is known, and reports
/// NOT_AVAILABLE once per account whose buckets could not be listed.
pub(crate) fn each_bucket(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Bucket, Resource, &mut Emit)) {
    for account in &ctx.inventory.accounts {
        match &account.s3 {
            Observed::Known(s3) => {
                for bucket in &s3.buckets {
                    let res = resource(account, &bucket.region, ResourceType::AwsS3Bucket, format!("arn:{}:s3:::{}", account.partition, bucket.name), &bucket.name);
                    f(account, bucket, res, out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsS3Bucket, format!("arn:{}:s3::{}:bucket/*", account.partition, account.id), "all buckets");
                out.not_available(res, format!("S3 could not be read: {why}"));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{Bucket, Inventory, Observed};

    /// An inventory holding one bucket `b`, edited by `edit`.
    pub fn with_bucket(edit: impl FnOnce(&mut Bucket)) -> Inventory {
        let mut inv = crate::testkit::inventory();
        let mut b = Bucket { name: "b".into(), region: "us-east-1".into(), ..Default::default() };
        edit(&mut b);
        crate::testkit::account(&mut inv).s3.known_mut().expect("testkit S3 is known").buckets.push(b);
        inv
    }

    #[test]
    fn unknown_s3_is_one_not_available() {
        let mut inv = crate::testkit::inventory();
        crate::testkit::account(&mut inv).s3 = Observed::Unknown("s3:ListAllMyBuckets access denied".into());
        for c in [&super::bucket_ssl_required::CHECK, &super::bucket_public_access_block::CHECK, &super::bucket_access_logging::CHECK, &super::bucket_acls_disabled::CHECK] {
            assert_eq!(crate::testkit::single(c, &inv).0, rampart_model::Status::NotAvailable, "{}", c.meta.id);
        }
    }
}
