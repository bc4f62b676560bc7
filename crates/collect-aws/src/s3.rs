//! S3: the bucket list, each bucket's permissions and settings, and account-level
//! Block Public Access (through S3 Control).

use crate::call::{s3_client, s3control_client, s3control_mrap_client, Ctx};
use rampart_inventory::{Bucket, Grant, LifecycleRule, MultiRegionAccessPoint, Observed, PublicAccessBlock, S3AccessPoint, Tags, S3};

pub(crate) async fn collect(ctx: &Ctx) -> Observed<S3> {
    let s3 = s3_client(ctx);
    let s3control = s3control_client(ctx);
    let account_bpa = async {
        let r = ctx
            .call_opt(
                "s3:GetAccountPublicAccessBlock",
                None,
                &["NoSuchPublicAccessBlockConfiguration"],
                s3control.get_public_access_block().account_id(&ctx.account).send(),
            )
            .await;
        match r {
            Ok(Some(out)) => Observed::Known(out.public_access_block_configuration().map(bpa_s3control)),
            Ok(None) => Observed::Known(None),
            Err(why) => Observed::Unknown(why),
        }
    };
    let list = async {
        // ListBuckets pages with a continuation token when asked for; the paginator follows it.
        ctx.call("s3:ListAllMyBuckets", None, s3.list_buckets().into_paginator().send().try_collect()).await
    };
    let (account_public_access_block, pages, multi_region_access_points) = futures::join!(account_bpa, list, multi_region_access_points(ctx));
    let pages = match pages {
        Ok(p) => p,
        Err(why) => return Observed::Unknown(why),
    };
    let listed: Vec<(String, Option<String>, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.buckets())
        .filter_map(|b| {
            b.name().map(|n| (n.to_string(), b.creation_date().map(|d| d.to_string()), b.bucket_region().map(str::to_string)))
        })
        .collect();
    let buckets = futures::future::join_all(
        listed.into_iter().map(|(name, created, listed_region)| bucket(ctx, &s3, name, created, listed_region)),
    )
    .await;
    Observed::Known(S3 { account_public_access_block, buckets, multi_region_access_points })
}

/// The account's Multi-Region Access Points.
async fn multi_region_access_points(ctx: &Ctx) -> Observed<Vec<MultiRegionAccessPoint>> {
    let client = s3control_mrap_client(ctx);
    let r = ctx
        .call(
            "s3:ListMultiRegionAccessPoints",
            None,
            client.list_multi_region_access_points().account_id(&ctx.account).into_paginator().send().try_collect(),
        )
        .await;
    match r {
        Ok(pages) => Observed::Known(
            pages
                .iter()
                .flat_map(|p| p.access_points())
                .map(|m| MultiRegionAccessPoint {
                    name: m.name().unwrap_or_default().to_string(),
                    alias: m.alias().unwrap_or_default().to_string(),
                    status: m.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    public_access_block: m.public_access_block().map(bpa_s3control),
                })
                .collect(),
        ),
        Err(why) => Observed::Unknown(why),
    }
}

/// The region's S3 access points, each with its own Block Public Access settings.
pub(crate) async fn access_points(ctx: &Ctx) -> Observed<Vec<S3AccessPoint>> {
    let client = s3control_client(ctx);
    let listed = match ctx
        .call("s3:ListAccessPoints", None, client.list_access_points().account_id(&ctx.account).into_paginator().send().try_collect())
        .await
    {
        // The listing answers for the client's region; an ARN naming another region (an emulator
        // listing every region's access points) belongs to that region's result.
        Ok(pages) => pages
            .into_iter()
            .flat_map(|p| p.access_point_list().to_vec())
            .filter(|ap| ap.access_point_arn().and_then(|a| a.split(':').nth(3)).is_none_or(|r| r == ctx.region))
            .collect::<Vec<_>>(),
        Err(why) => return Observed::Unknown(why),
    };
    let points = futures::future::join_all(listed.iter().map(|ap| {
        let client = &client;
        async move {
            let name = ap.name();
            let (got, policy) = futures::join!(
                ctx.call("s3:GetAccessPoint", Some(name), client.get_access_point().account_id(&ctx.account).name(name).send()),
                ctx.call_opt(
                    "s3:GetAccessPointPolicy",
                    Some(name),
                    &["NoSuchAccessPointPolicy"],
                    client.get_access_point_policy().account_id(&ctx.account).name(name).send()
                ),
            );
            let (public_access_block, vpc_id) = match got {
                Ok(out) => (
                    Observed::Known(out.public_access_block_configuration().map(bpa_s3control)),
                    Observed::Known(out.vpc_configuration().map(|v| v.vpc_id().to_string()).filter(|v| !v.is_empty())),
                ),
                Err(why) => (Observed::Unknown(why.clone()), Observed::Unknown(why)),
            };
            let policy = match policy {
                Ok(p) => Observed::Known(p.and_then(|p| p.policy().map(str::to_string)).filter(|p| !p.is_empty())),
                Err(why) => Observed::Unknown(why),
            };
            S3AccessPoint {
                name: name.to_string(),
                arn: ap.access_point_arn().unwrap_or_default().to_string(),
                bucket: ap.bucket().to_string(),
                network_origin: ap.network_origin().as_str().to_string(),
                public_access_block,
                vpc_id,
                policy,
            }
        }
    }))
    .await;
    Observed::Known(points)
}

