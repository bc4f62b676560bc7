//! EC2 and VPC: instances, network interfaces, security groups, prefix lists, VPC plumbing,
//! EBS volumes and snapshots, AMIs, Elastic IPs.
//!
//! The region's EC2 data is `Unknown` as a whole only when the security groups cannot be
//! listed; every other listing is its own `Observed`, so one denied call blinds only the
//! checks that need it.

use crate::call::{client, Ctx};
use aws_sdk_ec2::types as t;
use rampart_inventory::*;

pub(crate) async fn collect(ctx: &Ctx) -> Observed<Ec2> {
    let ec2 = client!(ctx, aws_sdk_ec2);
    let c = &ec2;
    let core = async {
        let (instances, enis, sgs, pls, vpcs, subnets, rts, igws, eigws, nats, nacls, vpces, pcxs) = futures::join!(
            ctx.call("ec2:DescribeInstances", None, c.describe_instances().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeNetworkInterfaces", None, c.describe_network_interfaces().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeSecurityGroups", None, c.describe_security_groups().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeManagedPrefixLists", None, c.describe_managed_prefix_lists().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeVpcs", None, c.describe_vpcs().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeSubnets", None, c.describe_subnets().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeRouteTables", None, c.describe_route_tables().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeInternetGateways", None, c.describe_internet_gateways().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeEgressOnlyInternetGateways", None, c.describe_egress_only_internet_gateways().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeNatGateways", None, c.describe_nat_gateways().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeNetworkAcls", None, c.describe_network_acls().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeVpcEndpoints", None, c.describe_vpc_endpoints().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeVpcPeeringConnections", None, c.describe_vpc_peering_connections().into_paginator().send().try_collect()),
        );
        let mut e = Ec2 { security_groups: sgs?.iter().flat_map(|p| p.security_groups()).map(security_group).collect(), ..Ec2::default() };
        e.instances = obs(instances, |p| p.iter().flat_map(|p| p.reservations()).flat_map(|r| r.instances()).map(instance).collect());
        e.network_interfaces = obs(enis, |p| p.iter().flat_map(|p| p.network_interfaces()).map(eni).collect());
        e.managed_prefix_lists = obs(pls, |pls| pls
            .iter()
            .flat_map(|p| p.prefix_lists())
            .map(|p| PrefixList {
                prefix_list_id: p.prefix_list_id().unwrap_or_default().to_string(),
                prefix_list_name: p.prefix_list_name().unwrap_or_default().to_string(),
                owner_id: p.owner_id().unwrap_or_default().to_string(),
                address_family: p.address_family().unwrap_or_default().to_string(),
                entries: Observed::not_collected(),
            })
            .collect());
        e.vpcs = obs(vpcs, |p| p.iter().flat_map(|p| p.vpcs()).map(vpc).collect());
        e.subnets = obs(subnets, |p| p.iter().flat_map(|p| p.subnets()).map(subnet).collect());
        e.route_tables = obs(rts, |p| p.iter().flat_map(|p| p.route_tables()).map(route_table).collect());
        e.internet_gateways = obs(igws, |p| p
            .iter()
            .flat_map(|p| p.internet_gateways())
            .map(|g| InternetGateway {
                id: g.internet_gateway_id().unwrap_or_default().to_string(),
                attached_vpc_ids: g.attachments().iter().filter_map(|a| a.vpc_id().map(str::to_string)).collect(),
            })
            .collect());
        e.egress_only_internet_gateways = obs(eigws, |p| p
            .iter()
            .flat_map(|p| p.egress_only_internet_gateways())
            .map(|g| InternetGateway {
                id: g.egress_only_internet_gateway_id().unwrap_or_default().to_string(),
                attached_vpc_ids: g.attachments().iter().filter_map(|a| a.vpc_id().map(str::to_string)).collect(),
            })
            .collect());
        e.nat_gateways = obs(nats, |p| p
            .iter()
            .flat_map(|p| p.nat_gateways())
            .map(|n| NatGateway {
                nat_gateway_id: n.nat_gateway_id().unwrap_or_default().to_string(),
                vpc_id: n.vpc_id().unwrap_or_default().to_string(),
                subnet_id: n.subnet_id().unwrap_or_default().to_string(),
                state: n.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                connectivity_type: n.connectivity_type().map(|s| s.as_str().to_string()).unwrap_or_default(),
                public_ips: n.nat_gateway_addresses().iter().filter_map(|a| a.public_ip().map(str::to_string)).collect(),
            })
            .collect());
        e.network_acls = obs(nacls, |p| p.iter().flat_map(|p| p.network_acls()).map(nacl).collect());
        e.vpc_endpoints = obs(vpces, |p| p
            .iter()
            .flat_map(|p| p.vpc_endpoints())
            .map(|v| VpcEndpoint {
                vpc_endpoint_id: v.vpc_endpoint_id().unwrap_or_default().to_string(),
                vpc_endpoint_type: v.vpc_endpoint_type().map(|s| s.as_str().to_string()).unwrap_or_default(),
                vpc_id: v.vpc_id().unwrap_or_default().to_string(),
                service_name: v.service_name().unwrap_or_default().to_string(),
                route_table_ids: v.route_table_ids().to_vec(),
                subnet_ids: v.subnet_ids().to_vec(),
                network_interface_ids: v.network_interface_ids().to_vec(),
                policy_document: v.policy_document().map(str::to_string),
            })
            .collect());
        e.vpc_peering_connections = obs(pcxs, |p| p
            .iter()
            .flat_map(|p| p.vpc_peering_connections())
            .map(|p| VpcPeering {
                vpc_peering_connection_id: p.vpc_peering_connection_id().unwrap_or_default().to_string(),
                requester_vpc_id: p.requester_vpc_info().and_then(|i| i.vpc_id()).unwrap_or_default().to_string(),
                requester_owner_id: p.requester_vpc_info().and_then(|i| i.owner_id()).unwrap_or_default().to_string(),
                accepter_vpc_id: p.accepter_vpc_info().and_then(|i| i.vpc_id()).unwrap_or_default().to_string(),
                accepter_owner_id: p.accepter_vpc_info().and_then(|i| i.owner_id()).unwrap_or_default().to_string(),
                status: p.status().and_then(|s| s.code()).map(|c| c.as_str().to_string()).unwrap_or_default(),
            })
            .collect());
        Ok::<Ec2, String>(e)
    };
    let storage = async {
        futures::join!(
            ctx.call("ec2:DescribeFlowLogs", None, c.describe_flow_logs().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeVolumes", None, c.describe_volumes().into_paginator().send().try_collect()),
            ctx.call("ec2:DescribeSnapshots", None, c.describe_snapshots().owner_ids("self").into_paginator().send().try_collect()),
            ctx.call("ec2:GetEbsEncryptionByDefault", None, c.get_ebs_encryption_by_default().send()),
            ctx.call("ec2:DescribeImages", None, c.describe_images().owners("self").send()),
            ctx.call("ec2:DescribeAddresses", None, c.describe_addresses().send()),
        )
    };
    let (core, (flow_logs, volumes, snapshots, ebs_default, images, addresses)) = futures::join!(core, storage);
    let mut e = match core {
        Ok(e) => e,
        Err(why) => return Observed::Unknown(why),
    };

    e.flow_logs = match flow_logs {
        Ok(p) => Observed::Known(
            p.iter()
                .flat_map(|p| p.flow_logs())
                .map(|f| FlowLog {
                    flow_log_id: f.flow_log_id().unwrap_or_default().to_string(),
                    resource_id: f.resource_id().unwrap_or_default().to_string(),
                    traffic_type: f.traffic_type().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    log_destination_type: f.log_destination_type().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    status: f.flow_log_status().unwrap_or_default().to_string(),
                })
                .collect(),
        ),
        Err(why) => Observed::Unknown(why),
    };
    e.volumes = match volumes {
        Ok(p) => Observed::Known(p.iter().flat_map(|p| p.volumes()).map(volume).collect()),
        Err(why) => Observed::Unknown(why),
    };
    e.ebs_encryption_by_default = match ebs_default {
        Ok(o) => Observed::Known(o.ebs_encryption_by_default().unwrap_or(false)),
        Err(why) => Observed::Unknown(why),
    };
    e.addresses = match addresses {
        Ok(o) => Observed::Known(
            o.addresses()
                .iter()
                .map(|a| ElasticIp {
                    allocation_id: a.allocation_id().unwrap_or_default().to_string(),
                    public_ip: a.public_ip().unwrap_or_default().to_string(),
                    // moto answers an unassociated address with empty InstanceId and
                    // NetworkInterfaceId; AWS omits them. Both mean "none".
                    association_id: a.association_id().filter(|s| !s.is_empty()).map(str::to_string),
                    instance_id: a.instance_id().filter(|s| !s.is_empty()).map(str::to_string),
                    network_interface_id: a.network_interface_id().filter(|s| !s.is_empty()).map(str::to_string),
                })
                .collect(),
        ),
        Err(why) => Observed::Unknown(why),
    };

    // Per-resource attributes, concurrently.
    let no_instances = Vec::new();
    let no_lists = Vec::new();
    let instances_known = e.instances.known().unwrap_or(&no_instances);
    let lists_known = e.managed_prefix_lists.known().unwrap_or(&no_lists);
    let user_data = futures::future::join_all(instances_known.iter().map(|i| {
        let id = i.instance_id.clone();
        async move {
            let r = ctx
                .call("ec2:DescribeInstanceAttribute", Some(&id), c.describe_instance_attribute().instance_id(&id).attribute(t::InstanceAttributeName::UserData).send())
                .await;
            match r {
                Ok(o) => match o.user_data().and_then(|v| v.value()) {
                    None => Observed::Known(None),
                    Some(b64) => user_data_text(b64).map_or_else(Observed::Unknown, |text| Observed::Known(Some(text))),
                },
                Err(why) => Observed::Unknown(why),
            }
        }
    }));
    let entries = futures::future::join_all(lists_known.iter().map(|p| {
        let id = p.prefix_list_id.clone();
        async move {
            let r = ctx
                .call("ec2:GetManagedPrefixListEntries", Some(&id), c.get_managed_prefix_list_entries().prefix_list_id(&id).into_paginator().send().try_collect())
                .await;
            match r {
                Ok(pages) => Observed::Known(pages.iter().flat_map(|p| p.entries()).filter_map(|e| e.cidr().map(str::to_string)).collect()),
                Err(why) => Observed::Unknown(why),
            }
        }
    }));
    let snaps = async {
        match snapshots {
            Ok(p) => {
                let list: Vec<_> = p.iter().flat_map(|p| p.snapshots()).cloned().collect();
                Observed::Known(futures::future::join_all(list.iter().map(|s| snapshot(ctx, c, s))).await)
            }
            Err(why) => Observed::Unknown(why),
        }
    };
    let imgs = async {
        match images {
            Ok(o) => Observed::Known(futures::future::join_all(o.images().iter().map(|i| image(ctx, c, i))).await),
            Err(why) => Observed::Unknown(why),
        }
    };
    let (user_data, entries, snapshots, images) = futures::join!(user_data, entries, snaps, imgs);
    if let Some(instances) = e.instances.known_mut() {
        for (i, ud) in instances.iter_mut().zip(user_data) {
            i.user_data = ud;
        }
    }
    if let Some(lists) = e.managed_prefix_lists.known_mut() {
        for (p, en) in lists.iter_mut().zip(entries) {
            p.entries = en;
        }
    }
    e.snapshots = snapshots;
    e.images = images;
    crate::tgw::collect(ctx, c, &mut e).await;
    crate::ec2_extra::fill(ctx, c, &mut e).await;
    Observed::Known(e)
}

/// A listing's result as `Observed`: the data, or why it could not be read.
fn obs<T, U>(r: Result<T, String>, f: impl FnOnce(T) -> U) -> Observed<U> {
    match r {
        Ok(v) => Observed::Known(f(v)),
        Err(why) => Observed::Unknown(why),
    }
}

/// The most gzip-compressed user data is inflated to. User data is at most 16 KB before
/// base64 (<https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html>); real scripts
/// inflate to a few times that, a compressed bomb to a thousand times.
pub const USER_DATA_INFLATED_MAX: usize = 1 << 20;

/// User data as text: base64-decoded, and inflated when it is gzip-compressed (cloud-init
/// accepts a gzip stream and inflates it). A stream that is corrupt or inflates past
/// [`USER_DATA_INFLATED_MAX`] is an error (the data is `Unknown`, its check NOT_AVAILABLE),
/// never an empty text that would scan clean.
pub(crate) fn user_data_text(b64: &str) -> Result<String, String> {
    use base64::Engine;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else {
        return Ok(b64.to_string());
    };
    if !rampart_secrets::is_gzip(&bytes) {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    rampart_secrets::gunzip_bounded(&bytes, USER_DATA_INFLATED_MAX)
        .map(|text| String::from_utf8_lossy(&text).into_owned())
        .map_err(|e| format!("it is gzip-compressed and was not scanned: {e}"))
}

#[cfg(test)]
mod user_data_tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn gzip_user_data_is_inflated_bounded() {
        let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
        assert_eq!(user_data_text(&b64(b"#!/bin/bash\necho hi\n")).unwrap(), "#!/bin/bash\necho hi\n");
        // Python: base64.b64encode(gzip.compress(b"#cloud-config\nruncmd: [ls]\n", mtime=0))
        let gz = "H4sIAAAAAAACA1NOzskvTdFNzs9Ly0znKirNS85NsVKIzimO5QIAo3kQsRsAAAA=";
        assert_eq!(user_data_text(gz).unwrap(), "#cloud-config\nruncmd: [ls]\n");
        // gzip.compress(b"A" * (USER_DATA_INFLATED_MAX + 1), 9, mtime=0): 1 KiB that inflates past the limit.
        let bomb_b64 = format!("H4sIAAAAAAACA+3BMQEAAADCoGzrX8oQvkAB{}JwGIRLgMQEAEAA=", "A".repeat(1353));
        let bomb = user_data_text(&bomb_b64).unwrap_err();
        assert!(bomb.contains("more than 1048576 bytes"), "{bomb}");
        let corrupt_b64 = b64(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff]);
        let corrupt = user_data_text(&corrupt_b64).unwrap_err();
        assert!(corrupt.contains("corrupt"), "{corrupt}");
    }
}

