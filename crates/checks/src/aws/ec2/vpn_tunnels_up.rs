//! Site-to-Site VPN connections with a tunnel down.
//!
//! Security Hub EC2.20 (FSBP; AWS Config rule `vpc-vpn-2-tunnels-up`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-20>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/vpc-vpn-2-tunnels-up.html>.
//! A VPN connection fails when one or both of its tunnels are `DOWN` in the connection's tunnel
//! telemetry (`VgwTelemetry`); without telemetry the result is NOT_AVAILABLE. Deleted connections
//! are out of scope. One result per connection.
//!
//! AWS's rule name says it: two tunnels up. Every tunnel is judged (one `DOWN` of two fails,
//! naming it); a connection whose telemetry reports fewer than two tunnels, all up, is
//! NOT_AVAILABLE — the missing tunnel's state was not read — where it used to pass (test
//! `two_tunnels`).
//!
//! AWS: "This control checks that both VPN tunnels provided by AWS Site-to-Site VPN are in UP
//! status. The control fails if one or both tunnels are in DOWN status" (Security Hub EC2.20).

use super::{each_ec2_item, vpn_connection_resource};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpn_tunnels_up",
        title: "Site-to-Site VPN connections do not have both tunnels up",
        description: "A Site-to-Site VPN connection has two tunnels so that the link survives the maintenance or failure of one; with a tunnel down, the next failure cuts the connection.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2VpnConnection,
        standards: &[StandardRef::fsbp("EC2.20"), StandardRef::ta("VPN Tunnel Redundancy")],
        remediation: Remediation {
            console: "VPC console > Site-to-Site VPN connections > the connection > Tunnel details: fix the customer gateway device's configuration for the tunnel that is down (download the configuration for the device from the console).",
            cli: "aws ec2 describe-vpn-connections --vpn-connection-ids <vpn-id> --query 'VpnConnections[].VgwTelemetry'; aws ec2 get-vpn-connection-device-sample-configuration --vpn-connection-id <vpn-id> --vpn-connection-device-type-id <type>",
            url: "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html",
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
            let tunnels = match &v.tunnels {
                Some(t) if !t.is_empty() => t,
                _ => return out.not_available(res, "the connection's tunnel telemetry was not reported"),
            };
            let down: Vec<String> = tunnels
                .iter()
                .filter(|t| t.status != "UP")
                .map(|t| format!("{} ({})", t.outside_ip_address, if t.status.is_empty() { "no status" } else { &t.status }))
                .collect();
            if down.is_empty() && tunnels.len() < 2 {
                out.not_available(
                    res,
                    format!("telemetry reports {} tunnel(s), UP; the other tunnel's state was not reported", tunnels.len()),
                );
            } else if down.is_empty() {
                out.pass(res, format!("all {} tunnels are UP", tunnels.len()));
            } else {
                out.fail(res, format!("tunnel not up: {}", down.join(", ")));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, VpnConnection, VpnTunnel};
    use rampart_model::Status;

    fn vpn(id: &str, state: &str, tunnels: Option<&[&str]>) -> VpnConnection {
        VpnConnection {
            vpn_connection_id: id.into(),
            state: state.into(),
            tunnels: tunnels.map(|ts| {
                ts.iter()
                    .enumerate()
                    .map(|(i, s)| VpnTunnel { outside_ip_address: format!("198.51.100.{i}"), status: s.to_string(), status_message: None })
                    .collect()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).vpn_connections = Observed::Known(vec![
            vpn("vpn-up", "available", Some(&["UP", "UP"])),
            vpn("vpn-half", "available", Some(&["UP", "DOWN"])),
            vpn("vpn-down", "available", Some(&["DOWN", "DOWN"])),
            vpn("vpn-no-telemetry", "available", None),
            vpn("vpn-deleted", "deleted", Some(&["DOWN", "DOWN"])),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]
        );
        assert!(r[1].reason.contains("198.51.100.1 (DOWN)"), "{}", r[1].reason);
        ec2(&mut inv).vpn_connections = Observed::Unknown("ec2:DescribeVpnConnections access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn two_tunnels() {
        let mut inv = inventory();
        ec2(&mut inv).vpn_connections =
            Observed::Known(vec![vpn("vpn-one-up", "available", Some(&["UP"])), vpn("vpn-one-down", "available", Some(&["DOWN"]))]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Failed]);
    }
}
