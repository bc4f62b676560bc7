//! VPCs without an interface endpoint for the Amazon ECR Docker registry (`com.amazonaws.<region>.ecr.dkr`).
//!
//! Security Hub EC2.56 (FSBP): <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-56>.
//! See [`super::vpc_endpoint_for`] for the shared logic. One result per VPC.

use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_endpoint_ecr_dkr",
        title: "VPCs have no interface endpoint for the ECR Docker registry",
        description: "Without an interface endpoint, calls from the VPC to the Amazon ECR Docker registry leave through an internet gateway or NAT device; with one they stay on the AWS network and the endpoint policy can restrict them.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Vpc,
        standards: &[StandardRef::fsbp("EC2.56")],
        remediation: Remediation {
            console: "VPC console > Endpoints > Create endpoint: AWS services, service com.amazonaws.<region>.ecr.dkr, the VPC, its private subnets and a security group allowing HTTPS from the VPC; enable private DNS.",
            cli: "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <vpc-id> --service-name com.amazonaws.<region>.ecr.dkr --subnet-ids <subnet-ids> --security-group-ids <sg-id> --private-dns-enabled",
            url: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    super::vpc_endpoint_for::check(ctx, out, "ecr.dkr");
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_fail_not_available() {
        super::super::vpc_endpoint_for::assert_pass_fail_not_available(&super::CHECK, "ecr.dkr");
    }
}
