//! CloudFront alternate domain names whose DNS does not route to the distribution.
//!
//! Trusted Advisor "CloudFront Alternate Domain Names" (performance): for each alternate domain
//! name (CNAME) of a distribution, the DNS must send queries to that distribution. Like Trusted
//! Advisor this reads the account's own Route 53 hosted zones: the most specific public zone
//! that contains the name must hold a record of that name (or a wildcard covering it) that is
//! an alias of, or a CNAME to, the distribution's domain. A name whose DNS is hosted elsewhere
//! cannot be judged from the inventory: NOT_AVAILABLE (Trusted Advisor flags it instead). One
//! result per distribution with alternate domain names.

use super::each_distribution;
use crate::aws::route53::dns_name;
use crate::{Check, Ctx, Emit};
use rampart_inventory::{Account, HostedZone};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_alternate_domain_names",
        title: "CloudFront alternate domain names do not route to their distribution",
        description: "An alternate domain name whose DNS record is missing or points elsewhere does not reach the distribution: viewers get another site, an error, or no answer.",
        severity: Severity::Low,
        category: Category::Performance,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::ta("CloudFront Alternate Domain Names")],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > Create record: the alternate domain name, type A (and AAAA), Alias on, route traffic to the CloudFront distribution.",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"<alternate name>\",\"Type\":\"A\",\"AliasTarget\":{\"HostedZoneId\":\"Z2FDTNDATAQYW2\",\"DNSName\":\"<dxxxx.cloudfront.net>\",\"EvaluateTargetHealth\":false}}}]}'",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html",
        },
    },
    run,
};

/// The most specific public hosted zone of `account` that contains `name`.
fn zone_for<'a>(zones: &'a [HostedZone], name: &str) -> Option<&'a HostedZone> {
    zones
        .iter()
        .filter(|z| !z.private_zone)
        .filter(|z| {
            let zone = dns_name(&z.name);
            name == zone || name.ends_with(&format!(".{zone}"))
        })
        .max_by_key(|z| z.name.len())
}

/// Whether the record name `record` (Route 53 writes `*` as `\052`) answers for `name`.
fn answers_for(record: &str, name: &str) -> bool {
    let record = dns_name(record).replace("\\052", "*");
    match record.strip_prefix("*.") {
        Some(parent) => name.ends_with(&format!(".{parent}")),
        None => record == name,
    }
}

/// `Ok(None)` when `alias` routes to `target`; `Ok(Some(why))` when it does not; `Err` when the
/// account's DNS cannot tell.
fn routes(account: &Account, alias: &str, target: &str) -> Result<Option<String>, String> {
    let name = dns_name(alias);
    let zones = account.route53.as_result().map_err(|why| format!("{name}: Route 53 could not be read: {why}"))?;
    let zone = zone_for(zones, &name).ok_or_else(|| format!("{name}: its DNS is not hosted in this account's Route 53"))?;
    let records = zone.record_sets.as_result().map_err(|why| format!("{name}: the records of {} could not be read: {why}", zone.name))?;
    let exact: Vec<_> = records.iter().filter(|r| dns_name(&r.name) == name).collect();
    let candidates = if exact.is_empty() { records.iter().filter(|r| answers_for(&r.name, &name)).collect() } else { exact };
    let candidates: Vec<_> = candidates.into_iter().filter(|r| matches!(r.kind.as_str(), "A" | "AAAA" | "CNAME")).collect();
    if candidates.is_empty() {
        return Ok(Some(format!("{name}: no A, AAAA or CNAME record in zone {}", dns_name(&zone.name))));
    }
    let to_target = |v: &str| dns_name(v) == target;
    if candidates.iter().any(|r| r.alias_target.as_deref().is_some_and(to_target) || (r.kind == "CNAME" && r.values.iter().any(|v| to_target(v)))) {
        return Ok(None);
    }
    let elsewhere: Vec<String> = candidates.iter().flat_map(|r| r.alias_target.iter().chain(r.values.iter()).map(|v| dns_name(v))).collect();
    Ok(Some(format!("{name}: routes to {} instead", elsewhere.join(", "))))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |account, d, res, out| {
        if d.aliases.is_empty() {
            return;
        }
        let target = dns_name(&d.domain_name);
        let (mut bad, mut unknown) = (Vec::new(), Vec::new());
        for alias in &d.aliases {
            match routes(account, alias, &target) {
                Ok(None) => {}
                Ok(Some(why)) => bad.push(why),
                Err(why) => unknown.push(why),
            }
        }
        if !bad.is_empty() {
            out.fail(res, bad.join("; "));
        } else if !unknown.is_empty() {
            out.not_available(res, unknown.join("; "));
        } else {
            out.pass(res, format!("every alternate domain name routes to {target}"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::results_with;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Distribution, Observed, RecordSet};
    use rampart_model::Status;

    fn rs(name: &str, kind: &str, value: &str, alias: bool) -> RecordSet {
        let (values, alias_target) = if alias { (vec![], Some(value.to_string())) } else { (vec![value.to_string()], None) };
        RecordSet { name: name.into(), kind: kind.into(), ttl: (!alias).then_some(300), values, alias_target, ..Default::default() }
    }

    fn with(aliases: &[&str], records: Vec<RecordSet>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Known(vec![Distribution {
            id: "E1".into(),
            domain_name: "d111.cloudfront.net".into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        }]);
        account(&mut inv).route53 = Observed::Known(vec![
            HostedZone { id: "/hostedzone/Z1".into(), name: "example.com.".into(), private_zone: false, record_sets: Observed::Known(records), query_logging_log_groups: Observed::Known(vec![]) },
            HostedZone { id: "/hostedzone/Z2".into(), name: "example.com.".into(), private_zone: true, record_sets: Observed::Known(vec![]), query_logging_log_groups: Observed::Known(vec![]) },
        ]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        let ok = vec![rs("www.example.com.", "A", "d111.cloudfront.net.", true), rs("img.example.com.", "CNAME", "d111.cloudfront.net", false), rs("\\052.cdn.example.com.", "A", "d111.cloudfront.net.", true)];
        assert_eq!(single(&CHECK, &with(&["www.example.com", "img.example.com", "x.cdn.example.com"], ok.clone())).0, Status::Passed);
        let (s, why) = single(&CHECK, &with(&["www.example.com", "shop.example.com"], ok.clone()));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("shop.example.com: no A, AAAA or CNAME record in zone example.com"), "{why}");
        let mut elsewhere = ok.clone();
        elsewhere.push(rs("old.example.com.", "A", "d999.cloudfront.net.", true));
        let (_, why) = single(&CHECK, &with(&["old.example.com"], elsewhere));
        assert!(why.contains("old.example.com: routes to d999.cloudfront.net instead"), "{why}");
        let (s, why) = single(&CHECK, &with(&["www.example.org"], ok.clone()));
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("not hosted in this account"), "{why}");
        assert!(results_with(&CHECK, |_| {}).is_empty(), "no alternate domain names, no result");
        let mut inv = with(&["www.example.com"], ok);
        account(&mut inv).route53 = Observed::Unknown("route53:ListHostedZones denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
