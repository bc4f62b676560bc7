//! Events, routed and delivered: an event is matched against the rules' patterns and
//! stored in the outbox with a delivery per matching target ([`publish`]); custom actions
//! make events of up to 20 findings ([`trigger_custom_action`]); [`deliver_due`] sends what
//! is due through a [`Sender`] (the server's HTTP client; tests' loopback receivers), with
//! exponential backoff and a dead-letter list after [`MAX_ATTEMPTS`].

use anyhow::{bail, Result};
use rampart_events::{Event, Pattern};
use rampart_hub::{Delivery, EventTarget, Store};
use rampart_model::Timestamp;
use serde_json::{json, Value};

/// Security Hub's limit: a custom action is triggered on at most 20 findings.
pub const MAX_ACTION_FINDINGS: usize = 20;

/// Attempts before a delivery becomes a dead letter.
pub const MAX_ATTEMPTS: u32 = 6;

/// The wait before attempt `n + 1` after `n` failed attempts: 30 s, 1 min, 2 min, … capped at 1 h.
pub fn backoff(failed: u32) -> time::Duration {
    let secs = 30u64.saturating_mul(1u64 << failed.saturating_sub(1).min(20));
    time::Duration::seconds(secs.min(3600) as i64)
}

/// A new event id: unique (time and a counter of this process, plus randomness from the
/// std hasher's keys), usable as an idempotency key.
pub fn event_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let now = crate::now();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(N.fetch_add(1, Ordering::Relaxed));
    h.write_i128(now.unix_timestamp_nanos());
    h.write_u32(std::process::id());
    format!("{:016x}-{:08x}-{:016x}", now.unix_timestamp_nanos() as u64, std::process::id(), h.finish())
}

/// Stores `event` with a delivery to each target whose enabled rule's pattern matches it.
/// Returns how many targets it goes to (0: no rule matched; nothing is stored).
pub fn publish(store: &mut Store, event: &Event) -> Result<usize> {
    let body = event.to_json();
    let mut targets: Vec<i64> = Vec::new();
    for rule in store.event_rules()?.into_iter().filter(|r| r.enabled) {
        // Patterns are checked when a rule is made; one that no longer parses routes nothing.
        let Ok(pattern) = Pattern::parse(&rule.pattern) else { continue };
        if pattern.matches(&body) && !targets.contains(&rule.target_id) {
            targets.push(rule.target_id);
        }
    }
    store.enqueue_event(&body, &targets, event.time)?;
    Ok(targets.len())
}

/// Adds a rule sending the events `pattern` matches to `target`; the pattern is checked.
pub fn create_rule(store: &mut Store, name: &str, pattern: &Value, target: &str) -> Result<rampart_hub::EventRule> {
    Pattern::parse(pattern)?;
    Ok(store.create_event_rule(name, pattern, target, crate::now())?)
}

/// Adds a webhook or Slack-compatible target: an http(s) URL, and for a webhook an
/// optional secret that signs every body (HMAC-SHA256).
pub fn create_webhook(store: &mut Store, name: &str, kind: &str, url: &str, secret: Option<&str>) -> Result<EventTarget> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("a webhook's URL starts with http:// or https://");
    }
    if !matches!(kind, "webhook" | "slack") {
        bail!("`{kind}` is not a webhook kind: use webhook or slack");
    }
    let mut config = json!({ "url": url });
    if let Some(s) = secret {
        config["secret"] = Value::String(s.to_string());
    }
    Ok(store.create_event_target(name, kind, &config, crate::now())?)
}

/// Triggers custom action `action` (id or name) on `finding_ids` (1 to 20): one event of
/// Security Hub's "Findings - Custom Action" type carrying the action and the findings,
/// published to the rules that match it. Returns the event.
pub fn trigger_custom_action(store: &mut Store, action: &str, finding_ids: &[String], by: &str) -> Result<Event> {
    if finding_ids.is_empty() {
        bail!("select at least one finding");
    }
    if finding_ids.len() > MAX_ACTION_FINDINGS {
        bail!(
            "a custom action takes at most {MAX_ACTION_FINDINGS} findings (Security Hub's limit), not {}: select fewer and trigger it again",
            finding_ids.len()
        );
    }
    let action = store.custom_action(action)?;
    let mut findings = Vec::new();
    let (mut account, mut region) = (String::new(), String::new());
    for id in finding_ids {
        let f = store.finding(id)?;
        if account.is_empty() {
            account.clone_from(&f.resource.account);
            region.clone_from(&f.resource.region);
        }
        findings.push(serde_json::to_value(&f)?);
    }
    let event = Event {
        version: "0".into(),
        id: event_id(),
        detail_type: rampart_events::DETAIL_TYPE_CUSTOM_ACTION.into(),
        source: rampart_events::SOURCE.into(),
        account,
        time: crate::now(),
        region,
        resources: vec![action.id.clone()],
        detail: json!({
            "actionName": action.name,
            "actionDescription": action.description,
            "triggeredBy": by,
            "findings": findings,
        }),
    };
    publish(store, &event)?;
    Ok(event)
}

/// Sends one event's body to one target.
pub trait Sender {
    /// `Ok` once the target took it; `Err` with why not (retried later).
    fn send(&self, target: &EventTarget, body: &Value, idempotency_key: &str) -> Result<(), String>;
}

