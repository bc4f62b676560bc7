//! Many accounts: an organisation's accounts (or a given list), each scanned through a
//! member role, with bounded concurrency; one account's failure never stops the others.
//!
//! [`collect_accounts`] is the call: the CLI's `scan aws --org` / `--accounts` (and
//! `collect aws`) and, later, the server's schedules make it. It answers one [`Inventory`]
//! holding every account (accounts × regions) and what happened to each account
//! ([`AccountOutcome`]). An account whose role could not be assumed is in the inventory with
//! nothing read and the `sts:AssumeRole` gap saying why, so its checks are NOT_AVAILABLE, the
//! run names it in its incomplete list ([`incomplete_in_words`]) and the store archives none
//! of its findings.

use crate::Notify;
use anyhow::{Context, Result};
use rampart_collect_aws::org::{MemberRole, Scanner};
use rampart_inventory::{Account, Inventory};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// Accounts read at once unless told otherwise: each holds up to `concurrency` calls in
/// flight between them, so this mostly bounds memory and the number of sessions open.
pub const DEFAULT_PARALLEL_ACCOUNTS: usize = 4;

/// Which accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Targets {
    /// Every account of the caller's organisation (`ListAccounts`; the caller is the
    /// management account or a delegated administrator).
    Organization,
    /// These account ids (12 digits each).
    Accounts(Vec<String>),
}

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct AccountsSpec {
    pub targets: Targets,
    /// The role assumed in every account but the caller's own (read with the caller's
    /// credentials).
    pub member_role: Option<MemberRole>,
    /// Accounts read at once (at least 1).
    pub parallel_accounts: usize,
    /// How to reach AWS; `concurrency` bounds the calls in flight across all accounts and
    /// regions.
    pub collect: rampart_collect_aws::Options,
}

/// Why a spec cannot be scanned; each front end words it for its own inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    AccountId(String),
    NoAccounts,
    RoleName(String),
    ExternalId(String),
    /// Accounts other than the caller's need a role to assume.
    NoRole(Vec<String>),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::AccountId(s) => write!(f, "`{}` is not an AWS account id: account ids are 12 digits", crate::shown(s)),
            Refusal::NoAccounts => write!(f, "no account to scan"),
            Refusal::RoleName(s) => write!(
                f,
                "`{}` is not an IAM role name: up to 64 letters, digits and `+=,.@_-`, after an optional path (`path/Name`)",
                crate::shown(s)
            ),
            Refusal::ExternalId(s) => {
                write!(f, "`{}` is not a valid external id: 2 to 1224 letters, digits and `+=,.@:/-_`", crate::shown(s))
            }
            Refusal::NoRole(ids) => write!(f, "accounts other than the caller's own need a member role to assume: {}", ids.join(", ")),
        }
    }
}

impl std::error::Error for Refusal {}

impl AccountsSpec {
    /// Checks what can be checked without AWS: account ids, the role's name, the external id.
    pub fn check(&self) -> Result<(), Refusal> {
        if let Targets::Accounts(ids) = &self.targets {
            if ids.is_empty() {
                return Err(Refusal::NoAccounts);
            }
            if let Some(bad) = ids.iter().find(|id| !is_account_id(id)) {
                return Err(Refusal::AccountId(bad.clone()));
            }
        }
        if let Some(role) = &self.member_role {
            check_member_role(role)?;
        }
        if self.targets == Targets::Organization && self.member_role.is_none() {
            return Err(Refusal::NoRole(vec!["the organisation's members".into()]));
        }
        Ok(())
    }
}

/// A role's name (1-64 of `[A-Za-z0-9+=,.@_-]`, optionally after a path) and external id (2-1224
/// of `[A-Za-z0-9+=,.@:/-_]`), as IAM and STS accept them.
pub fn check_member_role(role: &MemberRole) -> Result<(), Refusal> {
    if !is_role_name(&role.name) {
        return Err(Refusal::RoleName(role.name.clone()));
    }
    if let Some(id) = &role.external_id {
        let ok = (2..=1224).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c));
        if !ok {
            return Err(Refusal::ExternalId(id.clone()));
        }
    }
    Ok(())
}

