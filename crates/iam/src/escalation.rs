//! The privilege-escalation graph: who can become whom, and who can reach
//! administrator (issue 14, item 4).
//!
//! Nodes are the estate's principals, plus one virtual node, [`Node::Admin`]:
//! "administrator of its own account". An edge A → B says the evaluation
//! engine allows A every request of one technique that gives A B's
//! permissions (`sts:AssumeRole`, `iam:PassRole` with a compute service,
//! `iam:CreateAccessKey`, …; [`Technique`]). An edge A → admin says A can grant
//! itself, or a principal it can already become, any permission (`iam:Put*Policy`,
//! `iam:Attach*Policy`, `iam:CreatePolicyVersion`, `iam:AddUserToGroup` of an
//! administrators' group, …) and that the grant would make that principal an
//! administrator — its permissions boundary and the SCPs still apply.
//!
//! Every request of every step is asked of the engine ([`crate::evaluate`])
//! on the specific resource ARN with the principal's identity policies,
//! permissions boundary, SCPs and the target's trust policy: a Deny, a
//! boundary or an SCP that blocks any step removes the edge. Each edge keeps
//! the requests and the statements that allowed them.
//!
//! **Administrator** ([`Graph::build`]): the engine allows the literal request
//! `*` on `*` (some statement grants every action on every resource), and also
//! each of [`ADMIN_PROBES`] on `*` (so a `*` whose IAM half a Deny, boundary or
//! SCP carves out is not an administrator).
//!
//! Not every edge is cheap to find: the graph is built without asking the
//! engine about pairs that cannot hold — a principal is asked about an action
//! only when one of its identity statements can match it (the root user and
//! trust policies that name the principal excepted), a target only when a
//! resource pattern of such a statement matches its ARN, a role only when its
//! trust policy names the principal, its account or anyone.

use crate::estate::{Estate, PrincipalInfo, PrincipalKind, Target};
use crate::{evaluate, Context, Decision, MatchedStatement, NamedPolicy, Policies};
use rampart_policy::{action_matches, resource_matches, Effect, PolicyDocument, Principal, Statement};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};

/// The check id of the findings of principals that can escalate to administrator
/// (`rampart_app::escalation` builds them).
pub const CHECK_ID: &str = "iam_privilege_escalation";

/// The AWS managed policy an attaching technique is asked about (`iam:PolicyARN`).
pub const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// Besides `*`, the actions an administrator must be allowed on `*`: those
/// that hand out access.
pub const ADMIN_PROBES: [&str; 3] = ["iam:CreateAccessKey", "iam:PutRolePolicy", "iam:PassRole"];

/// What the graph assumes of every request: a caller signed in with MFA over
/// TLS (an attacker holding the credentials can meet both). Other condition
/// keys are absent, so conditions on them hold only as the engine decides for
/// a missing key (`…IfExists`, `Null`).
pub const ASSUMED_CONTEXT: [(&str, &str); 2] = [("aws:MultiFactorAuthPresent", "true"), ("aws:SecureTransport", "true")];

/// Relations an [`Estate`] does not hold that the techniques need.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub groups: Vec<GroupLink>,
    pub managed_policies: Vec<ManagedPolicyLink>,
    pub functions: Vec<FunctionLink>,
    /// Per user ARN: whether it has a console password; a user absent is unknown
    /// (both `CreateLoginProfile` and `UpdateLoginProfile` are then considered).
    pub login_profiles: BTreeMap<String, bool>,
}

/// An IAM group: its ARN (the resource of `iam:AddUserToGroup`, `iam:PutGroupPolicy`, …).
#[derive(Debug, Clone)]
pub struct GroupLink {
    pub arn: String,
    pub account: String,
    /// Its inline and attached policies.
    pub policies: Vec<NamedPolicy>,
    /// The ARNs of its users.
    pub members: Vec<String>,
}

/// A managed policy and the principals and groups it is attached to.
#[derive(Debug, Clone)]
pub struct ManagedPolicyLink {
    pub arn: String,
    /// AWS managed policies cannot be changed by anyone but AWS.
    pub aws_managed: bool,
    /// ARNs of the users, roles and groups it is attached to.
    pub attached_to: Vec<String>,
    /// Its versions other than the default, when read (`iam:SetDefaultPolicyVersion`).
    pub other_versions: Vec<NamedPolicy>,
}

/// A Lambda function and the role it runs as.
#[derive(Debug, Clone)]
pub struct FunctionLink {
    pub arn: String,
    pub role: String,
}

/// One service whose resources run with a role passed to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassRoleService {
    pub id: &'static str,
    /// The service principal the role's trust policy must allow.
    pub service: &'static str,
    /// Every action needed besides `iam:PassRole` to run code as the role.
    pub actions: &'static [&'static str],
}

