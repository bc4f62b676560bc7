//! Amazon Inspector-style rule packages over host telemetry: CIS (Distribution
//! Independent Linux), security best practices, and runtime behaviour.
//!
//! # API
//!
//! - [`evaluate`]`(telemetry, host) -> Vec<CheckResult>`: every rule of [`REGISTRY`],
//!   in registry order; [`evaluate_only`] for a subset.
//! - [`findings`]: results to [`Finding`]s with their rule's metadata.
//! - [`HostRef`]: the resource the results are about (an EC2 instance, or the local
//!   host named by its telemetry).
//! - [`rule`] looks a rule up by id; [`rules_markdown`] documents them all.
//!
//! **Architecture invariants:**
//! - Rules are pure functions of a [`Telemetry`]: no I/O, no clock, deterministic order
//!   (registry order, then the rule's own sorted order of sockets, files, users).
//! - Data the telemetry marks `Unknown` yields NOT_AVAILABLE, never PASSED. A rule that
//!   finds a violation in the data it has may still FAIL when other data is unknown.
//! - An input that is absent (no `/etc/passwd`, no sshd_config: a bare root, an image) is
//!   NOT_AVAILABLE with the reason, never a failure — unless the benchmark makes the
//!   absence itself the failure (no `/tmp` mount, no core-dump limit, an unset
//!   login.defs key), which the rule says in a comment.
//! - Every rule produces at least one result per evaluation, so a run can tell "no
//!   longer failing" from "not evaluated".
//! - Rule ids are forever (`host_<package>_<what>`), `service` is always `host`.
//!
//! **API boundary:** yes: rule ids and finding details (`tcp/0.0.0.0:23`, a path)
//! feed finding ids.

mod cis;
mod out;
mod practices;
mod runtime;
#[cfg(test)]
mod testkit;

use std::fmt::Write as _;

use rampart_host::Telemetry;
use rampart_model::{CheckMeta, CheckResult, Finding, Resource, ResourceType, Timestamp};

pub use out::Out;

/// The Inspector rule package a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Package {
    /// CIS Operating System Security Configuration Benchmarks.
    Cis,
    /// Security Best Practices.
    BestPractices,
    /// Runtime Behavior Analysis.
    Runtime,
}

impl Package {
    pub const ALL: [Package; 3] = [Package::Cis, Package::BestPractices, Package::Runtime];

    /// Inspector's name of the package.
    pub fn title(self) -> &'static str {
        match self {
            Package::Cis => cis::PACKAGE,
            Package::BestPractices => practices::PACKAGE,
            Package::Runtime => runtime::PACKAGE,
        }
    }
}

/// A rule: its metadata and its logic.
pub struct Rule {
    pub meta: CheckMeta,
    pub package: Package,
    pub eval: Eval,
}

/// How a rule decides. The table-driven kinds keep the many similar CIS rules short.
pub enum Eval {
    /// Owner and mode of one file or directory.
    File(cis::FileSpec),
    /// One sshd keyword (global value and every `Match` block override).
    Sshd(cis::SshdSpec),
    /// Kernel parameters that must all have the given value.
    Sysctl(&'static [(&'static str, &'static str)]),
    /// Anything else.
    Custom(fn(&Telemetry, &mut Out)),
}

/// The host the results are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRef {
    pub resource: Resource,
}

impl HostRef {
    /// An EC2 instance (`AwsEc2Instance`, id = its ARN).
    pub fn ec2_instance(
        partition: &str,
        account: &str,
        region: &str,
        instance_id: &str,
    ) -> HostRef {
        HostRef {
            resource: Resource {
                id: format!("arn:{partition}:ec2:{region}:{account}:instance/{instance_id}"),
                kind: ResourceType::AwsEc2Instance,
                account: account.to_owned(),
                region: region.to_owned(),
                partition: partition.to_owned(),
                name: instance_id.to_owned(),
            },
        }
    }

    /// A host known only by its telemetry (`Other`, id `host/<hostname>`, or
    /// `host:<root>` for a mounted root without a hostname); no account or region.
    pub fn from_telemetry(t: &Telemetry) -> HostRef {
        let (id, name) = match t.host.hostname.known() {
            Some(h) => (format!("host/{h}"), h.clone()),
            None => (format!("host:{}", t.root), t.root.clone()),
        };
        HostRef {
            resource: Resource {
                id,
                kind: ResourceType::Other,
                account: String::new(),
                region: String::new(),
                partition: String::new(),
                name,
            },
        }
    }
}