/// 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An IAM role name (1-64 of `[A-Za-z0-9+=,.@_-]`), optionally after a path (`a/b/Name`).
fn is_role_name(s: &str) -> bool {
    let (path, name) = s.rsplit_once('/').unwrap_or(("", s));
    let word = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (1..=64).contains(&name.len()) && word(name) && path.len() <= 510 && path.split('/').all(|p| word(p))
}

/// What happened to one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Read; `gaps` calls failed (each in the account's gaps).
    Scanned { regions: usize, gaps: usize },
    /// The member role could not be assumed: nothing was read (the reason in words).
    NotAssumed(String),
    /// Not read: the organisation lists it in this state (`SUSPENDED`, `PENDING_CLOSURE`, ...).
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOutcome {
    pub id: String,
    /// The name the organisation gives it (none for `--accounts`).
    pub name: Option<String>,
    pub outcome: Outcome,
}

impl AccountOutcome {
    fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.is_empty() => format!("account {} ({})", self.id, n),
            _ => format!("account {}", self.id),
        }
    }
}

/// Every account read (and those that could not be, with nothing read), and each account's
/// outcome, by account id.
#[derive(Debug)]
pub struct Collected {
    pub inventory: Inventory,
    pub accounts: Vec<AccountOutcome>,
}

/// Reads the accounts of `spec` (on a runtime of its own: for callers outside async code).
pub fn collect_accounts(spec: &AccountsSpec, notify: &dyn Notify) -> Result<Collected> {
    spec.check()?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    rt.block_on(collect_accounts_async(spec, notify))
}

/// [`collect_accounts`] inside a caller's runtime. Fails as a whole only when nothing can be
/// read: no identity, the organisation not listed, a spec refused, or no account read at
/// all (each account's reason then in the error).
pub async fn collect_accounts_async(spec: &AccountsSpec, notify: &dyn Notify) -> Result<Collected> {
    spec.check()?;
    let scanner = Scanner::new(&spec.collect).await?;
    let me = scanner.account_id().to_string();
    let (targets, mut outcomes) = targets_of(spec, &scanner, notify).await?;
    let (scanner, me) = (&scanner, &me);
    let jobs = targets.into_iter().filter_map(|(id, name)| {
        // Every account but the caller's has a role (refused above otherwise).
        let role = if id == *me { None } else { Some(spec.member_role.as_ref()?) };
        Some(async move {
            let read = match role {
                None => Ok(scanner.read_own().await),
                Some(role) => scanner.read_member(&id, role).await,
            };
            (id, name, read)
        })
    });
    let mut accounts: Vec<Account> = Vec::new();
    bounded(jobs, spec.parallel_accounts, |(id, name, read)| {
        let (account, outcome) = match read {
            Ok(a) => {
                let outcome = Outcome::Scanned { regions: a.regions.len(), gaps: a.gaps.len() };
                (a, outcome)
            }
            Err(a) => {
                let why = a.gaps.first().map(|g| format!("{} {}: {}", g.action, g.kind.as_str(), g.message)).unwrap_or_default();
                (a, Outcome::NotAssumed(why))
            }
        };
        let o = AccountOutcome { id, name, outcome };
        match &o.outcome {
            Outcome::Scanned { regions, gaps } => {
                notify.info(&format!("{}: scanned, {regions} region(s), {gaps} failed call(s)", o.label()));
                for (action, kind, n, message) in rampart_collect_aws::summarize_gaps(&account.gaps) {
                    notify.warn(&format!("{}: {}", o.label(), crate::inputs::gap_line(&action, kind, n, &message)));
                }
            }
            Outcome::NotAssumed(why) => notify.warn(&format!("{}: not scanned: {why}", o.label())),
            Outcome::Skipped(_) => {}
        }
        accounts.push(account);
        outcomes.push(o);
    })
    .await;
    scanner.finish();

    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    if !outcomes.iter().any(|o| matches!(o.outcome, Outcome::Scanned { .. })) {
        let why: Vec<String> = outcomes
            .iter()
            .map(|o| match &o.outcome {
                Outcome::NotAssumed(w) => format!("{}: {w}", o.label()),
                Outcome::Skipped(state) => format!("{}: {state}", o.label()),
                Outcome::Scanned { .. } => String::new(),
            })
            .collect();
        anyhow::bail!("no account could be read{}", if why.is_empty() { String::new() } else { format!(": {}", why.join("; ")) });
    }
    let mut inventory = Inventory::new(crate::now());
    inventory.accounts = accounts;
    Ok(Collected { inventory, accounts: outcomes })
}

