//! Reading again what a change touched, one resource at a time, and reading a trail's log
//! files from S3 (change-triggered checks: `rampart_app::changes`).
//!
//! Every call goes through [`Ctx::call`], so the read-only guard refuses anything but a
//! read and `rampart iam-policy` lists each action (`s3:ListBucket` and `s3:GetObject` for
//! the trail's bucket). A resource that is gone is `Ok(None)`; a call that fails is an
//! `Err` with the reason (and a gap in [`Session::take_gaps`]), never "gone".

use crate::call::{client, s3_client, Ctx};
use crate::{CollectError, Options};
use rampart_inventory::{Bucket, SecurityGroup};
use rampart_model::Gap;

/// The caller's identity and a context to read with; one per poll.
pub struct Session {
    ctx: Ctx,
    pub account: String,
    pub partition: String,
}

/// A bucket the trail delivers to, with a client for the bucket's region.
pub struct TrailBucket {
    pub name: String,
    pub region: String,
    s3: aws_sdk_s3::Client,
    ctx: Ctx,
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

    /// The trail's bucket: its region (`s3:GetBucketLocation`), to send its reads there.
    pub async fn trail_bucket(&self, name: &str) -> Result<TrailBucket, String> {
        let s3 = s3_client(&self.ctx);
        let out = self.ctx.call("s3:GetBucketLocation", Some(name), s3.get_bucket_location().bucket(name).send()).await?;
        let region = match out.location_constraint().map(|c| c.as_str().to_string()) {
            None => "us-east-1".to_string(),
            Some(c) if c.is_empty() => "us-east-1".to_string(),
            Some(c) if c == "EU" => "eu-west-1".to_string(),
            Some(c) => c,
        };
        let ctx = self.ctx.for_region(&region);
        Ok(TrailBucket { name: name.to_string(), region, s3: s3_client(&ctx), ctx })
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

    /// The folders directly under `prefix` (`ListObjectsV2` with the delimiter `/`).
    pub async fn list_folders(&self, bucket: &TrailBucket, prefix: &str) -> Result<Vec<String>, String> {
        let pages = bucket
            .ctx
            .call(
                "s3:ListBucket",
                Some(&bucket.name),
                bucket.s3.list_objects_v2().bucket(&bucket.name).prefix(prefix).delimiter("/").into_paginator().send().try_collect(),
            )
            .await?;
        Ok(pages.iter().flat_map(|p| p.common_prefixes()).filter_map(|c| c.prefix().map(str::to_string)).collect())
    }

    /// The keys under `prefix` after `start_after` (in S3's order, UTF-8 binary), at most
    /// `max` of them.
    pub async fn list_keys(
        &self,
        bucket: &TrailBucket,
        prefix: &str,
        start_after: Option<&str>,
        max: usize,
    ) -> Result<Vec<String>, String> {
        let mut req = bucket.s3.list_objects_v2().bucket(&bucket.name).prefix(prefix);
        if let Some(s) = start_after {
            req = req.start_after(s);
        }
        let mut keys = Vec::new();
        let mut pages = req.into_paginator().send();
        loop {
            let page = bucket.ctx.call("s3:ListBucket", Some(&bucket.name), async { pages.next().await.transpose() }).await?;
            let Some(page) = page else { break };
            keys.extend(page.contents().iter().filter_map(|o| o.key().map(str::to_string)));
            if keys.len() >= max {
                keys.truncate(max);
                break;
            }
        }
        Ok(keys)
    }

    /// One object's bytes; an object larger than `max` bytes is refused unread.
    pub async fn get_object(&self, bucket: &TrailBucket, key: &str, max: u64) -> Result<Vec<u8>, String> {
        let out = bucket.ctx.call("s3:GetObject", Some(key), bucket.s3.get_object().bucket(&bucket.name).key(key).send()).await?;
        if out.content_length().is_some_and(|n| n < 0 || n as u64 > max) {
            return Err(format!("`{key}` is {} bytes, more than the {max} a log file may be", out.content_length().unwrap_or_default()));
        }
        let body = out.body.collect().await.map_err(|e| format!("`{key}` could not be read whole: {e}"))?.into_bytes();
        if body.len() as u64 > max {
            return Err(format!("`{key}` is more than the {max} bytes a log file may be"));
        }
        Ok(body.to_vec())
    }
}