async fn snapshot(ctx: &Ctx, c: &aws_sdk_ec2::Client, s: &t::Snapshot) -> Snapshot {
    let id = s.snapshot_id().unwrap_or_default().to_string();
    let perms = ctx
        .call(
            "ec2:DescribeSnapshotAttribute",
            Some(&id),
            c.describe_snapshot_attribute().snapshot_id(&id).attribute(t::SnapshotAttributeName::CreateVolumePermission).send(),
        )
        .await;
    Snapshot {
        snapshot_id: id,
        volume_id: s.volume_id().map(str::to_string),
        volume_size_gib: s.volume_size().unwrap_or(0),
        encrypted: s.encrypted().unwrap_or(false),
        state: s.state().map(|x| x.as_str().to_string()).unwrap_or_default(),
        start_time: s.start_time().map(|d| d.to_string()),
        description: s.description().unwrap_or_default().into(),
        create_volume_permissions: match perms {
            Ok(o) => Observed::Known(
                o.create_volume_permissions()
                    .iter()
                    .filter_map(|p| p.group().map(|g| g.as_str().to_string()).or(p.user_id().map(str::to_string)))
                    .collect(),
            ),
            Err(why) => Observed::Unknown(why),
        },
        tags: tags(s.tags()),
    }
}

async fn image(ctx: &Ctx, c: &aws_sdk_ec2::Client, i: &t::Image) -> Image {
    let id = i.image_id().unwrap_or_default().to_string();
    let perms = ctx
        .call("ec2:DescribeImageAttribute", Some(&id), c.describe_image_attribute().image_id(&id).attribute(t::ImageAttributeName::LaunchPermission).send())
        .await;
    Image {
        image_id: id,
        name: i.name().unwrap_or_default().to_string(),
        public: i.public().unwrap_or(false),
        state: i.state().map(|x| x.as_str().to_string()).unwrap_or_default(),
        creation_date: i.creation_date().map(str::to_string),
        launch_permissions: match perms {
            Ok(o) => Observed::Known(
                o.launch_permissions()
                    .iter()
                    .filter_map(|p| {
                        p.group()
                            .map(|g| g.as_str().to_string())
                            .or(p.user_id().map(str::to_string))
                            .or(p.organization_arn().map(str::to_string))
                            .or(p.organizational_unit_arn().map(str::to_string))
                    })
                    .collect(),
            ),
            Err(why) => Observed::Unknown(why),
        },
    }
}

