//! Exposure paths (issue 14, item 5) over what Rampart stores: the inventory's
//! reachability (`rampart_reach::internet_exposure`), host telemetry documents (their
//! listening sockets, and their packages matched against the vulnerability database), the
//! IAM [`Estate`] and the inventory's data stores (S3 buckets, Secrets Manager secrets,
//! customer-managed KMS keys), joined by `rampart_exposure`.

use anyhow::Result;
use rampart_exposure::{Advisory, DataStore, Host, Instance, Listener, Report, StoreKind, VulnerablePackage};
use rampart_host::{Proto, Telemetry};
use rampart_hub::VulnStore;
use rampart_iam::{Estate, PrincipalKind};
use rampart_inventory::Inventory;
use rampart_model::{Finding, Observed, Timestamp};
use std::collections::BTreeMap;

/// One host telemetry document and where it came from (a file, `agent NAME`).
pub struct HostDoc {
    pub source: String,
    pub telemetry: Telemetry,
}

/// The host side of each document, by EC2 instance id: listening sockets, and the packages
/// with advisories (`Unknown` without a vulnerability database, or when a package source
/// could not be read and nothing matched). A document that names no instance is left out
/// (its host is not in the inventory). Of several documents of one instance the last wins.
pub fn hosts(docs: &[HostDoc], vulndb: Option<&VulnStore>) -> Result<BTreeMap<String, Host>> {
    let mut out = BTreeMap::new();
    for d in docs {
        let t = &d.telemetry;
        let Some(Some(id)) = t.host.ec2_instance_id.known() else { continue };
        let listeners = match &t.listening {
            Observed::Known(s) => Observed::Known(
                s.iter()
                    .map(|s| Listener {
                        protocol: match s.proto {
                            Proto::Tcp | Proto::Tcp6 => "tcp",
                            Proto::Udp | Proto::Udp6 => "udp",
                        }
                        .into(),
                        address: s.address,
                        port: s.port,
                        processes: s.processes.known().map(|ps| ps.iter().filter_map(|p| p.name.clone()).collect()).unwrap_or_default(),
                    })
                    .collect(),
            ),
            Observed::Unknown(why) => Observed::Unknown(why.clone()),
        };
        let vulnerable = match vulndb {
            None => Observed::Unknown("no vulnerability database: load one with `rampart vulndb import` or `rampart vulndb update`".into()),
            Some(store) => vulnerable(t, store)?,
        };
        out.insert(id.clone(), Host { source: d.source.clone(), listeners, vulnerable });
    }
    Ok(out)
}

/// The packages of `t` with advisories, each with the version that fixes all of them.
fn vulnerable(t: &Telemetry, store: &VulnStore) -> Result<Observed<Vec<VulnerablePackage>>> {
    if t.packages.is_empty() {
        return Ok(Observed::Unknown(format!("no package database found under `{}`", t.root)));
    }
    if store.meta()?.advisories == 0 {
        return Ok(Observed::Unknown(format!("the vulnerability database `{}` is empty", store.path().display())));
    }
    let os = t.host.os.known();
    let (os_id, version_id) = (os.and_then(|o| o.id.as_deref()), os.and_then(|o| o.version_id.as_deref()));
    let pkgs = t.packages.read();
    let (vpkgs, installed) = crate::host::matchable(&pkgs, os_id, version_id);
    let db = store.database_for(&vpkgs)?;
    let matches = db.matches(&vpkgs);
    let unread: Vec<String> = t.packages.unread().map(|(s, _)| s.describe()).collect();
    if matches.is_empty() && !unread.is_empty() {
        return Ok(Observed::Unknown(format!(
            "none of the packages read matched an advisory, but {} could not be read",
            unread.join(", ")
        )));
    }
    let mut by_package: BTreeMap<usize, Vec<&rampart_vuln::VulnMatch>> = BTreeMap::new();
    for m in matches.iter().filter(|m| m.informational.is_none()) {
        by_package.entry(m.package).or_default().push(m);
    }
    let mut out = Vec::new();
    for (i, ms) in by_package {
        let p = &vpkgs[i];
        let scheme = rampart_vuln::ecosystem::scheme(&p.ecosystem);
        // The version that fixes every advisory: the highest fixed version; none if one has no fix.
        let fixed = ms.iter().try_fold(None::<String>, |best, m| {
            let f = m.fixed.clone()?;
            Some(Some(match (best, scheme) {
                (Some(b), Some(s)) if s.compare(&b, &f).is_ge() => b,
                _ => f,
            }))
        });
        out.push(VulnerablePackage {
            name: p.name.clone(),
            version: p.version.clone(),
            kind: format!("{:?}", installed[i].kind).to_lowercase(),
            fixed: fixed.flatten(),
            advisories: ms
                .iter()
                .map(|m| Advisory {
                    id: m.advisory.clone(),
                    aliases: m.aliases.clone(),
                    severity: m.severity,
                    cvss: m.cvss.as_ref().map(|(_, c)| c.score),
                    vector: m.cvss.as_ref().map(|(v, _)| v.clone()),
                    fixed: m.fixed.clone(),
                    // The vulnerability database holds no known-exploited catalogue yet.
                    known_exploited: false,
                })
                .collect(),
        });
    }
    Ok(Observed::Known(out))
}

