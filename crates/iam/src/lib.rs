//! IAM policy evaluation: does a principal's request get allowed, following
//! AWS's documented evaluation logic?
//!
//! **Architecture Invariant:** this crate is pure: no files, network, clock
//! or logging. Documents come parsed by `rampart-policy` (one parser).
//!
//! The order ("How AWS enforcement code logic evaluates requests to allow or
//! deny access", IAM User Guide):
//! 1. an applicable `Deny` in any policy (SCP, RCP, resource, identity,
//!    boundary, session) denies;
//! 2. every level of RCPs (of the resource's account) must allow, then every
//!    level of SCPs (of the principal's account);
//! 3. within one account, a resource-based policy that names the principal's
//!    own ARN (user, or role session) allows even where the boundary or the
//!    session policy is silent; one that names the role's ARN allows only
//!    within the boundary and the session policy; one that names the account
//!    needs the identity side as well;
//! 4. otherwise an identity-based allow counts only inside the permissions
//!    boundary and the session policy (when those exist);
//! 5. across accounts both the identity side and the resource-based policy
//!    must allow;
//! 6. anything else is an implicit deny.
//!
//! Sources: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.

mod condition;
mod context;
pub mod escalation;
pub mod estate;
pub mod external;
pub mod s3;
mod vars;

use rampart_policy::{action_matches, resource_matches, Effect, PolicyDocument, Principal, Statement};

pub use context::Context;
pub use estate::{Estate, Grant, Organization, PrincipalInfo, PrincipalKind, ResourceInfo, Target};

/// A policy with the name the answer reports it by.
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    pub name: String,
    pub document: PolicyDocument,
}

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    /// Identity-based: the user's or role's inline and managed policies and
    /// the user's groups' policies.
    pub identity: Vec<NamedPolicy>,
    /// The resource's resource-based policies (bucket policy, trust policy, ...).
    pub resource: Vec<NamedPolicy>,
    /// The permissions boundary; `None` when the principal has none.
    pub boundary: Option<Vec<NamedPolicy>>,
    /// The session policies; `None` when the session has none.
    pub session: Option<Vec<NamedPolicy>>,
    /// SCPs applying to the principal's account, one entry per level (root,
    /// each OU, the account); empty when not in an organisation (or the
    /// management account, or a service-linked role: SCPs do not apply).
    pub scps: Vec<Vec<NamedPolicy>>,
    /// RCPs applying to the resource's account, per level like `scps`.
    pub rcps: Vec<Vec<NamedPolicy>>,
}

/// One request.
#[derive(Debug, Clone)]
pub struct Request {
    /// `arn:aws:iam::A:user/...`, `arn:aws:sts::A:assumed-role/R/S`,
    /// `arn:aws:iam::A:root`, a service principal (`ec2.amazonaws.com`) or
    /// `anonymous`.
    pub principal: String,
    /// The role of a role session, with its path, when known; otherwise it is
    /// derived from the session ARN (without path).
    pub role_arn: Option<String>,
    pub action: String,
    pub resource: String,
    /// The account that owns the resource; `None` means the principal's own
    /// (S3 ARNs carry no account, so a caller must set it for S3).
    pub resource_account: Option<String>,
    pub context: Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// The spelling of `SimulatePrincipalPolicy`'s `EvalDecision`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyKind {
    Identity,
    Resource,
    Boundary,
    Session,
    Scp,
    Rcp,
}

/// A statement that applied to the request (action, resource, principal and
/// conditions all matched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    pub kind: PolicyKind,
    pub policy: String,
    /// Position in the policy's `Statement` list, from 0.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
}

/// The answer, as `SimulatePrincipalPolicy` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub decision: Decision,
    /// Why, in one line (which step decided).
    pub reason: String,
    pub matched: Vec<MatchedStatement>,
    /// Condition keys (and policy-variable keys) that statements matching the
    /// action, resource and principal referenced but the request lacks,
    /// sorted, case as first written.
    pub missing_context_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Who {
    User { arn: String, account: String, name: String },
    Session { arn: String, account: String, role: String },
    Root { account: String },
    Service(String),
    Anonymous,
}