fn tags(t: &[t::Tag]) -> Tags {
    t.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

fn instance(i: &t::Instance) -> Instance {
    let md = i.metadata_options();
    Instance {
        instance_id: i.instance_id().unwrap_or_default().to_string(),
        state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()).unwrap_or_default(),
        instance_type: i.instance_type().map(|x| x.as_str().to_string()).unwrap_or_default(),
        image_id: i.image_id().unwrap_or_default().to_string(),
        vpc_id: i.vpc_id().map(str::to_string),
        subnet_id: i.subnet_id().map(str::to_string),
        private_ip_address: i.private_ip_address().map(str::to_string),
        public_ip_address: i.public_ip_address().map(str::to_string),
        ipv6_addresses: i
            .network_interfaces()
            .iter()
            .flat_map(|n| n.ipv6_addresses())
            .filter_map(|a| a.ipv6_address().map(str::to_string))
            .collect(),
        security_group_ids: i.security_groups().iter().filter_map(|g| g.group_id().map(str::to_string)).collect(),
        network_interface_ids: i.network_interfaces().iter().filter_map(|n| n.network_interface_id().map(str::to_string)).collect(),
        iam_instance_profile_arn: i.iam_instance_profile().and_then(|p| p.arn()).map(str::to_string),
        metadata_http_tokens: md.and_then(|m| m.http_tokens()).map(|x| x.as_str().to_string()),
        metadata_http_endpoint: md.and_then(|m| m.http_endpoint()).map(|x| x.as_str().to_string()),
        metadata_hop_limit: md.and_then(|m| m.http_put_response_hop_limit()),
        user_data: Observed::not_collected(),
        launch_time: i.launch_time().map(|d| d.to_string()),
        platform: i.platform().map(|p| p.as_str().to_string()),
        tags: tags(i.tags()),
        virtualization_type: Observed::Known(i.virtualization_type().map(|v| v.as_str().to_string())),
        state_transition_reason: Observed::Known(i.state_transition_reason().filter(|r| !r.is_empty()).map(str::to_string)),
        monitoring_state: match i.monitoring().and_then(|m| m.state()) {
            Some(s) => Observed::Known(s.as_str().to_string()),
            None => Observed::Unknown("ec2:DescribeInstances: no Monitoring.State in the response".into()),
        },
    }
}

