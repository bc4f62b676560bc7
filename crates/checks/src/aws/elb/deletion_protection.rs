//! Application, Network and Gateway Load Balancers without deletion protection.
//!
//! Security Hub ELB.6. One result per v2 load balancer.
//!
//! AWS: "The control fails if deletion protection is not configured" (Security Hub ELB.6; its 2023
//! page names Application Load Balancers, the current title all three v2 kinds, which this check
//! judges).

use super::{each_v2, judge_attribute};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_deletion_protection",
        title: "Load balancers do not have deletion protection",
        description: "Without deletion protection a single call deletes the load balancer and takes the application offline until it is rebuilt and DNS follows.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.6")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Attributes > Edit: turn on Deletion protection.",
            cli: "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=deletion_protection.enabled,Value=true",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["application", "network", "gateway"], |lb, res, out| judge_attribute(lb, "deletion_protection.enabled", |v| v == "true", res, out));
}

#[cfg(test)]
mod tests {
    use super::super::tests::v2;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut unknown = v2("unknown", "application", &[]);
        unknown.attributes = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancerAttributes access denied".into());
        region(&mut inv).elbv2.known_mut().unwrap().load_balancers = vec![
            v2("good", "application", &[("deletion_protection.enabled", "true")]),
            v2("bad", "application", &[("deletion_protection.enabled", "false")]),
            v2("missing", "application", &[]),
            unknown,
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
