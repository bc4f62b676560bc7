//! The collector: reads an AWS estate through the official AWS SDK for Rust into an
//! [`Inventory`].
//!
//! **Architecture invariants:**
//! - This is the only crate that names `aws_sdk_*` types.
//! - It only reads: every request passes [`guard::ReadOnlyGuard`], which refuses any operation
//!   that is not a `Describe*`/`List*`/`Get*` call (plus `GenerateCredentialReport` and `GenerateServiceLastAccessedDetails`, which build
//!   reports server-side).
//! - Collection never fails as a whole once the caller's identity is known: a failed call is
//!   recorded as a [`Gap`] and the data it would have given is `Observed::Unknown`.
//!
//! Every call names its IAM action (`ctx.call("ec2:DescribeInstances", ..)`); [`actions::ACTIONS`]
//! lists them all and `rampart iam-policy` prints the least-privilege policy from that list.

pub mod actions;
mod call;
pub mod certparse;
mod ec2;
mod ec2_extra;
mod global;
mod iam;
mod organization;
pub mod origin_probe;
mod s3;
pub mod guard;
pub mod findings_sources;
pub mod notify;
pub mod refresh;
mod trail_logs;
pub mod org;
mod regional;
pub mod regions;
mod services;
mod tgw;

pub use call::Ctx;

use rampart_inventory::{Account, Inventory};
use rampart_model::{Gap, GapKind};
use std::sync::Arc;
use std::time::Duration;

/// What to collect and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// A named profile of the shared config files; the default credential chain otherwise.
    pub profile: Option<String>,
    /// Regions to scan; every region enabled for the account when `None`.
    pub regions: Option<Vec<String>>,
    /// An AWS-compatible endpoint for every service (e.g. a local emulator).
    pub endpoint_url: Option<String>,
    /// Calls in flight at once across regions and services.
    pub concurrency: usize,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// Read the certificates CloudFront custom origins serve, in TLS handshakes with them
    /// ([`origin_probe`]); the only traffic that does not go to AWS's APIs.
    pub probe_origins: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { profile: None, regions: None, endpoint_url: None, concurrency: 16, progress: false, probe_origins: false }
    }
}

/// Errors that stop a collection: without an identity there is nothing to scan.
///
/// The messages name no command-line flag: the CLI adds how its user fixes each.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectError {
    /// The first call (`sts:GetCallerIdentity`) was answered with a refusal of the
    /// credentials, or none could be found.
    #[error("no AWS credentials could be used ({0})")]
    Credentials(String),
    #[error("unknown region `{0}`; use regions like `us-east-1,eu-west-1` (see `aws ec2 describe-regions`; a region newer than this rampart needs an upgrade)")]
    UnknownRegion(String),
    #[error("invalid endpoint URL `{0}`: give a URL such as http://127.0.0.1:5000")]
    Endpoint(String),
    /// The first call never reached the endpoint (refused, unresolvable, timed out): a
    /// network problem, not a credential one.
    #[error("could not connect to `{endpoint}`: {message}")]
    Connect { endpoint: String, message: String },
}

/// Collects one account: the caller's.
pub async fn collect(opts: &Options) -> Result<Inventory, CollectError> {
    let (ctx, account_id, partition, region_names) = start(opts).await?;
    let progress = ctx.progress();
    let account = read_account(&ctx, &account_id, &partition, &region_names, opts).await;
    progress.finish();

    let mut inv = Inventory::new(time::OffsetDateTime::now_utc());
    inv.accounts.push(account);
    Ok(inv)
}

/// Reads one account through `ctx` (its credentials; `ctx.region` is the home region): the
/// global services, each of `region_names`, and what could not be read as its gaps.
pub(crate) async fn read_account(ctx: &Ctx, account_id: &str, partition: &str, region_names: &[String], opts: &Options) -> Account {
    let mut account = Account::empty(account_id, partition, &ctx.region);
    let globals = global::collect(ctx, &mut account);
    let regional = futures::future::join_all(region_names.iter().map(|r| {
        let rctx = ctx.for_region(r);
        async move { regional::collect(&rctx).await }
    }));
    let (_, regions) = futures::join!(globals, regional);
    account.regions = regions;
    account.gaps = ctx.take_gaps();
    if opts.probe_origins {
        origin_probe::probe_origins(&mut account, Duration::from_secs(10), opts.concurrency).await;
    }
    account
}

