//! CloudTrail log files as a trail delivers them to an S3 bucket, read without I/O: the
//! bucket's key layouts ([`key`]), a log file's records as typed [`Event`]s ([`log`]), and
//! the resources a management write event can have changed ([`change`]); events saved in
//! the other shapes (a `LookupEvents` response, EventBridge events, bare records: [`shapes`]).
//!
//! **Architecture invariant:** pure. Bytes and keys in, values out: no SDK, no clock, no
//! file system. The caller reads the bucket (`rampart-collect-aws`) and keeps checkpoints
//! (`rampart-hub`).
//!
//! A file that is not a CloudTrail log at all (not gzip or JSON, no `Records` array, larger
//! than the inflation bound) is an error of that file; inside a log, a record that cannot be
//! read as an event is a [`Malformed`] entry with its file and position, and every other
//! record is still read. Nothing in a record is trusted to be present: CloudTrail documents
//! which fields each event type carries, and older or unusual events omit some.
//!
//! The formats follow AWS's CloudTrail documentation: "Finding your CloudTrail log files"
//! (the S3 key layout, including organisation trails) and "CloudTrail record contents".

pub mod change;
pub mod key;
pub mod log;
pub mod shapes;

pub use change::{classify, Change, Piece};
pub use key::{parse_key, KeyKind, LogKey};
pub use shapes::read_events;
pub use log::{parse_log, Bounded, parse_log_with_limit, read_log, Event, FileError, LogFile, Malformed, MAX_INFLATED};

#[cfg(test)]
mod tests;
