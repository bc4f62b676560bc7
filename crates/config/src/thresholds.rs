use serde::Deserialize;

/// `[thresholds]`: the numbers checks compare against. Every key is optional; the
/// defaults are those of the standards the checks map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Access keys older than this many days are not rotated. 90: CIS 1.14, FSBP IAM.3,
    /// Trusted Advisor IAM Access Key Rotation. Like every key in [`BENCHMARK_BOUNDS`], it
    /// can be made stricter (lower), never looser.
    pub access_key_max_age_days: u32,
    /// Passwords and keys unused this long should be disabled. 45: CIS 1.12 (lower only).
    pub credentials_unused_days: u32,
    /// Minimum password length. 14: CIS 1.8 (higher only).
    pub password_min_length: u32,
    /// Number of previous passwords that cannot be reused. 24: CIS 1.9 (higher only).
    pub password_reuse_prevention: u32,
    /// Certificates expiring within this many days are flagged. 30: Trusted Advisor
    /// CloudFront certificate checks.
    pub certificate_expiry_warning_days: u32,
    /// Snapshots older than this are "old" (cost check). 365: Rampart's choice.
    pub snapshot_max_age_days: u32,
    /// EBS volumes whose newest snapshot is older than this lack a recent backup. 7: Trusted
    /// Advisor "Amazon EBS Snapshots" (yellow).
    pub volume_snapshot_max_age_days: u32,
    /// Stopped instances older than this should be removed. 30: FSBP EC2.4.
    pub stopped_instance_max_days: u32,
    /// Quota usage at or above this percentage is a warning. 80: Trusted Advisor Service Limits.
    pub service_limit_warning_percent: u8,
    /// Quota usage at or above this percentage is an error. 100: Trusted Advisor (red).
    pub service_limit_error_percent: u8,
    /// A security group with more rules than this is slow to evaluate. 50: Trusted Advisor
    /// "Large Number of Rules in an EC2 Security Group".
    pub security_group_max_rules: u32,
    /// An instance whose security groups hold more rules than this. 50: Trusted Advisor
    /// "Large Number of EC2 Security Group Rules Applied to an Instance" (EC2-VPC instances).
    pub instance_max_security_group_rules: u32,
    /// Roles, and services a principal may use, unused this long should be removed. 90: IAM
    /// Access Analyzer's default tracking period for unused access.
    pub unused_access_days: u32,
}

/// Which way a threshold makes a check stricter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stricter {
    /// A larger value asks more (a minimum length).
    Higher,
    /// A smaller value asks more (a maximum age).
    Lower,
}

/// A threshold whose default is a benchmark's own requirement, not a tunable: a check mapped
/// to that requirement reports it compliant only if the requirement holds, so a configured
/// value may make the check stricter, never looser (accepted risk is a `[[suppress]]` with a
/// reason, which stays visible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The key under `[thresholds]`.
    pub key: &'static str,
    /// The requirement, in words (`CIS AWS Foundations Benchmark v3.0.0 1.8`).
    pub requirement: &'static str,
    /// The requirement's value.
    pub value: u32,
    pub stricter: Stricter,
}

impl Bound {
    /// Whether `configured` asks less than the requirement.
    pub fn looser(&self, configured: u32) -> bool {
        match self.stricter {
            Stricter::Higher => configured < self.value,
            Stricter::Lower => configured > self.value,
        }
    }

    /// The stricter of `configured` and the requirement.
    pub fn bounded(&self, configured: u32) -> u32 {
        if self.looser(configured) {
            self.value
        } else {
            configured
        }
    }

    /// The values allowed, in words: `14 or more`.
    pub fn allowed(&self) -> String {
        match self.stricter {
            Stricter::Higher => format!("{} or more", self.value),
            Stricter::Lower => format!("{} or less", self.value),
        }
    }
}

/// The thresholds that are CIS AWS Foundations Benchmark v3.0.0 requirements (fixed numbers in
/// the benchmark's text; FSBP's EC2.4 `AllowedDays` is a parameter Security Hub lets users
/// change, so `stopped_instance_max_days` is not bounded).
pub const BENCHMARK_BOUNDS: [Bound; 4] = [
    Bound {
        key: "access_key_max_age_days",
        requirement: "CIS AWS Foundations Benchmark v3.0.0 1.14 (access keys rotated every 90 days or less)",
        value: 90,
        stricter: Stricter::Lower,
    },
    Bound {
        key: "credentials_unused_days",
        requirement: "CIS AWS Foundations Benchmark v3.0.0 1.12 (credentials unused for 45 days or more disabled)",
        value: 45,
        stricter: Stricter::Lower,
    },
    Bound {
        key: "password_min_length",
        requirement: "CIS AWS Foundations Benchmark v3.0.0 1.8 (minimum password length 14 or more)",
        value: 14,
        stricter: Stricter::Higher,
    },
    Bound {
        key: "password_reuse_prevention",
        requirement: "CIS AWS Foundations Benchmark v3.0.0 1.9 (prevent reuse of the last 24 passwords)",
        value: 24,
        stricter: Stricter::Higher,
    },
];

impl Thresholds {
    /// The configured value of a bounded key.
    fn value(&self, key: &str) -> Option<u32> {
        Some(match key {
            "access_key_max_age_days" => self.access_key_max_age_days,
            "credentials_unused_days" => self.credentials_unused_days,
            "password_min_length" => self.password_min_length,
            "password_reuse_prevention" => self.password_reuse_prevention,
            _ => return None,
        })
    }

    /// Each bounded threshold configured looser than its benchmark requirement, with its value.
    pub fn looser_than_benchmarks(&self) -> Vec<(&'static Bound, u32)> {
        BENCHMARK_BOUNDS.iter().filter_map(|b| self.value(b.key).filter(|&v| b.looser(v)).map(|v| (b, v))).collect()
    }

    /// These thresholds with every bounded one at least as strict as its benchmark
    /// requirement. Checks mapped to a requirement read their numbers through this, so no
    /// caller (a loaded file is already rejected when looser) can make them pass a failing
    /// requirement.
    pub fn within_benchmarks(&self) -> Thresholds {
        let bounded = |key: &str, v: u32| BENCHMARK_BOUNDS.iter().find(|b| b.key == key).map_or(v, |b| b.bounded(v));
        Thresholds {
            access_key_max_age_days: bounded("access_key_max_age_days", self.access_key_max_age_days),
            credentials_unused_days: bounded("credentials_unused_days", self.credentials_unused_days),
            password_min_length: bounded("password_min_length", self.password_min_length),
            password_reuse_prevention: bounded("password_reuse_prevention", self.password_reuse_prevention),
            ..*self
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            access_key_max_age_days: 90,
            credentials_unused_days: 45,
            password_min_length: 14,
            password_reuse_prevention: 24,
            certificate_expiry_warning_days: 30,
            snapshot_max_age_days: 365,
            volume_snapshot_max_age_days: 7,
            stopped_instance_max_days: 30,
            service_limit_warning_percent: 80,
            service_limit_error_percent: 100,
            security_group_max_rules: 50,
            instance_max_security_group_rules: 50,
            unused_access_days: 90,
        }
    }
}
