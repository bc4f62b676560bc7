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
    /// What the run set out to read and could not, in words, one entry per source, path or
    /// failed action (`packages of dpkg `/var/lib/dpkg/status`: ...`, `ec2:DescribeVolumes
    /// access denied (2 calls)`). Empty: everything was read. A run with entries is an
    /// incomplete answer: its PASSED results say nothing about what was not read. Always
    /// serialized (`[]` when complete); absent in a document written before it existed,
    /// which reads as `[]`.
    #[serde(default)]
    pub incomplete: Vec<String>,
}

impl RunInfo {
    /// Whether everything the run set out to read was read.
    pub fn is_complete(&self) -> bool {
        self.incomplete.is_empty()
    }
}

/// The gaps of a collection in words for [`RunInfo::incomplete`]: one entry per failed action
/// and reason, with how many calls failed, in a stable order; with the gaps' message when
/// they all say the same (a recording's annotation, a service's one refusal), so the entry
/// says why, not only what.
pub fn gaps_in_words(gaps: &[Gap]) -> Vec<String> {
    let mut by: std::collections::BTreeMap<(&str, &'static str), (usize, Option<&str>, bool)> = std::collections::BTreeMap::new();
    for g in gaps {
        let e = by.entry((g.action.as_str(), g.kind.as_str())).or_insert((0, Some(g.message.as_str()), true));
        e.0 += 1;
        if e.1 != Some(g.message.as_str()) {
            e.2 = false;
        }
    }
    by.into_iter()
        .map(|((action, kind), (n, message, same))| {
            let calls = if n == 1 { "1 call".to_string() } else { format!("{n} calls") };
            match message.filter(|m| same && !m.trim().is_empty()) {
                Some(m) => format!("{action} {kind} ({calls}): {m}"),
                None => format!("{action} {kind} ({calls})"),
            }
        })
        .collect()
}

#[cfg(test)]
mod run_tests {
    use super::*;

    #[test]
    fn gaps_in_words_merge_by_action_and_reason() {
        let gap = |action: &str, kind| Gap {
            action: action.into(),
            kind,
            account: "123456789012".into(),
            region: "us-east-1".into(),
            resource: None,
            message: "no".into(),
        };
        let words = gaps_in_words(&[
            gap("s3:GetBucketPolicy", GapKind::AccessDenied),
            gap("ec2:DescribeVolumes", GapKind::Timeout),
            gap("s3:GetBucketPolicy", GapKind::AccessDenied),
        ]);
        assert_eq!(words, ["ec2:DescribeVolumes timed out (1 call): no", "s3:GetBucketPolicy access denied (2 calls): no"]);
        let mut other = gap("s3:GetBucketPolicy", GapKind::AccessDenied);
        other.message = "another reason".into();
        let words = gaps_in_words(&[gap("s3:GetBucketPolicy", GapKind::AccessDenied), other]);
        assert_eq!(words, ["s3:GetBucketPolicy access denied (2 calls)"], "different reasons: no message");
    }

    #[test]
    fn a_run_written_before_incomplete_existed_reads_as_complete() {
        let json = r#"{"id":"r","started_at":"2026-01-01T00:00:00Z","finished_at":"2026-01-01T00:00:01Z","source":"aws","accounts":[],"regions":[],"tool_version":"0.1.0"}"#;
        let run: RunInfo = serde_json::from_str(json).unwrap();
        assert!(run.is_complete() && run.incomplete.is_empty());
        let back = serde_json::to_value(&run).unwrap();
        assert_eq!(back["incomplete"], serde_json::json!([]), "always serialized");
    }
}
