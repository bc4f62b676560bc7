//! The single change that breaks a path.
//!
//! Each link offers the changes that break it alone: the one security group rule that
//! admits the internet to the port (when exactly one does: two rules need two changes),
//! the package's fixed version (when every advisory has one), the one statement that
//! grants the role everything the path reaches (when exactly one does), and, always,
//! stopping the service or detaching the role. The fix is the change that breaks the most
//! paths of the estate; between equals, on a remote-administration or database port
//! closing the rule first (such ports should never face the internet), on any other port
//! patching first (closing it would stop the service); detaching the role and stopping the
//! service come last (they take something away from the workload).

use crate::{Candidate, Instance};
use serde::Serialize;
use std::collections::BTreeMap;

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "link", rename_all = "snake_case")]
pub enum Change {
    /// Revoke the one security group rule that admits the internet to the port.
    CloseRule { group: String, rule: String, protocol: String, port: u16 },
    /// Upgrade the package to the version that fixes every advisory.
    Patch { instance: String, package: String, installed: String, fixed: String },
    /// Remove or narrow the one statement that grants the role what the path reaches.
    NarrowRole { role: String, statement: String },
    /// Stop the service (or bind it to a private address).
    StopListening { instance: String, protocol: String, port: u16, processes: Vec<String> },
    /// Remove the role from the instance profile (or the profile from the instance).
    DetachRole { instance: String, instance_profile: Option<String>, role: String },
}

impl Change {
    /// The change in words, with the command where one exists.
    #[must_use]
    pub fn in_words(&self) -> String {
        match self {
            Change::CloseRule { group, rule, protocol, port } => format!(
                "revoke the rule `{rule}` of security group {group} (`aws ec2 revoke-security-group-ingress --group-id {group} --protocol {protocol} --port {port} --cidr <source>`), or narrow its source to the addresses that need {protocol}/{port}"
            ),
            Change::Patch { instance, package, installed, fixed } => {
                format!("upgrade {package} on {instance} from {installed} to {fixed} or later and restart the service")
            }
            Change::NarrowRole { role, statement } => format!("remove or narrow the statement {statement} of role {role}"),
            Change::StopListening { instance, protocol, port, processes } => {
                format!("stop {} on {instance} or bind it to a private address ({protocol}/{port})", processes.join(", "))
            }
            Change::DetachRole { instance, instance_profile, role } => match instance_profile {
                Some(p) => format!("remove role {role} from instance profile {p} (or disassociate the profile from {instance})"),
                None => format!("remove role {role} from {instance}"),
            },
        }
    }

    fn cost(&self, admin_port: bool) -> usize {
        match (self, admin_port) {
            (Change::CloseRule { .. }, true) | (Change::Patch { .. }, false) => 0,
            (Change::Patch { .. }, true) | (Change::NarrowRole { .. }, false) => 1,
            (Change::NarrowRole { .. }, true) | (Change::CloseRule { .. }, false) => 2,
            (Change::DetachRole { .. }, _) => 3,
            (Change::StopListening { .. }, _) => 4,
        }
    }
}

/// A change and how many paths of the estate it breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub change: Change,
    pub breaks: usize,
}

/// Remote administration and database ports: never meant for the internet.
const ADMIN_PORTS: &[u16] =
    &[22, 23, 3389, 5900, 5985, 5986, 1433, 1521, 3306, 5432, 6379, 9042, 9200, 11211, 27017, 5984, 2375, 2379, 6443];

/// The rules of a security group step that admit `port` (labels `tcp 22 from 0.0.0.0/0`,
/// `all all from ::/0`, `tcp 20-25,80 from …`); a label that cannot be read counts.
fn admits(rule: &str, port: u16) -> bool {
    let Some(ports) = rule.split(' ').nth(1) else { return true };
    ports == "all"
        || ports.split(',').any(|p| match p.split_once('-') {
            Some((lo, hi)) => matches!((lo.parse::<u16>(), hi.parse::<u16>()), (Ok(l), Ok(h)) if l <= port && port <= h),
            None => p.parse::<u16>().map_or(true, |x| x == port),
        })
}

/// Every single change that breaks `c`.
fn changes(instances: &[Instance], c: &Candidate) -> Vec<Change> {
    let inst = &instances[c.instance];
    let mut out = Vec::new();
    let rules: Vec<(String, String)> = c
        .entry
        .steps
        .iter()
        .filter(|s| s.component_type == rampart_reach::ComponentType::SecurityGroup)
        .flat_map(|s| s.rules.iter().filter(|r| admits(r, c.entry.port)).map(move |r| (s.component_id.clone(), r.clone())))
        .collect();
    if let [(group, rule)] = rules.as_slice() {
        out.push(Change::CloseRule { group: group.clone(), rule: rule.clone(), protocol: c.entry.protocol.clone(), port: c.entry.port });
    }
    let pkg = &c.service.package;
    if let Some(fixed) = &pkg.fixed {
        out.push(Change::Patch {
            instance: inst.id.clone(),
            package: pkg.name.clone(),
            installed: pkg.version.clone(),
            fixed: fixed.clone(),
        });
    }
    if let [statement] = c.reach.statements().as_slice() {
        out.push(Change::NarrowRole { role: c.role.clone(), statement: statement.clone() });
    }
    out.push(Change::DetachRole { instance: inst.id.clone(), instance_profile: inst.instance_profile.clone(), role: c.role.clone() });
    out.push(Change::StopListening {
        instance: inst.id.clone(),
        protocol: c.entry.protocol.clone(),
        port: c.entry.port,
        processes: c.service.processes.clone(),
    });
    out
}

/// For each candidate: its fix and the other single changes that break it.
pub(crate) fn choose(instances: &[Instance], candidates: &[Candidate]) -> Vec<(Fix, Vec<Fix>)> {
    let per: Vec<Vec<Change>> = candidates.iter().map(|c| changes(instances, c)).collect();
    let mut breaks: BTreeMap<&Change, usize> = BTreeMap::new();
    for list in &per {
        for ch in list {
            *breaks.entry(ch).or_default() += 1;
        }
    }
    per.iter()
        .zip(candidates)
        .map(|(list, c)| {
            let admin = ADMIN_PORTS.contains(&c.entry.port);
            let mut fixes: Vec<Fix> = list.iter().map(|ch| Fix { change: ch.clone(), breaks: breaks[ch] }).collect();
            fixes.sort_by_key(|f| (std::cmp::Reverse(f.breaks), f.change.cost(admin)));
            let first = fixes.remove(0);
            (first, fixes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::admits;

    #[test]
    fn a_rule_label_admits_the_ports_it_names() {
        assert!(admits("tcp 22 from 0.0.0.0/0", 22));
        assert!(!admits("tcp 80 from 0.0.0.0/0", 22));
        assert!(admits("all all from 0.0.0.0/0", 22));
        assert!(admits("tcp 20-25,443 from 0.0.0.0/0", 22));
        assert!(!admits("tcp 20-21,443 from 0.0.0.0/0", 22));
        assert!(admits("tcp ? from pl-1", 22), "unreadable: counted");
    }
}