fn who(req: &Request) -> Who {
    let p = req.principal.as_str();
    let parts: Vec<&str> = p.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" {
        let account = parts[4].to_string();
        let res = parts[5];
        if parts[2] == "iam" && res == "root" {
            return Who::Root { account };
        }
        if parts[2] == "iam" && res.starts_with("user/") {
            let name = res.rsplit('/').next().unwrap_or_default().to_string();
            return Who::User { arn: p.to_string(), account, name };
        }
        if parts[2] == "sts" {
            if let Some(rest) = res.strip_prefix("assumed-role/") {
                let role_name = rest.split('/').next().unwrap_or_default();
                let role = req.role_arn.clone().unwrap_or_else(|| format!("arn:{}:iam::{}:role/{}", parts[1], account, role_name));
                return Who::Session { arn: p.to_string(), account, role };
            }
        }
        return Who::User { arn: p.to_string(), account, name: String::new() };
    }
    if p.is_empty() || p.eq_ignore_ascii_case("anonymous") || p == "*" {
        Who::Anonymous
    } else {
        Who::Service(p.to_string())
    }
}

impl Who {
    fn account(&self) -> Option<&str> {
        match self {
            Who::User { account, .. } | Who::Session { account, .. } | Who::Root { account } => Some(account),
            _ => None,
        }
    }
}

/// How a resource-based policy's `Principal` named the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Named {
    Account,
    Role,
    /// The principal's own ARN, or `*`.
    Direct,
}

fn name_matches(who: &Who, kind: &str, value: &str) -> Option<Named> {
    if kind.eq_ignore_ascii_case("Service") {
        return matches!(who, Who::Service(s) if s.eq_ignore_ascii_case(value)).then_some(Named::Direct);
    }
    if !kind.eq_ignore_ascii_case("AWS") {
        // Federated / CanonicalUser: exact value.
        return matches!(who, Who::Service(s) if s == value).then_some(Named::Direct);
    }
    if value == "*" {
        return Some(Named::Direct);
    }
    let account_of_value = if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Some(value.to_string())
    } else {
        value.strip_prefix("arn:").and_then(|_| {
            let p: Vec<&str> = value.splitn(6, ':').collect();
            (p.len() == 6 && p[2] == "iam" && p[5] == "root").then(|| p[4].to_string())
        })
    };
    if let Some(acct) = account_of_value {
        return (who.account() == Some(acct.as_str())).then_some(Named::Account);
    }
    match who {
        Who::User { arn, .. } if arn == value => Some(Named::Direct),
        Who::Session { arn, .. } if arn == value => Some(Named::Direct),
        Who::Session { role, .. } if role == value => Some(Named::Role),
        _ => None,
    }
}

fn principal_named(who: &Who, p: &Principal) -> Option<Named> {
    match p {
        Principal::Any => Some(Named::Direct),
        Principal::Specific(map) => map.iter().flat_map(|(k, vs)| vs.iter().filter_map(move |v| name_matches(who, k, v))).max(),
    }
}

/// Whether a `NotPrincipal` leaves the requester out. AWS may check the
/// account, then the role, then the session ("AWS JSON policy elements:
/// NotPrincipal"), so a principal is left out only when its own ARN, its
/// role's ARN (for a session) and its account are all listed.
fn not_principal_exempts(who: &Who, np: &Principal) -> bool {
    let Principal::Specific(map) = np else {
        return true;
    };
    let listed = |want: Named, exact: Option<&str>| {
        map.iter().any(|(k, vs)| vs.iter().any(|v| name_matches(who, k, v) == Some(want) && exact.is_none_or(|e| v == e)))
    };
    match who {
        Who::User { arn, .. } => listed(Named::Direct, Some(arn)) && listed(Named::Account, None),
        Who::Session { arn, .. } => listed(Named::Direct, Some(arn)) && listed(Named::Role, None) && listed(Named::Account, None),
        Who::Root { .. } => listed(Named::Account, None),
        Who::Service(_) => listed(Named::Direct, None),
        Who::Anonymous => false,
    }
}

struct Eval<'a> {
    req: &'a Request,
    has_boundary: bool,
    who: Who,
    ctx: Context,
    matched: Vec<MatchedStatement>,
    missing: Vec<String>,
}

