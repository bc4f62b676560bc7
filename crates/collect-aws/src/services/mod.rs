//! Collectors of the services beyond EC2, S3 and IAM: one file per service.
//!
//! Each collector lists its resources (a failed listing makes the whole service
//! `Observed::Unknown`), then reads per-resource details concurrently (a failed detail makes
//! only that field `Observed::Unknown`, or, where the inventory field cannot say "unknown",
//! the whole service).

use crate::call::Ctx;
use rampart_inventory::*;

mod autoscaling;
mod certs;
mod cloudformation;
mod cloudfront;
mod cloudtrail;
mod detective;
mod ecr;
mod ecs;
mod efs;
mod elb;
mod elbv2;
mod kms;
mod lambda;
mod logs;
mod quotas;
mod rds;
mod route53;
mod secretsmanager;
mod sns;
mod sqs;

pub async fn route53(ctx: &Ctx) -> Observed<Vec<HostedZone>> {
    route53::collect(ctx).await
}

pub async fn route53_health_checks(ctx: &Ctx) -> Observed<Vec<String>> {
    route53::health_checks(ctx).await
}
pub async fn cloudfront(ctx: &Ctx) -> Observed<Vec<Distribution>> {
    cloudfront::collect(ctx).await
}
pub async fn iam_server_certificates(ctx: &Ctx) -> Observed<Vec<ServerCertificate>> {
    certs::iam_server_certificates(ctx).await
}
pub async fn rds(ctx: &Ctx) -> Observed<Rds> {
    rds::collect(ctx).await
}
pub async fn elb(ctx: &Ctx) -> Observed<Vec<ClassicLoadBalancer>> {
    elb::collect(ctx).await
}
pub async fn elbv2(ctx: &Ctx) -> Observed<Elbv2> {
    elbv2::collect(ctx).await
}
pub async fn cloudtrail(ctx: &Ctx) -> Observed<Vec<Trail>> {
    cloudtrail::collect(ctx).await
}
pub async fn acm(ctx: &Ctx) -> Observed<Vec<AcmCertificate>> {
    certs::acm(ctx).await
}
pub async fn kms(ctx: &Ctx) -> Observed<Vec<KmsKey>> {
    kms::collect(ctx).await
}
pub async fn lambda(ctx: &Ctx) -> Observed<Vec<LambdaFunction>> {
    lambda::collect(ctx).await
}
pub async fn ecr(ctx: &Ctx) -> Observed<Vec<EcrRepository>> {
    ecr::collect(ctx).await
}
pub async fn ecr_registry_scanning(ctx: &Ctx) -> Observed<EcrRegistryScanning> {
    ecr::registry_scanning(ctx).await
}
pub async fn sns(ctx: &Ctx) -> Observed<Vec<SnsTopic>> {
    sns::collect(ctx).await
}
pub async fn sqs(ctx: &Ctx) -> Observed<Vec<SqsQueue>> {
    sqs::collect(ctx).await
}
pub async fn guardduty(ctx: &Ctx) -> Observed<GuardDuty> {
    detective::guardduty(ctx).await
}
pub async fn config(ctx: &Ctx) -> Observed<ConfigService> {
    detective::config(ctx).await
}
pub async fn securityhub(ctx: &Ctx) -> Observed<SecurityHub> {
    detective::securityhub(ctx).await
}
pub async fn access_analyzer(ctx: &Ctx) -> Observed<Vec<Analyzer>> {
    detective::access_analyzer(ctx).await
}
pub async fn service_quotas(ctx: &Ctx) -> Observed<Vec<ServiceQuota>> {
    quotas::collect(ctx).await
}
pub async fn autoscaling(ctx: &Ctx) -> Observed<AutoScaling> {
    autoscaling::collect(ctx).await
}
pub async fn efs(ctx: &Ctx) -> Observed<Efs> {
    efs::collect(ctx).await
}
pub async fn log_groups(ctx: &Ctx) -> Observed<Vec<LogGroup>> {
    logs::log_groups(ctx).await
}
pub async fn metric_filters(ctx: &Ctx) -> Observed<Vec<MetricFilter>> {
    logs::metric_filters(ctx).await
}
pub async fn metric_alarms(ctx: &Ctx) -> Observed<Vec<MetricAlarm>> {
    logs::metric_alarms(ctx).await
}
pub async fn secrets(ctx: &Ctx) -> Observed<Vec<Secret>> {
    secretsmanager::collect(ctx).await
}
pub async fn ecs_task_definitions(ctx: &Ctx) -> Observed<Vec<EcsTaskDefinition>> {
    ecs::collect(ctx).await
}
pub async fn ecs_clusters(ctx: &Ctx) -> Observed<Vec<EcsCluster>> {
    ecs::clusters(ctx).await
}
pub async fn cloudformation_stacks(ctx: &Ctx) -> Observed<Vec<CloudFormationStack>> {
    cloudformation::collect(ctx).await
}

// ---------------------------------------------------------------- helpers

/// A call's result as inventory data: the `Err` is already the gap's reason.
fn observed<T>(r: Result<T, String>) -> Observed<T> {
    match r {
        Ok(v) => Observed::Known(v),
        Err(reason) => Observed::Unknown(reason),
    }
}

/// Evaluates an expression returning `Result<T, String>`; on `Err` returns
/// `Observed::Unknown(reason)` from the enclosing collector.
macro_rules! known_or_return {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reason) => return rampart_inventory::Observed::Unknown(reason),
        }
    };
}
use known_or_return;

/// RFC 3339 text of an SDK timestamp.
fn ts(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(aws_smithy_types::date_time::Format::DateTime).unwrap_or_else(|_| d.secs().to_string())
}

fn ts_opt(d: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    d.map(ts)
}

/// `Some(s)` unless `s` is empty: AWS often sends `""` for "none".
fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}

/// The first reason among per-resource results that the inventory cannot store as
/// `Unknown` field by field: such a failure makes the whole service unknown.
fn first_err<T>(results: &[Result<T, String>]) -> Option<String> {
    results.iter().find_map(|r| r.as_ref().err().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        let d = aws_smithy_types::DateTime::from_secs(1_700_000_000);
        assert_eq!(ts(&d), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn empty_strings_are_none() {
        assert_eq!(non_empty(Some("")), None);
        assert_eq!(non_empty(None), None);
        assert_eq!(non_empty(Some("x")), Some("x".to_string()));
    }
}
