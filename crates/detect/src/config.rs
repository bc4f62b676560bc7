//! The detections' thresholds, with their documented defaults (docs/detections.md); the
//! configuration file's `[detections]` table sets them.

use serde::Deserialize;

/// Thresholds and lists the detections read. Every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// The window of every burst, in minutes: a burst counts what one principal did within
    /// this many minutes. Default 10.
    pub window_minutes: u32,
    /// Distinct secrets and decrypted SSM parameters one principal reads within the window
    /// that make a credential-access burst. Default 5.
    pub secrets_read: u32,
    /// Distinct instances whose Windows password data one principal asks for within the
    /// window. Default 5.
    pub password_data_instances: u32,
    /// Calls refused as not authorised (AccessDenied, UnauthorizedOperation) to one
    /// principal within the window that make a discovery burst. Default 10.
    pub denied_calls: u32,
    /// Distinct S3 objects one principal deletes within the window that make a mass
    /// deletion. Default 100.
    pub deleted_objects: u32,
    /// Accounts that are not "outside" (the organisation's): sharing a snapshot or image
    /// with one, or a role trusting one, is not reported. The account the record is about
    /// is never outside. Default none.
    pub trusted_accounts: Vec<String>,
    /// More user-agent fragments (case-insensitive) of penetration-testing tools, besides
    /// the Kali, Parrot and Pentoo distributions GuardDuty reports. Default none.
    pub pentest_user_agents: Vec<String>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            window_minutes: 10,
            secrets_read: 5,
            password_data_instances: 5,
            denied_calls: 10,
            deleted_objects: 100,
            trusted_accounts: Vec::new(),
            pentest_user_agents: Vec::new(),
        }
    }
}

impl Thresholds {
    pub fn window(&self) -> time::Duration {
        time::Duration::minutes(i64::from(self.window_minutes.max(1)))
    }

    /// Whether `account` is outside: not `own` and not trusted.
    pub fn outside(&self, account: &str, own: &str) -> bool {
        account != own && !self.trusted_accounts.iter().any(|t| t == account)
    }

    /// A threshold of at least 1 (0 would report everything, or nothing).
    pub(crate) fn at_least_one(n: u32) -> usize {
        n.max(1) as usize
    }
}