/// The compute services of the `iam:PassRole` techniques.
pub const PASS_ROLE_SERVICES: &[PassRoleService] = &[
    PassRoleService { id: "ec2", service: "ec2.amazonaws.com", actions: &["ec2:RunInstances"] },
    PassRoleService { id: "lambda-invoke", service: "lambda.amazonaws.com", actions: &["lambda:CreateFunction", "lambda:InvokeFunction"] },
    PassRoleService {
        id: "lambda-event-source",
        service: "lambda.amazonaws.com",
        actions: &["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    },
    PassRoleService { id: "glue-dev-endpoint", service: "glue.amazonaws.com", actions: &["glue:CreateDevEndpoint"] },
    PassRoleService { id: "glue-job", service: "glue.amazonaws.com", actions: &["glue:CreateJob", "glue:StartJobRun"] },
    PassRoleService { id: "cloudformation", service: "cloudformation.amazonaws.com", actions: &["cloudformation:CreateStack"] },
    PassRoleService { id: "ecs", service: "ecs-tasks.amazonaws.com", actions: &["ecs:RegisterTaskDefinition", "ecs:RunTask"] },
    PassRoleService {
        id: "sagemaker-notebook",
        service: "sagemaker.amazonaws.com",
        actions: &["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"],
    },
    PassRoleService { id: "codebuild", service: "codebuild.amazonaws.com", actions: &["codebuild:CreateProject", "codebuild:StartBuild"] },
    PassRoleService {
        id: "datapipeline",
        service: "datapipeline.amazonaws.com",
        actions: &["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"],
    },
];

/// How one principal gains another's permissions, or any permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Technique {
    AssumeRole,
    /// `iam:PassRole` to a service of [`PASS_ROLE_SERVICES`] (the index) and creating what runs as the role.
    PassRole(usize),
    CreateAccessKey,
    CreateLoginProfile,
    UpdateLoginProfile,
    UpdateAssumeRolePolicy,
    UpdateFunctionCode,
    SsmSendCommand,
    SsmStartSession,
    PutUserPolicy,
    AttachUserPolicy,
    PutGroupPolicy,
    AttachGroupPolicy,
    PutRolePolicy,
    AttachRolePolicy,
    AddUserToGroup,
    CreatePolicyVersion,
    SetDefaultPolicyVersion,
}

impl Technique {
    /// A stable, lowercase name (`assume-role`, `pass-role/ec2`, `put-user-policy`, …).
    #[must_use]
    pub fn id(self) -> String {
        match self {
            Technique::PassRole(i) => format!("pass-role/{}", PASS_ROLE_SERVICES.get(i).map_or("?", |s| s.id)),
            t => {
                let name = format!("{t:?}");
                let mut out = String::new();
                for (i, c) in name.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        out.push('-');
                    }
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
        }
    }

    /// Whether it changes permissions (a grant) rather than taking over another principal.
    #[must_use]
    pub fn is_grant(self) -> bool {
        matches!(
            self,
            Technique::PutUserPolicy
                | Technique::AttachUserPolicy
                | Technique::PutGroupPolicy
                | Technique::AttachGroupPolicy
                | Technique::PutRolePolicy
                | Technique::AttachRolePolicy
                | Technique::AddUserToGroup
                | Technique::CreatePolicyVersion
                | Technique::SetDefaultPolicyVersion
        )
    }
}

/// A node of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// An index into `estate.principals`.
    Principal(usize),
    /// Administrator of the account of the principal that reaches it.
    Admin,
}

/// One request the engine allowed, and the statements that allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: String,
    pub resource: String,
    /// The matched statements of the engine's answer (the allowing ones, and
    /// the boundary or SCP statements the request needed).
    pub matched: Vec<MatchedStatement>,
}

/// An edge: `from` can become `to` (or, to [`Node::Admin`], grant itself anything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: Node,
    pub technique: Technique,
    /// What the technique goes through: the instance, function, group or
    /// policy, or for a grant the principal whose permissions change.
    pub via: Option<String>,
    /// Every request the technique makes, each allowed by the engine.
    pub steps: Vec<Step>,
    /// For a grant: the principal whose permissions change (`from` itself, or
    /// another principal `from` then becomes).
    pub subject: Option<usize>,
    /// For a grant to another principal: the edges (indices) by which `from`
    /// then becomes that principal.
    pub then: Vec<usize>,
}

/// The escalation graph of an estate.
#[derive(Debug)]
pub struct Graph<'e> {
    pub estate: &'e Estate,
    /// Per principal (index into `estate.principals`): why it is an
    /// administrator (the `*` on `*` answer), if it is.
    pub admin: Vec<Option<Step>>,
    pub edges: Vec<Edge>,
    by_arn: HashMap<&'e str, usize>,
    /// How many requests the engine answered while building.
    pub evaluations: usize,
}

/// Where the paths lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    Admin,
    /// A principal's ARN.
    Principal(String),
    /// Every one of these actions allowed on `*`.
    Actions(Vec<String>),
}

/// How a path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// At a principal that is an administrator (index).
    IsAdmin(usize),
    /// Through a grant ([`Node::Admin`]).
    Granted,
    /// Through a grant that makes the path an administrator of the account
    /// of the principal of [`Goal::Principal`] (index), who then takes it over.
    GrantedInAccount(usize),
    /// At the principal of [`Goal::Principal`] (index).
    Principal(usize),
    /// At an administrator of the goal principal's account, who can take it
    /// over (`iam:CreateAccessKey`, `iam:UpdateAssumeRolePolicy`).
    AdminOfAccount(usize),
    /// At a principal allowed every action of [`Goal::Actions`] (index).
    Actions(usize),
}

/// A shortest path from one principal to the goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub from: usize,
    /// Indices into [`Graph::edges`], in order; empty when `from` is already there.
    pub edges: Vec<usize>,
    pub end: End,
    /// The number of techniques used (a grant to another principal counts
    /// the edges by which it is then become).
    pub length: usize,
}

/// An error of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoalError {
    UnknownPrincipal(String),
    NoActions,
}

impl std::fmt::Display for GoalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GoalError::UnknownPrincipal(a) => write!(f, "principal `{a}` is not in the estate (give a user or role ARN)"),
            GoalError::NoActions => write!(f, "no actions given (list one or more, e.g. `s3:GetObject,kms:Decrypt`)"),
        }
    }
}

impl std::error::Error for GoalError {}

// ---------------------------------------------------------------- building

/// Every action some technique asks about, for the per-principal pre-filter.
fn technique_actions() -> Vec<&'static str> {
    let mut v = vec![
        "sts:AssumeRole",
        "iam:PassRole",
        "iam:CreateAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:UpdateAssumeRolePolicy",
        "lambda:UpdateFunctionCode",
        "ssm:SendCommand",
        "ssm:StartSession",
        "iam:PutUserPolicy",
        "iam:AttachUserPolicy",
        "iam:PutGroupPolicy",
        "iam:AttachGroupPolicy",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:AddUserToGroup",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
    ];
    for s in PASS_ROLE_SERVICES {
        for a in s.actions {
            if !v.contains(a) {
                v.push(a);
            }
        }
    }
    v
}

/// What a principal's identity statements could allow: per technique action,
/// the resource patterns of the Allow statements that can match it (`None`:
/// some statement can match any resource).
#[derive(Default, Clone)]
struct Reach {
    /// Per index of `technique_actions()`: `None` no statement can match;
    /// `Some(None)` any resource; `Some(Some(patterns))`.
    actions: Vec<Option<Option<Vec<String>>>>,
}

