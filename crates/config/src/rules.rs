use crate::glob_match;
use rampart_model::{Finding, Resource, WorkflowStatus};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use time::{Date, OffsetDateTime, UtcOffset};

/// Which resources a rule is about: every given field must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// Account id glob.
    pub account: Option<String>,
    /// Region glob; global resources carry their partition's home region.
    pub region: Option<String>,
    /// Glob over the resource's ARN (or id, for resources without one).
    pub arn: Option<String>,
    /// Tags the resource must carry, key = value, all of them.
    pub tags: BTreeMap<String, String>,
}

impl Selector {
    fn is_empty(&self) -> bool {
        self.account.is_none()
            && self.region.is_none()
            && self.arn.is_none()
            && self.tags.is_empty()
    }

    /// Whether the resource is selected. `tags` are the resource's tags, `None` when they are
    /// unknown: a selector that names tags then does not match (a rule never hides a resource
    /// on a guess).
    pub fn matches(&self, r: &Resource, tags: Option<&BTreeMap<String, String>>) -> bool {
        // (`Option::is_none_or` is newer than the workspace's rust-version.)
        let glob = |p: &Option<String>, v: &str| match p {
            Some(p) => glob_match(p, v),
            None => true,
        };
        if !(glob(&self.account, &r.account)
            && glob(&self.region, &r.region)
            && glob(&self.arn, &r.id))
        {
            return false;
        }
        if self.tags.is_empty() {
            return true;
        }
        tags.is_some_and(|have| self.tags.iter().all(|(k, v)| have.get(k) == Some(v)))
    }
}

/// `[[exclude]]`: removes resources from every check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawExclude")]
pub struct ExcludeRule {
    pub selector: Selector,
    pub reason: String,
    /// Last day the rule applies (UTC).
    pub expires: Option<Date>,
}

/// `[[suppress]]`: the named checks' results on the selected resources become SUPPRESSED.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawSuppress")]
pub struct SuppressRule {
    pub checks: Vec<String>,
    pub selector: Selector,
    pub reason: String,
    /// Last day the rule applies (UTC).
    pub expires: Option<Date>,
}

fn applies(expires: Option<Date>, now: OffsetDateTime) -> bool {
    match expires {
        Some(last) => now.to_offset(UtcOffset::UTC).date() <= last,
        None => true,
    }
}

impl ExcludeRule {
    /// Whether the rule is in force at `now`: it applies through its `expires` day.
    pub fn applies(&self, now: OffsetDateTime) -> bool {
        applies(self.expires, now)
    }
}

impl SuppressRule {
    /// Whether the rule is in force at `now`: it applies through its `expires` day.
    pub fn applies(&self, now: OffsetDateTime) -> bool {
        applies(self.expires, now)
    }
}

/// What a rule did to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Excluded,
    Suppressed,
}

/// One finding a rule applied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub finding_id: String,
    pub action: Action,
    /// `exclude[0]`, `suppress[2]`: the rule's position in the file.
    pub rule: String,
    pub reason: String,
}

/// The outcome of [`crate::Config::apply`], in the order of the findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub hits: Vec<Hit>,
}

impl Applied {
    pub fn excluded(&self) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(|h| h.action == Action::Excluded)
    }
    pub fn suppressed(&self) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(|h| h.action == Action::Suppressed)
    }
}

impl crate::Config {
    /// The first exclusion in force at `now` that selects `resource`, if any. Callers may use
    /// it to skip a resource before checks run.
    pub fn excluded_by(
        &self,
        resource: &Resource,
        tags: Option<&BTreeMap<String, String>>,
        now: OffsetDateTime,
    ) -> Option<(usize, &ExcludeRule)> {
        self.exclude
            .iter()
            .enumerate()
            .find(|(_, r)| r.applies(now) && r.selector.matches(resource, tags))
    }

