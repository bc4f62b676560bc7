//! Classic Load Balancers whose SSL/HTTPS listeners use a certificate not from ACM.
//!
//! Security Hub ELB.2 (AWS Config rule `elb-acm-certificate-required`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-2>.
//! A listener's certificate is from ACM when its ARN is an `acm` ARN; an IAM server
//! certificate (`arn:aws:iam::..:server-certificate/..`) fails. Load balancers without an
//! HTTPS or SSL listener get no result. One result per such classic load balancer.
//!
//! Every HTTPS/SSL listener is judged: one listener with an IAM certificate beside one with an
//! ACM certificate fails the load balancer (test `pass_fail_not_available`). AWS's defining
//! sentence for ELB.2 could not be retrieved here; the Config rule's name and the control title
//! ("Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by AWS
//! Certificate Manager") are what this follows.
//!
//! AWS: "The control fails if the Classic Load Balancer configured with HTTPS/SSL listener does not
//! use a certificate provided by ACM" (Security Hub ELB.2): one listener with an IAM certificate
//! fails the load balancer beside ACM ones (`pass_fail_not_available`).

use super::each_classic;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_classic_acm_certificate",
        title: "Classic Load Balancers with SSL/HTTPS listeners do not use ACM certificates",
        description: "Certificates uploaded to IAM are renewed by hand and expire silently; ACM renews the certificates it issues and reports on the ones it holds.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[StandardRef::fsbp("ELB.2")],
        remediation: Remediation {
            console: "Request or import the certificate in ACM; then EC2 console > Load Balancers > the classic load balancer > Listeners > Edit: choose the ACM certificate for each HTTPS/SSL listener.",
            cli: "aws elb set-load-balancer-listener-ssl-certificate --load-balancer-name <name> --load-balancer-port 443 --ssl-certificate-id <acm-certificate-arn>",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-update-ssl-cert.html",
        },
    },
    run,
};

/// Whether a certificate id is an ACM certificate ARN.
fn is_acm(id: &str) -> bool {
    id.split(':').nth(2) == Some("acm")
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| {
        let secure: Vec<_> = lb.listeners.iter().filter(|l| matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")).collect();
        if secure.is_empty() {
            return;
        }
        let other: Vec<String> = secure
            .iter()
            .filter(|l| !l.ssl_certificate_id.as_deref().is_some_and(is_acm))
            .map(|l| {
                format!("{}/{} uses {}", l.protocol, l.load_balancer_port, l.ssl_certificate_id.as_deref().unwrap_or("no certificate"))
            })
            .collect();
        if other.is_empty() {
            out.pass(res, "every HTTPS/SSL listener uses an ACM certificate");
        } else {
            out.fail(res, format!("not from ACM: {}", other.join("; ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::classic;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClassicListener, ClassicLoadBalancer, Observed};
    use rampart_model::Status;

    fn listener(protocol: &str, port: i32, cert: Option<&str>) -> ClassicListener {
        ClassicListener {
            protocol: protocol.into(),
            load_balancer_port: port,
            instance_protocol: "HTTP".into(),
            instance_port: 80,
            ssl_certificate_id: cert.map(String::from),
            policy_names: vec![],
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![
            ClassicLoadBalancer {
                listeners: vec![listener("HTTPS", 443, Some("arn:aws:acm:us-east-1:123456789012:certificate/c1"))],
                ..classic("acm")
            },
            ClassicLoadBalancer {
                listeners: vec![
                    listener("HTTPS", 443, Some("arn:aws:acm:us-east-1:123456789012:certificate/c1")),
                    listener("SSL", 8443, Some("arn:aws:iam::123456789012:server-certificate/old")),
                ],
                ..classic("iam")
            },
            ClassicLoadBalancer { listeners: vec![listener("HTTP", 80, None)], ..classic("plain-http") },
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[1].reason.contains("SSL/8443 uses arn:aws:iam::123456789012:server-certificate/old"), "{}", r[1].reason);
        region(&mut inv).elb = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
