//! Events and their delivery: targets (a webhook, a Slack-compatible webhook, an SNS topic,
//! email), rules that route events to targets by an EventBridge pattern, Security Hub's
//! custom actions, and a transactional outbox.
//!
//! The store keeps patterns and events as JSON and does not interpret them: matching an
//! event against the rules' patterns is `rampart-events`' (pure); the caller passes the
//! targets an event goes to ([`Store::enqueue_event`]). An event is stored with one
//! pending delivery per target in one transaction, keyed by the event's id: enqueuing the
//! same event twice stores it once, and a crash between the decision and the delivery
//! loses nothing. A deliverer takes the due deliveries ([`Store::due_deliveries`]), sends
//! each with the event id as its idempotency key, and records success or failure; a
//! failure is retried at the time the deliverer chooses (backoff), or becomes a dead
//! letter ([`Store::dead_letters`]) — at least once, never silently dropped.

use crate::codec;
use crate::error::{sql, StoreError};
use crate::store::Store;
use rampart_model::Timestamp;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde_json::Value;

/// Security Hub's limit on custom actions per account and Region.
pub const MAX_CUSTOM_ACTIONS: usize = 50;

/// The kinds of target.
pub const TARGET_KINDS: &[&str] = &["webhook", "slack", "sns", "email"];

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventTarget {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub config: Value,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventRule {
    pub id: i64,
    pub name: String,
    pub pattern: Value,
    pub target: String,
    pub target_id: i64,
    pub enabled: bool,
}

/// A custom action (`custom-action/<n>`): people trigger it on findings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomAction {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// One delivery of one event to one target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delivery {
    pub event_id: String,
    pub target: EventTarget,
    pub body: Value,
    pub attempts: u32,
    pub state: String,
    pub last_error: Option<String>,
}

fn invalid(m: String) -> StoreError {
    StoreError::InvalidUpdate(m)
}

impl Store {
    /// Adds a target. `config` is the kind's settings (e.g. `{"url": ..., "secret": ...}`
    /// for a webhook); the caller checks them.
    pub fn create_event_target(&mut self, name: &str, kind: &str, config: &Value, now: Timestamp) -> Result<EventTarget, StoreError> {
        if name.trim().is_empty() || name.chars().count() > 128 {
            return Err(invalid("a target's name is 1 to 128 characters".into()));
        }
        if !TARGET_KINDS.contains(&kind) {
            return Err(invalid(format!("unknown target kind `{}`: use one of {}", crate::filter::shorten(kind), TARGET_KINDS.join(", "))));
        }
        let err = sql(&self.path);
        if self.lite()?.query_row("SELECT 1 FROM event_targets WHERE name = ?1", [name], |_| Ok(())).optional().map_err(&err)?.is_some() {
            return Err(invalid(format!("a target named `{}` exists: give another name", crate::filter::shorten(name))));
        }
        self.lite()?
            .execute(
                "INSERT INTO event_targets (name, kind, config, enabled, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
                params![name, kind, config.to_string(), codec::time_to_text(codec::truncate(now))],
            )
            .map_err(&err)?;
        self.event_target(name)
    }

