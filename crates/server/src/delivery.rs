//! Delivery of the outbox's due events, by `rampart serve`'s worker (every
//! `RAMPART_DELIVERY_EVERY` seconds, default 30, and once at start) and by
//! `rampart events deliver`. One [`HttpSender`] sends to every kind of target:
//! - `webhook`: an HTTP POST of the event's JSON with its id as `Idempotency-Key` and,
//!   when the target has a secret, an HMAC-SHA256 signature header;
//! - `slack`: a Slack-compatible incoming-webhook body (`{"text": ..., "blocks": [...]}`,
//!   `rampart_app::notify::slack_body`);
//! - `sns`: SNS `Publish` of the event's JSON to the target's topic
//!   (`rampart_collect_aws::notify::sns_publish`, the one write Rampart makes), on this
//!   sender's runtime;
//! - `email`: one message through the target's SMTP server (lettre, rustls), subject and
//!   text from `rampart_app::notify`, the event id in its Message-ID.
//!
//! The schedule (retries with backoff, dead letters) is `rampart_app::events`'.

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

/// One pass over the outbox of the store `db` (a SQLite file's path or a `postgres://`
/// URL): what is due is sent.
pub fn pass(db: &std::path::Path) -> anyhow::Result<rampart_app::events::DeliveryPass> {
    let mut store = rampart_app::db::open(db, rampart_hub::PgMode::Existing)?;
    let sender = HttpSender::new()?;
    rampart_app::events::deliver_due(&mut store, &sender, rampart_app::now(), 1000)
}

/// How often the worker delivers: `RAMPART_DELIVERY_EVERY` seconds (default 30).
fn every() -> Duration {
    std::env::var("RAMPART_DELIVERY_EVERY")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(30), Duration::from_secs)
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

impl rampart_app::events::Sender for HttpSender {
    fn send(&self, target: &EventTarget, body: &Value, key: &str) -> Result<(), String> {
        match target.kind.as_str() {
            "webhook" | "slack" => self.post(target, body, key),
            "sns" => {
                let topic = rampart_app::notify::sns_topic(target)?;
                let kind = body["detail-type"].as_str().unwrap_or_default();
                let source = body["source"].as_str().unwrap_or_default();
                self.rt.block_on(rampart_collect_aws::notify::sns_publish(&topic, &body.to_string(), kind, source, key)).map(|_| ())
            }
            "email" => crate::delivery_email::send(target, body, key, TIMEOUT),
            other => Err(format!("{other} targets are not delivered by this build")),
        }
    }
}

impl HttpSender {
    /// A webhook's or a Slack-compatible webhook's POST.
    fn post(&self, target: &EventTarget, body: &Value, key: &str) -> Result<(), String> {
        let url = target.config["url"].as_str().ok_or("the target has no url")?;
        // Errors are kept in dead letters that viewers read: never the URL's path or query.
        let shown = rampart_app::notify::redact_url(url);
        let payload = match target.kind.as_str() {
            "slack" => rampart_app::notify::slack_body(body).to_string(),
            _ => body.to_string(),
        };
        let mut req = hyper::Request::post(url).header("content-type", "application/json").header("idempotency-key", key);
        if let Some(secret) = target.config["secret"].as_str() {
            let sig = rampart_events::hmac_sha256_hex(secret.as_bytes(), payload.as_bytes());
            req = req.header(rampart_events::SIGNATURE_HEADER, format!("sha256={sig}"));
        }
        let req = req.body(Full::new(Bytes::from(payload))).map_err(|e| format!("bad request to `{shown}`: {e}"))?;
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
                Ok(Err(e)) => Err(format!("{shown}: {e}")),
                Ok(Ok(r)) if r.status().is_success() => Ok(()),
                Ok(Ok(r)) => Err(format!("{shown}: HTTP {}", r.status())),
            }
        })
    }
}
