//! Privilege escalation (issue 14, item 4; docs/iam.md): the escalation graph of the
//! estate `crate::iam::estate` builds from inventories, paths to administrator, to a named
//! principal or to an action set, and a finding for each principal that is not an
//! administrator but can become one.
//!
//! The engine is `rampart_iam::escalation` (pure); this module adds what the estate does
//! not hold and the techniques need — groups and their members, customer managed policies
//! and whom they are attached to, Lambda functions and their roles, which users have a
//! console password — and the findings.

use crate::iam::Built;
use rampart_iam::escalation::{End, FunctionLink, Goal, Graph, GroupLink, Links, ManagedPolicyLink};
use rampart_iam::{NamedPolicy, PrincipalKind};
use rampart_inventory::{Inventory, Observed};
use rampart_model::{finding_id, Finding, RecordState, Resource, ResourceType, Severity, Status, Timestamp, WorkflowStatus};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use rampart_iam::escalation::CHECK_ID;
const TITLE: &str = "Principal can escalate to administrator";
const DESCRIPTION: &str = "The principal is not an administrator, but the IAM policy evaluation engine allows it every request of a chain of known privilege-escalation techniques (assuming roles, passing a role to a compute service, creating another user's credentials, attaching or changing policies, …) that ends with administrator access (every action on every resource, including handing out access). The detail lists each step with the requests and the policy statements that allow them.";
const REMEDIATION: &str = "Remove the permission that allows the first step of the path (or scope it to the resources that need it), add an explicit Deny, or set a permissions boundary on the principal that leaves the technique's actions out.";
const REMEDIATION_URL: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";

/// What the techniques need besides the estate, read from the inventories (each account
/// once, the first inventory that holds it wins, as in `crate::iam::estate`).
pub fn links(inventories: &[Inventory], warnings: &mut Vec<String>) -> Links {
    let mut out = Links::default();
    let mut seen = BTreeSet::new();
    for inv in inventories {
        for account in inv.accounts.iter().filter(|a| seen.insert(a.id.clone())) {
            for r in &account.regions {
                for f in r.lambda.known().map(Vec::as_slice).unwrap_or_default() {
                    if !f.role.is_empty() {
                        out.functions.push(FunctionLink { arn: f.arn.clone(), role: f.role.clone() });
                    }
                }
            }
            let Observed::Known(iam) = &account.iam else { continue };
            let policies: HashMap<&str, &rampart_inventory::ManagedPolicy> =
                iam.policies.known().map(|ps| ps.iter().map(|p| (p.arn.as_str(), p)).collect()).unwrap_or_default();
            let parse = |name: &str, text: &str, warnings: &mut Vec<String>| match rampart_policy::parse_maybe_url_encoded(text) {
                Ok(document) => Some(NamedPolicy { name: name.to_string(), document }),
                Err(e) => {
                    warnings.push(format!("escalation: policy `{name}` does not parse ({e}): it is left out"));
                    None
                }
            };
            let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for u in iam.users.known().map(Vec::as_slice).unwrap_or_default() {
                for p in u.attached_policy_arns.known().map(Vec::as_slice).unwrap_or_default() {
                    attached.entry(p.clone()).or_default().push(u.arn.clone());
                }
                for g in u.groups.known().map(Vec::as_slice).unwrap_or_default() {
                    members.entry(g.clone()).or_default().push(u.arn.clone());
                }
                if let Observed::Known(has) = u.login_profile {
                    out.login_profiles.insert(u.arn.clone(), has);
                }
            }
            for r in iam.roles.known().map(Vec::as_slice).unwrap_or_default() {
                for p in r.attached_policy_arns.known().map(Vec::as_slice).unwrap_or_default() {
                    attached.entry(p.clone()).or_default().push(r.arn.clone());
                }
            }
            for g in iam.groups.known().map(Vec::as_slice).unwrap_or_default() {
                let mut pols = Vec::new();
                for p in g.inline_policies.known().map(Vec::as_slice).unwrap_or_default() {
                    pols.extend(parse(&format!("group/{}/{}", g.group_name, p.name), &p.document, warnings));
                }
                for a in g.attached_policy_arns.known().map(Vec::as_slice).unwrap_or_default() {
                    attached.entry(a.clone()).or_default().push(g.arn.clone());
                    if let Some(Observed::Known(text)) = policies.get(a.as_str()).map(|p| &p.document) {
                        pols.extend(parse(&format!("group/{}/{a}", g.group_name), text, warnings));
                    }
                }
                out.groups.push(GroupLink {
                    arn: g.arn.clone(),
                    account: account.id.clone(),
                    policies: pols,
                    members: members.get(&g.group_name).cloned().unwrap_or_default(),
                });
            }
            for p in iam.policies.known().map(Vec::as_slice).unwrap_or_default() {
                out.managed_policies.push(ManagedPolicyLink {
                    arn: p.arn.clone(),
                    aws_managed: p.aws_managed,
                    attached_to: attached.get(&p.arn).cloned().unwrap_or_default(),
                    // Non-default versions are not collected: SetDefaultPolicyVersion is not found.
                    other_versions: Vec::new(),
                });
            }
        }
    }
    out
}

