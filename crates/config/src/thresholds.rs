use serde::Deserialize;

/// `[thresholds]`: the numbers checks compare against. Every key is optional; the
/// defaults are those of the standards the checks map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Access keys older than this many days are not rotated. 90: CIS 1.14, FSBP IAM.3,
    /// Trusted Advisor IAM Access Key Rotation.
    pub access_key_max_age_days: u32,
    /// Passwords and keys unused this long should be disabled. 45: CIS 1.12.
    pub credentials_unused_days: u32,
    /// Minimum password length. 14: CIS 1.8.
    pub password_min_length: u32,
    /// Number of previous passwords that cannot be reused. 24: CIS 1.9.
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
        }
    }
}