    /// Marks findings: those of an excluded resource, and those a suppression selects, get
    /// workflow SUPPRESSED (so scores and status ignore them, as Security Hub does), and every
    /// such finding is listed in the result with its rule and reason. An exclusion wins over
    /// a suppression. Findings are never removed, and findings no rule selects are left as
    /// they are: re-opening a finding whose rule expired is the store's job, from the hits
    /// of the previous run.
    pub fn apply(
        &self,
        findings: &mut [Finding],
        tags: &dyn Fn(&Resource) -> Option<BTreeMap<String, String>>,
        now: OffsetDateTime,
    ) -> Applied {
        let mut out = Applied::default();
        let any_tags = self.exclude.iter().any(|r| !r.selector.tags.is_empty())
            || self.suppress.iter().any(|r| !r.selector.tags.is_empty());
        for f in findings.iter_mut() {
            let t = if any_tags { tags(&f.resource) } else { None };
            let hit = if let Some((i, rule)) = self.excluded_by(&f.resource, t.as_ref(), now) {
                Some((
                    Action::Excluded,
                    format!("exclude[{i}]"),
                    rule.reason.clone(),
                ))
            } else {
                self.suppress
                    .iter()
                    .enumerate()
                    .find(|(_, r)| {
                        r.applies(now)
                            && r.checks.iter().any(|c| *c == *f.check_id)
                            && r.selector.matches(&f.resource, t.as_ref())
                    })
                    .map(|(i, r)| {
                        (
                            Action::Suppressed,
                            format!("suppress[{i}]"),
                            r.reason.clone(),
                        )
                    })
            };
            if let Some((action, rule, reason)) = hit {
                f.workflow_status = WorkflowStatus::Suppressed;
                out.hits.push(Hit {
                    finding_id: f.id.clone(),
                    action,
                    rule,
                    reason,
                });
            }
        }
        out
    }
}

// ---- parsing ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclude {
    account: Option<String>,
    region: Option<String>,
    arn: Option<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    reason: Reason,
    expires: Option<Expiry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    checks: Vec<String>,
    account: Option<String>,
    region: Option<String>,
    arn: Option<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    reason: Reason,
    expires: Option<Expiry>,
}

const NO_SELECTOR: &str =
    "give at least one of `account`, `region`, `arn`, `tags` (use `arn = \"*\"` to mean every resource)";

impl TryFrom<RawExclude> for ExcludeRule {
    type Error = String;
    fn try_from(r: RawExclude) -> Result<Self, String> {
        let selector = Selector {
            account: r.account,
            region: r.region,
            arn: r.arn,
            tags: r.tags,
        };
        if selector.is_empty() {
            return Err(format!(
                "an [[exclude]] rule selects no resource: {NO_SELECTOR}"
            ));
        }
        Ok(ExcludeRule {
            selector,
            reason: r.reason.0,
            expires: r.expires.map(|e| e.0),
        })
    }
}

impl TryFrom<RawSuppress> for SuppressRule {
    type Error = String;
    fn try_from(r: RawSuppress) -> Result<Self, String> {
        if r.checks.is_empty() || r.checks.iter().any(|c| c.trim().is_empty()) {
            return Err(
                "a [[suppress]] rule needs `checks` with one or more check ids".to_string(),
            );
        }
        let selector = Selector {
            account: r.account,
            region: r.region,
            arn: r.arn,
            tags: r.tags,
        };
        if selector.is_empty() {
            return Err(format!(
                "a [[suppress]] rule selects no resource: {NO_SELECTOR}"
            ));
        }
        Ok(SuppressRule {
            checks: r.checks,
            selector,
            reason: r.reason.0,
            expires: r.expires.map(|e| e.0),
        })
    }
}

/// A non-blank `reason`.
struct Reason(String);

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(de::Error::custom(
                "`reason` must say why the rule exists; it is empty",
            ));
        }
        Ok(Reason(s))
    }
}

/// `expires`: a TOML date (`2026-12-31`) or the same as a string (`"2026-12-31"`).
struct Expiry(Date);

fn parse_date(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).map_err(|_| format!("`expires` must be a date YYYY-MM-DD, not `{s}`"))
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Expiry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Expiry, E> {
                parse_date(s).map(Expiry).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Expiry, A::Error> {
                // toml hands datetimes over as a one-entry map.
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(de::Error::custom(format!(
                        "`expires` must be a date YYYY-MM-DD without a time, not `{dt}`"
                    )));
                }
                parse_date(&dt.to_string())
                    .map(Expiry)
                    .map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}
