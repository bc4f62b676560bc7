//! The IAM estate (issue 14; docs/iam.md): the principals, resources and organisation of one
//! or many accounts' inventories as `rampart_iam::Estate`, which `iam simulate`, external
//! access, the escalation graph and exposure paths all read; and `iam simulate` itself.
//!
//! What could not be read or parsed is never taken as "none": each such gap is a line of
//! [`Built::warnings`], and what the estate then lacks is said there (a boundary not read is
//! left out, so answers may allow more than AWS would — never less silently).

use anyhow::{bail, Result};
use rampart_hub::Store;
use rampart_iam::{Answer, Context, Estate, NamedPolicy, Organization, PrincipalInfo, PrincipalKind};
use rampart_inventory::{Account, Inventory, ManagedPolicy, Observed};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An estate and what could not be read or parsed while building it.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub estate: Estate,
    /// One line each: a policy that does not parse, data not read (principals, boundaries,
    /// organisation policies, resource policies). An estate with warnings is partial.
    pub warnings: Vec<String>,
}

/// Builds the estate of `inventories` (each account once: when several inventories hold
/// the same account, the first wins — pass the latest first).
pub fn estate(inventories: &[Inventory]) -> Built {
    let mut out = Built::default();
    let mut seen = BTreeSet::new();
    let mut accounts: Vec<(&Inventory, &Account)> =
        inventories.iter().flat_map(|i| i.accounts.iter().map(move |a| (i, a))).filter(|(_, a)| seen.insert(a.id.clone())).collect();
    // In account order, whatever order the inventory lists them in (a queued scan merges its
    // parts sorted; a single-process scan lists them as collected): the same estate either way.
    accounts.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    for (inv, account) in &accounts {
        principals(inv, account, &mut out);
    }
    // Resources: every resource-based policy and grant the inventories hold.
    resources(&accounts, &mut out);
    out.estate.organization = organization(&accounts.iter().map(|(_, a)| *a).collect::<Vec<_>>(), &mut out.warnings);
    out
}

/// The resources with resource-based policies and grants of each account (as external
/// access reads them, [`crate::iam_access::resources`]), and for S3 buckets what their ACLs
/// grant and Block Public Access takes away, as statements the evaluation reads
/// (`rampart_iam::s3`).
fn resources(accounts: &[(&Inventory, &Account)], out: &mut Built) {
    use rampart_iam::s3::{acl_policy, restrict_public_buckets, restricts, Grantee};
    use rampart_inventory::{ALL_USERS_URI, AUTHENTICATED_USERS_URI};
    for (_, account) in accounts {
        crate::iam_access::resources(account, &mut out.estate.resources, &mut out.warnings);
    }
    // Canonical user ids of the accounts whose bucket owners are known.
    let canonical: HashMap<String, String> = accounts
        .iter()
        .flat_map(|(_, a)| a.s3.known().map(|s| s.buckets.as_slice()).unwrap_or_default().iter().map(move |b| (a, b)))
        .filter_map(|(a, b)| b.owner_id.known().map(|o| (o.clone(), a.id.clone())))
        .collect();
    // By (account, ARN): S3 ARNs name no account, and a copied estate may repeat a name.
    let index: HashMap<(String, String), usize> =
        out.estate.resources.iter().enumerate().map(|(i, r)| ((r.account.clone(), r.arn.clone()), i)).collect();
    for (_, account) in accounts {
        let Some(s3) = account.s3.known() else { continue };
        let account_bpa = s3.account_public_access_block.known().copied().flatten();
        if s3.account_public_access_block.known().is_none() && !s3.buckets.is_empty() {
            out.warnings.push(format!("account {}: S3 account Block Public Access not read: only buckets' own settings apply", account.id));
        }
        for b in &s3.buckets {
            let arn = format!("arn:{}:s3:::{}", account.partition, b.name);
            let Some(&i) = index.get(&(account.id.clone(), arn.clone())) else { continue };
            let bpa = b.public_access_block.known().copied().flatten();
            let ignore_acls = account_bpa.is_some_and(|p| p.ignore_public_acls) || bpa.is_some_and(|p| p.ignore_public_acls);
            let restrict = account_bpa.is_some_and(|p| p.restrict_public_buckets) || bpa.is_some_and(|p| p.restrict_public_buckets);
            let acls_disabled = matches!(b.ownership_controls.known(), Some(Some(o)) if o == "BucketOwnerEnforced");
            if let Observed::Known(grants) = &b.acl {
                let mut mapped = Vec::new();
                for g in grants {
                    let grantee = match g.grantee.as_str() {
                        ALL_USERS_URI => Grantee::AllUsers,
                        AUTHENTICATED_USERS_URI => Grantee::AuthenticatedUsers,
                        "http://acs.amazonaws.com/groups/s3/LogDelivery" => Grantee::LogDelivery,
                        // The owner's own grant: its account acts through identity policies.
                        id if b.owner_id.known().is_some_and(|o| o == id) => continue,
                        id => match canonical.get(id) {
                            Some(acct) if *acct == account.id => continue,
                            Some(acct) => Grantee::Account(acct.clone()),
                            None => {
                                out.warnings.push(format!(
                                    "{arn}: ACL grantee {id} is no scanned account's canonical id: its grant is not evaluated"
                                ));
                                continue;
                            }
                        },
                    };
                    mapped.push((grantee, g.permission.clone()));
                }
                out.estate.resources[i].policies.extend(acl_policy(&arn, &mapped, acls_disabled, ignore_acls));
            }
            let policy = out.estate.resources[i].policies.iter().find(|p| p.name == "bucket policy").map(|p| &p.document);
            if restricts(policy, &account.id, restrict) {
                out.estate.resources[i].policies.push(restrict_public_buckets(&arn, &account.id));
            }
        }
    }
}

