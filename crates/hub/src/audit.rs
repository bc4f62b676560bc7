//! The audit log: who changed what, when and from where. The server appends a row for
//! every state-changing request (its guard does, so no route can skip it), the CLI for
//! its state-changing commands. Rows are read newest first, paged by id, and pruned by
//! age ([`Store::prune_audit`]).

use crate::codec;
use crate::error::StoreError;
use crate::sql::vals;
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use rusqlite::types::Value as SqlValue;

/// The most rows one read returns.
pub const MAX_AUDIT_PAGE: usize = 500;

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Set by the store (0 when recording).
    pub id: i64,
    pub at: Timestamp,
    /// Who: the signed-in user, the name tried in a failed sign-in, `cli:<os user>` for the
    /// CLI, or empty for an anonymous caller.
    pub user: String,
    /// The user's role, empty when unknown.
    pub role: String,
    /// The HTTP method, or `CLI`.
    pub method: String,
    /// The route's pattern (`/api/v1/findings/{id}/workflow`, never the raw path) or the
    /// CLI command (`users add`).
    pub route: String,
    /// The ids acted on, where known (path parameters, a name).
    pub targets: Vec<String>,
    /// The outcome: the HTTP status (a CLI command: 200 done, 400 refused).
    pub status: u16,
    /// From where: the client's address, or `cli`.
    pub client: String,
    pub user_agent: String,
    /// How many requests this row stands for (1, or more when the server counted repeats of
    /// it in it: anonymous refusals from one address within a minute; see
    /// [`Store::audit_repeated`]).
    pub repeats: u32,
}

/// Which rows to read: all filters are ANDed; `before_id` pages (the rows older than the
/// last one shown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exactly this user.
    pub user: Option<String>,
    /// Routes that start with this text (`/api/v1/automation` = that area).
    pub route: Option<String>,
    /// At or after.
    pub since: Option<Timestamp>,
    /// Before.
    pub until: Option<Timestamp>,
    pub before_id: Option<i64>,
    /// At most this many rows (1 to [`MAX_AUDIT_PAGE`], or one more to tell whether a next page exists).
    pub limit: usize,
}

/// Longest text kept per field: a user agent or a tried name is the caller's to choose.
const MAX_FIELD: usize = 256;

