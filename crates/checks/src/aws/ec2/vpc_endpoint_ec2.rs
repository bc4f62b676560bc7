//! VPCs without an interface endpoint for the Amazon EC2 API (`com.amazonaws.<region>.ec2`).
//!
//! Security Hub EC2.10 (FSBP): <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-10>.
//! See [`super::vpc_endpoint_for`] for the shared logic. One result per VPC.
//!
//! AWS: "The control fails if a VPC does not have a VPC endpoint created for the Amazon EC2
//! service" (Security Hub EC2.10); EC2.55–.60 use the same wording for their services.

use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_endpoint_ec2",
        title: "VPCs have no interface endpoint for the EC2 service",
        description: "Without an interface endpoint, calls from the VPC to the Amazon EC2 API leave through an internet gateway or NAT device; with one they stay on the AWS network and the endpoint policy can restrict them.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Vpc,
        standards: &[StandardRef::fsbp("EC2.10")],
        remediation: Remediation {
            console: "VPC console > Endpoints > Create endpoint: AWS services, service com.amazonaws.<region>.ec2, the VPC, its private subnets and a security group allowing HTTPS from the VPC; enable private DNS.",
            cli: "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <vpc-id> --service-name com.amazonaws.<region>.ec2 --subnet-ids <subnet-ids> --security-group-ids <sg-id> --private-dns-enabled",
            url: "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    super::vpc_endpoint_for::check(ctx, out, "ec2");
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_fail_not_available() {
        super::super::vpc_endpoint_for::assert_pass_fail_not_available(&super::CHECK, "ec2");
    }
}
