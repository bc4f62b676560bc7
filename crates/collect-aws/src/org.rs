//! Many accounts: the accounts of an organisation (`organizations:ListAccounts`, answered to
//! the management account or a delegated administrator) and a member role assumed in each
//! (`sts:AssumeRole`), through which the account is read like the caller's own.
//!
//! These two are the only calls made with the scanning identity on behalf of other accounts;
//! `build.rs` lists the calls of this file apart (`ORG_ACTIONS`): they form the policy of the
//! scanning (management or delegated-administrator) identity, not of the member role.
//! `AssumeRole` changes nothing in an account; the guard lets it through by name
//! ([`crate::guard::is_allowed`]).

use crate::call::{client, describe_error, Ctx};
use crate::{CollectError, Options};
use aws_credential_types::provider::{error::CredentialsError, future, ProvideCredentials, SharedCredentialsProvider};
use rampart_inventory::Account;
use rampart_model::Gap;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The session name member-account CloudTrail logs show for rampart's reads.
const SESSION_NAME: &str = "rampart-scan";

/// Temporary credentials are renewed this long before they expire, so that no call of a long
/// account read is sent with credentials about to lapse.
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// An account as the organisation lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `PENDING_ACTIVATION`, `CLOSED` (the
    /// account's `State`; the older `Status` when an endpoint sends no `State`).
    pub state: String,
}

impl OrgAccount {
    /// Whether the account can be read: only an `ACTIVE` account can be signed in to.
    pub fn is_active(&self) -> bool {
        self.state == "ACTIVE"
    }
}

/// How many accounts' assumed roles a [`Scanner`] keeps for its next parts.
pub const ASSUMED_KEPT: usize = 32;

/// The role assumed in each member account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberRole {
    /// The role's name, with its path if it has one (`audit/RampartScan`).
    pub name: String,
    /// The `sts:ExternalId` the role's trust policy requires, if any.
    pub external_id: Option<String>,
}

/// The scanning identity: who the caller is, and the base every account's reading starts
/// from (one limit on calls in flight and one progress bar for all accounts).
pub struct Scanner {
    ctx: Ctx,
    account_id: String,
    partition: String,
    opts: Options,
    /// Roles assumed by [`Scanner::read_part`], by account and role: assumed once per
    /// account, however many of its parts are read — the [`ASSUMED_KEPT`] most recently
    /// assumed (a queued batch's jobs of one account are next to each other), so a worker's
    /// memory does not grow with the accounts it has read.
    assumed: Mutex<HashMap<(String, MemberRole), (u64, aws_types::SdkConfig)>>,
}

/// One part of an account as [`Scanner::read_part`] read it.
#[derive(Debug)]
pub enum PartRead {
    /// The account with its global services and their gaps; no region.
    Global(Account),
    /// One region and the gaps of its calls.
    Region { region: rampart_inventory::Region, gaps: Vec<rampart_model::Gap> },
}

impl Scanner {
    /// Checks the options and learns the caller's identity (`sts:GetCallerIdentity`).
    pub async fn new(opts: &Options) -> Result<Scanner, CollectError> {
        let (ctx, account_id, partition) = crate::identify(opts).await?;
        Ok(Scanner { ctx, account_id, partition, opts: opts.clone(), assumed: Mutex::default() })
    }

    /// The caller's account id.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The caller's partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// The ARN of `role` in `account`.
    pub fn role_arn(&self, account: &str, role: &str) -> String {
        role_arn(&self.partition, account, role)
    }

    /// Every account of the caller's organisation, as listed (paginated). The error is the
    /// service's answer in one line.
    pub async fn list_accounts(&self) -> Result<Vec<OrgAccount>, String> {
        let org = client!(self.ctx, aws_sdk_organizations);
        let pages = self.ctx.call("organizations:ListAccounts", None, org.list_accounts().into_paginator().send().try_collect()).await;
        // A failed listing is the caller's error, not a gap of the caller's account.
        let _ = self.ctx.take_gaps();
        let mut accounts: Vec<OrgAccount> = pages?
            .iter()
            .flat_map(|p| p.accounts())
            .filter_map(|a| {
                let state = a.state().map(|s| s.as_str().to_string()).or_else(|| a.status().map(|s| s.as_str().to_string()));
                Some(OrgAccount {
                    id: a.id()?.to_string(),
                    name: a.name().unwrap_or_default().to_string(),
                    state: state.unwrap_or_else(|| "UNKNOWN".to_string()),
                })
            })
            .collect();
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts.dedup_by(|a, b| a.id == b.id);
        Ok(accounts)
    }

    /// Reads the caller's own account with the caller's credentials (no role assumed).
    pub async fn read_own(&self) -> Account {
        let ctx = self.ctx.for_account(&self.account_id, self.ctx.sdk.clone());
        let regions = crate::regions_to_read(&ctx, &self.opts, &self.partition).await;
        crate::read_account(&ctx, &self.account_id, &self.partition, &regions, &self.opts).await
    }

