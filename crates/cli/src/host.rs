//! `rampart agent`, `scan host`, `scan image`, `scan lambda`: flags → `rampart_app::host` →
//! output.

use crate::cli::{HostArgs, OutputArgs};
use crate::progress::Stderr;
use anyhow::{Context, Result};
use rampart_app::host::Identity;
use rampart_app::Notify;
use rampart_host::Telemetry;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn agent(root: &Path, output: &Path, tags: Vec<(String, String)>) -> Result<ExitCode> {
    let root = root_dir(root)?;
    let notify = Stderr::new();
    let mut t = rampart_app::host::collect_root(&root, rampart_app::now(), &notify);
    t.tags = tags.into_iter().collect();
    std::fs::write(output, t.to_json()).with_context(|| format!("cannot write `{}`: check the path and permissions", output.display()))?;
    rampart_app::host::warn_collection(&t, &notify);
    notify.info(&format!("wrote {} ({} packages)", output.display(), t.packages.read().len()));
    Ok(ExitCode::SUCCESS)
}

/// The directory `--root` names, checked: missing or not a directory is an input error.
fn root_dir(root: &Path) -> Result<rampart_host::Root> {
    rampart_host::Root::dir(root).map_err(|e| {
        let hint = match e {
            rampart_host::RootError::Unreadable { .. } => "run as a user who can read it",
            _ => "give --root the directory a root filesystem is mounted at (an image file: `rampart scan image FILE`)",
        };
        let cause = std::error::Error::source(&e).map(|c| format!(": {c}")).unwrap_or_default();
        anyhow::anyhow!("{e}{cause}: {hint}")
    })
}

pub fn scan(args: &HostArgs, out: &OutputArgs) -> Result<ExitCode> {
    let started = rampart_app::now();
    let notify = Stderr::new();
    let t = match &args.telemetry {
        Some(path) => rampart_app::inputs::read_telemetry(path)?,
        None => rampart_app::host::collect_root(&root_dir(&args.root)?, started, &notify),
    };
    rampart_app::host::warn_collection(&t, &notify);
    assess(&t, args.vulndb.clone(), started, &Identity::Host, out)
}

/// `scan image` and `scan lambda`: the artifact's telemetry, assessed like a host's.
///
/// The resource is the artifact's content, not the path typed: an image is
/// `image:<config digest>` (its names, `repo:tag`, are the resource's name), a Lambda
/// zip is `lambda:<CodeSha256>`; so a finding's id, and its workflow, survive a rescan
/// of the same image from another path or layout.
pub fn scan_artifact(args: &crate::cli::ArtifactArgs, lambda: bool, out: &OutputArgs) -> Result<ExitCode> {
    let started = rampart_app::now();
    let (t, names) = rampart_app::host::read_artifact(&args.file, lambda, started)?;
    rampart_app::host::warn_collection(&t, &Stderr::new());
    let identity = match (&args.function_arn, lambda, names.first()) {
        (Some(_), false, _) => anyhow::bail!("--function-arn is for `rampart scan lambda` only"),
        (Some(arn), true, _) => Identity::Resource(rampart_app::host::function_resource(arn)?),
        (None, _, Some(n)) => Identity::Named(format!("{n} ({})", t.root)),
        (None, _, None) => Identity::Named(t.root.clone()),
    };
    assess(&t, args.vulndb.clone(), started, &identity, out)
}

fn assess(t: &Telemetry, vulndb: Option<PathBuf>, started: time::OffsetDateTime, identity: &Identity, out: &OutputArgs) -> Result<ExitCode> {
    // Reading advisories never creates a database: a mistyped path is an error, not an empty match.
    let db = crate::hints::read_vulndb(&vulndb.unwrap_or_else(rampart_hub::VulnStore::default_path))?;
    let scan = rampart_app::host::assess(t, &db, started, identity)?;
    crate::run::finish(scan, out)
}
