//! Network and Gateway Load Balancers without cross-zone load balancing.
//!
//! Security Hub ELB.9 asks it of Classic Load Balancers (`elb_classic_cross_zone`); for Network
//! and Gateway Load Balancers it is Prowler's `elbv2_cross_zone_load_balancing_enabled` (see
//! `crate::prowler`): a load balancer passes when its attribute
//! `load_balancing.cross_zone.enabled` is `true`. It is off by default for both (Application
//! Load Balancers always balance across zones). One result per load balancer.

use super::{each_v2, judge_attribute};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_v2_cross_zone",
        title: "Network and Gateway Load Balancers do not balance across zones",
        description: "Without cross-zone load balancing each zone's node sends traffic only to the targets in its own zone: a zone with few healthy targets overloads them, and one with none drops its share.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Attributes > Edit: turn on Cross-zone load balancing (inter-zone data transfer is charged for Network Load Balancers).",
            cli: "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=load_balancing.cross_zone.enabled,Value=true",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-load-balancer-attributes.html#load-balancer-cross-zone",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["network", "gateway"], |lb, res, out| {
        judge_attribute(lb, "load_balancing.cross_zone.enabled", |v| v == "true", res, out)
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::v2;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Elbv2, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elbv2 = Observed::Known(Elbv2 {
            load_balancers: vec![
                v2("nlb-on", "network", &[("load_balancing.cross_zone.enabled", "true")]),
                v2("gwlb-off", "gateway", &[("load_balancing.cross_zone.enabled", "false")]),
                v2("nlb-missing", "network", &[]),
                // Application Load Balancers always balance across zones: not judged.
                v2("alb", "application", &[("load_balancing.cross_zone.enabled", "false")]),
            ],
            target_groups: vec![],
        });
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).elbv2 = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
