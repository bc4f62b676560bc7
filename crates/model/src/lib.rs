//! Value types shared by every Rampart crate: severities, statuses, resources,
//! check metadata, check results and findings.
//!
//! **Architecture invariant:** this crate does no I/O and knows no AWS SDK, SQL or HTTP.
//! Types here are serialized into snapshots, the store and outputs: renaming a
//! serialized field or variant is a breaking change.

mod finding;
mod id;
mod meta;
mod observed;
mod resource;
mod severity;
mod vulnerability;

pub use finding::{CheckResult, Finding, RecordState, Status, WorkflowStatus};
pub use id::finding_id;
pub use meta::{Category, CheckMeta, Remediation, Standard, StandardRef};
pub use observed::Observed;
pub use resource::{Gap, GapKind, Resource, ResourceType};
pub use severity::{ParseSeverityError, Severity};
pub use vulnerability::{CvssScore, FixAvailable, Vendor, Vulnerability, VulnerablePackage};

/// Timestamps are UTC `OffsetDateTime`s, serialized as RFC 3339.
pub type Timestamp = time::OffsetDateTime;

/// Formats a timestamp as RFC 3339 with second precision, e.g. `2026-11-27T23:57:00Z`.
pub fn rfc3339(t: Timestamp) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// One scan: where its input came from and what it covered.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunInfo {
    /// Unique id of the run (time-based, sortable).
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    pub finished_at: Timestamp,
    /// `aws`, `snapshot:<path>` or `demo`.
    pub source: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub tool_version: String,
    /// The checks the run evaluated: a finding of one of them, in the run's accounts and
    /// regions, that the run did not produce is gone (archived) even if the check produced
    /// nothing at all this time.
    #[serde(default)]
    pub checks: Vec<String>,
}
