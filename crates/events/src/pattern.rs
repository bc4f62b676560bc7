//! Event patterns: parsed once ([`Pattern::parse`]), matched against many events
//! ([`Pattern::matches`]). See the crate documentation for the semantics.

use serde_json::{Map, Number, Value};
use std::net::IpAddr;

/// A pattern that cannot be used, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event pattern: {at}: {message}")]
pub struct PatternError {
    /// The path of keys to the problem (`detail.findings`), or `(top)`.
    pub at: String,
    pub message: String,
}

/// A parsed event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// Every key must match; plus any `$or` alternatives (one of each list must match).
    Object { fields: Vec<(String, Field)>, or: Vec<Vec<Node>> },
}

#[derive(Debug, Clone, PartialEq)]
enum Field {
    Nested(Node),
    /// Any one condition.
    Leaf(Vec<Cond>),
}

#[derive(Debug, Clone, PartialEq)]
enum Text {
    Prefix(String),
    PrefixIgnoreCase(String),
    Suffix(String),
    SuffixIgnoreCase(String),
    EqualsIgnoreCase(String),
    Wildcard(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Cond {
    /// A literal: string, number, bool or null.
    Literal(Value),
    Text(Text),
    /// None of the literals.
    AnythingBut(Vec<Value>),
    AnythingButText(Text),
    /// Every bound: (`<`, `<=`, `=`, `>=`, `>`, value).
    Numeric(Vec<(Op, f64)>),
    Exists(bool),
    Cidr(IpAddr, u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

/// At most this deep: a pattern is configuration, not data.
const MAX_DEPTH: usize = 32;

fn err(at: &[String], message: impl Into<String>) -> PatternError {
    PatternError { at: if at.is_empty() { "(top)".into() } else { at.join(".") }, message: message.into() }
}

impl Pattern {
    /// Parses a pattern from its JSON.
    pub fn parse(v: &Value) -> Result<Pattern, PatternError> {
        let Value::Object(m) = v else { return Err(err(&[], "a pattern is a JSON object")) };
        if m.is_empty() {
            return Err(err(&[], "an empty pattern matches nothing useful: name at least one field"));
        }
        Ok(Pattern(object(m, &mut Vec::new())?))
    }

    /// Parses a pattern from JSON text.
    pub fn parse_str(text: &str) -> Result<Pattern, PatternError> {
        let v: Value = serde_json::from_str(text).map_err(|e| err(&[], format!("not JSON: {e}")))?;
        Pattern::parse(&v)
    }

    /// Whether `event` (an event's JSON, e.g. [`crate::Event::to_json`]) matches.
    pub fn matches(&self, event: &Value) -> bool {
        node_matches(&self.0, event)
    }
}

fn object(m: &Map<String, Value>, at: &mut Vec<String>) -> Result<Node, PatternError> {
    if at.len() > MAX_DEPTH {
        return Err(err(at, format!("nested more than {MAX_DEPTH} levels")));
    }
    let mut fields = Vec::new();
    let mut or = Vec::new();
    for (k, v) in m {
        at.push(k.clone());
        if k == "$or" {
            let Value::Array(alts) = v else { return Err(err(at, "`$or` takes a list of patterns")) };
            if alts.len() < 2 {
                return Err(err(at, "`$or` takes at least two patterns"));
            }
            let mut list = Vec::new();
            for a in alts {
                let Value::Object(am) = a else { return Err(err(at, "each `$or` alternative is an object")) };
                list.push(object(am, at)?);
            }
            or.push(list);
        } else {
            let field = match v {
                Value::Object(inner) => Field::Nested(object(inner, at)?),
                Value::Array(conds) => {
                    if conds.is_empty() {
                        return Err(err(at, "an empty list matches nothing: give at least one value"));
                    }
                    Field::Leaf(conds.iter().map(|c| cond(c, at)).collect::<Result<_, _>>()?)
                }
                _ => return Err(err(at, "a field's conditions are a list (`[\"value\"]`) or a nested object")),
            };
            fields.push((k.clone(), field));
        }
        at.pop();
    }
    Ok(Node::Object { fields, or })
}

fn string(v: &Value, at: &[String], op: &str) -> Result<String, PatternError> {
    v.as_str().map(str::to_string).ok_or_else(|| err(at, format!("`{op}` takes a string")))
}

/// `"x"` or `{"equals-ignore-case": "x"}` after `prefix` / `suffix`.
fn text_arg(v: &Value, at: &[String], op: &str) -> Result<(String, bool), PatternError> {
    match v {
        Value::String(s) => Ok((s.clone(), false)),
        Value::Object(m) if m.len() == 1 && m.contains_key("equals-ignore-case") => Ok((string(&m["equals-ignore-case"], at, op)?, true)),
        _ => Err(err(at, format!("`{op}` takes a string or {{\"equals-ignore-case\": string}}"))),
    }
}

fn text_op(op: &str, v: &Value, at: &[String]) -> Result<Option<Text>, PatternError> {
    Ok(Some(match op {
        "prefix" => match text_arg(v, at, op)? {
            (s, false) => Text::Prefix(s),
            (s, true) => Text::PrefixIgnoreCase(s.to_lowercase()),
        },
        "suffix" => match text_arg(v, at, op)? {
            (s, false) => Text::Suffix(s),
            (s, true) => Text::SuffixIgnoreCase(s.to_lowercase()),
        },
        "equals-ignore-case" => Text::EqualsIgnoreCase(string(v, at, op)?.to_lowercase()),
        "wildcard" => Text::Wildcard(string(v, at, op)?),
        _ => return Ok(None),
    }))
}

fn literal(v: &Value, at: &[String]) -> Result<Value, PatternError> {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => Ok(v.clone()),
        _ => Err(err(at, "a value to match is a string, number, true, false or null")),
    }
}

fn cond(c: &Value, at: &[String]) -> Result<Cond, PatternError> {
    let Value::Object(m) = c else { return Ok(Cond::Literal(literal(c, at)?)) };
    if m.len() != 1 {
        return Err(err(at, "a condition object holds exactly one operator"));
    }
    let (op, v) = m.iter().next().expect("one entry");
    if let Some(t) = text_op(op, v, at)? {
        return Ok(Cond::Text(t));
    }
    match op.as_str() {
        "anything-but" => match v {
            Value::Array(list) => {
                if list.is_empty() {
                    return Err(err(at, "`anything-but` takes at least one value"));
                }
                Ok(Cond::AnythingBut(list.iter().map(|x| literal(x, at)).collect::<Result<_, _>>()?))
            }
            Value::Object(inner) if inner.len() == 1 => {
                let (iop, iv) = inner.iter().next().expect("one entry");
                match text_op(iop, iv, at)? {
                    Some(t) => Ok(Cond::AnythingButText(t)),
                    None => Err(err(at, format!("`anything-but` cannot hold `{iop}`: use prefix, suffix, equals-ignore-case or wildcard"))),
                }
            }
            other => Ok(Cond::AnythingBut(vec![literal(other, at)?])),
        },
        "numeric" => {
            let Value::Array(parts) = v else { return Err(err(at, "`numeric` takes a list such as [\">\", 0, \"<=\", 5]")) };
            if parts.is_empty() || parts.len() % 2 != 0 || parts.len() > 4 {
                return Err(err(at, "`numeric` takes one or two (operator, number) pairs"));
            }
            let mut bounds = Vec::new();
            for pair in parts.chunks(2) {
                let op = match pair[0].as_str() {
                    Some("<") => Op::Lt,
                    Some("<=") => Op::Le,
                    Some("=") => Op::Eq,
                    Some(">=") => Op::Ge,
                    Some(">") => Op::Gt,
                    _ => return Err(err(at, "`numeric` operators are <, <=, =, >=, >")),
                };
                let n = pair[1].as_f64().filter(|n| n.is_finite()).ok_or_else(|| err(at, "`numeric` compares with numbers"))?;
                bounds.push((op, n));
            }
            Ok(Cond::Numeric(bounds))
        }
        "exists" => v.as_bool().map(Cond::Exists).ok_or_else(|| err(at, "`exists` takes true or false")),
        "cidr" => {
            let s = string(v, at, op)?;
            let (addr, len) = s.split_once('/').ok_or_else(|| err(at, "`cidr` takes a block such as 10.0.0.0/24"))?;
            let addr: IpAddr = addr.parse().map_err(|_| err(at, format!("`{s}` is not a CIDR block")))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let len: u8 = len.parse().ok().filter(|l| *l <= max).ok_or_else(|| err(at, format!("`{s}` is not a CIDR block")))?;
            Ok(Cond::Cidr(addr, len))
        }
        other => Err(err(at, format!("unknown operator `{}`", other.chars().take(40).collect::<String>()))),
    }
}

fn node_matches(node: &Node, event: &Value) -> bool {
    let Node::Object { fields, or } = node;
    let obj = event.as_object();
    fields.iter().all(|(k, f)| {
        let value = obj.and_then(|o| o.get(k));
        match f {
            Field::Nested(inner) => value.is_some_and(|v| match v {
                Value::Array(items) => items.iter().any(|i| node_matches(inner, i)),
                v => node_matches(inner, v),
            }),
            Field::Leaf(conds) => conds.iter().any(|c| leaf_matches(c, value)),
        }
    }) && or.iter().all(|alts| alts.iter().any(|a| node_matches(a, event)))
}

fn leaf_matches(c: &Cond, value: Option<&Value>) -> bool {
    match (c, value) {
        (Cond::Exists(want), None) => !want,
        (Cond::Exists(want), Some(Value::Array(items))) => *want == !items.is_empty(),
        (Cond::Exists(want), Some(_)) => *want,
        (_, None) => false,
        (_, Some(Value::Array(items))) => items.iter().any(|i| scalar_matches(c, i)),
        (_, Some(v)) => scalar_matches(c, v),
    }
}

fn same_literal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        _ => a == b,
    }
}

fn numbers_equal(x: &Number, y: &Number) -> bool {
    match (x.as_f64(), y.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => x == y,
    }
}

fn text_matches(t: &Text, s: &str) -> bool {
    match t {
        Text::Prefix(p) => s.starts_with(p.as_str()),
        Text::PrefixIgnoreCase(p) => s.to_lowercase().starts_with(p.as_str()),
        Text::Suffix(p) => s.ends_with(p.as_str()),
        Text::SuffixIgnoreCase(p) => s.to_lowercase().ends_with(p.as_str()),
        Text::EqualsIgnoreCase(p) => s.to_lowercase() == *p,
        Text::Wildcard(w) => wildcard(w, s),
    }
}

/// `*` matches any run of characters (none included); everything else itself.
fn wildcard(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || !s[first.len()..].ends_with(last) || s.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn scalar_matches(c: &Cond, v: &Value) -> bool {
    match c {
        Cond::Literal(l) => same_literal(l, v),
        Cond::Text(t) => v.as_str().is_some_and(|s| text_matches(t, s)),
        // A null is not "anything but x": it is not a value.
        Cond::AnythingBut(list) => !v.is_null() && !list.iter().any(|l| same_literal(l, v)),
        Cond::AnythingButText(t) => v.as_str().is_some_and(|s| !text_matches(t, s)),
        Cond::Numeric(bounds) => v.as_f64().is_some_and(|n| {
            bounds.iter().all(|(op, b)| match op {
                Op::Lt => n < *b,
                Op::Le => n <= *b,
                Op::Eq => n == *b,
                Op::Ge => n >= *b,
                Op::Gt => n > *b,
            })
        }),
        Cond::Exists(want) => *want,
        Cond::Cidr(net, len) => v.as_str().and_then(|s| s.parse::<IpAddr>().ok()).is_some_and(|ip| in_block(ip, *net, *len)),
    }
}

fn in_block(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - u32::from(len)) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - u32::from(len)) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}
