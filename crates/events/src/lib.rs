//! Events, as Amazon EventBridge shapes and routes them: the envelope ([`Event`]: version,
//! id, detail-type, source, account, time, region, resources, detail) and event patterns
//! ([`Pattern`]) that select events for a target. Pure: no I/O, no clock.
//!
//! Pattern semantics follow EventBridge's documentation
//! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html> and
//! its "comparison operators" page):
//! - a pattern is a JSON object; every key of it must match (AND); a key maps either to a
//!   nested object (matched against the event's object at that key) or to an array of
//!   match conditions, any of which may match (OR);
//! - `"$or": [pattern, ...]` at any object level matches when one of the patterns does;
//! - a condition is a literal (string, number — compared as a number —, `true`, `false`,
//!   `null`) or an object with one operator: `prefix`, `suffix`, `equals-ignore-case`,
//!   `wildcard` (`*` matches any run of characters), `anything-but` (a literal, a list of
//!   literals, or `{prefix|suffix|equals-ignore-case|wildcard: ...}`), `numeric`
//!   (`[">", 0, "<=", 5]`, `["=", 3]`), `exists` (`true`/`false`), `cidr` (an IPv4 or IPv6
//!   block); `prefix` and `suffix` also take `{"equals-ignore-case": "..."}`;
//! - when the event's value is an array, the condition matches if it matches any element;
//! - a field absent from the event matches only `{"exists": false}`; `{"exists": true}`
//!   matches any present leaf, `null` included. Operators other than `exists` and the
//!   literal `null` never match a `null`.
//!
//! Anything else (an unknown operator, an operator with the wrong kind of value, an empty
//! condition list, a pattern that is not an object) is a [`PatternError`] naming where.

mod envelope;
mod pattern;
mod sign;

pub use envelope::{Event, DETAIL_TYPE_CUSTOM_ACTION, DETAIL_TYPE_IMPORTED, SOURCE};
pub use pattern::{Pattern, PatternError};
pub use sign::{hmac_sha256_hex, SIGNATURE_HEADER};

#[cfg(test)]
mod tests;
