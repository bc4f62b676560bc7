//! Exposure paths (issue 14, item 5): the internet reaches a port of an instance
//! (`rampart-reach`), a package with known vulnerabilities listens on that port (host
//! telemetry matched by `rampart-vuln`), the instance runs with a role (its instance
//! profile) whose effective permissions (`rampart-iam`) reach data stores. Each such
//! chain is a path, ranked by exploitability × blast radius, with the evidence of every
//! link and the single change that breaks it.
//!
//! **Architecture invariant:** pure: the caller (`rampart-app`) gathers the inputs —
//! reachability, listening sockets, vulnerable packages, the [`Estate`] and the data
//! stores — and this crate joins them. No I/O, no clock (time is an input), deterministic
//! order. A link that could not be read (reachability, telemetry, packages, the instance
//! profile) makes the instance's answer NOT_AVAILABLE, never "no path".
//!
//! **API boundary:** [`Path`] (and what it holds) is serialised for `rampart iam exposure
//! --format json` and the console; its field names are a compatibility promise.
//!
//! What it does not model yet: instances reached through a load balancer (only direct
//! exposure of an instance's interfaces), containers and Lambda functions, credentials
//! found on the host itself, and roles the instance role can assume (the escalation graph
//! answers that).

mod access;
mod fix;
mod link;
mod rank;

pub use access::{role_reach, Access, Level, RoleReach};
pub use fix::{Change, Fix};
pub use link::serves;
pub use rank::{exploitability, Blast};

use rampart_iam::Estate;
use rampart_model::{
    CheckMeta, CheckResult, Finding, Observed, Remediation, Resource, ResourceType, Severity, StandardRef, Status, Timestamp,
};
use rampart_reach::{ComponentType, ExposedRange, Family, Step};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// The check every path is a finding of.
pub static CHECK: CheckMeta = CheckMeta {
    id: "exposure_path",
    title: "Exposure path: internet → vulnerable service → instance role → data",
    description: "The internet can open connections to a port of this instance, a package with known vulnerabilities listens on that port, and the instance's role can read, change or administer data stores (or the account). Exploiting the service gives an attacker the role's credentials from the instance metadata service. The finding names every link and the single change that breaks the path.",
    severity: Severity::High,
    category: rampart_model::Category::Security,
    service: "ec2",
    resource_type: ResourceType::AwsEc2Instance,
    standards: &[StandardRef::inspector("Network Reachability"), StandardRef::inspector("Common Vulnerabilities and Exposures")],
    remediation: Remediation {
        console: "Apply the fix the finding names (it breaks the path with one change): revoke the security group rule that admits the internet, upgrade the package to its fixed version, or narrow the role's statement. `rampart iam exposure` lists every path with its chain.",
        cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]   # or: apt-get install --only-upgrade <package> / aws iam put-role-policy ...",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html",
    },
};

/// One EC2 instance as the paths see it.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `arn:aws:ec2:REGION:ACCOUNT:instance/i-…`
    pub arn: String,
    pub id: String,
    pub account: String,
    pub region: String,
    pub partition: String,
    /// Its `Name` tag, else its id.
    pub name: String,
    /// The role of its instance profile: `Known(None)` without a profile (or a profile
    /// without a role); `Unknown` when the profile could not be resolved.
    pub role: Observed<Option<String>>,
    /// The instance profile's ARN, when it has one.
    pub instance_profile: Option<String>,
    /// What the internet reaches on each of its interfaces: (interface id, range).
    pub exposure: Observed<Vec<(String, ExposedRange)>>,
    /// Its host telemetry; `None` when no document was joined to it.
    pub host: Option<Host>,
}

/// What host telemetry says about an instance.
#[derive(Debug, Clone)]
pub struct Host {
    /// Where the telemetry came from (a file, `agent NAME`), for the evidence.
    pub source: String,
    pub listeners: Observed<Vec<Listener>>,
    /// The installed packages with at least one advisory; `Unknown` when the packages or
    /// the vulnerability database could not be read.
    pub vulnerable: Observed<Vec<VulnerablePackage>>,
}

/// A listening socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    /// `tcp` or `udp`.
    pub protocol: String,
    pub address: IpAddr,
    pub port: u16,
    /// The names of the processes holding it (`sshd`); empty when the agent could not see them.
    pub processes: Vec<String>,
}

