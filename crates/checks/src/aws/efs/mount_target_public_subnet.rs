//! EFS file systems with mount targets in subnets that assign public IP addresses on launch.
//!
//! Security Hub EFS.6 (FSBP; AWS Config rule `efs-mount-target-public-accessible`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-6>. The
//! control (resource type `AWS::EFS::FileSystem`) fails when a mount target of the file system
//! is in a subnet whose `MapPublicIpOnLaunch` is true: the mount target's network interface then
//! gets a public IP address. The subnets are EC2's (`DescribeSubnets`) of the same region; a
//! mount target whose subnet is not among them cannot be judged. One result per file system; a
//! file system without mount targets passes.
//!
//! AWS: "The rule is NON_COMPLIANT if the Amazon EFS mount target is associated with subnets that
//! assign public IP addresses on launch" (Config `efs-mount-target-public-accessible`, behind
//! EFS.6): one such mount target fails the file system, whatever the others
//! (`pass_fail_not_available`: `public` has a private and a public mount target).

use super::each_file_system;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_mount_target_public_subnet",
        title: "EFS mount targets are in subnets that assign public IP addresses on launch",
        description: "A mount target in such a subnet gets a public IP address on its network interface, so the file system is reachable from the internet wherever its security groups allow NFS.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "efs",
        resource_type: ResourceType::AwsEfsFileSystem,
        standards: &[StandardRef::fsbp("EFS.6")],
        remediation: Remediation {
            console: "EFS console > File systems > the file system > Network > Manage: remove the mount target in the public subnet and add one in a subnet of the same Availability Zone that does not auto-assign public IPv4 addresses.",
            cli: "aws efs delete-mount-target --mount-target-id <fsmt-id>; aws efs create-mount-target --file-system-id <fs-id> --subnet-id <private-subnet-id> --security-groups <sg-id>",
            url: "https://docs.aws.amazon.com/efs/latest/ug/accessing-fs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_file_system(ctx, out, |_, region, fs, res, out| {
        let mount_targets = match &fs.mount_targets {
            Observed::Known(m) => m,
            Observed::Unknown(why) => return out.not_available(res, format!("the mount targets could not be read: {why}")),
        };
        if mount_targets.is_empty() {
            return out.pass(res, "the file system has no mount targets");
        }
        let subnets = match region.ec2.as_result().and_then(|e| e.subnets.as_result()) {
            Ok(s) => s,
            Err(why) => return out.not_available(res, format!("the subnets of its mount targets could not be read: {why}")),
        };
        let mut public = Vec::new();
        let mut unseen = Vec::new();
        for mt in mount_targets {
            match subnets.iter().find(|s| s.subnet_id == mt.subnet_id) {
                Some(s) if s.map_public_ip_on_launch => public.push(format!("{} in {}", mt.mount_target_id, mt.subnet_id)),
                Some(_) => {}
                None => unseen.push(format!("{} in {}", mt.mount_target_id, mt.subnet_id)),
            }
        }
        if !public.is_empty() {
            out.fail(res, format!("mount targets in subnets that assign public IP addresses on launch: {}", public.join(", ")))
        } else if !unseen.is_empty() {
            out.not_available(res, format!("mount targets in subnets the scan did not see: {}", unseen.join(", ")))
        } else {
            out.pass(res, format!("none of the {} mount target(s) is in a subnet that assigns public IP addresses on launch", mount_targets.len()))
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{file_system, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EfsFileSystem, EfsMountTarget, Subnet};
    use rampart_model::Status;

    fn in_subnet(name: &str, subnet: &str) -> EfsFileSystem {
        let mut fs = file_system(name);
        fs.mount_targets = Observed::Known(vec![
            EfsMountTarget { mount_target_id: format!("fsmt-{name}-a"), subnet_id: "subnet-private".into(), ..Default::default() },
            EfsMountTarget { mount_target_id: format!("fsmt-{name}-b"), subnet_id: subnet.into(), ..Default::default() },
        ]);
        fs
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).subnets = Observed::Known(vec![
            Subnet { subnet_id: "subnet-private".into(), ..Default::default() },
            Subnet { subnet_id: "subnet-public".into(), map_public_ip_on_launch: true, ..Default::default() },
        ]);
        let none = EfsFileSystem { mount_targets: Observed::Known(vec![]), ..file_system("none") };
        let unread = EfsFileSystem { mount_targets: Observed::Unknown("elasticfilesystem:DescribeMountTargets access denied".into()), ..file_system("unread") };
        set(
            &mut inv,
            vec![file_system("private"), in_subnet("public", "subnet-public"), none, unread, in_subnet("elsewhere", "subnet-unseen")],
            vec![],
        );
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable, Status::NotAvailable]
        );
        // Subnets unreadable: file systems with mount targets cannot be judged.
        ec2(&mut inv).subnets = Observed::Unknown("ec2:DescribeSubnets access denied".into());
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::NotAvailable, Status::NotAvailable, Status::Passed, Status::NotAvailable, Status::NotAvailable]
        );
        region(&mut inv).efs = Observed::Unknown("elasticfilesystem:DescribeFileSystems access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
