use crate::{ResourceType, Severity};
use serde::Serialize;
use std::fmt;

/// A security standard Rampart maps its checks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Standard {
    TrustedAdvisor,
    CisAws300,
    Fsbp,
}

impl Standard {
    /// Prefix used in ASFF `Compliance.RelatedRequirements`.
    pub fn title(self) -> &'static str {
        match self {
            Standard::TrustedAdvisor => "Trusted Advisor",
            Standard::CisAws300 => "CIS AWS Foundations Benchmark v3.0.0",
            Standard::Fsbp => "AWS Foundational Security Best Practices",
        }
    }
}

/// One requirement of a standard that a check evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StandardRef {
    pub standard: Standard,
    /// Trusted Advisor: the official check name; CIS: the recommendation number;
    /// FSBP: the control id such as `S3.2`.
    pub control: &'static str,
}

impl StandardRef {
    pub const fn ta(name: &'static str) -> Self {
        StandardRef { standard: Standard::TrustedAdvisor, control: name }
    }
    pub const fn cis(control: &'static str) -> Self {
        StandardRef { standard: Standard::CisAws300, control }
    }
    pub const fn fsbp(control: &'static str) -> Self {
        StandardRef { standard: Standard::Fsbp, control }
    }
}

/// Renders as in `Compliance.RelatedRequirements`:
/// `Trusted Advisor: <name>`, `CIS AWS Foundations Benchmark v3.0.0/<n>`,
/// `AWS Foundational Security Best Practices/<id>`.
impl fmt::Display for StandardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.standard {
            Standard::TrustedAdvisor => write!(f, "Trusted Advisor: {}", self.control),
            s => write!(f, "{}/{}", s.title(), self.control),
        }
    }
}

/// How to fix a failed result: console steps and the AWS CLI command.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Remediation {
    pub console: &'static str,
    pub cli: &'static str,
    /// Documentation page with the background.
    pub url: &'static str,
}

/// Compile-time metadata of a check. A check id is forever.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckMeta {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    /// The AWS service the check reads, e.g. `s3`, `ec2`, `iam`.
    pub service: &'static str,
    pub resource_type: ResourceType,
    pub standards: &'static [StandardRef],
    pub remediation: Remediation,
}

impl CheckMeta {
    pub fn related_requirements(&self) -> Vec<String> {
        self.standards.iter().map(|s| s.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_requirement_strings() {
        assert_eq!(StandardRef::ta("MFA on Root Account").to_string(), "Trusted Advisor: MFA on Root Account");
        assert_eq!(StandardRef::cis("1.5").to_string(), "CIS AWS Foundations Benchmark v3.0.0/1.5");
        assert_eq!(StandardRef::fsbp("S3.2").to_string(), "AWS Foundational Security Best Practices/S3.2");
    }
}