/// Every rule, in a stable order: CIS, best practices, runtime.
pub static REGISTRY: &[&Rule] = &[
    // CIS 1.1 filesystem
    &cis::system::TMP_SEPARATE,
    &cis::system::TMP_NODEV,
    &cis::system::TMP_NOSUID,
    &cis::system::TMP_NOEXEC,
    &cis::system::SHM_NODEV,
    &cis::system::SHM_NOSUID,
    &cis::system::SHM_NOEXEC,
    // CIS 1.5 process hardening
    &cis::system::CORE_DUMPS,
    &cis::system::ASLR,
    // CIS 3 network parameters
    &cis::sysctl::IP_FORWARD,
    &cis::sysctl::SEND_REDIRECTS,
    &cis::sysctl::SOURCE_ROUTE,
    &cis::sysctl::ACCEPT_REDIRECTS,
    &cis::sysctl::SECURE_REDIRECTS,
    &cis::sysctl::LOG_MARTIANS,
    &cis::sysctl::ICMP_BROADCASTS,
    &cis::sysctl::BOGUS_ICMP,
    &cis::sysctl::RP_FILTER,
    &cis::sysctl::SYNCOOKIES,
    &cis::sysctl::ACCEPT_RA,
    // CIS 5.1 cron
    &cis::files::CRONTAB,
    &cis::files::CRON_HOURLY,
    &cis::files::CRON_DAILY,
    &cis::files::CRON_WEEKLY,
    &cis::files::CRON_MONTHLY,
    &cis::files::CRON_D,
    // CIS 5.2 sshd
    &cis::files::SSHD_CONFIG,
    &cis::sshd::LOG_LEVEL,
    &cis::sshd::X11_FORWARDING,
    &cis::sshd::MAX_AUTH_TRIES,
    &cis::sshd::IGNORE_RHOSTS,
    &cis::sshd::HOSTBASED_AUTHENTICATION,
    &cis::sshd::PERMIT_ROOT_LOGIN,
    &cis::sshd::PERMIT_EMPTY_PASSWORDS,
    &cis::sshd::PERMIT_USER_ENVIRONMENT,
    &cis::sshd::IDLE_TIMEOUT,
    &cis::sshd::LOGIN_GRACE_TIME,
    &cis::sshd::ACCESS_LIMITED,
    &cis::sshd::BANNER,
    &cis::sshd::USE_PAM,
    &cis::sshd::ALLOW_TCP_FORWARDING,
    &cis::sshd::MAX_STARTUPS,
    &cis::sshd::MAX_SESSIONS,
    // CIS 5.4 password ageing
    &cis::system::PASS_MAX_DAYS,
    &cis::system::PASS_MIN_DAYS,
    &cis::system::PASS_WARN_AGE,
    // CIS 6.1 file permissions
    &cis::files::PASSWD,
    &cis::files::SHADOW,
    &cis::files::GROUP,
    &cis::files::GSHADOW,
    &cis::files::PASSWD_BACKUP,
    &cis::files::SHADOW_BACKUP,
    &cis::files::GROUP_BACKUP,
    &cis::files::GSHADOW_BACKUP,
    &cis::system::WORLD_WRITABLE,
    // CIS 6.2 users and groups
    &cis::system::EMPTY_PASSWORDS,
    &cis::system::ONLY_ROOT_UID_0,
    &cis::system::DUPLICATE_UIDS,
    &cis::system::DUPLICATE_GIDS,
    &cis::system::SHADOW_GROUP_EMPTY,
    // Security best practices
    &practices::SSH_ROOT_LOGIN,
    &practices::SSH_PASSWORD_AUTHENTICATION,
    &practices::PASSWORD_POLICY,
    &practices::ASLR,
    &practices::WORLD_WRITABLE,
    // Runtime behaviour
    &runtime::INSECURE_SERVICES,
    &runtime::ROOT_SERVICES,
    &runtime::ALL_INTERFACES,
    &runtime::WRITABLE_EXECUTABLES,
];

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|r| r.meta.id == id)
}

/// Evaluates every rule over the telemetry of `host`.
pub fn evaluate(t: &Telemetry, host: &HostRef) -> Vec<CheckResult> {
    evaluate_only(t, host, &[])
}

/// Evaluates the rules with the given ids (all when `only` is empty), in registry order.
pub fn evaluate_only(t: &Telemetry, host: &HostRef, only: &[&str]) -> Vec<CheckResult> {
    let mut results = Vec::new();
    for r in REGISTRY
        .iter()
        .filter(|r| only.is_empty() || only.contains(&r.meta.id))
    {
        results.extend(run_rule(r, t, host));
    }
    results
}

/// One rule's results.
pub(crate) fn run_rule(r: &Rule, t: &Telemetry, host: &HostRef) -> Vec<CheckResult> {
    let mut out = Out::new(r.meta.id, &host.resource);
    match &r.eval {
        Eval::File(spec) => cis::files::eval(spec, t, &mut out),
        Eval::Sshd(spec) => cis::sshd::eval(spec, t, &mut out),
        Eval::Sysctl(keys) => cis::sysctl::eval(keys, t, &mut out),
        Eval::Custom(f) => f(t, &mut out),
    }
    out.finish()
}

