//! Application and Classic Load Balancers without access logs.
//!
//! Security Hub ELB.5. One result per classic load balancer and per Application Load
//! Balancer (`access_logs.s3.enabled`).
//!
//! AWS: "This control checks whether the Application Load Balancer and the Classic Load Balancer
//! have logging enabled. The control fails if `access_logs.s3.enabled` is `false`" (Security Hub
//! ELB.5); Network Load Balancers are not judged.

use super::{each_classic, each_v2, judge_attribute};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_logging",
        title: "Load balancers do not write access logs",
        description: "Access logs record every request with its client, path, latency and response: without them, attacks through the load balancer cannot be investigated.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.5")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Attributes > Edit: turn on Access logs and choose an S3 bucket whose policy lets Elastic Load Balancing write to it.",
            cli: "aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=<bucket> (classic: aws elb modify-load-balancer-attributes --load-balancer-name <name> --load-balancer-attributes AccessLog={Enabled=true,S3BucketName=<bucket>})",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| match &lb.access_log_enabled {
        Observed::Known(true) => out.pass(res, "access logs are on"),
        Observed::Known(false) => out.fail(res, "access logs are off"),
        Observed::Unknown(why) => out.not_available(res, format!("load balancer attributes could not be read: {why}")),
    });
    each_v2(ctx, out, &["application"], |lb, res, out| judge_attribute(lb, "access_logs.s3.enabled", |v| v == "true", res, out));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{classic, v2};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::ClassicLoadBalancer;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![
            classic("on"),
            ClassicLoadBalancer { access_log_enabled: Observed::Known(false), ..classic("off") },
            ClassicLoadBalancer { access_log_enabled: Observed::Unknown("denied".into()), ..classic("unknown") },
        ]);
        region(&mut inv).elbv2.known_mut().unwrap().load_balancers = vec![
            v2("on", "application", &[("access_logs.s3.enabled", "true")]),
            v2("off", "application", &[("access_logs.s3.enabled", "false")]),
            v2("nlb", "network", &[("access_logs.s3.enabled", "false")]),
        ];
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::Passed, Status::Failed]
        );
    }
}