fn eni(n: &t::NetworkInterface) -> NetworkInterface {
    NetworkInterface {
        network_interface_id: n.network_interface_id().unwrap_or_default().to_string(),
        interface_type: n.interface_type().map(|x| x.as_str().to_string()).unwrap_or_default(),
        description: n.description().unwrap_or_default().into(),
        vpc_id: n.vpc_id().unwrap_or_default().to_string(),
        subnet_id: n.subnet_id().unwrap_or_default().to_string(),
        availability_zone: n.availability_zone().unwrap_or_default().to_string(),
        private_ip_addresses: n.private_ip_addresses().iter().filter_map(|a| a.private_ip_address().map(str::to_string)).collect(),
        public_ips: n
            .private_ip_addresses()
            .iter()
            .filter_map(|a| a.association().and_then(|x| x.public_ip()).map(str::to_string))
            .chain(n.association().and_then(|a| a.public_ip()).map(str::to_string))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        ipv6_addresses: n.ipv6_addresses().iter().filter_map(|a| a.ipv6_address().map(str::to_string)).collect(),
        security_group_ids: n.groups().iter().filter_map(|g| g.group_id().map(str::to_string)).collect(),
        attachment_instance_id: n.attachment().and_then(|a| a.instance_id()).map(str::to_string),
        requester_managed: n.requester_managed().unwrap_or(false),
        source_dest_check: n.source_dest_check().unwrap_or(true),
        status: n.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
    }
}

