//! Site-to-Site VPN connections without tunnel logging.
//!
//! Security Hub EC2.171 (FSBP; AWS Config rule `ec2-vpn-connection-logging-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-171>. A VPN
//! connection fails unless CloudWatch Logs logging is enabled for both of its tunnels
//! (`Options.TunnelOptions[].LogOptions.CloudWatchLogOptions.LogEnabled`); when the tunnel options
//! are not reported the result is NOT_AVAILABLE. Deleted connections are out of scope. One result
//! per connection.
//!
//! Both tunnels: one tunnel without logging fails (test `pass_fail_not_available`,
//! `vpn-half`); tunnel options that report fewer than two tunnels, all logged, are NOT_AVAILABLE
//! (the other tunnel was not read) where they used to pass (test `two_tunnels`). AWS's sentence
//! could not be retrieved verbatim here.

use super::{each_ec2_item, vpn_connection_resource};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpn_connection_logging",
        title: "Site-to-Site VPN connections do not log both tunnels",
        description: "Tunnel logs record IKE negotiation, IPsec tunnel establishment and dead peer detection: without them, neither outages nor attempts to connect with wrong keys can be investigated.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2VpnConnection,
        standards: &[StandardRef::fsbp("EC2.171")],
        remediation: Remediation {
            console: "VPC console > Site-to-Site VPN connections > the connection: Actions > Modify VPN tunnel options, for each tunnel: Tunnel activity log = enable, with a CloudWatch Logs log group.",
            cli: "aws ec2 modify-vpn-tunnel-options --vpn-connection-id <vpn-id> --vpn-tunnel-outside-ip-address <ip> --tunnel-options '{\"LogOptions\":{\"CloudWatchLogOptions\":{\"LogEnabled\":true,\"LogGroupArn\":\"<log-group-arn>\"}}}'  # for both tunnels",
            url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2VpnConnection,
        "vpn-connection",
        |e| &e.vpn_connections,
        |account, region, _, v, out| {
            if v.state == "deleted" {
                return;
            }
            let res = vpn_connection_resource(account, region, v);
            let tunnels = match &v.tunnel_logging {
                Some(t) if !t.is_empty() => t,
                _ => return out.not_available(res, "the connection's tunnel options were not reported"),
            };
            let off: Vec<&str> = tunnels.iter().filter(|t| !t.cloudwatch_log_enabled).map(|t| t.outside_ip_address.as_str()).collect();
            if off.is_empty() && tunnels.len() < 2 {
                out.not_available(
                    res,
                    format!("tunnel options report {} tunnel(s), logged; the other tunnel's options were not reported", tunnels.len()),
                );
            } else if off.is_empty() {
                out.pass(res, format!("CloudWatch Logs logging is enabled for all {} tunnels", tunnels.len()));
            } else {
                out.fail(res, format!("CloudWatch Logs logging is off for the tunnel {}", off.join(", ")));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, VpnConnection, VpnTunnelLogging};
    use rampart_model::Status;

    fn vpn(id: &str, state: &str, logging: Option<&[bool]>) -> VpnConnection {
        VpnConnection {
            vpn_connection_id: id.into(),
            state: state.into(),
            tunnel_logging: logging.map(|ts| {
                ts.iter()
                    .enumerate()
                    .map(|(i, on)| VpnTunnelLogging {
                        outside_ip_address: format!("198.51.100.{i}"),
                        cloudwatch_log_enabled: *on,
                        log_group_arn: None,
                    })
                    .collect()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).vpn_connections = Observed::Known(vec![
            vpn("vpn-logged", "available", Some(&[true, true])),
            vpn("vpn-half", "available", Some(&[true, false])),
            vpn("vpn-unreported", "pending", None),
            vpn("vpn-deleted", "deleted", Some(&[false, false])),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert!(r[1].reason.ends_with("198.51.100.1"), "{}", r[1].reason);
        ec2(&mut inv).vpn_connections = Observed::Unknown("ec2:DescribeVpnConnections access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn two_tunnels() {
        let mut inv = inventory();
        ec2(&mut inv).vpn_connections =
            Observed::Known(vec![vpn("vpn-one-logged", "available", Some(&[true])), vpn("vpn-one-unlogged", "available", Some(&[false]))]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Failed]);
    }
}
