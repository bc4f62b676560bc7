//! EC2 listings beyond the network and storage core of `ec2.rs`: launch templates (with their
//! default version's data), Site-to-Site VPN connections, Client VPN endpoints and the region's
//! VPC Block Public Access options. Each is its own `Observed`: a denied or unsupported call
//! blinds only the checks that need it.

use crate::call::Ctx;
use aws_sdk_ec2::types as t;
use rampart_inventory::*;

/// Reads the extra listings concurrently and stores them in `e`.
///
/// A plain function returning a boxed future (and every SDK call in its own boxed function),
/// so that the deep, debug-build stack frames of the collection do not grow further.
pub(crate) fn fill<'a>(ctx: &'a Ctx, c: &'a aws_sdk_ec2::Client, e: &'a mut Ec2) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
    Box::pin(async move {
        let (templates, vpns, client_vpns, bpa) = futures::join!(
            Box::pin(launch_templates(ctx, c)),
            Box::pin(vpn_connections(ctx, c)),
            Box::pin(client_vpn_endpoints(ctx, c)),
            Box::pin(block_public_access(ctx, c)),
        );
        e.launch_templates = templates;
        e.vpn_connections = match vpns {
            Ok(o) => Observed::Known(o.vpn_connections().iter().map(vpn_connection).collect()),
            Err(why) => Observed::Unknown(why),
        };
        e.client_vpn_endpoints = match client_vpns {
            Ok(pages) => Observed::Known(
                pages
                    .iter()
                    .flat_map(|p| p.client_vpn_endpoints())
                    .map(|v| ClientVpnEndpoint {
                        client_vpn_endpoint_id: v.client_vpn_endpoint_id().unwrap_or_default().to_string(),
                        status: v.status().and_then(|s| s.code()).map(|c| c.as_str().to_string()).unwrap_or_default(),
                        connection_log_enabled: v.connection_log_options().and_then(|o| o.enabled()).unwrap_or(false),
                        cloudwatch_log_group: v.connection_log_options().and_then(|o| o.cloudwatch_log_group()).map(str::to_string),
                    })
                    .collect(),
            ),
            Err(why) => Observed::Unknown(why),
        };
        e.vpc_block_public_access_mode = match bpa {
            Ok(o) => match o.vpc_block_public_access_options().and_then(|b| b.internet_gateway_block_mode()) {
                Some(mode) => Observed::Known(mode.as_str().to_string()),
                None => Observed::Unknown("ec2:DescribeVpcBlockPublicAccessOptions returned no InternetGatewayBlockMode".into()),
            },
            Err(why) => Observed::Unknown(why),
        };
    })
}

async fn vpn_connections(ctx: &Ctx, c: &aws_sdk_ec2::Client) -> Result<aws_sdk_ec2::operation::describe_vpn_connections::DescribeVpnConnectionsOutput, String> {
    ctx.call("ec2:DescribeVpnConnections", None, c.describe_vpn_connections().send()).await
}

