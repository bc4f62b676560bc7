//! Transit gateways that accept VPC attachment requests automatically.
//!
//! Security Hub EC2.23 (FSBP, high): "Amazon EC2 Transit Gateways should not automatically
//! accept VPC attachment requests" — the control fails when the transit gateway's
//! `AutoAcceptSharedAttachments` option is `enable`: any account the transit gateway is shared
//! with (AWS RAM) can then attach its VPCs, and route into every network on it, without review.
//! One result per transit gateway.
//!
//! AWS: "The rule is NON_COMPLIANT for a Transit Gateway if 'AutoAcceptSharedAttachments' is set
//! to 'enable'" (Config `ec2-transit-gateway-auto-vpc-attach-disabled`).

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_transit_gateway_auto_accept_attachments",
        title: "Transit gateways automatically accept VPC attachment requests",
        description: "A transit gateway that automatically accepts shared attachment requests lets any account it is shared with attach a VPC and exchange traffic with every network on it, without anyone reviewing the request.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2TransitGateway,
        standards: &[StandardRef::fsbp("EC2.23")],
        remediation: Remediation {
            console: "VPC console > Transit gateways > the transit gateway > Actions > Modify transit gateway > clear Auto accept shared attachments > Modify transit gateway.",
            cli: "aws ec2 modify-transit-gateway --transit-gateway-id <tgw-id> --options AutoAcceptSharedAttachments=disable",
            url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-23",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2TransitGateway, "transit-gateway", |e| &e.transit_gateways, |account, region, _, g, out| {
        if g.state == "deleted" {
            return;
        }
        let res = resource(
            account,
            &region.name,
            ResourceType::AwsEc2TransitGateway,
            account.arn("ec2", &region.name, &format!("transit-gateway/{}", g.transit_gateway_id)),
            &g.transit_gateway_id,
        );
        if g.auto_accept_shared_attachments.eq_ignore_ascii_case("enable") {
            out.fail(res, "AutoAcceptSharedAttachments is enabled: attachment requests from accounts the transit gateway is shared with are accepted without review");
        } else {
            out.pass(res, format!("AutoAcceptSharedAttachments is `{}`", g.auto_accept_shared_attachments));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, TransitGateway};
    use rampart_model::Status;

    fn tgw(id: &str, auto: &str, state: &str) -> TransitGateway {
        TransitGateway { transit_gateway_id: id.into(), auto_accept_shared_attachments: auto.into(), state: state.into(), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).transit_gateways = Observed::Known(vec![
            tgw("tgw-closed", "disable", "available"),
            tgw("tgw-open", "enable", "available"),
            tgw("tgw-gone", "enable", "deleted"),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).transit_gateways = Observed::Known(vec![]);
        assert!(statuses(&CHECK, &inv).is_empty());
        ec2(&mut inv).transit_gateways = Observed::Unknown("ec2:DescribeTransitGateways access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
