//! Load balancers that span fewer than two Availability Zones.
//!
//! Security Hub ELB.10 (classic) and ELB.13 (Application, Network and Gateway; both with the
//! default minimum of 2 zones). One result per load balancer.
//!
//! AWS: "The control fails if the Classic Load Balancer does not span multiple Availability Zones"
//! (Security Hub ELB.10); ELB.13's 2023 page speaks of "registered instances from multiple
//! Availability Zones", its current title of the load balancer spanning them, which this check
//! judges (the load balancer's zones).

use super::{each_classic, each_v2};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub const MIN_ZONES: usize = 2;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_multi_az",
        title: "Load balancers span fewer than two Availability Zones",
        description: "A load balancer in a single Availability Zone stops serving when that zone has an outage.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.10"), StandardRef::fsbp("ELB.13")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Network mapping (classic: Instances/Availability Zones) > Edit: add a subnet in a second Availability Zone.",
            cli: "aws elbv2 set-subnets --load-balancer-arn <arn> --subnets <subnet-a> <subnet-b> (classic: aws elb attach-load-balancer-to-subnets --load-balancer-name <name> --subnets <subnet-b>)",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html",
        },
    },
    run,
};

fn judge(zones: &[String], res: rampart_model::Resource, out: &mut Emit) {
    let n = zones.len();
    if n >= MIN_ZONES {
        out.pass(res, format!("the load balancer spans {n} Availability Zones"));
    } else {
        out.fail(res, format!("the load balancer spans {n} Availability Zone(s): {}", zones.join(", ")));
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| judge(&lb.availability_zones, res, out));
    each_v2(ctx, out, &["application", "network", "gateway"], |lb, res, out| judge(&lb.availability_zones, res, out));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{classic, v2};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClassicLoadBalancer, LoadBalancerV2, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![classic("two"), ClassicLoadBalancer { availability_zones: vec!["us-east-1a".into()], ..classic("one") }]);
        region(&mut inv).elbv2.known_mut().unwrap().load_balancers =
            vec![v2("two", "network", &[]), LoadBalancerV2 { availability_zones: vec!["us-east-1a".into()], ..v2("one", "application", &[]) }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::Failed]);
        region(&mut inv).elb = Observed::Unknown("denied".into());
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::NotAvailable]);
    }
}
