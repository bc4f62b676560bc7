//! The agent's uploader: `POST <server>/api/v1/agents/telemetry` with the agent token,
//! over HTTPS (rustls; the system's roots, or the server's CA from `--ca-cert` for a
//! self-signed server). Plain `http://` only to a loopback address: the token is never
//! sent in clear over a network. The same client crates as `rampart vulndb update`
//! (hyper-util's client, hyper-rustls).

use super::{SendError, Uploader};
use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The upload route, under the server's URL.
pub const ROUTE: &str = "/api/v1/agents/telemetry";

/// How long one upload may take (connect, send, answer).
const TIMEOUT: Duration = Duration::from_secs(120);

/// The uploader of `rampart agent`.
pub struct Https {
    url: hyper::Uri,
    authorization: String,
    interval: u64,
    rt: tokio::runtime::Runtime,
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
}

/// Whether `host` (a URL's host: a name, an IPv4 address or a bracketed IPv6 one) is this
/// machine's loopback.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The upload URL of a server URL, checked: `https://`, or `http://` to loopback only.
pub fn upload_url(server: &str) -> Result<hyper::Uri> {
    let server = server.trim().trim_end_matches('/');
    let uri: hyper::Uri = format!("{server}{ROUTE}").parse().map_err(|e| anyhow!("--server `{server}` is not a URL: {e}"))?;
    let host = uri.host().unwrap_or("");
    match uri.scheme_str().map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("https") if !host.is_empty() => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => bail!(
            "refusing to send the agent token over plain http to `{host}`: use https:// (with --ca-cert FILE for a server with a self-signed certificate); plain http is only for a server on this machine's loopback"
        ),
        _ => bail!("--server `{server}` is not an https:// URL (for example https://rampart.example:8443)"),
    }
}

impl Https {
    /// An uploader to `server` with `token`; trusts `ca_cert` (PEM) instead of the
    /// system's roots when given. Says it reports every `interval`.
    pub fn new(server: &str, token: &str, ca_cert: Option<&Path>, interval: Duration) -> Result<Https> {
        let url = upload_url(server)?;
        let token = token.trim();
        if token.is_empty() || token.chars().any(|c| c.is_control() || c == ' ') {
            bail!("the agent token is empty or not one word: give the token `rampart agents token` printed");
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions().context("TLS setup")?;
        let config = match ca_cert {
            Some(path) => {
                use rustls_pki_types::pem::PemObject;
                let mut roots = rustls::RootCertStore::empty();
                let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
                    .with_context(|| format!("cannot read --ca-cert `{}`: check the path", path.display()))?;
                for cert in certs {
                    let cert = cert.map_err(|e| anyhow!("--ca-cert `{}` is not a PEM certificate: {e}", path.display()))?;
                    roots.add(cert).map_err(|e| anyhow!("--ca-cert `{}`: {e}", path.display()))?;
                }
                if roots.is_empty() {
                    bail!("--ca-cert `{}` holds no certificate (PEM `-----BEGIN CERTIFICATE-----`)", path.display());
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            None => {
                let mut roots = rustls::RootCertStore::empty();
                for cert in rustls_native_certs::load_native_certs().certs {
                    let _ = roots.add(cert);
                }
                if roots.is_empty() && url.scheme_str() == Some("https") {
                    bail!("no trusted root certificates on this machine: install ca-certificates, or give the server's CA with --ca-cert FILE");
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config).https_or_http().enable_http1().build();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
        Ok(Https {
            url,
            authorization: format!("Bearer {token}"),
            interval: interval.as_secs(),
            rt,
            client: Client::builder(TokioExecutor::new()).build(https),
        })
    }

    async fn post(&self, body: &[u8]) -> Result<(hyper::StatusCode, String), String> {
        let req = hyper::Request::post(self.url.clone())
            .header(hyper::header::AUTHORIZATION, &self.authorization)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::CONTENT_ENCODING, "gzip")
            .header(hyper::header::USER_AGENT, concat!("rampart-agent/", env!("CARGO_PKG_VERSION")))
            .header("x-rampart-agent-interval", self.interval.to_string())
            .body(Full::new(Bytes::copy_from_slice(body)))
            .map_err(|e| e.to_string())?;
        let resp = self.client.request(req).await.map_err(|e| error_chain(&e))?;
        let status = resp.status();
        let bytes = resp.into_body().collect().await.map_err(|e| error_chain(&e))?.to_bytes();
        let text: String = String::from_utf8_lossy(&bytes).chars().take(500).collect();
        // The API answers errors as {"error": "..."}; say its message.
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
            .unwrap_or(text);
        Ok((status, message))
    }
}

impl Uploader for Https {
    fn send(&self, body: &[u8]) -> Result<(), SendError> {
        let url = self.url.to_string();
        let answer = self.rt.block_on(async { tokio::time::timeout(TIMEOUT, self.post(body)).await });
        let (status, message) = match answer {
            Err(_) => return Err(SendError::Retry(format!("{url}: no answer within {} s", TIMEOUT.as_secs()))),
            Ok(Err(e)) => return Err(SendError::Retry(format!("{url}: {e}"))),
            Ok(Ok(a)) => a,
        };
        match status.as_u16() {
            200..=299 => Ok(()),
            401 | 403 => Err(SendError::Unauthorized(format!("{url}: HTTP {status}: {message}"))),
            408 | 429 | 500..=599 => Err(SendError::Retry(format!("{url}: HTTP {status}: {message}"))),
            _ => Err(SendError::Rejected(format!("{url}: HTTP {status}: {message}"))),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
