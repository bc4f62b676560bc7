//! Access keys in files and git history, classified against the account's IAM keys when
//! an inventory is given.

use crate::{Notify, Scan};
use anyhow::Result;
use rampart_inventory::Inventory;
use rampart_secrets::{ScanOptions, ScanReport};
use std::path::PathBuf;

/// What to scan.
#[derive(Debug, Clone)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    pub options: ScanOptions,
    /// Also read every blob of the object database of each path that is a git repository.
    pub history: bool,
}

/// Scans the paths (and their git history), warns about each path that could not be read
/// (at most 20, then a count), and returns the run with the scan's report: its
/// [`ScanReport::incomplete`] count makes the result incomplete, never clean.
pub fn scan(req: &Request, inv: Option<&Inventory>, notify: &dyn Notify) -> Result<(Scan, ScanReport)> {
    let started = crate::now();
    // A path given that cannot be read is an input error, with its cause.
    let mut report = rampart_secrets::scan_paths(&req.paths, &req.options)?;
    if req.history {
        for p in &req.paths {
            if rampart_secrets::is_git_repo(p) {
                report.merge(rampart_secrets::scan_git_history(p, &req.options)?);
            }
        }
    }
    for w in report.warnings(20) {
        notify.warn(&w);
    }
    let findings = rampart_secrets::findings(&report.hits, inv, started);
    let mut run = crate::run_info(
        format!("secrets:{}", req.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(",")),
        started,
        inv.map(|i| i.accounts.iter().map(|a| a.id.clone()).collect()).unwrap_or_default(),
        Vec::new(),
        vec![rampart_secrets::CHECK_ID.to_string()],
    );
    // Each path or object that could not be read, in the run itself.
    run.incomplete = report.skipped.iter().filter(|s| s.reason.incomplete()).map(ToString::to_string).collect();
    Ok((Scan::of(run, findings), report))
}
