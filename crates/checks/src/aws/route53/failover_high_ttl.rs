//! Failover and health-checked records with a long TTL.
//!
//! Trusted Advisor "Amazon Route 53 High TTL Resource Record Sets" (fault tolerance): yellow
//! when a record whose routing policy is failover, or that has a health check, has a TTL
//! greater than 60 seconds — resolvers keep answering with the failed endpoint for that long.
//! Alias records have no TTL of their own and are not judged. One result per hosted zone with
//! such records.

use super::{dns_name, each_zone};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_failover_high_ttl",
        title: "Route 53 failover or health-checked records have a TTL above 60 seconds",
        description: "When a health check fails, Route 53 answers with the healthy endpoint, but resolvers keep serving the cached answer until its TTL runs out: a long TTL keeps clients on the failed endpoint.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[StandardRef::ta("Amazon Route 53 High TTL Resource Record Sets")],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > the record > Edit record: TTL 60 seconds or less.",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":<the record with \"TTL\":60>}]}'",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html",
        },
    },
    run,
};

/// The highest TTL Trusted Advisor accepts on failover and health-checked records.
const MAX_TTL: i64 = 60;

fn run(ctx: &Ctx, out: &mut Emit) {
    each_zone(ctx, out, true, |_, _, records, res, out| {
        let judged: Vec<_> = records.iter().filter(|r| r.alias_target.is_none() && (r.failover.is_some() || r.health_check_id.is_some())).collect();
        if judged.is_empty() {
            return;
        }
        let long: Vec<String> = judged
            .iter()
            .filter(|r| r.ttl.is_some_and(|t| t > MAX_TTL))
            .map(|r| {
                let what = r.failover.as_deref().map(|f| format!("failover {f}")).unwrap_or_else(|| "health-checked".to_string());
                format!("{} {} ({what}) TTL {}", dns_name(&r.name), r.kind, r.ttl.unwrap_or(0))
            })
            .collect();
        if long.is_empty() {
            out.pass(res, format!("{} failover or health-checked record(s), none with a TTL above {MAX_TTL} s", judged.len()));
        } else {
            out.fail(res, format!("TTL above {MAX_TTL} s: {}", long.join(", ")));
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

    fn rs(name: &str, ttl: Option<i64>, failover: Option<&str>, health: Option<&str>) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "A".into(),
            ttl,
            values: vec!["192.0.2.1".into()],
            failover: failover.map(Into::into),
            set_identifier: failover.map(|f| f.to_ascii_lowercase()),
            health_check_id: health.map(Into::into),
            ..Default::default()
        }
    }


    #[test]
    fn pass_fail_not_available() {
        assert!(run_check(&CHECK, &with(vec![rs("www.example.com.", Some(3600), None, None)])).is_empty());
        assert_eq!(single(&CHECK, &with(vec![rs("app.example.com.", Some(60), Some("PRIMARY"), Some("hc-1")), rs("app.example.com.", Some(30), Some("SECONDARY"), None)])).0, Status::Passed);
        let (s, why) = single(&CHECK, &with(vec![rs("app.example.com.", Some(300), Some("PRIMARY"), Some("hc-1")), rs("api.example.com.", Some(61), None, Some("hc-2"))]));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("app.example.com A (failover PRIMARY) TTL 300") && why.contains("api.example.com A (health-checked) TTL 61"), "{why}");
        // An alias record has no TTL to judge.
        let alias = RecordSet { alias_target: Some("d1.cloudfront.net.".into()), ttl: None, ..rs("cdn.example.com.", None, Some("PRIMARY"), None) };
        assert!(run_check(&CHECK, &with(vec![alias])).is_empty());
        let mut inv = with(vec![]);
        account(&mut inv).route53.known_mut().unwrap()[0].record_sets = Observed::Unknown("route53:ListResourceRecordSets denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
