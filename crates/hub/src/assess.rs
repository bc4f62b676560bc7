//! Assessment targets, templates and runs, after Amazon Inspector (classic):
//!
//! - a **target** selects hosts: by tags (`{k: v}`, all must match) and by hostname
//!   globs (any may match; none = every host);
//! - a **template** is a target × rule packages (`cve`, `cis`, `best-practices`,
//!   `runtime`) × a duration;
//! - a **run** of a template moves CREATED → COLLECTING_DATA → EVALUATING_RULES →
//!   COMPLETED, or to FAILED (with a reason) from any state that is not final; each
//!   step's time is kept. A run points at the findings run it recorded. A template can
//!   be run again and again: each run is a new row.
//!
//! The store enforces the state machine; what each state does (reading telemetry,
//! evaluating rules) is the caller's.

use crate::codec;
use crate::error::StoreError;
use crate::sql::{vals, Row, Sql};
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rule packages a template may name.
pub const RULE_PACKAGES: &[&str] = &["cve", "cis", "best-practices", "runtime"];

/// Which hosts a target selects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSelector {
    /// Every tag must be present with this value.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Hostname globs (`*`, `?`); a host matching any is selected. Empty = every host.
    #[serde(default)]
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentTarget {
    pub name: String,
    pub selector: TargetSelector,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentTemplate {
    pub name: String,
    pub target: String,
    pub rule_packages: Vec<String>,
    pub duration_seconds: u64,
    pub created_at: Timestamp,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssessmentState {
    Created,
    CollectingData,
    EvaluatingRules,
    Completed,
    Failed,
}

impl AssessmentState {
    pub const ALL: [AssessmentState; 5] = [
        AssessmentState::Created,
        AssessmentState::CollectingData,
        AssessmentState::EvaluatingRules,
        AssessmentState::Completed,
        AssessmentState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentState::Created => "CREATED",
            AssessmentState::CollectingData => "COLLECTING_DATA",
            AssessmentState::EvaluatingRules => "EVALUATING_RULES",
            AssessmentState::Completed => "COMPLETED",
            AssessmentState::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<AssessmentState> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// COMPLETED and FAILED: nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, AssessmentState::Completed | AssessmentState::Failed)
    }

    /// Whether a run may move from `self` to `to`.
    pub fn can_move_to(self, to: AssessmentState) -> bool {
        use AssessmentState::*;
        matches!((self, to), (Created, CollectingData) | (CollectingData, EvaluatingRules) | (EvaluatingRules, Completed))
            || (to == Failed && !self.is_final())
    }
}

impl std::fmt::Display for AssessmentState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One run of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRun {
    pub id: i64,
    pub template: String,
    pub state: AssessmentState,
    pub created_at: Timestamp,
    pub collecting_at: Option<Timestamp>,
    pub evaluating_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    /// Why the run FAILED.
    pub failure: Option<String>,
    /// The findings run it recorded (see [`Store::runs`]).
    pub findings_run_id: Option<String>,
    /// The hostnames it assessed.
    pub hosts: Vec<String>,
}

const RUN_COLUMNS: &str =
    "id, template, state, created_at, collecting_at, evaluating_at, completed_at, failed_at, failure, findings_run_id, hosts";

impl Store {
    /// Creates a target. Its name must be new.
    pub fn create_target(&mut self, name: &str, selector: &TargetSelector, now: Timestamp) -> Result<AssessmentTarget, StoreError> {
        // Invariant: a map and a list of strings always serialize.
        let json = serde_json::to_string(selector).expect("a selector serializes");
        let n = self.sql().execute(
            "INSERT INTO assessment_targets (name, selector, created_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO NOTHING",
            &vals![name, json, codec::time_to_text(now)],
        )?;
        if n == 0 {
            return Err(StoreError::DuplicateTarget(name.to_string()));
        }
        Ok(AssessmentTarget { name: name.to_string(), selector: selector.clone(), created_at: codec::truncate(now) })
    }

    /// Every target, by name.
    pub fn targets(&self) -> Result<Vec<AssessmentTarget>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query("SELECT name, selector, created_at FROM assessment_targets ORDER BY name", &[])?;
        rows.iter()
            .map(|row| {
                let selector = row.text(1)?;
                Ok(AssessmentTarget {
                    name: row.text(0)?,
                    selector: serde_json::from_str(&selector).map_err(|_| bad(("target selector", selector.clone())))?,
                    created_at: codec::time_from_text(&row.text(2)?).map_err(&bad)?,
                })
            })
            .collect()
    }

    /// One target by name.
    pub fn target(&self, name: &str) -> Result<AssessmentTarget, StoreError> {
        self.targets()?.into_iter().find(|t| t.name == name).ok_or_else(|| StoreError::UnknownTarget(name.to_string()))
    }

    /// Creates a template of an existing target. Its name must be new, its rule packages
    /// among [`RULE_PACKAGES`] (duplicates are dropped).
    pub fn create_template(
        &mut self,
        name: &str,
        target: &str,
        rule_packages: &[String],
        duration_seconds: u64,
        now: Timestamp,
    ) -> Result<AssessmentTemplate, StoreError> {
        let packages = rule_packages_of(rule_packages)?;
        self.db.tx(|tx| {
            target_exists(tx, target)?;
            let n = tx.execute(
                "INSERT INTO assessment_templates (name, target, rule_packages, duration_seconds, created_at)
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                &vals![
                    name,
                    target,
                    codec::strings_to_json(&packages),
                    i64::try_from(duration_seconds).unwrap_or(i64::MAX),
                    codec::time_to_text(now)
                ],
            )?;
            if n == 0 {
                return Err(StoreError::DuplicateTemplate(name.to_string()));
            }
            Ok(())
        })?;
        Ok(AssessmentTemplate {
            name: name.to_string(),
            target: target.to_string(),
            rule_packages: packages,
            duration_seconds,
            created_at: codec::truncate(now),
        })
    }

    /// Every template, by name.
    pub fn templates(&self) -> Result<Vec<AssessmentTemplate>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self
            .sql()
            .query("SELECT name, target, rule_packages, duration_seconds, created_at FROM assessment_templates ORDER BY name", &[])?;
        rows.iter()
            .map(|row| {
                let duration = row.int(3)?;
                Ok(AssessmentTemplate {
                    name: row.text(0)?,
                    target: row.text(1)?,
                    rule_packages: codec::strings_from_json("rule package list", &row.text(2)?).map_err(&bad)?,
                    duration_seconds: u64::try_from(duration).map_err(|_| bad(("duration", duration.to_string())))?,
                    created_at: codec::time_from_text(&row.text(4)?).map_err(&bad)?,
                })
            })
            .collect()
    }

    /// One template by name.
    pub fn template(&self, name: &str) -> Result<AssessmentTemplate, StoreError> {
        self.templates()?.into_iter().find(|t| t.name == name).ok_or_else(|| StoreError::UnknownTemplate(name.to_string()))
    }

    /// Starts a run of `template`: a new run in CREATED.
    pub fn start_run(&mut self, template: &str, now: Timestamp) -> Result<AssessmentRun, StoreError> {
        let id = self.db.tx(|tx| {
            let known = tx.query_one("SELECT EXISTS (SELECT 1 FROM assessment_templates WHERE name = ?)", &vals![template])?.flag(0)?;
            if !known {
                return Err(StoreError::UnknownTemplate(template.to_string()));
            }
            tx.insert_id(
                "INSERT INTO assessment_runs (template, state, created_at) VALUES (?, 'CREATED', ?) RETURNING id",
                &vals![template, codec::time_to_text(now)],
            )
        })?;
        self.assessment_run(id)
    }

    /// Moves a run to `to` at `now`, enforcing the state machine (see the module
    /// documentation). FAILED needs a `reason`; other states ignore it.
    ///
    /// The move is a compare-and-set on the state it was checked against (`WHERE state =`
    /// the state read), so two callers moving one run at once cannot both move it from the
    /// same state, on either backend: the later one sees the state the first left and is
    /// judged against that.
    pub fn advance(&mut self, run_id: i64, to: AssessmentState, reason: Option<&str>, now: Timestamp) -> Result<AssessmentRun, StoreError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if to == AssessmentState::Failed && reason.is_none() {
            return Err(StoreError::FailureWithoutReason(run_id));
        }
        let column = match to {
            AssessmentState::CollectingData => "collecting_at",
            AssessmentState::EvaluatingRules => "evaluating_at",
            AssessmentState::Completed => "completed_at",
            AssessmentState::Failed => "failed_at",
            // `can_move_to` refuses every move to CREATED: judged below, against the state read.
            AssessmentState::Created => "created_at",
        };
        let db = self.sql();
        loop {
            let Some(row) = db.query_opt("SELECT state FROM assessment_runs WHERE id = ?", &vals![run_id])? else {
                return Err(StoreError::UnknownAssessmentRun(run_id));
            };
            let state = row.text(0)?;
            let from = AssessmentState::parse(&state).ok_or_else(|| corrupt(&self.path)(("assessment state", state.clone())))?;
            if !from.can_move_to(to) {
                return Err(StoreError::InvalidTransition { run: run_id, from: from.as_str(), to: to.as_str() });
            }
            let moved = db.execute(
                &format!(
                    "UPDATE assessment_runs SET state = ?, {column} = ?, failure = coalesce(CAST(? AS TEXT), failure)
                     WHERE id = ? AND state = ?"
                ),
                &vals![
                    to.as_str(),
                    codec::time_to_text(now),
                    if to == AssessmentState::Failed { reason } else { None },
                    run_id,
                    from.as_str()
                ],
            )?;
            if moved == 1 {
                break;
            }
            // Another writer moved it meanwhile: judge the move again from where it is now.
        }
        self.assessment_run(run_id)
    }

    /// Links a run to the findings run it recorded and the hosts it assessed.
    pub fn attach_findings_run(&mut self, run_id: i64, findings_run_id: &str, hosts: &[String]) -> Result<AssessmentRun, StoreError> {
        let db = self.sql();
        let exists = db.query_one("SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", &vals![findings_run_id])?.flag(0)?;
        if !exists {
            return Err(StoreError::UnknownRun(findings_run_id.to_string()));
        }
        let n = db.execute(
            "UPDATE assessment_runs SET findings_run_id = ?, hosts = ? WHERE id = ?",
            &vals![findings_run_id, codec::strings_to_json(hosts), run_id],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownAssessmentRun(run_id));
        }
        self.assessment_run(run_id)
    }

    /// One run by id.
    pub fn assessment_run(&self, run_id: i64) -> Result<AssessmentRun, StoreError> {
        match self.sql().query_opt(&format!("SELECT {RUN_COLUMNS} FROM assessment_runs WHERE id = ?"), &vals![run_id])? {
            Some(row) => run_from_row(&row, self),
            None => Err(StoreError::UnknownAssessmentRun(run_id)),
        }
    }

    /// Every assessment run, newest first.
    pub fn assessment_runs(&self) -> Result<Vec<AssessmentRun>, StoreError> {
        let rows = self.sql().query(&format!("SELECT {RUN_COLUMNS} FROM assessment_runs ORDER BY id DESC"), &[])?;
        rows.iter().map(|row| run_from_row(row, self)).collect()
    }
}

