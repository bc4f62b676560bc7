//! Inspector's host assessment: a host's telemetry (collected from a root, read from a
//! document, or extracted from an image or a Lambda zip) → its packages against the
//! vulnerability database (the CVE rule package) and the CIS, best-practice and runtime
//! rule packages → findings.

use crate::{Notify, Scan};
use anyhow::Result;
use rampart_host::{PackageKind, Telemetry};
use rampart_hub::VulnStore;
use rampart_model::{CheckMeta, CheckResult, Finding, Remediation, Resource, ResourceType, Severity, StandardRef, Status, Timestamp};
use rampart_vuln::hostmap::{ecosystem, Kind};
use std::path::Path;

/// Inspector's CVE rule package: one finding per (package, advisory).
pub static CVE: CheckMeta = CheckMeta {
    id: "host_cve",
    title: "Vulnerable package",
    description: "An installed package is in a version affected by a published vulnerability advisory (OSV, Debian security tracker, Alpine secdb).",
    severity: Severity::Medium,
    category: rampart_model::Category::Security,
    service: "host",
    resource_type: ResourceType::AwsEc2Instance,
    standards: &[StandardRef::inspector("Common Vulnerabilities and Exposures")],
    remediation: Remediation {
        console: "Upgrade the package to the fixed version named in the finding (or later) with the system's package manager, then restart the services that use it.",
        cli: "apt-get install --only-upgrade <package>   # or: dnf upgrade <package> / apk upgrade <package> / pip install -U <package>",
        url: "https://osv.dev/",
    },
};

/// The rule package a finding's check belongs to.
pub fn rule_package(check_id: &str) -> Option<&'static str> {
    if check_id == CVE.id {
        Some("cve")
    } else if check_id.starts_with("host_cis_") {
        Some("cis")
    } else if check_id.starts_with("host_bp_") {
        Some("best-practices")
    } else if check_id.starts_with("host_runtime_") {
        Some("runtime")
    } else {
        None
    }
}

/// Every check a host assessment evaluates: the CVE package, then the host rules.
pub fn check_ids() -> Vec<String> {
    std::iter::once(CVE.id.to_string()).chain(rampart_host_rules::REGISTRY.iter().map(|r| r.meta.id.to_string())).collect()
}

/// The host's name as its telemetry gives it, or the root it was read from.
pub fn hostname(t: &Telemetry) -> String {
    t.host.hostname.known().cloned().unwrap_or_else(|| t.root.clone())
}

/// Collects a root's telemetry, with progress ("reading packages: dpkg 1,234") to `notify`.
pub fn collect_root(root: &rampart_host::Root, now: Timestamp, notify: &dyn Notify) -> Telemetry {
    // The collector reports from its own threads; `notify` is only borrowed, so the
    // collection runs on a scoped thread and its progress comes back over a channel.
    let (tx, rx) = std::sync::mpsc::channel::<(String, usize)>();
    let t = std::thread::scope(|s| {
        let worker = s.spawn(move || {
            let progress = rampart_host::Progress(std::sync::Arc::new(move |stage: &str, n: usize| {
                let _ = tx.send((stage.to_owned(), n));
            }));
            rampart_host::collect_root(root, now, &rampart_host::Options { progress: Some(progress), ..Default::default() })
        });
        for (stage, n) in rx {
            notify.progress(format_args!("reading packages: {stage} {}", crate::thousands(n as u64)));
        }
        worker.join()
    });
    notify.progress_done();
    match t {
        Ok(t) => t,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Warnings: each package source that could not be read, then what was read only in part.
pub fn warn_collection(t: &Telemetry, notify: &dyn Notify) {
    for line in not_read(t) {
        notify.warn(&line);
    }
}

/// What a collection could not read, in words: each package source not read, then what was
/// read only in part. The run's [`RunInfo::incomplete`](rampart_model::RunInfo::incomplete).
pub fn not_read(t: &Telemetry) -> Vec<String> {
    let sources = t.packages.unread().map(|(s, why)| format!("packages of {} not read: {why}", s.describe()));
    sources.chain(t.problems.iter().map(|p| format!("{}: {}", p.section, p.message))).collect()
}

/// An image file (docker save, OCI layout tar or folder) or a Lambda deployment zip, read
/// into telemetry, with the names the image carries (`repo:tag`).
pub fn read_artifact(file: &Path, lambda: bool, now: Timestamp) -> Result<(Telemetry, Vec<String>)> {
    let opts = rampart_host::Options::default();
    if lambda {
        rampart_host::lambda::scan(file, now, &opts).map(|t| (t, Vec::new()))
    } else {
        rampart_host::image::scan(file, now, &opts)
    }
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The function a package is deployed as, by its unqualified ARN: the resource the AWS
/// scan reports the function as, so both scans' findings are about one resource.
pub fn function_resource(arn: &str) -> Result<Resource> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "lambda", region, account, "function", name, ..]
            if parts.len() <= 8
                && !partition.is_empty()
                && !region.is_empty()
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && !name.is_empty() =>
        {
            Ok(Resource {
                id: format!("arn:{partition}:lambda:{region}:{account}:function:{name}"),
                kind: ResourceType::AwsLambdaFunction,
                account: (*account).to_owned(),
                region: (*region).to_owned(),
                partition: (*partition).to_owned(),
                name: (*name).to_owned(),
            })
        }
        _ => anyhow::bail!(
            "`{arn}` is not a Lambda function ARN: give it as arn:aws:lambda:REGION:ACCOUNT:function:NAME (`aws lambda get-function --function-name NAME --query Configuration.FunctionArn`)"
        ),
    }
}

