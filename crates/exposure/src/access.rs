//! What an instance role reaches: each data store at the highest level the engine allows
//! (read < write < administer), and whether it can make itself an administrator.
//!
//! Every question goes through `rampart_iam` as the role's session would ask it
//! ([`Estate::policies`] and [`Estate::request_on`]: identity policies within the boundary,
//! the store's resource policy, SCPs and RCPs, cross-account needing both sides), with no
//! request context beyond what the estate derives: a grant conditioned on a key the
//! request lacks (`aws:SourceIp`, `aws:SourceVpce`) does not count. S3 object actions are
//! asked on `bucket/*`, so only grants over the whole bucket count (a grant on a prefix is
//! not yet a path).

use crate::{DataStore, StoreKind};
use rampart_iam::{evaluate, Context, Decision, Estate, MatchedStatement, PolicyKind, ResourceInfo, Target};
use rampart_policy::Effect;
use serde::Serialize;

/// How much of a store a role can touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Read,
    Write,
    /// Change who can access it, or delete it.
    Admin,
}

/// One store the role reaches.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    pub store: String,
    pub kind: StoreKind,
    pub name: String,
    pub level: Level,
    /// The actions allowed (of those asked).
    pub actions: Vec<String>,
    /// The Allow statements that grant them (`policy #index (Sid)`).
    pub statements: Vec<String>,
    pub public: bool,
    pub holds_secrets: bool,
}

/// Everything one role reaches.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoleReach {
    /// The statements that let the role grant itself anything (`iam:PutRolePolicy` or
    /// `iam:AttachRolePolicy` on itself); empty when it cannot.
    pub account_admin: Vec<String>,
    pub stores: Vec<Access>,
    /// Set when the role is not in the estate: nothing can be said.
    #[serde(skip)]
    pub unknown: Option<String>,
}

impl RoleReach {
    /// Reaches nothing that makes a path.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.account_admin.is_empty() && self.stores.is_empty()
    }

    /// "can administer the account; write 1 store (bucket b)".
    #[must_use]
    pub fn in_words(&self) -> String {
        let mut parts = Vec::new();
        if !self.account_admin.is_empty() {
            parts.push(format!("can make itself an administrator ({})", self.account_admin.join("; ")));
        }
        for level in [Level::Admin, Level::Write, Level::Read] {
            let names: Vec<String> =
                self.stores.iter().filter(|a| a.level == level).map(|a| format!("{} ({})", a.name, a.statements.join("; "))).collect();
            if !names.is_empty() {
                let verb = match level {
                    Level::Admin => "can administer",
                    Level::Write => "can write",
                    Level::Read => "can read",
                };
                parts.push(format!("{verb} {}", names.join(", ")));
            }
        }
        parts.join("; ")
    }

    /// Every distinct statement that grants something on the path.
    #[must_use]
    pub fn statements(&self) -> Vec<String> {
        let mut all: Vec<String> = self.account_admin.iter().chain(self.stores.iter().flat_map(|a| a.statements.iter())).cloned().collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The actions asked per level, and whether each acts on the store's objects (`arn/*`).
fn actions(kind: StoreKind) -> &'static [(Level, &'static str, bool)] {
    match kind {
        StoreKind::S3Bucket => &[
            (Level::Read, "s3:GetObject", true),
            (Level::Write, "s3:PutObject", true),
            (Level::Write, "s3:DeleteObject", true),
            (Level::Admin, "s3:PutBucketPolicy", false),
            (Level::Admin, "s3:DeleteBucket", false),
        ],
        StoreKind::Secret => &[
            (Level::Read, "secretsmanager:GetSecretValue", false),
            (Level::Write, "secretsmanager:PutSecretValue", false),
            (Level::Admin, "secretsmanager:PutResourcePolicy", false),
            (Level::Admin, "secretsmanager:DeleteSecret", false),
        ],
        StoreKind::KmsKey => &[
            (Level::Read, "kms:Decrypt", false),
            (Level::Write, "kms:Encrypt", false),
            (Level::Admin, "kms:PutKeyPolicy", false),
            (Level::Admin, "kms:ScheduleKeyDeletion", false),
        ],
        StoreKind::DynamoDbTable => &[
            (Level::Read, "dynamodb:GetItem", false),
            (Level::Read, "dynamodb:Scan", false),
            (Level::Write, "dynamodb:PutItem", false),
            (Level::Write, "dynamodb:DeleteItem", false),
            (Level::Admin, "dynamodb:DeleteTable", false),
            (Level::Admin, "dynamodb:PutResourcePolicy", false),
        ],
    }
}

fn statement(m: &MatchedStatement) -> String {
    match &m.sid {
        Some(sid) if !sid.is_empty() => format!("{} #{} ({sid})", m.policy, m.index),
        _ => format!("{} #{}", m.policy, m.index),
    }
}

fn granting(m: &[MatchedStatement]) -> impl Iterator<Item = String> + '_ {
    m.iter().filter(|m| m.effect == Effect::Allow && matches!(m.kind, PolicyKind::Identity | PolicyKind::Resource)).map(statement)
}

/// What `role_arn` reaches among `stores`.
#[must_use]
pub fn role_reach(estate: &Estate, role_arn: &str, stores: &[DataStore]) -> RoleReach {
    let Some(role) = estate.principal(role_arn) else {
        return RoleReach {
            unknown: Some(format!(
                "role {role_arn} is not in the IAM data read (GetAccountAuthorizationDetails): what it may do is not known"
            )),
            ..RoleReach::default()
        };
    };
    let ctx = Context::new();
    let mut out = RoleReach::default();
    for action in ["iam:PutRolePolicy", "iam:AttachRolePolicy"] {
        let req = estate.request_on(role, action, role_arn, None, &ctx);
        let answer = evaluate(&req, &estate.policies(role, None));
        if answer.decision == Decision::Allowed {
            out.account_admin.extend(granting(&answer.matched).map(|s| format!("{action}: {s}")));
        }
    }
    for store in stores {
        let synthesized;
        let info = match estate.resource(&store.arn) {
            Some(r) => r,
            None => {
                synthesized = ResourceInfo {
                    arn: store.arn.clone(),
                    account: store.account.clone(),
                    region: Some(store.region.clone()),
                    kind: store.kind.cfn_type().to_string(),
                    ..ResourceInfo::default()
                };
                &synthesized
            }
        };
        let policies = estate.policies(role, Some(Target::Resource(info)));
        let mut level = None;
        let mut allowed = Vec::new();
        let mut statements = Vec::new();
        for &(l, action, object) in actions(store.kind) {
            let resource = if object { format!("{}/*", store.arn) } else { store.arn.clone() };
            let req = estate.request_on(role, action, &resource, Some(Target::Resource(info)), &ctx);
            let answer = evaluate(&req, &policies);
            if answer.decision == Decision::Allowed {
                level = level.max(Some(l));
                allowed.push(action.to_string());
                statements.extend(granting(&answer.matched));
            }
        }
        if let Some(level) = level {
            statements.sort();
            statements.dedup();
            out.stores.push(Access {
                store: store.arn.clone(),
                kind: store.kind,
                name: store.name.clone(),
                level,
                actions: allowed,
                statements,
                public: store.public,
                holds_secrets: store.holds_secrets,
            });
        }
    }
    out
}