fn parse(name: &str, text: &str, whose: &str, warnings: &mut Vec<String>) -> Option<NamedPolicy> {
    match rampart_policy::parse_maybe_url_encoded(text) {
        Ok(document) => Some(NamedPolicy { name: name.to_string(), document }),
        Err(e) => {
            warnings.push(format!("{whose}: policy `{name}` does not parse ({e}): it is left out"));
            None
        }
    }
}

/// Managed policies of an account by ARN.
fn managed(account: &Account) -> HashMap<&str, &ManagedPolicy> {
    account.iam.known().and_then(|i| i.policies.known()).map(|ps| ps.iter().map(|p| (p.arn.as_str(), p)).collect()).unwrap_or_default()
}

/// The managed policy `arn` as a named policy (named by its ARN).
fn managed_policy(
    arn: &str,
    policies: &HashMap<&str, &ManagedPolicy>,
    name: String,
    whose: &str,
    warnings: &mut Vec<String>,
) -> Option<NamedPolicy> {
    let Some(p) = policies.get(arn) else {
        warnings.push(format!("{whose}: managed policy {arn} is not in the inventory: it is left out"));
        return None;
    };
    match &p.document {
        Observed::Known(text) => parse(&name, text, whose, warnings),
        Observed::Unknown(why) => {
            warnings.push(format!("{whose}: managed policy {arn} not read ({why}): it is left out"));
            None
        }
    }
}

fn attached(
    arns: &Observed<Vec<String>>,
    inline: &Observed<Vec<rampart_inventory::InlinePolicy>>,
    prefix: &str,
    policies: &HashMap<&str, &ManagedPolicy>,
    whose: &str,
    warnings: &mut Vec<String>,
) -> Vec<NamedPolicy> {
    let mut out = Vec::new();
    match inline {
        Observed::Known(list) => {
            out.extend(list.iter().filter_map(|p| parse(&format!("{prefix}{}", p.name), &p.document, whose, warnings)))
        }
        Observed::Unknown(why) => warnings.push(format!("{whose}: inline policies not read ({why})")),
    }
    match arns {
        Observed::Known(list) => {
            out.extend(list.iter().filter_map(|a| managed_policy(a, policies, format!("{prefix}{a}"), whose, warnings)))
        }
        Observed::Unknown(why) => warnings.push(format!("{whose}: attached managed policies not read ({why})")),
    }
    out
}

