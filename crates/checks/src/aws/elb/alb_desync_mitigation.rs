//! Application Load Balancers whose desync mitigation mode is `monitor`.
//!
//! Security Hub ELB.12: `defensive` (the default) and `strictest` pass. One result per
//! Application Load Balancer.
//!
//! AWS: "The control fails if an Application Load Balancer is not configured with defensive or
//! strictest desync mitigation mode" (Security Hub ELB.12).

use super::{each_v2, judge_attribute};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_alb_desync_mitigation",
        title: "Application Load Balancers are not in defensive or strictest desync mitigation mode",
        description: "In monitor mode the load balancer forwards ambiguous requests that can desynchronize it from its targets (HTTP request smuggling).",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.12")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the ALB > Attributes > Edit: set Desync mitigation mode to Defensive or Strictest.",
            cli: "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=routing.http.desync_mitigation_mode,Value=defensive",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["application"], |lb, res, out| judge_attribute(lb, "routing.http.desync_mitigation_mode", |v| v == "defensive" || v == "strictest", res, out));
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
            v2("good", "application", &[("routing.http.desync_mitigation_mode", "strictest")]),
            v2("bad", "application", &[("routing.http.desync_mitigation_mode", "monitor")]),
            v2("missing", "application", &[]),
            unknown,
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
