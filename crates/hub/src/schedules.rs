//! Schedules of `rampart serve` (one per scope: the organisation, an account, an account's
//! region) and their runs' claims; and retention: pruning old runs, per-run results and
//! events without losing any finding's history.
//!
//! A run of a scope is *claimed* before it starts, in one `UPDATE` that succeeds only when
//! no live claim holds the schedule and its last finished start is still the one the
//! claimer saw: two servers on one database, or one server's two passes, never start the
//! same scope twice. The claim has a lease the running server renews; a server that died
//! mid-run frees the scope when its lease runs out. When and what to start is decided by
//! `rampart_app::schedule`, not here.

use crate::codec;
use crate::error::StoreError;
use crate::sql::vals;
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use rusqlite::types::Value as SqlValue;

/// What a schedule scans.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ScheduleScope {
    /// Every account of the organisation.
    Org,
    /// One account, every region enabled for it.
    Account { account: String },
    /// One region of one account.
    Region { account: String, region: String },
    /// A CloudTrail trail's bucket, polled for new log files (change-triggered checks):
    /// the bucket and the trail's key prefix (the part before `AWSLogs/`), if any.
    Trail { bucket: String, prefix: Option<String> },
}

impl ScheduleScope {
    /// The key the store keeps it by (unique: one schedule per scope): `org`,
    /// `account/<id>`, `region/<id>/<region>`, `trail/<bucket>[/<prefix>]`.
    pub fn key(&self) -> String {
        match self {
            ScheduleScope::Org => "org".to_string(),
            ScheduleScope::Account { account } => format!("account/{account}"),
            ScheduleScope::Region { account, region } => format!("region/{account}/{region}"),
            ScheduleScope::Trail { bucket, prefix: None } => format!("trail/{bucket}"),
            ScheduleScope::Trail { bucket, prefix: Some(p) } => format!("trail/{bucket}/{p}"),
        }
    }

    /// The scope of a key written by [`ScheduleScope::key`].
    pub fn from_key(key: &str) -> Option<ScheduleScope> {
        if let Some(rest) = key.strip_prefix("trail/") {
            // A bucket name has no `/`; the prefix may have several.
            let (bucket, prefix) = match rest.split_once('/') {
                Some((b, p)) => (b, Some(p.to_string()).filter(|p| !p.is_empty())),
                None => (rest, None),
            };
            return (!bucket.is_empty()).then(|| ScheduleScope::Trail { bucket: bucket.to_string(), prefix });
        }
        let mut parts = key.split('/');
        let scope = match (parts.next()?, parts.next(), parts.next()) {
            ("org", None, None) => ScheduleScope::Org,
            ("account", Some(a), None) if !a.is_empty() => ScheduleScope::Account { account: a.to_string() },
            ("region", Some(a), Some(r)) if !a.is_empty() && !r.is_empty() => {
                ScheduleScope::Region { account: a.to_string(), region: r.to_string() }
            }
            _ => return None,
        };
        parts.next().is_none().then_some(scope)
    }

    /// The account, when the scope is one account or one of its regions.
    pub fn account(&self) -> Option<&str> {
        match self {
            ScheduleScope::Org | ScheduleScope::Trail { .. } => None,
            ScheduleScope::Account { account } | ScheduleScope::Region { account, .. } => Some(account),
        }
    }

    /// Whether it polls a trail (change-triggered checks) rather than scanning.
    pub fn is_trail(&self) -> bool {
        matches!(self, ScheduleScope::Trail { .. })
    }
}

impl std::fmt::Display for ScheduleScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScheduleScope::Org => write!(f, "organisation"),
            ScheduleScope::Account { account } => write!(f, "account {account}"),
            ScheduleScope::Region { account, region } => write!(f, "account {account}, region {region}"),
            ScheduleScope::Trail { bucket, prefix: None } => write!(f, "trail s3://{bucket}"),
            ScheduleScope::Trail { bucket, prefix: Some(p) } => write!(f, "trail s3://{bucket}/{p}"),
        }
    }
}