impl Eval<'_> {
    /// Whether the statement applies; `Some(named)` says how the principal
    /// was named (statements without a principal element name it directly).
    fn applies(&mut self, st: &Statement, variables: bool) -> Option<Named> {
        let action = &self.req.action;
        let action_ok = match (&st.action, &st.not_action) {
            (Some(a), _) => a.iter().any(|p| action_matches(p, action)),
            (None, Some(na)) => !na.iter().any(|p| action_matches(p, action)),
            (None, None) => false,
        };
        if !action_ok {
            return None;
        }
        let named = match (&st.principal, &st.not_principal) {
            (Some(p), _) => principal_named(&self.who, p)?,
            (None, Some(np)) => {
                // "NotPrincipal with Deny always denies a principal that has
                // a permissions boundary" (IAM User Guide, permissions
                // boundaries); otherwise the principal is left out only when
                // every link of its chain is listed.
                let boundary_rule = st.effect == Effect::Deny && self.has_boundary;
                if !boundary_rule && not_principal_exempts(&self.who, np) {
                    return None;
                }
                Named::Direct
            }
            (None, None) => Named::Direct,
        };
        let mut missing = Vec::new();
        let res_hit = |pats: &Vec<String>, missing: &mut Vec<String>| {
            pats.iter().any(|p| {
                let p = if variables { vars::substitute(p, &self.ctx, vars::Mode::Pattern, missing) } else { Some(p.clone()) };
                p.is_some_and(|p| resource_matches(&p, &self.req.resource))
            })
        };
        let resource_ok = match (&st.resource, &st.not_resource) {
            (Some(r), _) => res_hit(r, &mut missing),
            (None, Some(nr)) => !res_hit(nr, &mut missing),
            // A trust policy names no resource: it is the role's own.
            (None, None) => true,
        };
        if !resource_ok {
            // A variable the request lacks is worth reporting: with it the
            // statement might apply.
            self.missing.extend(missing);
            return None;
        }
        let mut all = true;
        for c in &st.conditions {
            if !condition::holds(c, &self.ctx, variables, &mut missing) {
                all = false;
            }
        }
        self.missing.extend(missing);
        all.then_some(named)
    }

    /// Evaluates a set of policies; records applying statements; returns
    /// (any deny applies, best way an allow named the principal).
    fn run(&mut self, kind: PolicyKind, policies: &[NamedPolicy]) -> (bool, Option<Named>) {
        let (mut deny, mut allow) = (false, None);
        for p in policies {
            // Policy variables exist only in version 2012-10-17; under an
            // older or absent version `${...}` is literal text.
            let variables = p.document.version.as_deref() == Some("2012-10-17");
            for (index, st) in p.document.statements.iter().enumerate() {
                if let Some(named) = self.applies(st, variables) {
                    self.matched.push(MatchedStatement { kind, policy: p.name.clone(), index, sid: st.sid.clone(), effect: st.effect });
                    match st.effect {
                        Effect::Deny => deny = true,
                        Effect::Allow => allow = allow.max(Some(named)),
                    }
                }
            }
        }
        (deny, allow)
    }
}