/// The engine's inputs from an inventory and an estate: every EC2 instance with what the
/// internet reaches on it, its role and its host (taken from `hosts`: the documents of
/// instances this inventory does not hold stay there), and the data stores.
pub fn inputs(inv: &Inventory, estate: &Estate, hosts: &mut BTreeMap<String, Host>) -> (Vec<Instance>, Vec<DataStore>) {
    // What the internet reaches, by instance id.
    let mut exposure: BTreeMap<String, Observed<Vec<(String, rampart_reach::ExposedRange)>>> = BTreeMap::new();
    for e in rampart_reach::internet_exposure(inv) {
        if e.resource_type != "instance" {
            continue;
        }
        let entry = exposure.entry(e.resource_id.clone()).or_insert(Observed::Known(Vec::new()));
        match (entry, e.status) {
            (Observed::Known(v), rampart_reach::Status::Known { ranges }) => {
                let eni = e.network_interface_id.clone().unwrap_or_default();
                v.extend(ranges.into_iter().map(|r| (eni.clone(), r)));
            }
            (slot @ Observed::Known(_), rampart_reach::Status::Unknown { missing }) => *slot = Observed::Unknown(missing.join("; ")),
            (Observed::Unknown(why), rampart_reach::Status::Unknown { missing }) => {
                why.push_str("; ");
                why.push_str(&missing.join("; "));
            }
            (Observed::Unknown(_), rampart_reach::Status::Known { .. }) => {}
        }
    }
    let mut instances = Vec::new();
    let mut stores = Vec::new();
    for account in &inv.accounts {
        for region in &account.regions {
            let Some(ec2) = region.ec2.known() else { continue };
            let Some(list) = ec2.instances.known() else { continue };
            for i in list.iter().filter(|i| i.state != "terminated") {
                let arn = account.arn("ec2", &region.name, &format!("instance/{}", i.instance_id));
                let role = match &i.iam_instance_profile_arn {
                    None => Observed::Known(None),
                    Some(profile) => {
                        let suffix = format!(":instance/{}", i.instance_id);
                        let holder = estate.principals.iter().find(|p| {
                            p.kind == PrincipalKind::Role
                                && p.account == account.id
                                && p.instances.iter().any(|a| *a == arn || a.ends_with(&suffix))
                        });
                        match (holder, &account.iam) {
                            (Some(p), _) => Observed::Known(Some(p.arn.clone())),
                            (None, Observed::Unknown(why)) => Observed::Unknown(format!("IAM of account {} was not read: {why}", account.id)),
                            (None, Observed::Known(_)) => Observed::Unknown(format!(
                                "no role read holds instance profile {profile} (a profile without a role, or the roles' instance profiles not read)"
                            )),
                        }
                    }
                };
                instances.push(Instance {
                    arn,
                    id: i.instance_id.clone(),
                    account: account.id.clone(),
                    region: region.name.clone(),
                    partition: account.partition.clone(),
                    name: i.tags.get("Name").cloned().unwrap_or_else(|| i.instance_id.clone()),
                    role,
                    instance_profile: i.iam_instance_profile_arn.clone(),
                    exposure: exposure.remove(&i.instance_id).unwrap_or(Observed::Known(Vec::new())),
                    host: hosts.remove(&i.instance_id),
                });
            }
            for s in region.secrets.known().into_iter().flatten() {
                stores.push(DataStore {
                    arn: s.arn.clone(),
                    kind: StoreKind::Secret,
                    account: account.id.clone(),
                    region: region.name.clone(),
                    name: s.name.clone(),
                    public: false,
                    holds_secrets: true,
                });
            }
            for k in region.kms.known().into_iter().flatten().filter(|k| k.key_manager == "CUSTOMER") {
                stores.push(DataStore {
                    arn: k.arn.clone(),
                    kind: StoreKind::KmsKey,
                    account: account.id.clone(),
                    region: region.name.clone(),
                    name: k.key_id.clone(),
                    public: false,
                    holds_secrets: false,
                });
            }
        }
        if let Some(s3) = account.s3.known() {
            let account_bpa = s3.account_public_access_block.known().cloned().flatten();
            for b in &s3.buckets {
                let restricted = [account_bpa.as_ref(), b.public_access_block.known().and_then(Option::as_ref)]
                    .into_iter()
                    .flatten()
                    .any(|p| p.restrict_public_buckets);
                let public = !restricted
                    && matches!(b.policy.known(), Some(Some(doc)) if rampart_policy::parse(doc).is_ok_and(|d| rampart_policy::s3_bucket_policy_public_access(&d, &account.id).is_public()));
                stores.push(DataStore {
                    arn: format!("arn:{}:s3:::{}", account.partition, b.name),
                    kind: StoreKind::S3Bucket,
                    account: account.id.clone(),
                    region: b.region.clone(),
                    name: b.name.clone(),
                    public,
                    holds_secrets: false,
                });
            }
        }
    }
    (instances, stores)
}

