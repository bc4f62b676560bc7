//! Reading again what a change touched, one resource at a time, and reading a trail's log
//! files from S3 (change-triggered checks: `rampart_app::changes`).
//!
//! Every call goes through [`Ctx::call`], so the read-only guard refuses anything but a
//! read and `rampart iam-policy` lists each action. The trail bucket's reads are in
//! `trail_logs.rs`: their actions (`s3:ListBucket`, `s3:GetObject`) are not the scanning
//! policy's but `rampart iam-policy watch`'s, scoped to that one bucket. A resource that is gone is `Ok(None)`; a call that fails is an
//! `Err` with the reason (and a gap in [`Session::take_gaps`]), never "gone".

use crate::call::{client, s3_client, Ctx};
use crate::{CollectError, Options};
use rampart_inventory::{Bucket, SecurityGroup};
use rampart_model::Gap;

/// The caller's identity and a context to read with; one per poll.
pub struct Session {
    pub(crate) ctx: Ctx,
    pub account: String,
    pub partition: String,
}

/// A bucket the trail delivers to, with a client for the bucket's region.
pub struct TrailBucket {
    pub name: String,
    pub region: String,
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) ctx: Ctx,
}

impl Session {
    /// Checks the options and who the caller is (`sts:GetCallerIdentity`); lists no region.
    pub async fn start(opts: &Options) -> Result<Session, CollectError> {
        let opts = Options { regions: Some(Vec::new()), progress: false, ..opts.clone() };
        let (ctx, account, partition, _) = crate::start(&opts).await?;
        Ok(Session { ctx, account, partition })
    }

    /// The home region (global services and S3 listings are read there).
    pub fn home_region(&self) -> &str {
        &self.ctx.region
    }

    /// The calls that failed since the last take.
    pub fn take_gaps(&self) -> Vec<Gap> {
        self.ctx.take_gaps()
    }

    /// One security group by id in `region`; `None` when it no longer exists.
    pub async fn security_group(&self, region: &str, group_id: &str) -> Result<Option<SecurityGroup>, String> {
        let ctx = self.ctx.for_region(region);
        let ec2 = client!(ctx, aws_sdk_ec2);
        let out = ctx
            .call_opt(
                "ec2:DescribeSecurityGroups",
                Some(group_id),
                &["InvalidGroup.NotFound", "InvalidGroupId.NotFound"],
                ec2.describe_security_groups().group_ids(group_id).send(),
            )
            .await?;
        Ok(out.and_then(|o| o.security_groups().iter().find(|g| g.group_id() == Some(group_id)).map(crate::ec2::security_group)))
    }

    /// One bucket by name, with everything a scan reads of it; `None` when it no longer
    /// exists. Its creation date is not read (only `ListBuckets` says it).
    pub async fn bucket(&self, name: &str) -> Result<Option<Bucket>, String> {
        let s3 = s3_client(&self.ctx);
        let located =
            self.ctx.call_opt("s3:GetBucketLocation", Some(name), &["NoSuchBucket"], s3.get_bucket_location().bucket(name).send()).await?;
        if located.is_none() {
            return Ok(None);
        }
        Ok(Some(crate::s3::bucket(&self.ctx, &s3, name.to_string(), None, None).await))
    }
}
