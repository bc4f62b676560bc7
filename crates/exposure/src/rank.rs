//! Ranking: exploitability (how likely the service falls) × blast radius (what the role
//! then reaches).
//!
//! - Exploitability of a package is that of its worst advisory: the CVSS base score when a
//!   source gives one, else its severity (critical 9.5, high 7.5, medium 5, low 2.5,
//!   informational 1; unrated 4, between low and medium: unknown is never "safe"), plus 2
//!   when it is known to be exploited in the wild, plus 0.5 when its vector says the
//!   network suffices and no privileges are needed (`AV:N` and `PR:N`).
//! - Blast radius is the most the role can do: make itself an administrator of the account
//!   (4) > administer a data store (3) > write one (2) > read one (1); plus 0.5 when a store
//!   it reaches holds secrets and is not already public.
//! - The score is their product; ties go by the finding id, so the order is stable.

use crate::fix;
use crate::{Candidate, Instance, Level, Path, RoleReach, VulnerablePackage, CHECK};
use rampart_model::Severity;
use serde::Serialize;

/// The most a role can do, in rank order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blast {
    Read,
    Write,
    StoreAdmin,
    AccountAdmin,
}

impl Blast {
    fn of(reach: &RoleReach) -> Blast {
        if !reach.account_admin.is_empty() {
            return Blast::AccountAdmin;
        }
        match reach.stores.iter().map(|a| a.level).max() {
            Some(Level::Admin) => Blast::StoreAdmin,
            Some(Level::Write) => Blast::Write,
            _ => Blast::Read,
        }
    }

    fn weight(self) -> f64 {
        match self {
            Blast::Read => 1.0,
            Blast::Write => 2.0,
            Blast::StoreAdmin => 3.0,
            Blast::AccountAdmin => 4.0,
        }
    }
}

fn severity_score(s: Option<Severity>) -> f64 {
    match s {
        Some(Severity::Critical) => 9.5,
        Some(Severity::High) => 7.5,
        Some(Severity::Medium) => 5.0,
        Some(Severity::Low) => 2.5,
        Some(Severity::Informational) => 1.0,
        None => 4.0,
    }
}

/// How exploitable a listening package is (see the module documentation).
#[must_use]
pub fn exploitability(p: &VulnerablePackage) -> f64 {
    p.advisories
        .iter()
        .map(|a| {
            let base = a.cvss.unwrap_or_else(|| severity_score(a.severity));
            let kev = if a.known_exploited { 2.0 } else { 0.0 };
            let no_auth = a.vector.as_deref().is_some_and(|v| v.split('/').any(|m| m == "AV:N") && v.split('/').any(|m| m == "PR:N"));
            base + kev + if no_auth { 0.5 } else { 0.0 }
        })
        .fold(0.0, f64::max)
}

fn blast_score(reach: &RoleReach) -> (Blast, f64) {
    let b = Blast::of(reach);
    let secrets = reach.stores.iter().any(|a| a.holds_secrets && !a.public);
    (b, b.weight() + if secrets { 0.5 } else { 0.0 })
}

fn severity(score: f64) -> Severity {
    if score >= 30.0 {
        Severity::Critical
    } else if score >= 15.0 {
        Severity::High
    } else if score >= 6.0 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// The candidates as ranked paths, each with its fix.
pub(crate) fn rank(instances: &[Instance], candidates: Vec<Candidate>) -> Vec<Path> {
    let fixes = fix::choose(instances, &candidates);
    let mut paths: Vec<Path> = candidates
        .into_iter()
        .zip(fixes)
        .map(|(c, (fix, alternatives))| {
            let inst = &instances[c.instance];
            let exploit = exploitability(&c.service.package);
            let (blast, weight) = blast_score(&c.reach);
            let score = (exploit * weight * 10.0).round() / 10.0;
            let mut p = Path {
                id: String::new(),
                rank: 0,
                score,
                severity: severity(score),
                instance: inst.arn.clone(),
                instance_id: inst.id.clone(),
                instance_name: inst.name.clone(),
                account: inst.account.clone(),
                region: inst.region.clone(),
                entry: c.entry,
                service: c.service,
                role: c.role,
                instance_profile: inst.instance_profile.clone(),
                reach: c.reach,
                exploitability: exploit,
                blast,
                fix,
                alternatives,
            };
            p.id = rampart_model::finding_id(CHECK.id, &p.instance, &crate::detail(&p));
            p
        })
        .collect();
    paths.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    for (i, p) in paths.iter_mut().enumerate() {
        p.rank = i + 1;
    }
    paths
}
