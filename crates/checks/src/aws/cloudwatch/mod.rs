//! CloudWatch checks: CIS section 4's metric filters and alarms on the CloudTrail log group,
//! alarms' actions, and CloudWatch Logs log groups.
//!
//! # CIS 4.1–4.15: how a metric filter, its alarm and the alarm's topic are judged
//!
//! Every recommendation of CIS AWS Foundations v3.0.0 section 4 has the same audit, which
//! [`judge_monitoring`] follows step by step for each account:
//!
//! 1. a multi-region trail that is logging (`GetTrailStatus` `IsLogging`), records all
//!    management events, read and write (`GetEventSelectors`), and sends its events to a
//!    CloudWatch Logs log group (`CloudWatchLogsLogGroupArn`);
//! 2. a metric filter on that log group whose pattern is the benchmark's pattern;
//! 3. a metric alarm on the metric that filter publishes (same namespace and name), whose
//!    actions are enabled;
//! 4. an SNS topic among the alarm's ALARM actions with at least one confirmed subscription
//!    (the benchmark: "at least one subscription should have "SubscriptionArn" with valid aws
//!    ARN"; a pending subscription has none).
//!
//! One result per account: PASSED when one chain holds, FAILED naming the furthest step any
//! trail reached, NOT_AVAILABLE when no chain holds and a link could not be read.
//!
//! **Comparing filter patterns.** The benchmark prescribes the pattern, and Security Hub fails
//! a filter with "additional fields or terms". Rampart compares meaning, not spelling: both
//! patterns are parsed into a tree of `&&` / `||` over comparisons, in which whitespace,
//! redundant parentheses, quotes around a value (`$.eventName = CreateTrail` and
//! `$.eventName = "CreateTrail"` are the same comparison), the order of the operands of `&&`
//! and `||`, and repeated operands do not count; a term added, missing or changed does
//! (a filter missing one of the event names fails). `&&` binds tighter than `||`. The
//! benchmark's 4.1 pattern mixes `||` and `&&` without parentheses; its literal reading and
//! the reading with the `||` in parentheses (the one it means: either error code, except the
//! two exclusions) are both accepted. Where the benchmark gives two patterns (4.2, the second
//! for accounts that use SSO) either is accepted, and so is the pattern of the Security Hub
//! control for the same recommendation (CloudWatch.1–14, from CIS v1.2.0/v1.4.0).

pub mod alarm_action_configured;
pub mod alarm_actions_enabled;
pub mod log_group_kms_encryption;
pub mod log_group_retention;
pub mod monitoring_cloudtrail_changes;
pub mod monitoring_cmk_disable_or_deletion;
pub mod monitoring_config_changes;
pub mod monitoring_console_auth_failures;
pub mod monitoring_console_sign_in_without_mfa;
pub mod monitoring_iam_policy_changes;
pub mod monitoring_nacl_changes;
pub mod monitoring_network_gateway_changes;
pub mod monitoring_organizations_changes;
pub mod monitoring_root_usage;
pub mod monitoring_route_table_changes;
pub mod monitoring_s3_bucket_policy_changes;
pub mod monitoring_security_group_changes;
pub mod monitoring_unauthorized_api_calls;
pub mod monitoring_vpc_changes;
pub mod cross_account_sharing;

use crate::aws::cloudtrail::logging::records_all_management_events;
use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, MetricAlarm, MetricFilter, Observed, Trail};
use rampart_model::ResourceType;
use std::collections::BTreeMap;

// ---------------------------------------------------------------- filter patterns

/// A filter pattern in canonical form: comparisons with their operands sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pattern {
    All(Vec<Pattern>),
    Any(Vec<Pattern>),
    /// `selector op value` with the value unquoted, or `selector NOT EXISTS` and the like.
    Term(String),
}

