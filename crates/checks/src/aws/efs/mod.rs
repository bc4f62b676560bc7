//! Amazon EFS checks (file systems and access points) and what they share.

pub mod access_point_root_directory;
pub mod access_point_user_identity;
pub mod automatic_backups;
pub mod encrypted;
pub mod mount_target_public_subnet;
pub mod multi_az;
pub mod file_system_public;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, EfsAccessPoint, EfsFileSystem, Observed, Region};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every EFS file system, and reports NOT_AVAILABLE once per region whose file
/// systems could not be listed.
pub(crate) fn each_file_system(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Region, &EfsFileSystem, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.efs {
            Observed::Known(efs) => {
                for fs in &efs.file_systems {
                    let res = resource(account, &region.name, ResourceType::AwsEfsFileSystem, fs.arn.clone(), fs.display_name());
                    f(account, region, fs, res, out);
                }
            }
            Observed::Unknown(why) => {
                let res = placeholder(account, region, ResourceType::AwsEfsFileSystem, "file-system", "all EFS file systems");
                out.not_available(res, format!("EFS file systems could not be listed in {}: {why}", region.name));
            }
        }
    }
}

/// Calls `f` for every EFS access point, and reports NOT_AVAILABLE once per region whose
/// access points could not be listed.
pub(crate) fn each_access_point(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&EfsAccessPoint, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        let listed = match &region.efs {
            Observed::Known(efs) => efs.access_points.as_result(),
            Observed::Unknown(why) => Err(why.as_str()),
        };
        match listed {
            Ok(aps) => {
                for ap in aps {
                    let res = resource(account, &region.name, ResourceType::AwsEfsAccessPoint, ap.arn.clone(), ap.display_name());
                    f(ap, res, out);
                }
            }
            Err(why) => {
                let res = placeholder(account, region, ResourceType::AwsEfsAccessPoint, "access-point", "all EFS access points");
                out.not_available(res, format!("EFS access points could not be listed in {}: {why}", region.name));
            }
        }
    }
}

/// `arn:<partition>:elasticfilesystem:<region>:<account>:<what>/*`: the resource of a region
/// whose file systems or access points could not be read.
fn placeholder(account: &Account, region: &Region, kind: ResourceType, what: &str, name: &str) -> Resource {
    resource(account, &region.name, kind, account.arn("elasticfilesystem", &region.name, &format!("{what}/*")), name)
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{Efs, EfsAccessPoint, EfsFileSystem, EfsMountTarget, Inventory, Observed};

    /// An encrypted file system with automatic backups on and one mount target in `subnet-private`.
    pub fn file_system(name: &str) -> EfsFileSystem {
        EfsFileSystem {
            file_system_id: format!("fs-{name}"),
            arn: format!("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-{name}"),
            name: Some(name.into()),
            encrypted: true,
            kms_key_id: Some("arn:aws:kms:us-east-1:123456789012:key/1".into()),
            tags: [("Name".to_string(), name.to_string())].into(),
            backup_policy_status: Observed::Known(Some("ENABLED".into())),
            mount_targets: Observed::Known(vec![EfsMountTarget {
                mount_target_id: format!("fsmt-{name}"),
                subnet_id: "subnet-private".into(),
                vpc_id: Some("vpc-1".into()),
                availability_zone: Some("us-east-1a".into()),
            }]),
            policy: Observed::Known(None),
        }
    }

    /// An access point with root directory `/app` and a POSIX user.
    pub fn access_point(name: &str) -> EfsAccessPoint {
        EfsAccessPoint {
            access_point_id: format!("fsap-{name}"),
            arn: format!("arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-{name}"),
            file_system_id: "fs-1".into(),
            name: Some(name.into()),
            root_directory_path: Some("/app".into()),
            posix_user: true,
            tags: Default::default(),
        }
    }

    /// Sets the testkit region's EFS data.
    pub fn set(inv: &mut Inventory, file_systems: Vec<EfsFileSystem>, access_points: Vec<EfsAccessPoint>) {
        crate::testkit::region(inv).efs = Observed::Known(Efs { file_systems, access_points: Observed::Known(access_points) });
    }
}