    /// One target by name.
    pub fn event_target(&self, name: &str) -> Result<EventTarget, StoreError> {
        self.event_targets()?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| invalid(format!("no event target `{}`", crate::filter::shorten(name))))
    }

    pub fn event_targets(&self) -> Result<Vec<EventTarget>, StoreError> {
        let err = sql(&self.path);
        let bad = crate::store::corrupt(&self.path);
        let mut stmt = self.lite()?.prepare_cached("SELECT id, name, kind, config, enabled FROM event_targets ORDER BY id").map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, bool>(4)?)))
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, kind, config, enabled) = row.map_err(&err)?;
            let config = serde_json::from_str(&config).map_err(|_| bad(("event target config", config.clone())))?;
            out.push(EventTarget { id, name, kind, config, enabled });
        }
        Ok(out)
    }

    /// Adds a rule sending the events `pattern` matches to `target` (the caller has checked
    /// the pattern).
    pub fn create_event_rule(&mut self, name: &str, pattern: &Value, target: &str, now: Timestamp) -> Result<EventRule, StoreError> {
        if name.trim().is_empty() || name.chars().count() > 128 {
            return Err(invalid("a rule's name is 1 to 128 characters".into()));
        }
        let t = self.event_target(target)?;
        let err = sql(&self.path);
        if self.lite()?.query_row("SELECT 1 FROM event_rules WHERE name = ?1", [name], |_| Ok(())).optional().map_err(&err)?.is_some() {
            return Err(invalid(format!("an event rule named `{}` exists: give another name", crate::filter::shorten(name))));
        }
        self.lite()?
            .execute(
                "INSERT INTO event_rules (name, pattern, target_id, enabled, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
                params![name, pattern.to_string(), t.id, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(&err)?;
        self.event_rules()?.into_iter().find(|r| r.name == name).ok_or_else(|| invalid("the rule was not stored".into()))
    }

    /// Every rule with its target, oldest first.
    pub fn event_rules(&self) -> Result<Vec<EventRule>, StoreError> {
        let err = sql(&self.path);
        let bad = crate::store::corrupt(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached(
                "SELECT r.id, r.name, r.pattern, t.name, t.id, r.enabled AND t.enabled FROM event_rules r JOIN event_targets t ON t.id = r.target_id ORDER BY r.id",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?, r.get::<_, bool>(5)?))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, pattern, target, target_id, enabled) = row.map_err(&err)?;
            let pattern = serde_json::from_str(&pattern).map_err(|_| bad(("event rule pattern", pattern.clone())))?;
            out.push(EventRule { id, name, pattern, target, target_id, enabled });
        }
        Ok(out)
    }

    /// Adds a custom action; at most [`MAX_CUSTOM_ACTIONS`].
    pub fn create_custom_action(&mut self, name: &str, description: &str, now: Timestamp) -> Result<CustomAction, StoreError> {
        if name.trim().is_empty() || name.chars().count() > 20 {
            return Err(invalid("a custom action's name is 1 to 20 characters (Security Hub's limit)".into()));
        }
        if description.chars().count() > 510 {
            return Err(invalid("a custom action's description is at most 510 characters".into()));
        }
        let err = sql(&self.path);
        let n: i64 = self.lite()?.query_row("SELECT count(*) FROM custom_actions", [], |r| r.get(0)).map_err(&err)?;
        if n as usize >= MAX_CUSTOM_ACTIONS {
            return Err(invalid(format!("at most {MAX_CUSTOM_ACTIONS} custom actions: delete one first")));
        }
        if self.lite()?.query_row("SELECT 1 FROM custom_actions WHERE name = ?1", [name], |_| Ok(())).optional().map_err(&err)?.is_some() {
            return Err(invalid(format!("a custom action named `{}` exists: give another name", crate::filter::shorten(name))));
        }
        self.lite()?
            .execute(
                "INSERT INTO custom_actions (name, description, created_at) VALUES (?1, ?2, ?3)",
                params![name, description, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(&err)?;
        Ok(CustomAction { id: format!("custom-action/{}", self.lite()?.last_insert_rowid()), name: name.into(), description: description.into() })
    }

    pub fn custom_actions(&self) -> Result<Vec<CustomAction>, StoreError> {
        let err = sql(&self.path);
        let mut stmt = self.lite()?.prepare_cached("SELECT id, name, description FROM custom_actions ORDER BY id").map_err(&err)?;
        let rows = stmt
            .query_map([], |r| Ok(CustomAction { id: format!("custom-action/{}", r.get::<_, i64>(0)?), name: r.get(1)?, description: r.get(2)? }))
            .map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    /// One custom action by id (`custom-action/<n>`) or name.
    pub fn custom_action(&self, id_or_name: &str) -> Result<CustomAction, StoreError> {
        self.custom_actions()?
            .into_iter()
            .find(|a| a.id == id_or_name || a.name == id_or_name)
            .ok_or_else(|| invalid(format!("no custom action `{}`", crate::filter::shorten(id_or_name))))
    }

    /// Stores `body` (an event envelope with a unique `id`) with a pending delivery to each
    /// of `targets`, due at `now`, in one transaction. An event already stored is not stored
    /// again (returns false). No target: nothing is stored (an event no rule routes is
    /// dropped, as EventBridge drops it).
    pub fn enqueue_event(&mut self, body: &Value, targets: &[i64], now: Timestamp) -> Result<bool, StoreError> {
        let Some(id) = body.get("id").and_then(Value::as_str) else { return Err(invalid("an event needs an `id`".into())) };
        if targets.is_empty() {
            return Ok(false);
        }
        let detail_type = body.get("detail-type").and_then(Value::as_str).unwrap_or_default();
        let err = sql(&self.path);
        let t = codec::time_to_text(codec::truncate(now));
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        let added = tx
            .execute("INSERT OR IGNORE INTO events (id, detail_type, created_at, body) VALUES (?1, ?2, ?3, ?4)", params![id, detail_type, t, body.to_string()])
            .map_err(&err)?;
        if added == 1 {
            for target in targets {
                tx.execute(
                    "INSERT OR IGNORE INTO deliveries (event_id, target_id, state, attempts, next_attempt_at) VALUES (?1, ?2, 'pending', 0, ?3)",
                    params![id, target, t],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(added == 1)
    }

    fn deliveries_where(&self, cond: &str, values: &[&dyn rusqlite::ToSql]) -> Result<Vec<Delivery>, StoreError> {
        let err = sql(&self.path);
        let bad = crate::store::corrupt(&self.path);
        let targets = self.event_targets()?;
        let mut stmt = self
            .lite()?
            .prepare(&format!(
                "SELECT d.event_id, d.target_id, e.body, d.attempts, d.state, d.last_error FROM deliveries d JOIN events e ON e.id = d.event_id
                 WHERE {cond} ORDER BY d.next_attempt_at, d.event_id"
            ))
            .map_err(&err)?;
        let rows = stmt
            .query_map(values, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, u32>(3)?, r.get::<_, String>(4)?, r.get::<_, Option<String>>(5)?))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (event_id, target_id, body, attempts, state, last_error) = row.map_err(&err)?;
            let Some(target) = targets.iter().find(|t| t.id == target_id).cloned() else { continue };
            let body = serde_json::from_str(&body).map_err(|_| bad(("event body", body.clone())))?;
            out.push(Delivery { event_id, target, body, attempts, state, last_error });
        }
        Ok(out)
    }

    /// Pending deliveries due at `now` (oldest first), at most `limit`.
    pub fn due_deliveries(&self, now: Timestamp, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        let t = codec::time_to_text(codec::truncate(now));
        let mut d = self.deliveries_where("d.state = 'pending' AND d.next_attempt_at <= ?1", &[&t])?;
        d.truncate(limit);
        Ok(d)
    }

    /// Deliveries that will not be tried again.
    pub fn dead_letters(&self) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where("d.state = 'dead'", &[])
    }

    /// Records a delivery's success.
    pub fn delivery_succeeded(&mut self, event_id: &str, target_id: i64, now: Timestamp) -> Result<(), StoreError> {
        self.lite()?
            .execute(
                "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?3, last_error = NULL WHERE event_id = ?1 AND target_id = ?2",
                params![event_id, target_id, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }

    /// Records a failed attempt: tried again at `retry_at`, or a dead letter when `None`.
    pub fn delivery_failed(&mut self, event_id: &str, target_id: i64, error: &str, retry_at: Option<Timestamp>) -> Result<(), StoreError> {
        let (state, next) = match retry_at {
            Some(t) => ("pending", Some(codec::time_to_text(codec::truncate(t)))),
            None => ("dead", None),
        };
        self.lite()?
            .execute(
                "UPDATE deliveries SET state = ?3, attempts = attempts + 1, last_error = ?4, next_attempt_at = coalesce(?5, next_attempt_at)
                 WHERE event_id = ?1 AND target_id = ?2",
                params![event_id, target_id, state, error, next],
            )
            .map_err(sql(&self.path))?;
        Ok(())
    }
}

/// Removing and re-enabling (the server's console and API manage targets, rules, actions
/// and dead letters).
impl Store {
    /// Deletes a target by name, with its rules and its deliveries (dead letters included).
    pub fn delete_event_target(&mut self, name: &str) -> Result<(), StoreError> {
        let t = self.event_target(name)?;
        self.lite()?.execute("DELETE FROM event_targets WHERE id = ?1", [t.id]).map_err(sql(&self.path))?;
        Ok(())
    }

    /// Deletes a rule by name; events already in the outbox still go out.
    pub fn delete_event_rule(&mut self, name: &str) -> Result<(), StoreError> {
        let n = self.lite()?.execute("DELETE FROM event_rules WHERE name = ?1", [name]).map_err(sql(&self.path))?;
        if n == 0 {
            return Err(invalid(format!("no event rule `{}`", crate::filter::shorten(name))));
        }
        Ok(())
    }

    /// Turns a rule on or off.
    pub fn set_event_rule_enabled(&mut self, name: &str, enabled: bool) -> Result<(), StoreError> {
        let n = self.lite()?.execute("UPDATE event_rules SET enabled = ?2 WHERE name = ?1", params![name, enabled]).map_err(sql(&self.path))?;
        if n == 0 {
            return Err(invalid(format!("no event rule `{}`", crate::filter::shorten(name))));
        }
        Ok(())
    }

    /// Deletes a custom action by id or name; its id is never given again.
    pub fn delete_custom_action(&mut self, id_or_name: &str) -> Result<(), StoreError> {
        let a = self.custom_action(id_or_name)?;
        let n: i64 = a.id.trim_start_matches("custom-action/").parse().unwrap_or(-1);
        self.lite()?.execute("DELETE FROM custom_actions WHERE id = ?1", [n]).map_err(sql(&self.path))?;
        Ok(())
    }

    /// Makes dead letters pending again, due at `now`, with a fresh count of attempts: those
    /// of event `event_id` (to `target` only, when given). Returns how many.
    pub fn retry_dead_letters(&mut self, event_id: &str, target: Option<&str>, now: Timestamp) -> Result<usize, StoreError> {
        let target_id = match target {
            Some(name) => Some(self.event_target(name)?.id),
            None => None,
        };
        let n = self
            .lite()?
            .execute(
                "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?3
                 WHERE event_id = ?1 AND state = 'dead' AND (?2 IS NULL OR target_id = ?2)",
                params![event_id, target_id, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(sql(&self.path))?;
        if n == 0 {
            return Err(invalid(format!("no dead letter of event `{}`{}", crate::filter::shorten(event_id), target.map(|t| format!(" to `{}`", crate::filter::shorten(t))).unwrap_or_default())));
        }
        Ok(n)
    }
}