/// Parses a JSON filter pattern (`{ $.a = "x" && ($.b = y || $.c NOT EXISTS) }`) into its
/// canonical form; `None` for anything else (a text or space-delimited pattern, a syntax error).
pub(crate) fn canonical(pattern: &str) -> Option<Pattern> {
    let inner = pattern.trim().strip_prefix('{')?.strip_suffix('}')?;
    let tokens = tokenize(inner)?;
    let mut pos = 0;
    let p = parse_or(&tokens, &mut pos)?;
    (pos == tokens.len()).then(|| normalize(p))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    /// A selector, operator, keyword or value; quotes removed from values.
    Word(String),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '&' | '|' => {
                chars.next();
                if chars.next() != Some(c) {
                    return None;
                }
                out.push(if c == '&' { Tok::And } else { Tok::Or });
            }
            '=' | '!' | '<' | '>' => {
                let mut op = String::from(c);
                chars.next();
                if chars.peek() == Some(&'=') {
                    op.push('=');
                    chars.next();
                }
                if op == "!" {
                    return None;
                }
                out.push(Tok::Word(op));
            }
            '"' => {
                chars.next();
                let mut v = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => v.push(chars.next()?),
                        ch => v.push(ch),
                    }
                }
                out.push(Tok::Word(v));
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || "()&|=!<>\"".contains(ch) {
                        break;
                    }
                    w.push(ch);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Some(out)
}

fn parse_or(t: &[Tok], pos: &mut usize) -> Option<Pattern> {
    let mut items = vec![parse_and(t, pos)?];
    while t.get(*pos) == Some(&Tok::Or) {
        *pos += 1;
        items.push(parse_and(t, pos)?);
    }
    Some(if items.len() == 1 { items.remove(0) } else { Pattern::Any(items) })
}

fn parse_and(t: &[Tok], pos: &mut usize) -> Option<Pattern> {
    let mut items = vec![parse_term(t, pos)?];
    while t.get(*pos) == Some(&Tok::And) {
        *pos += 1;
        items.push(parse_term(t, pos)?);
    }
    Some(if items.len() == 1 { items.remove(0) } else { Pattern::All(items) })
}

fn parse_term(t: &[Tok], pos: &mut usize) -> Option<Pattern> {
    match t.get(*pos)? {
        Tok::Open => {
            *pos += 1;
            let p = parse_or(t, pos)?;
            (t.get(*pos)? == &Tok::Close).then_some(())?;
            *pos += 1;
            Some(p)
        }
        Tok::Word(selector) if selector.starts_with('$') => {
            *pos += 1;
            let word = |i: usize| match t.get(i) {
                Some(Tok::Word(w)) => Some(w.as_str()),
                _ => None,
            };
            let op = word(*pos)?;
            let term = match op {
                "=" | "!=" | "<" | ">" | "<=" | ">=" => {
                    let value = word(*pos + 1)?;
                    *pos += 2;
                    format!("{selector} {op} {value}")
                }
                "NOT" if word(*pos + 1) == Some("EXISTS") => {
                    *pos += 2;
                    format!("{selector} NOT EXISTS")
                }
                "IS" => {
                    let what = word(*pos + 1)?;
                    *pos += 2;
                    format!("{selector} IS {what}")
                }
                "EXISTS" => {
                    *pos += 1;
                    format!("{selector} EXISTS")
                }
                _ => return None,
            };
            Some(Pattern::Term(term))
        }
        _ => None,
    }
}

