//! Records that name a Route 53 health check that no longer exists.
//!
//! Trusted Advisor "Amazon Route 53 Deleted Health Checks" (fault tolerance): yellow when a
//! resource record set is associated with a health check that has been deleted — Route 53 does
//! not stop the deletion, and DNS failover then no longer works as intended. The account's
//! health checks are `ListHealthChecks`'. One result per hosted zone with health-checked records.

use super::{dns_name, each_zone};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_deleted_health_checks",
        title: "Route 53 records are associated with deleted health checks",
        description: "A record whose health check was deleted is answered as if healthy: failover to the secondary never happens.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[StandardRef::ta("Amazon Route 53 Deleted Health Checks")],
        remediation: Remediation {
            console: "Route 53 console > Health checks > Create health check for the endpoint; then Hosted zones > the zone > the record > Edit: choose the new health check.",
            cli: "aws route53 create-health-check --caller-reference <ref> --health-check-config <config>; aws route53 change-resource-record-sets --hosted-zone-id <zone-id> --change-batch <UPSERT with the new HealthCheckId>",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-deleting.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_zone(ctx, out, true, |account, _, records, res, out| {
        let checked: Vec<_> = records.iter().filter_map(|r| r.health_check_id.as_deref().map(|h| (r, h))).collect();
        if checked.is_empty() {
            return;
        }
        let live = match &account.route53_health_checks {
            Observed::Known(ids) => ids,
            Observed::Unknown(why) => return out.not_available(res, format!("the account's health checks could not be listed: {why}")),
        };
        let gone: Vec<String> = checked
            .iter()
            .filter(|(_, h)| !live.iter().any(|id| id == h))
            .map(|(r, h)| format!("{} {}{} → {h}", dns_name(&r.name), r.kind, r.set_identifier.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()))
            .collect();
        if gone.is_empty() {
            out.pass(res, format!("the {} health check(s) its records name exist", checked.len()));
        } else {
            out.fail(res, format!("records naming deleted health checks: {}", gone.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::zone_with as with;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::RecordSet;
    use rampart_model::Status;

    fn rs(name: &str, health: Option<&str>) -> RecordSet {
        RecordSet { name: name.into(), kind: "A".into(), ttl: Some(60), values: vec!["192.0.2.1".into()], health_check_id: health.map(Into::into), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = with(vec![rs("a.example.com.", Some("hc-1")), rs("b.example.com.", None)]);
        account(&mut inv).route53_health_checks = Observed::Known(vec!["hc-1".into()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        account(&mut inv).route53_health_checks = Observed::Known(vec![]);
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("a.example.com A → hc-1"), "{why}");
        account(&mut inv).route53_health_checks = Observed::Unknown("route53:ListHealthChecks denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        assert!(run_check(&CHECK, &with(vec![rs("b.example.com.", None)])).is_empty(), "no health-checked record, no result");
    }
}