impl Reach {
    fn of(p: &PrincipalInfo, actions: &[&str]) -> Reach {
        if p.kind == PrincipalKind::Root {
            return Reach { actions: vec![Some(None); actions.len()] };
        }
        let mut out: Vec<Option<Option<Vec<String>>>> = vec![None; actions.len()];
        for pol in &p.identity {
            let variables = pol.document.version.as_deref() == Some("2012-10-17");
            for st in pol.document.statements.iter().filter(|s| s.effect == Effect::Allow) {
                for (i, a) in actions.iter().enumerate() {
                    if !statement_action_matches(st, a) {
                        continue;
                    }
                    // Patterns with policy variables or NotResource: any resource.
                    let pats = match (&st.resource, &st.not_resource) {
                        (Some(r), None) if !(variables && r.iter().any(|x| x.contains("${"))) => Some(r.clone()),
                        _ => None,
                    };
                    out[i] = match (out[i].take(), pats) {
                        (Some(None), _) | (_, None) => Some(None),
                        (Some(Some(mut old)), Some(new)) => {
                            old.extend(new);
                            Some(Some(old))
                        }
                        (None, Some(new)) => Some(Some(new)),
                    };
                }
            }
        }
        Reach { actions: out }
    }

    fn may(&self, i: usize) -> bool {
        self.actions[i].is_some()
    }

    /// Whether the statements that can match action `i` can match `resource`.
    fn may_on(&self, i: usize, resource: &str) -> bool {
        match &self.actions[i] {
            None => false,
            Some(None) => true,
            Some(Some(pats)) => pats.iter().any(|p| resource_matches(p, resource)),
        }
    }

