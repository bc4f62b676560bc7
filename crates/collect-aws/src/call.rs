//! The one place SDK calls are made from: bounded concurrency, gap recording, progress.

use crate::guard::ReadOnlyGuard;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use rampart_model::{Gap, GapKind};
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Where calls go and where their failures are recorded.
#[derive(Clone)]
pub struct Ctx {
    pub(crate) sdk: aws_types::SdkConfig,
    pub account: String,
    pub region: String,
    limiter: Arc<Semaphore>,
    gaps: Arc<Mutex<Vec<Gap>>>,
    progress: Progress,
}

impl Ctx {
    pub(crate) fn new(sdk: aws_types::SdkConfig, account: &str, region: &str, limiter: Arc<Semaphore>, progress: Progress) -> Self {
        Ctx {
            sdk,
            account: account.to_string(),
            region: region.to_string(),
            limiter,
            gaps: Arc::default(),
            progress,
        }
    }

    /// The same context for another region (sharing limiter, gaps and progress).
    pub fn for_region(&self, region: &str) -> Ctx {
        let mut c = self.clone();
        c.region = region.to_string();
        c.sdk = self.sdk.clone().into_builder().region(aws_types::region::Region::new(region.to_string())).build();
        c
    }

    /// A context for another account, reached through `sdk` (its credentials), sharing the
    /// limiter and progress but keeping gaps of its own.
    pub(crate) fn for_account(&self, account: &str, sdk: aws_types::SdkConfig) -> Ctx {
        Ctx::new(sdk, account, &self.region, self.limiter.clone(), self.progress.clone())
    }

    pub(crate) fn progress(&self) -> Progress {
        self.progress.clone()
    }

    pub(crate) fn take_gaps(&self) -> Vec<Gap> {
        let mut g = self.gaps.lock().map(|mut g| std::mem::take(&mut *g)).unwrap_or_default();
        g.sort_by(|a, b| (&a.region, &a.action, &a.resource).cmp(&(&b.region, &b.action, &b.resource)));
        g
    }

    /// Runs one SDK call (or a whole paginated listing) under the concurrency limit.
    /// A failure is recorded as a gap; the `Err` is the reason to store as `Observed::Unknown`.
    pub async fn call<T, E>(
        &self,
        action: &'static str,
        resource: Option<&str>,
        fut: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, String>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.call_opt(action, resource, &[], fut).await.and_then(|o| {
            o.ok_or_else(|| format!("{action}: no result"))
        })
    }

    /// Like [`Ctx::call`], but the error codes in `absent` mean "not configured" and give
    /// `Ok(None)` (e.g. `NoSuchBucketPolicy`).
    pub async fn call_opt<T, E>(
        &self,
        action: &'static str,
        resource: Option<&str>,
        absent: &[&str],
        fut: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<Option<T>, String>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let _permit = self.limiter.acquire().await;
        let result = fut.await;
        self.progress.tick();
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                if let Some(code) = e.code() {
                    if absent.contains(&code) {
                        return Ok(None);
                    }
                }
                let kind = classify(&e);
                let message = describe_error(&e);
                tracing::debug!(action, region = %self.region, ?kind, %message, "call failed");
                let gap = Gap {
                    action: action.to_string(),
                    kind,
                    account: self.account.clone(),
                    region: self.region.clone(),
                    resource: resource.map(str::to_string),
                    message: message.clone(),
                };
                let reason = format!("{action} {}: {message}", kind.as_str());
                if let Ok(mut g) = self.gaps.lock() {
                    g.push(gap);
                }
                self.progress.gap();
                Err(reason)
            }
        }
    }
}

/// One line: the service's code and message, or the transport error with its causes.
///
/// Never the SDK's `DisplayErrorContext`, which ends with the error's `Debug` form
/// (`ServiceError(ServiceError { source: Unhandled(…`): that goes to the debug log (`-v`).
pub(crate) fn describe_error<E>(e: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    tracing::debug!(error = %aws_smithy_types::error::display::DisplayErrorContext(e), "AWS call failed");
    match e {
        SdkError::ServiceError(_) if e.code().is_none() => {
            let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            format!("{} (HTTP {status})", one_line(&causes(e)))
        }
        SdkError::ServiceError(_) => {
            let code = e.code().unwrap_or("error");
            let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            match e.message() {
                Some(m) if !m.is_empty() => format!("{code} (HTTP {status}): {}", one_line(m)),
                _ => format!("{code} (HTTP {status})"),
            }
        }
        _ => one_line(&causes(e)),
    }
}