/// What one pass of [`deliver_due`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryPass {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
}

/// How many deliveries one deliverer takes at a time: each page is sent before the next is
/// taken, so its lease ([`CLAIM_LEASE`]) covers at most this many sends.
pub const CLAIM_PAGE: usize = 10;

/// How long a taken delivery is held for its deliverer before another may take it (the
/// deliverer died before recording the outcome): longer than a page of sends that each
/// time out (10 s each in the server's sender).
pub const CLAIM_LEASE: time::Duration = time::Duration::minutes(5);

/// Sends every delivery due at `now` (at most `limit`): success is recorded; a failure is
/// retried after [`backoff`], or becomes a dead letter after [`MAX_ATTEMPTS`]. Deliveries
/// are taken a page at a time ([`Store::claim_due_deliveries`]), so two servers delivering
/// from one store never both send the same one.
pub fn deliver_due(store: &mut Store, sender: &dyn Sender, now: Timestamp, limit: usize) -> Result<DeliveryPass> {
    let mut pass = DeliveryPass::default();
    let mut taken = 0;
    while taken < limit {
        let page: Vec<Delivery> = store.claim_due_deliveries(now, now + CLAIM_LEASE, CLAIM_PAGE.min(limit - taken))?;
        if page.is_empty() {
            break;
        }
        taken += page.len();
        for d in page {
            match sender.send(&d.target, &d.body, &d.event_id) {
                Ok(()) => {
                    store.delivery_succeeded(&d.event_id, d.target.id, crate::now())?;
                    pass.delivered += 1;
                }
                Err(why) if d.attempts + 1 >= MAX_ATTEMPTS => {
                    store.delivery_failed(&d.event_id, d.target.id, &why, None)?;
                    pass.dead += 1;
                }
                Err(why) => {
                    store.delivery_failed(&d.event_id, d.target.id, &why, Some(now + backoff(d.attempts + 1)))?;
                    pass.retried += 1;
                }
            }
        }
    }
    Ok(pass)
}

/// Publishes one Security Hub "Findings - Imported" event per finding of a run (what
/// Security Hub sends when a provider imports or updates findings). Nothing is built when
/// no rule exists. Returns how many events went to at least one target.
pub fn publish_findings(store: &mut Store, run: &rampart_model::RunInfo, findings: &[rampart_model::Finding]) -> Result<usize> {
    if !store.event_rules()?.iter().any(|r| r.enabled) {
        return Ok(0);
    }
    let mut routed = 0;
    for f in findings {
        let event = Event {
            version: "0".into(),
            id: event_id(),
            detail_type: rampart_events::DETAIL_TYPE_IMPORTED.into(),
            source: rampart_events::SOURCE.into(),
            account: f.resource.account.clone(),
            time: run.finished_at,
            region: f.resource.region.clone(),
            resources: vec![f.id.clone()],
            detail: json!({ "runId": run.id, "findings": [f] }),
        };
        if publish(store, &event)? > 0 {
            routed += 1;
        }
    }
    Ok(routed)
}

/// Security Hub's limit: a custom action on an insight's results takes at most 100 of them.
pub const MAX_ACTION_RESOURCES: usize = 100;

/// The detail type of a custom action triggered on an insight's results.
pub const DETAIL_TYPE_INSIGHT_RESULTS: &str = "Security Hub Insight Results";

/// Triggers custom action `action` (id or name) on up to 100 results of insight `insight`
/// (its group values, e.g. resource identifiers): one event of Security Hub's "Insight
/// Results" type carrying the action, the insight, the group-by attribute and each chosen
/// value with its current count, published to the rules that match it. A value that is not
/// among the insight's current results is refused. Returns the event.
pub fn trigger_custom_action_on_insight(store: &mut Store, action: &str, insight: &str, values: &[String], by: &str) -> Result<Event> {
    if values.is_empty() {
        bail!("select at least one result of the insight");
    }
    if values.len() > MAX_ACTION_RESOURCES {
        bail!(
            "a custom action takes at most {MAX_ACTION_RESOURCES} insight results (Security Hub's limit), not {}: select fewer and trigger it again",
            values.len()
        );
    }
    let action = store.custom_action(action)?;
    let (insight, results) = crate::insights::results(store, insight)?;
    let mut chosen = Vec::new();
    for v in values {
        let Some(r) = results.iter().find(|r| &r.value == v) else {
            bail!(
                "`{}` is not a current result of insight {} ({}): reload the insight and choose again",
                crate::shown(v),
                insight.id,
                insight.group_by
            );
        };
        if !chosen.iter().any(|c: &Value| c.get(v).is_some()) {
            chosen.push(json!({ v.clone(): r.count }));
        }
    }
    let event = Event {
        version: "0".into(),
        id: event_id(),
        detail_type: DETAIL_TYPE_INSIGHT_RESULTS.into(),
        source: rampart_events::SOURCE.into(),
        account: String::new(),
        time: crate::now(),
        region: String::new(),
        resources: vec![action.id.clone()],
        detail: json!({
            "actionName": action.name,
            "actionDescription": action.description,
            "insightArn": insight.id,
            "insightName": insight.name,
            "resultType": insight.group_by,
            "number of results": chosen.len(),
            "insightResults": chosen,
            "triggeredBy": by,
        }),
    };
    publish(store, &event)?;
    Ok(event)
}