/// The accounts `spec` names, each with its name when the organisation lists it, and the
/// outcome of each listed account that is not read (not `ACTIVE`, told through `notify`).
/// Refuses accounts other than the caller's when `spec` has no member role.
pub(crate) async fn targets_of(
    spec: &AccountsSpec,
    scanner: &Scanner,
    notify: &dyn Notify,
) -> Result<(Vec<(String, Option<String>)>, Vec<AccountOutcome>)> {
    let me = scanner.account_id().to_string();
    let mut outcomes = Vec::new();
    let targets: Vec<(String, Option<String>)> = match &spec.targets {
        Targets::Organization => {
            let listed = scanner.list_accounts().await.and_then(|l| {
                // An organisation holds at least its management account: an empty answer is
                // not an organisation to scan.
                if l.is_empty() {
                    Err("the answer lists no account".to_string())
                } else {
                    Ok(l)
                }
            });
            let listed = listed.map_err(|e| {
                anyhow::anyhow!(
                    "cannot list the organisation's accounts: {e}; run from the management account or a delegated administrator allowed organizations:ListAccounts (see `rampart iam-policy management`)"
                )
            })?;
            let mut active = Vec::new();
            for a in listed {
                if a.is_active() {
                    active.push((a.id, Some(a.name)));
                } else {
                    let o = AccountOutcome { id: a.id, name: Some(a.name), outcome: Outcome::Skipped(a.state.clone()) };
                    notify.warn(&format!("{}: {}, skipped (only ACTIVE accounts can be read)", o.label(), a.state));
                    outcomes.push(o);
                }
            }
            active
        }
        Targets::Accounts(ids) => {
            let mut ids = ids.clone();
            ids.sort();
            ids.dedup();
            ids.into_iter().map(|id| (id, None)).collect()
        }
    };
    if spec.member_role.is_none() {
        let others: Vec<String> = targets.iter().filter(|(id, _)| *id != me).map(|(id, _)| id.clone()).collect();
        if !others.is_empty() {
            return Err(Refusal::NoRole(others).into());
        }
    }
    Ok((targets, outcomes))
}

/// The run's incomplete list for an inventory of several accounts: each account's gaps in
/// words ([`rampart_model::gaps_in_words`]), each line naming its account, so that a report
/// says which account was not (fully) read.
pub fn incomplete_in_words(inv: &Inventory) -> Vec<String> {
    inv.accounts
        .iter()
        .flat_map(|a| rampart_model::gaps_in_words(&a.gaps).into_iter().map(move |w| format!("account {}: {w}", a.id)))
        .collect()
}

