//! Condition operators, evaluated against a request context.
//!
//! IAM User Guide, "IAM JSON policy elements: Condition operators" and
//! "Single-valued vs. multivalued context keys":
//! - several values for one key are ORed; several keys (and operators) ANDed;
//! - a key absent from the request makes the condition false, except that
//!   the negated operators (`StringNotEquals`, `NotIpAddress`, ...) are then
//!   true, `...IfExists` is then true, and `Null` tests for exactly that;
//! - `ForAnyValue:` is true when at least one request value matches, false
//!   for an absent key or an empty set; `ForAllValues:` is true when every
//!   request value matches, and also for an absent key or an empty set.

use std::net::IpAddr;

use rampart_policy::{resource_matches, Condition};

use crate::context::Context;
use crate::vars::{substitute, Mode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Ord),
    Date(Ord),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ord {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    None,
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    base: Base,
    negated: bool,
    if_exists: bool,
    set: Set,
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // Compared as bytes: an operator name from a policy may hold any character, and slicing
    // the text inside one would panic (found by the `iam_evaluate` fuzz target).
    let n = prefix.len();
    (s.len() >= n && s.as_bytes()[..n].eq_ignore_ascii_case(prefix.as_bytes())).then(|| &s[n..])
}

fn parse_operator(name: &str) -> Option<Operator> {
    let (set, rest) = if let Some(r) = strip_prefix_ci(name, "ForAnyValue:") {
        (Set::ForAnyValue, r)
    } else if let Some(r) = strip_prefix_ci(name, "ForAllValues:") {
        (Set::ForAllValues, r)
    } else {
        (Set::None, name)
    };
    let (if_exists, rest) = match rest.len().checked_sub("IfExists".len()) {
        Some(i) if rest.is_char_boundary(i) && rest[i..].eq_ignore_ascii_case("IfExists") => (true, &rest[..i]),
        _ => (false, rest),
    };
    let (base, negated) = match rest.to_ascii_lowercase().as_str() {
        "stringequals" => (Base::StringEquals, false),
        "stringnotequals" => (Base::StringEquals, true),
        "stringequalsignorecase" => (Base::StringEqualsIgnoreCase, false),
        "stringnotequalsignorecase" => (Base::StringEqualsIgnoreCase, true),
        "stringlike" => (Base::StringLike, false),
        "stringnotlike" => (Base::StringLike, true),
        "numericequals" => (Base::Numeric(Ord::Eq), false),
        "numericnotequals" => (Base::Numeric(Ord::Eq), true),
        "numericlessthan" => (Base::Numeric(Ord::Lt), false),
        "numericlessthanequals" => (Base::Numeric(Ord::Le), false),
        "numericgreaterthan" => (Base::Numeric(Ord::Gt), false),
        "numericgreaterthanequals" => (Base::Numeric(Ord::Ge), false),
        "dateequals" => (Base::Date(Ord::Eq), false),
        "datenotequals" => (Base::Date(Ord::Eq), true),
        "datelessthan" => (Base::Date(Ord::Lt), false),
        "datelessthanequals" => (Base::Date(Ord::Le), false),
        "dategreaterthan" => (Base::Date(Ord::Gt), false),
        "dategreaterthanequals" => (Base::Date(Ord::Ge), false),
        "bool" => (Base::Bool, false),
        "binaryequals" => (Base::Binary, false),
        "ipaddress" => (Base::Ip, false),
        "notipaddress" => (Base::Ip, true),
        "arnequals" | "arnlike" => (Base::Arn, false),
        "arnnotequals" | "arnnotlike" => (Base::Arn, true),
        "null" => (Base::Null, false),
        _ => return None,
    };
    if base == Base::Null && (if_exists || set != Set::None) {
        return None;
    }
    Some(Operator { base, negated, if_exists, set })
}

/// Whether the condition holds for `ctx`. Keys it needed that `ctx` lacks
/// (the condition key itself, or a variable in its values) go to `missing`.
/// An operator IAM does not know never holds.
pub(crate) fn holds(cond: &Condition, ctx: &Context, variables: bool, missing: &mut Vec<String>) -> bool {
    let Some(op) = parse_operator(&cond.operator) else {
        return false;
    };
    let request = ctx.get(&cond.key);
    if op.base == Base::Null {
        let absent = request.is_none_or(<[String]>::is_empty);
        return cond.values.iter().any(|v| match v.to_ascii_lowercase().as_str() {
            "true" => absent,
            "false" => !absent,
            _ => false,
        });
    }
    let Some(request) = request else {
        missing.push(cond.key.clone());
        return match (op.if_exists, op.set) {
            (true, _) | (_, Set::ForAllValues) => true,
            (_, Set::ForAnyValue) => false,
            (_, Set::None) => op.negated,
        };
    };
    let substitutes = variables && matches!(op.base, Base::StringEquals | Base::StringEqualsIgnoreCase | Base::StringLike | Base::Arn);
    let mode = if matches!(op.base, Base::StringLike | Base::Arn) { Mode::Pattern } else { Mode::Literal };
    let policy: Vec<String> =
        if substitutes { cond.values.iter().filter_map(|v| substitute(v, ctx, mode, missing)).collect() } else { cond.values.clone() };
    let positive = |v: &str| policy.iter().any(|p| compare(op.base, v, p));
    match op.set {
        Set::None => request.iter().any(|v| positive(v)) != op.negated,
        Set::ForAnyValue => request.iter().any(|v| positive(v) != op.negated),
        Set::ForAllValues => request.iter().all(|v| positive(v) != op.negated),
    }
}

