//! External access, as IAM Access Analyzer's external-access analyzer reports it: for every
//! resource of the estate, the principals outside a zone of trust (the resource's account, or
//! the organisation) that its resource-based policies and other grants let in, with the
//! actions and the conditions that limit them.
//!
//! Sources (IAM User Guide): "IAM Access Analyzer findings" (a finding for each resource-based
//! policy grant to a principal outside the zone of trust; sharing inside it is safe), "How IAM
//! Access Analyzer findings work" (the policy alone decides: nothing is assumed about the other
//! account), "IAM Access Analyzer supported resource types" and "IAM Access Analyzer filter
//! keys" (the resource types, and the condition keys a finding names: `aws:PrincipalOrgID`,
//! `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`,
//! `aws:SourceArn`, `aws:SourceOwner`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceIp`,
//! `kms:CallerAccount`, …). An external principal is "another AWS account, a root user, an IAM
//! user or role, a federated user, an AWS service, or an anonymous user" (Access Analyzer API
//! Reference).
//!
//! How a grant is read, per `Allow` statement of a resource's policies and per grant outside
//! any policy ([`crate::Grant`]: snapshot and AMI sharing, KMS grants, S3 ACLs):
//!
//! 1. Each principal it names is taken apart: everyone (`*`, a wildcard, `NotPrincipal`), an
//!    account, a principal ARN (its account), a service, a federated provider, an S3 canonical
//!    user. A principal of a zone account is inside the zone: nothing to report.
//! 2. One condition that pins the request to the zone makes the grant internal (all
//!    conditions must hold): `aws:PrincipalOrgID`/`aws:PrincipalOrgPaths`/`aws:VpceOrgID`/
//!    `aws:VpceOrgPaths` naming the organisation (organisation zone only), an account key
//!    (`aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:VpceAccount`,
//!    `kms:CallerAccount`, `s3:DataAccessPointAccount`) naming zone accounts only, an ARN key
//!    (`aws:PrincipalArn`, `aws:SourceArn`, `s3:DataAccessPointArn`) whose ARNs all fall in
//!    zone accounts, `aws:SourceVpc`/`aws:SourceVpce` naming networks of zone accounts only.
//!    "Pins" means a positive comparison ([`rampart_policy::Restriction::OneOf`]) with values
//!    that leave no room outside the zone; an `IfExists`, `ForAllValues` or negated form never
//!    pins.
//! 3. Otherwise a condition naming other accounts or another organisation narrows "everyone"
//!    to them; the rest of the conditions are listed in the finding, and those whose key this
//!    module does not read are listed as unsupported (the grant stays reported).
//! 4. "Public" is S3's definition of a public policy, as `rampart-policy` decides it
//!    ([`rampart_policy::public_statements_with`]) for every resource type: a grant to
//!    everyone that no condition pins is public; one pinned by, say, `aws:SourceIp` is
//!    external but not public.
//! 5. A `Deny` takes a grant back when it applies to the outside principal (everyone, or the
//!    principal's account or ARN), without conditions or with only negated conditions that
//!    pin the zone (`StringNotEquals aws:PrincipalOrgID <own org>`), and covers the granted
//!    actions and resources.
//!
//! Where Rampart differs from Access Analyzer (docs/iam.md says so too): a service principal
//! on a resource policy without a source condition (`aws:SourceAccount`, `aws:SourceArn`,
//! `aws:SourceOwner`) is reported (the confused-deputy exposure), with low severity; a service
//! principal in a role's trust policy is the account's own use of that service and is not
//! reported. A condition on a VPC or VPC endpoint the estate does not hold leaves the grant
//! reported (the network may be anyone's).
//!
//! **Architecture Invariant:** pure, like the rest of the crate: an [`Estate`] and a
//! [`ZoneOfTrust`] in, [`ExternalAccess`] values and findings out.

use crate::{Estate, Grant, NamedPolicy, ResourceInfo};
use rampart_model::{finding_id, Finding, RecordState, Resource, ResourceType, Severity, Status, WorkflowStatus};
use rampart_policy::{
    action_covers, is_fixed, public_statements_with, resource_covers, restriction, Condition, Effect, Principal, Restriction, Statement,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The check id of external-access findings.
pub const CHECK_ID: &str = "iam_external_access";

/// The service external-access findings are filed under.
pub const SERVICE: &str = "iam";

/// The prefix of the name of an S3 access point policy held among its bucket's policies:
/// `accesspoint/<name>`, or `accesspoint/<name>@<vpc id>` for an access point whose network
/// origin is a VPC (see [`access_point_policy_name`]).
pub const ACCESS_POINT_POLICY: &str = "accesspoint/";

/// The name an S3 access point's policy takes among its bucket's [`ResourceInfo::policies`]:
/// the bucket is shared through the access point when the access point policy grants and the
/// bucket policy delegates to its access points (`s3:DataAccessPointAccount` or
/// `s3:DataAccessPointArn`). An access point reachable only from a VPC is named with it.
#[must_use]
pub fn access_point_policy_name(name: &str, vpc: Option<&str>) -> String {
    match vpc {
        Some(v) => format!("{ACCESS_POINT_POLICY}{name}@{v}"),
        None => format!("{ACCESS_POINT_POLICY}{name}"),
    }
}

/// Which principals are trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The resource's own account.
    Account,
    /// Every account of the estate's organisation.
    Organization,
}