/// An installed package affected by advisories.
#[derive(Debug, Clone, Serialize)]
pub struct VulnerablePackage {
    pub name: String,
    pub version: String,
    /// `deb`, `rpm`, `apk`, …
    pub kind: String,
    /// The version that fixes every advisory below; `None` when one has no fix yet.
    pub fixed: Option<String>,
    pub advisories: Vec<Advisory>,
}

/// One advisory a package is affected by.
#[derive(Debug, Clone, Serialize)]
pub struct Advisory {
    pub id: String,
    pub aliases: Vec<String>,
    /// From the best real source; `None`: no source rates it.
    pub severity: Option<Severity>,
    pub cvss: Option<f64>,
    /// The CVSS vector (`CVSS:3.1/AV:N/AC:L/PR:N/…`) when there is one.
    pub vector: Option<String>,
    pub fixed: Option<String>,
    /// Listed as exploited in the wild (CISA KEV) by the advisory's source.
    pub known_exploited: bool,
}

/// What kind of data store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    S3Bucket,
    Secret,
    KmsKey,
    DynamoDbTable,
}

impl StoreKind {
    /// The CloudFormation type `Estate` resources carry.
    #[must_use]
    pub fn cfn_type(self) -> &'static str {
        match self {
            StoreKind::S3Bucket => "AWS::S3::Bucket",
            StoreKind::Secret => "AWS::SecretsManager::Secret",
            StoreKind::KmsKey => "AWS::KMS::Key",
            StoreKind::DynamoDbTable => "AWS::DynamoDB::Table",
        }
    }
}

/// A data store a role may reach.
#[derive(Debug, Clone, Serialize)]
pub struct DataStore {
    pub arn: String,
    pub kind: StoreKind,
    pub account: String,
    pub region: String,
    pub name: String,
    /// Anyone can already read it (public bucket policy or ACL).
    pub public: bool,
    /// It holds credentials (a Secrets Manager secret, a KMS key that protects them).
    pub holds_secrets: bool,
}

/// Everything the paths are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub estate: &'a Estate,
    pub instances: &'a [Instance],
    pub stores: &'a [DataStore],
}

/// The way in: a port the internet reaches and the path through the network.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub network_interface_id: String,
    pub protocol: String,
    pub port: u16,
    pub family: Family,
    /// Who on the internet gets through, in words.
    pub sources: String,
    /// Inspector-style network path (internet gateway, route table, network ACL, security groups, interface).
    pub steps: Vec<Step>,
}

/// What listens on the port.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub address: IpAddr,
    pub processes: Vec<String>,
    pub package: VulnerablePackage,
    /// Where the telemetry came from.
    pub telemetry: String,
}

/// One exposure path, with its evidence chain, rank and fix.
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    /// The finding id (stable across runs: from the instance, port, package and role).
    pub id: String,
    /// 1 is the most urgent.
    pub rank: usize,
    pub score: f64,
    pub severity: Severity,
    pub instance: String,
    pub instance_id: String,
    pub instance_name: String,
    pub account: String,
    pub region: String,
    pub entry: Entry,
    pub service: Service,
    pub role: String,
    pub instance_profile: Option<String>,
    /// What the role reaches.
    pub reach: RoleReach,
    pub exploitability: f64,
    pub blast: Blast,
    /// The change that breaks this path (and how many paths it breaks).
    pub fix: Fix,
    /// Other single changes that break it.
    pub alternatives: Vec<Fix>,
}

/// An instance whose paths cannot be told: which link was not read.
#[derive(Debug, Clone, Serialize)]
pub struct Undecided {
    pub instance: String,
    pub account: String,
    pub region: String,
    /// Distinguishes several undecided links of one instance (`telemetry`, `tcp/22`, …).
    pub detail: String,
    pub reason: String,
}

/// The answer: paths in rank order, instances that cannot be decided, and the instances
/// that were decided with no path.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub paths: Vec<Path>,
    pub undecided: Vec<Undecided>,
    /// Instance ARNs with every link read and no path.
    pub clear: Vec<String>,
}

/// A path before ranking.
struct Candidate {
    instance: usize,
    entry: Entry,
    service: Service,
    role: String,
    reach: RoleReach,
}

