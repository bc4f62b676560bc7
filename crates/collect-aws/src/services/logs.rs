//! CloudWatch Logs log groups and metric filters, and CloudWatch metric alarms: what CIS
//! section 4 (a metric filter and an alarm per kind of CloudTrail event) and the log group
//! checks read.

use super::{known_or_return, non_empty};
use crate::call::{client, Ctx};
use rampart_inventory::{LogGroup, MetricAlarm, MetricFilter, MetricId, Observed};

pub(super) async fn log_groups(ctx: &Ctx) -> Observed<Vec<LogGroup>> {
    let client = client!(ctx, aws_sdk_cloudwatchlogs);
    let groups = known_or_return!(
        ctx.call("logs:DescribeLogGroups", None, client.describe_log_groups().into_paginator().items().send().try_collect()).await
    );
    Observed::Known(
        groups
            .iter()
            .map(|g| LogGroup {
                name: g.log_group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().trim_end_matches(":*").to_string(),
                retention_in_days: g.retention_in_days(),
                kms_key_id: non_empty(g.kms_key_id()),
            })
            .collect(),
    )
}

pub(super) async fn metric_filters(ctx: &Ctx) -> Observed<Vec<MetricFilter>> {
    let client = client!(ctx, aws_sdk_cloudwatchlogs);
    let filters = known_or_return!(
        ctx.call("logs:DescribeMetricFilters", None, client.describe_metric_filters().into_paginator().items().send().try_collect()).await
    );
    Observed::Known(
        filters
            .iter()
            .map(|f| MetricFilter {
                name: f.filter_name().unwrap_or_default().to_string(),
                log_group_name: f.log_group_name().unwrap_or_default().to_string(),
                pattern: f.filter_pattern().unwrap_or_default().to_string(),
                metrics: f
                    .metric_transformations()
                    .iter()
                    .map(|t| MetricId { namespace: t.metric_namespace().to_string(), name: t.metric_name().to_string() })
                    .collect(),
            })
            .collect(),
    )
}

pub(super) async fn metric_alarms(ctx: &Ctx) -> Observed<Vec<MetricAlarm>> {
    let client = client!(ctx, aws_sdk_cloudwatch);
    // Only metric alarms: composite alarms watch other alarms, not a metric.
    let pages = known_or_return!(
        ctx.call(
            "cloudwatch:DescribeAlarms",
            None,
            client.describe_alarms().alarm_types(aws_sdk_cloudwatch::types::AlarmType::MetricAlarm).into_paginator().send().try_collect()
        )
        .await
    );
    let mut out = Vec::new();
    for page in &pages {
        for a in page.metric_alarms() {
            let metric = match (a.namespace(), a.metric_name()) {
                (Some(ns), Some(name)) => Some(MetricId { namespace: ns.to_string(), name: name.to_string() }),
                _ => None,
            };
            let query_metrics = a
                .metrics()
                .iter()
                .filter_map(|q| q.metric_stat().and_then(|s| s.metric()))
                .filter_map(|m| Some(MetricId { namespace: m.namespace()?.to_string(), name: m.metric_name()?.to_string() }))
                .collect();
            out.push(MetricAlarm {
                name: a.alarm_name().unwrap_or_default().to_string(),
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                metric,
                query_metrics,
                actions_enabled: a.actions_enabled().unwrap_or(true),
                alarm_actions: a.alarm_actions().to_vec(),
                ok_actions: a.ok_actions().to_vec(),
                insufficient_data_actions: a.insufficient_data_actions().to_vec(),
            });
        }
    }
    Observed::Known(out)
}