fn boundary(
    arn: &Observed<Option<String>>,
    policies: &HashMap<&str, &ManagedPolicy>,
    whose: &str,
    warnings: &mut Vec<String>,
) -> Option<Vec<NamedPolicy>> {
    match arn {
        Observed::Known(None) => None,
        Observed::Known(Some(a)) => match managed_policy(a, policies, format!("boundary {a}"), whose, warnings) {
            Some(p) => Some(vec![p]),
            // Unreadable: left out (the warning says so), so answers may allow more.
            None => None,
        },
        Observed::Unknown(why) => {
            warnings.push(format!("{whose}: permissions boundary not read ({why}): answers ignore any boundary"));
            None
        }
    }
}

fn tags(t: &Observed<BTreeMap<String, String>>, whose: &str, warnings: &mut Vec<String>) -> BTreeMap<String, String> {
    match t {
        Observed::Known(t) => t.clone(),
        Observed::Unknown(why) => {
            warnings.push(format!("{whose}: tags not read ({why}): aws:PrincipalTag keys are missing"));
            BTreeMap::new()
        }
    }
}

/// The users, roles and root user of `account`.
fn principals(inv: &Inventory, account: &Account, out: &mut Built) {
    let id = account.id.as_str();
    let w = &mut out.warnings;
    out.estate.principals.push(PrincipalInfo {
        arn: format!("arn:{}:iam::{id}:root", account.partition),
        account: id.to_string(),
        kind: PrincipalKind::Root,
        name: "root".into(),
        id: Some(id.to_string()),
        identity: Vec::new(),
        boundary: None,
        trust: None,
        tags: BTreeMap::new(),
        service_linked: false,
        instances: Vec::new(),
    });
    let iam = match &account.iam {
        Observed::Known(iam) => iam,
        Observed::Unknown(why) => {
            w.push(format!("account {id}: IAM not read ({why}): its users and roles are missing"));
            return;
        }
    };
    if let Observed::Unknown(why) = &iam.policies {
        w.push(format!("account {id}: managed policies not read ({why}): attached ones are left out"));
    }
    let policies = managed(account);
    let groups: HashMap<&str, &rampart_inventory::Group> = match &iam.groups {
        Observed::Known(g) => g.iter().map(|g| (g.group_name.as_str(), g)).collect(),
        Observed::Unknown(why) => {
            w.push(format!("account {id}: IAM groups not read ({why}): users' group policies are left out"));
            HashMap::new()
        }
    };
    match &iam.users {
        Observed::Known(users) => {
            for u in users {
                let whose = u.arn.as_str();
                let mut identity = attached(&u.attached_policy_arns, &u.inline_policies, "", &policies, whose, w);
                match &u.groups {
                    Observed::Known(names) => {
                        for g in names {
                            match groups.get(g.as_str()) {
                                Some(grp) => identity.extend(attached(
                                    &grp.attached_policy_arns,
                                    &grp.inline_policies,
                                    &format!("group/{g}/"),
                                    &policies,
                                    &grp.arn,
                                    w,
                                )),
                                None if !iam.groups.is_not_collected() && iam.groups.known().is_some() => {
                                    w.push(format!("{whose}: group {g} is not in the inventory: its policies are left out"))
                                }
                                None => {}
                            }
                        }
                    }
                    Observed::Unknown(why) => w.push(format!("{whose}: groups not read ({why}): their policies are left out")),
                }
                out.estate.principals.push(PrincipalInfo {
                    arn: u.arn.clone(),
                    account: id.to_string(),
                    kind: PrincipalKind::User,
                    name: u.user_name.clone(),
                    id: (!u.user_id.is_empty()).then(|| u.user_id.clone()),
                    identity,
                    boundary: boundary(&u.permissions_boundary_arn, &policies, whose, w),
                    trust: None,
                    tags: tags(&u.tags, whose, w),
                    service_linked: false,
                    instances: Vec::new(),
                });
            }
        }
        Observed::Unknown(why) => w.push(format!("account {id}: IAM users not read ({why})")),
    }
    // Which instances run with which instance profile.
    let mut by_profile: HashMap<&str, Vec<String>> = HashMap::new();
    for r in &account.regions {
        for i in r.ec2.known().and_then(|e| e.instances.known()).into_iter().flatten() {
            if let Some(p) = &i.iam_instance_profile_arn {
                by_profile.entry(p.as_str()).or_default().push(account.arn("ec2", &r.name, &format!("instance/{}", i.instance_id)));
            }
        }
    }
    let _ = inv;
    match &iam.roles {
        Observed::Known(roles) => {
            for r in roles {
                let whose = r.arn.as_str();
                let identity = attached(&r.attached_policy_arns, &r.inline_policies, "", &policies, whose, w);
                let trust = r.assume_role_policy_document.as_deref().and_then(|t| parse("trust policy", t, whose, w));
                let instances = match &r.instance_profiles {
                    Observed::Known(ps) => ps.iter().flat_map(|p| by_profile.get(p.arn.as_str()).cloned().unwrap_or_default()).collect(),
                    Observed::Unknown(why) => {
                        // Older snapshots: an instance profile named like the role (the
                        // console's and most tools' convention) is the best guess.
                        let guess = format!(":instance-profile/{}", r.role_name);
                        let found: Vec<String> =
                            by_profile.iter().filter(|(p, _)| p.ends_with(&guess)).flat_map(|(_, v)| v.clone()).collect();
                        if !by_profile.is_empty() {
                            w.push(format!("{whose}: instance profiles not read ({why}): instances matched by the profile's name"));
                        }
                        found
                    }
                };
                out.estate.principals.push(PrincipalInfo {
                    arn: r.arn.clone(),
                    account: id.to_string(),
                    kind: PrincipalKind::Role,
                    name: r.role_name.clone(),
                    id: r.role_id.clone(),
                    identity,
                    boundary: boundary(&r.permissions_boundary_arn, &policies, whose, w),
                    trust,
                    tags: tags(&r.tags, whose, w),
                    service_linked: r.path.starts_with("/aws-service-role/"),
                    instances,
                });
            }
        }
        Observed::Unknown(why) => w.push(format!("account {id}: IAM roles not read ({why})")),
    }
}

