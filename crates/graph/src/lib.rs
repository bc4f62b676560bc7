//! The investigation graph's behaviour summaries (issue 13, after Amazon Detective's
//! behaviour graph): what each principal, access key, instance and address did, summarised
//! per hour, and the profile of one entity over a scope window.
//!
//! - [`summary`]: the graph's vocabulary — entities ([`EntityKind`]), relationships
//!   ([`Rel`]), one hourly [`Summary`] per relationship — and the [`Summariser`] that merges
//!   observations per hour in a map of bounded size, drained into a [`Batch`] whenever it is
//!   full, so memory never grows with the input.
//! - [`trail`]: a CloudTrail [`rampart_cloudtrail::Event`] into its relationships
//!   (principal → API call, IP address, user agent, account, resources; role → assumed by;
//!   session → role; access key → principal; instance → its role session).
//! - [`flow`]: VPC Flow Logs (the default version-2 format and custom formats of versions
//!   3 to 5 named by their header line, plain or gzip) read line by line, and summarised
//!   as instance (or interface) ↔ peer address and port (bytes, packets, ACCEPT/REJECT).
//! - [`guardduty`]: GuardDuty findings (API, EventBridge and export shapes) → the
//!   entities each names (instance, access key and principal, buckets, remote addresses).
//! - [`profile`]: an entity's profile from its stored summaries: activity per hour, API
//!   calls by service and action with success and failure, addresses and user agents with
//!   their first sighting, resources touched, related entities, flows by peer and port, and
//!   what is newly observed in the scope compared with a baseline window before it.
//!
//! **Architecture invariant:** pure. Events, readers and rows in; summaries and profiles
//! out: no SQL, no clock, no file system (a flow log is read from any [`std::io::Read`]
//! the caller opens). A malformed record is a [`Malformed`] with its file and position,
//! counted; the other records are still read.

pub mod flow;
pub mod geo;
pub mod groups;
pub mod guardduty;
pub mod investigation;
pub mod mmdb;
pub mod profile;
pub mod summary;
pub mod trail;

pub use flow::{read_flow_log, summarise_flow_log, FlowFileError, FlowFormat, FlowRecord, FlowStats};
pub use guardduty::{observe_findings, FindingStats, FindingsFileError};
pub use profile::{profile, Profile, ProfileScope, DEFAULT_BASELINE_DAYS};
pub use summary::{hour_of, text_time, Batch, EntityKind, EntitySeen, Key, Rel, Summariser, Summary, Tally};
pub use trail::{observe, principal_of};

/// A record that could not be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Malformed {
    pub file: String,
    /// Where in the file: `line 12` (flow logs, from 1) or `record 3` (a CloudTrail log's
    /// `Records` array, from 0).
    pub position: String,
    pub message: String,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.position, self.message)
    }
}

impl From<rampart_cloudtrail::Malformed> for Malformed {
    fn from(m: rampart_cloudtrail::Malformed) -> Self {
        Malformed { file: m.file, position: format!("record {}", m.index), message: m.message }
    }
}