/// What every reading of an account starts with: the options checked, the SDK configured,
/// the caller's identity (`sts:GetCallerIdentity`; without it there is nothing to read) and
/// the regions to read (those given, else every region enabled for the account). Returns
/// the home-region context, the account id, the partition and the regions.
pub(crate) async fn start(opts: &Options) -> Result<(Ctx, String, String, Vec<String>), CollectError> {
    let (ctx, account_id, partition) = identify(opts).await?;
    let region_names = regions_to_read(&ctx, opts, &partition).await;
    Ok((ctx, account_id, partition, region_names))
}

/// The options checked, the SDK configured and the caller's identity: the home-region
/// context of the caller's account, its id and partition.
pub(crate) async fn identify(opts: &Options) -> Result<(Ctx, String, String), CollectError> {
    if let Some(url) = &opts.endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
            return Err(CollectError::Endpoint(url.clone()));
        }
    }
    if let Some(list) = &opts.regions {
        for r in list {
            if !regions::is_known(r) {
                return Err(CollectError::UnknownRegion(r.clone()));
            }
        }
    }
    let sdk = load_config(opts).await;
    let home_region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
    let sdk = sdk.into_builder().region(aws_types::region::Region::new(home_region.clone())).build();

    // Who are we? Without this there is no account to attribute anything to.
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&sdk).interceptor(guard::ReadOnlyGuard).build(),
    );
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| identity_error(&e, opts.endpoint_url.as_deref(), &home_region))?;
    let account_id = me.account().unwrap_or_default().to_string();
    let partition = me
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();

    let progress = call::Progress::new(opts.progress);
    let limiter = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let ctx = Ctx::new(sdk.clone(), &account_id, &home_region, limiter, progress);
    Ok((ctx, account_id, partition))
}

/// The regions to read in the account of `ctx`: those given, else every region enabled for
/// it (`ec2:DescribeRegions`), else (that call failed, a gap) those enabled by default.
pub(crate) async fn regions_to_read(ctx: &Ctx, opts: &Options, partition: &str) -> Vec<String> {
    match &opts.regions {
        Some(list) => list.clone(),
        None => match regions::enabled(ctx).await {
            Some(list) => list,
            None => {
                tracing::warn!(account = %ctx.account, "cannot list the enabled regions; scanning the regions enabled by default");
                regions::enabled_by_default(partition)
            }
        },
    }
}

async fn load_config(opts: &Options) -> aws_types::SdkConfig {
    use aws_config::retry::RetryConfig;
    use aws_config::timeout::TimeoutConfig;
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        // Standard retry mode: exponential backoff with jitter on throttling and 5xx.
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(4)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_secs(10)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(10))
                .operation_attempt_timeout(Duration::from_secs(30))
                .operation_timeout(Duration::from_secs(120))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    // Region from the environment or the profile, else us-east-1; never from the instance
    // metadata service, which off EC2 only costs time and warnings.
    let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
    if let Some(p) = &opts.profile {
        profile_region = profile_region.profile_name(p);
    }
    let region = aws_config::meta::region::RegionProviderChain::first_try(aws_config::environment::EnvironmentVariableRegionProvider::new())
        .or_else(profile_region.build())
        .or_else(aws_types::region::Region::new("us-east-1"));
    loader = loader.region(region);
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Why the first call failed: a request that never reached the endpoint (connection
/// refused, name not resolved, timeout) is a network problem; anything else — no
/// credentials found (the SDK reports it as a dispatch failure of kind "other"), or an
/// answer refusing them — is a credential problem.
fn identity_error<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
    endpoint_url: Option<&str>,
    region: &str,
) -> CollectError
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    let unreachable = match e {
        SdkError::DispatchFailure(d) => d.is_io() || d.is_timeout(),
        SdkError::TimeoutError(_) => true,
        _ => false,
    };
    if unreachable {
        let endpoint = endpoint_url.map_or_else(|| format!("the AWS STS endpoint of {region}"), str::to_string);
        return CollectError::Connect { endpoint, message: call::describe_error(e) };
    }
    CollectError::Credentials(call::describe_error(e))
}