/// The ranked paths of an estate.
pub fn report(inv: &Inventory, estate: &Estate, mut hosts: BTreeMap<String, Host>) -> Report {
    let (instances, stores) = inputs(inv, estate, &mut hosts);
    rampart_exposure::paths(rampart_exposure::Input { estate, instances: &instances, stores: &stores })
}

/// The paths as findings (FAILED per path, NOT_AVAILABLE per link not read, PASSED per
/// instance without a path), with the report they come from.
pub fn findings(inv: &Inventory, estate: &Estate, mut hosts: BTreeMap<String, Host>, now: Timestamp) -> (Report, Vec<Finding>) {
    let (instances, stores) = inputs(inv, estate, &mut hosts);
    let input = rampart_exposure::Input { estate, instances: &instances, stores: &stores };
    let report = rampart_exposure::paths(input);
    let findings = rampart_exposure::findings(input, &report, now);
    (report, findings)
}

/// The report in words, one path a paragraph, most urgent first.
pub fn text(report: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if report.paths.is_empty() {
        let _ = writeln!(out, "no exposure path ({} instance(s) without one)", report.clear.len());
    }
    for p in &report.paths {
        let _ = writeln!(out, "{} {} {} ({})", p.rank, p.severity.as_str().to_uppercase(), p.instance_id, p.instance_name);
        let _ =
            writeln!(out, "  internet ({}) → {}/{} on {}", p.entry.sources, p.entry.protocol, p.entry.port, p.entry.network_interface_id);
        for s in &p.entry.steps {
            let _ = writeln!(
                out,
                "    {} {}{}",
                s.component_type,
                s.component_id,
                if s.rules.is_empty() { String::new() } else { format!(": {}", s.rules.join("; ")) }
            );
        }
        let advisories: Vec<String> = p
            .service
            .package
            .advisories
            .iter()
            .map(|a| format!("{}{}", a.id, a.cvss.map(|c| format!(" (CVSS {c:.1})")).unwrap_or_default()))
            .collect();
        let _ = writeln!(
            out,
            "  → {} listening, from {} {}: {}",
            p.service.processes.join(", "),
            p.service.package.name,
            p.service.package.version,
            advisories.join(", ")
        );
        let _ = writeln!(out, "  → role {}: {}", p.role, p.reach.in_words());
        let _ = writeln!(out, "  score {:.1} (exploitability {:.1}, blast {:?})", p.score, p.exploitability, p.blast);
        let _ = writeln!(out, "  fix (breaks {} path(s)): {}", p.fix.breaks, p.fix.change.in_words());
        for a in &p.alternatives {
            let _ = writeln!(out, "  or (breaks {}): {}", a.breaks, a.change.in_words());
        }
    }
    for u in &report.undecided {
        let _ = writeln!(out, "NOT_AVAILABLE {} {}: {}", u.instance, u.detail, u.reason);
    }
    out
}

