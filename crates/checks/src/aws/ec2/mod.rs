pub mod sg;
pub mod sg_admin_ports_unrestricted;
pub mod sg_high_risk_ports;
pub mod sg_specific_ports_unrestricted;
pub mod sg_unrestricted_access;
pub mod default_sg_restricts_all;
pub mod ebs_default_encryption;
pub mod ebs_public_snapshots;
pub mod imdsv2_required;
pub mod eip_unassociated;
pub mod ebs_volume_unattached;
pub mod ebs_snapshot_old;
pub mod ebs_volume_recent_snapshot;
pub mod ebs_attached_volumes_encrypted;
pub mod vpc_flow_logs;
pub mod instance_public_ip;
pub mod subnet_auto_assign_public_ip;
pub mod nacl_unused;
pub mod sg_unauthorized_ports_open;
pub mod nacl_admin_ports_unrestricted;

use crate::{resource, Emit};
use rampart_inventory::{Account, Ec2, Observed, Region};
use rampart_model::ResourceType;

/// The region's EC2 data, or NOT_AVAILABLE on a region-wide resource of `kind` named `what`.
pub(crate) fn known_ec2<'a>(account: &Account, region: &'a Region, kind: ResourceType, what: &str, out: &mut Emit) -> Option<&'a Ec2> {
    match &region.ec2 {
        Observed::Known(ec2) => Some(ec2),
        Observed::Unknown(why) => {
            let res = resource(account, &region.name, kind, account.arn("ec2", &region.name, &format!("{what}/*")), &format!("all {what}s"));
            out.not_available(res, format!("EC2 could not be read in {}: {why}", region.name));
            None
        }
    }
}

/// Calls `f` for every item of one EC2 list (volumes, snapshots, addresses) in every region,
/// and reports NOT_AVAILABLE once per region where EC2 or that list could not be read.
pub(crate) fn each_ec2_item<T>(
    ctx: &crate::Ctx,
    out: &mut Emit,
    kind: ResourceType,
    what: &str,
    list: fn(&Ec2) -> &Observed<Vec<T>>,
    mut f: impl FnMut(&Account, &Region, &Ec2, &T, &mut Emit),
) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, kind, what, out) else { continue };
        match list(ec2) {
            Observed::Known(items) => {
                for item in items {
                    f(account, region, ec2, item, out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, kind, account.arn("ec2", &region.name, &format!("{what}/*")), &format!("all {what}s"));
                out.not_available(res, format!("{what}s could not be listed in {}: {why}", region.name));
            }
        }
    }
}

pub(crate) fn volume_resource(account: &Account, region: &Region, v: &rampart_inventory::Volume) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsEc2Volume, account.arn("ec2", &region.name, &format!("volume/{}", v.volume_id)), &v.volume_id)
}

pub(crate) fn snapshot_resource(account: &Account, region: &Region, s: &rampart_inventory::Snapshot) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsEc2Snapshot, account.arn("ec2", &region.name, &format!("snapshot/{}", s.snapshot_id)), &s.snapshot_id)
}

pub(crate) fn nacl_resource(account: &Account, region: &Region, acl: &rampart_inventory::NetworkAcl) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsEc2NetworkAcl, account.arn("ec2", &region.name, &format!("network-acl/{}", acl.network_acl_id)), &acl.network_acl_id)
}
