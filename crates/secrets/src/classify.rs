//! Judging hits against the scanned account's IAM access keys. Pure: no I/O, time is an input.
//!
//! | hit | severity | why |
//! |---|---|---|
//! | key id of an **active** access key of the account | critical | Trusted Advisor's red: anyone who has the file can act as the user |
//! | key id of an **inactive** access key of the account | high | unusable today, but one `iam:UpdateAccessKey` makes it usable again, and the leak shows a process gap: delete it |
//! | key id the account does not have (or no inventory) | medium | may be a live key of another account, a deleted key, or temporary (`ASIA`) credentials |
//! | secret access key without a key id near it | medium | may belong to any account |
//! | AWS documentation example (only when asked for) | informational | not a credential |
//!
//! A key the inventory lists with a status other than `Inactive` counts as active.

use crate::{Hit, KeyKind};
use rampart_inventory::{Inventory, Observed};
use rampart_model::{Category, CheckMeta, CheckResult, Finding, Remediation, Resource, ResourceType, Severity, StandardRef, Status, Timestamp};
use serde::Serialize;
use std::collections::HashMap;

/// The check id of every result of this crate. Forever.
pub const CHECK_ID: &str = "secrets_exposed_access_key";

/// Metadata of the exposed-access-key check.
pub static META: CheckMeta = CheckMeta {
    id: CHECK_ID,
    title: "AWS access keys are exposed in files or git history",
    description: "An access key id with its secret access key in a file or in any commit of a git repository can be used by anyone who can read it, for as long as the key is active: deleting the file or the commit does not help once it was shared.",
    severity: Severity::Critical,
    category: Category::Security,
    service: "iam",
    resource_type: ResourceType::AwsIamUser,
    standards: &[StandardRef::ta("Exposed Access Keys")],
    remediation: Remediation {
        console: "IAM console > Users > the user > Security credentials: make the exposed access key inactive, create a new key for the applications that need one, then delete the exposed key. Check CloudTrail for calls made with the key. Remove the key from the files and, if the repository was shared, from its history.",
        cli: "aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <key-id>",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#securing_access-keys",
    },
};

/// IAM's status of an access key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    Active,
    Inactive,
}

/// An access key of the scanned account, and its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountKey {
    pub key_id: String,
    pub status: KeyStatus,
    pub user_name: String,
    pub user_arn: String,
    pub account: String,
    pub partition: String,
    /// The account's home region (where IAM findings are reported).
    pub region: String,
}

/// The access keys of the scanned accounts, and the accounts whose keys could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountKeys {
    pub keys: Vec<AccountKey>,
    /// `(account, reason)` for each account (or user) whose access keys are unknown.
    pub unknown: Vec<(String, String)>,
}

/// Every IAM user's access key in the inventory.
pub fn account_keys(inventory: &Inventory) -> AccountKeys {
    let mut out = AccountKeys::default();
    for account in &inventory.accounts {
        let users = match &account.iam {
            Observed::Known(iam) => &iam.users,
            Observed::Unknown(r) => {
                out.unknown.push((account.id.clone(), r.clone()));
                continue;
            }
        };
        let users = match users {
            Observed::Known(u) => u,
            Observed::Unknown(r) => {
                out.unknown.push((account.id.clone(), r.clone()));
                continue;
            }
        };
        for user in users {
            let keys = match &user.access_keys {
                Observed::Known(k) => k,
                Observed::Unknown(r) => {
                    out.unknown.push((account.id.clone(), format!("access keys of `{}`: {r}", user.user_name)));
                    continue;
                }
            };
            for key in keys {
                out.keys.push(AccountKey {
                    key_id: key.access_key_id.clone(),
                    status: if key.status == "Inactive" { KeyStatus::Inactive } else { KeyStatus::Active },
                    user_name: user.user_name.clone(),
                    user_arn: user.arn.clone(),
                    account: account.id.clone(),
                    partition: account.partition.clone(),
                    region: account.home_region.clone(),
                });
            }
        }
    }
    out
}

/// How a hit relates to the scanned account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    ActiveAccountKey,
    InactiveAccountKey,
    UnknownKey,
    SecretOnly,
    Example,
}

impl Exposure {
    pub fn severity(self) -> Severity {
        match self {
            Exposure::ActiveAccountKey => Severity::Critical,
            Exposure::InactiveAccountKey => Severity::High,
            Exposure::UnknownKey | Exposure::SecretOnly => Severity::Medium,
            Exposure::Example => Severity::Informational,
        }
    }
}

/// A hit, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposed {
    pub hit: Hit,
    pub exposure: Exposure,
    pub severity: Severity,
    /// The account's key the hit's key id is, if any.
    pub owner: Option<AccountKey>,
}