/// The exposure paths of a scan given host telemetry (`scan aws|--snapshot --telemetry
/// FILE...`): the documents read again for their packages, matched against the default
/// vulnerability database when there is one (without one, each exposed instance's packages
/// are NOT_AVAILABLE), the estate built from the scanned inventory; the findings join the
/// scan's, with the config's exclusions and suppressions applied, and `exposure_path` joins
/// the run's checks. Without documents nothing is added: exposure paths need to know what
/// listens.
pub fn add_to_scan(
    scan: &mut crate::Scan,
    inv: &Inventory,
    telemetry: &[std::path::PathBuf],
    config: Option<&rampart_config::Config>,
    notify: &dyn crate::Notify,
) -> Result<()> {
    if telemetry.is_empty() {
        return Ok(());
    }
    let mut docs = Vec::new();
    for p in telemetry {
        docs.push(HostDoc { source: p.display().to_string(), telemetry: crate::inputs::read_telemetry(p)? });
    }
    let mut warnings = Vec::new();
    let vulndb = open_vulndb(None, &mut warnings)?;
    for w in &warnings {
        notify.warn(w);
    }
    let built = crate::iam::estate(std::slice::from_ref(inv));
    let (_, mut findings) = self::findings(inv, &built.estate, hosts(&docs, vulndb.as_ref())?, scan.run.started_at);
    if let Some(config) = config {
        let applied = config.apply(&mut findings, &|r| scan.resource_tags.get(&r.id).cloned(), scan.run.started_at);
        let excluded = applied.excluded().count();
        scan.excluded += excluded;
        scan.suppressed += applied.hits.len() - excluded;
    }
    scan.findings.extend(findings);
    scan.run.checks.push(rampart_exposure::CHECK.id.to_string());
    Ok(())
}

/// The latest telemetry document of each host that agents uploaded since `since` (the
/// store's agents; revoked agents' documents left out).
pub fn stored_docs(store: &rampart_hub::Store, since: Timestamp) -> Result<Vec<HostDoc>> {
    let mut out = Vec::new();
    for rec in store.latest_telemetry(since)? {
        let Some(json) = store.telemetry_document(rec.id)? else { continue };
        let telemetry =
            Telemetry::from_json(&json).map_err(|e| anyhow::anyhow!("stored telemetry {} of agent `{}`: {e}", rec.id, rec.agent))?;
        out.push(HostDoc { source: format!("agent `{}` ({})", rec.agent, rec.hostname), telemetry });
    }
    Ok(out)
}

/// The vulnerability database at `path`, or at the default path when none is given; `None`
/// (with a warning line) when the default one does not exist. A path given that cannot be
/// opened is an error.
pub fn open_vulndb(path: Option<&std::path::Path>, warnings: &mut Vec<String>) -> Result<Option<VulnStore>> {
    let (path, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (VulnStore::default_path(), false),
    };
    if !explicit && !path.exists() {
        warnings.push(format!(
            "no vulnerability database at `{}`: which packages are vulnerable is not known (run `rampart vulndb update`, or give --vulndb PATH)",
            path.display()
        ));
        return Ok(None);
    }
    VulnStore::open_read_only(&path).map(Some).map_err(|e| {
        anyhow::anyhow!(
            "the vulnerability database `{}` cannot be opened: {e} (check the path, or run `rampart vulndb update`)",
            path.display()
        )
    })
}

/// Exposure paths over several inventories (each account once, the latest first, as
/// `iam::estate` reads them), the estate's warnings kept.
pub fn analyse(inventories: &[Inventory], docs: &[HostDoc], vulndb: Option<&VulnStore>) -> Result<(Report, Vec<String>)> {
    let built = crate::iam::estate(inventories);
    let mut hosts = hosts(docs, vulndb)?;
    let (mut instances, mut stores) = (Vec::new(), Vec::new());
    for inv in inventories {
        let (i, s) = inputs(inv, &built.estate, &mut hosts);
        instances.extend(i);
        stores.extend(s);
    }
    let report = rampart_exposure::paths(rampart_exposure::Input { estate: &built.estate, instances: &instances, stores: &stores });
    Ok((report, built.warnings))
}

#[cfg(test)]
mod tests {
    /// Findings can be filtered and suppressed by the check id, like any check's.
    #[test]
    fn the_check_id_is_known_to_filters_and_the_config() {
        assert!(crate::browse::known_check(rampart_exposure::CHECK.id).is_ok());
        assert!((rampart_checks::KNOWN.contains)(rampart_exposure::CHECK.id));
    }
}
