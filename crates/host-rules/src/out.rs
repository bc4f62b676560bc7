//! Collects the results of the running rule.

use rampart_model::{CheckResult, Resource, Severity, Status};

/// The results of one rule on one host. Each result names what it is about in its
/// `detail` (empty for a host-wide result), which keeps finding ids unique.
pub struct Out {
    check_id: &'static str,
    resource: Resource,
    results: Vec<CheckResult>,
}

impl Out {
    pub(crate) fn new(check_id: &'static str, resource: &Resource) -> Out {
        Out {
            check_id,
            resource: resource.clone(),
            results: Vec::new(),
        }
    }

    pub(crate) fn finish(self) -> Vec<CheckResult> {
        self.results
    }

    /// A result with a severity other than the rule's default.
    pub fn result(
        &mut self,
        status: Status,
        detail: &str,
        reason: impl Into<String>,
        severity: Option<Severity>,
    ) {
        self.results.push(CheckResult {
            check_id: self.check_id,
            resource: self.resource.clone(),
            status,
            detail: detail.to_owned(),
            reason: reason.into(),
            severity,
        });
    }

    pub fn pass(&mut self, detail: &str, reason: impl Into<String>) {
        self.result(Status::Passed, detail, reason, None);
    }

    pub fn fail(&mut self, detail: &str, reason: impl Into<String>) {
        self.result(Status::Failed, detail, reason, None);
    }

    pub fn not_available(&mut self, detail: &str, reason: impl Into<String>) {
        self.result(Status::NotAvailable, detail, reason, None);
    }

    /// Whether this rule has produced a result yet.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}
