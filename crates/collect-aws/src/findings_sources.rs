//! Findings of AWS's own security services, read-only: Security Hub `GetFindings`,
//! Inspector2 `ListFindings`,
//! GuardDuty `ListDetectors` + `ListFindings` + `GetFindings` (≤ 50 ids a call), IAM
//! Access Analyzer `ListAnalyzers` + `ListFindings` (external access) / `ListFindingsV2`
//! (unused and internal access), AWS Config `DescribeComplianceByConfigRule` +
//! `GetComplianceDetailsByConfigRule` (non-compliant evaluations only).
//!
//! Every call goes through [`Ctx::call`] (so `rampart iam-policy` lists it) with the
//! read-only guard. What is handed back is each answer's body as the service sent it —
//! the documented response shape, captured by [`RawBodies`] after the SDK has read it —
//! so that the pure normalisers in `rampart-import-findings` read the same JSON as from a
//! saved `aws <service> get-findings` file.
//!
//! A failure is reported per source and region ([`SourceRead::error`]), with whatever was
//! read before it; it never stops the other sources or regions. Macie is not read live by
//! this build (its SDK crate is not linked): it is reported as unread, with how to import
//! its saved responses instead.

use crate::call::Ctx;
use crate::guard::ReadOnlyGuard;
use crate::{CollectError, Options};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use rampart_import_findings::aws::{AwsSource, SourceContext};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// One answer of a service: its body and what it does not say about itself.
#[derive(Debug, Clone)]
pub struct Page {
    pub context: SourceContext,
    pub body: Value,
}

/// What reading one source in one region gave.
#[derive(Debug, Clone)]
pub struct SourceRead {
    pub source: AwsSource,
    pub region: String,
    /// The answers read (also those before a failure).
    pub pages: Vec<Page>,
    /// Why the source was not (or not wholly) read: the call and AWS's error.
    pub error: Option<String>,
    /// Read, but what a reader should know of an empty answer (no GuardDuty detector, no
    /// active analyzer, no non-compliant Config rule in the region).
    pub note: Option<String>,
}

/// Everything read: the account, and one [`SourceRead`] per source and region.
#[derive(Debug, Clone)]
pub struct FindingsRead {
    pub account: String,
    pub partition: String,
    pub reads: Vec<SourceRead>,
}

/// Reads the findings of `sources` in every region of `opts` (every enabled region when
/// none are given). Fails as a whole only when no identity can be had (as a scan).
pub async fn read_findings(opts: &Options, sources: &[AwsSource]) -> Result<FindingsRead, CollectError> {
    let (ctx, account, partition, regions) = crate::start(opts).await?;
    let mut jobs = Vec::new();
    for region in &regions {
        for source in sources {
            let rctx = ctx.for_region(region);
            let partition = partition.clone();
            let source = *source;
            jobs.push(async move { read_source(&rctx, source, &partition).await });
        }
    }
    let reads = futures::future::join_all(jobs).await;
    // Each failure is in its `SourceRead`; the context's copies are not needed.
    let _ = ctx.take_gaps();
    ctx.progress().finish();
    Ok(FindingsRead { account, partition, reads })
}

async fn read_source(ctx: &Ctx, source: AwsSource, partition: &str) -> SourceRead {
    let mut read = SourceRead { source, region: ctx.region.clone(), pages: Vec::new(), error: None, note: None };
    let base = SourceContext {
        account: Some(ctx.account.clone()),
        region: Some(ctx.region.clone()),
        partition: Some(partition.to_string()),
        analyzer_arn: None,
    };
    let result = match source {
        AwsSource::SecurityHub => securityhub(ctx, &base, &mut read.pages).await.map(|()| None),
        AwsSource::GuardDuty => guardduty(ctx, &base, &mut read.pages).await,
        AwsSource::AccessAnalyzer => access_analyzer(ctx, &base, &mut read.pages).await,
        AwsSource::Config => config(ctx, &base, &mut read.pages).await,
        AwsSource::Inspector2 => inspector2(ctx, &base, &mut read.pages).await.map(|()| None),
        AwsSource::Macie => Err(format!(
            "not read live by this build (no Macie SDK client): save `aws macie2 get-findings --region {} --finding-ids ...` and import it with `rampart import findings --format macie FILE`",
            ctx.region
        )),
    };
    match result {
        Ok(note) => read.note = note,
        Err(e) => read.error = Some(e),
    }
    read
}

