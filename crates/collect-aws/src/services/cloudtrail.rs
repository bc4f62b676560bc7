//! CloudTrail: the trails that apply to a region (its own, plus multi-region and organization
//! trails homed elsewhere, which AWS lists as "shadow" trails), whether they log, and what
//! (event selectors, Insights types).

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use futures::future::join_all;
use rampart_inventory::{Observed, Trail};
use serde_json::{json, Value};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<Trail>> {
    let client = client!(ctx, aws_sdk_cloudtrail);
    let trails = known_or_return!(
        ctx.call("cloudtrail:DescribeTrails", None, client.describe_trails().include_shadow_trails(true).send()).await
    );

    let out = join_all(trails.trail_list().iter().map(|t| {
        let client = &client;
        async move {
            let name = t.name().unwrap_or_default().to_string();
            let arn = t.trail_arn().unwrap_or_default().to_string();
            // A shadow trail can only be named by its ARN outside its home region.
            let id = if arn.is_empty() { name.clone() } else { arn.clone() };
            let (status, selectors, insights) = futures::join!(
                ctx.call("cloudtrail:GetTrailStatus", Some(&id), client.get_trail_status().name(&id).send()),
                ctx.call("cloudtrail:GetEventSelectors", Some(&id), client.get_event_selectors().trail_name(&id).send()),
                // "If you run GetInsightSelectors on a trail ... that does not have Insights events
                // enabled, the operation throws the exception InsightNotEnabledException."
                ctx.call_opt("cloudtrail:GetInsightSelectors", Some(&id), &["InsightNotEnabledException"], client.get_insight_selectors().trail_name(&id).send()),
            );
            let is_logging = match status {
                Ok(s) => match s.is_logging() {
                    Some(v) => Observed::Known(v),
                    None => Observed::Unknown("cloudtrail:GetTrailStatus: no IsLogging in the response".to_string()),
                },
                Err(reason) => Observed::Unknown(reason),
            };
            Trail {
                home_region: t.home_region().unwrap_or_default().to_string(),
                is_multi_region_trail: t.is_multi_region_trail().unwrap_or_default(),
                is_organization_trail: t.is_organization_trail().unwrap_or_default(),
                include_global_service_events: t.include_global_service_events().unwrap_or_default(),
                log_file_validation_enabled: t.log_file_validation_enabled().unwrap_or_default(),
                s3_bucket_name: non_empty(t.s3_bucket_name()),
                kms_key_id: non_empty(t.kms_key_id()),
                cloud_watch_logs_log_group_arn: non_empty(t.cloud_watch_logs_log_group_arn()),
                is_logging,
                event_selectors: observed(selectors).map(|s| selectors_json(&s).to_string()),
                insight_selectors: observed(insights).map(|o| {
                    o.map(|o| o.insight_selectors().iter().filter_map(|i| i.insight_type()).map(|t| t.as_str().to_string()).collect()).unwrap_or_default()
                }),
                name,
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

/// The selectors in the shape of the API's JSON: `{"EventSelectors": [..], "AdvancedEventSelectors": [..]}`.
fn selectors_json(out: &GetEventSelectorsOutput) -> Value {
    let basic: Vec<Value> = out
        .event_selectors()
        .iter()
        .map(|s| {
            json!({
                "ReadWriteType": s.read_write_type().map(|r| r.as_str()),
                "IncludeManagementEvents": s.include_management_events(),
                "DataResources": s.data_resources().iter().map(|d| json!({
                    "Type": d.r#type(),
                    "Values": d.values(),
                })).collect::<Vec<_>>(),
                "ExcludeManagementEventSources": s.exclude_management_event_sources(),
            })
        })
        .collect();
    let advanced: Vec<Value> = out
        .advanced_event_selectors()
        .iter()
        .map(|s| {
            json!({
                "Name": s.name(),
                "FieldSelectors": s.field_selectors().iter().map(|f| {
                    let mut o = serde_json::Map::new();
                    o.insert("Field".to_string(), json!(f.field()));
                    for (key, values) in [
                        ("Equals", f.equals()),
                        ("StartsWith", f.starts_with()),
                        ("EndsWith", f.ends_with()),
                        ("NotEquals", f.not_equals()),
                        ("NotStartsWith", f.not_starts_with()),
                        ("NotEndsWith", f.not_ends_with()),
                    ] {
                        if !values.is_empty() {
                            o.insert(key.to_string(), json!(values));
                        }
                    }
                    Value::Object(o)
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "EventSelectors": basic, "AdvancedEventSelectors": advanced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType};

    #[test]
    fn selectors_as_api_json() {
        let out = GetEventSelectorsOutput::builder()
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::All)
                    .include_management_events(true)
                    .data_resources(DataResource::builder().r#type("AWS::S3::Object").values("arn:aws:s3").build())
                    .build(),
            )
            .advanced_event_selectors(
                AdvancedEventSelector::builder()
                    .name("mgmt")
                    .field_selectors(
                        AdvancedFieldSelector::builder()
                            .field("eventCategory")
                            .equals("Management")
                            .build()
                            .expect("field is set"),
                    )
                    .build()
                    .expect("field selectors are set"),
            )
            .build();
        let v = selectors_json(&out);
        assert_eq!(v["EventSelectors"][0]["ReadWriteType"], "All");
        assert_eq!(v["EventSelectors"][0]["IncludeManagementEvents"], true);
        assert_eq!(v["EventSelectors"][0]["DataResources"][0]["Values"][0], "arn:aws:s3");
        assert_eq!(v["AdvancedEventSelectors"][0]["FieldSelectors"][0]["Equals"][0], "Management");
        assert!(v["AdvancedEventSelectors"][0]["FieldSelectors"][0].get("NotEquals").is_none());
    }
}
