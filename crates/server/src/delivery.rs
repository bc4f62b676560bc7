//! Delivery of the outbox's due events over HTTP, by `rampart serve`'s worker (every
//! `RAMPART_DELIVERY_EVERY` seconds, default 30, and once at start) and by
//! `rampart events deliver`: a webhook gets
//! the event's JSON with its id as `Idempotency-Key` and, when the target has a secret, an
//! HMAC-SHA256 signature header; a Slack-compatible webhook gets `{"text": ...}`. The
//! schedule (retries with backoff, dead letters) is `rampart_app::events`'.

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rampart_hub::EventTarget;
use serde_json::Value;
use std::time::Duration;

/// How long one delivery may take.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct HttpSender {
    rt: tokio::runtime::Runtime,
}

impl HttpSender {
    pub fn new() -> anyhow::Result<Self> {
        Ok(HttpSender { rt: tokio::runtime::Builder::new_current_thread().enable_all().build()? })
    }
}

/// One pass over the outbox of the database at `db`: what is due is sent.
pub fn pass(db: &std::path::Path) -> anyhow::Result<rampart_app::events::DeliveryPass> {
    let mut store = rampart_hub::Store::open_existing(db)?;
    let sender = HttpSender::new()?;
    rampart_app::events::deliver_due(&mut store, &sender, rampart_app::now(), 1000)
}

/// How often the worker delivers: `RAMPART_DELIVERY_EVERY` seconds (default 30).
fn every() -> Duration {
    std::env::var("RAMPART_DELIVERY_EVERY").ok().and_then(|s| s.parse::<u64>().ok()).filter(|s| *s > 0).map_or(Duration::from_secs(30), Duration::from_secs)
}

/// Starts the delivery worker: a thread of its own that delivers at once (what a stopped
/// or killed server left due goes out at start) and then every [`every`]. It lives as
/// long as the process; a pass that fails is logged and tried again next time.
pub fn spawn_worker(db: std::path::PathBuf) {
    let every = every();
    let started = std::thread::Builder::new().name("rampart-deliver".into()).spawn(move || loop {
        match pass(&db) {
            Ok(p) if p.delivered + p.retried + p.dead > 0 => {
                tracing::info!(delivered = p.delivered, retried = p.retried, dead = p.dead, "event deliveries")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "event delivery pass failed"),
        }
        std::thread::sleep(every);
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the event delivery worker");
    }
}

/// A Slack-compatible message for an event: one line naming it.
fn slack_text(body: &Value) -> String {
    let kind = body["detail-type"].as_str().unwrap_or("event");
    let n = body["detail"]["findings"].as_array().map_or(0, Vec::len);
    match body["detail"]["actionName"].as_str() {
        Some(action) => format!("Rampart: custom action \"{action}\" on {n} finding(s) (event {})", body["id"].as_str().unwrap_or("")),
        None => format!("Rampart: {kind}, {n} finding(s) (event {})", body["id"].as_str().unwrap_or("")),
    }
}

impl rampart_app::events::Sender for HttpSender {
    fn send(&self, target: &EventTarget, body: &Value, key: &str) -> Result<(), String> {
        let url = target.config["url"].as_str().ok_or("the target has no url")?;
        let payload = match target.kind.as_str() {
            "slack" => serde_json::json!({ "text": slack_text(body) }).to_string(),
            "webhook" => body.to_string(),
            other => return Err(format!("{other} targets are not delivered by this build")),
        };
        let mut req = hyper::Request::post(url).header("content-type", "application/json").header("idempotency-key", key);
        if let Some(secret) = target.config["secret"].as_str() {
            let sig = rampart_events::hmac_sha256_hex(secret.as_bytes(), payload.as_bytes());
            req = req.header(rampart_events::SIGNATURE_HEADER, format!("sha256={sig}"));
        }
        let req = req.body(Full::new(Bytes::from(payload))).map_err(|e| format!("bad request to `{url}`: {e}"))?;
        self.rt.block_on(async {
            let resp = if url.starts_with("https://") {
                let https = hyper_rustls::HttpsConnectorBuilder::new()
                    .with_native_roots()
                    .map_err(|e| format!("no trusted root certificates: {e}"))?
                    .https_only()
                    .enable_http1()
                    .build();
                tokio::time::timeout(TIMEOUT, Client::builder(TokioExecutor::new()).build(https).request(req)).await
            } else {
                tokio::time::timeout(TIMEOUT, Client::builder(TokioExecutor::new()).build_http().request(req)).await
            };
            match resp {
                Err(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
                Ok(Err(e)) => Err(format!("{url}: {e}")),
                Ok(Ok(r)) if r.status().is_success() => Ok(()),
                Ok(Ok(r)) => Err(format!("{url}: HTTP {}", r.status())),
            }
        })
    }
}
