//! Load balancer listeners without encryption or with outdated TLS settings.
//!
//! Trusted Advisor "ELB Listener Security": red when a load balancer has no HTTPS/SSL
//! listener; yellow when an encrypted listener uses a security policy that is not recommended
//! or contains weak ciphers. Security Hub ELB.3 (Classic listeners use HTTPS or TLS) and ELB.8
//! (Classic SSL listeners use a strong predefined policy).
//!
//! A predefined policy is recommended here when it allows nothing older than TLS 1.2 (the
//! `TLS13-1-2`, `TLS13-1-3`, `TLS-1-2` and `FS-1-2` families, FIPS and post-quantum variants
//! included); `ELBSecurityPolicy-2016-08`, `-2015-05`, `TLS-1-0`, `TLS-1-1`, `FS-2018-06`,
//! `FS-1-1` and `TLS13-1-0`/`TLS13-1-1` still allow TLS 1.0 or 1.1
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html>).
//! For Classic Load Balancers the negotiation policy's attributes are also read: SSLv2/SSLv3/
//! TLSv1/TLSv1.1 turned on, or RC4, DES/3DES, NULL, EXPORT, MD5 or anonymous ciphers, are weak.
//! Application Load Balancers need an HTTPS listener; Network Load Balancers are only judged
//! on their TLS listeners (plain TCP may be TLS passed through); Gateway Load Balancers are
//! skipped. One result per load balancer.
//!
//! AWS, ELB.3 ("Security Hub CSPM controls for Elastic Load Balancing", AWS Config
//! `elb-tls-https-listeners-only`): "The rule is NON_COMPLIANT if a listener is not configured
//! with SSL or HTTPS." So a Classic Load Balancer with an HTTPS listener *and* a plain HTTP or
//! TCP listener fails (medium, as a Trusted Advisor yellow would); it used to pass because it
//! had one encrypted listener.
//! AWS, ELB.8 (AWS Config `elb-predefined-security-policy-ssl-check`): "The rule is
//! NON_COMPLIANT if the Classic Load Balancer HTTPS/SSL listener's policy does not equal the
//! value of the parameter 'predefinedPolicyName'." Every encrypted listener is judged on its
//! own: one outdated or custom policy fails the load balancer.

use super::{classic_resource, region_unknown, v2_resource};
use crate::{Check, Ctx, Emit};
use rampart_inventory::{ClassicLoadBalancer, ElbPolicy, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_listener_security",
        title: "Load balancer listeners are unencrypted or use outdated TLS policies",
        description: "Without an HTTPS/SSL listener traffic between clients and the load balancer is readable and alterable in transit; an outdated security policy lets clients negotiate protocols and ciphers with known attacks.",
        severity: Severity::High,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbLoadBalancer,
        standards: &[
            StandardRef::ta("ELB Listener Security"),
            StandardRef::fsbp("ELB.3"),
            StandardRef::fsbp("ELB.8"),
        ],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer > Listeners: add an HTTPS (or SSL/TLS) listener with a certificate, redirect HTTP to it, and set the security policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (Classic: ELBSecurityPolicy-TLS-1-2-2017-01).",
            cli: "aws elbv2 modify-listener --listener-arn <arn> --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 (Classic: aws elb set-load-balancer-policies-of-listener --load-balancer-name <name> --load-balancer-port 443 --policy-names <policy using ELBSecurityPolicy-TLS-1-2-2017-01>)",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        },
    },
    run,
};

/// Whether a predefined security policy allows nothing older than TLS 1.2.
pub fn recommended_policy(name: &str) -> bool {
    name.starts_with("ELBSecurityPolicy-") && ["TLS13-1-2", "TLS13-1-3", "-TLS-1-2-", "-FS-1-2-"].iter().any(|f| name.contains(f))
}

/// Weak protocols and ciphers switched on in a Classic SSL negotiation policy.
pub fn weak_attributes(p: &ElbPolicy) -> Vec<String> {
    const WEAK_PROTOCOLS: &[&str] = &["Protocol-SSLv2", "Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1"];
    const WEAK_CIPHER_PARTS: &[&str] = &["RC4", "DES", "NULL", "EXP", "MD5", "ADH", "AECDH", "anon"];
    p.attributes
        .iter()
        .filter(|(_, v)| v.eq_ignore_ascii_case("true"))
        .map(|(k, _)| k)
        .filter(|k| {
            WEAK_PROTOCOLS.contains(&k.as_str()) || (!k.starts_with("Protocol-") && WEAK_CIPHER_PARTS.iter().any(|w| k.contains(w)))
        })
        .cloned()
        .collect()
}

