//! Workers that read AWS: one account × region (or an account's global services) per job,
//! through `rampart_collect_aws` (the [`crate::jobs::Collector`] of `rampart worker` without
//! `--snapshot`).
//!
//! [`aws_plan`] splits a scan of `--accounts` or `--org` into parts: for each account its
//! global services and each region (those given, else those enabled for the account). The
//! caller's own account is read with the worker's own credentials; every other account
//! through the member role, which each worker assumes once per account and keeps (the
//! credentials renew themselves before they expire). A role a worker cannot assume fails
//! the job; the queue retries it, and a part that failed every attempt becomes a gap of its
//! account ([`crate::jobs::merge`]): the run is incomplete, the other accounts' findings are
//! recorded.

use crate::jobs::{Collector, Part, PartTarget, Plan};
use crate::org::AccountsSpec;
use crate::Notify;
use anyhow::{Context, Result};
use rampart_collect_aws::org::{MemberRole, PartRead, Scanner};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The source AWS runs are recorded with (as `rampart scan aws` records them).
pub const SOURCE: &str = "aws";

/// Reads parts of an AWS estate, one at a time, on a runtime of its own. The scanning
/// identity (`sts:GetCallerIdentity`) is learnt at the first part (or [`AwsCollector::identity`])
/// and kept for every later one, as are the member roles assumed.
pub struct AwsCollector {
    rt: tokio::runtime::Runtime,
    opts: rampart_collect_aws::Options,
    scanner: Arc<OnceCell<Scanner>>,
}

impl AwsCollector {
    /// A collector reaching AWS as `opts` says (`regions` is ignored: each job names its
    /// region). Nothing is called yet.
    pub fn new(opts: &rampart_collect_aws::Options) -> Result<AwsCollector> {
        // Collection nests deeper than a 2 MiB thread stack allows in a debug build.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_stack_size(8 << 20)
            .build()
            .context("cannot start the async runtime")?;
        let opts = rampart_collect_aws::Options { regions: None, progress: false, ..opts.clone() };
        Ok(AwsCollector { rt, opts, scanner: Arc::default() })
    }

    /// The scanning identity's account: connects now, so that a worker whose credentials or
    /// endpoint are wrong says so when it starts rather than failing every job it claims.
    pub fn identity(&self) -> Result<String> {
        let (cell, opts) = (self.scanner.clone(), self.opts.clone());
        self.rt.block_on(async move { Ok(cell.get_or_try_init(|| Scanner::new(&opts)).await?.account_id().to_string()) })
    }
}

impl Collector for AwsCollector {
    fn collect(&self, target: &PartTarget) -> Result<Part> {
        let (cell, opts, target) = (self.scanner.clone(), self.opts.clone(), target.clone());
        let task = self.rt.spawn(async move {
            let scanner = cell.get_or_try_init(|| Scanner::new(&opts)).await?;
            read_part(scanner, &target).await
        });
        self.rt.block_on(task).context("the collection task stopped")?
    }
}

/// One part of `target` read through `scanner`.
async fn read_part(scanner: &Scanner, target: &PartTarget) -> Result<Part> {
    let role = target.role.as_ref().map(|name| MemberRole { name: name.clone(), external_id: target.external_id.clone() });
    let collected_at = crate::now();
    let read = scanner.read_part(&target.account, role.as_ref(), target.region.as_deref()).await.map_err(anyhow::Error::msg)?;
    Ok(match read {
        PartRead::Global(mut account) => {
            account.gaps.extend(target.gaps.iter().cloned());
            Part::Global { account, collected_at }
        }
        PartRead::Region { region, gaps } => Part::Region { account: target.account.clone(), region, gaps, collected_at },
    })
}

/// The plan of an AWS scan of `spec`'s accounts (on a runtime of its own: for callers outside
/// async code). See [`aws_plan_async`].
pub fn aws_plan(spec: &AccountsSpec, notify: &dyn Notify) -> Result<Plan> {
    spec.check()?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    rt.block_on(aws_plan_async(spec, notify))
}

/// The parts of a scan of `spec`'s accounts: `--accounts` as given, or the organisation's
/// `ACTIVE` accounts (`ListAccounts`; the others are skipped, told through `notify`); for
/// each, its global services and each region of `spec.collect.regions`, else each region
/// enabled for that account (listed through its role, `parallel_accounts` at a time). An
/// account whose regions cannot be listed (its role refused) is planned with the regions
/// enabled for the caller's account: its jobs then fail as the listing did and end as its
/// gaps, as in a single-process scan.
pub async fn aws_plan_async(spec: &AccountsSpec, notify: &dyn Notify) -> Result<Plan> {
    spec.check()?;
    let scanner = Scanner::new(&spec.collect).await?;
    let (targets, _skipped) = crate::org::targets_of(spec, &scanner, notify).await?;
    let me = scanner.account_id().to_string();
    let role_of = |id: &str| if id == me { None } else { spec.member_role.clone() };
    let own_regions: OnceCell<Vec<String>> = OnceCell::new();
    let mut planned: Vec<(String, Option<MemberRole>, Vec<String>, Vec<rampart_model::Gap>)> = Vec::new();
    let (scanner_ref, own_ref) = (&scanner, &own_regions);
    let jobs = targets.into_iter().map(|(id, _name)| {
        let role = role_of(&id);
        async move {
            let (regions, gaps) = match scanner_ref.regions_of(&id, role.as_ref()).await {
                Ok(r) => r,
                Err(why) => {
                    notify.warn(&format!(
                        "account {id}: its regions cannot be listed ({why}); its jobs read the regions enabled for the caller's account"
                    ));
                    let own = own_ref
                        .get_or_init(|| async { scanner_ref.regions_of(scanner_ref.account_id(), None).await.map(|(r, _)| r).unwrap_or_default() })
                        .await
                        .clone();
                    (own, Vec::new())
                }
            };
            (id, role, regions, gaps)
        }
    });
    crate::org::bounded(jobs, spec.parallel_accounts, |p| planned.push(p)).await;
    planned.sort_by(|a, b| a.0.cmp(&b.0));
    let mut parts = Vec::new();
    for (account, role, regions, gaps) in planned {
        let base = PartTarget {
            account,
            region: None,
            role: role.as_ref().map(|r| r.name.clone()),
            external_id: role.and_then(|r| r.external_id),
            gaps,
        };
        let each_region = regions.iter().map(|r| PartTarget { region: Some(r.clone()), gaps: Vec::new(), ..base.clone() }).collect::<Vec<_>>();
        parts.push(base);
        parts.extend(each_region);
    }
    Ok(Plan { parts, source: SOURCE.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collector_is_built_without_calling_anything_and_parts_name_their_role() {
        let opts = rampart_collect_aws::Options { regions: Some(vec!["us-east-1".into()]), ..Default::default() };
        let c = AwsCollector::new(&opts).unwrap();
        assert!(c.opts.regions.is_none(), "each job names its region");
        assert!(c.scanner.get().is_none(), "no identity asked before a job or identity()");
    }
}
