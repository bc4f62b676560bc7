//! Amazon Elastic File System: file systems (`DescribeFileSystems`), their mount targets
//! (`DescribeMountTargets`, per file system) and backup policies (`DescribeBackupPolicy`, per
//! file system), and access points (`DescribeAccessPoints`) of a region.
//!
//! Reading a snapshot is strict, as in `aws.rs`: only `Observed` fields and tags may be missing.

use crate::{Observed, Tags};
use serde::{Deserialize, Serialize};

/// A region's EFS file systems and access points.
///
/// The file systems are the service's listing (when it fails the whole `Region::efs` is
/// `Unknown`); access points come from a call of their own.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Efs {
    pub file_systems: Vec<EfsFileSystem>,
    #[serde(default)]
    pub access_points: Observed<Vec<EfsAccessPoint>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EfsFileSystem {
    /// `FileSystemId` (`fs-...`).
    pub file_system_id: String,
    /// `FileSystemArn`.
    pub arn: String,
    /// `Name` (the value of the `Name` tag); `None` when the file system has none.
    pub name: Option<String>,
    /// `Encrypted`: whether the file system encrypts data at rest.
    pub encrypted: bool,
    /// `KmsKeyId`: the key that encrypts it, when encrypted.
    pub kms_key_id: Option<String>,
    #[serde(default)]
    pub tags: Tags,
    /// `BackupPolicy.Status` (`ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`); `None` = the file
    /// system has no backup policy (`PolicyNotFound`), i.e. automatic backups are off.
    #[serde(default)]
    pub backup_policy_status: Observed<Option<String>>,
    /// The file system's mount targets.
    #[serde(default)]
    pub mount_targets: Observed<Vec<EfsMountTarget>>,
    /// The file system policy (`DescribeFileSystemPolicy`); `Known(None)` = none
    /// (`PolicyNotFound`): every client that reaches a mount target has full access.
    #[serde(default)]
    pub policy: Observed<Option<String>>,
}

impl EfsFileSystem {
    /// The name tables show: the `Name` tag, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.file_system_id)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EfsMountTarget {
    /// `MountTargetId` (`fsmt-...`).
    pub mount_target_id: String,
    pub subnet_id: String,
    pub vpc_id: Option<String>,
    pub availability_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EfsAccessPoint {
    /// `AccessPointId` (`fsap-...`).
    pub access_point_id: String,
    /// `AccessPointArn`.
    pub arn: String,
    pub file_system_id: String,
    /// `Name` (the value of the `Name` tag), when set.
    pub name: Option<String>,
    /// `RootDirectory.Path`; `None` when the access point names no root directory (EFS then
    /// uses `/`).
    pub root_directory_path: Option<String>,
    /// Whether the access point enforces a POSIX user identity (`PosixUser` is set).
    pub posix_user: bool,
    #[serde(default)]
    pub tags: Tags,
}

impl EfsAccessPoint {
    /// The name tables show: the `Name` tag, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.access_point_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_older_than_the_field_read_it_as_not_collected() {
        let r: crate::Region = serde_json::from_str(r#"{"name": "us-east-1"}"#).unwrap();
        assert!(r.efs.is_not_collected());
        // File systems listed, access points absent: only they are not collected.
        let e: Efs = serde_json::from_str(r#"{"file_systems": []}"#).unwrap();
        assert!(e.access_points.is_not_collected());
        // A file system without backup policy or mount targets: those are not collected.
        let fs: EfsFileSystem =
            serde_json::from_str(r#"{"file_system_id": "fs-1", "arn": "a", "name": null, "encrypted": true, "kms_key_id": null}"#).unwrap();
        assert!(fs.backup_policy_status.is_not_collected() && fs.mount_targets.is_not_collected());
        // Anything else missing is an error, never "none".
        assert!(serde_json::from_str::<EfsFileSystem>(r#"{"file_system_id": "fs-1"}"#).is_err());
        assert!(serde_json::from_str::<EfsAccessPoint>(r#"{"access_point_id": "fsap-1", "arn": "a", "file_system_id": "fs-1"}"#).is_err());
    }

    #[test]
    fn display_names_fall_back_to_ids() {
        let fs = EfsFileSystem { file_system_id: "fs-1".into(), ..Default::default() };
        assert_eq!(fs.display_name(), "fs-1");
        let fs = EfsFileSystem { name: Some("data".into()), ..fs };
        assert_eq!(fs.display_name(), "data");
        let ap = EfsAccessPoint { access_point_id: "fsap-1".into(), name: Some(String::new()), ..Default::default() };
        assert_eq!(ap.display_name(), "fsap-1");
    }
}