impl Zone {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Account => "account",
            Zone::Organization => "organization",
        }
    }
}

/// The zone of trust and what the analysis knows of the estate's networks.
#[derive(Debug, Clone)]
pub struct ZoneOfTrust {
    pub zone: Zone,
    /// VPC and VPC endpoint ids (`vpc-…`, `vpce-…`) of the estate, to the account that owns
    /// each: a grant pinned by `aws:SourceVpc`/`aws:SourceVpce` is internal only when every
    /// network it names belongs to a zone account.
    pub networks: BTreeMap<String, String>,
}

impl ZoneOfTrust {
    #[must_use]
    pub fn new(zone: Zone) -> Self {
        Self { zone, networks: BTreeMap::new() }
    }
}

/// Why the analysis cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneError {
    /// The organisation zone asked for, but the estate holds no organisation.
    NoOrganization,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneError::NoOrganization => f.write_str(
                "the organisation is not known (Organizations was not read): use the account as the zone of trust, or scan with organizations:Describe*/List* allowed",
            ),
        }
    }
}

impl std::error::Error for ZoneError {}

/// A principal outside the zone of trust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outside {
    /// Everyone, anonymous requests included, with nothing pinning who.
    Public,
    /// Everyone that meets the listed conditions (`aws:SourceIp`, a VPC endpoint the estate
    /// does not hold, …): not public by S3's definition, still not the zone.
    Conditional,
    /// Any principal of this account.
    Account(String),
    /// This principal (user, role, session, federated provider ARN) of an outside account.
    Principal { arn: String, account: Option<String> },
    /// Any principal of this organisation (`o-…`).
    Organization(String),
    /// An AWS service principal (`sns.amazonaws.com`) that no source condition pins to the
    /// zone: the service acting for any account (or for the outside accounts its conditions
    /// name) reaches the resource.
    Service(String),
    /// A web identity provider (`accounts.google.com`, `cognito-identity.amazonaws.com`):
    /// anyone with an identity there.
    Federated(String),
    /// An S3 canonical user id (ACL grantee or policy principal).
    CanonicalUser(String),
}

impl Outside {
    /// Whether this is public access (everyone, anonymous included).
    #[must_use]
    pub fn is_public(&self) -> bool {
        matches!(self, Outside::Public | Outside::Federated(_))
    }

    /// A short stable key: `public`, `account:2222…`, `arn:aws:iam::…`, `service:sns.amazonaws.com`, ….
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Outside::Public => "public".into(),
            Outside::Conditional => "conditional".into(),
            Outside::Account(a) => format!("account:{a}"),
            Outside::Principal { arn, .. } => arn.clone(),
            Outside::Organization(o) => format!("organization:{o}"),
            Outside::Service(s) => format!("service:{s}"),
            Outside::Federated(p) => format!("federated:{p}"),
            Outside::CanonicalUser(c) => format!("canonical-user:{c}"),
        }
    }
}

impl fmt::Display for Outside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outside::Public => f.write_str("public (anyone, anonymous included)"),
            Outside::Conditional => f.write_str("any principal meeting the conditions"),
            Outside::Account(a) => write!(f, "account {a}"),
            Outside::Principal { arn, .. } => f.write_str(arn),
            Outside::Organization(o) => write!(f, "organization {o}"),
            Outside::Service(s) => write!(f, "service {s}"),
            Outside::Federated(p) => write!(f, "federated identities of {p}"),
            Outside::CanonicalUser(c) => write!(f, "canonical user {c}"),
        }
    }
}

/// Where a grant comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A statement of a resource-based policy (a role's trust policy included).
    Statement { policy: String, index: usize, sid: Option<String> },
    /// A grant outside any policy document ([`Grant::source`]).
    Grant(String),
}

impl Source {
    /// Stable across runs as long as the grant stays: the statement's `Sid` when it has one,
    /// else its position.
    #[must_use]
    pub fn key(&self) -> String {
        match self {
            Source::Statement { policy, sid: Some(s), .. } if !s.is_empty() => format!("{policy}#{s}"),
            Source::Statement { policy, index, .. } => format!("{policy}#{index}"),
            Source::Grant(g) => g.clone(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Statement { policy, index, sid: Some(s) } if !s.is_empty() => {
                write!(f, "policy `{policy}` statement {index} (Sid `{s}`)")
            }
            Source::Statement { policy, index, .. } => write!(f, "policy `{policy}` statement {index}"),
            Source::Grant(g) => f.write_str(g),
        }
    }
}

/// What the analysis decided about one grant to one principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Outside the zone of trust: a finding.
    External,
    /// Kept inside the zone, and why (the pinning condition, a covering `Deny`, …).
    Internal(String),
}

