pub mod sg;
pub mod sg_admin_ports_unrestricted;
pub mod sg_high_risk_ports;
pub mod sg_specific_ports_unrestricted;
pub mod sg_unrestricted_access;
pub mod default_sg_restricts_all;
pub mod ebs_default_encryption;
pub mod ebs_public_snapshots;
pub mod imdsv2_required;

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
