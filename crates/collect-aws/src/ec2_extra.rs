//! EC2 listings beyond the network and storage core of `ec2.rs`: launch templates (with their
//! default version's data), Site-to-Site VPN connections, Client VPN endpoints, the region's
//! VPC Block Public Access options, and its account-level settings (block public access for
//! snapshots and AMIs, instance metadata defaults). Each is its own `Observed`: a denied or unsupported call
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
        let (templates, vpns, client_vpns, bpa, account) = futures::join!(
            Box::pin(launch_templates(ctx, c)),
            Box::pin(vpn_connections(ctx, c)),
            Box::pin(client_vpn_endpoints(ctx, c)),
            Box::pin(block_public_access(ctx, c)),
            Box::pin(account_settings(ctx, c)),
        );
        (e.snapshot_block_public_access, e.image_block_public_access, e.instance_metadata_defaults) = account;
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

/// The region's account-level settings: block public access for EBS snapshots and for AMIs,
/// and the instance metadata defaults of new instances.
async fn account_settings(ctx: &Ctx, c: &aws_sdk_ec2::Client) -> (Observed<String>, Observed<String>, Observed<InstanceMetadataDefaults>) {
    let (snapshots, images, imds) = futures::join!(
        ctx.call("ec2:GetSnapshotBlockPublicAccessState", None, c.get_snapshot_block_public_access_state().send()),
        ctx.call("ec2:GetImageBlockPublicAccessState", None, c.get_image_block_public_access_state().send()),
        ctx.call("ec2:GetInstanceMetadataDefaults", None, c.get_instance_metadata_defaults().send()),
    );
    let snapshots = match snapshots {
        Ok(o) => match o.state() {
            Some(state) => Observed::Known(state.as_str().to_string()),
            None => Observed::Unknown("ec2:GetSnapshotBlockPublicAccessState returned no State".into()),
        },
        Err(why) => Observed::Unknown(why),
    };
    let images = match images {
        Ok(o) => match o.image_block_public_access_state() {
            Some(state) => Observed::Known(state.to_string()),
            None => Observed::Unknown("ec2:GetImageBlockPublicAccessState returned no ImageBlockPublicAccessState".into()),
        },
        Err(why) => Observed::Unknown(why),
    };
    // No `AccountLevel` (or no field in it) means no default is set for the account.
    let imds = match imds {
        Ok(o) => Observed::Known(InstanceMetadataDefaults {
            http_tokens: o.account_level().and_then(|a| a.http_tokens()).map(|t| t.as_str().to_string()),
            http_endpoint: o.account_level().and_then(|a| a.http_endpoint()).map(|t| t.as_str().to_string()),
        }),
        Err(why) => Observed::Unknown(why),
    };
    (snapshots, images, imds)
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
            user_data_secrets: Observed::not_collected(),
        })
        .collect();
    if templates.is_empty() {
        return Observed::Known(templates);
    }
    // Every version's user data, template by template: an old version can still be launched
    // and read, so a key in any of them is exposed.
    let secrets = futures::future::join_all(templates.iter().map(|lt| Box::pin(template_user_data_secrets(ctx, c, lt.launch_template_id.clone())))).await;
    for (lt, s) in templates.iter_mut().zip(secrets) {
        lt.user_data_secrets = s;
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

async fn template_user_data_secrets(ctx: &Ctx, c: &aws_sdk_ec2::Client, id: String) -> Observed<Vec<String>> {
    let pages = ctx
        .call(
            "ec2:DescribeLaunchTemplateVersions",
            Some(&id),
            c.describe_launch_template_versions().launch_template_id(&id).into_paginator().send().try_collect(),
        )
        .await;
    match pages {
        Ok(pages) => {
            let versions: Vec<(i64, Option<&str>)> = pages
                .iter()
                .flat_map(|p| p.launch_template_versions())
                .map(|v| (v.version_number().unwrap_or_default(), v.launch_template_data().and_then(|d| d.user_data())))
                .collect();
            user_data_secrets(&versions)
        }
        Err(why) => Observed::Unknown(why),
    }
}

/// The access keys the `rampart scan secrets` detector finds in the versions' user data
/// (base64, as EC2 returns it; gzip-compressed inflated, bounded, as for instances:
/// `ec2::user_data_text`), redacted and labelled with the version; Unknown when nothing was
/// found but a version's user data could not be scanned (not text, a corrupt gzip stream, or
/// one that inflates past the limit).
pub(crate) fn user_data_secrets(versions: &[(i64, Option<&str>)]) -> Observed<Vec<String>> {
    let mut found = Vec::new();
    let mut unscanned = Vec::new();
    let mut sorted: Vec<&(i64, Option<&str>)> = versions.iter().collect();
    sorted.sort_by_key(|(n, _)| *n);
    for (n, data) in sorted {
        let Some(b64) = data.filter(|d| !d.is_empty()) else { continue };
        let text = match crate::ec2::user_data_text(b64) {
            Ok(text) => text,
            Err(why) => {
                unscanned.push(format!("version {n}: {why}"));
                continue;
            }
        };
        let matches = rampart_secrets::detect(text.as_bytes(), &rampart_secrets::DetectOptions::default());
        if matches.is_empty() && text.contains(char::REPLACEMENT_CHARACTER) {
            unscanned.push(format!("version {n}: it is not text"));
        }
        for m in matches {
            found.push(match (m.key_id, m.secret) {
                (Some(k), Some(s)) => format!("version {n}: access key {k} with its secret {s} (line {})", m.line),
                (Some(k), None) => format!("version {n}: access key id {k} (line {})", m.line),
                (None, Some(s)) => format!("version {n}: secret access key {s} (line {})", m.line),
                (None, None) => format!("version {n}: a key (line {})", m.line),
            });
        }
    }
    if found.is_empty() && !unscanned.is_empty() {
        return Observed::Unknown(format!("the user data could not be scanned: {}", unscanned.join("; ")));
    }
    Observed::Known(found)
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

#[cfg(test)]
mod tests {
    use super::{user_data_secrets, Observed};
    use base64::Engine;

    fn b64(s: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn launch_template_user_data_secrets_are_found_in_any_version_and_redacted() {
        // Built at run time so that this source holds no key-shaped literal.
        let (id, secret) = (format!("AKIA{}", "Q3EGRN5UVWXYZ2AB"), format!("{}/{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "Ae4Ku9M"));
        let leaky = b64(format!("#!/bin/bash\nexport AWS_ACCESS_KEY_ID={id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n").as_bytes());
        let clean = b64(b"#!/bin/bash\nyum install -y nginx\n");
        let gzip = b64(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]);
        // The key is in version 1 only; version 2 (the default, say) is clean.
        let got = user_data_secrets(&[(2, Some(clean.as_str())), (1, Some(leaky.as_str())), (3, None)]);
        let found = got.known().expect("read");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("version 1: access key AKIA"), "{found:?}");
        // Key ids are identifiers, printed whole (as `rampart scan secrets` does); the secret never is.
        assert!(found[0].contains(&id) && !found[0].contains(&secret), "redacted: {found:?}");
        assert_eq!(user_data_secrets(&[(1, Some(clean.as_str())), (2, None)]).known().map(Vec::len), Some(0));
        // Binary user data proves nothing when no key was found elsewhere...
        assert!(user_data_secrets(&[(1, Some(clean.as_str())), (2, Some(gzip.as_str()))]).known().is_none());
        // ...but a key found in another version is found.
        assert_eq!(user_data_secrets(&[(1, Some(leaky.as_str())), (2, Some(gzip.as_str()))]).known().map(Vec::len), Some(1));
    }

    /// Gzip-compressed user data (cloud-init inflates it) is inflated and scanned; a corrupt
    /// stream makes the result Unknown with its reason, never a clean pass.
    #[test]
    fn gzipped_launch_template_user_data_is_scanned() {
        // Python: base64.b64encode(gzip.compress(<the leaky script above>.encode(), mtime=0))
        let gzipped = "H4sIAAAAAAACA1NW1E/KzNNPSizO4EqtKMgvKlFwDA+Od3R2dg0Ojvd2jYz3dLF19PZ0DDR2dQ/yMw0NC4+IjDJydEJWHezqHOQagqTJNtsypMrIJ9cksMI8qMzQKc8iPNk4ssDMI8XAK83UvdhI3zHVxLvU0pcLABv7iEeAAAAA";
        let found = user_data_secrets(&[(4, Some(gzipped))]);
        let found = found.known().expect("read");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("version 4: access key AKIA") && found[0].contains("k9Tz…"), "{found:?}");
        let corrupt = b64(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]);
        match user_data_secrets(&[(1, Some(b64(b"echo hi").as_str())), (2, Some(corrupt.as_str()))]) {
            Observed::Unknown(why) => assert!(why.contains("version 2: it is gzip-compressed and was not scanned: corrupt gzip stream"), "{why}"),
            other => panic!("a corrupt stream is not clean: {other:?}"),
        }
    }
}
