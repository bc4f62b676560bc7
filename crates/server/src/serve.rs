//! The process: logging, the listener (plain or TLS), one HTTP/1.1 connection per task,
//! and a graceful stop — on SIGINT or SIGTERM no new connection is accepted, requests in
//! flight finish (for at most [`DRAIN`]), then the process exits.
//!
//! Slow or too many clients cannot hold the server: a request's headers must arrive within
//! 30 s and its body within [`body_timeout`] (`RAMPART_BODY_TIMEOUT` seconds, default 30;
//! later, the request fails with 408 and the connection closes); at most
//! [`max_connections`] connections are open at once (`RAMPART_MAX_CONNECTIONS`, default
//! 512) — one more is answered `503 Service Unavailable` with `Retry-After` and closed.

use crate::accounts::Accounts;
use crate::args::LogFormat;
use crate::state::{AppState, Shared};
use anyhow::{bail, Context};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use rampart_hub::PgMode;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long a stop waits for requests in flight.
pub const DRAIN: Duration = Duration::from_secs(30);

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.trim().parse::<u64>().ok()).filter(|n| *n > 0)
}

/// How long a request's body may take to arrive: `RAMPART_BODY_TIMEOUT` seconds (default 30).
pub fn body_timeout() -> Duration {
    Duration::from_secs(env_number("RAMPART_BODY_TIMEOUT").unwrap_or(30))
}

/// Connections open at once: `RAMPART_MAX_CONNECTIONS` (default 512).
pub fn max_connections() -> usize {
    env_number("RAMPART_MAX_CONNECTIONS").map_or(512, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// A request body that fails once its deadline passes before it has all arrived (a client
/// that sends its body slowly, or not at all, would otherwise hold its task forever).
struct TimedBody {
    inner: hyper::body::Incoming,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
    limit: Duration,
    /// Set when the deadline passed: the answer becomes 408 whatever the handler made of
    /// the error.
    timed_out: Arc<std::sync::atomic::AtomicBool>,
}

/// Why a body failed: too slow.
#[derive(Debug)]
pub struct BodyTimeout(Duration);

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body did not arrive within {} s", self.0.as_secs())
    }
}

impl std::error::Error for BodyTimeout {}

