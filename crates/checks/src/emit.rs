use crate::Outcome;
use rampart_model::{CheckResult, Resource, Severity, Status};

/// Collects the results of the running check.
#[derive(Default)]
pub struct Emit {
    current: &'static str,
    out: Outcome,
}

impl Emit {
    pub(crate) fn start(&mut self, check_id: &'static str) {
        self.current = check_id;
    }

    pub(crate) fn finish(self) -> Outcome {
        self.out
    }

    fn push(&mut self, resource: Resource, status: Status, detail: &str, reason: String, severity: Option<Severity>) {
        self.out.results.push(CheckResult {
            check_id: self.current,
            resource,
            status,
            detail: detail.to_string(),
            reason,
            severity,
        });
    }

    pub fn pass(&mut self, resource: Resource, reason: impl Into<String>) {
        self.push(resource, Status::Passed, "", reason.into(), None);
    }

    pub fn fail(&mut self, resource: Resource, reason: impl Into<String>) {
        self.push(resource, Status::Failed, "", reason.into(), None);
    }

    /// A failure more or less severe than the check's default.
    pub fn fail_with(&mut self, resource: Resource, severity: Severity, reason: impl Into<String>) {
        self.push(resource, Status::Failed, "", reason.into(), Some(severity));
    }

    pub fn not_available(&mut self, resource: Resource, reason: impl Into<String>) {
        self.push(resource, Status::NotAvailable, "", reason.into(), None);
    }

    /// NOT_AVAILABLE because input was malformed; also reported as bad input.
    pub fn malformed(&mut self, resource: Resource, what: impl Into<String>) {
        let what = what.into();
        self.out.malformed.push(format!("{}: {what}", resource.id));
        self.push(resource, Status::NotAvailable, "", what, None);
    }

    /// A result with a detail that tells several results on one resource apart.
    pub fn result(&mut self, resource: Resource, status: Status, detail: &str, reason: impl Into<String>, severity: Option<Severity>) {
        self.push(resource, status, detail, reason.into(), severity);
    }
}