/// The organisation: from the account that could read its policies (the management account
/// or a delegated administrator), else only its id and members, with a warning that SCPs and
/// RCPs are not applied.
fn organization(accounts: &[&Account], warnings: &mut Vec<String>) -> Option<Organization> {
    let orgs: Vec<&rampart_inventory::Organization> =
        accounts.iter().filter_map(|a| a.organization.known().and_then(Option::as_ref)).collect();
    let best = orgs.iter().find(|o| o.policies.known().is_some() && o.accounts.known().is_some()).or(orgs.first())?;
    let mut out = Organization { id: best.id.clone(), management_account: best.management_account_id.clone(), ..Organization::default() };
    for other in orgs.iter().filter(|o| o.id != best.id) {
        warnings.push(format!("organisation {} (of another scanned account) is not modelled: only {} is", other.id, best.id));
    }
    out.accounts.extend(
        accounts.iter().filter(|a| a.organization.known().and_then(Option::as_ref).is_some_and(|o| o.id == best.id)).map(|a| a.id.clone()),
    );
    let (Observed::Known(members), Observed::Known(units), Observed::Known(policies)) = (&best.accounts, &best.units, &best.policies)
    else {
        let why = [&best.accounts.as_result().err(), &best.units.as_result().err(), &best.policies.as_result().err()]
            .into_iter()
            .flatten()
            .next()
            .map(|s| s.to_string())
            .unwrap_or_default();
        warnings.push(format!(
            "organisation {}: SCPs and RCPs not read ({why}; scan the management account or a delegated administrator): answers ignore them",
            best.id
        ));
        return Some(out);
    };
    out.accounts.extend(members.iter().map(|m| m.id.clone()));
    let parent: HashMap<&str, Option<&str>> = units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
    let enabled: BTreeSet<&str> =
        units.iter().filter(|u| u.parent_id.is_none()).flat_map(|u| u.enabled_policy_types.iter().map(String::as_str)).collect();
    for (kind, into) in [("SERVICE_CONTROL_POLICY", &mut out.scps), ("RESOURCE_CONTROL_POLICY", &mut out.rcps)] {
        if !enabled.contains(kind) {
            // Not enabled on the root: the type does not apply anywhere.
            continue;
        }
        let mut by_target: HashMap<&str, Vec<NamedPolicy>> = HashMap::new();
        for p in policies.iter().filter(|p| p.policy_type == kind) {
            if let Some(np) = parse(&p.name, &p.content, &format!("organisation {} policy {}", best.id, p.id), warnings) {
                for t in &p.targets {
                    by_target.entry(t.as_str()).or_default().push(np.clone());
                }
            }
        }
        for m in members {
            // Levels from the root down: the root, each OU, the account.
            let mut chain = vec![m.id.as_str()];
            let mut at = Some(m.parent_id.as_str());
            while let Some(u) = at {
                chain.push(u);
                at = parent.get(u).copied().flatten();
                if chain.len() > 8 {
                    break;
                }
            }
            chain.reverse();
            into.insert(m.id.clone(), chain.iter().map(|t| by_target.get(t).cloned().unwrap_or_default()).collect());
        }
    }
    Some(out)
}

