//! Classic Load Balancers without connection draining.
//!
//! Security Hub ELB.7; Trusted Advisor (fault tolerance) "ELB Connection Draining". One result
//! per classic load balancer.
//!
//! AWS: "This control checks whether Classic Load Balancers have connection draining enabled"
//! (Security Hub ELB.7).

use super::each_classic;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_classic_connection_draining",
        title: "Classic Load Balancers do not drain connections",
        description: "Without connection draining, requests in flight are cut off whenever an instance is deregistered or fails its health check.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[StandardRef::fsbp("ELB.7"), StandardRef::ta("ELB Connection Draining")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the classic load balancer > Attributes > Edit: turn on Connection draining (e.g. 300 s).",
            cli: "aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes '{\"ConnectionDraining\":{\"Enabled\":true,\"Timeout\":300}}'",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-conn-drain.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| match &lb.connection_draining {
        Observed::Known(true) => out.pass(res, "connection draining is on"),
        Observed::Known(false) => out.fail(res, "connection draining is off"),
        Observed::Unknown(why) => out.not_available(res, format!("load balancer attributes could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::classic;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::ClassicLoadBalancer;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![
            classic("good"),
            ClassicLoadBalancer { connection_draining: Observed::Known(false), ..classic("bad") },
            ClassicLoadBalancer { connection_draining: Observed::Unknown("elasticloadbalancing:DescribeLoadBalancerAttributes access denied".into()), ..classic("unknown") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).elb = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
