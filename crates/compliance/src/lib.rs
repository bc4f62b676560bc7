//! Compliance verdicts over findings, with AWS Security Hub's semantics: control status per
//! control of a standard, the failing resources behind each failed control, and security
//! scores per standard across the estate, per account and per region.
//!
//! The standards (CIS AWS Foundations Benchmark v3.0.0, AWS Foundational Security Best
//! Practices, Trusted Advisor's security checks) are static data in [`catalog`]; a finding
//! belongs to a control when one of its `related_requirements` names it, in the format of
//! [`rampart_model::StandardRef`]'s `Display`.
//!
//! **Architecture invariant:** pure: a function of a standard, the findings and (optionally)
//! which requirements Rampart's checks cover. No I/O, no clock, no knowledge of the check
//! registry or the store; output order follows the catalog, so the same input renders the
//! same bytes.
//!
//! **API boundary:** the JSON form of [`Report`] and the control ids are a compatibility
//! promise to report consumers.

pub mod catalog;
mod evaluate;
mod table;

pub use catalog::{standard, CIS_AWS_3_0, FSBP, STANDARDS, TRUSTED_ADVISOR};
pub use evaluate::{
    evaluate, evaluate_with_coverage, ControlResult, ControlStatus, Coverage, FailingResource,
    Report, Score, Scores, Tally,
};
pub use table::render_table;

use rampart_model::{Severity, StandardRef};
use serde::Serialize;

/// A security standard: an id for the command line, a title, and its controls in the
/// standard's own order.
#[derive(Debug, Serialize)]
pub struct Standard {
    /// `cis-aws-3.0`, `fsbp` or `trusted-advisor`.
    pub id: &'static str,
    pub title: &'static str,
    /// How findings name this standard in `related_requirements`.
    #[serde(skip)]
    pub model: rampart_model::Standard,
    pub controls: &'static [Control],
}

impl Standard {
    /// The control with this id (`1.5`, `S3.2`, `MFA on Root Account`).
    pub fn control(&self, id: &str) -> Option<&'static Control> {
        let id = normalize_requirement(id);
        self.controls
            .iter()
            .find(|c| normalize_requirement(c.id) == id)
    }

    /// The `related_requirements` string that names `control`, e.g.
    /// `CIS AWS Foundations Benchmark v3.0.0/1.5`.
    pub fn requirement(&self, control: &Control) -> String {
        StandardRef {
            standard: self.model,
            control: control.id,
        }
        .to_string()
    }

    /// The part of a requirement string before the control id.
    fn requirement_prefix(&self) -> String {
        StandardRef {
            standard: self.model,
            control: "",
        }
        .to_string()
    }
}

/// One control (CIS recommendation, Security Hub control, Trusted Advisor check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Control {
    /// `1.5`, `S3.2`, or the Trusted Advisor check name.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub kind: ControlKind,
}

impl Control {
    pub const fn auto(id: &'static str, title: &'static str, severity: Severity) -> Control {
        Control {
            id,
            title,
            severity,
            kind: ControlKind::Automated,
        }
    }
    pub const fn manual(id: &'static str, title: &'static str, severity: Severity) -> Control {
        Control {
            id,
            title,
            severity,
            kind: ControlKind::Manual,
        }
    }
}

/// Whether a tool can assess the control. Manual controls are listed as MANUAL and never
/// scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    Automated,
    Manual,
}

/// Canonical form of a requirement string or control id for matching: Trusted Advisor
/// writes "Security Groups – Specific Ports Unrestricted" with an en dash, code often with
/// `-`; both (and an em dash) match, and surrounding whitespace is ignored.
pub fn normalize_requirement(s: &str) -> String {
    s.trim().replace(['\u{2013}', '\u{2014}'], "-")
}
