//! The services that watch an account: GuardDuty, AWS Config, Security Hub and IAM Access
//! Analyzer. Each answers "is it on in this region, and how".

use super::{first_err, known_or_return};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{Analyzer, ConfigRecorder, ConfigService, GuardDuty, Observed, SecurityHub};

pub(super) async fn guardduty(ctx: &Ctx) -> Observed<GuardDuty> {
    let client = client!(ctx, aws_sdk_guardduty);
    let ids = known_or_return!(
        ctx.call("guardduty:ListDetectors", None, client.list_detectors().into_paginator().items().send().try_collect()).await
    );
    // The status is a plain string: a detector whose status cannot be read makes GuardDuty
    // unknown rather than claim a status.
    let statuses = join_all(ids.iter().map(|id| {
        let client = &client;
        async move {
            let out = ctx.call("guardduty:GetDetector", Some(id), client.get_detector().detector_id(id).send()).await?;
            Ok::<_, String>((out.status().map(|s| s.as_str().to_string()).unwrap_or_default(), detector_features(&out)))
        }
    }))
    .await;
    if let Some(reason) = first_err(&statuses) {
        return Observed::Unknown(reason);
    }
    let (mut detectors, mut features) = (Vec::new(), std::collections::BTreeMap::new());
    for (id, (status, f)) in ids.iter().zip(statuses.into_iter().map(Result::unwrap_or_default)) {
        detectors.push((id.clone(), status));
        features.insert(id.clone(), f);
    }
    Observed::Known(GuardDuty { detectors, features: Observed::Known(features) })
}

/// The protection plans of a detector by feature name (and `FEATURE/CONFIGURATION` for
/// additional configurations). Detectors that report no `Features` (older endpoints) are read
/// from the legacy `DataSources`: S3 logs and Kubernetes audit logs.
fn detector_features(out: &aws_sdk_guardduty::operation::get_detector::GetDetectorOutput) -> std::collections::BTreeMap<String, String> {
    let mut map = std::collections::BTreeMap::new();
    for f in out.features() {
        let Some(name) = f.name() else { continue };
        let status = f.status().map(|s| s.as_str().to_string()).unwrap_or_default();
        for a in f.additional_configuration() {
            if let Some(extra) = a.name() {
                map.insert(format!("{}/{}", name.as_str(), extra.as_str()), a.status().map(|s| s.as_str().to_string()).unwrap_or_default());
            }
        }
        map.insert(name.as_str().to_string(), status);
    }
    if map.is_empty() {
        // Deprecated in favour of `Features`, which older endpoints do not return.
        #[allow(deprecated)]
        if let Some(ds) = out.data_sources() {
            if let Some(s) = ds.s3_logs().and_then(|l| l.status()) {
                map.insert("S3_DATA_EVENTS".into(), s.as_str().to_string());
            }
            if let Some(s) = ds.kubernetes().and_then(|k| k.audit_logs()).and_then(|l| l.status()) {
                map.insert("EKS_AUDIT_LOGS".into(), s.as_str().to_string());
            }
        }
    }
    map
}

pub(super) async fn config(ctx: &Ctx) -> Observed<ConfigService> {
    let client = client!(ctx, aws_sdk_config);
    let (recorders, statuses) = futures::join!(
        ctx.call("config:DescribeConfigurationRecorders", None, client.describe_configuration_recorders().send()),
        ctx.call("config:DescribeConfigurationRecorderStatus", None, client.describe_configuration_recorder_status().send()),
    );
    let recorders = known_or_return!(recorders);
    let statuses = known_or_return!(statuses);
    let recorders = recorders
        .configuration_recorders()
        .iter()
        .map(|r| {
            let name = r.name().unwrap_or_default().to_string();
            let group = r.recording_group();
            ConfigRecorder {
                all_supported: group.is_some_and(|g| g.all_supported()),
                include_global_resource_types: group.is_some_and(|g| g.include_global_resource_types()),
                role_arn: match r.role_arn().filter(|a| !a.is_empty()) {
                    Some(a) => Observed::Known(a.to_string()),
                    None => Observed::Unknown("config:DescribeConfigurationRecorders: no roleARN in the response".into()),
                },
                recording: statuses
                    .configuration_recorders_status()
                    .iter()
                    .any(|s| s.name() == Some(name.as_str()) && s.recording()),
                name,
            }
        })
        .collect();
    Observed::Known(ConfigService { recorders })
}

pub(super) async fn securityhub(ctx: &Ctx) -> Observed<SecurityHub> {
    let client = client!(ctx, aws_sdk_securityhub);
    // Security Hub answers these codes when it is not enabled in the region.
    let hub = known_or_return!(
        ctx.call_opt("securityhub:DescribeHub", None, &["InvalidAccessException", "ResourceNotFoundException"], client.describe_hub().send()).await
    );
    let Some(hub_arn) = hub.and_then(|h| h.hub_arn().map(str::to_string)) else {
        return Observed::Known(SecurityHub { hub_arn: None, enabled_standards: Observed::Known(Vec::new()) });
    };
    // The hub is known to be enabled even when its standards cannot be listed.
    let enabled_standards = match ctx
        .call("securityhub:GetEnabledStandards", Some(&hub_arn), client.get_enabled_standards().into_paginator().items().send().try_collect())
        .await
    {
        Ok(subscriptions) => {
            let mut v: Vec<String> = subscriptions
                .iter()
                .filter(|s| !matches!(s.standards_status().map(|s| s.as_str()), Some("DELETING" | "FAILED")))
                .filter_map(|s| s.standards_arn().map(str::to_string))
                .collect();
            v.sort();
            v.dedup();
            Observed::Known(v)
        }
        Err(why) => Observed::Unknown(why),
    };
    Observed::Known(SecurityHub { hub_arn: Some(hub_arn), enabled_standards })
}

pub(super) async fn access_analyzer(ctx: &Ctx) -> Observed<Vec<Analyzer>> {
    let client = client!(ctx, aws_sdk_accessanalyzer);
    let analyzers = known_or_return!(
        ctx.call("access-analyzer:ListAnalyzers", None, client.list_analyzers().into_paginator().items().send().try_collect()).await
    );
    Observed::Known(
        analyzers
            .iter()
            .map(|a| Analyzer {
                arn: a.arn().to_string(),
                name: a.name().to_string(),
                kind: a.r#type().as_str().to_string(),
                status: a.status().as_str().to_string(),
            })
            .collect(),
    )
}