/// The latest stored inventory of each account (the latest inventory first): what `iam`
/// commands read when given no inventory file.
pub fn stored(store: &Store) -> Result<Vec<Inventory>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for info in store.inventories()? {
        let Some(json) = store.inventory_json(&info.run_id)? else { continue };
        let mut inv =
            Inventory::from_json(&json).map_err(|e| anyhow::anyhow!("the inventory of run {} cannot be read: {e}", info.run_id))?;
        inv.accounts.retain(|a| seen.insert(a.id.clone()));
        if !inv.accounts.is_empty() {
            out.push(inv);
        }
    }
    if out.is_empty() {
        bail!("no inventory is stored: run a scan (or `rampart demo`) first, or give an inventory file");
    }
    Ok(out)
}

/// One `iam simulate` question.
#[derive(Debug, Clone)]
pub struct Question {
    pub principal: String,
    pub actions: Vec<String>,
    pub resource: String,
    /// `key=value` pairs; a key given several times is multivalued.
    pub context: Vec<(String, String)>,
}

/// The answer of each action.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub principal: String,
    pub resource: String,
    pub results: Vec<(String, Answer)>,
    pub warnings: Vec<String>,
}

/// Why a question cannot be answered: the input is wrong (the caller exits 2).
#[derive(Debug, Clone, thiserror::Error)]
pub enum Refusal {
    #[error("no principal `{given}` in the estate; nearest: {}", nearest.join(", "))]
    UnknownPrincipal { given: String, nearest: Vec<String> },
    #[error("context `{0}` is not key=value (e.g. aws:SourceIp=203.0.113.7)")]
    BadContext(String),
    #[error("give at least one action (service:Action, e.g. s3:GetObject)")]
    NoAction,
    #[error("action `{0}` is not service:Action (e.g. s3:GetObject)")]
    BadAction(String),
}

/// Parses `key=value` context arguments.
pub fn parse_context(args: &[String]) -> Result<Vec<(String, String)>, Refusal> {
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(Refusal::BadContext(a.clone())),
        })
        .collect()
}

/// Answers `q` over `built` as `SimulatePrincipalPolicy` does, action by action.
pub fn simulate(built: &Built, q: &Question) -> Result<Simulation, Refusal> {
    if q.actions.is_empty() {
        return Err(Refusal::NoAction);
    }
    if let Some(bad) = q.actions.iter().find(|a| !a.split_once(':').is_some_and(|(s, n)| !s.is_empty() && !n.is_empty())) {
        return Err(Refusal::BadAction(bad.clone()));
    }
    let estate = &built.estate;
    if estate.principal(&q.principal).is_none() {
        return Err(Refusal::UnknownPrincipal { given: q.principal.clone(), nearest: nearest(estate, &q.principal) });
    }
    let mut ctx = Context::new();
    for (k, v) in &q.context {
        ctx.insert(k, v);
    }
    let results = q
        .actions
        .iter()
        .map(|a| {
            // Invariant: the principal was found above.
            let answer = estate.simulate(&q.principal, a, &q.resource, &ctx).expect("principal present");
            (a.clone(), answer)
        })
        .collect();
    Ok(Simulation { principal: q.principal.clone(), resource: q.resource.clone(), results, warnings: built.warnings.clone() })
}

