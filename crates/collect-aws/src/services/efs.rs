//! Amazon EFS: file systems and access points (both listings paginated), and per file system
//! its mount targets and backup policy.

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use aws_sdk_efs::types as sdk;
use futures::future::join_all;
use rampart_inventory::{Efs, EfsAccessPoint, EfsFileSystem, EfsMountTarget, Observed, Tags};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Efs> {
    let client = client!(ctx, aws_sdk_efs);
    let (file_systems, access_points) = futures::join!(
        ctx.call("elasticfilesystem:DescribeFileSystems", None, client.describe_file_systems().into_paginator().items().send().try_collect()),
        ctx.call("elasticfilesystem:DescribeAccessPoints", None, client.describe_access_points().into_paginator().items().send().try_collect()),
    );
    let file_systems = known_or_return!(file_systems);
    let file_systems = join_all(file_systems.iter().map(|fs| {
        let client = &client;
        async move {
            let id = fs.file_system_id();
            let arn = non_empty(fs.file_system_arn())
                .unwrap_or_else(|| format!("arn:aws:elasticfilesystem:{}:{}:file-system/{id}", ctx.region, ctx.account));
            let (backup, mount_targets, policy) = futures::join!(
                // A file system that never had automatic backups set has no backup policy.
                ctx.call_opt("elasticfilesystem:DescribeBackupPolicy", Some(&arn), &["PolicyNotFound"], client.describe_backup_policy().file_system_id(id).send()),
                ctx.call(
                    "elasticfilesystem:DescribeMountTargets",
                    Some(&arn),
                    client.describe_mount_targets().file_system_id(id).into_paginator().items().send().try_collect()
                ),
                ctx.call_opt("elasticfilesystem:DescribeFileSystemPolicy", Some(&arn), &["PolicyNotFound"], client.describe_file_system_policy().file_system_id(id).send()),
            );
            EfsFileSystem {
                file_system_id: id.to_string(),
                name: non_empty(fs.name()),
                encrypted: fs.encrypted().unwrap_or(false),
                kms_key_id: non_empty(fs.kms_key_id()),
                tags: tags(fs.tags()),
                backup_policy_status: observed(backup)
                    .map(|b| b.and_then(|b| b.backup_policy().map(|p| p.status().as_str().to_string()))),
                mount_targets: observed(mount_targets).map(|mts| mts.iter().map(mount_target).collect()),
                policy: observed(policy).map(|p| p.and_then(|p| non_empty(p.policy()))),
                arn,
            }
        }
    }))
    .await;
    Observed::Known(Efs {
        file_systems,
        access_points: observed(access_points).map(|aps| aps.iter().map(|ap| access_point(ctx, ap)).collect()),
    })
}

fn mount_target(mt: &sdk::MountTargetDescription) -> EfsMountTarget {
    EfsMountTarget {
        mount_target_id: mt.mount_target_id().to_string(),
        subnet_id: mt.subnet_id().to_string(),
        vpc_id: non_empty(mt.vpc_id()),
        availability_zone: non_empty(mt.availability_zone_name()),
    }
}

fn access_point(ctx: &Ctx, ap: &sdk::AccessPointDescription) -> EfsAccessPoint {
    let id = ap.access_point_id().unwrap_or_default().to_string();
    EfsAccessPoint {
        arn: non_empty(ap.access_point_arn())
            .unwrap_or_else(|| format!("arn:aws:elasticfilesystem:{}:{}:access-point/{id}", ctx.region, ctx.account)),
        file_system_id: ap.file_system_id().unwrap_or_default().to_string(),
        name: non_empty(ap.name()),
        root_directory_path: ap.root_directory().and_then(|r| non_empty(r.path())),
        posix_user: ap.posix_user().is_some(),
        tags: tags(ap.tags()),
        access_point_id: id,
    }
}

fn tags(tags: &[sdk::Tag]) -> Tags {
    tags.iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()
}