/// An error and its sources, joined by ": ", each said once (the SDK's layers often
/// repeat their source's message).
pub(crate) fn causes(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut next = e.source();
    while let Some(c) = next {
        let text = c.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = c.source();
    }
    parts.join(": ")
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() > 300 {
        let mut end = 300;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s
    }
}

fn classify<E>(e: &SdkError<E, HttpResponse>) -> GapKind
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match e {
        SdkError::TimeoutError(_) => return GapKind::Timeout,
        SdkError::DispatchFailure(d) if d.is_timeout() => return GapKind::Timeout,
        SdkError::DispatchFailure(_) => return GapKind::ServerError,
        SdkError::ResponseError(_) => return GapKind::Malformed,
        _ => {}
    }
    let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
    match e.code().unwrap_or("") {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" | "AuthorizationError"
        | "AuthorizationErrorException" | "Forbidden" | "UnauthorizedAccess" => GapKind::AccessDenied,
        "OptInRequired" => GapKind::RegionDisabled,
        // Bad credentials, clock skew, or a region not enabled: the message tells which.
        "AuthFailure" | "UnrecognizedClientException" | "InvalidClientTokenId" => GapKind::Other,
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" | "SlowDown" => {
            GapKind::Throttled
        }
        "InvalidAction" | "NotImplemented" | "UnknownOperationException" => GapKind::NotSupported,
        _ if status == 403 => GapKind::AccessDenied,
        _ if status == 501 => GapKind::NotSupported,
        _ if status >= 500 => GapKind::ServerError,
        _ => GapKind::Other,
    }
}

/// A progress bar on stderr when it is a terminal; silent otherwise.
#[derive(Clone)]
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    gaps: Arc<std::sync::atomic::AtomicUsize>,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        use std::io::IsTerminal;
        let bar = if enabled && std::io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new_spinner();
            b.set_style(
                indicatif::ProgressStyle::with_template("{spinner} collecting: {pos} calls {msg} [{elapsed}]")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        } else {
            indicatif::ProgressBar::hidden()
        };
        Progress { bar, gaps: Arc::default() }
    }
    fn tick(&self) {
        self.bar.inc(1);
    }
    fn gap(&self) {
        let n = self.gaps.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.bar.set_message(format!("({n} failed)"));
    }
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Builds a service client from the context's config with the read-only guard.
macro_rules! client {
    ($ctx:expr, $krate:ident) => {
        $krate::Client::from_conf($krate::config::Builder::from(&$ctx.sdk).interceptor(crate::guard::ReadOnlyGuard).build())
    };
}
pub(crate) use client;

/// S3 Control puts the account id in front of the host (`<account>.s3-control...`). Against a
/// custom endpoint (an emulator or proxy) that host does not resolve, so the endpoint is used
/// as given.
#[derive(Debug)]
struct PlainEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for PlainEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_smithy_runtime_api::client::endpoint::EndpointFuture<'a> {
        aws_smithy_runtime_api::client::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder().url(self.0.clone()).build(),
        ))
    }
}

pub(crate) fn s3control_client(ctx: &Ctx) -> aws_sdk_s3control::Client {
    let mut b = aws_sdk_s3control::config::Builder::from(&ctx.sdk).interceptor(ReadOnlyGuard);
    if let Some(url) = ctx.sdk.endpoint_url() {
        b = b.endpoint_resolver(PlainEndpoint(url.to_string()));
    }
    aws_sdk_s3control::Client::from_conf(b.build())
}

/// S3 Control for Multi-Region Access Points, whose control plane is in us-west-2 only: the
/// requests go there unless an endpoint is given.
pub(crate) fn s3control_mrap_client(ctx: &Ctx) -> aws_sdk_s3control::Client {
    let mut b = aws_sdk_s3control::config::Builder::from(&ctx.sdk).interceptor(ReadOnlyGuard);
    match ctx.sdk.endpoint_url() {
        Some(url) => b = b.endpoint_resolver(PlainEndpoint(url.to_string())),
        None => b = b.region(aws_sdk_s3control::config::Region::new("us-west-2")),
    }
    aws_sdk_s3control::Client::from_conf(b.build())
}

/// The S3 client always uses path-style addressing, which every S3-compatible endpoint accepts.
pub(crate) fn s3_client(ctx: &Ctx) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&ctx.sdk).force_path_style(true).interceptor(ReadOnlyGuard).build(),
    )
}