fn rules(perms: &[t::IpPermission]) -> Vec<SgRule> {
    let mut out = Vec::new();
    for p in perms {
        let proto = p.ip_protocol().unwrap_or("-1").to_string();
        let (from, to) = (p.from_port(), p.to_port());
        let mk = |peer: SgPeer, description: Option<&str>| SgRule {
            ip_protocol: proto.clone(),
            from_port: from,
            to_port: to,
            peer,
            description: description.map(str::to_string),
        };
        for r in p.ip_ranges() {
            out.push(mk(SgPeer::Cidr4(r.cidr_ip().unwrap_or_default().to_string()), r.description()));
        }
        for r in p.ipv6_ranges() {
            out.push(mk(SgPeer::Cidr6(r.cidr_ipv6().unwrap_or_default().to_string()), r.description()));
        }
        for r in p.prefix_list_ids() {
            out.push(mk(SgPeer::PrefixList(r.prefix_list_id().unwrap_or_default().to_string()), r.description()));
        }
        for g in p.user_id_group_pairs() {
            out.push(mk(
                SgPeer::Group {
                    group_id: g.group_id().unwrap_or_default().to_string(),
                    user_id: g.user_id().map(str::to_string),
                    vpc_peering_connection_id: g.vpc_peering_connection_id().map(str::to_string),
                },
                g.description(),
            ));
        }
    }
    out
}