fn run_from_row(row: &Row, store: &Store) -> Result<AssessmentRun, StoreError> {
    let bad = corrupt(&store.path);
    let time = |i: usize| -> Result<Option<Timestamp>, StoreError> {
        row.opt_text(i)?.map(|t| codec::time_from_text(&t).map_err(&bad)).transpose()
    };
    let state = row.text(2)?;
    Ok(AssessmentRun {
        id: row.int(0)?,
        template: row.text(1)?,
        state: AssessmentState::parse(&state).ok_or_else(|| bad(("assessment state", state.clone())))?,
        created_at: codec::time_from_text(&row.text(3)?).map_err(&bad)?,
        collecting_at: time(4)?,
        evaluating_at: time(5)?,
        completed_at: time(6)?,
        failed_at: time(7)?,
        failure: row.opt_text(8)?,
        findings_run_id: row.opt_text(9)?,
        hosts: codec::strings_from_json("host list", &row.text(10)?).map_err(&bad)?,
    })
}

/// The rule packages of a template: each among [`RULE_PACKAGES`], duplicates dropped.
pub(crate) fn rule_packages_of(rule_packages: &[String]) -> Result<Vec<String>, StoreError> {
    let mut packages: Vec<String> = Vec::new();
    for p in rule_packages {
        if !RULE_PACKAGES.contains(&p.as_str()) {
            return Err(StoreError::UnknownRulePackage(p.clone()));
        }
        if !packages.contains(p) {
            packages.push(p.clone());
        }
    }
    Ok(packages)
}