fn bpa_s3control(c: &aws_sdk_s3control::types::PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: c.block_public_acls().unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
        block_public_policy: c.block_public_policy().unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
    }
}

pub(crate) async fn bucket(ctx: &Ctx, s3: &aws_sdk_s3::Client, name: String, creation_date: Option<String>, listed_region: Option<String>) -> Bucket {
    let n = name.as_str();
    let r = Some(n);
    // The bucket's region: requests about a bucket must go to its region on real AWS.
    let region = match ctx.call("s3:GetBucketLocation", r, s3.get_bucket_location().bucket(n).send()).await {
        Ok(out) => match out.location_constraint().map(|c| c.as_str().to_string()) {
            None => "us-east-1".to_string(),
            Some(c) if c.is_empty() => "us-east-1".to_string(),
            Some(c) if c == "EU" => "eu-west-1".to_string(),
            Some(c) => c,
        },
        // `ListBuckets` reports the region too (since 2024); the home region is the last resort.
        Err(_) => listed_region.unwrap_or_else(|| ctx.region.clone()),
    };
    let regional;
    let s3 = if region != ctx.region {
        regional = s3_client(&ctx.for_region(&region));
        &regional
    } else {
        s3
    };

    let acl = async {
        match ctx.call("s3:GetBucketAcl", r, s3.get_bucket_acl().bucket(n).send()).await {
            Ok(out) => (
                Observed::Known(out.owner().and_then(|o| o.id()).unwrap_or_default().to_string()),
                Observed::Known(out.grants().iter().map(grant).collect()),
            ),
            Err(why) => (Observed::Unknown(why.clone()), Observed::Unknown(why)),
        }
    };
    let policy = async {
        observe(ctx.call_opt("s3:GetBucketPolicy", r, &["NoSuchBucketPolicy"], s3.get_bucket_policy().bucket(n).send()).await, |o| {
            o.policy().map(str::to_string)
        })
    };
    let bpa = async {
        observe(
            ctx.call_opt("s3:GetBucketPublicAccessBlock", r, &["NoSuchPublicAccessBlockConfiguration"], s3.get_public_access_block().bucket(n).send()).await,
            |o| {
                o.public_access_block_configuration().map(|c| PublicAccessBlock {
                    block_public_acls: c.block_public_acls().unwrap_or(false),
                    ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                    block_public_policy: c.block_public_policy().unwrap_or(false),
                    restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                })
            },
        )
    };
    let ownership = async {
        observe(
            ctx.call_opt("s3:GetBucketOwnershipControls", r, &["OwnershipControlsNotFoundError"], s3.get_bucket_ownership_controls().bucket(n).send()).await,
            |o| {
                o.ownership_controls()
                    .and_then(|c| c.rules().first())
                    .map(|rule| rule.object_ownership().as_str().to_string())
            },
        )
    };
    let encryption = async {
        observe(
            ctx.call_opt("s3:GetEncryptionConfiguration", r, &["ServerSideEncryptionConfigurationNotFoundError"], s3.get_bucket_encryption().bucket(n).send()).await,
            |o| {
                o.server_side_encryption_configuration()
                    .and_then(|c| c.rules().first())
                    .and_then(|rule| rule.apply_server_side_encryption_by_default())
                    .map(|d| d.sse_algorithm().as_str().to_string())
            },
        )
    };
    let versioning = async {
        match ctx.call("s3:GetBucketVersioning", r, s3.get_bucket_versioning().bucket(n).send()).await {
            Ok(o) => (
                Observed::Known(o.status().map(|s| s.as_str().to_string())),
                Observed::Known(o.mfa_delete().map(|s| s.as_str().to_string())),
            ),
            Err(why) => (Observed::Unknown(why.clone()), Observed::Unknown(why)),
        }
    };
    let logging = async {
        match ctx.call("s3:GetBucketLogging", r, s3.get_bucket_logging().bucket(n).send()).await {
            Ok(o) => Observed::Known(o.logging_enabled().map(|l| l.target_bucket().to_string())),
            Err(why) => Observed::Unknown(why),
        }
    };
    let lifecycle = async {
        match ctx
            .call_opt("s3:GetLifecycleConfiguration", r, &["NoSuchLifecycleConfiguration"], s3.get_bucket_lifecycle_configuration().bucket(n).send())
            .await
        {
            Ok(Some(o)) => Observed::Known(
                o.rules()
                    .iter()
                    .map(|rule| LifecycleRule { id: rule.id().map(str::to_string), enabled: rule.status().as_str() == "Enabled" })
                    .collect(),
            ),
            Ok(None) => Observed::Known(Vec::new()),
            Err(why) => Observed::Unknown(why),
        }
    };
    let tags = async {
        match ctx.call_opt("s3:GetBucketTagging", r, &["NoSuchTagSet"], s3.get_bucket_tagging().bucket(n).send()).await {
            Ok(Some(o)) => Observed::Known(o.tag_set().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()),
            Ok(None) => Observed::Known(Tags::new()),
            Err(why) => Observed::Unknown(why),
        }
    };
    let replication = async {
        match ctx.call_opt("s3:GetReplicationConfiguration", r, &["ReplicationConfigurationNotFoundError"], s3.get_bucket_replication().bucket(n).send()).await {
            Ok(Some(o)) => Observed::Known(
                o.replication_configuration()
                    .map(|c| c.rules().iter().filter(|rule| rule.status().as_str() == "Enabled").filter_map(|rule| rule.destination().map(|d| d.bucket().to_string())).collect())
                    .unwrap_or_default(),
            ),
            Ok(None) => Observed::Known(Vec::new()),
            Err(why) => Observed::Unknown(why),
        }
    };
    let object_lock = async {
        match ctx
            .call_opt("s3:GetBucketObjectLockConfiguration", r, &["ObjectLockConfigurationNotFoundError"], s3.get_object_lock_configuration().bucket(n).send())
            .await
        {
            Ok(Some(o)) => Observed::Known(
                o.object_lock_configuration().and_then(|c| c.object_lock_enabled()).is_some_and(|e| e.as_str() == "Enabled"),
            ),
            Ok(None) => Observed::Known(false),
            Err(why) => Observed::Unknown(why),
        }
    };
    let notifications = async {
        match ctx.call("s3:GetBucketNotification", r, s3.get_bucket_notification_configuration().bucket(n).send()).await {
            Ok(o) => Observed::Known(
                !o.topic_configurations().is_empty()
                    || !o.queue_configurations().is_empty()
                    || !o.lambda_function_configurations().is_empty()
                    || o.event_bridge_configuration().is_some(),
            ),
            Err(why) => Observed::Unknown(why),
        }
    };
    let (((owner_id, acl), policy, public_access_block, ownership_controls, encryption, (versioning, mfa_delete), logging_target, lifecycle_rules, tags), (replication_destinations, object_lock, event_notifications)) = futures::join!(
        async { futures::join!(acl, policy, bpa, ownership, encryption, versioning, logging, lifecycle, tags) },
        async { futures::join!(replication, object_lock, notifications) },
    );
    Bucket {
        name,
        region,
        creation_date,
        tags,
        owner_id,
        acl,
        policy,
        public_access_block,
        ownership_controls,
        encryption,
        versioning,
        mfa_delete,
        logging_target,
        lifecycle_rules,
        replication_destinations,
        object_lock,
        event_notifications,
    }
}

fn observe<T, U>(r: Result<Option<T>, String>, f: impl FnOnce(&T) -> Option<U>) -> Observed<Option<U>> {
    match r {
        Ok(Some(v)) => Observed::Known(f(&v)),
        Ok(None) => Observed::Known(None),
        Err(why) => Observed::Unknown(why),
    }
}

fn grant(g: &aws_sdk_s3::types::Grant) -> Grant {
    let (grantee_type, grantee) = match g.grantee() {
        Some(who) => {
            let id = who
                .uri()
                .or(who.id())
                .or(who.email_address())
                .unwrap_or_default()
                .to_string();
            (who.r#type().as_str().to_string(), id)
        }
        None => (String::new(), String::new()),
    };
    Grant {
        grantee_type,
        grantee,
        permission: g.permission().map(|p| p.as_str().to_string()).unwrap_or_default(),
    }
}