/// Evaluates `req` against `policies`.
#[must_use]
pub fn evaluate(req: &Request, policies: &Policies) -> Answer {
    let who = who(req);
    let mut ctx = req.context.clone();
    let derive = |ctx: &mut Context, k: &str, v: &str| {
        if !ctx.contains(k) && !v.is_empty() {
            ctx.insert(k, v);
        }
    };
    match &who {
        Who::User { arn, account, name } => {
            derive(&mut ctx, "aws:PrincipalArn", arn);
            derive(&mut ctx, "aws:PrincipalAccount", account);
            derive(&mut ctx, "aws:username", name);
            derive(&mut ctx, "aws:PrincipalType", "User");
        }
        Who::Session { account, role, .. } => {
            derive(&mut ctx, "aws:PrincipalArn", role);
            derive(&mut ctx, "aws:PrincipalAccount", account);
            derive(&mut ctx, "aws:PrincipalType", "AssumedRole");
        }
        Who::Root { account } => {
            derive(&mut ctx, "aws:PrincipalArn", &format!("arn:aws:iam::{account}:root"));
            derive(&mut ctx, "aws:PrincipalAccount", account);
            derive(&mut ctx, "aws:PrincipalType", "Account");
        }
        Who::Service(service) => derive(&mut ctx, "aws:PrincipalServiceName", service),
        Who::Anonymous => derive(&mut ctx, "aws:PrincipalType", "Anonymous"),
    }
    let mut e = Eval { req, has_boundary: policies.boundary.is_some(), who, ctx, matched: Vec::new(), missing: Vec::new() };
    let (id_deny, id_allow) = e.run(PolicyKind::Identity, &policies.identity);
    let (res_deny, res_allow) = e.run(PolicyKind::Resource, &policies.resource);
    let (b_deny, b_allow) = e.run(PolicyKind::Boundary, policies.boundary.as_deref().unwrap_or(&[]));
    let (s_deny, s_allow) = e.run(PolicyKind::Session, policies.session.as_deref().unwrap_or(&[]));
    let mut org_deny = false;
    let mut scp_gap = None;
    for (i, level) in policies.scps.iter().enumerate() {
        let (d, a) = e.run(PolicyKind::Scp, level);
        org_deny |= d;
        if a.is_none() && scp_gap.is_none() {
            scp_gap = Some(i);
        }
    }
    let mut rcp_gap = None;
    for (i, level) in policies.rcps.iter().enumerate() {
        let (d, a) = e.run(PolicyKind::Rcp, level);
        org_deny |= d;
        if a.is_none() && rcp_gap.is_none() {
            rcp_gap = Some(i);
        }
    }
    let (decision, reason) = decide(
        &e.who,
        req,
        policies,
        Flags {
            deny: id_deny || res_deny || b_deny || s_deny || org_deny,
            rcp_gap,
            scp_gap,
            id_allow: id_allow.is_some(),
            res_allow,
            boundary_ok: policies.boundary.is_none() || b_allow.is_some(),
            session_ok: policies.session.is_none() || s_allow.is_some(),
        },
    );
    let mut missing: Vec<String> = Vec::new();
    for k in e.missing {
        if !missing.iter().any(|m| m.eq_ignore_ascii_case(&k)) {
            missing.push(k);
        }
    }
    missing.sort_by_key(|k| k.to_ascii_lowercase());
    Answer { decision, reason, matched: e.matched, missing_context_keys: missing }
}

struct Flags {
    deny: bool,
    rcp_gap: Option<usize>,
    scp_gap: Option<usize>,
    id_allow: bool,
    res_allow: Option<Named>,
    boundary_ok: bool,
    session_ok: bool,
}

fn decide(who: &Who, req: &Request, policies: &Policies, f: Flags) -> (Decision, String) {
    use Decision::{Allowed, ExplicitDeny, ImplicitDeny};
    if f.deny {
        return (ExplicitDeny, "an applicable Deny statement".into());
    }
    if let Some(i) = f.rcp_gap {
        return (ImplicitDeny, format!("no RCP at organisation level {i} allows the request"));
    }
    if let Some(i) = f.scp_gap {
        return (ImplicitDeny, format!("no SCP at organisation level {i} allows the request"));
    }
    let root = matches!(who, Who::Root { .. });
    let identity = (root || f.id_allow) && f.boundary_ok && f.session_ok;
    let cross = match (who.account(), &req.resource_account) {
        (Some(p), Some(r)) => p != r,
        (None, Some(_)) => true,
        _ => false,
    };
    let _ = policies;
    if matches!(who, Who::Service(_) | Who::Anonymous) {
        // No identity side: the resource-based policy is the whole answer.
        return match f.res_allow {
            Some(_) => (Allowed, "a resource-based policy allows the service or anonymous principal".into()),
            None => (ImplicitDeny, "no resource-based policy allows the service or anonymous principal".into()),
        };
    }
    if cross {
        return match (identity, f.res_allow) {
            (true, Some(_)) => (Allowed, "cross-account: identity side and resource-based policy both allow".into()),
            (false, _) => (ImplicitDeny, "cross-account: the identity side does not allow (within boundary and session policy)".into()),
            (true, None) => (ImplicitDeny, "cross-account: no resource-based policy allows the principal".into()),
        };
    }
    match f.res_allow {
        Some(Named::Direct) => return (Allowed, "a resource-based policy names the principal".into()),
        Some(Named::Role) if f.boundary_ok && f.session_ok => {
            return (Allowed, "a resource-based policy names the session's role, within boundary and session policy".into())
        }
        _ => {}
    }
    if identity {
        return (Allowed, "an identity-based policy allows, within boundary and session policy".into());
    }
    let why = if !(root || f.id_allow) {
        "no policy allows the request"
    } else if !f.boundary_ok {
        "the permissions boundary does not allow the request"
    } else {
        "the session policy does not allow the request"
    };
    (ImplicitDeny, why.into())
}
