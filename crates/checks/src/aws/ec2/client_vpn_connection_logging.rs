//! Client VPN endpoints without client connection logging.
//!
//! Security Hub EC2.51 (FSBP; AWS Config rule `ec2-client-vpn-connection-log-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-51>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-client-vpn-connection-log-enabled.html>.
//! An endpoint fails when `ConnectionLogOptions.Enabled` is false. Deleted endpoints are out of
//! scope. One result per endpoint.
//!
//! AWS: "The rule is NON_COMPLIANT if 'Configuration.ConnectionLogOptions.Enabled' is set to false"
//! (Config `ec2-client-vpn-connection-log-enabled`). Only the flag is judged; the log group named
//! next to it is reported, not required (`pass_fail_not_available`).

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_client_vpn_connection_logging",
        title: "Client VPN endpoints do not log client connections",
        description: "Connection logs record who connected to the VPN, from where and when, and every failed attempt: without them a stolen client certificate or password leaves no trace.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2ClientVpnEndpoint,
        standards: &[StandardRef::fsbp("EC2.51")],
        remediation: Remediation {
            console: "VPC console > Client VPN endpoints > the endpoint: Actions > Modify Client VPN endpoint, Connection logging: enable, with a CloudWatch Logs log group (and stream).",
            cli: "aws ec2 modify-client-vpn-endpoint --client-vpn-endpoint-id <cvpn-endpoint-id> --connection-log-options Enabled=true,CloudwatchLogGroup=<group>",
            url: "https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2ClientVpnEndpoint, "client-vpn-endpoint", |e| &e.client_vpn_endpoints, |account, region, _, v, out| {
        if v.status == "deleted" {
            return;
        }
        let id = &v.client_vpn_endpoint_id;
        let res = resource(account, &region.name, ResourceType::AwsEc2ClientVpnEndpoint, account.arn("ec2", &region.name, &format!("client-vpn-endpoint/{id}")), id);
        match (v.connection_log_enabled, &v.cloudwatch_log_group) {
            (true, Some(g)) => out.pass(res, format!("client connections are logged to {g}")),
            (true, None) => out.pass(res, "client connection logging is enabled"),
            (false, _) => out.fail(res, "client connection logging is disabled"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClientVpnEndpoint, Observed};
    use rampart_model::Status;

    fn endpoint(id: &str, status: &str, on: bool) -> ClientVpnEndpoint {
        ClientVpnEndpoint {
            client_vpn_endpoint_id: id.into(),
            status: status.into(),
            connection_log_enabled: on,
            cloudwatch_log_group: on.then(|| "/vpn/clients".to_string()),
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).client_vpn_endpoints = Observed::Known(vec![
            endpoint("cvpn-endpoint-logged", "available", true),
            endpoint("cvpn-endpoint-silent", "pending-associate", false),
            endpoint("cvpn-endpoint-gone", "deleted", false),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).client_vpn_endpoints = Observed::Unknown("ec2:DescribeClientVpnEndpoints access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