/// One grant of a resource to one principal outside its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalAccess {
    pub resource: String,
    /// CloudFormation type: `AWS::S3::Bucket`, `AWS::IAM::Role`, ….
    pub kind: String,
    pub account: String,
    pub region: Option<String>,
    pub principal: Outside,
    /// The actions granted, as the policy writes them (`s3:GetObject`, `sqs:*`); a
    /// `NotAction` grant is `* except a, b`.
    pub actions: Vec<String>,
    /// The conditions of the grant, as written (operator, key, values).
    pub conditions: Vec<Condition>,
    /// The condition keys among them this analysis does not read: the grant is reported
    /// whatever they say.
    pub unsupported: Vec<String>,
    pub source: Source,
    pub verdict: Verdict,
}

impl ExternalAccess {
    #[must_use]
    pub fn is_external(&self) -> bool {
        self.verdict == Verdict::External
    }

    /// The class of the most powerful action granted.
    #[must_use]
    pub fn access(&self) -> AccessClass {
        self.actions.iter().map(|a| action_class(a)).max().unwrap_or(AccessClass::List)
    }

    /// Public and write or full: critical; public read: high; cross-account write: high;
    /// cross-account read, public list: medium; the rest (list, services without a source
    /// condition, conditional grants): low.
    #[must_use]
    pub fn severity(&self) -> Severity {
        let class = self.access();
        match (&self.principal, class) {
            (p, AccessClass::Write | AccessClass::Full) if p.is_public() => Severity::Critical,
            (p, AccessClass::Read) if p.is_public() => Severity::High,
            (p, AccessClass::List) if p.is_public() => Severity::Medium,
            (Outside::Service(_) | Outside::Conditional, _) => Severity::Low,
            (_, AccessClass::Write | AccessClass::Full) => Severity::High,
            (_, AccessClass::Read) => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

/// How much an action gives, by its verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessClass {
    List,
    Read,
    Write,
    /// `*`, `service:*`, a `NotAction` grant or a wildcard over writes.
    Full,
}

/// The class of an action or pattern: `List*`/`Describe*` list, `Get*`/`Read*`/`Receive*`/
/// `Decrypt`/`Download*`/`AssumeRole*` (to assume a role is to hold its permissions) read or
/// more, every other verb write; wildcards that reach writes are full.
#[must_use]
pub fn action_class(action: &str) -> AccessClass {
    if action.starts_with("* except") {
        return AccessClass::Full;
    }
    let verb = action.split_once(':').map_or(action, |(_, v)| v);
    if verb.is_empty() || verb == "*" {
        return AccessClass::Full;
    }
    let lower = verb.to_ascii_lowercase();
    if lower.starts_with("assumerole") {
        return AccessClass::Full;
    }
    if verb.contains(['*', '?']) {
        let head = lower.split(['*', '?']).next().unwrap_or_default();
        return if head.starts_with("list") || head.starts_with("describe") {
            AccessClass::List
        } else if ["get", "read", "download", "receive", "batchget"].iter().any(|p| head.starts_with(p)) {
            AccessClass::Read
        } else {
            AccessClass::Full
        };
    }
    if lower.starts_with("list") || lower.starts_with("describe") {
        AccessClass::List
    } else if ["get", "read", "receive", "decrypt", "download", "batchget", "restore", "createvolume", "copysnapshot"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        AccessClass::Read
    } else {
        AccessClass::Write
    }
}

/// The accounts trusted for a resource of `account`: the account, and the organisation's
/// accounts when the zone is the organisation and the account is one of them.
struct Trusted<'a> {
    own: &'a str,
    org_accounts: Option<&'a crate::Organization>,
    /// The organisation id, when the zone is the organisation.
    org: Option<&'a str>,
    networks: &'a BTreeMap<String, String>,
    estate: &'a Estate,
}

impl Trusted<'_> {
    fn has(&self, account: &str) -> bool {
        account == self.own || self.org_accounts.is_some_and(|o| o.accounts.contains(account) || o.management_account == account)
    }
}

