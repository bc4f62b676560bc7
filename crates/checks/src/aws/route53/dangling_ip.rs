//! Route 53 A records that point to an AWS address the account no longer holds, and CNAMEs to
//! the website endpoint of an S3 bucket the account does not own.
//!
//! Prowler's `route53_dangling_ip_subdomain_takeover` (see `crate::prowler`). For every value
//! of a non-alias A record of a public hosted zone: a private address passes; a public address
//! that is one of the account's Elastic IPs or network interfaces' public addresses (in the
//! scanned regions) passes; any other public address fails when it lies in AWS's published IP
//! ranges ([`crate::ip_ranges`]: AWS can give it to another customer, who then serves the
//! name) and passes when it does not — unless the snapshot is more than
//! [`crate::ip_ranges::STALE_AFTER_DAYS`] older than the scan: AWS may have published the
//! address's range since, so it is NOT_AVAILABLE. For every value of a non-alias CNAME record that is an
//! S3 website endpoint (`<bucket>.s3-website-<region>.amazonaws.com` or
//! `<bucket>.s3-website.<region>.amazonaws.com`): it fails when no bucket of that name is the
//! account's (anyone may create it). Without AWS's ranges (none bundled and none given) the
//! foreign public addresses are NOT_AVAILABLE, as they are when the account's addresses could
//! not all be read. One result per record value.

use super::each_zone;
use crate::ip_ranges::AwsIpRanges;
use crate::{Check, Ctx, Emit};
use rampart_inventory::{Inventory, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, Status};
use std::collections::BTreeSet;
use std::net::IpAddr;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_dangling_ip",
        title: "Route 53 records point to AWS addresses or S3 website buckets the account does not hold",
        description: "A record naming an Elastic IP that was released, or the website endpoint of a deleted bucket, lets whoever gets that address or creates that bucket serve content under the domain (subdomain takeover): phishing, cookie theft, bypassed origin checks.",
        severity: Severity::High,
        category: Category::Security,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > the record: delete it, or point it at a resource the account holds (an Elastic IP, or an alias to the load balancer, distribution or bucket).",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"DELETE\",\"ResourceRecordSet\":<the record as listed>}]}'",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-deleting.html",
        },
    },
    run,
};

/// The account's public addresses in the scanned regions, or why they are not all known.
fn owned_addresses(inv: &Inventory, account_id: &str) -> Result<BTreeSet<String>, String> {
    let mut owned = BTreeSet::new();
    for (account, region) in inv.regions().filter(|(a, _)| a.id == account_id) {
        let ec2 = match &region.ec2 {
            Observed::Known(e) => e,
            Observed::Unknown(why) => return Err(format!("EC2 could not be read in {}: {why}", region.name)),
        };
        match &ec2.addresses {
            Observed::Known(a) => owned.extend(a.iter().map(|a| a.public_ip.clone())),
            Observed::Unknown(why) => return Err(format!("Elastic IPs could not be read in {}: {why}", region.name)),
        }
        match &ec2.network_interfaces {
            Observed::Known(n) => owned.extend(n.iter().flat_map(|n| n.public_ips.iter().cloned())),
            Observed::Unknown(why) => return Err(format!("network interfaces could not be read in {}: {why}", region.name)),
        }
        let _ = account;
    }
    Ok(owned)
}

/// `Some(bucket)` when `target` is an S3 website endpoint.
fn s3_website_bucket(target: &str) -> Option<String> {
    let t = target.trim_end_matches('.').to_ascii_lowercase();
    let (host, _) = t.split_once(".amazonaws.com").filter(|(_, rest)| rest.is_empty())?;
    for marker in [".s3-website-", ".s3-website."] {
        if let Some(i) = host.rfind(marker) {
            let region = &host[i + marker.len()..];
            if !region.is_empty() && !region.contains('.') && i > 0 {
                return Some(host[..i].to_string());
            }
        }
    }
    None
}