/// Gaps merged per (action, kind): what the CLI prints once as warnings.
pub fn summarize_gaps(gaps: &[Gap]) -> Vec<(String, GapKind, usize, String)> {
    let mut map: std::collections::BTreeMap<(String, String), (GapKind, usize, String)> = Default::default();
    for g in gaps {
        let e = map
            .entry((g.action.clone(), g.kind.as_str().to_string()))
            .or_insert((g.kind, 0, g.message.clone()));
        e.1 += 1;
    }
    map.into_iter().map(|((a, _), (k, n, m))| (a, k, n, m)).collect()
}

#[cfg(test)]
mod identity_tests {
    use super::*;
    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::{ConnectorError, SdkError};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    type E = SdkError<GetCallerIdentityError, HttpResponse>;

    fn refused() -> E {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        SdkError::dispatch_failure(ConnectorError::io(Box::new(io)))
    }

    #[test]
    fn a_refused_connection_is_a_network_error_naming_the_endpoint() {
        let e = identity_error(&refused(), Some("http://127.0.0.1:1"), "us-east-1");
        assert!(matches!(e, CollectError::Connect { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.starts_with("could not connect to `http://127.0.0.1:1`: "), "{msg}");
        assert!(msg.contains("Connection refused"), "{msg}");
        assert!(!msg.contains("credentials"), "{msg}");
        let timeout = SdkError::<GetCallerIdentityError, HttpResponse>::timeout_error("slow");
        assert!(matches!(identity_error(&timeout, None, "eu-west-1"), CollectError::Connect { endpoint, .. } if endpoint.contains("eu-west-1")));
    }

    #[test]
    fn missing_or_refused_credentials_stay_credential_errors() {
        // No credentials: the SDK fails the dispatch with a connector error of kind "other".
        let none = SdkError::<GetCallerIdentityError, HttpResponse>::dispatch_failure(ConnectorError::other("no credentials".into(), None));
        assert!(matches!(identity_error(&none, None, "us-east-1"), CollectError::Credentials(_)));
        let meta = ErrorMetadata::builder().code("InvalidClientTokenId").message("The security token included in the request is invalid.").build();
        let raw = HttpResponse::new(403.try_into().unwrap(), SdkBody::empty());
        let denied = SdkError::service_error(GetCallerIdentityError::generic(meta), raw);
        let e = identity_error(&denied, Some("http://127.0.0.1:1"), "us-east-1");
        assert!(matches!(e, CollectError::Credentials(ref m) if m.starts_with("InvalidClientTokenId (HTTP 403)")), "{e:?}");
    }

    #[test]
    fn an_unparseable_answer_is_described_without_debug_dumps() {
        // An answer without an error code (an emulator's HTML page): its causes, in words.
        let raw = HttpResponse::new(500.try_into().unwrap(), SdkBody::from("<html>"));
        let e: E = SdkError::service_error(GetCallerIdentityError::generic(ErrorMetadata::builder().build()), raw);
        let msg = call::describe_error(&e);
        assert!(msg.ends_with("(HTTP 500)"), "{msg}");
        assert!(!msg.contains("ServiceError(") && !msg.contains("{ ") && !msg.contains("Unhandled("), "{msg}");
        let msg = call::describe_error(&refused());
        assert!(!msg.contains("DispatchFailure(") && msg.contains("Connection refused"), "{msg}");
        assert_eq!(msg.matches("Connection refused").count(), 1, "{msg}");
    }
}