/// Analyses every resource of `estate` (role trust policies included) for grants outside the
/// zone of trust: the external ones and, for each grant to a principal outside the resource's
/// account that the zone keeps in, the internal ones with the reason. Deterministic order:
/// by resource ARN, then source, then principal.
pub fn analyze(estate: &Estate, trust: &ZoneOfTrust) -> Result<Vec<ExternalAccess>, ZoneError> {
    let org = match trust.zone {
        Zone::Account => None,
        Zone::Organization => Some(estate.organization.as_ref().ok_or(ZoneError::NoOrganization)?),
    };
    let mut out = Vec::new();
    for r in &estate.resources {
        let trusted = trusted_for(estate, trust, org, &r.account);
        resource(&trusted, r, &mut out);
    }
    for p in &estate.principals {
        let Some(policy) = &p.trust else { continue };
        let role = ResourceInfo {
            arn: p.arn.clone(),
            account: p.account.clone(),
            region: None,
            kind: "AWS::IAM::Role".into(),
            policies: vec![policy.clone()],
            tags: p.tags.clone(),
            grants: Vec::new(),
        };
        let trusted = trusted_for(estate, trust, org, &p.account);
        resource(&trusted, &role, &mut out);
    }
    out.sort_by(|a, b| (a.resource.as_str(), &a.source, &a.principal).cmp(&(b.resource.as_str(), &b.source, &b.principal)));
    Ok(out)
}

fn trusted_for<'a>(estate: &'a Estate, trust: &'a ZoneOfTrust, org: Option<&'a crate::Organization>, account: &'a str) -> Trusted<'a> {
    let org = org.filter(|o| o.accounts.contains(account) || o.management_account == account);
    Trusted { own: account, org_accounts: org, org: org.map(|o| o.id.as_str()), networks: &trust.networks, estate }
}

fn resource(t: &Trusted, r: &ResourceInfo, out: &mut Vec<ExternalAccess>) {
    let is_role = r.kind == "AWS::IAM::Role";
    let kms = r.kind == "AWS::KMS::Key";
    let account_keys: &[&str] = if kms { &["kms:CallerAccount"] } else { &[] };
    let bucket_policies: Vec<&NamedPolicy> = r.policies.iter().filter(|p| !p.name.starts_with(ACCESS_POINT_POLICY)).collect();
    let delegates = delegation(t, &bucket_policies);
    for p in &r.policies {
        let through_ap = p.name.starts_with(ACCESS_POINT_POLICY);
        let public: Vec<&Statement> = public_statements_with(&p.document, account_keys);
        // A Deny of the resource's own policies applies to every request; one of an access
        // point's policy only to requests through that access point.
        let denies: Vec<&Statement> = r
            .policies
            .iter()
            .filter(|q| std::ptr::eq(*q, p) || !q.name.starts_with(ACCESS_POINT_POLICY))
            .flat_map(|q| q.document.statements.iter())
            .filter(|s| s.effect == Effect::Deny)
            .collect();
        for (index, st) in p.document.statements.iter().enumerate() {
            if st.effect != Effect::Allow {
                continue;
            }
            let source = Source::Statement { policy: p.name.clone(), index, sid: st.sid.clone() };
            let is_public = public.iter().any(|s| std::ptr::eq(*s, st));
            for candidate in candidates(st) {
                let mut access = judge(t, r, st, candidate, is_public, is_role, &source);
                let Some(a) = access.as_mut() else { continue };
                if a.verdict == Verdict::External {
                    if let Some(why) = taken_back(t, st, &a.principal, &denies) {
                        a.verdict = Verdict::Internal(why);
                    }
                }
                if a.verdict == Verdict::External && through_ap {
                    if let Some(vpc) = p.name.split_once('@').map(|(_, v)| v) {
                        if t.networks.get(vpc).is_some_and(|owner| t.has(owner)) {
                            a.verdict = Verdict::Internal(format!("the access point is reachable only from {vpc}, a network of the zone"));
                        } else if a.principal == Outside::Public {
                            a.principal = Outside::Conditional;
                        }
                    }
                    if a.verdict == Verdict::External && !delegates {
                        a.verdict = Verdict::Internal(
                            "the bucket policy does not delegate access to its access points (s3:DataAccessPointAccount)".into(),
                        );
                    }
                }
                out.extend(access);
            }
        }
    }
    for g in &r.grants {
        if let Some(a) = grant(t, r, g) {
            out.push(a);
        }
    }
}

/// Whether a bucket's own policy lets requests through its access points: an `Allow` to
/// everyone pinned by `s3:DataAccessPointAccount` or `s3:DataAccessPointArn` to the zone.
fn delegation(t: &Trusted, policies: &[&NamedPolicy]) -> bool {
    policies.iter().any(|p| {
        p.document.statements.iter().any(|st| {
            st.effect == Effect::Allow
                && candidates(st).contains(&Candidate::Everyone)
                && st.conditions.iter().any(|c| {
                    (c.key.eq_ignore_ascii_case("s3:DataAccessPointAccount") || c.key.eq_ignore_ascii_case("s3:DataAccessPointArn"))
                        && pins(t, c).is_some()
                })
        })
    })
}

/// A principal a statement names, before the zone is considered.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Candidate {
    Everyone,
    Account(String),
    Arn { arn: String, account: Option<String> },
    Service(String),
    Federated(String),
    Canonical(String),
}

