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
pub mod instance_stopped_too_long;
pub mod instance_multiple_enis;
pub mod instance_paravirtual;
pub mod eni_source_dest_check;
pub mod launch_template_public_ip;
pub mod launch_template_imdsv2;
pub mod launch_template_ebs_encrypted;
pub mod vpn_tunnels_up;
pub mod vpn_connection_logging;
pub mod client_vpn_connection_logging;
pub mod vpc_block_public_access;
pub mod transit_gateway_auto_accept;
pub mod sg_large_number_of_rules;
pub mod instance_large_number_of_sg_rules;
pub mod nat_gateway_az_independence;
pub mod az_balance;
mod vpc_endpoint_for;
pub mod vpc_endpoint_ec2;
pub mod vpc_endpoint_ecr_api;
pub mod vpc_endpoint_ecr_dkr;
pub mod vpc_endpoint_ssm;
pub mod vpc_endpoint_ssm_contacts;
pub mod vpc_endpoint_ssm_incidents;
pub mod ami_public;
pub mod ebs_snapshot_encrypted;
pub mod instance_user_data_secrets;
pub mod instance_public_with_instance_profile;
pub mod sg_unused;
pub mod vpc_subnets_multi_az;
pub mod vpc_endpoint_multi_az;
pub mod instance_detailed_monitoring;
pub mod launch_template_user_data_secrets;
pub mod ebs_snapshot_block_public_access;
pub mod ami_block_public_access;
pub mod instance_metadata_defaults_imdsv2;
pub mod instance_profile_attached;
pub mod security_group_launch_wizard;
pub mod vpc_in_several_regions;

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

/// One result per region for a regional account setting of EC2 (block public access for
/// snapshots or AMIs, the instance metadata defaults), on the account's `ec2/<what>`:
/// `judge` says of a setting that was read `Ok(why it passes)` or `Err(why it fails)`;
/// NOT_AVAILABLE, naming the setting by `label`, where EC2 or the setting was not read.
pub(crate) fn each_region_setting<T>(
    ctx: &crate::Ctx,
    out: &mut Emit,
    what: &str,
    label: &str,
    setting: fn(&Ec2) -> &Observed<T>,
    judge: impl Fn(&T, &str) -> Result<String, String>,
) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(
            account,
            &region.name,
            ResourceType::AwsAccount,
            account.arn("ec2", &region.name, what),
            &format!("{} {}", account.id, region.name),
        );
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsAccount, what, out) else { continue };
        match setting(ec2) {
            Observed::Known(v) => match judge(v, &region.name) {
                Ok(why) => out.pass(res, why),
                Err(why) => out.fail(res, why),
            },
            Observed::Unknown(why) => out.not_available(res, format!("{label} could not be read in {}: {why}", region.name)),
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

/// [`each_ec2_item`] over the instances that are not terminated, each with its resource:
/// the opening every per-instance check shares (a terminated instance is out of scope; a
/// region whose instances were not listed is NOT_AVAILABLE).
pub(crate) fn each_live_instance(
    ctx: &crate::Ctx,
    out: &mut Emit,
    mut f: impl FnMut(&Account, &Region, &Ec2, &rampart_inventory::Instance, rampart_model::Resource, &mut Emit),
) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2Instance, "instance", |e| &e.instances, |account, region, ec2, i, out| {
        if i.state != "terminated" {
            f(account, region, ec2, i, instance_resource(account, region, i), out);
        }
    });
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

pub(crate) fn instance_resource(account: &Account, region: &Region, i: &rampart_inventory::Instance) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsEc2Instance, account.arn("ec2", &region.name, &format!("instance/{}", i.instance_id)), &i.instance_id)
}

pub(crate) fn launch_template_resource(account: &Account, region: &Region, lt: &rampart_inventory::LaunchTemplate) -> rampart_model::Resource {
    resource(
        account,
        &region.name,
        ResourceType::AwsEc2LaunchTemplate,
        account.arn("ec2", &region.name, &format!("launch-template/{}", lt.launch_template_id)),
        &lt.launch_template_name,
    )
}

pub(crate) fn vpn_connection_resource(account: &Account, region: &Region, v: &rampart_inventory::VpnConnection) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsEc2VpnConnection, account.arn("ec2", &region.name, &format!("vpn-connection/{}", v.vpn_connection_id)), &v.vpn_connection_id)
}

/// Calls `f` with the default version's data of every launch template; NOT_AVAILABLE per
/// template whose default version could not be read, and once per region without the list.
pub(crate) fn each_launch_template(
    ctx: &crate::Ctx,
    out: &mut Emit,
    mut f: impl FnMut(rampart_model::Resource, &Ec2, &rampart_inventory::LaunchTemplateData, &mut Emit),
) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2LaunchTemplate, "launch-template", |e| &e.launch_templates, |account, region, ec2, lt, out| {
        let res = launch_template_resource(account, region, lt);
        match &lt.default_version {
            Observed::Known(data) => f(res, ec2, data, out),
            Observed::Unknown(why) => out.not_available(res, format!("the default version of the launch template could not be read: {why}")),
        }
    });
}