    /// The resources to ask about for a creation action: `*` and each pattern named.
    fn creation_resources(&self, i: usize) -> Vec<String> {
        let mut out = vec!["*".to_string()];
        if let Some(Some(pats)) = &self.actions[i] {
            for p in pats {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out
    }
}

fn statement_action_matches(st: &Statement, action: &str) -> bool {
    match (&st.action, &st.not_action) {
        (Some(a), _) => a.iter().any(|p| action_matches(p, action)),
        (None, Some(na)) => !na.iter().any(|p| action_matches(p, action)),
        (None, None) => false,
    }
}

/// Whom a trust policy lets assume the role, for the candidate index.
#[derive(Default)]
struct TrustIndex {
    /// Roles whose trust policy names anyone (`*`, `NotPrincipal`).
    anyone: Vec<usize>,
    by_account: HashMap<String, Vec<usize>>,
    by_arn: HashMap<String, Vec<usize>>,
    by_service: HashMap<String, Vec<usize>>,
}

impl TrustIndex {
    fn build(estate: &Estate) -> TrustIndex {
        let mut ix = TrustIndex::default();
        for (b, p) in estate.principals.iter().enumerate() {
            let Some(trust) = &p.trust else { continue };
            let mut anyone = false;
            let mut accounts = Vec::new();
            let mut arns = Vec::new();
            let mut services = Vec::new();
            for st in trust.document.statements.iter().filter(|s| s.effect == Effect::Allow) {
                if !statement_action_matches(st, "sts:AssumeRole") {
                    continue;
                }
                match (&st.principal, &st.not_principal) {
                    (Some(Principal::Any), _) | (None, Some(_)) => anyone = true,
                    (Some(Principal::Specific(map)), _) => {
                        for (k, vs) in map {
                            for v in vs {
                                if k.eq_ignore_ascii_case("Service") {
                                    services.push(v.to_ascii_lowercase());
                                } else if !k.eq_ignore_ascii_case("AWS") {
                                } else if v == "*" {
                                    anyone = true;
                                } else if v.len() == 12 && v.bytes().all(|c| c.is_ascii_digit()) {
                                    accounts.push(v.clone());
                                } else if let Some(acct) = crate::estate::account_of(v).filter(|_| v.ends_with(":root")) {
                                    accounts.push(acct);
                                } else {
                                    arns.push(v.clone());
                                }
                            }
                        }
                    }
                    (None, None) => {}
                }
            }
            if anyone {
                ix.anyone.push(b);
            }
            for a in accounts {
                ix.by_account.entry(a).or_default().push(b);
            }
            for a in arns {
                ix.by_arn.entry(a).or_default().push(b);
            }
            for s in services {
                ix.by_service.entry(s).or_default().push(b);
            }
        }
        for v in ix.by_account.values_mut().chain(ix.by_arn.values_mut()).chain(ix.by_service.values_mut()) {
            v.sort_unstable();
            v.dedup();
        }
        ix
    }
}

/// A grant found: (granter, principal whose permissions change, technique, via, steps).
type Grant = (usize, usize, Technique, Option<String>, Vec<Step>);
/// The grant kept per technique: (principal, via, steps, edges by which it is then become).
type Chosen = (usize, Option<String>, Vec<Step>, Vec<usize>);
/// (principal, action, extra context and trust document, resource account).
type MemoKey = (usize, String, String, Option<String>);

struct Builder<'e, 'l> {
    estate: &'e Estate,
    links: &'l Links,
    /// Per principal: identity, boundary and SCPs; `resource` filled per request.
    base: Vec<Policies>,
    /// Per principal: its trust policy as resource-based policies.
    trusts: Vec<Vec<NamedPolicy>>,
    actions: Vec<&'static str>,
    reach: Vec<Reach>,
    by_account: HashMap<&'e str, Vec<usize>>,
    by_arn: HashMap<&'e str, usize>,
    context: Context,
    evaluations: usize,
    admin_policy: NamedPolicy,
    /// Per (principal, action): whether no statement that can match the
    /// action depends on the resource (all name `*`, no resource condition).
    insensitive: HashMap<(usize, String), bool>,
    /// Per principal: an id shared by the roles whose trust policies are the
    /// same document (`None` while a technique has replaced it), so a
    /// resource-insensitive `sts:AssumeRole` is answered once per document.
    trust_key: Vec<Option<usize>>,
    /// Whether a user would be an administrator as a member of a group (user, group ARN).
    group_admin: HashMap<(usize, String), bool>,
    /// Answers of resource-insensitive requests: (principal, action, extra
    /// context, resource account) → the allowing statements, if allowed.
    memo: HashMap<MemoKey, Option<Vec<MatchedStatement>>>,
}

/// What a request acts on.
#[derive(Clone, Copy)]
enum On<'a> {
    /// A principal of the estate (its trust policy applies to `sts:AssumeRole`).
    Principal(usize),
    /// Anything else (an ARN whose account is read from the ARN).
    Other,
    /// An ARN in a known account (a group, a policy).
    InAccount(&'a str),
}

impl<'e, 'l> Builder<'e, 'l> {
    fn new(estate: &'e Estate, links: &'l Links) -> Builder<'e, 'l> {
        let actions = technique_actions();
        let base: Vec<Policies> = estate.principals.iter().map(|p| estate.policies(p, None)).collect();
        let trusts = estate.principals.iter().map(|p| p.trust.iter().cloned().collect()).collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let trust_key = estate
            .principals
            .iter()
            .map(|p| {
                let t = p.trust.as_ref()?;
                let next = seen.len();
                Some(*seen.entry(format!("{:?}", t.document)).or_insert(next))
            })
            .collect();
        let reach = estate.principals.iter().map(|p| Reach::of(p, &actions)).collect();
        let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_arn = HashMap::new();
        for (i, p) in estate.principals.iter().enumerate() {
            by_account.entry(p.account.as_str()).or_default().push(i);
            by_arn.entry(p.arn.as_str()).or_insert(i);
        }
        let mut context = Context::new();
        for (k, v) in ASSUMED_CONTEXT {
            context.insert(k, v);
        }
        let admin_policy = NamedPolicy {
            name: "granted by the technique".into(),
            document: PolicyDocument {
                version: Some("2012-10-17".into()),
                id: None,
                statements: vec![Statement {
                    action: Some(vec!["*".into()]),
                    resource: Some(vec!["*".into()]),
                    ..Statement::new(Effect::Allow)
                }],
            },
        };
        Builder {
            estate,
            links,
            base,
            trusts,
            actions,
            reach,
            by_account,
            by_arn,
            context,
            evaluations: 0,
            admin_policy,
            insensitive: HashMap::new(),
            memo: HashMap::new(),
            trust_key,
            group_admin: HashMap::new(),
        }
    }

    /// Whether every statement of `a`'s policies (identity, boundary, SCPs)
    /// that can match `action` names every resource and no resource condition,
    /// so the answer is the same on every resource of one account.
    fn resource_insensitive(&mut self, a: usize, action: &str) -> bool {
        let key = (a, action.to_string());
        if let Some(&v) = self.insensitive.get(&key) {
            return v;
        }
        let pol = &self.base[a];
        let all = pol.identity.iter().chain(pol.boundary.iter().flatten()).chain(pol.scps.iter().flatten());
        let v = all.flat_map(|p| p.document.statements.iter()).filter(|st| statement_action_matches(st, action)).all(|st| {
            st.not_resource.is_none()
                && st.resource.as_ref().is_some_and(|r| r.iter().all(|x| x == "*"))
                && st.conditions.iter().all(|c| !c.key.to_ascii_lowercase().contains("resource"))
        });
        self.insensitive.insert(key, v);
        v
    }

    fn action_index(&self, action: &str) -> usize {
        // Every action asked about is in the list (a test holds it).
        self.actions.iter().position(|a| *a == action).unwrap_or(0)
    }

    /// Asks the engine whether principal `a` may make the request; the
    /// target's trust policy is the resource-based policy when `on` is a
    /// principal and the action is `sts:AssumeRole`.
    fn ask(&mut self, a: usize, action: &str, resource: &str, on: On<'_>, extra: &[(&str, &str)]) -> Option<Step> {
        // For sts:AssumeRole on a role, the trust policy is part of the question.
        let trust = match on {
            On::Principal(r) if action.eq_ignore_ascii_case("sts:AssumeRole") => Some(self.trust_key[r]),
            _ => None,
        };
        if trust == Some(None) || !self.resource_insensitive(a, action) {
            return self.ask_engine(a, action, resource, on, extra);
        }
        let account = match on {
            On::Principal(b) => Some(self.estate.principals[b].account.clone()),
            On::InAccount(acct) => Some(acct.to_string()),
            On::Other => crate::estate::account_of(resource),
        };
        let key = (a, action.to_string(), format!("{extra:?} {trust:?}"), account);
        if let Some(hit) = self.memo.get(&key) {
            return hit.clone().map(|matched| Step { action: action.to_string(), resource: resource.to_string(), matched });
        }
        let step = self.ask_engine(a, action, resource, on, extra);
        self.memo.insert(key, step.as_ref().map(|s| s.matched.clone()));
        step
    }

    fn ask_engine(&mut self, a: usize, action: &str, resource: &str, on: On<'_>, extra: &[(&str, &str)]) -> Option<Step> {
        self.evaluations += 1;
        let p = &self.estate.principals[a];
        let mut ctx = self.context.clone();
        for (k, v) in extra {
            ctx.insert(k, v);
        }
        let target = match on {
            On::Principal(b) => Some(Target::Role(&self.estate.principals[b])),
            _ => None,
        };
        let mut req = self.estate.request_on(p, action, resource, target, &ctx);
        if let On::InAccount(acct) = on {
            req.resource_account = Some(acct.to_string());
        }
        let trust = match on {
            On::Principal(b) if action.eq_ignore_ascii_case("sts:AssumeRole") => Some(b),
            _ => None,
        };
        if let Some(b) = trust {
            std::mem::swap(&mut self.base[a].resource, &mut self.trusts[b]);
        }
        let answer = evaluate(&req, &self.base[a]);
        if let Some(b) = trust {
            std::mem::swap(&mut self.base[a].resource, &mut self.trusts[b]);
        }
        (answer.decision == Decision::Allowed).then(|| Step {
            action: action.to_string(),
            resource: resource.to_string(),
            matched: answer.matched.into_iter().filter(|m| m.effect == Effect::Allow).collect(),
        })
    }

    /// Whether `a` is an administrator: the `*` answer.
    /// (Never through the memo: [`Builder::admin_with`] asks it of changed policies.)
    fn admin(&mut self, a: usize) -> Option<Step> {
        let star = self.ask_engine(a, "*", "*", On::Other, &[])?;
        for probe in ADMIN_PROBES {
            self.ask_engine(a, probe, "*", On::Other, &[])?;
        }
        Some(star)
    }

    /// Whether `y` would be an administrator with `extra` identity policies.
    fn admin_with(&mut self, y: usize, extra: &[NamedPolicy]) -> bool {
        let n = self.base[y].identity.len();
        self.base[y].identity.extend(extra.iter().cloned());
        let admin = self.admin(y).is_some();
        self.base[y].identity.truncate(n);
        admin
    }

    /// Whether a user with only the group's policies (and its account's SCPs) is an administrator.
    fn group_is_admin(&mut self, g: &GroupLink) -> bool {
        let probe = PrincipalInfo {
            arn: format!("arn:aws:iam::{}:user/rampart-group-probe", g.account),
            account: g.account.clone(),
            kind: PrincipalKind::User,
            name: "rampart-group-probe".into(),
            id: None,
            identity: g.policies.clone(),
            boundary: None,
            trust: None,
            tags: BTreeMap::new(),
            service_linked: false,
            instances: Vec::new(),
        };
        let policies = self.estate.policies(&probe, None);
        ["*"].iter().chain(ADMIN_PROBES.iter()).all(|action| {
            self.evaluations += 1;
            let req = self.estate.request_on(&probe, action, "*", None, &self.context);
            evaluate(&req, &policies).decision == Decision::Allowed
        })
    }

    /// The same-account principals a may act on with action `i`, by resource pattern.
    fn same_account_targets(&self, a: usize, i: usize, kind: PrincipalKind) -> Vec<usize> {
        let p = &self.estate.principals[a];
        let Some(all) = self.by_account.get(p.account.as_str()) else { return Vec::new() };
        all.iter()
            .copied()
            .filter(|&b| b != a && self.estate.principals[b].kind == kind && self.reach[a].may_on(i, &self.estate.principals[b].arn))
            .collect()
    }
}

impl<'e> Graph<'e> {
    /// Builds the graph of `estate` (with the relations of `links`).
    #[must_use]
    #[allow(clippy::needless_range_loop)]
    pub fn build(estate: &'e Estate, links: &Links) -> Graph<'e> {
        let mut b = Builder::new(estate, links);
        let n = estate.principals.len();
        let admin: Vec<Option<Step>> = (0..n).map(|a| b.admin(a)).collect();
        let trust_ix = TrustIndex::build(estate);
        let mut edges: Vec<Edge> = Vec::new();
        let mut grants: Vec<Grant> = Vec::new();
        // Whether a principal would be an administrator given any permission (cached).
        let mut admin_if_granted: Vec<Option<bool>> = vec![None; n];
        let i_assume = b.action_index("sts:AssumeRole");

        for a in 0..n {
            let pa = &estate.principals[a];
            // Grants first: a principal that can make itself an administrator
            // (or is one) takes over its account's principals through that,
            // so only its roles in other accounts are worth edges.
            let mut mine = Vec::new();
            if admin[a].is_none() {
                grant_edges(&mut b, a, &mut admin_if_granted, &mut mine);
            }
            let admin_equivalent = admin[a].is_some() || mine.iter().any(|g| g.1 == a);
            grants.extend(mine);
            // sts:AssumeRole: roles whose trust names a, its account or anyone.
            let mut cands: Vec<(usize, bool)> = Vec::new();
            for &r in &trust_ix.anyone {
                cands.push((r, false));
            }
            if let Some(v) = trust_ix.by_account.get(&pa.account) {
                cands.extend(v.iter().map(|&r| (r, false)));
            }
            if let Some(v) = trust_ix.by_arn.get(&pa.arn) {
                cands.extend(v.iter().map(|&r| (r, true)));
            }
            // A role named directly first, so dedup keeps that.
            cands.sort_unstable_by_key(|c| (c.0, !c.1));
            cands.dedup_by_key(|c| c.0);
            for (r, named) in cands {
                if r == a || estate.principals[r].kind != PrincipalKind::Role {
                    continue;
                }
                if admin_equivalent && estate.principals[r].account == pa.account {
                    continue;
                }
                // Naming the account or anyone needs the identity side.
                if !named && !b.reach[a].may_on(i_assume, &estate.principals[r].arn) {
                    continue;
                }
                if let Some(step) = b.ask(a, "sts:AssumeRole", &estate.principals[r].arn, On::Principal(r), &[]) {
                    edges.push(Edge {
                        from: a,
                        to: Node::Principal(r),
                        technique: Technique::AssumeRole,
                        via: None,
                        steps: vec![step],
                        subject: None,
                        then: Vec::new(),
                    });
                }
            }
            if !admin_equivalent {
                become_edges(&mut b, &trust_ix, a, &mut edges);
            }
        }

        // Grants: to itself (or its group) → admin at once; to another
        // principal → admin when `a` can then become it.
        let mut graph = Graph { estate, admin, edges, by_arn: b.by_arn.clone(), evaluations: 0 };
        let mut by_from: BTreeMap<usize, Vec<Grant>> = BTreeMap::new();
        for (a, y, t, via, steps) in grants {
            by_from.entry(a).or_default().push((a, y, t, via, steps));
        }
        let mut new_edges = Vec::new();
        let mut out_edges: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, e) in graph.edges.iter().enumerate() {
            out_edges.entry(e.from).or_default().push(i);
        }
        for (a, list) in by_from {
            let routes = graph.routes_from(a, &out_edges);
            let mut best: BTreeMap<Technique, Chosen> = BTreeMap::new();
            for (_, y, t, via, steps) in list {
                let then = if y == a {
                    Vec::new()
                } else if let Some(p) = routes.get(&y) {
                    p.clone()
                } else {
                    continue;
                };
                let better = best.get(&t).is_none_or(|(.., old)| then.len() < old.len());
                if better {
                    best.insert(t, (y, via, steps, then));
                }
            }
            for (t, (y, via, steps, then)) in best {
                new_edges.push(Edge { from: a, to: Node::Admin, technique: t, via, steps, subject: Some(y), then });
            }
        }
        graph.edges.extend(new_edges);
        graph.evaluations = b.evaluations;
        graph
    }

    /// Shortest chains of take-over edges from `a` to every principal it can become.
    fn routes_from(&self, a: usize, out_edges: &HashMap<usize, Vec<usize>>) -> HashMap<usize, Vec<usize>> {
        let mut routes: HashMap<usize, Vec<usize>> = HashMap::new();
        routes.insert(a, Vec::new());
        let mut queue = VecDeque::from([a]);
        while let Some(u) = queue.pop_front() {
            let here = routes[&u].clone();
            for &ei in out_edges.get(&u).map(Vec::as_slice).unwrap_or(&[]) {
                if let Node::Principal(v) = self.edges[ei].to {
                    if let std::collections::hash_map::Entry::Vacant(slot) = routes.entry(v) {
                        let mut p = here.clone();
                        p.push(ei);
                        slot.insert(p);
                        queue.push_back(v);
                    }
                }
            }
        }
        routes.remove(&a);
        routes
    }

    /// The index of a principal by ARN.
    #[must_use]
    pub fn index(&self, arn: &str) -> Option<usize> {
        self.by_arn.get(arn).copied()
    }

    /// Whether principal `i` is an administrator.
    #[must_use]
    pub fn is_admin(&self, i: usize) -> bool {
        self.admin[i].is_some()
    }

    /// The shortest path from every principal that can reach `goal` (those
    /// already there with no edges), in the estate's principal order.
    #[allow(clippy::needless_range_loop)]
    pub fn paths(&self, goal: &Goal) -> Result<Vec<Path>, GoalError> {
        let n = self.estate.principals.len();
        // One administrator node per account (a grant makes its granter an
        // administrator of its own account), after the principals.
        let mut accounts: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &self.estate.principals {
            let next = n + accounts.len();
            accounts.entry(p.account.as_str()).or_insert(next);
        }
        let admin_node = |i: usize| accounts[self.estate.principals[i].account.as_str()];
        let nodes = n + accounts.len();
        // Targets (node index → how a path ends there).
        let mut ends: HashMap<usize, End> = HashMap::new();
        match goal {
            Goal::Admin => {
                for i in (0..n).filter(|&i| self.is_admin(i)) {
                    ends.insert(i, End::IsAdmin(i));
                }
                for &node in accounts.values() {
                    ends.insert(node, End::Granted);
                }
            }
            Goal::Principal(arn) => {
                let t = self.index(arn).ok_or_else(|| GoalError::UnknownPrincipal(arn.clone()))?;
                let account = &self.estate.principals[t].account;
                for i in (0..n).filter(|&i| self.is_admin(i) && &self.estate.principals[i].account == account) {
                    ends.insert(i, End::AdminOfAccount(i));
                }
                ends.insert(admin_node(t), End::GrantedInAccount(t));
                ends.insert(t, End::Principal(t));
            }
            Goal::Actions(actions) => {
                if actions.is_empty() {
                    return Err(GoalError::NoActions);
                }
                let links = Links::default();
                let mut b = Builder::new(self.estate, &links);
                for i in 0..n {
                    if self.is_admin(i) {
                        ends.insert(i, End::IsAdmin(i));
                    } else if actions.iter().all(|a| b.ask(i, a, "*", On::Other, &[]).is_some()) {
                        ends.insert(i, End::Actions(i));
                    }
                }
                for &node in accounts.values() {
                    ends.insert(node, End::Granted);
                }
            }
        }
        // Dijkstra backwards from the targets; an edge weighs 1 plus the
        // edges a grant then needs.
        let mut rev: Vec<Vec<usize>> = vec![Vec::new(); nodes];
        for (i, e) in self.edges.iter().enumerate() {
            let to = match e.to {
                Node::Principal(p) => p,
                Node::Admin => admin_node(e.from),
            };
            rev[to].push(i);
        }
        let mut dist: Vec<Option<usize>> = vec![None; nodes];
        let mut next: Vec<Option<usize>> = vec![None; nodes];
        let mut heap = BinaryHeap::new();
        for &t in ends.keys() {
            dist[t] = Some(0);
            heap.push(Reverse((0usize, t)));
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if dist[v] != Some(d) {
                continue;
            }
            for &ei in &rev[v] {
                let e = &self.edges[ei];
                let nd = d + 1 + e.then.len();
                if dist[e.from].is_none_or(|old| nd < old) {
                    dist[e.from] = Some(nd);
                    next[e.from] = Some(ei);
                    heap.push(Reverse((nd, e.from)));
                }
            }
        }
        let mut out = Vec::new();
        for from in 0..n {
            let Some(length) = dist[from] else { continue };
            let mut edges = Vec::new();
            let mut at = from;
            while let Some(ei) = next[at].filter(|_| !ends.contains_key(&at)) {
                edges.push(ei);
                at = match self.edges[ei].to {
                    Node::Principal(p) => p,
                    Node::Admin => admin_node(self.edges[ei].from),
                };
            }
            let end = ends[&at];
            out.push(Path { from, edges, end, length });
        }
        Ok(out)
    }

    /// A path in words, one line per technique ("assume-role → arn:…").
    #[must_use]
    pub fn describe(&self, path: &Path) -> Vec<String> {
        let name = |i: usize| self.estate.principals[i].arn.as_str();
        let mut lines = Vec::new();
        for &ei in &path.edges {
            let e = &self.edges[ei];
            let actions: Vec<String> = e.steps.iter().map(|s| format!("{} on {}", s.action, s.resource)).collect();
            match e.to {
                Node::Principal(to) => {
                    let via = e.via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
                    lines.push(format!("{} becomes {} by {}{via} ({})", name(e.from), name(to), e.technique.id(), actions.join(", ")));
                }
                Node::Admin => {
                    let whom = match e.subject {
                        Some(y) if y != e.from => name(y),
                        _ => "itself",
                    };
                    let via = e
                        .via
                        .as_deref()
                        .filter(|v| *v != whom && Some(*v) != e.subject.map(name))
                        .map(|v| format!(" via {v}"))
                        .unwrap_or_default();
                    lines.push(format!(
                        "{} makes {whom} an administrator by {}{via} ({})",
                        name(e.from),
                        e.technique.id(),
                        actions.join(", ")
                    ));
                    for &ti in &e.then {
                        let t = &self.edges[ti];
                        if let Node::Principal(to) = t.to {
                            lines.push(format!("  then becomes {} by {}", name(to), t.technique.id()));
                        }
                    }
                }
            }
        }
        match path.end {
            End::IsAdmin(i) => lines.push(format!("{} is an administrator (allowed * on *)", name(i))),
            End::Granted => lines.push("administrator".into()),
            End::GrantedInAccount(i) => lines.push(format!("administrator of the account of {}, which it can take over", name(i))),
            End::Principal(i) => {
                if path.edges.is_empty() {
                    lines.push(format!("{} is the target", name(i)));
                }
            }
            End::AdminOfAccount(i) => lines.push(format!("{} is an administrator of the target's account and can take it over", name(i))),
            End::Actions(i) => lines.push(format!("{} is allowed every action asked", name(i))),
        }
        lines
    }
}

/// Take-over edges out of the non-administrator `a`.
fn become_edges(b: &mut Builder<'_, '_>, trust_ix: &TrustIndex, a: usize, edges: &mut Vec<Edge>) {
    let estate = b.estate;
    let pa = &estate.principals[a];
    let push = |edges: &mut Vec<Edge>, to: usize, technique: Technique, via: Option<String>, steps: Vec<Step>| {
        edges.push(Edge { from: a, to: Node::Principal(to), technique, via, steps, subject: None, then: Vec::new() });
    };
    // iam:PassRole with a compute service: roles of a's account the service may assume.
    let i_pass = b.action_index("iam:PassRole");
    if b.reach[a].may(i_pass) {
        for (si, svc) in PASS_ROLE_SERVICES.iter().enumerate() {
            let creation_ok = svc.actions.iter().all(|act| b.reach[a].may(b.action_index(act)));
            let Some(roles) = trust_ix.by_service.get(svc.service) else { continue };
            if !creation_ok {
                continue;
            }
            let roles: Vec<usize> = roles
                .iter()
                .copied()
                .filter(|&r| r != a && estate.principals[r].account == pa.account && b.reach[a].may_on(i_pass, &estate.principals[r].arn))
                .collect();
            if roles.is_empty() {
                continue;
            }
            // The creation requests, once per service.
            let mut creation = Vec::new();
            for act in svc.actions {
                let i = b.action_index(act);
                let step = b.reach[a].creation_resources(i).into_iter().find_map(|res| b.ask(a, act, &res, On::Other, &[]));
                match step {
                    Some(s) => creation.push(s),
                    None => break,
                }
            }
            if creation.len() != svc.actions.len() {
                continue;
            }
            for r in roles {
                let role = &estate.principals[r];
                // The service must be allowed to assume the role.
                let svc_req = crate::Request {
                    principal: svc.service.to_string(),
                    role_arn: None,
                    action: "sts:AssumeRole".into(),
                    resource: role.arn.clone(),
                    resource_account: Some(role.account.clone()),
                    // The resource a creates runs in its account (confused-deputy guards hold).
                    context: {
                        let mut c = Context::new();
                        c.insert("aws:SourceAccount", &pa.account);
                        c
                    },
                };
                let trust_pol = Policies { resource: role.trust.iter().cloned().collect(), ..Policies::default() };
                b.evaluations += 1;
                if evaluate(&svc_req, &trust_pol).decision != Decision::Allowed {
                    continue;
                }
                let Some(pass) = b.ask(a, "iam:PassRole", &role.arn, On::Principal(r), &[("iam:PassedToService", svc.service)]) else {
                    continue;
                };
                let mut steps = vec![pass];
                steps.extend(creation.iter().cloned());
                push(edges, r, Technique::PassRole(si), None, steps);
            }
        }
    }
    // Credentials of another user.
    let logins = &b.links.login_profiles;
    for (action, technique) in [
        ("iam:CreateAccessKey", Technique::CreateAccessKey),
        ("iam:CreateLoginProfile", Technique::CreateLoginProfile),
        ("iam:UpdateLoginProfile", Technique::UpdateLoginProfile),
    ] {
        let i = b.action_index(action);
        if !b.reach[a].may(i) {
            continue;
        }
        for u in b.same_account_targets(a, i, PrincipalKind::User) {
            let has_password = logins.get(&estate.principals[u].arn).copied();
            let applies = match technique {
                Technique::CreateLoginProfile => has_password != Some(true),
                Technique::UpdateLoginProfile => has_password != Some(false),
                _ => true,
            };
            if !applies {
                continue;
            }
            if let Some(step) = b.ask(a, action, &estate.principals[u].arn, On::Principal(u), &[]) {
                push(edges, u, technique, None, vec![step]);
            }
        }
    }
    // A trust policy rewritten to name a, then assumed.
    let i_update = b.action_index("iam:UpdateAssumeRolePolicy");
    if b.reach[a].may(i_update) {
        for r in b.same_account_targets(a, i_update, PrincipalKind::Role) {
            let role = &estate.principals[r];
            if role.service_linked {
                continue;
            }
            let Some(update) = b.ask(a, "iam:UpdateAssumeRolePolicy", &role.arn, On::Principal(r), &[]) else { continue };
            // The new trust policy names a itself.
            let new_trust = NamedPolicy {
                name: "trust policy as rewritten".into(),
                document: PolicyDocument {
                    version: Some("2012-10-17".into()),
                    id: None,
                    statements: vec![Statement {
                        principal: Some(Principal::Specific(BTreeMap::from([("AWS".to_string(), vec![pa.arn.clone()])]))),
                        action: Some(vec!["sts:AssumeRole".into()]),
                        ..Statement::new(Effect::Allow)
                    }],
                },
            };
            let saved = std::mem::replace(&mut b.trusts[r], vec![new_trust]);
            let saved_key = b.trust_key[r].take();
            let assume = b.ask(a, "sts:AssumeRole", &role.arn, On::Principal(r), &[]);
            b.trusts[r] = saved;
            b.trust_key[r] = saved_key;
            if let Some(assume) = assume {
                push(edges, r, Technique::UpdateAssumeRolePolicy, None, vec![update, assume]);
            }
        }
    }
    // New code in a function that runs as a role.
    let i_code = b.action_index("lambda:UpdateFunctionCode");
    if b.reach[a].may(i_code) {
        for f in &b.links.functions {
            let Some(&r) = b.by_arn.get(f.role.as_str()) else { continue };
            if r == a || !b.reach[a].may_on(i_code, &f.arn) {
                continue;
            }
            if let Some(step) = b.ask(a, "lambda:UpdateFunctionCode", &f.arn, On::Other, &[]) {
                push(edges, r, Technique::UpdateFunctionCode, Some(f.arn.clone()), vec![step]);
            }
        }
    }
    // Commands on an instance that runs as a role.
    for (action, technique) in [("ssm:SendCommand", Technique::SsmSendCommand), ("ssm:StartSession", Technique::SsmStartSession)] {
        let i = b.action_index(action);
        if !b.reach[a].may(i) {
            continue;
        }
        for (r, role) in estate.principals.iter().enumerate() {
            if r == a || role.instances.is_empty() {
                continue;
            }
            for inst in &role.instances {
                if !b.reach[a].may_on(i, inst) {
                    continue;
                }
                if let Some(step) = b.ask(a, action, inst, On::Other, &[]) {
                    push(edges, r, technique, Some(inst.clone()), vec![step]);
                    break;
                }
            }
        }
    }
}

/// Grants out of the non-administrator `a`: (a, principal whose permissions
/// change, technique, via, steps), only where the change would make that
/// principal an administrator.
fn grant_edges(b: &mut Builder<'_, '_>, a: usize, admin_if_granted: &mut [Option<bool>], grants: &mut Vec<Grant>) {
    let estate = b.estate;
    let mut granted = |b: &mut Builder<'_, '_>, y: usize| -> bool {
        if let Some(v) = admin_if_granted[y] {
            return v;
        }
        let admin_policy = b.admin_policy.clone();
        let v = b.admin_with(y, std::slice::from_ref(&admin_policy));
        admin_if_granted[y] = Some(v);
        v
    };
    // Policies put on or attached to a user or role.
    for (action, technique, kind, extra) in [
        ("iam:PutUserPolicy", Technique::PutUserPolicy, PrincipalKind::User, None),
        ("iam:AttachUserPolicy", Technique::AttachUserPolicy, PrincipalKind::User, Some(("iam:PolicyARN", ADMINISTRATOR_ACCESS))),
        ("iam:PutRolePolicy", Technique::PutRolePolicy, PrincipalKind::Role, None),
        ("iam:AttachRolePolicy", Technique::AttachRolePolicy, PrincipalKind::Role, Some(("iam:PolicyARN", ADMINISTRATOR_ACCESS))),
    ] {
        let i = b.action_index(action);
        if !b.reach[a].may(i) {
            continue;
        }
        let mut targets = b.same_account_targets(a, i, kind);
        if estate.principals[a].kind == kind && b.reach[a].may_on(i, &estate.principals[a].arn) {
            targets.insert(0, a);
        }
        for y in targets {
            if estate.principals[y].service_linked || !granted(b, y) {
                continue;
            }
            let extra: Vec<(&str, &str)> = extra.into_iter().collect();
            if let Some(step) = b.ask(a, action, &estate.principals[y].arn, On::Principal(y), &extra) {
                grants.push((a, y, technique, None, vec![step]));
            }
        }
    }
    // Policies put on or attached to a group: every member gains them.
    let account = estate.principals[a].account.clone();
    for (action, technique, extra) in [
        ("iam:PutGroupPolicy", Technique::PutGroupPolicy, None),
        ("iam:AttachGroupPolicy", Technique::AttachGroupPolicy, Some(("iam:PolicyARN", ADMINISTRATOR_ACCESS))),
    ] {
        let i = b.action_index(action);
        if !b.reach[a].may(i) {
            continue;
        }
        for g in b.links.groups.iter().filter(|g| g.account == account) {
            if !b.reach[a].may_on(i, &g.arn) {
                continue;
            }
            let members: Vec<usize> = g.members.iter().filter_map(|m| b.by_arn.get(m.as_str()).copied()).collect();
            let members: Vec<usize> = members.into_iter().filter(|&y| granted(b, y)).collect();
            if members.is_empty() {
                continue;
            }
            let extra: Vec<(&str, &str)> = extra.into_iter().collect();
            let Some(step) = b.ask(a, action, &g.arn, On::InAccount(&g.account), &extra) else { continue };
            for y in members {
                grants.push((a, y, technique, Some(g.arn.clone()), vec![step.clone()]));
            }
        }
    }
    // A user added to a group whose policies make it an administrator.
    let i_add = b.action_index("iam:AddUserToGroup");
    if b.reach[a].may(i_add) {
        for g in b.links.groups.iter().filter(|g| g.account == account) {
            if !b.reach[a].may_on(i_add, &g.arn) {
                continue;
            }
            // Only groups that grant administrator on their own.
            if !b.group_is_admin(g) {
                continue;
            }
            let Some(step) = b.ask(a, "iam:AddUserToGroup", &g.arn, On::InAccount(&g.account), &[]) else { continue };
            let users: Vec<usize> = b.by_account.get(account.as_str()).cloned().unwrap_or_default();
            for y in users {
                let py = &estate.principals[y];
                if py.kind != PrincipalKind::User || g.members.contains(&py.arn) {
                    continue;
                }
                let key = (y, g.arn.clone());
                let admin = match b.group_admin.get(&key) {
                    Some(&v) => v,
                    None => {
                        let v = b.admin_with(y, &g.policies);
                        b.group_admin.insert(key, v);
                        v
                    }
                };
                if admin {
                    grants.push((a, y, Technique::AddUserToGroup, Some(g.arn.clone()), vec![step.clone()]));
                }
            }
        }
    }
    // A new (or an older) version of a customer managed policy attached to someone.
    for (action, technique) in
        [("iam:CreatePolicyVersion", Technique::CreatePolicyVersion), ("iam:SetDefaultPolicyVersion", Technique::SetDefaultPolicyVersion)]
    {
        let i = b.action_index(action);
        if !b.reach[a].may(i) {
            continue;
        }
        for mp in &b.links.managed_policies {
            if mp.aws_managed || !b.reach[a].may_on(i, &mp.arn) {
                continue;
            }
            if crate::estate::account_of(&mp.arn).as_deref() != Some(account.as_str()) {
                continue;
            }
            // Who holds the policy: directly, or as a member of a group that has it.
            let mut holders: Vec<usize> = Vec::new();
            for t in &mp.attached_to {
                if let Some(&y) = b.by_arn.get(t.as_str()) {
                    holders.push(y);
                } else if let Some(g) = b.links.groups.iter().find(|g| &g.arn == t) {
                    holders.extend(g.members.iter().filter_map(|m| b.by_arn.get(m.as_str()).copied()));
                }
            }
            holders.sort_unstable();
            holders.dedup();
            let holders: Vec<usize> = holders
                .into_iter()
                .filter(|&y| match technique {
                    Technique::CreatePolicyVersion => granted(b, y),
                    _ => mp.other_versions.iter().any(|v| b.admin_with(y, std::slice::from_ref(v))),
                })
                .collect();
            if holders.is_empty() {
                continue;
            }
            let Some(step) = b.ask(a, action, &mp.arn, On::Other, &[]) else { continue };
            for y in holders {
                grants.push((a, y, technique, Some(mp.arn.clone()), vec![step.clone()]));
            }
        }
    }
}

#[cfg(test)]
#[path = "escalation_tests.rs"]
mod tests;