fn clip(s: &str) -> String {
    if s.len() <= MAX_FIELD {
        return s.to_string();
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

impl Store {
    /// Appends a row (its `id` is ignored); returns the new row's id.
    pub fn record_audit(&mut self, e: &AuditEntry) -> Result<i64, StoreError> {
        let targets: Vec<String> = e.targets.iter().take(100).map(|t| clip(t)).collect();
        let targets = serde_json::to_string(&targets).unwrap_or_else(|_| "[]".into());
        self.sql().insert_id(
            r#"INSERT INTO audit_log (at, "user", role, method, route, targets, status, client, user_agent, repeats)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"#,
            &vals![
                codec::time_to_text(e.at),
                clip(&e.user),
                clip(&e.role),
                clip(&e.method),
                clip(&e.route),
                targets,
                e.status,
                clip(&e.client),
                clip(&e.user_agent),
                e.repeats.max(1)
            ],
        )
    }

    /// Counts `n` more requests in row `id` (repeats of what it recorded); `false` if there
    /// is no such row (pruned).
    pub fn audit_repeated(&mut self, id: i64, n: u32) -> Result<bool, StoreError> {
        let db = self.sql();
        let least = db.dialect().least("repeats + ?", "2147483647");
        let done = db.execute(&format!("UPDATE audit_log SET repeats = {least} WHERE id = ?"), &vals![n, id])?;
        Ok(done == 1)
    }

    /// The rows `filter` selects, newest first.
    pub fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let bad = corrupt(&self.path);
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(u) = &filter.user {
            clauses.push(r#""user" = ?"#);
            args.push(SqlValue::Text(u.clone()));
        }
        if let Some(r) = &filter.route {
            clauses.push("substr(route, 1, length(CAST(? AS TEXT))) = ?");
            args.push(SqlValue::Text(r.clone()));
            args.push(SqlValue::Text(r.clone()));
        }
        if let Some(t) = filter.since {
            clauses.push("at >= ?");
            args.push(SqlValue::Text(codec::time_to_text(t)));
        }
        if let Some(t) = filter.until {
            clauses.push("at < ?");
            args.push(SqlValue::Text(codec::time_to_text(t)));
        }
        if let Some(id) = filter.before_id {
            clauses.push("id < ?");
            args.push(SqlValue::Integer(id));
        }
        let where_clause = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let limit = filter.limit.clamp(1, MAX_AUDIT_PAGE + 1);
        let rows = self.sql().query(
            &format!(
                r#"SELECT id, at, "user", role, method, route, targets, status, client, user_agent, repeats FROM audit_log {where_clause} ORDER BY id DESC LIMIT {limit}"#
            ),
            &args,
        )?;
        rows.iter()
            .map(|row| {
                let targets = row.text(6)?;
                let status = row.int(7)?;
                Ok(AuditEntry {
                    id: row.int(0)?,
                    at: codec::time_from_text(&row.text(1)?).map_err(&bad)?,
                    user: row.text(2)?,
                    role: row.text(3)?,
                    method: row.text(4)?,
                    route: row.text(5)?,
                    targets: serde_json::from_str(&targets).map_err(|_| bad(("audit targets", targets.clone())))?,
                    status: u16::try_from(status).map_err(|_| bad(("audit status", status.to_string())))?,
                    client: row.text(8)?,
                    user_agent: row.text(9)?,
                    repeats: u32::try_from(row.int(10)?).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Forgets the rows from before `before`; returns how many.
    pub fn prune_audit(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        Ok(self.sql().execute("DELETE FROM audit_log WHERE at < ?", &vals![codec::time_to_text(before)])? as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(user: &str, route: &str, at: Timestamp) -> AuditEntry {
        AuditEntry {
            id: 0,
            at,
            user: user.into(),
            role: "admin".into(),
            method: "POST".into(),
            route: route.into(),
            targets: vec!["t-1".into()],
            status: 200,
            client: "127.0.0.1".into(),
            user_agent: "x".repeat(1000),
            repeats: 1,
        }
    }

    #[test]
    fn recorded_read_newest_first_filtered_paged_and_pruned() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = codec::truncate(Timestamp::now_utc()) - time::Duration::days(10);
        for i in 0..5 {
            let user = if i % 2 == 0 { "ana" } else { "bob" };
            let route = if i < 3 { "/api/v1/automation/rules" } else { "/findings/{id}/workflow" };
            s.record_audit(&entry(user, route, t0 + time::Duration::days(i))).unwrap();
        }
        let all = s.audit_entries(&AuditFilter { limit: 100, ..Default::default() }).unwrap();
        assert_eq!(all.len(), 5);
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        assert_eq!(all[0].user_agent.len(), MAX_FIELD, "clipped");
        assert_eq!(all[0].targets, ["t-1"]);
        let ana = s.audit_entries(&AuditFilter { user: Some("ana".into()), limit: 100, ..Default::default() }).unwrap();
        assert_eq!(ana.len(), 3);
        let rules = s.audit_entries(&AuditFilter { route: Some("/api/v1/automation".into()), limit: 100, ..Default::default() }).unwrap();
        assert_eq!(rules.len(), 3);
        let since = s
            .audit_entries(&AuditFilter {
                since: Some(t0 + time::Duration::days(1)),
                until: Some(t0 + time::Duration::days(3)),
                limit: 100,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(since.len(), 2);
        let page1 = s.audit_entries(&AuditFilter { limit: 2, ..Default::default() }).unwrap();
        let page2 = s.audit_entries(&AuditFilter { limit: 2, before_id: Some(page1[1].id), ..Default::default() }).unwrap();
        assert_eq!(page2[0].id, page1[1].id - 1);
        assert_eq!(s.prune_audit(t0 + time::Duration::days(2)).unwrap(), 2);
        assert_eq!(s.audit_entries(&AuditFilter { limit: 100, ..Default::default() }).unwrap().len(), 3);
    }

    #[test]
    fn a_row_counts_its_repeats() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.record_audit(&entry("", "/api/v1/agents/telemetry", Timestamp::now_utc())).unwrap();
        assert!(s.audit_repeated(id, 2).unwrap());
        assert!(s.audit_repeated(id, 1).unwrap());
        assert!(!s.audit_repeated(id + 1, 1).unwrap(), "no such row");
        let rows = s.audit_entries(&AuditFilter { limit: 10, ..Default::default() }).unwrap();
        assert_eq!(rows.iter().map(|r| r.repeats).collect::<Vec<_>>(), [4]);
    }
}
