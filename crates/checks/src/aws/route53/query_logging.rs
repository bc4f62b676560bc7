//! Public hosted zones without DNS query logging.
//!
//! Prowler's `route53_public_hosted_zones_cloudwatch_logging_enabled` (see `crate::prowler`): a
//! public hosted zone passes when a query logging configuration sends its DNS queries to a
//! CloudWatch Logs log group. Private zones log through Resolver query logging, which is not
//! judged here. One result per public hosted zone.

use super::zone_resource;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "route53_query_logging",
        title: "Route 53 public hosted zones do not log DNS queries",
        description: "Without query logs there is no record of which names of the zone were asked for, from where: subdomain enumeration, DNS tunnelling and the use of a hijacked name go unseen.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "route53",
        resource_type: ResourceType::AwsRoute53HostedZone,
        standards: &[],
        remediation: Remediation {
            console: "Route 53 console > Hosted zones > the zone > Query logging > Configure query logging: choose (or create) a log group in us-east-1 named /aws/route53/<zone>.",
            cli: "aws route53 create-query-logging-config --hosted-zone-id <zone-id> --cloud-watch-logs-log-group-arn arn:aws:logs:us-east-1:<account>:log-group:/aws/route53/<zone>",
            url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let zones = match &account.route53 {
            Observed::Known(z) => z,
            Observed::Unknown(why) => {
                let res = resource(
                    account,
                    &account.home_region,
                    ResourceType::AwsRoute53HostedZone,
                    format!("arn:{}:route53:::hostedzone/*", account.partition),
                    "all hosted zones",
                );
                out.not_available(res, format!("Route 53 could not be read: {why}"));
                continue;
            }
        };
        for z in zones.iter().filter(|z| !z.private_zone) {
            let res = zone_resource(account, z);
            match &z.query_logging_log_groups {
                Observed::Known(groups) if groups.is_empty() => out.fail(res, "the zone has no query logging configuration"),
                Observed::Known(groups) => out.pass(res, format!("queries are logged to {}", groups.join(", "))),
                Observed::Unknown(why) => out.not_available(res, format!("the zone's query logging could not be read: {why}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::HostedZone;
    use rampart_model::Status;

    fn zone(id: &str, private: bool, logging: Observed<Vec<String>>) -> HostedZone {
        HostedZone {
            id: format!("/hostedzone/{id}"),
            name: format!("{id}.example."),
            private_zone: private,
            record_sets: Observed::Known(vec![]),
            query_logging_log_groups: logging,
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        account(&mut inv).route53 = Observed::Known(vec![
            zone("Z1", false, Observed::Known(vec!["arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/z1".into()])),
            zone("Z2", false, Observed::Known(vec![])),
            zone("Z3", false, Observed::Unknown("route53:ListQueryLoggingConfigs access denied".into())),
            zone("Z4", true, Observed::Known(vec![])),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        account(&mut inv).route53 = Observed::Unknown("route53:ListHostedZones access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
