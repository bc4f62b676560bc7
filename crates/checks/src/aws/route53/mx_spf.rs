//! MX record sets without a Sender Policy Framework record at the same name.
//!
//! Trusted Advisor "Amazon Route 53 MX Resource Record Sets and Sender Policy Framework":
//! green when a TXT record at the MX name holds a value starting `v=spf1`; yellow when only
//! the deprecated SPF record type does; red when neither does. Private zones are skipped
//! (no mail from the internet). One result per public hosted zone with MX records.

use super::each_zone;
use crate::{Check, Ctx, Emit};
use rampart_inventory::RecordSet;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_mx_spf",
        title: "Route 53 MX records have no SPF TXT record",
        description: "Without an SPF record receivers cannot tell which servers may send mail for the domain, which makes spoofing it for phishing easier.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[StandardRef::ta("Amazon Route 53 MX Resource Record Sets and Sender Policy Framework")],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > Create record: same name as the MX record, type TXT, value \"v=spf1 <mechanisms> -all\".",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"<name>\",\"Type\":\"TXT\",\"TTL\":300,\"ResourceRecords\":[{\"Value\":\"\\\"v=spf1 <mechanisms> -all\\\"\"}]}}]}'",
            url: "https://repost.aws/knowledge-center/route53-spf-record",
        },
    },
    run,
};

/// Whether a record set of `kind` at `name` holds an SPF policy.
fn has_spf(records: &[RecordSet], name: &str, kind: &str) -> bool {
    records.iter().filter(|r| r.kind == kind && r.name.eq_ignore_ascii_case(name)).any(|r| {
        r.values.iter().any(|v| v.trim_start_matches('"').trim_start().to_ascii_lowercase().starts_with("v=spf1"))
    })
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_zone(ctx, out, false, |_, _, records, res, out| {
        let mut names: Vec<&str> = records.iter().filter(|r| r.kind == "MX").map(|r| r.name.as_str()).collect();
        names.dedup();
        if names.is_empty() {
            return;
        }
        let (mut red, mut yellow) = (Vec::new(), Vec::new());
        for n in names {
            if has_spf(records, n, "TXT") {
                continue;
            }
            if has_spf(records, n, "SPF") {
                yellow.push(n);
            } else {
                red.push(n);
            }
        }
        if !red.is_empty() {
            out.fail(res, format!("MX without an SPF record: {}", red.join(", ")));
        } else if !yellow.is_empty() {
            out.fail_with(res, Severity::Low, format!("SPF only in the deprecated SPF record type, not TXT: {}", yellow.join(", ")));
        } else {
            out.pass(res, "every MX record set has an SPF TXT record");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{HostedZone, Observed};
    use rampart_model::Status;

    fn rs(name: &str, kind: &str, value: &str) -> RecordSet {
        RecordSet { name: name.into(), kind: kind.into(), ttl: Some(300), values: vec![value.into()], alias_target: None, ..Default::default() }
    }

    fn with(records: Observed<Vec<RecordSet>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).route53 = Observed::Known(vec![HostedZone { id: "/hostedzone/Z1".into(), name: "example.com.".into(), private_zone: false, record_sets: records, query_logging_log_groups: Observed::Known(vec![]) }]);
        inv
    }

    #[test]
    fn pass() {
        let inv = with(Observed::Known(vec![rs("example.com.", "MX", "10 mx.example.com."), rs("example.com.", "TXT", "\"v=spf1 include:_spf.example.net -all\"")]));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        // No MX: nothing to judge.
        assert!(run_check(&CHECK, &with(Observed::Known(vec![rs("example.com.", "A", "192.0.2.1")]))).is_empty());
    }

    #[test]
    fn fail() {
        let inv = with(Observed::Known(vec![rs("example.com.", "MX", "10 mx.example.com."), rs("example.com.", "TXT", "\"google-site-verification=x\"")]));
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("example.com."));
        let inv = with(Observed::Known(vec![rs("mail.example.com.", "MX", "10 mx.example.com."), rs("mail.example.com.", "SPF", "\"v=spf1 -all\"")]));
        let r = run_check(&CHECK, &inv);
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Low)));
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with(Observed::Unknown("route53:ListResourceRecordSets access denied".into()))).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).route53 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