/// One path, as both front ends show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathOut {
    /// The principal the path starts from.
    pub from: String,
    /// How many techniques it takes (0: already there).
    pub length: usize,
    /// Where it ends, in words.
    pub end: String,
    pub steps: Vec<StepOut>,
}

/// One technique of a path.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StepOut {
    pub from: String,
    /// The principal it becomes, or `administrator` for a grant.
    pub to: String,
    pub technique: String,
    /// The instance, function, group or policy it goes through.
    pub via: Option<String>,
    /// For a grant: the principal whose permissions change.
    pub grants_to: Option<String>,
    /// Each request, with the statements that allowed it (`policy#index (Sid)`).
    pub requests: Vec<RequestOut>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RequestOut {
    pub action: String,
    pub resource: String,
    pub allowed_by: Vec<String>,
}

/// The answer of `iam paths`.
#[derive(Debug, Clone, Serialize)]
pub struct Paths {
    pub goal: String,
    pub paths: Vec<PathOut>,
    /// What the estate lacks (data not read, policies that do not parse).
    pub warnings: Vec<String>,
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    Admin,
    Principal(String),
    Actions(Vec<String>),
}

/// Shortest paths to `to` from every principal (or only `from`), over the estate of
/// `inventories`. Principals already there are listed with no steps.
pub fn paths(inventories: &[Inventory], to: &To, from: Option<&str>) -> anyhow::Result<Paths> {
    let built = crate::iam::estate(inventories);
    let mut warnings = built.warnings.clone();
    let links = links(inventories, &mut warnings);
    paths_of(&built, &links, to, from, warnings)
}

/// [`paths`] over an estate already built.
pub fn paths_of(built: &Built, links: &Links, to: &To, from: Option<&str>, warnings: Vec<String>) -> anyhow::Result<Paths> {
    let graph = Graph::build(&built.estate, links);
    let (goal, words) = match to {
        To::Admin => (Goal::Admin, "administrator".to_string()),
        To::Principal(a) => (Goal::Principal(a.clone()), a.clone()),
        To::Actions(list) => (Goal::Actions(list.clone()), list.join(",")),
    };
    let from_index = match from {
        Some(a) => Some(graph.index(a).ok_or_else(|| anyhow::anyhow!("principal `{a}` is not in the estate (give a user or role ARN)"))?),
        None => None,
    };
    let all = graph.paths(&goal)?;
    let paths = all.iter().filter(|p| from_index.is_none_or(|f| f == p.from)).map(|p| path_out(&graph, p)).collect();
    Ok(Paths { goal: words, paths, warnings })
}

