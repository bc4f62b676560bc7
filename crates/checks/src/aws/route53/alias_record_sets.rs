//! CNAME records that could be alias records.
//!
//! Trusted Advisor "Amazon Route 53 Alias Resource Record Sets" (performance): yellow for a
//! CNAME record whose value is an AWS resource that an alias record can point to — an Elastic
//! Load Balancing load balancer, a CloudFront distribution, an S3 website endpoint, an Elastic
//! Beanstalk environment, an API Gateway endpoint, a VPC interface endpoint — or another record
//! of the same hosted zone. Route 53 answers alias queries to AWS resources free of charge, in
//! one step instead of a CNAME chain, and alias records work at the zone apex. Zones of both
//! kinds, public and private. One result per hosted zone with records.

use super::{dns_name, each_zone};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_alias_record_sets",
        title: "Route 53 CNAME records point to AWS resources an alias record could",
        description: "A CNAME to a load balancer, CloudFront distribution, S3 website, Elastic Beanstalk environment, API Gateway or VPC endpoint, or to another record of the zone, costs a query charge and an extra lookup that an alias record avoids.",
        severity: Severity::Low,
        category: Category::Performance,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[StandardRef::ta("Amazon Route 53 Alias Resource Record Sets")],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > the CNAME record: delete it and create a record of the same name, type A (and AAAA), Alias on, routing traffic to the resource.",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"DELETE\",\"ResourceRecordSet\":<the CNAME>},{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"<name>\",\"Type\":\"A\",\"AliasTarget\":{\"HostedZoneId\":\"<target zone>\",\"DNSName\":\"<target>\",\"EvaluateTargetHealth\":false}}}]}'",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html",
        },
    },
    run,
};

/// The kind of AWS resource an alias record could name instead of `target`, if any.
fn aws_alias_target(target: &str) -> Option<&'static str> {
    let t = dns_name(target);
    let labels: Vec<&str> = t.split('.').collect();
    let ends = |suffix: &str| t.ends_with(suffix);
    if ends(".elb.amazonaws.com") || ends(".elb.amazonaws.com.cn") {
        Some("an Elastic Load Balancing load balancer")
    } else if ends(".cloudfront.net") {
        Some("a CloudFront distribution")
    } else if labels.iter().any(|l| l.starts_with("s3-website")) && (ends(".amazonaws.com") || ends(".amazonaws.com.cn")) {
        Some("an S3 website endpoint")
    } else if ends(".elasticbeanstalk.com") {
        Some("an Elastic Beanstalk environment")
    } else if ends(".execute-api.amazonaws.com") || labels.len() > 3 && labels[1] == "execute-api" {
        Some("an API Gateway endpoint")
    } else if ends(".vpce.amazonaws.com") {
        Some("a VPC interface endpoint")
    } else {
        None
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_zone(ctx, out, true, |_, _, records, res, out| {
        if records.iter().all(|r| matches!(r.kind.as_str(), "NS" | "SOA")) {
            return;
        }
        let names: BTreeSet<String> = records.iter().map(|r| dns_name(&r.name)).collect();
        let mut could: Vec<String> = Vec::new();
        for r in records.iter().filter(|r| r.kind == "CNAME" && r.alias_target.is_none()) {
            for v in &r.values {
                if let Some(kind) = aws_alias_target(v) {
                    could.push(format!("{} → {} ({kind})", dns_name(&r.name), dns_name(v)));
                } else if names.contains(&dns_name(v)) {
                    could.push(format!("{} → {} (a record of this zone)", dns_name(&r.name), dns_name(v)));
                }
            }
        }
        if could.is_empty() {
            out.pass(res, "no CNAME record points to a target an alias record could name");
        } else {
            out.fail(res, format!("CNAME records that could be alias records: {}", could.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use super::super::tests::zone_with as with;
    use rampart_inventory::{Observed, RecordSet};
    use rampart_model::Status;

    fn rs(name: &str, kind: &str, value: &str) -> RecordSet {
        RecordSet { name: name.into(), kind: kind.into(), ttl: Some(300), values: vec![value.into()], ..Default::default() }
    }


    #[test]
    fn aws_targets() {
        for (t, want) in [
            ("web-123.us-east-1.elb.amazonaws.com.", true),
            ("dualstack.web-123.eu-west-1.elb.amazonaws.com", true),
            ("d111111abcdef8.cloudfront.net.", true),
            ("bucket.s3-website-us-east-1.amazonaws.com", true),
            ("bucket.s3-website.eu-west-1.amazonaws.com", true),
            ("env.eba-abc.us-east-1.elasticbeanstalk.com", true),
            ("abc123.execute-api.us-east-1.amazonaws.com", true),
            ("vpce-1-abc.ssm.us-east-1.vpce.amazonaws.com", true),
            ("bucket.s3.amazonaws.com", false),
            ("example.org.", false),
            ("ghs.googlehosted.com", false),
        ] {
            assert_eq!(aws_alias_target(t).is_some(), want, "{t}");
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let base = || vec![rs("example.com.", "NS", "ns-1.awsdns-00.com."), rs("www.example.com.", "A", "192.0.2.1"), rs("mail.example.com.", "CNAME", "mail.example.org.")];
        assert_eq!(single(&CHECK, &with(base())).0, Status::Passed);
        let mut lb = base();
        lb.push(rs("app.example.com.", "CNAME", "web-123.us-east-1.elb.amazonaws.com"));
        let (s, why) = single(&CHECK, &with(lb));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("app.example.com → web-123.us-east-1.elb.amazonaws.com (an Elastic Load Balancing load balancer)"), "{why}");
        let mut same_zone = base();
        same_zone.push(rs("w3.example.com.", "CNAME", "www.example.com."));
        let (s, why) = single(&CHECK, &with(same_zone));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("(a record of this zone)"), "{why}");
        // Zones with only NS and SOA records: no result.
        assert!(run_check(&CHECK, &with(vec![rs("example.com.", "NS", "ns-1.awsdns-00.com.")])).is_empty());
        let mut inv = with(base());
        account(&mut inv).route53 = Observed::Unknown("route53:ListHostedZones denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