/// Which resource an assessment's findings are about.
#[derive(Debug, Clone, Default)]
pub enum Identity {
    /// The host the telemetry names.
    #[default]
    Host,
    /// The host the telemetry names, shown under this name (an image's `repo:tag`); ids
    /// stay the telemetry's (the image's config digest).
    Named(String),
    /// Another resource (the Lambda function a zip is deployed as): ids derive from it.
    Resource(Resource),
}

/// The assessment of one host as a run: every rule package, the CVE package against
/// `vulndb`. `source` names the run's input.
pub fn assess(t: &Telemetry, vulndb: &VulnStore, started: Timestamp, identity: &Identity) -> Result<Scan> {
    let mut findings = evaluate(t, Some(vulndb), started)?;
    for f in &mut findings {
        match identity {
            Identity::Resource(r) => {
                f.id = rampart_model::finding_id(&f.check_id, &r.id, &f.detail);
                f.resource = r.clone();
            }
            Identity::Named(name) => f.resource.name.clone_from(name),
            Identity::Host => {}
        }
    }
    let mut run = crate::run_info(format!("host:{}", hostname(t)), started, Vec::new(), Vec::new(), check_ids());
    run.incomplete = not_read(t);
    Ok(Scan::of(run, findings))
}

/// The findings of one host: its packages against the vulnerability database, and the
/// CIS, best-practice and runtime rule packages. `vulndb: None` skips the CVE package (an
/// assessment template without it needs no database).
pub fn evaluate(t: &Telemetry, vulndb: Option<&VulnStore>, started: Timestamp) -> Result<Vec<Finding>> {
    let host_ref = rampart_host_rules::HostRef::from_telemetry(t);
    let host: Resource = host_ref.resource.clone();
    let os = t.host.os.known();
    let (os_id, version_id) = (os.and_then(|o| o.id.as_deref()), os.and_then(|o| o.version_id.as_deref()));

    let mut results: Vec<CheckResult> = Vec::new();
    // The structured vulnerability of each CVE result, by the result's index.
    let mut vulnerabilities: Vec<(usize, rampart_model::Vulnerability)> = Vec::new();
    if let Some(store) = vulndb {
        let not_available = |detail: String, reason: String| CheckResult {
            check_id: CVE.id,
            resource: host.clone(),
            status: Status::NotAvailable,
            detail,
            reason,
            severity: None,
        };
        if t.packages.is_empty() {
            results.push(not_available(
                String::new(),
                format!(
                    "no package database found under `{}` (looked for {} and for Python, npm and Cargo manifests and Go binaries)",
                    t.root,
                    rampart_host::packages::OS_DATABASES.join(", ")
                ),
            ));
        }
        // Each source that could not be read is its own NOT_AVAILABLE; the others are matched.
        let unread: Vec<String> = t.packages.unread().map(|(s, _)| s.describe()).collect();
        for (s, why) in t.packages.unread() {
            results.push(not_available(format!("{} {}", s.reader(), s.location), format!("the packages of {} could not be read: {why}", s.describe())));
        }
        let pkgs = t.packages.read();
        let (vpkgs, installed) = matchable(&pkgs, os_id, version_id);
        let locations: Vec<String> = installed.iter().map(|p| p.location.clone()).collect();
        if store.meta()?.advisories == 0 {
            anyhow::bail!(
                "the vulnerability database `{}` is empty: load advisories with `rampart vulndb import PATH...` (OSV exports, Debian tracker, Alpine secdb)",
                store.path().display()
            );
        }
        // With other sources' records of the same CVEs, which rate advisories without a CVSS.
        let db = store.database_for(&vpkgs)?;
        let matches = db.matches(&vpkgs);
        // Never a clean pass for a host whose package list is incomplete.
        if matches.is_empty() && !unread.is_empty() && !t.packages.is_empty() {
            results.push(not_available(
                String::new(),
                format!("incomplete: none of the {} packages read matched an advisory, but {} could not be read", vpkgs.len(), unread.join(", ")),
            ));
        } else if matches.is_empty() && !t.packages.is_empty() {
            results.push(CheckResult {
                check_id: CVE.id,
                resource: host.clone(),
                status: Status::Passed,
                detail: String::new(),
                reason: format!("none of the {} packages matched an advisory", vpkgs.len()),
                severity: None,
            });
        }
        for m in matches {
            let p = &vpkgs[m.package];
            let aliases = if m.aliases.is_empty() { String::new() } else { format!(" ({})", m.aliases.join(", ")) };
            let fixed = m.fixed.as_deref().map(|f| format!("; fixed in {f}")).unwrap_or_else(|| "; no fixed version yet".into());
            let cvss = m.cvss.as_ref().map(|(v, c)| format!("; CVSS {:.1} {v}", c.score)).unwrap_or_default();
            // An informational advisory (RustSec: unmaintained, unsound, notice) is a
            // warning about the package, reported at informational severity.
            let (what, severity) = match &m.informational {
                Some(kind) => (format!("named in informational advisory ({kind})"), Some(Severity::Informational)),
                // No source rates it: informational, the lowest level ASFF has, and
                // the finding's vulnerability says "unknown" (never an invented level).
                None => ("affected by".to_owned(), Some(m.severity.unwrap_or(Severity::Informational))),
            };
            vulnerabilities.push((results.len(), vulnerability_of(&m, p, installed[m.package])));
            results.push(CheckResult {
                check_id: CVE.id,
                resource: host.clone(),
                status: Status::Failed,
                // The same package can be installed in several places (Go binaries, venvs)
                // and in several versions in one place (a Cargo.lock's semver-incompatible
                // duplicates): each is its own finding.
                detail: format!("{} {} {} {} {}", p.ecosystem, p.name, p.version, m.advisory, locations[m.package]),
                reason: format!("{} {} ({}) is {what} {}{aliases}{fixed}{cvss}", p.name, m.installed, locations[m.package], m.advisory),
                severity,
            });
        }
    }
    let mut findings: Vec<Finding> = results.into_iter().map(|r| Finding::from_result(&CVE, r, started)).collect();
    for (i, v) in vulnerabilities {
        findings[i].vulnerability = Some(Box::new(v));
    }
    // CIS, security best practices and runtime behaviour rule packages.
    findings.extend(rampart_host_rules::findings(rampart_host_rules::evaluate(t, &host_ref), started));
    Ok(findings)
}