/// Keeps the body of every successful answer of a client, in order.
#[derive(Debug, Clone, Default)]
struct RawBodies(Arc<Mutex<Vec<Vec<u8>>>>);

impl RawBodies {
    /// The body of the last answer, as JSON.
    fn take_json(&self, action: &str) -> Result<Value, String> {
        let body = self.0.lock().ok().and_then(|mut b| b.pop()).ok_or_else(|| format!("{action}: the answer's body was not kept"))?;
        self.0.lock().map(|mut b| b.clear()).ok();
        serde_json::from_slice(&body).map_err(|e| format!("{action}: the answer is not JSON ({e})"))
    }
}

impl Intercept for RawBodies {
    fn name(&self) -> &'static str {
        "RampartRawBodies"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if context.output_or_error().is_ok() {
            if let Some(bytes) = context.response().body().bytes() {
                if let Ok(mut b) = self.0.lock() {
                    b.push(bytes.to_vec());
                }
            }
        }
        Ok(())
    }
}

/// A service client with the read-only guard and a body keeper.
macro_rules! raw_client {
    ($ctx:expr, $krate:ident, $raw:expr) => {
        $krate::Client::from_conf($krate::config::Builder::from(&$ctx.sdk).interceptor(ReadOnlyGuard).interceptor($raw.clone()).build())
    };
}

/// The next page's token; an error when the service answers a token it gave before (it
/// would loop forever), so the source is reported as read only in part, never as whole.
fn next(token: Option<&str>, seen: &mut Vec<String>) -> Result<Option<String>, String> {
    let Some(t) = token.filter(|t| !t.is_empty()).map(str::to_string) else { return Ok(None) };
    if seen.contains(&t) {
        return Err(format!(
            "the service repeated a pagination token after {} page(s): the rest was not read",
            seen.len() + 1
        ));
    }
    seen.push(t.clone());
    Ok(Some(t))
}

async fn securityhub(ctx: &Ctx, base: &SourceContext, pages: &mut Vec<Page>) -> Result<(), String> {
    let raw = RawBodies::default();
    let client = raw_client!(ctx, aws_sdk_securityhub, raw);
    let (mut token, mut seen) = (None, Vec::new());
    loop {
        let out =
            ctx.call("securityhub:GetFindings", None, client.get_findings().max_results(100).set_next_token(token.clone()).send()).await?;
        pages.push(Page { context: base.clone(), body: raw.take_json("securityhub:GetFindings")? });
        token = next(out.next_token(), &mut seen)?;
        if token.is_none() {
            return Ok(());
        }
    }
}

async fn inspector2(ctx: &Ctx, base: &SourceContext, pages: &mut Vec<Page>) -> Result<(), String> {
    let raw = RawBodies::default();
    let client = raw_client!(ctx, aws_sdk_inspector2, raw);
    let (mut token, mut seen) = (None, Vec::new());
    loop {
        let out =
            ctx.call("inspector2:ListFindings", None, client.list_findings().max_results(100).set_next_token(token.clone()).send()).await?;
        pages.push(Page { context: base.clone(), body: raw.take_json("inspector2:ListFindings")? });
        token = next(out.next_token(), &mut seen)?;
        if token.is_none() {
            return Ok(());
        }
    }
}

async fn guardduty(ctx: &Ctx, base: &SourceContext, pages: &mut Vec<Page>) -> Result<Option<String>, String> {
    let raw = RawBodies::default();
    let client = raw_client!(ctx, aws_sdk_guardduty, raw);
    let detectors: Vec<String> =
        ctx.call("guardduty:ListDetectors", None, client.list_detectors().into_paginator().items().send().try_collect()).await?;
    for detector in &detectors {
        let (mut token, mut seen) = (None, Vec::new());
        loop {
            let out = ctx
                .call(
                    "guardduty:ListFindings",
                    Some(detector),
                    client.list_findings().detector_id(detector).max_results(50).set_next_token(token.clone()).send(),
                )
                .await?;
            let ids: Vec<String> = out.finding_ids().to_vec();
            for chunk in ids.chunks(50) {
                ctx.call(
                    "guardduty:GetFindings",
                    Some(detector),
                    client.get_findings().detector_id(detector).set_finding_ids(Some(chunk.to_vec())).send(),
                )
                .await?;
                pages.push(Page { context: base.clone(), body: raw.take_json("guardduty:GetFindings")? });
            }
            token = next(out.next_token(), &mut seen)?;
            if token.is_none() {
                break;
            }
        }
    }
    Ok(detectors.is_empty().then(|| "no GuardDuty detector in this region: GuardDuty is not enabled here".to_string()))
}