fn classic(lb: &ClassicLoadBalancer) -> Result<Vec<String>, String> {
    let secure: Vec<_> = lb.listeners.iter().filter(|l| matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")).collect();
    // Only called with at least one encrypted listener, whose policy must be read.
    let policies = match &lb.policies {
        Observed::Known(p) => p,
        Observed::Unknown(why) => return Err(format!("load balancer policies could not be read: {why}")),
    };
    let mut yellow: Vec<String> = lb
        .listeners
        .iter()
        .filter(|l| !matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL"))
        .map(|l| format!("listener {} uses {} without TLS", l.load_balancer_port, l.protocol.to_ascii_uppercase()))
        .collect();
    for l in secure {
        let Some(p) = policies.iter().find(|p| p.type_name == "SSLNegotiationPolicyType" && l.policy_names.contains(&p.name)) else {
            return Err(format!("listener {} has no SSL negotiation policy in the inventory", l.load_balancer_port));
        };
        match p.attributes.get("Reference-Security-Policy") {
            Some(r) if !recommended_policy(r) => yellow.push(format!("listener {} uses outdated policy {r}", l.load_balancer_port)),
            Some(_) => {}
            None => yellow.push(format!("listener {} uses custom policy {} instead of a predefined one", l.load_balancer_port, p.name)),
        }
        let weak = weak_attributes(p);
        if !weak.is_empty() {
            yellow.push(format!("listener {} enables {}", l.load_balancer_port, weak.join(", ")));
        }
    }
    Ok(yellow)
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        match &region.elb {
            Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbLoadBalancer, why, out),
            Observed::Known(lbs) => {
                for lb in lbs {
                    let res = classic_resource(account, region, lb);
                    if !lb.listeners.iter().any(|l| matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")) {
                        out.fail(res, "no HTTPS or SSL listener");
                        continue;
                    }
                    match classic(lb) {
                        Ok(y) if y.is_empty() => {
                            out.pass(res, "encrypted listeners use a recommended policy without weak protocols or ciphers")
                        }
                        Ok(y) => out.fail_with(res, Severity::Medium, y.join("; ")),
                        Err(why) => out.not_available(res, why),
                    }
                }
            }
        }
        match &region.elbv2 {
            Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbv2LoadBalancer, why, out),
            Observed::Known(v2) => {
                for lb in v2.load_balancers.iter().filter(|lb| lb.kind == "application" || lb.kind == "network") {
                    let res = v2_resource(account, region, lb);
                    let listeners = match &lb.listeners {
                        Observed::Known(l) => l,
                        Observed::Unknown(why) => {
                            out.not_available(res, format!("listeners could not be read: {why}"));
                            continue;
                        }
                    };
                    let secure: Vec<_> = listeners.iter().filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "TLS")).collect();
                    if lb.kind == "application" && secure.is_empty() {
                        out.fail(res, "no HTTPS listener");
                        continue;
                    }
                    let old: Vec<String> = secure
                        .iter()
                        .filter_map(|l| match &l.ssl_policy {
                            Some(p) if recommended_policy(p) => None,
                            Some(p) => Some(format!("listener {} uses {p}", l.port)),
                            None => Some(format!("listener {} has no security policy", l.port)),
                        })
                        .collect();
                    if !old.is_empty() {
                        out.fail_with(res, Severity::Medium, format!("outdated security policy (allows TLS 1.0/1.1): {}", old.join(", ")));
                    } else if secure.is_empty() {
                        out.pass(res, "no TLS listener (TCP/UDP traffic is passed through as is)");
                    } else {
                        out.pass(res, "every encrypted listener uses a TLS 1.2+ security policy");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClassicListener, Elbv2, ListenerV2, LoadBalancerV2};
    use rampart_model::Status;

    fn classic_lb(protocol: &str, attrs: &[(&str, &str)]) -> ClassicLoadBalancer {
        ClassicLoadBalancer {
            name: "web".into(),
            listeners: vec![ClassicListener {
                protocol: protocol.into(),
                load_balancer_port: 443,
                policy_names: vec!["neg".into()],
                ..Default::default()
            }],
            policies: Observed::Known(vec![ElbPolicy {
                name: "neg".into(),
                type_name: "SSLNegotiationPolicyType".into(),
                attributes: attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            }]),
            ..Default::default()
        }
    }

    fn alb(listeners: Observed<Vec<ListenerV2>>) -> LoadBalancerV2 {
        LoadBalancerV2 {
            arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1".into(),
            name: "a".into(),
            kind: "application".into(),
            listeners,
            ..Default::default()
        }
    }

    fn listener(protocol: &str, policy: Option<&str>) -> ListenerV2 {
        ListenerV2 { port: 443, protocol: protocol.into(), ssl_policy: policy.map(Into::into), ..Default::default() }
    }

    #[test]
    fn policies() {
        assert!(recommended_policy("ELBSecurityPolicy-TLS13-1-2-2021-06"));
        assert!(recommended_policy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"));
        assert!(recommended_policy("ELBSecurityPolicy-FS-1-2-Res-2020-10"));
        assert!(recommended_policy("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"));
        assert!(!recommended_policy("ELBSecurityPolicy-2016-08"));
        assert!(!recommended_policy("ELBSecurityPolicy-TLS13-1-1-2021-06"));
        assert!(!recommended_policy("ELBSecurityPolicy-FS-1-1-2019-08"));
    }

    #[test]
    fn classic_cases() {
        let mut inv = inventory();
        let good = classic_lb(
            "HTTPS",
            &[
                ("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01"),
                ("Protocol-TLSv1.2", "true"),
                ("ECDHE-RSA-AES128-GCM-SHA256", "true"),
                ("DES-CBC3-SHA", "false"),
            ],
        );
        let outdated = classic_lb("SSL", &[("Reference-Security-Policy", "ELBSecurityPolicy-2016-08"), ("Protocol-TLSv1", "true")]);
        let custom_weak = classic_lb("HTTPS", &[("Protocol-TLSv1.2", "true"), ("RC4-SHA", "true")]);
        let plain = classic_lb("HTTP", &[]);
        let mut unknown = classic_lb("HTTPS", &[]);
        unknown.policies = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancerPolicies access denied".into());
        region(&mut inv).elb = Observed::Known(vec![good, outdated, custom_weak, plain, unknown]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<_> = r.iter().map(|r| (r.status, r.severity)).collect();
        assert_eq!(
            got,
            vec![
                (Status::Passed, None),
                (Status::Failed, Some(Severity::Medium)),
                (Status::Failed, Some(Severity::Medium)),
                (Status::Failed, None),
                (Status::NotAvailable, None),
            ]
        );
        assert!(r[2].reason.contains("RC4-SHA"), "{}", r[2].reason);
    }

    /// ELB.3 and ELB.8 judge every listener: one plain listener next to an HTTPS one, or one
    /// outdated policy next to a good one, fails the load balancer.
    #[test]
    fn classic_several_listeners() {
        let good = [("Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01"), ("Protocol-TLSv1.2", "true")];
        let mut mixed = classic_lb("HTTPS", &good);
        mixed.listeners.push(ClassicListener { protocol: "HTTP".into(), load_balancer_port: 80, ..Default::default() });
        let mut two_ssl = classic_lb("HTTPS", &good);
        two_ssl.listeners.push(ClassicListener {
            protocol: "SSL".into(),
            load_balancer_port: 8443,
            policy_names: vec!["old".into()],
            ..Default::default()
        });
        if let Observed::Known(p) = &mut two_ssl.policies {
            p.push(ElbPolicy {
                name: "old".into(),
                type_name: "SSLNegotiationPolicyType".into(),
                attributes: [("Reference-Security-Policy".to_string(), "ELBSecurityPolicy-2016-08".to_string())].into_iter().collect(),
            });
        }
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![classic_lb("HTTPS", &good), mixed, two_ssl]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<_> = r.iter().map(|r| r.status).collect();
        assert_eq!(got, vec![Status::Passed, Status::Failed, Status::Failed]);
        assert!(r[1].reason.contains("listener 80 uses HTTP without TLS"), "{}", r[1].reason);
        assert!(
            r[2].reason.contains("listener 8443 uses outdated policy ELBSecurityPolicy-2016-08") && !r[2].reason.contains("listener 443"),
            "{}",
            r[2].reason
        );
    }

    #[test]
    fn v2_cases() {
        let mut inv = inventory();
        region(&mut inv).elbv2 = Observed::Known(Elbv2 {
            load_balancers: vec![
                alb(Observed::Known(vec![listener("HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06")), listener("HTTP", None)])),
                alb(Observed::Known(vec![listener("HTTPS", Some("ELBSecurityPolicy-2016-08"))])),
                alb(Observed::Known(vec![listener("HTTP", None)])),
                alb(Observed::Unknown("denied".into())),
            ],
            target_groups: vec![],
        });
        let got: Vec<_> = run_check(&CHECK, &inv).iter().map(|r| (r.status, r.severity)).collect();
        assert_eq!(
            got,
            vec![(Status::Passed, None), (Status::Failed, Some(Severity::Medium)), (Status::Failed, None), (Status::NotAvailable, None)]
        );
        // Several TLS listeners: one outdated policy next to a TLS 1.2+ one fails, naming it.
        let mut old_second = listener("HTTPS", Some("ELBSecurityPolicy-TLS-1-1-2017-01"));
        old_second.port = 8443;
        region(&mut inv).elbv2 = Observed::Known(Elbv2 {
            load_balancers: vec![alb(Observed::Known(vec![listener("HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06")), old_second]))],
            target_groups: vec![],
        });
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("listener 8443 uses ELBSecurityPolicy-TLS-1-1-2017-01") && !why.contains("listener 443"), "{why}");
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        region(&mut inv).elb = Observed::Unknown("denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::NotAvailable]);
    }
}
