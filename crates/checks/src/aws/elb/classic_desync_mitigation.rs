//! Classic Load Balancers whose desync mitigation mode is `monitor`.
//!
//! Security Hub ELB.14:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-14>.
//! `defensive` (the default) and `strictest` pass. A response without the
//! `elb.http.desyncmitigationmode` attribute is NOT_AVAILABLE rather than assumed default. One
//! result per classic load balancer.
//!
//! AWS: "The control fails if the Classic Load Balancer isn't configured with defensive or
//! strictest desync mitigation mode" (Security Hub ELB.14).

use super::each_classic;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_classic_desync_mitigation",
        title: "Classic Load Balancers are not configured with defensive or strictest desync mitigation mode",
        description: "In monitor mode the load balancer forwards ambiguous HTTP requests that back ends may parse differently, which enables request smuggling and cache poisoning.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[StandardRef::fsbp("ELB.14")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the classic load balancer > Attributes > Edit: set Desync mitigation mode to Defensive or Strictest.",
            cli: "aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes '{\"AdditionalAttributes\":[{\"Key\":\"elb.http.desyncmitigationmode\",\"Value\":\"defensive\"}]}'",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-desync-mitigation-mode.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| match &lb.desync_mitigation_mode {
        Observed::Known(Some(mode)) if mode == "defensive" || mode == "strictest" => out.pass(res, format!("desync mitigation mode is {mode}")),
        Observed::Known(Some(mode)) => out.fail(res, format!("desync mitigation mode is {mode}")),
        Observed::Known(None) => out.not_available(res, "the load balancer attributes did not report elb.http.desyncmitigationmode"),
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
        let mode = |m: Option<&str>| Observed::Known(m.map(String::from));
        region(&mut inv).elb = Observed::Known(vec![
            classic("defensive"),
            ClassicLoadBalancer { desync_mitigation_mode: mode(Some("strictest")), ..classic("strictest") },
            ClassicLoadBalancer { desync_mitigation_mode: mode(Some("monitor")), ..classic("monitor") },
            ClassicLoadBalancer { desync_mitigation_mode: mode(None), ..classic("unreported") },
            ClassicLoadBalancer { desync_mitigation_mode: Observed::not_collected(), ..classic("old-snapshot") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
    }
}
