//! Application Load Balancer HTTP listeners that do not redirect to HTTPS.
//!
//! Security Hub ELB.1 (FSBP), AWS Config `alb-http-to-https-redirection-check`: every HTTP
//! listener of an Application Load Balancer must redirect to HTTPS. An ALB without HTTP
//! listeners passes. One result per Application Load Balancer.
//!
//! AWS ("Security Hub CSPM controls for Elastic Load Balancing", ELB.1): "The control fails if
//! any of the HTTP listeners of Application Load Balancers do not have HTTP to HTTPS redirection
//! configured." One HTTP listener without the redirect fails the load balancer even when another
//! HTTP listener redirects (test `pass_fail_not_available`).
//! Config `alb-http-to-https-redirection-check` adds: "The rule is also NON_COMPLIANT if one of
//! more HTTP listeners have forwarding to an HTTP listener instead of redirection." Known gap:
//! only each listener's default actions are collected, not its other rules, so an HTTP listener
//! that redirects by default but forwards some paths by a rule passes here.

use super::each_v2;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_alb_http_redirect",
        title: "Application Load Balancers do not redirect HTTP requests to HTTPS",
        description: "An HTTP listener that forwards requests serves the application in the clear, where credentials and session cookies can be read and altered on the way.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::fsbp("ELB.1")],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Listeners > the HTTP listener > Edit: set the default action to Redirect to URL, protocol HTTPS, port 443, status 301.",
            cli: "aws elbv2 modify-listener --listener-arn <listener-arn> --default-actions Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["application"], |lb, res, out| {
        let listeners = match &lb.listeners {
            Observed::Known(l) => l,
            Observed::Unknown(why) => return out.not_available(res, format!("listeners could not be read: {why}")),
        };
        let http: Vec<_> = listeners.iter().filter(|l| l.protocol == "HTTP").collect();
        let plain: Vec<String> = http.iter().filter(|l| !l.redirect_to_https).map(|l| format!("HTTP:{}", l.port)).collect();
        if !plain.is_empty() {
            out.fail(res, format!("HTTP listeners that do not redirect to HTTPS: {}", plain.join(", ")));
        } else if http.is_empty() {
            out.pass(res, "the load balancer has no HTTP listener");
        } else {
            out.pass(res, "every HTTP listener redirects to HTTPS");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Elbv2, ListenerV2, LoadBalancerV2};
    use rampart_model::Status;

    fn listener(protocol: &str, port: i32, redirect: bool) -> ListenerV2 {
        ListenerV2 { protocol: protocol.into(), port, redirect_to_https: redirect, ..Default::default() }
    }

    fn with(kind: &str, listeners: Observed<Vec<ListenerV2>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let lb = LoadBalancerV2 {
            arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1".into(),
            name: "a".into(),
            kind: kind.into(),
            listeners,
            ..Default::default()
        };
        region(&mut inv).elbv2 = Observed::Known(Elbv2 { load_balancers: vec![lb], target_groups: vec![] });
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(
            single(&CHECK, &with("application", Observed::Known(vec![listener("HTTP", 80, true), listener("HTTPS", 443, false)]))).0,
            Status::Passed
        );
        assert_eq!(single(&CHECK, &with("application", Observed::Known(vec![listener("HTTPS", 443, false)]))).0, Status::Passed);
        let (s, why) =
            single(&CHECK, &with("application", Observed::Known(vec![listener("HTTP", 80, true), listener("HTTP", 8080, false)])));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("HTTP:8080") && !why.contains("HTTP:80,"), "{why}");
        assert!(run_check(&CHECK, &with("network", Observed::Known(vec![listener("TCP", 80, false)]))).is_empty());
        assert_eq!(
            single(&CHECK, &with("application", Observed::Unknown("elasticloadbalancing:DescribeListeners access denied".into()))).0,
            Status::NotAvailable
        );
        let mut inv = inventory();
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