/// Whether `name` matches the glob `pattern`: `*` any run of characters, `?` one
/// character, everything else literally (case-insensitive, as hostnames are).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl TargetSelector {
    /// Whether the hostname globs select `hostname` (no globs: every host). Tags are not
    /// looked at: see [`TargetSelector::matches`].
    pub fn matches_hostname(&self, hostname: &str) -> bool {
        self.hosts.is_empty() || self.hosts.iter().any(|g| glob_match(g, hostname))
    }

    /// Whether the target selects a host: every tag of the selector present on the host with
    /// the same value (keys and values compare exactly, as EC2 tags do), and the hostname
    /// matching one of the globs (no globs: any hostname).
    pub fn matches(&self, hostname: &str, tags: &BTreeMap<String, String>) -> bool {
        self.tags.iter().all(|(k, v)| tags.get(k) == Some(v)) && self.matches_hostname(hostname)
    }
}

/// A template names a target that exists; `UnknownTarget` otherwise.
pub(crate) fn target_exists(db: &dyn Sql, target: &str) -> Result<(), StoreError> {
    let known = db.query_one("SELECT EXISTS (SELECT 1 FROM assessment_targets WHERE name = ?)", &vals![target])?.flag(0)?;
    if known {
        Ok(())
    } else {
        Err(StoreError::UnknownTarget(target.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use AssessmentState::*;

    fn at(min: i64) -> Timestamp {
        datetime!(2026-03-01 08:00:00 UTC) + time::Duration::minutes(min)
    }

    fn store_with_template() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let sel = TargetSelector { tags: BTreeMap::from([("env".into(), "prod".into())]), hosts: vec!["web-*".into()] };
        let t = s.create_target("web", &sel, at(0)).unwrap();
        assert_eq!(s.targets().unwrap(), vec![t]);
        let packages = vec!["cve".to_string(), "cis".to_string(), "cve".to_string()];
        let tpl = s.create_template("nightly", "web", &packages, 3600, at(0)).unwrap();
        assert_eq!(tpl.rule_packages, vec!["cve", "cis"]);
        assert_eq!(s.templates().unwrap(), vec![tpl]);
        s
    }

    #[test]
    fn a_run_moves_forward_and_keeps_each_timestamp() {
        let mut s = store_with_template();
        let r = s.start_run("nightly", at(1)).unwrap();
        assert_eq!((r.state, r.created_at, r.collecting_at), (Created, at(1), None));
        s.advance(r.id, CollectingData, None, at(2)).unwrap();
        s.advance(r.id, EvaluatingRules, None, at(3)).unwrap();
        let done = s.advance(r.id, Completed, None, at(4)).unwrap();
        assert_eq!(done.state, Completed);
        assert_eq!(
            (done.created_at, done.collecting_at, done.evaluating_at, done.completed_at, done.failed_at),
            (at(1), Some(at(2)), Some(at(3)), Some(at(4)), None)
        );
        assert_eq!(done.failure, None);
        // A stored run reads back the same.
        assert_eq!(s.assessment_runs().unwrap(), vec![done]);
    }

    #[test]
    fn only_forward_steps_and_failure_from_a_live_state_are_allowed() {
        let mut s = store_with_template();
        let r = s.start_run("nightly", at(1)).unwrap().id;
        for refused in [Created, EvaluatingRules, Completed] {
            let e = s.advance(r, refused, None, at(2)).unwrap_err();
            assert!(matches!(e, StoreError::InvalidTransition { from: "CREATED", .. }), "{e}");
        }
        s.advance(r, CollectingData, None, at(2)).unwrap();
        let e = s.advance(r, CollectingData, None, at(3)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("assessment run {r} cannot move from COLLECTING_DATA to COLLECTING_DATA: a run goes CREATED → COLLECTING_DATA → EVALUATING_RULES → COMPLETED, or to FAILED (with a reason) from a state that is not final")
        );
        assert!(matches!(s.advance(r, Failed, None, at(3)).unwrap_err(), StoreError::FailureWithoutReason(id) if id == r));
        assert!(matches!(s.advance(r, Failed, Some("  "), at(3)).unwrap_err(), StoreError::FailureWithoutReason(_)));
        let failed = s.advance(r, Failed, Some("no telemetry"), at(3)).unwrap();
        assert_eq!((failed.state, failed.failed_at, failed.failure.as_deref()), (Failed, Some(at(3)), Some("no telemetry")));
        assert_eq!(failed.collecting_at, Some(at(2)));
        // Final states stay final.
        for to in AssessmentState::ALL {
            assert!(matches!(s.advance(r, to, Some("again"), at(4)).unwrap_err(), StoreError::InvalidTransition { from: "FAILED", .. }));
        }
        let r2 = s.start_run("nightly", at(5)).unwrap().id;
        for to in [CollectingData, EvaluatingRules, Completed] {
            s.advance(r2, to, None, at(6)).unwrap();
        }
        assert!(matches!(
            s.advance(r2, Failed, Some("late"), at(7)).unwrap_err(),
            StoreError::InvalidTransition { from: "COMPLETED", to: "FAILED", .. }
        ));
        // Failure from CREATED and EVALUATING_RULES too.
        let r3 = s.start_run("nightly", at(8)).unwrap().id;
        assert_eq!(s.advance(r3, Failed, Some("x"), at(8)).unwrap().state, Failed);
        let r4 = s.start_run("nightly", at(9)).unwrap().id;
        s.advance(r4, CollectingData, None, at(9)).unwrap();
        s.advance(r4, EvaluatingRules, None, at(9)).unwrap();
        assert_eq!(s.advance(r4, Failed, Some("x"), at(10)).unwrap().state, Failed);
    }

    #[test]
    fn unknown_names_and_duplicates_are_refused() {
        let mut s = store_with_template();
        let e = s.create_template("t", "nope", &[], 60, at(0)).unwrap_err();
        assert!(matches!(&e, StoreError::UnknownTarget(n) if n == "nope"), "{e}");
        assert!(
            matches!(s.create_template("t", "web", &["fuzz".into()], 60, at(0)).unwrap_err(), StoreError::UnknownRulePackage(p) if p == "fuzz")
        );
        assert!(matches!(s.create_template("nightly", "web", &[], 60, at(0)).unwrap_err(), StoreError::DuplicateTemplate(_)));
        assert!(matches!(s.create_target("web", &TargetSelector::default(), at(0)).unwrap_err(), StoreError::DuplicateTarget(_)));
        assert!(matches!(s.start_run("weekly", at(0)).unwrap_err(), StoreError::UnknownTemplate(n) if n == "weekly"));
        assert!(matches!(s.advance(99, CollectingData, None, at(0)).unwrap_err(), StoreError::UnknownAssessmentRun(99)));
        assert!(matches!(s.assessment_run(99).unwrap_err(), StoreError::UnknownAssessmentRun(99)));
        assert!(matches!(s.template("weekly").unwrap_err(), StoreError::UnknownTemplate(_)));
        assert!(matches!(s.target("nope").unwrap_err(), StoreError::UnknownTarget(_)));
        let r = s.start_run("nightly", at(1)).unwrap().id;
        assert!(matches!(s.attach_findings_run(r, "run-nope", &[]).unwrap_err(), StoreError::UnknownRun(_)));
        assert_eq!(s.templates().unwrap().len(), 1);
    }

    #[test]
    fn a_template_runs_again_and_each_run_keeps_its_findings_run() {
        let mut s = store_with_template();
        let mut ids = Vec::new();
        for (i, findings_run) in ["run-a", "run-b"].into_iter().enumerate() {
            let hour = i as i64 * 60;
            let info = rampart_model::RunInfo {
                id: findings_run.to_string(),
                started_at: at(hour),
                finished_at: at(hour + 1),
                source: "host:web-1".into(),
                accounts: vec![],
                regions: vec![],
                tool_version: "0".into(),
                checks: vec![],
                incomplete: Vec::new(),
            };
            s.record_run(&info, &mut [], &[]).unwrap();
            let r = s.start_run("nightly", at(hour)).unwrap().id;
            s.advance(r, CollectingData, None, at(hour + 1)).unwrap();
            s.advance(r, EvaluatingRules, None, at(hour + 2)).unwrap();
            s.attach_findings_run(r, findings_run, &["web-1".to_string()]).unwrap();
            s.advance(r, Completed, None, at(hour + 3)).unwrap();
            ids.push(r);
        }
        assert_ne!(ids[0], ids[1]);
        let runs = s.assessment_runs().unwrap();
        assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[1], ids[0]]);
        assert!(runs.iter().all(|r| r.template == "nightly" && r.state == Completed && r.hosts == ["web-1"]));
        assert_eq!(runs[0].findings_run_id.as_deref(), Some("run-b"));
        assert_eq!(runs[1].findings_run_id.as_deref(), Some("run-a"));
        assert_eq!(runs[1].completed_at, Some(at(3)));
    }

    #[test]
    fn globs_select_hostnames() {
        assert!(glob_match("web-*", "web-1"));
        assert!(glob_match("WEB-?", "web-1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("*-db-*", "eu-db-01"));
        assert!(glob_match("a*b*c", "aXXbYYbc"));
        assert!(!glob_match("web-?", "web-10"));
        assert!(!glob_match("web", "web-1"));
        let sel = TargetSelector { tags: BTreeMap::new(), hosts: vec!["db*".into(), "web-1".into()] };
        assert!(sel.matches_hostname("web-1") && sel.matches_hostname("db7") && !sel.matches_hostname("web-2"));
        assert!(TargetSelector::default().matches_hostname("anything"));
    }

    #[test]
    fn tags_select_hosts_exactly_and_all_must_match() {
        let tags = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>();
        let sel = TargetSelector { tags: tags(&[("env", "prod"), ("team", "web")]), hosts: vec![] };
        assert!(sel.matches("h", &tags(&[("env", "prod"), ("team", "web"), ("extra", "x")])));
        assert!(!sel.matches("h", &tags(&[("env", "prod")])), "one tag missing");
        assert!(!sel.matches("h", &tags(&[("env", "Prod"), ("team", "web")])), "values are case-sensitive like EC2 tags");
        assert!(!sel.matches("h", &BTreeMap::new()), "a host without tags is not selected by a tag selector");
        let both = TargetSelector { tags: tags(&[("env", "prod")]), hosts: vec!["web-*".into()] };
        assert!(both.matches("web-1", &tags(&[("env", "prod")])));
        assert!(!both.matches("db-1", &tags(&[("env", "prod")])), "tags and hostname globs must both match");
        assert!(TargetSelector::default().matches("any", &BTreeMap::new()));
    }
}