pub(crate) fn security_group(g: &t::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        group_id: g.group_id().unwrap_or_default().to_string(),
        group_name: g.group_name().unwrap_or_default().to_string(),
        description: g.description().unwrap_or_default().into(),
        vpc_id: g.vpc_id().map(str::to_string),
        owner_id: g.owner_id().unwrap_or_default().to_string(),
        ingress: rules(g.ip_permissions()),
        egress: rules(g.ip_permissions_egress()),
        tags: tags(g.tags()),
    }
}

fn vpc(v: &t::Vpc) -> Vpc {
    let mut cidr_blocks: Vec<String> = v.cidr_block_association_set().iter().filter_map(|a| a.cidr_block().map(str::to_string)).collect();
    if cidr_blocks.is_empty() {
        cidr_blocks.extend(v.cidr_block().map(str::to_string));
    }
    Vpc {
        vpc_id: v.vpc_id().unwrap_or_default().to_string(),
        cidr_blocks,
        ipv6_cidr_blocks: v.ipv6_cidr_block_association_set().iter().filter_map(|a| a.ipv6_cidr_block().map(str::to_string)).collect(),
        is_default: v.is_default().unwrap_or(false),
        owner_id: v.owner_id().unwrap_or_default().to_string(),
        tags: tags(v.tags()),
    }
}