/// Joins the links into ranked paths.
#[must_use]
pub fn paths(input: Input<'_>) -> Report {
    let mut report = Report::default();
    let mut reach_of: BTreeMap<String, RoleReach> = BTreeMap::new();
    let mut candidates = Vec::new();
    for (i, inst) in input.instances.iter().enumerate() {
        let undecided = |detail: &str, reason: String| Undecided {
            instance: inst.arn.clone(),
            account: inst.account.clone(),
            region: inst.region.clone(),
            detail: detail.to_string(),
            reason,
        };
        // The role first: without one (or one that reaches nothing) there is no path,
        // whatever else could not be read.
        let role = match &inst.role {
            Observed::Known(None) => {
                report.clear.push(inst.arn.clone());
                continue;
            }
            Observed::Known(Some(r)) => r.clone(),
            Observed::Unknown(why) => {
                report.undecided.push(undecided("role", format!("the instance profile's role of {} was not read: {why}", inst.id)));
                continue;
            }
        };
        let reach = reach_of.entry(role.clone()).or_insert_with(|| role_reach(input.estate, &role, input.stores)).clone();
        if let Some(why) = &reach.unknown {
            report.undecided.push(undecided("role", why.clone()));
            continue;
        }
        if reach.is_empty() {
            report.clear.push(inst.arn.clone());
            continue;
        }
        let exposure = match &inst.exposure {
            Observed::Known(e) => e,
            Observed::Unknown(why) => {
                report.undecided.push(undecided("network", format!("what the internet reaches on {} is not known: {why}", inst.id)));
                continue;
            }
        };
        let exposed: Vec<&(String, ExposedRange)> = exposure.iter().filter(|(_, r)| r.protocol.has_ports()).collect();
        if exposed.is_empty() {
            report.clear.push(inst.arn.clone());
            continue;
        }
        let Some(host) = &inst.host else {
            let ports: Vec<String> =
                exposed.iter().map(|(_, r)| format!("{}/{}", r.protocol, rampart_reach::set::ports_text(&r.ports))).collect();
            report.undecided.push(undecided(
                "telemetry",
                format!(
                    "{} is reachable from the internet ({}) and its role reaches data, but no host telemetry is joined to it: what listens there is not known (run `rampart agent` on it)",
                    inst.id,
                    ports.join(", ")
                ),
            ));
            continue;
        };
        let listeners = match &host.listeners {
            Observed::Known(l) => l,
            Observed::Unknown(why) => {
                report
                    .undecided
                    .push(undecided("telemetry", format!("the listening sockets of {} were not read ({}): {why}", inst.id, host.source)));
                continue;
            }
        };
        let vulnerable = match &host.vulnerable {
            Observed::Known(v) => v,
            Observed::Unknown(why) => {
                report
                    .undecided
                    .push(undecided("packages", format!("the vulnerable packages of {} are not known ({}): {why}", inst.id, host.source)));
                continue;
            }
        };
        let before = candidates.len();
        let mut blind = BTreeSet::new();
        for (eni, range) in &exposed {
            let proto = range.protocol.to_string();
            for l in listeners.iter().filter(|l| l.protocol == proto && listens_for(l, range.family) && range.ports.contains(l.port)) {
                if l.processes.is_empty() {
                    if !vulnerable.is_empty() {
                        blind.insert(format!("{proto}/{}", l.port));
                    }
                    continue;
                }
                for p in vulnerable.iter().filter(|p| serves(&p.name, &l.processes)) {
                    candidates.push(Candidate {
                        instance: i,
                        entry: Entry {
                            network_interface_id: eni.clone(),
                            protocol: proto.clone(),
                            port: l.port,
                            family: range.family,
                            sources: range.sources_text.clone(),
                            steps: range.steps.clone(),
                        },
                        service: Service {
                            address: l.address,
                            processes: l.processes.clone(),
                            package: p.clone(),
                            telemetry: host.source.clone(),
                        },
                        role: role.clone(),
                        reach: reach.clone(),
                    });
                }
            }
        }
        for port in &blind {
            report.undecided.push(undecided(
                port,
                format!("something listens on {port} of {}, reachable from the internet, but the agent could not see which process: which package serves it is not known", inst.id),
            ));
        }
        if candidates.len() == before && blind.is_empty() {
            report.clear.push(inst.arn.clone());
        }
    }
    report.paths = rank::rank(input.instances, dedup(candidates));
    report
}

/// One path per (instance, interface, protocol, port, family, package): a socket bound
/// twice (`0.0.0.0` and `::`) is one service.
fn dedup(mut c: Vec<Candidate>) -> Vec<Candidate> {
    let mut seen = BTreeSet::new();
    c.retain(|c| {
        seen.insert((
            c.instance,
            c.entry.network_interface_id.clone(),
            c.entry.protocol.clone(),
            c.entry.port,
            c.entry.family,
            c.service.package.name.clone(),
        ))
    });
    c
}