/// A schedule's settings beside its scope: the role an organisation's scan assumes in each
/// member account (with its external id).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScheduleSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl ScheduleSettings {
    fn is_empty(&self) -> bool {
        self == &ScheduleSettings::default()
    }
}

/// What the last poll of a trail schedule did (change-triggered checks), as kept with the
/// schedule: counts, and the first few reasons a file or a changed resource was not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PollStatus {
    /// Log files read (or tried) by the poll.
    pub files: u64,
    pub events: u64,
    /// Events that changed a resource Rampart reads again.
    pub changes: u64,
    /// Reads, failed calls, data events.
    pub ignored: u64,
    /// Writes not mapped to a resource (the next scan covers them).
    pub unmapped: u64,
    /// Records that could not be read as events (skipped).
    pub malformed: u64,
    /// Files that could not be read, and changed resources that could not be read again.
    pub errors: u64,
    /// The first reasons of `errors`, in words.
    #[serde(default)]
    pub error_messages: Vec<String>,
    /// Resources read again, and those found gone.
    pub refreshed: u64,
    pub deleted: u64,
    /// Checks re-run.
    pub checks: u64,
    /// Findings created, updated (of which resolved / reopened) and archived.
    pub created: u64,
    pub updated: u64,
    pub resolved: u64,
    pub reopened: u64,
    pub archived: u64,
    /// The poll in one line, as `rampart watch cloudtrail` prints it.
    pub summary: String,
}

/// A server's claim on a schedule's run: it is running now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScheduleClaim {
    /// The server (process) running it.
    pub by: String,
    /// When the run started.
    pub at: Timestamp,
    /// Until when the claim holds unless renewed.
    pub lease_until: Timestamp,
}

/// One schedule, with its last run's outcome and the claim of the run in progress.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Schedule {
    pub id: i64,
    pub scope: ScheduleScope,
    /// Seconds between the starts of two runs.
    pub interval_secs: i64,
    pub paused: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Someone asked to run it now: due at once (cleared when a run is claimed).
    pub run_requested_at: Option<Timestamp>,
    /// The start and end of the last run that finished.
    pub last_started_at: Option<Timestamp>,
    pub last_finished_at: Option<Timestamp>,
    /// Why the last run failed; `None` when it succeeded or none ran.
    pub last_error: Option<String>,
    /// The findings run the last run recorded.
    pub last_run_id: Option<String>,
    /// The claim of a run in progress (which may have expired: see [`Schedule::running_at`]).
    pub claim: Option<ScheduleClaim>,
    /// The scope's settings (an organisation's member role).
    pub settings: ScheduleSettings,
    /// A trail schedule's last poll, when it finished one.
    pub last_poll: Option<PollStatus>,
}

impl Schedule {
    /// The claim, if it still holds at `now`.
    pub fn running_at(&self, now: Timestamp) -> Option<&ScheduleClaim> {
        self.claim.as_ref().filter(|c| c.lease_until >= now)
    }
}

const COLUMNS: &str = "id, scope, interval_secs, paused, created_at, updated_at, run_requested_at, last_started_at, \
                       last_finished_at, last_error, last_run_id, claimed_by, claimed_at, lease_until, settings, last_poll";

fn opt_time(t: Option<Timestamp>) -> Option<String> {
    t.map(codec::time_to_text)
}

/// [`Store::prune_results`]'s statement: each finding's latest result is found through
/// `run_results_finding_observed` (findings migration 13), one index seek per row.
pub(crate) const PRUNE_RESULTS: &str = "DELETE FROM run_results WHERE observed_at < ?
   AND observed_at < (SELECT max(r.observed_at) FROM run_results r WHERE r.finding_id = run_results.finding_id)";

