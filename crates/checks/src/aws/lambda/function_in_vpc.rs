//! Lambda functions that are not connected to a VPC.
//!
//! Security Hub's Lambda.3 asks it, for PCI DSS and NIST 800-53, not FSBP (so Rampart does not
//! claim it); it is Prowler's `awslambda_function_inside_vpc` (see `crate::prowler`). A function
//! outside a VPC reaches the internet directly and cannot reach private resources; inside one,
//! security groups, routes and VPC endpoints govern its traffic. Whether that is right depends
//! on the function: the finding is informational. One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_in_vpc",
        title: "Lambda functions are not connected to a VPC",
        description: "Outside a VPC a function's network traffic is governed by no security group, route table or VPC endpoint policy of the account.",
        severity: Severity::Low,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > the function > Configuration > VPC > Edit: choose a VPC, private subnets in two or more Availability Zones and a security group; add VPC endpoints or a NAT gateway for the AWS services it calls.",
            cli: "aws lambda update-function-configuration --function-name <function> --vpc-config SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg-id>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match &f.vpc_id {
        Some(vpc) => out.pass(res, format!("the function is connected to {vpc}")),
        None => out.fail(res, "the function is not connected to a VPC"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_function(|f| f.vpc_id = Some("vpc-1".into()))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_function(|f| f.vpc_id = None)).0, Status::Failed);
        let mut inv = inventory();
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
