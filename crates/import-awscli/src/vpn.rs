//! `aws ec2 describe-vpn-connections` (`VpnConnections`): Site-to-Site VPN connections with
//! their tunnel telemetry and tunnel log options, as `rampart-collect-aws` reads them
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnConnection.html>).

use rampart_inventory as inv;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VpnConnection {
    vpn_connection_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    vgw_telemetry: Option<Vec<Telemetry>>,
    #[serde(default)]
    options: Option<Options>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Telemetry {
    #[serde(default)]
    outside_ip_address: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    status_message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Options {
    #[serde(default)]
    tunnel_options: Option<Vec<TunnelOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TunnelOption {
    #[serde(default)]
    outside_ip_address: String,
    #[serde(default)]
    log_options: Option<LogOptions>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LogOptions {
    #[serde(default)]
    cloud_watch_log_options: Option<CloudWatchLogOptions>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CloudWatchLogOptions {
    #[serde(default)]
    log_enabled: Option<bool>,
    #[serde(default)]
    log_group_arn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

impl From<&VpnConnection> for inv::VpnConnection {
    fn from(v: &VpnConnection) -> Self {
        inv::VpnConnection {
            vpn_connection_id: v.vpn_connection_id.clone(),
            state: v.state.clone(),
            tunnels: v.vgw_telemetry.as_ref().map(|ts| {
                ts.iter()
                    .map(|t| inv::VpnTunnel {
                        outside_ip_address: t.outside_ip_address.clone(),
                        status: t.status.clone(),
                        status_message: t.status_message.clone().filter(|m| !m.is_empty()),
                    })
                    .collect()
            }),
            tunnel_logging: v.options.as_ref().and_then(|o| o.tunnel_options.as_ref()).map(|ts| {
                ts.iter()
                    .map(|t| {
                        let cw = t.log_options.as_ref().and_then(|l| l.cloud_watch_log_options.as_ref());
                        inv::VpnTunnelLogging {
                            outside_ip_address: t.outside_ip_address.clone(),
                            cloudwatch_log_enabled: cw.and_then(|c| c.log_enabled).unwrap_or(false),
                            log_group_arn: cw.and_then(|c| c.log_group_arn.clone()),
                        }
                    })
                    .collect()
            }),
            tags: v
                .tags
                .iter()
                .flatten()
                .filter_map(|t| Some((t.key.clone()?, t.value.clone().unwrap_or_default())))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cli_vpn_connection_converts_like_the_collector() {
        let json = r#"{"VpnConnectionId": "vpn-1", "State": "available",
            "VgwTelemetry": [{"OutsideIpAddress": "198.51.100.1", "Status": "UP", "StatusMessage": ""},
                             {"OutsideIpAddress": "198.51.100.2", "Status": "DOWN", "StatusMessage": "IPSEC IS DOWN"}],
            "Options": {"TunnelOptions": [
                {"OutsideIpAddress": "198.51.100.1", "LogOptions": {"CloudWatchLogOptions": {"LogEnabled": true, "LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:vpn"}}},
                {"OutsideIpAddress": "198.51.100.2"}]},
            "Tags": [{"Key": "Name", "Value": "office"}]}"#;
        let v: VpnConnection = serde_json::from_str(json).unwrap();
        let v = inv::VpnConnection::from(&v);
        let tunnels = v.tunnels.unwrap();
        assert_eq!((tunnels[0].status.as_str(), tunnels[0].status_message.as_deref()), ("UP", None));
        assert_eq!(tunnels[1].status_message.as_deref(), Some("IPSEC IS DOWN"));
        let logs = v.tunnel_logging.unwrap();
        assert!(logs[0].cloudwatch_log_enabled && !logs[1].cloudwatch_log_enabled);
        assert_eq!(v.tags.get("Name").map(String::as_str), Some("office"));
        let bare: VpnConnection = serde_json::from_str(r#"{"VpnConnectionId": "vpn-2"}"#).unwrap();
        let bare = inv::VpnConnection::from(&bare);
        assert!(bare.tunnels.is_none() && bare.tunnel_logging.is_none());
    }
}
