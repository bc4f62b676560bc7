use crate::{ResourceType, Severity};
use serde::Serialize;
use std::fmt;

/// A security standard Rampart maps its checks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Standard {
    TrustedAdvisor,
    CisAws300,
    Fsbp,
    /// Amazon Inspector's rule packages (e.g. Network Reachability): not a compliance
    /// standard, but the finding types users know from Inspector.
    Inspector,
    /// CIS Distribution Independent Linux Benchmark v2.0.0, the host CIS rule package's
    /// recommendations.
    CisLinux,
    /// AWS IAM Access Analyzer's finding types (e.g. `UnusedIAMRole`): not a compliance
    /// standard either, but what users know from Access Analyzer.
    AccessAnalyzer,
}

impl Standard {
    /// Prefix used in ASFF `Compliance.RelatedRequirements`.
    pub fn title(self) -> &'static str {
        match self {
            Standard::TrustedAdvisor => "Trusted Advisor",
            Standard::CisAws300 => "CIS AWS Foundations Benchmark v3.0.0",
            Standard::Fsbp => "AWS Foundational Security Best Practices",
            Standard::Inspector => "Amazon Inspector",
            Standard::CisLinux => "CIS Distribution Independent Linux Benchmark v2.0.0",
            Standard::AccessAnalyzer => "AWS IAM Access Analyzer",
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
    /// A recommendation of the CIS Distribution Independent Linux Benchmark v2.0.0.
    pub const fn cis_linux(control: &'static str) -> Self {
        StandardRef { standard: Standard::CisLinux, control }
    }
    /// An Amazon Inspector rule package, written `Amazon Inspector: <package>`.
    pub const fn inspector(package: &'static str) -> Self {
        StandardRef { standard: Standard::Inspector, control: package }
    }
    /// An IAM Access Analyzer finding type, written `AWS IAM Access Analyzer: <type>`.
    pub const fn access_analyzer(finding_type: &'static str) -> Self {
        StandardRef { standard: Standard::AccessAnalyzer, control: finding_type }
    }
}

/// Renders as in `Compliance.RelatedRequirements`:
/// `Trusted Advisor: <name>`, `CIS AWS Foundations Benchmark v3.0.0/<n>`,
/// `AWS Foundational Security Best Practices/<id>`.
impl fmt::Display for StandardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.standard {
            Standard::TrustedAdvisor => write!(f, "Trusted Advisor: {}", self.control),
            Standard::Inspector => write!(f, "Amazon Inspector: {}", self.control),
            Standard::AccessAnalyzer => write!(f, "AWS IAM Access Analyzer: {}", self.control),
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

/// What a check is about, in Trusted Advisor's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Security,
    CostOptimization,
    FaultTolerance,
    Performance,
    ServiceLimits,
}

impl Category {
    /// The serialized name, e.g. `cost_optimization`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::CostOptimization => "cost_optimization",
            Category::FaultTolerance => "fault_tolerance",
            Category::Performance => "performance",
            Category::ServiceLimits => "service_limits",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compile-time metadata of a check. A check id is forever.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckMeta {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    /// Trusted Advisor's category of the check.
    pub category: Category,
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

    /// [`CheckMeta::related_requirements`], rendered once per `standards` slice and kept for
    /// the life of the process, so that findings borrow it instead of allocating the same
    /// strings for every result (about 300 MB over a million findings). Keyed by the static
    /// slice's address: two metas with equal slices at different addresses get two entries.
    pub fn related_requirements_static(&self) -> &'static [String] {
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        /// (address, length) of a `standards` slice → its rendered requirements.
        type Rendered = HashMap<(usize, usize), &'static [String]>;
        static CACHE: OnceLock<Mutex<Rendered>> = OnceLock::new();
        let key = (self.standards.as_ptr() as usize, self.standards.len());
        let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(key).or_insert_with(|| Box::leak(self.related_requirements().into_boxed_slice()))
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
        assert_eq!(StandardRef::cis_linux("5.2.8").to_string(), "CIS Distribution Independent Linux Benchmark v2.0.0/5.2.8");
    }

    #[test]
    fn category_names_match_serde() {
        for c in [Category::Security, Category::CostOptimization, Category::FaultTolerance, Category::Performance, Category::ServiceLimits] {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
    }
}