/// The three principal ARNs closest to `given` (edit distance, case-insensitive).
fn nearest(estate: &Estate, given: &str) -> Vec<String> {
    let g = given.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> =
        estate.principals.iter().map(|p| (distance(&g, &p.arn.to_ascii_lowercase()), p.arn.as_str())).collect();
    scored.sort();
    let out: Vec<String> = scored.iter().take(3).map(|(_, a)| a.to_string()).collect();
    if out.is_empty() {
        vec!["(the estate holds no principal)".into()]
    } else {
        out
    }
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A simulation as JSON, in `SimulatePrincipalPolicy`'s terms (`EvaluationResults`).
pub fn simulation_json(sim: &Simulation) -> serde_json::Value {
    use serde_json::json;
    let results: Vec<serde_json::Value> = sim
        .results
        .iter()
        .map(|(action, a)| {
            json!({
                "EvalActionName": action,
                "EvalResourceName": sim.resource,
                "EvalDecision": a.decision.as_str(),
                "Reason": a.reason,
                "MatchedStatements": a.matched.iter().map(|m| json!({
                    "SourcePolicyId": m.policy,
                    "SourcePolicyType": kind_name(m.kind),
                    "StatementIndex": m.index,
                    "Sid": m.sid,
                    "Effect": match m.effect { rampart_policy::Effect::Allow => "Allow", rampart_policy::Effect::Deny => "Deny" },
                })).collect::<Vec<_>>(),
                "MissingContextValues": a.missing_context_keys,
            })
        })
        .collect();
    json!({ "PrincipalArn": sim.principal, "EvaluationResults": results, "Warnings": sim.warnings })
}

fn kind_name(k: rampart_iam::PolicyKind) -> &'static str {
    use rampart_iam::PolicyKind as K;
    match k {
        K::Identity => "identity",
        K::Resource => "resource",
        K::Boundary => "permissions-boundary",
        K::Session => "session",
        K::Scp => "scp",
        K::Rcp => "rcp",
    }
}

