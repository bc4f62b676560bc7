//! Regions whose VPC Block Public Access does not block internet gateway traffic.
//!
//! Security Hub EC2.172 (FSBP; AWS Config rule `ec2-vpc-bpa-internet-gateway-blocked`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-172>,
//! <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_BlockPublicAccessStates.html>.
//!
//! AWS: "The control fails if VPC BPA settings aren't configured to block internet gateway
//! traffic. For the control to pass, the VPC BPA InternetGatewayBlockMode must be set to
//! block-bidirectional or block-ingress" (Security Hub EC2.172, as its control page is mirrored
//! publicly; the page itself was not within reach of this project's search).
//!
//! The region's VPC BPA options pass when `InternetGatewayBlockMode` is `block-bidirectional` or
//! `block-ingress` (the control's default: its optional `vpcBpaInternetGatewayBlockMode` parameter,
//! which demands one of the two modes, is not supported) and fail when it is `off`. Exclusions of
//! single VPCs or subnets are not evaluated, as in AWS. One result per region.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_block_public_access",
        title: "VPC Block Public Access does not block internet gateway traffic",
        description: "VPC Block Public Access is a regional switch that stops traffic through internet gateways for every VPC of the account in the region (except declared exclusions), whatever the route tables and security groups say.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2VpcBlockPublicAccessOptions,
        standards: &[StandardRef::fsbp("EC2.172")],
        remediation: Remediation {
            console: "VPC console > Settings > Block public access > Edit public access settings: turn on Block public access, direction Bidirectional or Ingress-only; add exclusions for the VPCs or subnets that must stay reachable.",
            cli: "aws ec2 modify-vpc-block-public-access-options --internet-gateway-block-mode block-bidirectional",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/security-vpc-bpa.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let kind = ResourceType::AwsEc2VpcBlockPublicAccessOptions;
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, kind, "vpc-block-public-access-options", out) else { continue };
        let res = resource(
            account,
            &region.name,
            kind,
            account.arn("ec2", &region.name, "vpc-block-public-access-options"),
            "vpc-block-public-access",
        );
        match &ec2.vpc_block_public_access_mode {
            Observed::Known(mode) if mode == "block-bidirectional" || mode == "block-ingress" => {
                out.pass(res, format!("VPC Block Public Access is `{mode}`"))
            }
            Observed::Known(mode) => out.fail(res, format!("VPC Block Public Access is `{mode}`: internet gateway traffic is not blocked")),
            Observed::Unknown(why) => {
                out.not_available(res, format!("VPC Block Public Access options could not be read in {}: {why}", region.name))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        for (mode, want) in [("block-bidirectional", Status::Passed), ("block-ingress", Status::Passed), ("off", Status::Failed)] {
            ec2(&mut inv).vpc_block_public_access_mode = Observed::Known(mode.into());
            assert_eq!(single(&CHECK, &inv).0, want, "{mode}");
        }
        ec2(&mut inv).vpc_block_public_access_mode = Observed::Unknown("ec2:DescribeVpcBlockPublicAccessOptions not supported".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
