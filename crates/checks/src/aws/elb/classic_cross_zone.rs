//! Classic Load Balancers without cross-zone load balancing.
//!
//! Security Hub ELB.9; Trusted Advisor (fault tolerance) "ELB Cross-Zone Load Balancing". One
//! result per classic load balancer.
//!
//! AWS: "This control fails if cross-zone load balancing is not enabled for a CLB" (Security Hub
//! ELB.9).

use super::each_classic;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_classic_cross_zone",
        title: "Classic Load Balancers do not balance across zones",
        description: "Without cross-zone load balancing each zone's nodes send traffic only to that zone's instances: uneven instance counts overload some instances, and losing the instances of one zone drops that zone's share of requests.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[StandardRef::fsbp("ELB.9"), StandardRef::ta("ELB Cross-Zone Load Balancing")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the classic load balancer > Attributes > Edit: turn on Cross-zone load balancing.",
            cli: "aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes '{\"CrossZoneLoadBalancing\":{\"Enabled\":true}}'",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| match &lb.cross_zone_load_balancing {
        Observed::Known(true) => out.pass(res, "cross-zone load balancing is on"),
        Observed::Known(false) => out.fail(res, "cross-zone load balancing is off"),
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
            ClassicLoadBalancer { cross_zone_load_balancing: Observed::Known(false), ..classic("bad") },
            ClassicLoadBalancer { cross_zone_load_balancing: Observed::Unknown("elasticloadbalancing:DescribeLoadBalancerAttributes access denied".into()), ..classic("unknown") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).elb = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