/// The packages the vulnerability database can match, each with the installed package it
/// stands for (same index). A language package an OS package installed is matched through
/// that OS package, so it is left out.
pub(crate) fn matchable<'a>(
    pkgs: &[&'a rampart_host::Package],
    os_id: Option<&str>,
    version_id: Option<&str>,
) -> (Vec<rampart_vuln::Package>, Vec<&'a rampart_host::Package>) {
    let mut vpkgs = Vec::new();
    let mut installed = Vec::new();
    for p in pkgs.iter().copied().filter(|p| p.managed_by.is_none()) {
        if let Some(eco) = ecosystem(kind(p.kind), os_id, version_id) {
            installed.push(p);
            vpkgs.push(rampart_vuln::Package {
                ecosystem: eco,
                name: p.name.clone(),
                version: p.version.clone(),
                source: p.source.as_ref().map(|s| rampart_vuln::db::Source { name: s.name.clone(), version: s.version.clone() }),
            });
        }
    }
    (vpkgs, installed)
}

fn kind(k: PackageKind) -> Kind {
    match k {
        PackageKind::Deb => Kind::Deb,
        PackageKind::Rpm => Kind::Rpm,
        PackageKind::Apk => Kind::Apk,
        PackageKind::Python => Kind::Python,
        PackageKind::Npm => Kind::Npm,
        PackageKind::Cargo => Kind::Cargo,
        PackageKind::Go => Kind::Go,
    }
}

/// The structured vulnerability of a CVE finding: what ASFF's `Vulnerabilities` and OCSF's
/// Vulnerability Finding carry.
fn vulnerability_of(m: &rampart_vuln::VulnMatch, p: &rampart_vuln::Package, installed: &rampart_host::Package) -> rampart_model::Vulnerability {
    rampart_vuln::detail::vulnerability(
        m,
        &rampart_vuln::detail::Installed {
            kind: kind(installed.kind),
            ecosystem: &p.ecosystem,
            name: &installed.name,
            version: &installed.version,
            arch: installed.arch.as_deref(),
            source_name: p.source.as_ref().map(|s| s.name.as_str()),
            file_path: &installed.location,
        },
    )
}
