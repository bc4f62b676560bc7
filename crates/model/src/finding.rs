use crate::{finding_id, CheckMeta, Resource, Severity, Timestamp, Vulnerability};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Outcome of one check on one resource; ASFF `Compliance.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Passed,
    Failed,
    Warning,
    NotAvailable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "PASSED",
            Status::Failed => "FAILED",
            Status::Warning => "WARNING",
            Status::NotAvailable => "NOT_AVAILABLE",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "PASSED" => Status::Passed,
            "FAILED" => Status::Failed,
            "WARNING" => Status::Warning,
            "NOT_AVAILABLE" => Status::NotAvailable,
            _ => return None,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Security Hub's `Workflow.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkflowStatus {
    New,
    Notified,
    Suppressed,
    Resolved,
}

impl WorkflowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::New => "NEW",
            WorkflowStatus::Notified => "NOTIFIED",
            WorkflowStatus::Suppressed => "SUPPRESSED",
            WorkflowStatus::Resolved => "RESOLVED",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "NEW" => Self::New,
            "NOTIFIED" => Self::Notified,
            "SUPPRESSED" => Self::Suppressed,
            "RESOLVED" => Self::Resolved,
            _ => return None,
        })
    }
}

/// Security Hub's `RecordState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordState {
    Active,
    Archived,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Active => "ACTIVE",
            RecordState::Archived => "ARCHIVED",
        }
    }
}

/// What a check produced for one resource, before it becomes a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check_id: &'static str,
    pub resource: Resource,
    pub status: Status,
    /// Distinguishes several results of one check on one resource (e.g. `tcp/22`);
    /// empty when a check gives one result per resource. Part of the finding id.
    pub detail: String,
    /// Why the check decided as it did, in one or a few sentences.
    pub reason: String,
    /// A result may be more or less severe than the check's default (e.g. Trusted
    /// Advisor's red vs yellow); `None` keeps the check's severity.
    pub severity: Option<Severity>,
}

/// A result enriched with its check's metadata and observation times: the unit stored,
/// rendered and exported. The check's static texts are borrowed, not copied, so a million
/// findings do not carry a million copies of the same description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    /// Borrowed from the check's metadata (one allocation fewer per finding).
    pub check_id: Cow<'static, str>,
    /// Borrowed from the check's metadata unless a detail is appended.
    pub title: Cow<'static, str>,
    pub description: Cow<'static, str>,
    pub severity: Severity,
    pub status: Status,
    pub reason: String,
    pub detail: String,
    pub service: Cow<'static, str>,
    pub resource: Resource,
    pub remediation_console: Cow<'static, str>,
    pub remediation_cli: Cow<'static, str>,
    pub remediation_url: Cow<'static, str>,
    /// Borrowed from a per-check cache (see [`CheckMeta::related_requirements_static`]).
    pub related_requirements: Cow<'static, [String]>,
    #[serde(with = "time::serde::rfc3339")]
    pub first_observed: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    pub last_observed: Timestamp,
    pub workflow_status: WorkflowStatus,
    pub record_state: RecordState,
    /// The vulnerability a host, image or function CVE finding is about; `None` for every
    /// other finding, whose JSON then has no such key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<Box<Vulnerability>>,
}

impl Finding {
    /// Builds a finding first observed now; the store replaces `first_observed` and the
    /// workflow with what it already knows of this id.
    pub fn from_result(meta: &CheckMeta, r: CheckResult, now: Timestamp) -> Finding {
        let id = finding_id(meta.id, &r.resource.id, &r.detail);
        let title = if r.detail.is_empty() {
            Cow::Borrowed(meta.title)
        } else {
            Cow::Owned(format!("{} ({})", meta.title, r.detail))
        };
        Finding {
            id,
            check_id: Cow::Borrowed(meta.id),
            title,
            description: Cow::Borrowed(meta.description),
            severity: r.severity.unwrap_or(meta.severity),
            status: r.status,
            reason: r.reason,
            detail: r.detail,
            service: Cow::Borrowed(meta.service),
            resource: r.resource,
            remediation_console: Cow::Borrowed(meta.remediation.console),
            remediation_cli: Cow::Borrowed(meta.remediation.cli),
            remediation_url: Cow::Borrowed(meta.remediation.url),
            related_requirements: Cow::Borrowed(meta.related_requirements_static()),
            first_observed: now,
            last_observed: now,
            // As Security Hub (and the store) do for a control that passes on first sight.
            workflow_status: if r.status == Status::Passed { WorkflowStatus::Resolved } else { WorkflowStatus::New },
            record_state: RecordState::Active,
            vulnerability: None,
        }
    }

    /// The severity as tables print it: the lowercase level, or `unknown` for a
    /// vulnerability no source rated (its `severity` is then informational, the lowest
    /// level ASFF allows).
    pub fn severity_name(&self) -> &'static str {
        match &self.vulnerability {
            Some(v) if v.severity.is_none() => "unknown",
            _ => self.severity.as_str(),
        }
    }

    /// Whether this is a vulnerability whose severity no source gave.
    pub fn severity_unknown(&self) -> bool {
        self.vulnerability.as_ref().is_some_and(|v| v.severity.is_none())
    }

    /// A finding that needs attention: FAILED or WARNING.
    pub fn is_problem(&self) -> bool {
        matches!(self.status, Status::Failed | Status::Warning)
    }
}