async fn client_vpn_endpoints(
    ctx: &Ctx,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<aws_sdk_ec2::operation::describe_client_vpn_endpoints::DescribeClientVpnEndpointsOutput>, String> {
    ctx.call("ec2:DescribeClientVpnEndpoints", None, c.describe_client_vpn_endpoints().into_paginator().send().try_collect()).await
}

async fn block_public_access(
    ctx: &Ctx,
    c: &aws_sdk_ec2::Client,
) -> Result<aws_sdk_ec2::operation::describe_vpc_block_public_access_options::DescribeVpcBlockPublicAccessOptionsOutput, String> {
    ctx.call("ec2:DescribeVpcBlockPublicAccessOptions", None, c.describe_vpc_block_public_access_options().send()).await
}

async fn launch_templates(ctx: &Ctx, c: &aws_sdk_ec2::Client) -> Observed<Vec<LaunchTemplate>> {
    let pages = match Box::pin(templates_list(ctx, c)).await {
        Ok(p) => p,
        Err(why) => return Observed::Unknown(why),
    };
    let mut templates: Vec<LaunchTemplate> = pages
        .iter()
        .flat_map(|p| p.launch_templates())
        .map(|lt| LaunchTemplate {
            launch_template_id: lt.launch_template_id().unwrap_or_default().to_string(),
            launch_template_name: lt.launch_template_name().unwrap_or_default().to_string(),
            default_version_number: lt.default_version_number(),
            latest_version_number: lt.latest_version_number(),
            default_version: Observed::not_collected(),
        })
        .collect();
    if templates.is_empty() {
        return Observed::Known(templates);
    }
    // Without a template id, `$Default` lists the default version of every template at once.
    let versions = Box::pin(default_versions(ctx, c)).await;
    match versions {
        Ok(pages) => {
            let by_id: std::collections::HashMap<&str, &t::LaunchTemplateVersion> = pages
                .iter()
                .flat_map(|p| p.launch_template_versions())
                .filter_map(|v| Some((v.launch_template_id()?, v)))
                .collect();
            for lt in &mut templates {
                lt.default_version = match by_id.get(lt.launch_template_id.as_str()) {
                    Some(v) => Observed::Known(v.launch_template_data().map(template_data).unwrap_or_default()),
                    None => Observed::Unknown("ec2:DescribeLaunchTemplateVersions did not return the default version".into()),
                };
            }
        }
        Err(why) => {
            for lt in &mut templates {
                lt.default_version = Observed::Unknown(why.clone());
            }
        }
    }
    Observed::Known(templates)
}

async fn templates_list(
    ctx: &Ctx,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<aws_sdk_ec2::operation::describe_launch_templates::DescribeLaunchTemplatesOutput>, String> {
    ctx.call("ec2:DescribeLaunchTemplates", None, c.describe_launch_templates().into_paginator().send().try_collect()).await
}

async fn default_versions(
    ctx: &Ctx,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<aws_sdk_ec2::operation::describe_launch_template_versions::DescribeLaunchTemplateVersionsOutput>, String> {
    ctx.call(
        "ec2:DescribeLaunchTemplateVersions",
        None,
        c.describe_launch_template_versions().versions("$Default").into_paginator().send().try_collect(),
    )
    .await
}

fn template_data(d: &t::ResponseLaunchTemplateData) -> LaunchTemplateData {
    let md = d.metadata_options();
    LaunchTemplateData {
        metadata_http_tokens: md.and_then(|m| m.http_tokens()).map(|x| x.as_str().to_string()),
        metadata_http_endpoint: md.and_then(|m| m.http_endpoint()).map(|x| x.as_str().to_string()),
        network_interfaces: d
            .network_interfaces()
            .iter()
            .map(|n| LaunchTemplateNetworkInterface {
                device_index: n.device_index(),
                associate_public_ip_address: n.associate_public_ip_address(),
                network_interface_id: n.network_interface_id().map(str::to_string),
            })
            .collect(),
        block_device_mappings: d
            .block_device_mappings()
            .iter()
            .map(|b| LaunchTemplateBlockDevice {
                device_name: b.device_name().map(str::to_string),
                ebs: b.ebs().is_some(),
                encrypted: b.ebs().and_then(|e| e.encrypted()),
            })
            .collect(),
    }
}

fn vpn_connection(v: &t::VpnConnection) -> VpnConnection {
    VpnConnection {
        vpn_connection_id: v.vpn_connection_id().unwrap_or_default().to_string(),
        state: v.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
        tunnels: v.vgw_telemetry.as_ref().map(|ts| {
            ts.iter()
                .map(|x| VpnTunnel {
                    outside_ip_address: x.outside_ip_address().unwrap_or_default().to_string(),
                    status: x.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                    status_message: x.status_message().map(str::to_string),
                })
                .collect()
        }),
        tunnel_logging: v.options().and_then(|o| o.tunnel_options.as_ref()).map(|ts| {
            ts.iter()
                .map(|o| {
                    let cw = o.log_options().and_then(|l| l.cloud_watch_log_options());
                    VpnTunnelLogging {
                        outside_ip_address: o.outside_ip_address().unwrap_or_default().to_string(),
                        cloudwatch_log_enabled: cw.and_then(|c| c.log_enabled()).unwrap_or(false),
                        log_group_arn: cw.and_then(|c| c.log_group_arn()).map(str::to_string),
                    }
                })
                .collect()
        }),
        tags: v.tags().iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect(),
    }
}