    /// Reads `account` through `role`. When the role cannot be assumed, `Err` holds the
    /// account with nothing read (every part `Unknown`) and the `sts:AssumeRole` gap that says
    /// why, attributed to that account and to no resource (so that nothing of the account is
    /// taken as gone).
    pub async fn read_member(&self, account: &str, role: &MemberRole) -> Result<Account, Account> {
        let sdk = match self.assume(account, role).await {
            Ok(sdk) => sdk,
            Err(gaps) => {
                let mut empty = Account::empty(account, &self.partition, &self.ctx.region);
                // Every region it would have read, with nothing read: checks over regions
                // (is there a trail anywhere?) are then NOT_AVAILABLE, never FAILED or PASSED.
                let regions = self.opts.regions.clone().unwrap_or_else(|| vec![self.ctx.region.clone()]);
                empty.regions = regions.iter().map(|r| rampart_inventory::Region::empty(r)).collect();
                empty.gaps = gaps;
                return Err(empty);
            }
        };
        let ctx = self.ctx.for_account(account, sdk);
        let regions = crate::regions_to_read(&ctx, &self.opts, &self.partition).await;
        Ok(crate::read_account(&ctx, account, &self.partition, &regions, &self.opts).await)
    }

    /// Assumes `role` in `account`: the SDK configuration whose credentials are the role's
    /// (renewed before they expire), or the gaps saying why it could not be assumed
    /// (attributed to `account`, no resource).
    async fn assume(&self, account: &str, role: &MemberRole) -> Result<aws_types::SdkConfig, Vec<rampart_model::Gap>> {
        let arn = self.role_arn(account, &role.name);
        let sts = client!(self.ctx, aws_sdk_sts);
        // The attempt is recorded against the member account: its failure is that account's.
        let attempt = self.ctx.for_account(account, self.ctx.sdk.clone());
        let req = sts.assume_role().role_arn(&arn).role_session_name(SESSION_NAME).set_external_id(role.external_id.clone());
        let assumed = attempt.call("sts:AssumeRole", None, req.send()).await;
        let creds = match assumed.map(|out| out.credentials().map(temporary)) {
            Ok(Some(creds)) => creds,
            failed => {
                let mut gaps = attempt.take_gaps();
                if let (Ok(None), true) = (&failed, gaps.is_empty()) {
                    gaps.push(rampart_model::Gap {
                        action: "sts:AssumeRole".into(),
                        kind: rampart_model::GapKind::Malformed,
                        account: account.to_string(),
                        region: self.ctx.region.clone(),
                        resource: None,
                        message: "the answer holds no credentials".into(),
                    });
                }
                for g in &mut gaps {
                    g.message = format!("role `{arn}` could not be assumed, nothing of the account was read: {}", g.message);
                }
                return Err(gaps);
            }
        };
        let provider = RoleCredentials { sts, role_arn: arn, external_id: role.external_id.clone(), current: Mutex::new(creds) };
        Ok(self.ctx.sdk.clone().into_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
    }

    /// The SDK configuration that reads `account`: the caller's own credentials for its own
    /// account when no role is given, else `role` assumed once and kept (its credentials
    /// renew themselves) for every later part of the account. A role that could not be
    /// assumed is not kept: the next part tries again.
    async fn account_sdk(&self, account: &str, role: Option<&MemberRole>) -> Result<aws_types::SdkConfig, String> {
        let Some(role) = role else {
            if account == self.account_id {
                return Ok(self.ctx.sdk.clone());
            }
            return Err(format!(
                "account {account} is not the caller's own ({}) and no member role is given to assume in it",
                self.account_id
            ));
        };
        let key = (account.to_string(), role.clone());
        if let Some((_, sdk)) = self.assumed.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(sdk);
        }
        match self.assume(account, role).await {
            Ok(sdk) => {
                if let Ok(mut m) = self.assumed.lock() {
                    let next = m.values().map(|(n, _)| *n).max().unwrap_or(0) + 1;
                    if m.len() >= ASSUMED_KEPT {
                        if let Some(oldest) = m.iter().min_by_key(|(_, (n, _))| *n).map(|(k, _)| k.clone()) {
                            m.remove(&oldest);
                        }
                    }
                    m.insert(key, (next, sdk.clone()));
                }
                Ok(sdk)
            }
            Err(gaps) => {
                Err(gaps.iter().map(|g| format!("{} {}: {}", g.action, g.kind.as_str(), g.message)).collect::<Vec<_>>().join("; "))
            }
        }
    }

