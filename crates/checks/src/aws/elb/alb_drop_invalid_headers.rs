//! Application Load Balancers that pass invalid HTTP header fields to their targets.
//!
//! Security Hub ELB.4. One result per Application Load Balancer.
//!
//! AWS: "The control fails if the value of `routing.http.drop_invalid_header_fields.enabled` is set
//! to `false`" (Security Hub ELB.4); an attribute not reported is NOT_AVAILABLE here.

use super::{each_v2, judge_attribute};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_alb_drop_invalid_headers",
        title: "Application Load Balancers do not drop invalid HTTP headers",
        description: "Headers with invalid characters passed through to targets enable HTTP request smuggling and header-injection attacks against back ends that parse them differently.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.4")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the ALB > Attributes > Edit: turn on Drop invalid header fields.",
            cli: "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=routing.http.drop_invalid_header_fields.enabled,Value=true",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["application"], |lb, res, out| judge_attribute(lb, "routing.http.drop_invalid_header_fields.enabled", |v| v == "true", res, out));
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
            v2("good", "application", &[("routing.http.drop_invalid_header_fields.enabled", "true")]),
            v2("bad", "application", &[("routing.http.drop_invalid_header_fields.enabled", "false")]),
            v2("missing", "application", &[]),
            unknown,
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