/// Whether the request value `v` matches the policy value `p` under `base`.
fn compare(base: Base, v: &str, p: &str) -> bool {
    match base {
        Base::StringEquals => v == p,
        Base::StringEqualsIgnoreCase => v.to_lowercase() == p.to_lowercase(),
        Base::StringLike => resource_matches(p, v),
        Base::Numeric(ord) => match (v.trim().parse::<f64>(), p.trim().parse::<f64>()) {
            (Ok(a), Ok(b)) => ordered(ord, a.partial_cmp(&b)),
            _ => false,
        },
        Base::Date(ord) => match (parse_date(v), parse_date(p)) {
            (Some(a), Some(b)) => ordered(ord, a.partial_cmp(&b)),
            _ => false,
        },
        Base::Bool => v.eq_ignore_ascii_case(p) && (p.eq_ignore_ascii_case("true") || p.eq_ignore_ascii_case("false")),
        Base::Binary => v == p,
        Base::Ip => ip_in(v, p),
        Base::Arn => arn_matches(p, v),
        Base::Null => false,
    }
}

fn ordered(ord: Ord, c: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (ord, c),
        (Ord::Eq, Some(Equal))
            | (Ord::Lt, Some(Less))
            | (Ord::Le, Some(Less | Equal))
            | (Ord::Gt, Some(Greater))
            | (Ord::Ge, Some(Greater | Equal))
    )
}

/// Seconds since the epoch (with fraction) of an ISO 8601 date-time, a bare
/// date (midnight UTC), or an epoch number.
fn parse_date(s: &str) -> Option<f64> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(n as f64);
    }
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp_nanos() as f64 / 1e9);
    }
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() as f64)
}

/// Whether address `v` lies in `cidr` (`203.0.113.0/24`, `2001:db8::/32`, or
/// a bare address meaning just that address).
fn ip_in(v: &str, cidr: &str) -> bool {
    let Ok(addr) = v.trim().parse::<IpAddr>() else {
        return false;
    };
    let (net, len) = match cidr.trim().split_once('/') {
        Some((n, l)) => match l.parse::<u32>() {
            Ok(l) => (n, Some(l)),
            Err(_) => return false,
        },
        None => (cidr.trim(), None),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => prefix_eq(u32::from(a).into(), u32::from(n).into(), len.unwrap_or(32), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix_eq(u128::from(a), u128::from(n), len.unwrap_or(128), 128),
        _ => false,
    }
}

fn prefix_eq(a: u128, n: u128, len: u32, bits: u32) -> bool {
    if len > bits {
        return false;
    }
    if len == 0 {
        return true;
    }
    let shift = bits - len;
    (a >> shift) == (n >> shift)
}

/// `ArnEquals` / `ArnLike`: each of the six colon-separated parts matched on
/// its own, case-sensitively, with `*` and `?` (the last part may hold colons).
fn arn_matches(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    if p.len() != 6 || a.len() != 6 {
        return false;
    }
    p.iter().zip(&a).all(|(p, a)| resource_matches(p, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_name_with_a_multibyte_character_where_a_prefix_ends_is_unknown() {
        // `ForAllValues` then U+01B2 (two bytes) where the `:` would be: no panic, unknown.
        assert!(parse_operator("ForAllValues\u{1b2}tringLike").is_none());
        assert!(parse_operator("ForAnyValue\u{e9}StringLike").is_none());
    }

    #[test]
    fn operator_names() {
        assert!(parse_operator("ForAllValues:StringLikeIfExists")
            .is_some_and(|o| o.if_exists && o.set == Set::ForAllValues && o.base == Base::StringLike));
        assert!(parse_operator("NotIpAddress").is_some_and(|o| o.negated));
        assert_eq!(parse_operator("NullIfExists"), None);
        assert_eq!(parse_operator("StringSortOf"), None);
    }

    #[test]
    fn ip_ranges_v4_and_v6() {
        assert!(ip_in("203.0.113.7", "203.0.113.0/24"));
        assert!(!ip_in("203.0.114.7", "203.0.113.0/24"));
        assert!(ip_in("10.1.2.3", "10.1.2.3"));
        assert!(ip_in("1.2.3.4", "0.0.0.0/0"));
        assert!(ip_in("2001:db8::1", "2001:db8::/32"));
        assert!(!ip_in("2001:db9::1", "2001:db8::/32"));
        assert!(!ip_in("203.0.113.7", "2001:db8::/32"));
        assert!(!ip_in("nonsense", "0.0.0.0/0"));
        assert!(!ip_in("1.2.3.4", "1.2.3.0/33"));
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(1_577_836_800.0));
        assert_eq!(parse_date("2020-01-01"), Some(1_577_836_800.0));
        assert_eq!(parse_date("1577836800"), Some(1_577_836_800.0));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), Some(1_577_836_800.0));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn arns_by_part() {
        assert!(arn_matches("arn:aws:iam::*:role/ops-*", "arn:aws:iam::111122223333:role/ops-a"));
        assert!(!arn_matches("arn:aws:iam::*:role/ops-*", "arn:aws:iam::111122223333:user/ops-a"));
        assert!(arn_matches("arn:aws:sns:*:*:topic:x", "arn:aws:sns:us-east-1:1:topic:x"));
        assert!(!arn_matches("arn:aws:iam::1:role/A", "arn:aws:iam::1:role/a"));
        assert!(!arn_matches("arn:aws:iam::1:role/A", "not-an-arn"));
    }
}