/// Whether a socket takes connections of `family` from outside: not loopback, and an IPv4
/// socket never takes IPv6 (a `::` socket takes IPv4 too: Linux's `bindv6only = 0`).
fn listens_for(l: &Listener, family: Family) -> bool {
    if l.address.is_loopback() {
        return false;
    }
    match (family, l.address) {
        (Family::Ipv4, IpAddr::V4(_)) | (Family::Ipv6, IpAddr::V6(_)) => true,
        (Family::Ipv4, IpAddr::V6(v6)) => v6.is_unspecified() || v6.to_ipv4_mapped().is_some(),
        (Family::Ipv6, IpAddr::V4(_)) => false,
    }
}

/// The findings: one FAILED per path (rank, chain and fix in the reason), one
/// NOT_AVAILABLE per undecided link, one PASSED per instance without a path.
#[must_use]
pub fn findings(input: Input<'_>, report: &Report, now: Timestamp) -> Vec<Finding> {
    let by_arn: BTreeMap<&str, &Instance> = input.instances.iter().map(|i| (i.arn.as_str(), i)).collect();
    let resource = |arn: &str| -> Option<Resource> {
        let i = by_arn.get(arn)?;
        Some(Resource {
            id: i.arn.clone(),
            kind: ResourceType::AwsEc2Instance,
            account: i.account.clone(),
            region: i.region.clone(),
            partition: i.partition.clone(),
            name: i.name.clone(),
        })
    };
    let mut out = Vec::new();
    for p in &report.paths {
        let Some(res) = resource(&p.instance) else { continue };
        let mut f = Finding::from_result(
            &CHECK,
            CheckResult {
                check_id: CHECK.id,
                resource: res,
                status: Status::Failed,
                detail: detail(p),
                reason: p.summary(),
                severity: Some(p.severity),
            },
            now,
        );
        debug_assert_eq!(f.id, p.id);
        f.id.clone_from(&p.id);
        out.push(f);
    }
    for u in &report.undecided {
        let Some(res) = resource(&u.instance) else { continue };
        out.push(Finding::from_result(
            &CHECK,
            CheckResult {
                check_id: CHECK.id,
                resource: res,
                status: Status::NotAvailable,
                detail: u.detail.clone(),
                reason: u.reason.clone(),
                severity: None,
            },
            now,
        ));
    }
    for arn in &report.clear {
        let Some(res) = resource(arn) else { continue };
        out.push(Finding::from_result(
            &CHECK,
            CheckResult {
                check_id: CHECK.id,
                resource: res,
                status: Status::Passed,
                detail: String::new(),
                reason: "no path: no port reachable from the internet with a vulnerable package listening, or no role that reaches data"
                    .into(),
                severity: None,
            },
            now,
        ));
    }
    out
}

/// The finding's detail: the chain's identity (so the id is stable while the chain stands).
fn detail(p: &Path) -> String {
    format!(
        "{} {}/{}/{} {} via {}",
        p.entry.network_interface_id,
        p.entry.protocol,
        p.entry.port,
        match p.entry.family {
            Family::Ipv4 => "ipv4",
            Family::Ipv6 => "ipv6",
        },
        p.service.package.name,
        p.role
    )
}

impl Path {
    /// The path in one paragraph: rank, each link with its evidence, the fix.
    #[must_use]
    pub fn summary(&self) -> String {
        let sgs: Vec<String> = self
            .entry
            .steps
            .iter()
            .filter(|s| s.component_type == ComponentType::SecurityGroup)
            .map(|s| format!("{} ({})", s.component_id, s.rules.join("; ")))
            .collect();
        let worst = self.service.package.advisories.iter().map(|a| a.id.as_str()).take(3).collect::<Vec<_>>().join(", ");
        format!(
            "#{rank} (score {score:.1}): the internet ({sources}) reaches {proto}/{port} of {inst} through {sgs}; {procs} listens there from {pkg} {ver}, affected by {n} advisory(ies) ({worst}); the instance's role {role} {reach}. Fix: {fix}",
            rank = self.rank,
            score = self.score,
            sources = self.entry.sources,
            proto = self.entry.protocol,
            port = self.entry.port,
            inst = self.instance_id,
            sgs = if sgs.is_empty() { "no security group (none applies)".to_string() } else { sgs.join(", ") },
            procs = self.service.processes.join(", "),
            pkg = self.service.package.name,
            ver = self.service.package.version,
            n = self.service.package.advisories.len(),
            role = self.role,
            reach = self.reach.in_words(),
            fix = self.fix.change.in_words(),
        )
    }
}

#[cfg(test)]
mod tests;