impl hyper::body::Body for TimedBody {
    type Data = bytes::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        if let Poll::Ready(frame) = std::pin::Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|r| r.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.timed_out.store(true, std::sync::atomic::Ordering::Relaxed);
                Poll::Ready(Some(Err(Box::new(BodyTimeout(self.limit)))))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Installs the process's log subscriber: `text` for a person, `json` (one object per line)
/// for a collector. `RAMPART_LOG` overrides the level, as for every command.
pub fn init_logging(format: LogFormat, verbose: u8) {
    let default = match verbose {
        0 => "info,tower=warn,hyper=warn",
        1 => "debug,hyper=info",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAMPART_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Text => builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init(),
    };
}

/// What to serve.
pub struct Options {
    pub listen: SocketAddr,
    /// The store: a SQLite file's path or a `postgres://` URL (`rampart_app::db::open`).
    pub db: PathBuf,
    /// Certificate chain and key (PEM) for HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Reads a PEM certificate chain and key into a TLS acceptor (TLS 1.2 and 1.3, HTTP/1.1).
pub fn tls_acceptor(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("cannot read certificate `{}`: check the path", cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("`{}` is not a PEM certificate chain", cert.display()))?;
    if certs.is_empty() {
        bail!("`{}` holds no certificate (expected PEM `-----BEGIN CERTIFICATE-----`)", cert.display());
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("cannot read a private key from `{}` (expected PEM: PKCS#8, PKCS#1 or SEC1)", key.display()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .with_context(|| format!("the key `{}` does not fit the certificate `{}`", key.display(), cert.display()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// A running server: its address; dropping it (or [`Running::stop`]) stops it gracefully.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Opens the store and binds the listener, then serves on a thread of its own until
/// stopped: for tests and embedding. `accounts` = where users are kept.
pub fn start(opts: &Options, accounts: Arc<dyn Accounts>) -> anyhow::Result<Running> {
    let (state, tls) = prepare(opts, accounts)?;
    crate::delivery::spawn_worker(opts.db.clone());
    let std_listener = std::net::TcpListener::bind(opts.listen).with_context(|| format!("cannot listen on {}", opts.listen))?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new().name("rampart-serve".into()).spawn(move || {
        // Declared before the runtime, so dropped after it: see `outlive_the_runtime`.
        let _state = outlive_the_runtime(&state);
        let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the async runtime");
                return;
            }
        };
        rt.block_on(async move {
            match TcpListener::from_std(std_listener) {
                Ok(listener) => {
                    serve(listener, state, tls, async {
                        let _ = rx.await;
                    })
                    .await
                }
                Err(e) => tracing::error!(error = %e, "cannot use the listener"),
            }
        });
    })?;
    Ok(Running { addr, stop: Some(tx), thread: Some(thread) })
}

/// [`start`], and the scheduler with this runner (`scheduler.rs`): for tests and embedding.
pub fn start_scheduled(opts: &Options, accounts: Arc<dyn Accounts>, runner: Arc<dyn rampart_app::schedule::Runner>) -> anyhow::Result<Running> {
    let running = start(opts, accounts)?;
    crate::scheduler::spawn_with(opts.db.clone(), runner);
    Ok(running)
}

fn prepare(opts: &Options, accounts: Arc<dyn Accounts>) -> anyhow::Result<(Shared, Option<TlsAcceptor>)> {
    let tls = match &opts.tls {
        Some((cert, key)) => Some(tls_acceptor(cert, key)?),
        None => None,
    };
    let store = rampart_app::db::open(&opts.db, PgMode::Create)
        .with_context(|| format!("cannot open the findings database `{}`", rampart_app::db::shown(&opts.db)))?;
    Ok((AppState::at(store, &opts.db, accounts, tls.is_some()), tls))
}

/// `rampart serve`: serves until SIGINT or SIGTERM.
pub fn run_blocking(opts: &Options, accounts: Arc<dyn Accounts>) -> anyhow::Result<()> {
    let (state, tls) = prepare(opts, accounts)?;
    crate::delivery::spawn_worker(opts.db.clone());
    // Declared before the runtime, so dropped after it: see `outlive_the_runtime`.
    let _state = outlive_the_runtime(&state);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    rt.block_on(async move {
        let listener = TcpListener::bind(opts.listen)
            .await
            .with_context(|| format!("cannot listen on {} (in use? pass --listen ADDR:PORT)", opts.listen))?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        tracing::info!(address = %listener.local_addr()?, db = %rampart_app::db::shown(&opts.db), "serving on {scheme}://{}", listener.local_addr()?);
        serve(listener, state, tls, stop_signal()).await;
        anyhow::Ok(())
    })
}

/// A reference to the state that the caller keeps until its runtime is gone, so that the
/// store's connections close outside any runtime: a PostgreSQL connection's client blocks
/// on a runtime of its own as it closes, which tokio refuses (a panic) inside another.
fn outlive_the_runtime(state: &Shared) -> Shared {
    Arc::clone(state)
}

/// SIGINT (Ctrl-C) or SIGTERM (a service manager's stop).
async fn stop_signal() {
    let int = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = int => tracing::info!("SIGINT: stopping"),
                    _ = term.recv() => tracing::info!("SIGTERM: stopping"),
                }
            }
            Err(_) => {
                let _ = int.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = int.await;
        tracing::info!("interrupted: stopping");
    }
}

/// Accepts connections until `stop` completes, then drains.
pub async fn serve(listener: TcpListener, state: Shared, tls: Option<TlsAcceptor>, stop: impl Future<Output = ()>) {
    let app: Router = crate::routes::router(state);
    let graceful = GracefulShutdown::new();
    let limit = body_timeout();
    let max = max_connections();
    let slots = Arc::new(tokio::sync::Semaphore::new(max));
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::warn!(%peer, max, "connection refused: too many open connections (RAMPART_MAX_CONNECTIONS)");
            if tls.is_none() {
                tokio::spawn(refuse(stream));
            }
            continue;
        };
        let app = app.clone();
        let tls = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _slot = slot; // held while the connection lives
            let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let timed_out = Arc::new(std::sync::atomic::AtomicBool::new(false));
                let flag = Arc::clone(&timed_out);
                let req = req.map(|inner| TimedBody { inner, deadline: Box::pin(tokio::time::sleep(limit)), limit, timed_out: flag });
                let answer = app.clone().oneshot(req);
                async move {
                    let res = answer.await?;
                    if !timed_out.load(std::sync::atomic::Ordering::Relaxed) {
                        return Ok(res);
                    }
                    tracing::info!(%peer, "request body too slow: 408");
                    let mut res = Response::new(axum::body::Body::from(format!("{}\n", BodyTimeout(limit))));
                    *res.status_mut() = axum::http::StatusCode::REQUEST_TIMEOUT;
                    res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
                    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
                    Ok::<_, std::convert::Infallible>(res)
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(30));
            let result = match tls {
                None => watcher.watch(builder.serve_connection(TokioIo::new(stream), svc)).await,
                Some(acceptor) => match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await {
                    Ok(Ok(s)) => watcher.watch(builder.serve_connection(TokioIo::new(s), svc)).await,
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake timed out");
                        return;
                    }
                },
            };
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("stopped accepting; waiting for requests in flight");
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight after {} s: closing them", DRAIN.as_secs());
    }
    tracing::info!("stopped");
}

/// The answer to a connection over the limit: 503, try again in a second, closed.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body = "too many open connections: try again shortly\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
}

/// Security headers on every answer, and one log line per request (method, path, status,
/// time; never the query string's values or a body).
pub async fn headers_and_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(%method, %path, status, ms = (ms * 10.0).round() / 10.0, "request");
    res
}