/// A simulation as text: one block per action.
pub fn simulation_text(sim: &Simulation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (action, a) in &sim.results {
        let _ = writeln!(out, "{action} on {}: {} ({})", sim.resource, a.decision.as_str(), a.reason);
        for m in &a.matched {
            let effect = match m.effect {
                rampart_policy::Effect::Allow => "Allow",
                rampart_policy::Effect::Deny => "Deny",
            };
            let sid = m.sid.as_deref().map(|s| format!(" {s}")).unwrap_or_default();
            let _ = writeln!(out, "  {effect:5} {} `{}` statement {}{sid}", kind_name(m.kind), m.policy, m.index);
        }
        if !a.missing_context_keys.is_empty() {
            let _ = writeln!(out, "  missing context keys: {}", a.missing_context_keys.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_iam::Decision;
    use rampart_inventory::{Bucket, Grant, Iam, InlinePolicy, PublicAccessBlock, Role, User, ALL_USERS_URI, S3};

    const OWNER: &str = "111111111111";
    const OTHER: &str = "222222222222";

    fn account(id: &str) -> Account {
        let mut a = Account::empty(id, "aws", "us-east-1");
        let s3_all = InlinePolicy {
            name: "s3".into(),
            document: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into(),
        };
        a.iam = Observed::Known(Iam {
            users: Observed::Known(vec![User {
                user_name: "u".into(),
                user_id: format!("AIDA{id}"),
                arn: format!("arn:aws:iam::{id}:user/u"),
                attached_policy_arns: Observed::Known(vec![]),
                inline_policies: Observed::Known(vec![s3_all]),
                groups: Observed::Known(vec![]),
                permissions_boundary_arn: Observed::Known(None),
                tags: Observed::Known(BTreeMap::new()),
                ..User::default()
            }]),
            groups: Observed::Known(vec![]),
            roles: Observed::Known(Vec::<Role>::new()),
            policies: Observed::Known(vec![]),
            ..Iam::default()
        });
        a.s3 = Observed::Known(S3 {
            account_public_access_block: Observed::Known(None),
            buckets: vec![],
            multi_region_access_points: Observed::Known(vec![]),
        });
        a
    }

    fn bucket(name: &str, policy: Option<&str>, acl: Vec<Grant>, bpa: Option<PublicAccessBlock>) -> Bucket {
        Bucket {
            name: name.into(),
            region: "us-east-1".into(),
            owner_id: Observed::Known("canon-owner".into()),
            acl: Observed::Known(acl),
            policy: Observed::Known(policy.map(str::to_string)),
            public_access_block: Observed::Known(bpa),
            ownership_controls: Observed::Known(None),
            ..Bucket::default()
        }
    }

    fn decide(inv: &Inventory, who: &str, action: &str, resource: &str) -> Decision {
        let built = estate(std::slice::from_ref(inv));
        built.estate.simulate(who, action, resource, &Context::new()).expect("principal").decision
    }

    #[test]
    fn s3_acls_and_block_public_access_where_s3_is_the_resource() {
        let public_read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pub/*"}]}"#;
        let all_users = Grant { grantee_type: "Group".into(), grantee: ALL_USERS_URI.into(), permission: "READ".into() };
        let mut owner = account(OWNER);
        let restrict = PublicAccessBlock { restrict_public_buckets: true, ignore_public_acls: true, ..PublicAccessBlock::default() };
        owner.s3.known_mut().unwrap().buckets = vec![
            bucket("pub", Some(public_read), vec![], None),
            bucket("restricted", Some(&public_read.replace(":::pub/", ":::restricted/")), vec![], Some(restrict)),
            bucket("acl", None, vec![all_users.clone()], None),
            bucket("acl-ignored", None, vec![all_users], Some(restrict)),
        ];
        let mut inv = Inventory::new(crate::now());
        inv.accounts = vec![owner, account(OTHER)];
        let outsider = format!("arn:aws:iam::{OTHER}:user/u");
        let insider = format!("arn:aws:iam::{OWNER}:user/u");
        // Across accounts the bucket policy must allow: the public one does…
        assert_eq!(decide(&inv, &outsider, "s3:GetObject", "arn:aws:s3:::pub/k"), Decision::Allowed);
        // …unless RestrictPublicBuckets keeps the bucket to its own account.
        assert_eq!(decide(&inv, &outsider, "s3:GetObject", "arn:aws:s3:::restricted/k"), Decision::ExplicitDeny);
        assert_eq!(decide(&inv, &insider, "s3:GetObject", "arn:aws:s3:::restricted/k"), Decision::Allowed);
        // A public-read ACL lets anyone list the bucket, IgnorePublicAcls voids it.
        assert_eq!(decide(&inv, &outsider, "s3:ListBucket", "arn:aws:s3:::acl"), Decision::Allowed);
        assert_eq!(decide(&inv, &outsider, "s3:ListBucket", "arn:aws:s3:::acl-ignored"), Decision::ImplicitDeny);
        assert_eq!(decide(&inv, &outsider, "s3:PutObject", "arn:aws:s3:::acl/k"), Decision::ImplicitDeny);
        // The same IgnorePublicAcls set account-wide.
        inv.accounts[0].s3.known_mut().unwrap().account_public_access_block = Observed::Known(Some(restrict));
        assert_eq!(decide(&inv, &outsider, "s3:ListBucket", "arn:aws:s3:::acl"), Decision::ImplicitDeny);
        assert_eq!(decide(&inv, &outsider, "s3:GetObject", "arn:aws:s3:::pub/k"), Decision::ExplicitDeny);
    }

    #[test]
    fn unreadable_or_unparseable_policies_are_warnings_never_dropped_silently() {
        let mut a = account(OWNER);
        let iam = a.iam.known_mut().unwrap();
        if let Observed::Known(users) = &mut iam.users {
            users[0].inline_policies = Observed::Known(vec![InlinePolicy { name: "broken".into(), document: "{not json".into() }]);
            users[0].permissions_boundary_arn = Observed::Unknown("iam:GetAccountAuthorizationDetails AccessDenied".into());
        }
        iam.roles = Observed::Unknown("throttled".into());
        let mut inv = Inventory::new(crate::now());
        inv.accounts = vec![a];
        let built = estate(std::slice::from_ref(&inv));
        let w = built.warnings.join("\n");
        assert!(w.contains("policy `broken` does not parse"), "{w}");
        assert!(w.contains("permissions boundary not read"), "{w}");
        assert!(w.contains("IAM roles not read (throttled)"), "{w}");
    }
}