async fn access_analyzer(ctx: &Ctx, base: &SourceContext, pages: &mut Vec<Page>) -> Result<Option<String>, String> {
    let raw = RawBodies::default();
    let client = raw_client!(ctx, aws_sdk_accessanalyzer, raw);
    let analyzers =
        ctx.call("access-analyzer:ListAnalyzers", None, client.list_analyzers().into_paginator().items().send().try_collect()).await?;
    for a in analyzers.iter().filter(|a| a.status().as_str() == "ACTIVE") {
        let arn = a.arn().to_string();
        let context = SourceContext { analyzer_arn: Some(arn.clone()), ..base.clone() };
        // External access analyzers' findings carry the principal and actions in
        // ListFindings; unused and internal access ones are only in ListFindingsV2.
        let external = matches!(a.r#type().as_str(), "ACCOUNT" | "ORGANIZATION");
        let (mut token, mut seen) = (None, Vec::new());
        loop {
            let token_out = if external {
                let out = ctx
                    .call(
                        "access-analyzer:ListFindings",
                        Some(&arn),
                        client.list_findings().analyzer_arn(&arn).set_next_token(token.clone()).send(),
                    )
                    .await?;
                pages.push(Page { context: context.clone(), body: raw.take_json("access-analyzer:ListFindings")? });
                out.next_token().map(str::to_string)
            } else {
                let out = ctx
                    .call(
                        "access-analyzer:ListFindingsV2",
                        Some(&arn),
                        client.list_findings_v2().analyzer_arn(&arn).set_next_token(token.clone()).send(),
                    )
                    .await?;
                pages.push(Page { context: context.clone(), body: raw.take_json("access-analyzer:ListFindingsV2")? });
                out.next_token().map(str::to_string)
            };
            token = next(token_out.as_deref(), &mut seen)?;
            if token.is_none() {
                break;
            }
        }
    }
    Ok((!analyzers.iter().any(|a| a.status().as_str() == "ACTIVE"))
        .then(|| "no active IAM Access Analyzer analyzer in this region".to_string()))
}

async fn config(ctx: &Ctx, base: &SourceContext, pages: &mut Vec<Page>) -> Result<Option<String>, String> {
    use aws_sdk_config::types::ComplianceType;
    let raw = RawBodies::default();
    let client = raw_client!(ctx, aws_sdk_config, raw);
    let mut rules = Vec::new();
    let (mut token, mut seen) = (None, Vec::new());
    loop {
        let out = ctx
            .call(
                "config:DescribeComplianceByConfigRule",
                None,
                client
                    .describe_compliance_by_config_rule()
                    .compliance_types(ComplianceType::NonCompliant)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await?;
        raw.0.lock().map(|mut b| b.clear()).ok();
        rules.extend(out.compliance_by_config_rules().iter().filter_map(|c| c.config_rule_name()).map(str::to_string));
        token = next(out.next_token(), &mut seen)?;
        if token.is_none() {
            break;
        }
    }
    for rule in &rules {
        let (mut token, mut seen) = (None, Vec::new());
        loop {
            let out = ctx
                .call(
                    "config:GetComplianceDetailsByConfigRule",
                    Some(rule),
                    client
                        .get_compliance_details_by_config_rule()
                        .config_rule_name(rule)
                        .compliance_types(ComplianceType::NonCompliant)
                        .limit(100)
                        .set_next_token(token.clone())
                        .send(),
                )
                .await?;
            pages.push(Page { context: base.clone(), body: raw.take_json("config:GetComplianceDetailsByConfigRule")? });
            token = next(out.next_token(), &mut seen)?;
            if token.is_none() {
                break;
            }
        }
    }
    Ok(rules.is_empty().then(|| "no AWS Config rule is NON_COMPLIANT in this region (or none is evaluated)".to_string()))
}

#[cfg(test)]
mod pagination_tests {
    use super::next;

    #[test]
    fn a_repeated_token_is_an_error_not_the_end() {
        let mut seen = Vec::new();
        assert_eq!(next(Some("a"), &mut seen), Ok(Some("a".to_string())));
        assert_eq!(next(Some("b"), &mut seen), Ok(Some("b".to_string())));
        assert_eq!(next(None, &mut seen), Ok(None));
        assert_eq!(next(Some(""), &mut seen), Ok(None));
        assert!(next(Some("a"), &mut seen).unwrap_err().contains("repeated a pagination token after 3 page(s)"));
    }
}