/// Judges each hit against the account's access keys (see the module table). Same order as
/// `hits`.
pub fn classify(hits: &[Hit], keys: &[AccountKey]) -> Vec<Exposed> {
    let by_id: HashMap<&str, &AccountKey> = keys.iter().map(|k| (k.key_id.as_str(), k)).collect();
    hits.iter()
        .map(|hit| {
            let owner = hit.key_id.as_deref().and_then(|k| by_id.get(k)).map(|k| (*k).clone());
            let exposure = match (&owner, &hit.key_id) {
                _ if hit.example => Exposure::Example,
                (Some(k), _) if k.status == KeyStatus::Active => Exposure::ActiveAccountKey,
                (Some(_), _) => Exposure::InactiveAccountKey,
                (None, Some(_)) => Exposure::UnknownKey,
                (None, None) => Exposure::SecretOnly,
            };
            Exposed { hit: hit.clone(), exposure, severity: exposure.severity(), owner }
        })
        .collect()
}

/// One FAILED result per judged hit (WARNING for a documentation example). The resource is
/// the IAM user when the key is the account's, else the file (`Other`, no account); the detail
/// is `<key id or redacted secret> at <location>`, so the same key at the same place keeps its
/// finding id across scans.
pub fn results(exposed: &[Exposed], keys: &AccountKeys, have_inventory: bool) -> Vec<CheckResult> {
    exposed.iter().map(|e| result(e, keys, have_inventory)).collect()
}

fn result(e: &Exposed, keys: &AccountKeys, have_inventory: bool) -> CheckResult {
    let hit = &e.hit;
    let detail = format!("{} at {}", hit.what(), hit.location);
    let with_secret = match (&hit.key_id, &hit.secret) {
        (Some(_), Some(s)) => format!(" with its secret access key ({s})"),
        (Some(_), None) => " (no secret access key found near it)".to_string(),
        _ => String::new(),
    };
    let resource = match &e.owner {
        Some(k) => Resource {
            id: k.user_arn.clone(),
            kind: ResourceType::AwsIamUser,
            account: k.account.clone(),
            region: k.region.clone(),
            partition: k.partition.clone(),
            name: k.user_name.clone(),
        },
        None => Resource {
            id: hit.location.path.clone(),
            kind: ResourceType::Other,
            account: String::new(),
            region: String::new(),
            partition: String::new(),
            name: hit.location.path.rsplit('/').next().unwrap_or(&hit.location.path).to_string(),
        },
    };
    let key = hit.key_id.as_deref().unwrap_or("");
    let reason = match e.exposure {
        Exposure::ActiveAccountKey => format!(
            "Active access key {key} of IAM user `{}` is exposed at {}{with_secret}: anyone who can read it can call AWS as that user.",
            resource.name, hit.location
        ),
        Exposure::InactiveAccountKey => format!(
            "Inactive access key {key} of IAM user `{}` is exposed at {}{with_secret}: it works again as soon as it is re-activated; delete it.",
            resource.name, hit.location
        ),
        Exposure::UnknownKey => {
            let temporary = if hit.key_kind == Some(KeyKind::Temporary) {
                " It is a temporary (STS) key: it expires on its own but may still be valid."
            } else {
                ""
            };
            let scope = if !have_inventory {
                " No account inventory to match it against: scan with `--snapshot` or a live scan to tell whether it is one of your keys.".to_string()
            } else if !keys.unknown.is_empty() {
                let gaps: Vec<String> = keys.unknown.iter().map(|(a, r)| format!("{a}: {r}")).collect();
                format!(" Some access keys could not be read ({}), so it may still be one of the account's.", gaps.join("; "))
            } else {
                " It is not an access key of the scanned account: it may be another account's.".to_string()
            };
            format!("Access key {key} is exposed at {}{with_secret}.{temporary}{scope}", hit.location)
        }
        Exposure::SecretOnly => format!(
            "A secret access key ({}) is exposed at {} without an access key id near it; it may belong to any account.",
            hit.secret.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            hit.location
        ),
        Exposure::Example => format!("{} at {} is AWS's documentation example, not a credential.", hit.what(), hit.location),
    };
    CheckResult {
        check_id: CHECK_ID,
        resource,
        status: if e.exposure == Exposure::Example { Status::Warning } else { Status::Failed },
        detail,
        reason,
        severity: Some(e.severity),
    }
}

/// Findings for the hits, judged against `inventory`'s access keys (all `UnknownKey` /
/// `SecretOnly` without one). Pure: `now` is the observation time.
pub fn findings(hits: &[Hit], inventory: Option<&Inventory>, now: Timestamp) -> Vec<Finding> {
    let keys = inventory.map(account_keys).unwrap_or_default();
    let exposed = classify(hits, &keys.keys);
    results(&exposed, &keys, inventory.is_some()).into_iter().map(|r| Finding::from_result(&META, r, now)).collect()
}