/// Whether an address is one AWS's pool could hold: not private, loopback, link-local,
/// shared, documentation-reserved or otherwise special-purpose.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            !(a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])))
        }
        IpAddr::V6(a) => {
            !(a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let ranges: Option<&AwsIpRanges> = ctx.ip_ranges;
    let mut owned_cache: Vec<(String, Result<BTreeSet<String>, String>)> = Vec::new();
    each_zone(ctx, out, false, |account, _, records, res, out| {
        if !owned_cache.iter().any(|(a, _)| *a == account.id) {
            owned_cache.push((account.id.clone(), owned_addresses(ctx.inventory, &account.id)));
        }
        let owned = &owned_cache.iter().find(|(a, _)| *a == account.id).expect("cached above").1;
        let buckets: Option<BTreeSet<&str>> = match &account.s3 {
            Observed::Known(s3) => Some(s3.buckets.iter().map(|b| b.name.as_str()).collect()),
            Observed::Unknown(_) => None,
        };
        for r in records.iter().filter(|r| r.alias_target.is_none()) {
            for value in &r.values {
                let detail = format!("{} {} {value}", r.name, r.kind);
                let (status, reason) = match r.kind.as_str() {
                    "A" | "AAAA" => {
                        let Ok(ip) = value.parse::<IpAddr>() else { continue };
                        if !is_public(ip) {
                            (Status::Passed, format!("{} points to {value}, not a public address", r.name))
                        } else {
                            match owned {
                                Ok(o) if o.contains(value) => (Status::Passed, format!("{} points to {value}, an address of the account", r.name)),
                                Err(why) => (Status::NotAvailable, format!("{} points to {value}; the account's addresses are not all known: {why}", r.name)),
                                Ok(_) => match ranges {
                                    None => (
                                        Status::NotAvailable,
                                        format!("{} points to {value}, not an address of the account in the scanned regions; AWS's IP ranges are not available to tell whether AWS can hand it out (`rampart ip-ranges update`)", r.name),
                                    ),
                                    Some(rg) => match rg.lookup(ip).first() {
                                        Some(p) => (
                                            Status::Failed,
                                            format!("{} points to {value}, in AWS's range {} ({} {}, snapshot {}), which the account does not hold in the scanned regions", r.name, p.prefix, p.service, p.region, rg.date()),
                                        ),
                                        None if rg.stale_at(ctx.now) => (
                                            Status::NotAvailable,
                                            format!(
                                                "{} points to {value}, outside AWS's IP ranges of {}, a snapshot {} days old: AWS may have published its range since (`rampart ip-ranges update`)",
                                                r.name,
                                                rg.date(),
                                                rg.age_days(ctx.now)
                                            ),
                                        ),
                                        None => (Status::Passed, format!("{} points to {value}, outside AWS's IP ranges (snapshot {})", r.name, rg.date())),
                                    },
                                },
                            }
                        }
                    }
                    "CNAME" => {
                        let Some(bucket) = s3_website_bucket(value) else { continue };
                        match &buckets {
                            None => (
                                Status::NotAvailable,
                                format!("{} points to the website of bucket {bucket}; the account's buckets could not be read", r.name),
                            ),
                            Some(b) if b.contains(bucket.as_str()) => {
                                (Status::Passed, format!("{} points to the website of bucket {bucket}, the account's", r.name))
                            }
                            Some(_) => (
                                Status::Failed,
                                format!(
                                    "{} points to the website of bucket {bucket}, which is not the account's: anyone may create it",
                                    r.name
                                ),
                            ),
                        }
                    }
                    _ => continue,
                };
                out.result(res.clone(), status, &detail, reason, None);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip_ranges::tests::FIXTURE;
    use crate::testkit::*;
    use rampart_inventory::{Bucket, ElasticIp, HostedZone, NetworkInterface, RecordSet, S3};

    fn record(name: &str, kind: &str, values: &[&str]) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: kind.into(),
            ttl: Some(300),
            values: values.iter().map(|v| v.to_string()).collect(),
            ..Default::default()
        }
    }

    fn run_with(inv: &Inventory, ranges: Option<&AwsIpRanges>) -> Vec<(Status, String)> {
        let ctx = Ctx { inventory: inv, now: now(), thresholds: &Default::default(), ip_ranges: ranges };
        let mut emit = Emit::default();
        emit.start(CHECK.meta.id);
        (CHECK.run)(&ctx, &mut emit);
        emit.finish().results.into_iter().map(|r| (r.status, r.reason)).collect()
    }

    fn estate() -> Inventory {
        let mut inv = inventory();
        ec2(&mut inv).addresses = Observed::Known(vec![ElasticIp { public_ip: "198.51.100.7".into(), ..Default::default() }]);
        ec2(&mut inv).network_interfaces =
            Observed::Known(vec![NetworkInterface { public_ips: vec!["198.51.100.8".into()], ..Default::default() }]);
        account(&mut inv).s3 = Observed::Known(S3 {
            account_public_access_block: Observed::Known(None),
            buckets: vec![Bucket { name: "www.example.com".into(), ..Default::default() }],
            multi_region_access_points: Observed::Known(vec![]),
        });
        let records = vec![
            // One record, three values: one the account's, one released (in AWS's range), one private.
            record("app.example.com.", "A", &["198.51.100.7", "198.51.100.99", "10.0.0.5"]),
            record("eni.example.com.", "A", &["198.51.100.8"]),
            record("ext.example.com.", "A", &["203.0.113.10"]),
            record("www.example.com.", "CNAME", &["www.example.com.s3-website-us-east-1.amazonaws.com"]),
            record("old.example.com.", "CNAME", &["old-site.s3-website.eu-west-1.amazonaws.com."]),
            record("cdn.example.com.", "CNAME", &["d111111abcdef8.cloudfront.net"]),
            record("alias.example.com.", "A", &[]),
        ];
        account(&mut inv).route53 = Observed::Known(vec![HostedZone {
            id: "/hostedzone/Z1".into(),
            name: "example.com.".into(),
            private_zone: false,
            record_sets: Observed::Known(records),
            query_logging_log_groups: Observed::Known(vec![]),
        }]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        let inv = estate();
        let ranges = AwsIpRanges::parse(FIXTURE).unwrap();
        let r = run_with(&inv, Some(&ranges));
        let statuses: Vec<Status> = r.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses,
            vec![Status::Passed, Status::Failed, Status::Passed, Status::Passed, Status::Passed, Status::Passed, Status::Failed]
        );
        assert!(r[1].1.contains("198.51.100.99, in AWS's range 198.51.100.0/24 (AMAZON us-east-1, snapshot 2026-12-06)"), "{}", r[1].1);
        assert!(r[4].1.contains("outside AWS's IP ranges"), "{}", r[4].1);
        assert!(r[6].1.contains("bucket old-site, which is not the account's"), "{}", r[6].1);
        // Without AWS's ranges the foreign public address cannot be judged; the rest can.
        let r = run_with(&inv, None);
        assert_eq!(r[1].0, Status::NotAvailable);
        assert!(r[1].1.contains("rampart ip-ranges update"), "{}", r[1].1);
        assert_eq!(r[4].0, Status::NotAvailable);
        assert_eq!((r[0].0, r[6].0), (Status::Passed, Status::Failed));
        // A snapshot too old to say an address is not AWS's: in-range addresses are still
        // judged, the outside one is unknown, never PASSED.
        let old = AwsIpRanges::parse(&FIXTURE.replace("2026-12-06-21-13-07", "2026-06-01-00-00-00")).unwrap();
        let r = run_with(&inv, Some(&old));
        assert_eq!((r[1].0, r[4].0), (Status::Failed, Status::NotAvailable));
        assert!(r[4].1.contains("outside AWS's IP ranges of 2026-06-01, a snapshot 179 days old"), "{}", r[4].1);
        // The account's addresses unknown: a public address may be its own.
        let mut inv = estate();
        ec2(&mut inv).addresses = Observed::Unknown("ec2:DescribeAddresses access denied".into());
        let r = run_with(&inv, Some(&ranges));
        assert_eq!((r[0].0, r[1].0, r[2].0), (Status::NotAvailable, Status::NotAvailable, Status::Passed));
        account(&mut inv).route53 = Observed::Unknown("route53:ListHostedZones access denied".into());
        assert_eq!(run_with(&inv, Some(&ranges)).iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![Status::NotAvailable]);
    }

    #[test]
    fn s3_website_endpoints() {
        assert_eq!(s3_website_bucket("my.site.s3-website-us-east-1.amazonaws.com"), Some("my.site".into()));
        assert_eq!(s3_website_bucket("b.s3-website.eu-central-1.amazonaws.com."), Some("b".into()));
        assert_eq!(s3_website_bucket("b.s3.amazonaws.com"), None);
        assert_eq!(s3_website_bucket("s3-website-us-east-1.amazonaws.com"), None);
        assert_eq!(s3_website_bucket("b.s3-website-us-east-1.amazonaws.com.evil.com"), None);
    }
}