    /// The regions to read in `account` (through `role`, or the caller's own credentials for
    /// its own account): those of the options, else those enabled for the account, else (that
    /// listing failed, a gap returned with them) those enabled by default. `Err`: the role could not be
    /// assumed.
    pub async fn regions_of(&self, account: &str, role: Option<&MemberRole>) -> Result<(Vec<String>, Vec<Gap>), String> {
        if let Some(list) = &self.opts.regions {
            return Ok((list.clone(), Vec::new()));
        }
        let sdk = self.account_sdk(account, role).await?;
        let ctx = self.ctx.for_account(account, sdk);
        let regions = crate::regions_to_read(&ctx, &self.opts, &self.partition).await;
        // A listing that failed (the regions enabled by default read instead) is a gap of
        // the account: without it, an opt-in region not read would look read and empty.
        Ok((regions, ctx.take_gaps()))
    }

    /// Reads one part of `account` (through `role`, or the caller's own credentials for its
    /// own account): its global services when `region` is `None`, else that region only.
    /// What a call could not read is a gap of the part, as in a whole account's reading;
    /// `Err` only when nothing could be read: the role not assumable (the `sts:AssumeRole`
    /// refusal in words), no role for another account, or an unknown region.
    pub async fn read_part(&self, account: &str, role: Option<&MemberRole>, region: Option<&str>) -> Result<PartRead, String> {
        if let Some(r) = region {
            if !crate::regions::is_known(r) {
                return Err(CollectError::UnknownRegion(r.to_string()).to_string());
            }
        }
        let sdk = self.account_sdk(account, role).await?;
        let ctx = self.ctx.for_account(account, sdk);
        Ok(match region {
            None => {
                let mut a = Account::empty(account, &self.partition, &ctx.region);
                crate::global::collect(&ctx, &mut a).await;
                a.gaps = ctx.take_gaps();
                PartRead::Global(a)
            }
            Some(r) => {
                let region = crate::regional::collect(&ctx.for_region(r)).await;
                PartRead::Region { region, gaps: ctx.take_gaps() }
            }
        })
    }

    /// Ends the progress display.
    pub fn finish(&self) {
        self.ctx.progress().finish();
    }
}

/// The ARN of the role `name` (with its path, if any) in `account`.
pub fn role_arn(partition: &str, account: &str, name: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{}", name.trim_matches('/'))
}

fn temporary(c: &aws_sdk_sts::types::Credentials) -> aws_credential_types::Credentials {
    let expiry = SystemTime::try_from(*c.expiration()).ok();
    aws_credential_types::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        "rampart-assume-role",
    )
}

/// A member role's credentials: those of the first `AssumeRole`, renewed by assuming the
/// role again (through the same guarded client, outside the call limiter: a renewal happens
/// while a call holds its permit) once they are within [`RENEW_BEFORE`] of expiring.
#[derive(Debug)]
struct RoleCredentials {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    external_id: Option<String>,
    current: Mutex<aws_credential_types::Credentials>,
}

impl RoleCredentials {
    fn fresh(&self) -> Option<aws_credential_types::Credentials> {
        let c = self.current.lock().ok()?.clone();
        match c.expiry() {
            Some(at) if at <= SystemTime::now() + RENEW_BEFORE => None,
            _ => Some(c),
        }
    }

    async fn renew(&self) -> Result<aws_credential_types::Credentials, CredentialsError> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(SESSION_NAME)
            .set_external_id(self.external_id.clone())
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!("renewing the credentials of `{}`: {}", self.role_arn, describe_error(&e)))
            })?;
        let c =
            out.credentials().map(temporary).ok_or_else(|| CredentialsError::provider_error("AssumeRole answered without credentials"))?;
        if let Ok(mut cur) = self.current.lock() {
            *cur = c.clone();
        }
        Ok(c)
    }
}

impl ProvideCredentials for RoleCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.renew())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_keep_the_path_and_partition() {
        assert_eq!(role_arn("aws", "111122223333", "RampartAudit"), "arn:aws:iam::111122223333:role/RampartAudit");
        assert_eq!(role_arn("aws-cn", "111122223333", "audit/Rampart"), "arn:aws-cn:iam::111122223333:role/audit/Rampart");
        assert_eq!(role_arn("aws", "111122223333", "/audit/Rampart/"), "arn:aws:iam::111122223333:role/audit/Rampart");
    }

    #[tokio::test]
    async fn credentials_near_expiry_are_renewed_and_others_kept() {
        let sdk = aws_types::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_types::region::Region::new("us-east-1"))
            .build();
        let sts = client!(
            Ctx::new(sdk, "1", "us-east-1", std::sync::Arc::new(tokio::sync::Semaphore::new(1)), crate::call::Progress::new(false)),
            aws_sdk_sts
        );
        let at = |secs: u64| {
            aws_credential_types::Credentials::new(
                "AK",
                "SK",
                Some("T".into()),
                Some(SystemTime::now() + Duration::from_secs(secs)),
                "test",
            )
        };
        let p = RoleCredentials { sts, role_arn: "arn:aws:iam::1:role/r".into(), external_id: None, current: Mutex::new(at(3600)) };
        assert!(p.fresh().is_some(), "an hour left: kept");
        *p.current.lock().unwrap() = at(60);
        assert!(p.fresh().is_none(), "a minute left: renewed");
    }
}
