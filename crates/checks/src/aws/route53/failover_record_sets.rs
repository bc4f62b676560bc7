//! Failover record sets that cannot fail over.
//!
//! Trusted Advisor "Amazon Route 53 Failover Resource Record Sets" (fault tolerance): yellow
//! when a failover primary record has no secondary of the same name and type, a secondary has
//! no primary, or the primary and the secondary use the same health check (both then fail
//! together, and Route 53 answers with the primary). One result per hosted zone with failover
//! records.

use super::{dns_name, each_zone};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_failover_record_sets",
        title: "Route 53 failover records lack their other half or share one health check",
        description: "Failover routing needs a primary and a secondary record of the same name and type, each judged by its own health check; a missing half or a shared health check means there is nothing to fail over to.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[StandardRef::ta("Amazon Route 53 Failover Resource Record Sets")],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > Create record: the missing primary or secondary with Failover routing, same name and type, its own health check.",
            cli: "aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch '{\"Changes\":[{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"<name>\",\"Type\":\"A\",\"SetIdentifier\":\"secondary\",\"Failover\":\"SECONDARY\",\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"<ip>\"}]}}]}'",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html",
        },
    },
    run,
};

/// The health checks of a failover pair's primary and secondary records.
type Halves<'a> = (Vec<Option<&'a str>>, Vec<Option<&'a str>>);

fn run(ctx: &Ctx, out: &mut Emit) {
    each_zone(ctx, out, true, |_, _, records, res, out| {
        // (name, type) → the health checks of its primary and secondary records
        let mut groups: BTreeMap<(String, &str), Halves> = BTreeMap::new();
        for r in records {
            let side = match r.failover.as_deref() {
                Some("PRIMARY") => 0,
                Some("SECONDARY") => 1,
                _ => continue,
            };
            let g = groups.entry((dns_name(&r.name), r.kind.as_str())).or_default();
            let list = if side == 0 { &mut g.0 } else { &mut g.1 };
            list.push(r.health_check_id.as_deref());
        }
        if groups.is_empty() {
            return;
        }
        let mut bad = Vec::new();
        for ((name, kind), (primary, secondary)) in &groups {
            if secondary.is_empty() {
                bad.push(format!("{name} {kind}: primary without a secondary"));
            } else if primary.is_empty() {
                bad.push(format!("{name} {kind}: secondary without a primary"));
            } else if let Some(hc) = primary.iter().flatten().find(|p| secondary.contains(&Some(**p))) {
                bad.push(format!("{name} {kind}: primary and secondary share health check {hc}"));
            }
        }
        if bad.is_empty() {
            out.pass(res, format!("{} failover pair(s), each complete with its own health checks", groups.len()));
        } else {
            out.fail(res, bad.join("; "));
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

    fn rs(name: &str, failover: &str, health: Option<&str>) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "A".into(),
            ttl: Some(60),
            values: vec!["192.0.2.1".into()],
            failover: Some(failover.into()),
            set_identifier: Some(failover.to_ascii_lowercase()),
            health_check_id: health.map(Into::into),
            ..Default::default()
        }
    }


    #[test]
    fn pass_fail_not_available() {
        assert!(run_check(&CHECK, &with(vec![RecordSet { name: "www.example.com.".into(), kind: "A".into(), ..Default::default() }])).is_empty());
        assert_eq!(single(&CHECK, &with(vec![rs("app.example.com.", "PRIMARY", Some("hc-1")), rs("app.example.com.", "SECONDARY", None)])).0, Status::Passed);
        let (s, why) = single(&CHECK, &with(vec![rs("app.example.com.", "PRIMARY", Some("hc-1"))]));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("app.example.com A: primary without a secondary"), "{why}");
        let (_, why) = single(&CHECK, &with(vec![rs("api.example.com.", "SECONDARY", None)]));
        assert!(why.contains("secondary without a primary"), "{why}");
        let (s, why) = single(&CHECK, &with(vec![rs("db.example.com.", "PRIMARY", Some("hc-9")), rs("DB.example.com", "SECONDARY", Some("hc-9"))]));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("share health check hc-9"), "{why}");
        let mut inv = with(vec![]);
        account(&mut inv).route53 = Observed::Unknown("route53:ListHostedZones denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
