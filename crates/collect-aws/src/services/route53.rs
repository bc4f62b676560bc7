//! Route 53 (global): hosted zones and their record sets.

use super::{known_or_return, observed};
use crate::call::{client, Ctx};
use aws_sdk_route53::types::{ResourceRecordSet, RrType};
use futures::future::join_all;
use rampart_inventory::{HostedZone, Observed, RecordSet};

/// The ids of the account's health checks.
pub(super) async fn health_checks(ctx: &Ctx) -> Observed<Vec<String>> {
    let client = client!(ctx, aws_sdk_route53);
    let checks = known_or_return!(
        ctx.call("route53:ListHealthChecks", None, client.list_health_checks().into_paginator().items().send().try_collect()).await
    );
    Observed::Known(checks.iter().map(|h| h.id().to_string()).collect())
}

/// A bound on record-set pages per zone (300 records each), against a server that never ends.
const MAX_PAGES: usize = 10_000;

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<HostedZone>> {
    let client = client!(ctx, aws_sdk_route53);
    let zones = known_or_return!(
        ctx.call("route53:ListHostedZones", None, client.list_hosted_zones().into_paginator().items().send().try_collect()).await
    );
    // The account's query logging configurations, all at once (one listing for every zone).
    let logging = ctx.call("route53:ListQueryLoggingConfigs", None, client.list_query_logging_configs().into_paginator().items().send().try_collect()).await;
    let logging = &logging;
    let out = join_all(zones.iter().map(|z| {
        let client = &client;
        async move {
            let id = z.id().trim_start_matches("/hostedzone/").to_string();
            let record_sets = observed(record_sets(ctx, client, &id).await);
            let query_logging_log_groups = match &logging {
                Ok(configs) => Observed::Known(
                    configs.iter().filter(|c| c.hosted_zone_id().trim_start_matches("/hostedzone/") == id).map(|c| c.cloud_watch_logs_log_group_arn().to_string()).collect(),
                ),
                Err(why) => Observed::Unknown(why.clone()),
            };
            HostedZone {
                name: z.name().to_string(),
                private_zone: z.config().map(|c| c.private_zone()).unwrap_or_default(),
                query_logging_log_groups,
                id,
                record_sets,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

/// All record sets of a zone; the SDK has no paginator for this call (it pages by name/type).
async fn record_sets(ctx: &Ctx, client: &aws_sdk_route53::Client, zone_id: &str) -> Result<Vec<RecordSet>, String> {
    let mut out = Vec::new();
    let mut next: Option<(Option<String>, Option<RrType>, Option<String>)> = None;
    for _ in 0..MAX_PAGES {
        let mut req = client.list_resource_record_sets().hosted_zone_id(zone_id);
        if let Some((name, kind, identifier)) = next.clone() {
            req = req.set_start_record_name(name).set_start_record_type(kind).set_start_record_identifier(identifier);
        }
        let page = ctx.call("route53:ListResourceRecordSets", Some(zone_id), req.send()).await?;
        out.extend(page.resource_record_sets().iter().map(record_set));
        let following = (
            page.next_record_name().map(str::to_string),
            page.next_record_type().cloned(),
            page.next_record_identifier().map(str::to_string),
        );
        // Stop at the end, or if the server would send the same page again.
        if !page.is_truncated() || following.0.is_none() || next.as_ref() == Some(&following) {
            return Ok(out);
        }
        next = Some(following);
    }
    Err(format!("route53:ListResourceRecordSets: stopped after {MAX_PAGES} pages"))
}

fn record_set(r: &ResourceRecordSet) -> RecordSet {
    RecordSet {
        name: r.name().to_string(),
        kind: r.r#type().as_str().to_string(),
        ttl: r.ttl(),
        values: r.resource_records().iter().map(|v| v.value().to_string()).collect(),
        alias_target: r.alias_target().map(|a| a.dns_name().to_string()),
        set_identifier: r.set_identifier().map(str::to_string),
        failover: r.failover().map(|f| f.as_str().to_string()),
        health_check_id: r.health_check_id().map(str::to_string),
    }
}
