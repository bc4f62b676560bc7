//! Wiring of host assessment: telemetry → packages → vulnerability database → findings.

use crate::cli::{HostArgs, OutputArgs};
use anyhow::{Context, Result};
use rampart_host::{PackageKind, Telemetry};
use rampart_model::{CheckMeta, CheckResult, Finding, Remediation, Resource, ResourceType, RunInfo, Severity, StandardRef, Status};
use rampart_vuln::hostmap::{ecosystem, Kind};
use std::path::Path;
use std::process::ExitCode;

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

pub fn agent(root: &Path, output: &Path, tags: Vec<(String, String)>) -> Result<ExitCode> {
    let root = root_dir(root)?;
    let mut t = collect_with_progress(&root, time::OffsetDateTime::now_utc());
    t.tags = tags.into_iter().collect();
    std::fs::write(output, t.to_json()).with_context(|| format!("cannot write `{}`: check the path and permissions", output.display()))?;
    warn_collection(&t);
    eprintln!("wrote {} ({} packages)", output.display(), t.packages.read().len());
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

/// Collects the root's telemetry with a one-line progress indicator on stderr when it is a
/// terminal (reading a large root's packages takes a while); nothing otherwise.
fn collect_with_progress(root: &rampart_host::Root, now: time::OffsetDateTime) -> Telemetry {
    use std::io::IsTerminal;
    let terminal = std::io::stderr().is_terminal();
    let progress = terminal.then(|| {
        rampart_host::Progress(std::sync::Arc::new(|stage: &str, n: usize| {
            // `\r` and "erase line": the indicator stays one line.
            eprint!("\r\x1b[2Kreading packages: {stage} {} …", crate::progress::thousands(n as u64));
        }))
    });
    let t = rampart_host::collect_root(root, now, &rampart_host::Options { progress, ..Default::default() });
    if terminal {
        eprint!("\r\x1b[2K");
    }
    t
}

/// Warnings on stderr: each package source that could not be read, then what was read
/// only in part.
fn warn_collection(t: &Telemetry) {
    for (s, why) in t.packages.unread() {
        eprintln!("warning: packages of {} not read: {why}", s.describe());
    }
    for p in &t.problems {
        eprintln!("warning: {}: {}", p.section, p.message);
    }
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

pub fn scan(args: &HostArgs, out: &OutputArgs) -> Result<ExitCode> {
    let started = time::OffsetDateTime::now_utc();
    let t = match &args.telemetry {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`: check the path", path.display()))?;
            Telemetry::from_json(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))?
        }
        None => {
            let root = root_dir(&args.root)?;
            collect_with_progress(&root, started)
        }
    };
    warn_collection(&t);
    assess(t, args.vulndb.clone(), started, out)
}

/// `scan image` and `scan lambda`: the artifact's telemetry, assessed like a host's.
///
/// The resource is the artifact's content, not the path typed: an image is
/// `image:<config digest>` (its names, `repo:tag`, are the resource's name), a Lambda
/// zip is `lambda:<CodeSha256>`; so a finding's id, and its workflow, survive a rescan
/// of the same image from another path or layout.
pub fn scan_artifact(args: &crate::cli::ArtifactArgs, lambda: bool, out: &OutputArgs) -> Result<ExitCode> {
    let started = time::OffsetDateTime::now_utc();
    let opts = rampart_host::Options::default();
    let (t, names) = if lambda {
        rampart_host::lambda::scan(&args.file, started, &opts).map(|t| (t, Vec::new()))
    } else {
        rampart_host::image::scan(&args.file, started, &opts)
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    warn_collection(&t);
    let function = match (&args.function_arn, lambda) {
        (Some(_), false) => anyhow::bail!("--function-arn is for `rampart scan lambda` only"),
        (Some(arn), true) => Some(function_resource(arn)?),
        (None, _) => None,
    };
    let name = match names.first() {
        Some(n) => format!("{n} ({})", t.root),
        None => t.root.clone(),
    };
    assess_named(t, args.vulndb.clone(), started, out, Some(name), function)
}

/// The function a package is deployed as, by its unqualified ARN: the resource the AWS
/// scan reports the function as, so both scans' findings are about one resource.
fn function_resource(arn: &str) -> Result<Resource> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "lambda", region, account, "function", name, ..]
            if parts.len() <= 8 && !partition.is_empty() && !region.is_empty() && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() =>
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

fn assess(t: Telemetry, vulndb: Option<std::path::PathBuf>, started: time::OffsetDateTime, out: &OutputArgs) -> Result<ExitCode> {
    assess_named(t, vulndb, started, out, None, None)
}

/// [`assess`], the findings' resource named `name` when given (the id stays the
/// telemetry's), or about `resource` instead (ids derived from it).
fn assess_named(t: Telemetry, vulndb: Option<std::path::PathBuf>, started: time::OffsetDateTime, out: &OutputArgs, name: Option<String>, resource: Option<Resource>) -> Result<ExitCode> {
    let hostname = hostname(&t);
    let mut findings = evaluate(&t, Some(vulndb), started)?;
    for f in &mut findings {
        match (&resource, &name) {
            (Some(r), _) => {
                f.id = rampart_model::finding_id(&f.check_id, &r.id, &f.detail);
                f.resource = r.clone();
            }
            (None, Some(name)) => f.resource.name.clone_from(name),
            (None, None) => {}
        }
    }
    let finished = time::OffsetDateTime::now_utc();
    let run = RunInfo {
        id: format!("run-{}-{:09}", finished.unix_timestamp(), finished.nanosecond()),
        started_at: started,
        finished_at: finished,
        source: format!("host:{hostname}"),
        accounts: Vec::new(),
        regions: Vec::new(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        checks: check_ids(),
    };
    crate::run::finish(run, findings, Vec::new(), &[], out)
}

/// The host's name as its telemetry gives it, or the root it was read from.
pub(crate) fn hostname(t: &Telemetry) -> String {
    t.host.hostname.known().cloned().unwrap_or_else(|| t.root.clone())
}

/// Every check a host assessment evaluates: the CVE package, then the host rules.
pub(crate) fn check_ids() -> Vec<String> {
    std::iter::once(CVE.id.to_string())
        .chain(rampart_host_rules::REGISTRY.iter().map(|r| r.meta.id.to_string()))
        .collect()
}

/// The findings of one host: its packages against the vulnerability database, and the
/// CIS, best-practice and runtime rule packages.
/// `vulndb: None` skips the CVE package (an assessment template without it needs no database).
pub(crate) fn evaluate(t: &Telemetry, vulndb: Option<Option<std::path::PathBuf>>, started: time::OffsetDateTime) -> Result<Vec<Finding>> {
    let host_ref = rampart_host_rules::HostRef::from_telemetry(t);
    let host: Resource = host_ref.resource.clone();
    let os = t.host.os.known();
    let (os_id, version_id) = (os.and_then(|o| o.id.as_deref()), os.and_then(|o| o.version_id.as_deref()));

    let mut results: Vec<CheckResult> = Vec::new();
    // The structured vulnerability of each CVE result, by the result's index.
    let mut vulnerabilities: Vec<(usize, rampart_model::Vulnerability)> = Vec::new();
    if let Some(vulndb) = vulndb {
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
        {
            let mut vpkgs = Vec::new();
            let mut locations = Vec::new();
            let mut installed = Vec::new();
            // A language package an OS package installed is matched through that OS package.
            for p in pkgs.iter().filter(|p| p.managed_by.is_none()) {
                if let Some(eco) = ecosystem(kind(p.kind), os_id, version_id) {
                    locations.push(p.location.clone());
                    installed.push(p);
                    vpkgs.push(rampart_vuln::Package {
                        ecosystem: eco,
                        name: p.name.clone(),
                        version: p.version.clone(),
                        source: p.source.as_ref().map(|s| rampart_vuln::db::Source { name: s.name.clone(), version: s.version.clone() }),
                    });
                }
            }
            let path = vulndb.unwrap_or_else(rampart_hub::VulnStore::default_path);
            // Reading advisories never creates a database: a mistyped path is an error, not an empty match.
            let store = crate::hints::read_vulndb(&path)?;
            if store.meta()?.advisories == 0 {
                anyhow::bail!("the vulnerability database `{}` is empty: load advisories with `rampart vulndb import PATH...` (OSV exports, Debian tracker, Alpine secdb)", path.display());
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
    }
    let mut findings: Vec<Finding> = results.into_iter().map(|r| Finding::from_result(&CVE, r, started)).collect();
    for (i, v) in vulnerabilities {
        findings[i].vulnerability = Some(Box::new(v));
    }
    // CIS, security best practices and runtime behaviour rule packages.
    findings.extend(rampart_host_rules::findings(rampart_host_rules::evaluate(t, &host_ref), started));
    Ok(findings)
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