/// Flattens nested `&&` in `&&` (and `||` in `||`), sorts and deduplicates operands.
fn normalize(p: Pattern) -> Pattern {
    match p {
        Pattern::Term(_) => p,
        Pattern::All(items) | Pattern::Any(items) if items.len() == 1 => {
            normalize(items.into_iter().next().unwrap_or(Pattern::All(vec![])))
        }
        Pattern::All(items) => {
            let mut flat = Vec::new();
            for i in items.into_iter().map(normalize) {
                match i {
                    Pattern::All(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            flat.sort();
            flat.dedup();
            if flat.len() == 1 {
                flat.remove(0)
            } else {
                Pattern::All(flat)
            }
        }
        Pattern::Any(items) => {
            let mut flat = Vec::new();
            for i in items.into_iter().map(normalize) {
                match i {
                    Pattern::Any(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            flat.sort();
            flat.dedup();
            if flat.len() == 1 {
                flat.remove(0)
            } else {
                Pattern::Any(flat)
            }
        }
    }
}

// ---------------------------------------------------------------- CIS 4.x judgement

/// What one CIS section 4 recommendation monitors, and the patterns that count for it.
pub(crate) struct Monitoring {
    /// Words for the results: "unauthorized API calls".
    pub what: &'static str,
    /// The last part of the account-level resource id (`.../monitoring/<slug>`).
    pub slug: &'static str,
    /// The benchmark's pattern(s), then the Security Hub control's, as written.
    pub patterns: &'static [&'static str],
}

/// How far a trail got toward a complete chain, for the FAILED reason.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reached {
    NoTrail,
    Trail(String),
    Filter(String),
    Alarm(String),
}

/// Judges one CIS 4.x recommendation for every account (see the module documentation).
pub(crate) fn judge_monitoring(ctx: &Ctx, out: &mut Emit, spec: &Monitoring) {
    let wanted: Vec<Pattern> = spec.patterns.iter().filter_map(|p| canonical(p)).collect();
    debug_assert_eq!(wanted.len(), spec.patterns.len(), "a pattern of {} does not parse", spec.slug);
    for account in &ctx.inventory.accounts {
        if account.regions.is_empty() {
            continue;
        }
        let res = resource(
            account,
            &account.home_region,
            ResourceType::AwsAccount,
            format!("arn:{}:cloudwatch::{}:monitoring/{}", account.partition, account.id, spec.slug),
            &account.id,
        );
        let mut unknown: Vec<String> = Vec::new();
        let mut reached = Reached::NoTrail;
        let trails = multi_region_trails(account, &mut unknown);
        let mut passed = None;
        for t in trails {
            match chain(account, t, &wanted, &mut unknown) {
                Ok(how) => {
                    passed = Some(how);
                    break;
                }
                Err(r) => reached = reached.max(r),
            }
        }
        if let Some(how) = passed {
            out.pass(res, format!("{} are monitored: {how}", spec.what));
        } else if !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            out.not_available(res, format!("no complete metric filter and alarm for {} was found, and {}", spec.what, unknown.join("; ")));
        } else {
            let why = match reached {
                Reached::NoTrail => {
                    "no multi-region trail that is logging all management events (read and write) sends them to CloudWatch Logs".to_string()
                }
                Reached::Trail(group) => format!("log group `{group}` of the multi-region trail has no metric filter with the CIS pattern"),
                Reached::Filter(filter) => format!("no alarm with enabled actions watches the metric of filter `{filter}`"),
                Reached::Alarm(alarm) => format!("alarm `{alarm}` notifies no SNS topic with a confirmed subscription"),
            };
            out.fail(res, format!("{} are not monitored: {why}", spec.what));
        }
    }
}

/// The account's multi-region trails once each (the copy in the trail's home region when
/// there is one, which holds its status and selectors).
fn multi_region_trails<'a>(account: &'a Account, unknown: &mut Vec<String>) -> Vec<&'a Trail> {
    let mut by_arn: BTreeMap<&str, &Trail> = BTreeMap::new();
    for region in &account.regions {
        match &region.cloudtrail {
            Observed::Known(trails) => {
                for t in trails.iter().filter(|t| t.is_multi_region_trail) {
                    let home = crate::aws::cloudtrail::home_region(t) == region.name;
                    if home || !by_arn.contains_key(t.arn.as_str()) {
                        by_arn.insert(t.arn.as_str(), t);
                    }
                }
            }
            Observed::Unknown(why) => unknown.push(format!("CloudTrail could not be read in {}: {why}", region.name)),
        }
    }
    by_arn.into_values().collect()
}

/// The chain trail → log group → filter → alarm → topic, or how far it got.
fn chain(account: &Account, t: &Trail, wanted: &[Pattern], unknown: &mut Vec<String>) -> Result<String, Reached> {
    match &t.is_logging {
        Observed::Known(true) => {}
        Observed::Known(false) => return Err(Reached::NoTrail),
        Observed::Unknown(why) => {
            unknown.push(format!("the status of trail `{}` could not be read: {why}", t.name));
            return Err(Reached::NoTrail);
        }
    }
    match &t.event_selectors {
        Observed::Known(sel) => match records_all_management_events(sel) {
            Some(true) => {}
            Some(false) => return Err(Reached::NoTrail),
            None => {
                unknown.push(format!("the event selectors of trail `{}` could not be parsed", t.name));
                return Err(Reached::NoTrail);
            }
        },
        Observed::Unknown(why) => {
            unknown.push(format!("the event selectors of trail `{}` could not be read: {why}", t.name));
            return Err(Reached::NoTrail);
        }
    }
    let Some((group_region, group)) = t.cloud_watch_logs_log_group_arn.as_deref().and_then(log_group_of) else {
        return Err(Reached::NoTrail);
    };
    let Some(region) = account.regions.iter().find(|r| r.name == group_region) else {
        unknown.push(format!("log group `{group}` is in {group_region}, which was not scanned"));
        return Err(Reached::Trail(group.to_string()));
    };
    let filters: Vec<&MetricFilter> = match &region.metric_filters {
        Observed::Known(f) => {
            f.iter().filter(|f| f.log_group_name == group && canonical(&f.pattern).is_some_and(|p| wanted.contains(&p))).collect()
        }
        Observed::Unknown(why) => {
            unknown.push(format!("metric filters could not be read in {group_region}: {why}"));
            return Err(Reached::Trail(group.to_string()));
        }
    };
    let Some(first) = filters.first() else { return Err(Reached::Trail(group.to_string())) };
    let alarms = match &region.metric_alarms {
        Observed::Known(a) => a,
        Observed::Unknown(why) => {
            unknown.push(format!("alarms could not be read in {group_region}: {why}"));
            return Err(Reached::Filter(first.name.clone()));
        }
    };
    let mut reached = Reached::Filter(first.name.clone());
    for f in &filters {
        for a in alarms.iter().filter(|a| a.actions_enabled && a.metric.as_ref().is_some_and(|m| f.metrics.contains(m))) {
            match subscribed_topic(account, a, unknown) {
                Some(topic) => {
                    return Ok(format!(
                        "trail `{}` → log group `{group}` → metric filter `{}` → alarm `{}` → SNS topic `{topic}`",
                        t.name, f.name, a.name
                    ))
                }
                None => reached = reached.max(Reached::Alarm(a.name.clone())),
            }
        }
    }
    Err(reached)
}

/// (region, name) of a log group ARN (`arn:aws:logs:us-east-1:123456789012:log-group:name:*`).
fn log_group_of(arn: &str) -> Option<(&str, &str)> {
    let region = arn.split(':').nth(3)?;
    let name = arn.split_once(":log-group:")?.1;
    Some((region, name.strip_suffix(":*").unwrap_or(name)))
}

/// The first SNS topic among the alarm's ALARM actions that has a confirmed subscription.
fn subscribed_topic(account: &Account, alarm: &MetricAlarm, unknown: &mut Vec<String>) -> Option<String> {
    for action in alarm.alarm_actions.iter().filter(|a| a.split(':').nth(2) == Some("sns")) {
        let parts: Vec<&str> = action.split(':').collect();
        let (region, owner) = (parts.get(3).copied().unwrap_or_default(), parts.get(4).copied().unwrap_or_default());
        let topics = match account.regions.iter().find(|r| r.name == region).map(|r| &r.sns) {
            Some(Observed::Known(t)) if owner == account.id => t,
            Some(Observed::Unknown(why)) if owner == account.id => {
                unknown.push(format!("SNS topics could not be read in {region}: {why}"));
                continue;
            }
            _ => {
                unknown.push(format!("the subscriptions of topic `{action}` (another account or an unscanned region) were not read"));
                continue;
            }
        };
        match topics.iter().find(|t| &t.arn == action).map(|t| &t.subscriptions_confirmed) {
            Some(Observed::Known(n)) if *n > 0 => return Some(action.clone()),
            Some(Observed::Known(_)) | None => {}
            Some(Observed::Unknown(why)) => unknown.push(format!("the subscriptions of topic `{action}` could not be read: {why}")),
        }
    }
    None
}

/// Calls `f` for every metric alarm, NOT_AVAILABLE once per region whose alarms could not be
/// listed.
pub(crate) fn each_alarm(ctx: &Ctx, out: &mut Emit, f: impl FnMut(&Account, &rampart_inventory::Region, &MetricAlarm, &mut Emit)) {
    crate::aws::each_regional(ctx, out, "cloudwatch", ResourceType::AwsCloudWatchAlarm, "alarm", |r| &r.metric_alarms, f);
}

pub(crate) fn alarm_resource(account: &Account, region: &rampart_inventory::Region, a: &MetricAlarm) -> rampart_model::Resource {
    resource(account, &region.name, ResourceType::AwsCloudWatchAlarm, a.arn.clone(), &a.name)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::aws::cloudtrail::tests::ALL_MANAGEMENT;
    use crate::testkit::*;
    use rampart_inventory::{Inventory, MetricId, SnsTopic};
    use rampart_model::Status;

    pub const GROUP_ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*";
    pub const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:cis-alarms";

    /// A complete chain for `pattern`: a logging multi-region trail sending to `trail-logs`, a
    /// filter with `pattern` there, an alarm on its metric notifying a topic with one confirmed
    /// subscription.
    pub fn monitored(pattern: &str) -> Inventory {
        let mut inv = inventory();
        let r = region(&mut inv);
        r.cloudtrail = Observed::Known(vec![Trail {
            name: "main".into(),
            arn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/main".into(),
            home_region: "us-east-1".into(),
            is_multi_region_trail: true,
            cloud_watch_logs_log_group_arn: Some(GROUP_ARN.into()),
            is_logging: Observed::Known(true),
            event_selectors: Observed::Known(ALL_MANAGEMENT.into()),
            ..Trail::default()
        }]);
        let metric = MetricId { namespace: "CISBenchmark".into(), name: "Watched".into() };
        r.metric_filters = Observed::Known(vec![MetricFilter {
            name: "cis-filter".into(),
            log_group_name: "trail-logs".into(),
            pattern: pattern.into(),
            metrics: vec![metric.clone()],
        }]);
        r.metric_alarms = Observed::Known(vec![MetricAlarm {
            name: "cis-alarm".into(),
            arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cis-alarm".into(),
            metric: Some(metric),
            actions_enabled: true,
            alarm_actions: vec![TOPIC.into()],
            ..MetricAlarm::default()
        }]);
        r.sns = Observed::Known(vec![SnsTopic { arn: TOPIC.into(), subscriptions_confirmed: Observed::Known(1), ..SnsTopic::default() }]);
        inv
    }

    /// Pass on the benchmark's pattern(s); fail when one term is dropped, one added or one
    /// changed; NOT_AVAILABLE when the filters could not be read.
    pub fn pattern_boundaries(check: &crate::Check, patterns: &[&str], dropped: &str, changed: (&str, &str)) {
        for p in patterns {
            assert_eq!(single(check, &monitored(p)).0, Status::Passed, "{p}");
        }
        let cis = patterns[0];
        assert!(cis.contains(dropped), "{dropped} is not in {cis}");
        let missing = cis.replacen(dropped, "", 1);
        assert_eq!(single(check, &monitored(&missing)).0, Status::Failed, "a term missing: {missing}");
        let extra = format!("{{ ({}) && ($.awsRegion = \"us-east-1\") }}", &cis.trim()[1..cis.trim().len() - 1]);
        assert_eq!(single(check, &monitored(&extra)).0, Status::Failed, "a term added: {extra}");
        let other = cis.replacen(changed.0, changed.1, 1);
        assert_ne!(other, cis);
        assert_eq!(single(check, &monitored(&other)).0, Status::Failed, "a term changed: {other}");
        let mut inv = monitored(cis);
        region(&mut inv).metric_filters = Observed::Unknown("logs:DescribeMetricFilters access denied".into());
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn canonical_form_ignores_spelling_not_meaning() {
        let a = canonical(r#"{ ($.eventName = CreateTrail) || ($.eventName = "UpdateTrail") }"#).unwrap();
        let b = canonical(r#"{($.eventName="UpdateTrail")||(($.eventName=CreateTrail))}"#).unwrap();
        assert_eq!(a, b, "quotes, spaces, parentheses and order do not count");
        let c = canonical(r#"{ ($.eventName = CreateTrail) && ($.eventName = "UpdateTrail") }"#).unwrap();
        assert_ne!(a, c, "&& is not ||");
        let d = canonical(r#"{ ($.eventName = CreateTrail) || ($.eventName = "UpdateTrail") || ($.eventName = DeleteTrail) }"#).unwrap();
        assert_ne!(a, d, "an added term counts");
        assert_eq!(
            canonical(r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#),
            canonical(r#"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#)
        );
        // && binds tighter than ||.
        assert_eq!(canonical("{ $.a = 1 || $.b = 2 && $.c = 3 }"), canonical("{ $.a = 1 || ($.b = 2 && $.c = 3) }"));
        assert_ne!(canonical("{ $.a = 1 || $.b = 2 && $.c = 3 }"), canonical("{ ($.a = 1 || $.b = 2) && $.c = 3 }"));
        for bad in ["ERROR", "{ $.a = }", "{ ($.a = 1 }", "{ $.a = 1 & $.b = 2 }", "", "{ $.a ! 1 }"] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_chain_breaks_at_any_link() {
        let check = &monitoring_cloudtrail_changes::CHECK;
        let ok = || monitored(monitoring_cloudtrail_changes::PATTERNS[0]);
        let (status, reason) = single(check, &ok());
        assert_eq!(status, Status::Passed, "{reason}");
        assert!(reason.contains("alarm `cis-alarm` → SNS topic"), "{reason}");

        let case = |edit: &dyn Fn(&mut Inventory), want: Status, says: &str| {
            let mut inv = ok();
            edit(&mut inv);
            let (status, reason) = single(check, &inv);
            assert_eq!(status, want, "{reason}");
            assert!(reason.contains(says), "{reason} lacks {says}");
        };
        fn trail(inv: &mut Inventory) -> &mut Trail {
            &mut region(inv).cloudtrail.known_mut().unwrap()[0]
        }
        fn alarm(inv: &mut Inventory) -> &mut MetricAlarm {
            &mut region(inv).metric_alarms.known_mut().unwrap()[0]
        }
        // The trail: stopped, single-region, write-only, no log group.
        case(&|i| trail(i).is_logging = Observed::Known(false), Status::Failed, "no multi-region trail");
        case(&|i| trail(i).is_multi_region_trail = false, Status::Failed, "no multi-region trail");
        case(
            &|i| {
                trail(i).event_selectors =
                    Observed::Known(r#"{"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}"#.into())
            },
            Status::Failed,
            "no multi-region trail",
        );
        case(&|i| trail(i).cloud_watch_logs_log_group_arn = None, Status::Failed, "no multi-region trail");
        // The filter on another log group.
        case(
            &|i| region(i).metric_filters.known_mut().unwrap()[0].log_group_name = "other".into(),
            Status::Failed,
            "log group `trail-logs`",
        );
        // The alarm: on another metric, in another namespace, actions disabled.
        case(&|i| alarm(i).metric.as_mut().unwrap().name = "Other".into(), Status::Failed, "no alarm with enabled actions");
        case(&|i| alarm(i).metric.as_mut().unwrap().namespace = "Other".into(), Status::Failed, "no alarm with enabled actions");
        case(&|i| alarm(i).actions_enabled = false, Status::Failed, "no alarm with enabled actions");
        // The topic: no action, a non-SNS action, no confirmed subscription.
        case(&|i| alarm(i).alarm_actions.clear(), Status::Failed, "alarm `cis-alarm` notifies no SNS topic");
        case(&|i| alarm(i).alarm_actions = vec!["arn:aws:automate:us-east-1:ec2:stop".into()], Status::Failed, "notifies no SNS topic");
        case(
            &|i| region(i).sns.known_mut().unwrap()[0].subscriptions_confirmed = Observed::Known(0),
            Status::Failed,
            "notifies no SNS topic",
        );
        // OK actions do not notify an alarm.
        case(
            &|i| {
                let a = alarm(i);
                a.ok_actions = std::mem::take(&mut a.alarm_actions);
            },
            Status::Failed,
            "notifies no SNS topic",
        );
        // Unread links.
        case(&|i| trail(i).is_logging = Observed::Unknown("denied".into()), Status::NotAvailable, "status of trail `main`");
        case(&|i| region(i).cloudtrail = Observed::Unknown("denied".into()), Status::NotAvailable, "CloudTrail could not be read");
        case(&|i| region(i).metric_alarms = Observed::Unknown("denied".into()), Status::NotAvailable, "alarms could not be read");
        case(&|i| region(i).sns = Observed::Unknown("denied".into()), Status::NotAvailable, "SNS topics could not be read");
        case(
            &|i| region(i).sns.known_mut().unwrap()[0].subscriptions_confirmed = Observed::Unknown("denied".into()),
            Status::NotAvailable,
            "subscriptions of topic",
        );
        case(
            &|i| alarm(i).alarm_actions = vec!["arn:aws:sns:us-east-1:999999999999:central".into()],
            Status::NotAvailable,
            "another account",
        );
        // A second, complete chain makes the account pass whatever else is broken.
        case(
            &|i| {
                let r = region(i);
                let mut bad = r.metric_alarms.known().unwrap()[0].clone();
                bad.name = "broken".into();
                bad.actions_enabled = false;
                r.metric_alarms.known_mut().unwrap().insert(0, bad);
            },
            Status::Passed,
            "alarm `cis-alarm`",
        );
    }

    #[test]
    fn log_group_arns() {
        assert_eq!(log_group_of(GROUP_ARN), Some(("us-east-1", "trail-logs")));
        assert_eq!(log_group_of("arn:aws:logs:eu-west-1:1:log-group:/aws/cloudtrail/x"), Some(("eu-west-1", "/aws/cloudtrail/x")));
        assert_eq!(log_group_of("arn:aws:s3:::bucket"), None);
    }
}