fn subnet(s: &t::Subnet) -> Subnet {
    Subnet {
        subnet_id: s.subnet_id().unwrap_or_default().to_string(),
        vpc_id: s.vpc_id().unwrap_or_default().to_string(),
        availability_zone: s.availability_zone().unwrap_or_default().to_string(),
        cidr_block: s.cidr_block().map(str::to_string),
        ipv6_cidr_blocks: s.ipv6_cidr_block_association_set().iter().filter_map(|a| a.ipv6_cidr_block().map(str::to_string)).collect(),
        map_public_ip_on_launch: s.map_public_ip_on_launch().unwrap_or(false),
        tags: tags(s.tags()),
    }
}

fn route_table(r: &t::RouteTable) -> RouteTable {
    RouteTable {
        route_table_id: r.route_table_id().unwrap_or_default().to_string(),
        vpc_id: r.vpc_id().unwrap_or_default().to_string(),
        main: r.associations().iter().any(|a| a.main().unwrap_or(false)),
        subnet_ids: r.associations().iter().filter_map(|a| a.subnet_id().map(str::to_string)).collect(),
        gateway_ids: r.associations().iter().filter_map(|a| a.gateway_id().map(str::to_string)).collect(),
        routes: r
            .routes()
            .iter()
            .map(|x| Route {
                destination_cidr_block: x.destination_cidr_block().map(str::to_string),
                destination_ipv6_cidr_block: x.destination_ipv6_cidr_block().map(str::to_string),
                destination_prefix_list_id: x.destination_prefix_list_id().map(str::to_string),
                target: x
                    .gateway_id()
                    .or(x.nat_gateway_id())
                    .or(x.egress_only_internet_gateway_id())
                    .or(x.transit_gateway_id())
                    .or(x.vpc_peering_connection_id())
                    .or(x.network_interface_id())
                    .or(x.instance_id())
                    .or(x.local_gateway_id())
                    .or(x.carrier_gateway_id())
                    .or(x.core_network_arn())
                    .unwrap_or_default()
                    .to_string(),
                state: x.state().map(|s| s.as_str().to_string()).unwrap_or_else(|| "active".into()),
                origin: x.origin().map(|s| s.as_str().to_string()).unwrap_or_default(),
            })
            .collect(),
    }
}

fn nacl(n: &t::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        network_acl_id: n.network_acl_id().unwrap_or_default().to_string(),
        vpc_id: n.vpc_id().unwrap_or_default().to_string(),
        is_default: n.is_default().unwrap_or(false),
        subnet_ids: n.associations().iter().filter_map(|a| a.subnet_id().map(str::to_string)).collect(),
        entries: n
            .entries()
            .iter()
            .map(|e| NaclEntry {
                rule_number: e.rule_number().unwrap_or(32767),
                egress: e.egress().unwrap_or(false),
                protocol: e.protocol().unwrap_or("-1").to_string(),
                rule_action: e.rule_action().map(|a| a.as_str().to_string()).unwrap_or_default(),
                cidr_block: e.cidr_block().map(str::to_string),
                ipv6_cidr_block: e.ipv6_cidr_block().map(str::to_string),
                port_from: e.port_range().and_then(|p| p.from()),
                port_to: e.port_range().and_then(|p| p.to()),
            })
            .collect(),
    }
}

fn volume(v: &t::Volume) -> Volume {
    Volume {
        volume_id: v.volume_id().unwrap_or_default().to_string(),
        size_gib: v.size().unwrap_or(0),
        volume_type: v.volume_type().map(|x| x.as_str().to_string()).unwrap_or_default(),
        state: v.state().map(|x| x.as_str().to_string()).unwrap_or_default(),
        encrypted: v.encrypted().unwrap_or(false),
        kms_key_id: v.kms_key_id().map(str::to_string),
        availability_zone: v.availability_zone().unwrap_or_default().to_string(),
        attached_instance_ids: v.attachments().iter().filter_map(|a| a.instance_id().map(str::to_string)).collect(),
        create_time: v.create_time().map(|d| d.to_string()),
        tags: tags(v.tags()),
    }
}
