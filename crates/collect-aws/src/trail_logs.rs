//! The trail bucket's reads (change-triggered checks): its region, its folders, its log
//! files. Kept in their own file because `build.rs` puts the actions called here into
//! `WATCH_ACTIONS`, not the scanning policy's `ACTIONS`: reading objects is granted on the
//! trail's bucket only (`rampart iam-policy watch`), never on every bucket.

use crate::call::s3_client;
use crate::refresh::{Session, TrailBucket};

impl Session {
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

    /// The keys under `prefix` after `start_after` that `keep` keeps (it is given each
    /// listing's keys and returns those wanted: the log files not read yet), at most `want`:
    /// listed `batch` keys at a time, each listing starting after the last key of the one
    /// before, until `want` are kept or the folder ends. A window holding more files read
    /// already than one listing returns still reaches the new files after them.
    pub async fn list_keys_until(
        &self,
        bucket: &TrailBucket,
        prefix: &str,
        start_after: Option<&str>,
        batch: usize,
        want: usize,
        keep: &mut dyn FnMut(Vec<String>) -> Result<Vec<String>, String>,
    ) -> Result<Vec<String>, String> {
        let batch = batch.max(1);
        let mut cursor = start_after.map(str::to_string);
        let mut kept = Vec::new();
        loop {
            let keys = self.list_keys(bucket, prefix, cursor.as_deref(), batch).await?;
            let full = keys.len() == batch;
            if let Some(last) = keys.last() {
                cursor = Some(last.clone());
            }
            kept.extend(keep(keys)?);
            if !full || kept.len() >= want {
                break;
            }
        }
        kept.truncate(want);
        Ok(kept)
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
