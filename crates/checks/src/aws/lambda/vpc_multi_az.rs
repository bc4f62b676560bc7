//! Lambda functions connected to a VPC through subnets of a single Availability Zone.
//!
//! Security Hub Lambda.5 (AWS Config rule `lambda-vpc-multi-az-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-5>.
//! With the control's default `availabilityZones` of 2, a VPC-connected function passes when
//! its subnets lie in at least two zones, read from the region's subnets. Functions outside a
//! VPC get no result. One result per VPC-connected function.
//!
//! Several subnets: the zones of all of them count. A subnet missing from the inventory makes
//! the result NOT_AVAILABLE only when the subnets that were read do not already span two zones
//! (it used to make every such function NOT_AVAILABLE); it never makes a function pass or fail
//! on its own. Test `several_subnets`. AWS's sentence could not be retrieved here.
//!
//! AWS: "This control checks if Lambda has more than one availability zone associated. The rule
//! fails if only one availability zone is associated with Lambda" (Security Hub Lambda.5).

use crate::aws::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_vpc_multi_az",
        title: "VPC Lambda functions do not operate in multiple Availability Zones",
        description: "A function that can only place its network interfaces in one Availability Zone stops running when that zone has an outage.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[StandardRef::fsbp("Lambda.5"), StandardRef::ta("AWS Lambda VPC-enabled Functions without Multi-AZ Redundancy")],
        remediation: Remediation {
            console: "Lambda console > Functions > the function > Configuration > VPC > Edit: add subnets in at least one other Availability Zone.",
            cli: "aws lambda update-function-configuration --function-name <name> --vpc-config SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        },
    },
    run,
};

/// The control's default minimum number of Availability Zones.
const MIN_ZONES: usize = 2;

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "lambda",
        ResourceType::AwsLambdaFunction,
        "function",
        |r| &r.lambda,
        |account, region, func, out| {
            if func.subnet_ids.is_empty() {
                return;
            }
            let arn = if func.arn.is_empty() {
                account.arn("lambda", &region.name, &format!("function:{}", func.function_name))
            } else {
                func.arn.clone()
            };
            let res = resource(account, &region.name, ResourceType::AwsLambdaFunction, arn, &func.function_name);
            let subnets = match region.ec2.known().map(|e| &e.subnets) {
                Some(Observed::Known(s)) => s,
                Some(Observed::Unknown(why)) => return out.not_available(res, format!("subnets could not be read: {why}")),
                None => {
                    return out.not_available(res, format!("EC2 could not be read: {}", region.ec2.as_result().err().unwrap_or_default()))
                }
            };
            let mut zones = BTreeSet::new();
            let mut missing = Vec::new();
            for id in &func.subnet_ids {
                match subnets.iter().find(|s| &s.subnet_id == id) {
                    Some(s) => {
                        zones.insert(s.availability_zone.as_str());
                    }
                    None => missing.push(id.as_str()),
                }
            }
            let list = zones.iter().copied().collect::<Vec<_>>().join(", ");
            if zones.len() >= MIN_ZONES {
                out.pass(res, format!("subnets in {} zones: {list}", zones.len()));
            } else if !missing.is_empty() {
                out.not_available(res, format!("subnets not in the inventory: {}", missing.join(", ")));
            } else {
                out.fail(res, format!("all subnets are in {list}"));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Subnet;
    use rampart_model::Status;

    fn status(subnet_ids: &[&str]) -> Vec<Status> {
        let mut inv = with_function(|f| f.subnet_ids = subnet_ids.iter().map(|s| s.to_string()).collect());
        ec2(&mut inv).subnets = Observed::Known(
            [("subnet-a", "us-east-1a"), ("subnet-a2", "us-east-1a"), ("subnet-b", "us-east-1b")]
                .iter()
                .map(|(id, az)| Subnet { subnet_id: id.to_string(), availability_zone: az.to_string(), ..Default::default() })
                .collect(),
        );
        statuses(&CHECK, &inv)
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(status(&["subnet-a", "subnet-b"]), vec![Status::Passed]);
        assert_eq!(status(&["subnet-a", "subnet-a2"]), vec![Status::Failed]);
        assert_eq!(status(&[]), Vec::<Status>::new());
        assert_eq!(status(&["subnet-gone"]), vec![Status::NotAvailable]);
        let mut inv = with_function(|f| f.subnet_ids = vec!["subnet-a".into()]);
        ec2(&mut inv).subnets = Observed::Unknown("ec2:DescribeSubnets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn several_subnets() {
        assert_eq!(status(&["subnet-a", "subnet-gone", "subnet-b"]), vec![Status::Passed], "two zones already read");
        assert_eq!(status(&["subnet-a", "subnet-a2", "subnet-gone"]), vec![Status::NotAvailable], "the unread subnet decides");
    }
}
