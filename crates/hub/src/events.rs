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
use crate::error::StoreError;
use crate::sql::{vals, Sql};
use crate::store::Store;
use rampart_model::Timestamp;
use rusqlite::types::Value as SqlValue;
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

/// A unique name refused by the store (a concurrent writer's), as the message that says
/// what to do.
fn name_taken(e: StoreError, what: &str, name: &str) -> StoreError {
    if e.is_unique_violation() {
        name_taken_message(what, name)
    } else {
        e
    }
}

fn name_taken_message(what: &str, name: &str) -> StoreError {
    invalid(format!("{what} named `{}` exists: give another name", crate::filter::shorten(name)))
}

/// Whether `table` has a row named `name`. Asked before adding one rather than left to
/// the unique index: a refused insert would use up an id on PostgreSQL (its identity does
/// not roll back), not on SQLite, and ids are shown (`custom-action/<n>`).
fn named(db: &dyn Sql, table: &str, name: &str) -> Result<bool, StoreError> {
    Ok(db.query_opt(&format!("SELECT 1 FROM {table} WHERE name = ?"), &vals![name])?.is_some())
}

const DELIVERY_COLUMNS: &str = "d.event_id, d.target_id, e.body, d.attempts, d.state, d.last_error";

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
        if named(self.sql(), "event_targets", name)? {
            return Err(name_taken_message("a target", name));
        }
        self.sql()
            .execute(
                "INSERT INTO event_targets (name, kind, config, enabled, created_at) VALUES (?, ?, ?, 1, ?)",
                &vals![name, kind, config.to_string(), codec::time_to_text(codec::truncate(now))],
            )
            .map_err(|e| name_taken(e, "a target", name))?;
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
        let bad = crate::store::corrupt(&self.path);
        let rows = self.sql().query("SELECT id, name, kind, config, enabled FROM event_targets ORDER BY id", &[])?;
        rows.iter()
            .map(|r| {
                let config = r.text(3)?;
                let config = serde_json::from_str(&config).map_err(|_| bad(("event target config", config.clone())))?;
                Ok(EventTarget { id: r.int(0)?, name: r.text(1)?, kind: r.text(2)?, config, enabled: r.flag(4)? })
            })
            .collect()
    }

    /// Adds a rule sending the events `pattern` matches to `target` (the caller has checked
    /// the pattern).
    pub fn create_event_rule(&mut self, name: &str, pattern: &Value, target: &str, now: Timestamp) -> Result<EventRule, StoreError> {
        if name.trim().is_empty() || name.chars().count() > 128 {
            return Err(invalid("a rule's name is 1 to 128 characters".into()));
        }
        let t = self.event_target(target)?;
        if named(self.sql(), "event_rules", name)? {
            return Err(name_taken_message("an event rule", name));
        }
        self.sql()
            .execute(
                "INSERT INTO event_rules (name, pattern, target_id, enabled, created_at) VALUES (?, ?, ?, 1, ?)",
                &vals![name, pattern.to_string(), t.id, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(|e| name_taken(e, "an event rule", name))?;
        self.event_rules()?.into_iter().find(|r| r.name == name).ok_or_else(|| invalid("the rule was not stored".into()))
    }

    /// Every rule with its target, oldest first.
    pub fn event_rules(&self) -> Result<Vec<EventRule>, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let rows = self.sql().query(
            "SELECT r.id, r.name, r.pattern, t.name, t.id, CASE WHEN r.enabled = 1 AND t.enabled = 1 THEN 1 ELSE 0 END
             FROM event_rules r JOIN event_targets t ON t.id = r.target_id ORDER BY r.id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                let pattern = r.text(2)?;
                let pattern = serde_json::from_str(&pattern).map_err(|_| bad(("event rule pattern", pattern.clone())))?;
                Ok(EventRule { id: r.int(0)?, name: r.text(1)?, pattern, target: r.text(3)?, target_id: r.int(4)?, enabled: r.flag(5)? })
            })
            .collect()
    }

    /// Adds a custom action; at most [`MAX_CUSTOM_ACTIONS`].
    pub fn create_custom_action(&mut self, name: &str, description: &str, now: Timestamp) -> Result<CustomAction, StoreError> {
        if name.trim().is_empty() || name.chars().count() > 20 {
            return Err(invalid("a custom action's name is 1 to 20 characters (Security Hub's limit)".into()));
        }
        if description.chars().count() > 510 {
            return Err(invalid("a custom action's description is at most 510 characters".into()));
        }
        // Counted and added in one transaction: two writers cannot both add the 50th.
        let id = self.db.tx(|db| {
            let n = db.query_one("SELECT count(*) FROM custom_actions", &[])?.int(0)?;
            if n as usize >= MAX_CUSTOM_ACTIONS {
                return Err(invalid(format!("at most {MAX_CUSTOM_ACTIONS} custom actions: delete one first")));
            }
            if named(db, "custom_actions", name)? {
                return Err(name_taken_message("a custom action", name));
            }
            db.insert_id(
                "INSERT INTO custom_actions (name, description, created_at) VALUES (?, ?, ?) RETURNING id",
                &vals![name, description, codec::time_to_text(codec::truncate(now))],
            )
            .map_err(|e| name_taken(e, "a custom action", name))
        })?;
        Ok(CustomAction { id: format!("custom-action/{id}"), name: name.into(), description: description.into() })
    }

    pub fn custom_actions(&self) -> Result<Vec<CustomAction>, StoreError> {
        let rows = self.sql().query("SELECT id, name, description FROM custom_actions ORDER BY id", &[])?;
        rows.iter()
            .map(|r| Ok(CustomAction { id: format!("custom-action/{}", r.int(0)?), name: r.text(1)?, description: r.text(2)? }))
            .collect()
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
    /// again (returns false; on PostgreSQL a second writer of the same id waits for the
    /// first's transaction and then stores nothing). No target: nothing is stored (an event
    /// no rule routes is dropped, as EventBridge drops it).
    pub fn enqueue_event(&mut self, body: &Value, targets: &[i64], now: Timestamp) -> Result<bool, StoreError> {
        let Some(id) = body.get("id").and_then(Value::as_str) else { return Err(invalid("an event needs an `id`".into())) };
        if targets.is_empty() {
            return Ok(false);
        }
        let detail_type = body.get("detail-type").and_then(Value::as_str).unwrap_or_default();
        let t = codec::time_to_text(codec::truncate(now));
        self.db.tx(|db| {
            let added = db.execute(
                "INSERT INTO events (id, detail_type, created_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                &vals![id, detail_type, &t, body.to_string()],
            )?;
            if added == 1 {
                for target in targets {
                    db.execute(
                        "INSERT INTO deliveries (event_id, target_id, state, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)
                         ON CONFLICT (event_id, target_id) DO NOTHING",
                        &vals![id, *target, &t],
                    )?;
                }
            }
            Ok(added == 1)
        })
    }

    /// The deliveries `cond` selects (over `d`, the delivery, and `e`, its event), oldest
    /// due first, at most `limit`.
    fn deliveries_where(
        db: &dyn Sql,
        path: &std::path::Path,
        cond: &str,
        values: &[SqlValue],
        limit: Option<usize>,
    ) -> Result<Vec<Delivery>, StoreError> {
        let bad = crate::store::corrupt(path);
        let limit = limit.map(|n| format!(" LIMIT {}", n.min(i64::MAX as usize))).unwrap_or_default();
        let rows = db.query(
            &format!(
                "SELECT {DELIVERY_COLUMNS}, t.id, t.name, t.kind, t.config, t.enabled
                 FROM deliveries d JOIN events e ON e.id = d.event_id JOIN event_targets t ON t.id = d.target_id
                 WHERE {cond} ORDER BY d.next_attempt_at, d.event_id, d.target_id{limit}"
            ),
            values,
        )?;
        rows.iter()
            .map(|r| {
                let (body, config) = (r.text(2)?, r.text(9)?);
                let target = EventTarget {
                    id: r.int(6)?,
                    name: r.text(7)?,
                    kind: r.text(8)?,
                    config: serde_json::from_str(&config).map_err(|_| bad(("event target config", config.clone())))?,
                    enabled: r.flag(10)?,
                };
                Ok(Delivery {
                    event_id: r.text(0)?,
                    target,
                    body: serde_json::from_str(&body).map_err(|_| bad(("event body", body.clone())))?,
                    attempts: u32::try_from(r.int(3)?).unwrap_or(u32::MAX),
                    state: r.text(4)?,
                    last_error: r.opt_text(5)?,
                })
            })
            .collect()
    }

    /// Pending deliveries due at `now` (oldest first), at most `limit`; nothing is claimed
    /// (a deliverer takes them with [`Store::claim_due_deliveries`]).
    pub fn due_deliveries(&self, now: Timestamp, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        let t = codec::time_to_text(codec::truncate(now));
        Self::deliveries_where(self.sql(), &self.path, "d.state = 'pending' AND d.next_attempt_at <= ?", &vals![t], Some(limit))
    }

    /// Takes the pending deliveries due at `now` to enabled targets (oldest first, at most
    /// `limit`) for one deliverer: each is due again only at `until` (its lease), so no other
    /// deliverer polling meanwhile takes it; the deliverer records each outcome
    /// ([`Store::delivery_succeeded`], [`Store::delivery_failed`]), and one it never records
    /// (a crash) is taken again after `until`. In one transaction: on SQLite the single
    /// writer keeps two deliverers apart; on PostgreSQL the rows are locked and a concurrent
    /// claimer skips them (`FOR UPDATE SKIP LOCKED`).
    pub fn claim_due_deliveries(&mut self, now: Timestamp, until: Timestamp, limit: usize) -> Result<Vec<Delivery>, StoreError> {
        let (t, lease) = (codec::time_to_text(codec::truncate(now)), codec::time_to_text(codec::truncate(until)));
        let path = self.path.clone();
        self.db.tx(|db| {
            let keys = db.query(
                &format!(
                    "SELECT d.event_id, d.target_id FROM deliveries d
                     WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND d.target_id IN (SELECT id FROM event_targets WHERE enabled = 1)
                     ORDER BY d.next_attempt_at, d.event_id, d.target_id LIMIT {}{}",
                    limit.min(i64::MAX as usize),
                    db.dialect().skip_locked()
                ),
                &vals![&t],
            )?;
            let mut out = Vec::with_capacity(keys.len());
            for key in &keys {
                let (event_id, target_id) = (key.text(0)?, key.int(1)?);
                let cond = "d.event_id = ? AND d.target_id = ?";
                let mut one = Self::deliveries_where(db, &path, cond, &vals![&event_id, target_id], None)?;
                db.execute("UPDATE deliveries SET next_attempt_at = ? WHERE event_id = ? AND target_id = ?", &vals![&lease, &event_id, target_id])?;
                out.append(&mut one);
            }
            Ok(out)
        })
    }

    /// Deliveries that will not be tried again.
    pub fn dead_letters(&self) -> Result<Vec<Delivery>, StoreError> {
        Self::deliveries_where(self.sql(), &self.path, "d.state = 'dead'", &[], None)
    }

    /// Records a delivery's success; false if it was not pending (already recorded).
    pub fn delivery_succeeded(&mut self, event_id: &str, target_id: i64, now: Timestamp) -> Result<bool, StoreError> {
        let n = self.sql().execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL
             WHERE event_id = ? AND target_id = ? AND state = 'pending'",
            &vals![codec::time_to_text(codec::truncate(now)), event_id, target_id],
        )?;
        Ok(n == 1)
    }

    /// Records a failed attempt: tried again at `retry_at`, or a dead letter when `None`;
    /// false if it was not pending (already recorded).
    pub fn delivery_failed(
        &mut self,
        event_id: &str,
        target_id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<bool, StoreError> {
        let (state, next) = match retry_at {
            Some(t) => ("pending", Some(codec::time_to_text(codec::truncate(t)))),
            None => ("dead", None),
        };
        let n = self.sql().execute(
            "UPDATE deliveries SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at)
             WHERE event_id = ? AND target_id = ? AND state = 'pending'",
            &vals![state, error, next, event_id, target_id],
        )?;
        Ok(n == 1)
    }
}