fn candidates(st: &Statement) -> Vec<Candidate> {
    match (&st.principal, &st.not_principal) {
        (_, Some(_)) | (Some(Principal::Any), None) => vec![Candidate::Everyone],
        (None, None) => Vec::new(),
        (Some(Principal::Specific(map)), None) => {
            let mut out = Vec::new();
            for (kind, values) in map {
                for v in values {
                    let c = if kind.eq_ignore_ascii_case("AWS") {
                        if !is_fixed(v) {
                            Candidate::Everyone
                        } else if let Some(a) = account_value(v) {
                            Candidate::Account(a)
                        } else {
                            Candidate::Arn { arn: v.clone(), account: crate::estate::account_of(v) }
                        }
                    } else if kind.eq_ignore_ascii_case("Service") {
                        Candidate::Service(v.clone())
                    } else if kind.eq_ignore_ascii_case("Federated") {
                        if v.starts_with("arn:") {
                            Candidate::Arn { arn: v.clone(), account: crate::estate::account_of(v) }
                        } else {
                            Candidate::Federated(v.clone())
                        }
                    } else {
                        Candidate::Canonical(v.clone())
                    };
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
            out
        }
    }
}

/// `111122223333` or `arn:aws:iam::111122223333:root`.
fn account_value(v: &str) -> Option<String> {
    if is_account_id(v) {
        return Some(v.to_string());
    }
    let p: Vec<&str> = v.splitn(6, ':').collect();
    (p.len() == 6 && p[0] == "arn" && p[2] == "iam" && p[5] == "root" && is_account_id(p[4])).then(|| p[4].to_string())
}

fn is_account_id(v: &str) -> bool {
    v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit())
}

/// What one zone-related condition says, when it is a positive comparison on a key this
/// module reads.
enum Pin {
    /// Every value it allows is in the zone: the grant is internal, for this reason.
    Zone(String),
    /// It allows only these outside accounts (and maybe zone ones).
    Accounts(Vec<String>),
    /// It allows only this other organisation.
    Organization(String),
    /// It restricts to something this module cannot place (an unknown network, an ARN with
    /// a wildcard account): the grant stays external, limited.
    Limited,
}

const ACCOUNT_KEYS: &[&str] =
    &["aws:PrincipalAccount", "aws:SourceAccount", "aws:SourceOwner", "aws:VpceAccount", "kms:CallerAccount", "s3:DataAccessPointAccount"];
const ARN_KEYS: &[&str] = &["aws:PrincipalArn", "aws:SourceArn", "s3:DataAccessPointArn"];
const ORG_KEYS: &[&str] = &["aws:PrincipalOrgID", "aws:VpceOrgID"];
const ORG_PATH_KEYS: &[&str] = &["aws:PrincipalOrgPaths", "aws:VpceOrgPaths"];
const NETWORK_KEYS: &[&str] = &["aws:SourceVpc", "aws:SourceVpce"];
/// Keys a finding lists as limiting the grant but that never make it internal.
const LIMITING_KEYS: &[&str] =
    &["aws:SourceIp", "aws:userid", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalType", "aws:SecureTransport"];

fn key_in(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

fn known_key(key: &str) -> bool {
    [ACCOUNT_KEYS, ARN_KEYS, ORG_KEYS, ORG_PATH_KEYS, NETWORK_KEYS, LIMITING_KEYS].iter().any(|keys| key_in(key, keys))
}

/// The account an ARN or ARN pattern names, when its account field is fixed; an S3 ARN
/// (no account field) is placed through the estate when it holds the resource.
fn arn_account(t: &Trusted, arn: &str) -> Option<String> {
    let p: Vec<&str> = arn.splitn(6, ':').collect();
    if p.len() != 6 || p[0] != "arn" {
        return None;
    }
    if is_account_id(p[4]) {
        return Some(p[4].to_string());
    }
    if p[4].is_empty() && is_fixed(arn) {
        return t.estate.resource(arn).map(|r| r.account.clone());
    }
    None
}

fn pins(t: &Trusted, c: &Condition) -> Option<Pin> {
    if restriction(c) != Restriction::OneOf || c.values.is_empty() {
        return None;
    }
    let key = c.key.as_str();
    let shown = || format!("{} {} {}", c.operator, c.key, c.values.join(", "));
    if key_in(key, ACCOUNT_KEYS) {
        if !c.values.iter().all(|v| is_fixed(v) && is_account_id(v)) {
            return Some(Pin::Limited);
        }
        let outside: Vec<String> = c.values.iter().filter(|v| !t.has(v)).cloned().collect();
        return Some(if outside.is_empty() { Pin::Zone(shown()) } else { Pin::Accounts(outside) });
    }
    if key_in(key, ARN_KEYS) {
        let accounts: Option<Vec<String>> = c.values.iter().map(|v| arn_account(t, v)).collect();
        let Some(accounts) = accounts else { return Some(Pin::Limited) };
        let mut outside: Vec<String> = accounts.into_iter().filter(|a| !t.has(a)).collect();
        outside.sort();
        outside.dedup();
        return Some(if outside.is_empty() { Pin::Zone(shown()) } else { Pin::Accounts(outside) });
    }
    if key_in(key, ORG_KEYS) {
        if !c.values.iter().all(|v| is_fixed(v)) {
            return Some(Pin::Limited);
        }
        if let Some(org) = t.org {
            if c.values.iter().all(|v| v == org) {
                return Some(Pin::Zone(shown()));
            }
        }
        return Some(match c.values.as_slice() {
            [one] => Pin::Organization(one.clone()),
            _ => Pin::Limited,
        });
    }
    if key_in(key, ORG_PATH_KEYS) {
        if let Some(org) = t.org {
            let prefix = format!("{org}/");
            if c.values.iter().all(|v| v.starts_with(&prefix) && is_fixed(&prefix)) {
                return Some(Pin::Zone(shown()));
            }
        }
        return Some(Pin::Limited);
    }
    if key_in(key, NETWORK_KEYS) {
        let in_zone = c.values.iter().all(|v| is_fixed(v) && t.networks.get(v.as_str()).is_some_and(|owner| t.has(owner)));
        return Some(if in_zone { Pin::Zone(shown()) } else { Pin::Limited });
    }
    None
}

fn statement_actions(st: &Statement) -> Vec<String> {
    match (&st.action, &st.not_action) {
        (Some(a), _) => a.clone(),
        (None, Some(na)) => vec![format!("* except {}", na.join(", "))],
        (None, None) => Vec::new(),
    }
}

fn judge(
    t: &Trusted,
    r: &ResourceInfo,
    st: &Statement,
    candidate: Candidate,
    is_public: bool,
    is_role: bool,
    source: &Source,
) -> Option<ExternalAccess> {
    let mut principal = match candidate {
        Candidate::Account(a) if t.has(&a) => return None,
        Candidate::Arn { account: Some(a), .. } if t.has(&a) => return None,
        // A role that a service assumes is the account's own use of that service.
        Candidate::Service(_) if is_role => return None,
        Candidate::Everyone => {
            if is_public {
                Outside::Public
            } else {
                Outside::Conditional
            }
        }
        Candidate::Account(a) => Outside::Account(a),
        Candidate::Arn { arn, account } => Outside::Principal { arn, account },
        Candidate::Service(s) => Outside::Service(s),
        Candidate::Federated(f) => Outside::Federated(f),
        Candidate::Canonical(c) => Outside::CanonicalUser(c),
    };
    let mut verdict = Verdict::External;
    let mut narrowed: Option<Outside> = None;
    for c in &st.conditions {
        match pins(t, c) {
            Some(Pin::Zone(why)) => {
                verdict = Verdict::Internal(format!("pinned to the zone of trust by {why}"));
                break;
            }
            Some(Pin::Accounts(accounts)) => {
                if matches!(principal, Outside::Public | Outside::Conditional) && narrowed.is_none() {
                    narrowed = Some(match accounts.as_slice() {
                        [one] => Outside::Account(one.clone()),
                        _ => Outside::Account(accounts.join(",")),
                    });
                }
            }
            Some(Pin::Organization(o)) => {
                if matches!(principal, Outside::Public | Outside::Conditional) && narrowed.is_none() {
                    narrowed = Some(Outside::Organization(o));
                }
            }
            Some(Pin::Limited) => {
                if principal == Outside::Public {
                    principal = Outside::Conditional;
                }
            }
            None => {}
        }
    }
    if let Some(n) = narrowed {
        principal = n;
    }
    let unsupported: Vec<String> =
        st.conditions.iter().filter(|c| !known_key(&c.key)).map(|c| c.key.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    Some(ExternalAccess {
        resource: r.arn.clone(),
        kind: r.kind.clone(),
        account: r.account.clone(),
        region: r.region.clone(),
        principal,
        actions: statement_actions(st),
        conditions: st.conditions.clone(),
        unsupported,
        source: source.clone(),
        verdict,
    })
}

/// Whether a `Deny` of the same policy takes the whole grant back from `who`.
fn taken_back(t: &Trusted, allow: &Statement, who: &Outside, denies: &[&Statement]) -> Option<String> {
    for deny in denies {
        if !deny_names(deny, who) {
            continue;
        }
        let conditions_hold = deny.conditions.iter().all(|c| {
            // `Null aws:PrincipalServiceName true`: the request is not a service's.
            let not_a_service = c.operator.eq_ignore_ascii_case("Null")
                && c.key.eq_ignore_ascii_case("aws:PrincipalServiceName")
                && c.values.iter().all(|v| v.eq_ignore_ascii_case("true"))
                && !matches!(who, Outside::Service(_));
            not_a_service
                || restriction(c) == Restriction::NoneOf
                    && (key_in(&c.key, ACCOUNT_KEYS)
                        || key_in(&c.key, ORG_KEYS)
                        || key_in(&c.key, ORG_PATH_KEYS)
                        || key_in(&c.key, ARN_KEYS))
                    && {
                        // The negation pins the zone: every value it exempts is in the zone.
                        let as_positive = Condition { operator: "StringEquals".into(), key: c.key.clone(), values: c.values.clone() };
                        matches!(pins(t, &as_positive), Some(Pin::Zone(_)))
                    }
        });
        if !conditions_hold {
            continue;
        }
        let actions_covered = match (&allow.action, &deny.action, &deny.not_action) {
            (Some(granted), Some(denied), _) => granted.iter().all(|g| denied.iter().any(|d| action_covers(d, g))),
            (None, Some(denied), _) => denied.iter().any(|d| d == "*"),
            _ => false,
        };
        let resources_covered = match (&deny.resource, &deny.not_resource, &allow.resource) {
            (None, None, _) => true,
            (Some(dr), None, _) if dr.iter().any(|d| d == "*") => true,
            (Some(dr), None, Some(ar)) => ar.iter().all(|a| dr.iter().any(|d| resource_covers(d, a))),
            _ => false,
        };
        if actions_covered && resources_covered {
            let at = deny.sid.as_deref().map(|s| format!(" (Sid `{s}`)")).unwrap_or_default();
            return Some(format!("taken back by a Deny statement{at}"));
        }
    }
    None
}

fn deny_names(deny: &Statement, who: &Outside) -> bool {
    match (&deny.principal, &deny.not_principal) {
        (Some(Principal::Any), None) => true,
        (Some(Principal::Specific(map)), None) => map.iter().any(|(kind, values)| {
            values.iter().any(|v| {
                if kind.eq_ignore_ascii_case("AWS") {
                    v == "*"
                        || match who {
                            Outside::Account(a) => account_value(v).as_deref() == Some(a.as_str()),
                            Outside::Principal { arn, account } => {
                                v == arn || account_value(v).is_some_and(|a| Some(&a) == account.as_ref())
                            }
                            _ => false,
                        }
                } else {
                    matches!(who, Outside::Service(s) if kind.eq_ignore_ascii_case("Service") && s == v)
                }
            })
        }),
        _ => false,
    }
}

/// A grant outside any policy document.
fn grant(t: &Trusted, r: &ResourceInfo, g: &Grant) -> Option<ExternalAccess> {
    let grantee = g.grantee.as_str();
    let mut verdict = Verdict::External;
    let principal = if grantee == "*"
        || grantee.eq_ignore_ascii_case("all")
        || grantee == "http://acs.amazonaws.com/groups/global/AllUsers"
        || grantee == "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    {
        Outside::Public
    } else if grantee.starts_with("http://acs.amazonaws.com/groups/") {
        // S3 log delivery: AWS writing the account's own logs.
        return None;
    } else if let Some(a) = account_value(grantee) {
        if t.has(&a) {
            return None;
        }
        Outside::Account(a)
    } else if let Some(org) = org_of_grantee(grantee) {
        if t.org == Some(org.as_str()) {
            verdict = Verdict::Internal(format!("shared with the organisation of the zone ({grantee})"));
        }
        Outside::Organization(org)
    } else if grantee.starts_with("arn:") {
        let account = crate::estate::account_of(grantee);
        if account.as_deref().is_some_and(|a| t.has(a)) {
            return None;
        }
        Outside::Principal { arn: grantee.to_string(), account }
    } else if grantee.ends_with(".amazonaws.com") {
        Outside::Service(grantee.to_string())
    } else {
        Outside::CanonicalUser(grantee.to_string())
    };
    Some(ExternalAccess {
        resource: r.arn.clone(),
        kind: r.kind.clone(),
        account: r.account.clone(),
        region: r.region.clone(),
        principal,
        actions: g.actions.clone(),
        conditions: Vec::new(),
        unsupported: Vec::new(),
        source: Source::Grant(g.source.clone()),
        verdict,
    })
}

/// `arn:aws:organizations::A:organization/o-x` or `…:ou/o-x/ou-…`: the organisation id.
fn org_of_grantee(grantee: &str) -> Option<String> {
    let p: Vec<&str> = grantee.splitn(6, ':').collect();
    if p.len() != 6 || p[0] != "arn" || p[2] != "organizations" {
        return None;
    }
    let rest = p[5];
    let id = rest.strip_prefix("organization/").or_else(|| rest.strip_prefix("ou/")).map(|s| s.split('/').next().unwrap_or(s))?;
    Some(id.to_string())
}

/// The finding of an external grant (`None` for an internal one): check [`CHECK_ID`], about
/// the resource, its id stable over (resource, outside principal, grant), the principal,
/// actions and conditions in its detail and reason, severity by public vs cross-account and
/// the class of the actions.
#[must_use]
pub fn to_finding(a: &ExternalAccess, partition: &str, now: time::OffsetDateTime) -> Option<Finding> {
    if !a.is_external() {
        return None;
    }
    let grant = a.source.key();
    let detail = format!("{} via {}", a.principal.key(), grant);
    let region = a.region.clone().unwrap_or_else(|| "global".into());
    let name = a.resource.rsplit(['/', ':']).next().unwrap_or(&a.resource).to_string();
    let conditions = if a.conditions.is_empty() {
        "no conditions".to_string()
    } else {
        a.conditions.iter().map(|c| format!("{} {} [{}]", c.operator, c.key, c.values.join(", "))).collect::<Vec<_>>().join("; ")
    };
    let unsupported = if a.unsupported.is_empty() {
        String::new()
    } else {
        format!("; conditions not analysed (the grant is reported whatever they say): {}", a.unsupported.join(", "))
    };
    let reach = if a.principal.is_public() { "public" } else { "external" };
    let reason =
        format!("{} grants {} access to {}: {} ({}){}", a.source, reach, a.principal, a.actions.join(", "), conditions, unsupported);
    Some(Finding {
        id: finding_id(CHECK_ID, &a.resource, &detail),
        check_id: Cow::Borrowed(CHECK_ID),
        title: Cow::Owned(format!("{} shared outside the zone of trust with {}", a.kind, a.principal)),
        description: Cow::Borrowed(DESCRIPTION),
        severity: a.severity(),
        status: Status::Failed,
        reason,
        detail,
        service: Cow::Borrowed(SERVICE),
        resource: Resource {
            id: a.resource.clone(),
            kind: resource_type(&a.kind),
            account: a.account.clone(),
            region,
            partition: partition.to_string(),
            name,
        },
        remediation_console: Cow::Borrowed(REMEDIATION),
        remediation_cli: Cow::Borrowed(""),
        remediation_url: Cow::Borrowed("https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings-remediate.html"),
        // Access Analyzer's own finding type for these (ListFindingsV2 `findingType`), as
        // iam_role_unused maps to `UnusedIAMRole`.
        related_requirements: Cow::Owned(vec![rampart_model::StandardRef::access_analyzer("ExternalAccess").to_string()]),
        first_observed: now,
        last_observed: now,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    })
}

/// The findings of every external grant of `estate`.
pub fn findings(estate: &Estate, trust: &ZoneOfTrust, partition: &str, now: time::OffsetDateTime) -> Result<Vec<Finding>, ZoneError> {
    Ok(analyze(estate, trust)?.iter().filter_map(|a| to_finding(a, partition, now)).collect())
}

pub const TITLE: &str = "Resource shared outside the zone of trust";
pub const DESCRIPTION: &str = "A resource-based policy or grant (bucket policy, role trust policy, key policy or KMS grant, queue, topic, function, secret, repository or file system policy, snapshot or AMI sharing, S3 ACL) gives a principal outside the zone of trust (the account, or the organisation) access to the resource, as IAM Access Analyzer's external-access findings report it.";
pub const REMEDIATION: &str = "If the access is not intended, remove the statement or grant, or pin it to the zone of trust with a condition (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceVpce); if it is intended, suppress the finding with a [[suppress]] rule naming iam_external_access, the resource and a reason.";

/// The ASFF resource type of a CloudFormation type.
#[must_use]
pub fn resource_type(kind: &str) -> ResourceType {
    match kind {
        "AWS::S3::Bucket" => ResourceType::AwsS3Bucket,
        "AWS::S3::AccessPoint" => ResourceType::AwsS3AccessPoint,
        "AWS::IAM::Role" => ResourceType::AwsIamRole,
        "AWS::KMS::Key" => ResourceType::AwsKmsKey,
        "AWS::Lambda::Function" => ResourceType::AwsLambdaFunction,
        "AWS::SQS::Queue" => ResourceType::AwsSqsQueue,
        "AWS::SNS::Topic" => ResourceType::AwsSnsTopic,
        "AWS::SecretsManager::Secret" => ResourceType::AwsSecretsManagerSecret,
        "AWS::ECR::Repository" => ResourceType::AwsEcrRepository,
        "AWS::EFS::FileSystem" => ResourceType::AwsEfsFileSystem,
        "AWS::EC2::Snapshot" => ResourceType::AwsEc2Snapshot,
        "AWS::EC2::Image" => ResourceType::AwsEc2Image,
        "AWS::RDS::DBSnapshot" => ResourceType::AwsRdsDbSnapshot,
        "AWS::RDS::DBClusterSnapshot" => ResourceType::AwsRdsDbClusterSnapshot,
        _ => ResourceType::Other,
    }
}

#[cfg(test)]
#[path = "external_tests.rs"]
mod tests;