fn path_out(graph: &Graph<'_>, p: &rampart_iam::escalation::Path) -> PathOut {
    let arn = |i: usize| graph.estate.principals[i].arn.clone();
    let mut steps = Vec::new();
    let push = |ei: usize, steps: &mut Vec<StepOut>| {
        let e = &graph.edges[ei];
        steps.push(StepOut {
            from: arn(e.from),
            to: match e.to {
                rampart_iam::escalation::Node::Principal(i) => arn(i),
                rampart_iam::escalation::Node::Admin => "administrator".into(),
            },
            technique: e.technique.id(),
            via: e.via.clone(),
            grants_to: e.subject.map(arn),
            requests: e
                .steps
                .iter()
                .map(|s| RequestOut {
                    action: s.action.clone(),
                    resource: s.resource.clone(),
                    allowed_by: s
                        .matched
                        .iter()
                        .map(|m| match &m.sid {
                            Some(sid) => format!("{}#{} ({sid})", m.policy, m.index),
                            None => format!("{}#{}", m.policy, m.index),
                        })
                        .collect(),
                })
                .collect(),
        });
    };
    for &ei in &p.edges {
        let then = graph.edges[ei].then.clone();
        push(ei, &mut steps);
        for t in then {
            push(t, &mut steps);
        }
    }
    let end = match p.end {
        End::IsAdmin(i) => format!("{} is an administrator", arn(i)),
        End::Granted => "administrator (by a grant)".into(),
        End::GrantedInAccount(i) => format!("administrator of the account of {}, which it can take over", arn(i)),
        End::Principal(i) => arn(i),
        End::AdminOfAccount(i) => format!("{} is an administrator of the target's account", arn(i)),
        End::Actions(i) => format!("{} is allowed every action asked", arn(i)),
    };
    PathOut { from: arn(p.from), length: p.length, end, steps }
}

/// The findings of privilege escalation over `inventories`: one per principal that is not an
/// administrator but has a path to administrator.
pub fn findings(inventories: &[Inventory], now: Timestamp) -> Vec<Finding> {
    let built = crate::iam::estate(inventories);
    let mut warnings = Vec::new();
    let links = links(inventories, &mut warnings);
    let homes: HashMap<String, String> =
        inventories.iter().flat_map(|i| i.accounts.iter().map(|a| (a.id.clone(), a.home_region.clone()))).collect();
    findings_of(&built, &links, &homes, now)
}

/// [`findings`] over an estate already built; `homes`: each account's home region (where
/// its global resources are reported).
pub fn findings_of(built: &Built, links: &Links, homes: &HashMap<String, String>, now: Timestamp) -> Vec<Finding> {
    let graph = Graph::build(&built.estate, links);
    let Ok(paths) = graph.paths(&Goal::Admin) else { return Vec::new() };
    let mut out = Vec::new();
    for p in paths.iter().filter(|p| !p.edges.is_empty()) {
        let who = &built.estate.principals[p.from];
        let kind = match who.kind {
            PrincipalKind::User => ResourceType::AwsIamUser,
            PrincipalKind::Role => ResourceType::AwsIamRole,
            // The root user is an administrator unless an SCP says otherwise; not a finding.
            PrincipalKind::Root => continue,
        };
        let shown = path_out(&graph, p);
        let techniques: Vec<&str> = shown.steps.iter().map(|s| s.technique.as_str()).collect();
        let detail = graph.describe(p).join("; ");
        let severity = match p.length {
            1 => Severity::Critical,
            2 => Severity::High,
            _ => Severity::Medium,
        };
        let partition = who.arn.split(':').nth(1).unwrap_or("aws").to_string();
        out.push(Finding {
            // Stable: the principal and the goal, whatever the path.
            id: finding_id(CHECK_ID, &who.arn, "admin"),
            check_id: Cow::Borrowed(CHECK_ID),
            title: Cow::Owned(format!("{TITLE}: {}", who.name)),
            description: Cow::Borrowed(DESCRIPTION),
            severity,
            status: Status::Failed,
            reason: format!("{} can become an administrator in {} step(s): {}", who.arn, p.length, techniques.join(" → ")),
            detail,
            service: Cow::Borrowed("iam"),
            resource: Resource {
                id: who.arn.clone(),
                kind,
                account: who.account.clone(),
                region: homes.get(&who.account).cloned().unwrap_or_default(),
                partition,
                name: who.name.clone(),
            },
            remediation_console: Cow::Borrowed(REMEDIATION),
            remediation_cli: Cow::Borrowed(""),
            remediation_url: Cow::Borrowed(REMEDIATION_URL),
            related_requirements: Cow::Owned(Vec::new()),
            first_observed: now,
            last_observed: now,
            workflow_status: WorkflowStatus::New,
            record_state: RecordState::Active,
            vulnerability: None,
        });
    }
    out
}