/// Removing and re-enabling (the server's console and API manage targets, rules, actions
/// and dead letters).
impl Store {
    /// Deletes a target by name, with its rules and its deliveries (dead letters included).
    pub fn delete_event_target(&mut self, name: &str) -> Result<(), StoreError> {
        let t = self.event_target(name)?;
        self.sql().execute("DELETE FROM event_targets WHERE id = ?", &vals![t.id])?;
        Ok(())
    }

    /// Deletes a rule by name; events already in the outbox still go out.
    pub fn delete_event_rule(&mut self, name: &str) -> Result<(), StoreError> {
        let n = self.sql().execute("DELETE FROM event_rules WHERE name = ?", &vals![name])?;
        if n == 0 {
            return Err(invalid(format!("no event rule `{}`", crate::filter::shorten(name))));
        }
        Ok(())
    }

    /// Turns a rule on or off.
    pub fn set_event_rule_enabled(&mut self, name: &str, enabled: bool) -> Result<(), StoreError> {
        let n = self.sql().execute("UPDATE event_rules SET enabled = ? WHERE name = ?", &vals![enabled, name])?;
        if n == 0 {
            return Err(invalid(format!("no event rule `{}`", crate::filter::shorten(name))));
        }
        Ok(())
    }

    /// Deletes a custom action by id or name; its id is never given again.
    pub fn delete_custom_action(&mut self, id_or_name: &str) -> Result<(), StoreError> {
        let a = self.custom_action(id_or_name)?;
        let n: i64 = a.id.trim_start_matches("custom-action/").parse().unwrap_or(-1);
        self.sql().execute("DELETE FROM custom_actions WHERE id = ?", &vals![n])?;
        Ok(())
    }

    /// Makes dead letters pending again, due at `now`, with a fresh count of attempts: those
    /// of event `event_id` (to `target` only, when given). Returns how many.
    pub fn retry_dead_letters(&mut self, event_id: &str, target: Option<&str>, now: Timestamp) -> Result<usize, StoreError> {
        let target_id = match target {
            Some(name) => Some(self.event_target(name)?.id),
            None => None,
        };
        let n = self.sql().execute(
            "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?
             WHERE event_id = ? AND state = 'dead' AND (CAST(? AS BIGINT) IS NULL OR target_id = ?)",
            &vals![codec::time_to_text(codec::truncate(now)), event_id, target_id, target_id],
        )?;
        if n == 0 {
            return Err(invalid(format!(
                "no dead letter of event `{}`{}",
                crate::filter::shorten(event_id),
                target.map(|t| format!(" to `{}`", crate::filter::shorten(t))).unwrap_or_default()
            )));
        }
        Ok(n as usize)
    }
}