/// Turns results into findings with their rule's metadata (results of unknown rule ids
/// are dropped).
pub fn findings(results: Vec<CheckResult>, now: Timestamp) -> Vec<Finding> {
    results
        .into_iter()
        .filter_map(|r| {
            let meta = rule(r.check_id)?.meta;
            Some(Finding::from_result(&meta, r, now))
        })
        .collect()
}

/// The rules as Markdown: one table per package.
pub fn rules_markdown() -> String {
    let mut s = String::from("# Host rule packages\n\n");
    s.push_str(
        "Generated by `rampart_host_rules::rules_markdown()`. Every rule reads only the host \
         telemetry document; data the telemetry could not read gives NOT_AVAILABLE, never \
         PASSED.\n",
    );
    for p in Package::ALL {
        let rules: Vec<&Rule> = REGISTRY
            .iter()
            .copied()
            .filter(|r| r.package == p)
            .collect();
        // Writing to a String cannot fail.
        let _ = write!(
            s,
            "\n## {} ({} rules)\n\n| id | title | severity | remediation |\n|---|---|---|---|\n",
            p.title(),
            rules.len()
        );
        for r in rules {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | `{}` |",
                r.meta.id,
                r.meta.title.replace('|', "\\|"),
                r.meta.severity,
                r.meta.remediation.cli.replace('|', "\\|")
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_well_formed_and_metadata_consistent() {
        let mut seen = HashSet::new();
        for r in REGISTRY {
            let m = &r.meta;
            assert!(seen.insert(m.id), "duplicate id {}", m.id);
            let prefix = match r.package {
                Package::Cis => "host_cis_",
                Package::BestPractices => "host_bp_",
                Package::Runtime => "host_runtime_",
            };
            assert!(
                m.id.starts_with(prefix),
                "{} should start with {prefix}",
                m.id
            );
            assert!(
                m.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} is not snake_case",
                m.id
            );
            assert_eq!(m.service, "host");
            assert_eq!(m.category, rampart_model::Category::Security);
            assert_eq!(m.standards[0].control, r.package.title(), "{}", m.id);
            assert!(
                !m.remediation.cli.is_empty() && !m.remediation.console.is_empty(),
                "{}",
                m.id
            );
            if r.package == Package::Cis {
                assert!(
                    m.title.contains("(CIS "),
                    "{}: CIS number in the title",
                    m.id
                );
                assert!(m.description.contains("recommendation "), "{}", m.id);
                // The recommendation in RelatedRequirements is the one in the title.
                let number = &m.title[m.title.rfind("(CIS ").unwrap() + 5..m.title.len() - 1];
                assert_eq!(m.standards.len(), 2, "{}", m.id);
                assert_eq!(m.standards[1], rampart_model::StandardRef::cis_linux(number), "{}", m.id);
                assert!(
                    m.related_requirements().contains(&format!("CIS Distribution Independent Linux Benchmark v2.0.0/{number}")),
                    "{}",
                    m.id
                );
            } else {
                assert_eq!(m.standards.len(), 1, "{}", m.id);
            }
        }
    }

    #[test]
    fn package_sizes() {
        let count = |p| REGISTRY.iter().filter(|r| r.package == p).count();
        assert!(count(Package::Cis) >= 30);
        assert_eq!(count(Package::BestPractices), 5);
        assert_eq!(count(Package::Runtime), 4);
    }

    #[test]
    fn markdown_lists_every_rule() {
        let md = rules_markdown();
        for r in REGISTRY {
            assert!(md.contains(&format!("`{}`", r.meta.id)));
        }
    }

    #[test]
    fn findings_carry_metadata_and_unique_ids() {
        let t = testkit::compliant();
        let host = HostRef::ec2_instance("aws", "123456789012", "eu-west-1", "i-0abc");
        let results = evaluate(&t, &host);
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let fs = findings(results.clone(), now);
        assert_eq!(fs.len(), results.len());
        let ids: HashSet<&str> = fs.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids.len(), fs.len(), "finding ids are unique");
        assert!(fs
            .iter()
            .all(|f| f.resource.kind == ResourceType::AwsEc2Instance));
    }
}

/// The metadata every host rule shares (service `host`, Security, an EC2 instance), with the
/// rule package's standard reference and documentation page.
#[allow(clippy::too_many_arguments)]
pub(crate) const fn rule_meta(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    severity: rampart_model::Severity,
    console: &'static str,
    cli: &'static str,
    standards: &'static [rampart_model::StandardRef],
    url: &'static str,
) -> rampart_model::CheckMeta {
    rampart_model::CheckMeta {
        id,
        title,
        description,
        severity,
        category: rampart_model::Category::Security,
        service: "host",
        resource_type: rampart_model::ResourceType::AwsEc2Instance,
        standards,
        remediation: rampart_model::Remediation { console, cli, url },
    }
}