/// Runs `jobs` with at most `limit` of them in progress at once, giving each result to `done`
/// as it finishes. The jobs are polled on the caller's task: nothing needs to be `Send`, and a
/// job that has not been started has done nothing.
pub(crate) async fn bounded<F, T>(jobs: impl IntoIterator<Item = F>, limit: usize, mut done: impl FnMut(T))
where
    F: Future<Output = T>,
{
    let mut pending = jobs.into_iter();
    let mut running: Vec<Pin<Box<F>>> = Vec::new();
    loop {
        while running.len() < limit.max(1) {
            match pending.next() {
                Some(job) => running.push(Box::pin(job)),
                None => break,
            }
        }
        if running.is_empty() {
            return;
        }
        let out = std::future::poll_fn(|cx| {
            for i in 0..running.len() {
                if let Poll::Ready(v) = running[i].as_mut().poll(cx) {
                    drop(running.swap_remove(i));
                    return Poll::Ready(v);
                }
            }
            Poll::Pending
        })
        .await;
        done(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn spec(targets: Targets, role: Option<&str>, external_id: Option<&str>) -> AccountsSpec {
        AccountsSpec {
            targets,
            member_role: role.map(|r| MemberRole { name: r.into(), external_id: external_id.map(str::to_string) }),
            parallel_accounts: 2,
            collect: Default::default(),
        }
    }

    #[test]
    fn specs_are_checked_before_anything_is_read() {
        let list = |ids: &[&str]| Targets::Accounts(ids.iter().map(|s| s.to_string()).collect());
        assert_eq!(spec(list(&["111122223333"]), Some("Rampart"), None).check(), Ok(()));
        assert_eq!(
            spec(list(&["111122223333"]), None, None).check(),
            Ok(()),
            "the caller's own account needs no role (known only after the identity)"
        );
        assert_eq!(spec(list(&["11112222333"]), Some("R"), None).check(), Err(Refusal::AccountId("11112222333".into())));
        assert_eq!(spec(list(&["11112222333a"]), Some("R"), None).check(), Err(Refusal::AccountId("11112222333a".into())));
        assert_eq!(spec(list(&["１１１１２２２２３３３３"]), Some("R"), None).check().map_err(|_| ()), Err(()), "ASCII digits only");
        assert_eq!(spec(list(&[]), Some("R"), None).check(), Err(Refusal::NoAccounts));
        assert!(matches!(spec(Targets::Organization, None, None).check(), Err(Refusal::NoRole(_))));
        assert_eq!(spec(Targets::Organization, Some("audit/Rampart"), Some("ext-id:1")).check(), Ok(()));
        assert_eq!(spec(Targets::Organization, Some("bad role"), None).check(), Err(Refusal::RoleName("bad role".into())));
        assert_eq!(spec(Targets::Organization, Some(&"r".repeat(65)), None).check(), Err(Refusal::RoleName("r".repeat(65))));
        assert_eq!(spec(Targets::Organization, Some("R"), Some("x")).check(), Err(Refusal::ExternalId("x".into())));
        assert_eq!(spec(Targets::Organization, Some("R"), Some("a b")).check(), Err(Refusal::ExternalId("a b".into())));
    }

    #[test]
    fn bad_input_errors_say_what_is_expected() {
        assert_eq!(Refusal::AccountId("123".into()).to_string(), "`123` is not an AWS account id: account ids are 12 digits");
        assert!(Refusal::NoRole(vec!["111122223333".into()]).to_string().ends_with("111122223333"));
    }

    #[tokio::test]
    async fn at_most_the_limit_of_jobs_run_at_once_and_every_job_finishes() {
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let jobs = (0..20u64).map(|i| {
            let (now, peak) = (&now, &peak);
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                // Jobs of different lengths, so they finish out of order.
                tokio::time::sleep(std::time::Duration::from_millis(5 + (i * 7) % 13)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        let mut done = Vec::new();
        bounded(jobs, 3, |i| done.push(i)).await;
        assert_eq!(peak.load(Ordering::SeqCst), 3, "three at once, never more");
        done.sort();
        assert_eq!(done, (0..20).collect::<Vec<_>>());
        // A limit of 0 still makes progress, one at a time.
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let jobs = (0..4).map(|_| async {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(n, Ordering::SeqCst);
            tokio::task::yield_now().await;
            now.fetch_sub(1, Ordering::SeqCst);
        });
        let mut count = 0;
        bounded(jobs, 0, |()| count += 1).await;
        assert_eq!((count, peak.load(Ordering::SeqCst)), (4, 1));
    }

    #[test]
    fn incomplete_lines_name_their_account() {
        let mut a = Account::empty("111122223333", "aws", "us-east-1");
        a.gaps.push(rampart_model::Gap {
            action: "sts:AssumeRole".into(),
            kind: rampart_model::GapKind::AccessDenied,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            resource: None,
            message: "role `r` could not be assumed".into(),
        });
        let b = Account::empty("222233334444", "aws", "us-east-1");
        let mut inv = Inventory::new(crate::now());
        inv.accounts = vec![a, b];
        assert_eq!(
            incomplete_in_words(&inv),
            ["account 111122223333: sts:AssumeRole access denied (1 call): role `r` could not be assumed"]
        );
    }
}