impl Store {
    fn schedule_rows(&self, where_clause: &str, args: &[SqlValue]) -> Result<Vec<Schedule>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query(&format!("SELECT {COLUMNS} FROM schedules {where_clause} ORDER BY scope"), args)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let time = |i: usize| -> Result<Option<Timestamp>, StoreError> {
                row.opt_text(i)?.map(|t| codec::time_from_text(&t).map_err(&bad)).transpose()
            };
            let key = row.text(1)?;
            let scope = ScheduleScope::from_key(&key).ok_or_else(|| bad(("schedule scope", key.clone())))?;
            let claim = match (row.opt_text(11)?, time(12)?, time(13)?) {
                (Some(by), Some(at), Some(lease_until)) => Some(ScheduleClaim { by, at, lease_until }),
                _ => None,
            };
            out.push(Schedule {
                id: row.int(0)?,
                scope,
                interval_secs: row.int(2)?,
                paused: row.flag(3)?,
                created_at: time(4)?.ok_or_else(|| bad(("schedule created_at", String::new())))?,
                updated_at: time(5)?.ok_or_else(|| bad(("schedule updated_at", String::new())))?,
                run_requested_at: time(6)?,
                last_started_at: time(7)?,
                last_finished_at: time(8)?,
                last_error: row.opt_text(9)?,
                last_run_id: row.opt_text(10)?,
                claim,
                settings: match row.opt_text(14)? {
                    None => ScheduleSettings::default(),
                    Some(j) => serde_json::from_str(&j).map_err(|e| bad(("schedule settings", e.to_string())))?,
                },
                last_poll: row
                    .opt_text(15)?
                    .map(|j| serde_json::from_str(&j).map_err(|e| bad(("schedule last_poll", e.to_string()))))
                    .transpose()?,
            });
        }
        Ok(out)
    }

    /// Every schedule, by scope key.
    pub fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        self.schedule_rows("", &[])
    }

    /// One schedule; `None` when there is none with that id.
    pub fn schedule(&self, id: i64) -> Result<Option<Schedule>, StoreError> {
        Ok(self.schedule_rows("WHERE id = ?", &vals![id])?.pop())
    }

    /// Adds a schedule; a scope that has one already is refused (one schedule per scope).
    pub fn create_schedule(
        &mut self,
        scope: &ScheduleScope,
        interval_secs: i64,
        paused: bool,
        now: Timestamp,
    ) -> Result<Schedule, StoreError> {
        let key = scope.key();
        let taken = |id: i64| StoreError::InvalidUpdate(format!("the {scope} has a schedule already (id {id}): edit that one"));
        if let Some(row) = self.sql().query_opt("SELECT id FROM schedules WHERE scope = ?", &vals![&key])? {
            return Err(taken(row.int(0)?));
        }
        let now = codec::time_to_text(now);
        let id = match self.sql().insert_id(
            "INSERT INTO schedules (scope, interval_secs, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            &vals![&key, interval_secs, paused, &now, &now],
        ) {
            Ok(id) => id,
            // Another server added it between the two statements.
            Err(e) if e.is_unique_violation() => {
                let row = self.sql().query_one("SELECT id FROM schedules WHERE scope = ?", &vals![&key])?;
                return Err(taken(row.int(0)?));
            }
            Err(e) => return Err(e),
        };
        self.schedule(id)?.ok_or_else(|| StoreError::InvalidUpdate(format!("schedule {id} vanished")))
    }

    /// Changes a schedule's interval and whether it is paused; `None` when there is none
    /// with that id. A run in progress goes on.
    pub fn update_schedule(&mut self, id: i64, interval_secs: i64, paused: bool, now: Timestamp) -> Result<Option<Schedule>, StoreError> {
        let n = self.sql().execute(
            "UPDATE schedules SET interval_secs = ?, paused = ?, updated_at = ? WHERE id = ?",
            &vals![interval_secs, paused, codec::time_to_text(now), id],
        )?;
        if n == 0 {
            return Ok(None);
        }
        self.schedule(id)
    }

    /// Sets a schedule's settings; `None` when there is none with that id.
    pub fn set_schedule_settings(&mut self, id: i64, settings: &ScheduleSettings, now: Timestamp) -> Result<Option<Schedule>, StoreError> {
        let json = if settings.is_empty() {
            None
        } else {
            Some(serde_json::to_string(settings).map_err(|e| StoreError::InvalidUpdate(e.to_string()))?)
        };
        let n = self
            .sql()
            .execute("UPDATE schedules SET settings = ?, updated_at = ? WHERE id = ?", &vals![json, codec::time_to_text(now), id])?;
        if n == 0 {
            return Ok(None);
        }
        self.schedule(id)
    }

    /// Deletes a schedule; whether there was one. A run in progress finishes unrecorded.
    pub fn delete_schedule(&mut self, id: i64) -> Result<bool, StoreError> {
        Ok(self.sql().execute("DELETE FROM schedules WHERE id = ?", &vals![id])? > 0)
    }

    /// Asks for a run of the schedule as soon as none is running (paused or not); whether
    /// there is such a schedule.
    pub fn request_schedule_run(&mut self, id: i64, now: Timestamp) -> Result<bool, StoreError> {
        let n = self.sql().execute(
            "UPDATE schedules SET run_requested_at = coalesce(run_requested_at, ?) WHERE id = ?",
            &vals![codec::time_to_text(now), id],
        )?;
        Ok(n > 0)
    }

    /// Claims a run of the schedule for `by`, until `lease_until`: succeeds only when no
    /// claim holds at `now` and the last finished start is still `seen_last_started` (what
    /// the caller decided on). Clears a "run now" request. Whether the claim is `by`'s.
    ///
    /// One `UPDATE` whose condition is the claim's: on SQLite the write lock orders two
    /// claimers; on PostgreSQL the second waits for the first's row lock and then tests the
    /// condition again on the row the first left, so it fails.
    pub fn claim_schedule(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
        lease_until: Timestamp,
        seen_last_started: Option<Timestamp>,
    ) -> Result<bool, StoreError> {
        let now = codec::time_to_text(now);
        let n = self.sql().execute(
            "UPDATE schedules SET claimed_by = ?, claimed_at = ?, lease_until = ?, run_requested_at = NULL
             WHERE id = ? AND (claimed_by IS NULL OR lease_until < ?) AND last_started_at IS NOT DISTINCT FROM CAST(? AS TEXT)",
            &vals![by, &now, codec::time_to_text(lease_until), id, &now, opt_time(seen_last_started)],
        )?;
        Ok(n == 1)
    }

    /// Extends `by`'s claims on these schedules to `lease_until`; how many it still holds.
    pub fn renew_schedule_claims(&mut self, ids: &[i64], by: &str, lease_until: Timestamp) -> Result<usize, StoreError> {
        let until = codec::time_to_text(lease_until);
        let mut held = 0;
        for id in ids {
            held += self.sql().execute("UPDATE schedules SET lease_until = ? WHERE id = ? AND claimed_by = ?", &vals![&until, *id, by])?;
        }
        Ok(held as usize)
    }

    /// Records the end of `by`'s run of the schedule (its start is the claim's) and frees
    /// the scope: the error, or the findings run it recorded. Whether `by` still held the
    /// claim (a deleted schedule, or a claim lost after its lease ran out, records nothing).
    pub fn finish_schedule_run(
        &mut self,
        id: i64,
        by: &str,
        finished: Timestamp,
        error: Option<&str>,
        run_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.finish_schedule_poll(id, by, finished, error, run_id, None)
    }

    /// [`Store::finish_schedule_run`], with what a trail schedule's poll did (kept until
    /// the next poll that finishes; a poll that failed as a whole keeps the last one's).
    pub fn finish_schedule_poll(
        &mut self,
        id: i64,
        by: &str,
        finished: Timestamp,
        error: Option<&str>,
        run_id: Option<&str>,
        poll: Option<&PollStatus>,
    ) -> Result<bool, StoreError> {
        let poll = poll.map(serde_json::to_string).transpose().map_err(|e| StoreError::InvalidUpdate(e.to_string()))?;
        let n = self.sql().execute(
            "UPDATE schedules SET last_started_at = claimed_at, last_finished_at = ?, last_error = ?, last_run_id = ?,
                    last_poll = coalesce(CAST(? AS TEXT), last_poll), claimed_by = NULL, claimed_at = NULL, lease_until = NULL
             WHERE id = ? AND claimed_by = ?",
            &vals![codec::time_to_text(finished), error, run_id, poll, id, by],
        )?;
        Ok(n == 1)
    }

    /// Forgets per-run results observed before `before`, except each finding's latest
    /// result (what its last run said stays readable); returns how many.
    pub fn prune_results(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        Ok(self.sql().execute(PRUNE_RESULTS, &vals![codec::time_to_text(before)])? as usize)
    }

    /// Forgets runs started before `before` with their results, gaps and inventory — but
    /// never the latest run, nor a run that holds a finding's latest result (the run a
    /// finding was last seen in stays). Findings, their first-seen and last-seen times
    /// and their workflow history are kept (a history entry's run becomes unknown).
    /// Returns how many runs.
    pub fn prune_runs(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        let before = codec::time_to_text(before);
        let n = self.db.tx(|t| {
            t.execute(
                "DELETE FROM runs WHERE started_at < ?
                   AND id <> (SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT 1)
                   AND NOT EXISTS (
                       SELECT 1 FROM run_results rr WHERE rr.run_id = runs.id
                          AND rr.observed_at = (SELECT max(r.observed_at) FROM run_results r WHERE r.finding_id = rr.finding_id))",
                &vals![before],
            )
        })?;
        Ok(n as usize)
    }

    /// Forgets events created before `before` whose deliveries are all done (delivered or
    /// dead letters); an event still to be delivered is kept whatever its age. Returns how
    /// many events.
    pub fn prune_events(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        let n = self.sql().execute(
            "DELETE FROM events WHERE created_at < ?
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.state = 'pending')",
            &vals![codec::time_to_text(before)],
        )?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    #[test]
    fn scope_keys_round_trip_and_bad_keys_are_refused() {
        for s in [
            ScheduleScope::Org,
            ScheduleScope::Account { account: "111122223333".into() },
            ScheduleScope::Region { account: "111122223333".into(), region: "eu-west-1".into() },
            ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: None },
            ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: Some("org/main".into()) },
        ] {
            assert_eq!(ScheduleScope::from_key(&s.key()), Some(s.clone()));
        }
        for bad in ["", "orgs", "org/1", "account/", "region/1", "region/1/eu-west-1/x", "trail/"] {
            assert_eq!(ScheduleScope::from_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn one_schedule_per_scope_edited_and_deleted() {
        let mut s = store();
        let t0 = datetime!(2026-12-01 00:00 UTC);
        let scope = ScheduleScope::Account { account: "111122223333".into() };
        let a = s.create_schedule(&scope, 43_200, false, t0).unwrap();
        assert_eq!((a.interval_secs, a.paused, a.created_at), (43_200, false, t0));
        let e = s.create_schedule(&scope, 3600, false, t0).unwrap_err();
        assert!(e.to_string().contains("has a schedule already"), "{e}");
        let b = s.update_schedule(a.id, 3600, true, t0).unwrap().unwrap();
        assert_eq!((b.interval_secs, b.paused), (3600, true));
        assert_eq!(s.update_schedule(999, 3600, true, t0).unwrap(), None);
        assert!(s.delete_schedule(a.id).unwrap());
        assert!(!s.delete_schedule(a.id).unwrap());
        assert!(s.schedules().unwrap().is_empty());
    }

    #[test]
    fn a_claim_excludes_others_until_finished_or_expired() {
        let mut s = store();
        let t0 = datetime!(2026-12-01 00:00 UTC);
        let lease = time::Duration::minutes(2);
        let id = s.create_schedule(&ScheduleScope::Org, 43_200, false, t0).unwrap().id;
        assert!(s.claim_schedule(id, "a", t0, t0 + lease, None).unwrap());
        // Held: nobody else, not even `a` again.
        assert!(!s.claim_schedule(id, "b", t0 + lease, t0 + lease * 2, None).unwrap());
        assert!(!s.claim_schedule(id, "a", t0, t0 + lease, None).unwrap());
        // Renewed, still held past the first lease.
        assert_eq!(s.renew_schedule_claims(&[id], "a", t0 + lease * 3).unwrap(), 1);
        assert_eq!(s.renew_schedule_claims(&[id], "b", t0 + lease * 9).unwrap(), 0);
        assert!(!s.claim_schedule(id, "b", t0 + lease * 2, t0 + lease * 4, None).unwrap());
        // Finished: the start is the claim's; a claimer that saw the old state loses.
        let end = t0 + time::Duration::minutes(5);
        assert!(s.finish_schedule_run(id, "a", end, None, Some("run-1")).unwrap());
        let row = s.schedule(id).unwrap().unwrap();
        assert_eq!(
            (row.last_started_at, row.last_finished_at, row.last_run_id.as_deref(), row.claim),
            (Some(t0), Some(end), Some("run-1"), None)
        );
        assert!(!s.claim_schedule(id, "b", end, end + lease, None).unwrap(), "decided on a stale read");
        assert!(s.claim_schedule(id, "b", end, end + lease, Some(t0)).unwrap());
        // b dies; after its lease, a takes over; b's late finish records nothing.
        assert!(!s.claim_schedule(id, "a", end + lease, end + lease * 2, Some(t0)).unwrap(), "lease still holds at its last instant");
        assert!(s.claim_schedule(id, "a", end + lease * 2, end + lease * 3, Some(t0)).unwrap());
        assert!(!s.finish_schedule_run(id, "b", end + lease * 2, Some("late"), None).unwrap());
        assert!(s.finish_schedule_run(id, "a", end + lease * 2, Some("AccessDenied"), None).unwrap());
        assert_eq!(s.schedule(id).unwrap().unwrap().last_error.as_deref(), Some("AccessDenied"));
    }

    #[test]
    fn settings_and_a_trails_last_poll_are_kept() {
        let mut s = store();
        let t0 = datetime!(2026-12-01 00:00 UTC);
        let org = s.create_schedule(&ScheduleScope::Org, 43_200, false, t0).unwrap();
        assert_eq!(org.settings, ScheduleSettings::default());
        let role = ScheduleSettings { member_role: Some("RampartAudit".into()), external_id: Some("ext-1".into()) };
        assert_eq!(s.set_schedule_settings(org.id, &role, t0).unwrap().unwrap().settings, role);
        assert_eq!(s.set_schedule_settings(org.id + 100, &role, t0).unwrap(), None);
        assert_eq!(
            s.set_schedule_settings(org.id, &ScheduleSettings::default(), t0).unwrap().unwrap().settings,
            ScheduleSettings::default()
        );

        let trail = ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: Some("org/main".into()) };
        let id = s.create_schedule(&trail, 300, false, t0).unwrap().id;
        assert_eq!(s.schedule(id).unwrap().unwrap().scope, trail);
        let poll =
            PollStatus { files: 3, malformed: 2, errors: 1, error_messages: vec!["throttled".into()], updated: 4, ..PollStatus::default() };
        assert!(s.claim_schedule(id, "a", t0, t0 + time::Duration::minutes(2), None).unwrap());
        assert!(s.finish_schedule_poll(id, "a", t0, None, None, Some(&poll)).unwrap());
        assert_eq!(s.schedule(id).unwrap().unwrap().last_poll.as_ref(), Some(&poll));
        // A poll that failed as a whole keeps the last one's counts beside its error.
        let t1 = t0 + time::Duration::minutes(5);
        assert!(s.claim_schedule(id, "a", t1, t1 + time::Duration::minutes(2), Some(t0)).unwrap());
        assert!(s.finish_schedule_poll(id, "a", t1, Some("AccessDenied"), None, None).unwrap());
        let row = s.schedule(id).unwrap().unwrap();
        assert_eq!((row.last_poll.as_ref(), row.last_error.as_deref()), (Some(&poll), Some("AccessDenied")));
    }

    #[test]
    fn run_now_is_cleared_by_the_claim() {
        let mut s = store();
        let t0 = datetime!(2026-12-01 00:00 UTC);
        let id = s.create_schedule(&ScheduleScope::Org, 43_200, true, t0).unwrap().id;
        assert!(s.request_schedule_run(id, t0).unwrap());
        assert!(!s.request_schedule_run(id + 1, t0).unwrap());
        assert_eq!(s.schedule(id).unwrap().unwrap().run_requested_at, Some(t0));
        assert!(s.claim_schedule(id, "a", t0, t0 + time::Duration::minutes(2), None).unwrap());
        assert_eq!(s.schedule(id).unwrap().unwrap().run_requested_at, None);
    }
}
