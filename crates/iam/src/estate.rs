//! An estate's principals and resources as the engine sees them.
//!
//! `rampart-app` builds an [`Estate`] from the inventories of one or many
//! accounts (`app::iam`); `iam simulate`, external access, the escalation
//! graph and exposure paths all read it. This module only knows parsed
//! policies: no inventory types, no I/O.
//!
//! An [`Estate`] answers "which policies apply to this request" (the
//! [`Policies`] of [`crate::evaluate`]) and fills the request context keys
//! AWS derives from the principal and the resource (`aws:PrincipalArn`,
//! `aws:PrincipalTag/…`, `aws:PrincipalOrgID`, `aws:ResourceAccount`,
//! `aws:ResourceTag/…`, …), so every analysis asks the same question the
//! same way.

use crate::{evaluate, Answer, Context, NamedPolicy, Policies, Request};
use std::collections::{BTreeMap, BTreeSet};

/// What kind of IAM principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    User,
    Role,
    /// The account's root user (`arn:aws:iam::A:root`).
    Root,
}

/// One IAM user, role or root user with every policy that applies to it.
#[derive(Debug, Clone)]
pub struct PrincipalInfo {
    /// `arn:aws:iam::A:user/path/name`, `arn:aws:iam::A:role/path/name`, `arn:aws:iam::A:root`.
    pub arn: String,
    pub account: String,
    pub kind: PrincipalKind,
    pub name: String,
    /// The unique id (`AIDA…`/`AROA…`), when known: `aws:userid`.
    pub id: Option<String>,
    /// Identity-based: inline and attached managed policies, and for a user
    /// those of each of its groups (named `group/<g>/<policy>`).
    pub identity: Vec<NamedPolicy>,
    /// The permissions boundary; `None` when it has none.
    pub boundary: Option<Vec<NamedPolicy>>,
    /// A role's trust policy (its resource-based policy for `sts:AssumeRole*`).
    pub trust: Option<NamedPolicy>,
    pub tags: BTreeMap<String, String>,
    /// A service-linked role (`/aws-service-role/`): SCPs do not apply.
    pub service_linked: bool,
    /// For a role: the ARNs of EC2 instances running with it (through an instance profile).
    pub instances: Vec<String>,
}

/// One resource that has resource-based policies or other grants.
#[derive(Debug, Clone, Default)]
pub struct ResourceInfo {
    pub arn: String,
    pub account: String,
    pub region: Option<String>,
    /// CloudFormation-style type: `AWS::S3::Bucket`, `AWS::SQS::Queue`, `AWS::KMS::Key`, …
    pub kind: String,
    /// Resource-based policies (bucket policy, queue policy, key policy, …).
    pub policies: Vec<NamedPolicy>,
    pub tags: BTreeMap<String, String>,
    /// Grants outside any policy document: snapshot/AMI sharing
    /// (`all` for public), KMS grants' grantee principals, S3 ACL grantees, …
    pub grants: Vec<Grant>,
}

/// A grant outside a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// An account id, a principal ARN, `*` (public) or a group URI.
    pub grantee: String,
    /// The actions it allows, as IAM action names where they exist.
    pub actions: Vec<String>,
    /// Where it comes from: `snapshot attribute createVolumePermission`, `KMS grant <id>`, `ACL`, …
    pub source: String,
}

/// An AWS Organization and its SCPs and RCPs.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// `o-…`: `aws:PrincipalOrgID` and `aws:ResourceOrgID`.
    pub id: String,
    pub management_account: String,
    pub accounts: BTreeSet<String>,
    /// Per account: the SCPs of each level (root, each OU, the account).
    pub scps: BTreeMap<String, Vec<Vec<NamedPolicy>>>,
    /// Per account: the RCPs of each level.
    pub rcps: BTreeMap<String, Vec<Vec<NamedPolicy>>>,
}

/// The whole estate: principals, resources and the organisation.
#[derive(Debug, Clone, Default)]
pub struct Estate {
    pub principals: Vec<PrincipalInfo>,
    pub resources: Vec<ResourceInfo>,
    pub organization: Option<Organization>,
}

impl Estate {
    #[must_use]
    pub fn principal(&self, arn: &str) -> Option<&PrincipalInfo> {
        self.principals.iter().find(|p| p.arn == arn)
    }

    #[must_use]
    pub fn resource(&self, arn: &str) -> Option<&ResourceInfo> {
        self.resources.iter().find(|r| r.arn == arn).or_else(|| {
            // An S3 object (`arn:aws:s3:::bucket/key`): its bucket's policies apply.
            let (bucket, _) = arn.split_once(":s3:::")?.1.split_once('/')?;
            let prefix = &arn[..arn.find(":s3:::")? + 6];
            self.resources.iter().find(|r| r.kind == "AWS::S3::Bucket" && r.arn.strip_prefix(prefix) == Some(bucket))
        })
    }

    /// Whether `account` belongs to the estate's organisation.
    #[must_use]
    pub fn in_organization(&self, account: &str) -> bool {
        self.organization.as_ref().is_some_and(|o| o.accounts.contains(account))
    }

    /// The policies that apply when `principal` acts on `resource` (or on a
    /// resource the estate does not hold, `None`). A role acts through a
    /// session: its trust policy is not among them (it is the resource policy
    /// of `sts:AssumeRole` on the role itself: pass the role as resource).
    #[must_use]
    pub fn policies(&self, principal: &PrincipalInfo, resource: Option<Target<'_>>) -> Policies {
        let org = self.organization.as_ref();
        let scps = match org {
            // SCPs apply to member accounts' principals, root included, but not
            // to the management account nor to service-linked roles.
            Some(o) if !principal.service_linked && o.management_account != principal.account => {
                o.scps.get(&principal.account).cloned().unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let (resource_policies, rcps) = match resource {
            Some(Target::Resource(r)) => {
                let rcps = match org {
                    Some(o) if o.management_account != r.account => o.rcps.get(&r.account).cloned().unwrap_or_default(),
                    _ => Vec::new(),
                };
                (r.policies.clone(), rcps)
            }
            Some(Target::Role(role)) => (role.trust.iter().cloned().collect(), Vec::new()),
            None => (Vec::new(), Vec::new()),
        };
        Policies {
            identity: if principal.kind == PrincipalKind::Root { Vec::new() } else { principal.identity.clone() },
            resource: resource_policies,
            boundary: principal.boundary.clone(),
            session: None,
            scps,
            rcps,
        }
    }

    /// The request `principal` makes for `action` on `resource_arn`, with the
    /// context keys AWS derives from the principal and the resource added to
    /// `context` (keys already there win).
    #[must_use]
    pub fn request(&self, principal: &PrincipalInfo, action: &str, resource_arn: &str, context: &Context) -> Request {
        let target = self.resource(resource_arn).map(Target::Resource).or_else(|| self.principal(resource_arn).map(Target::Role));
        self.request_on(principal, action, resource_arn, target, context)
    }

    /// [`Estate::request`] when the caller already holds what `resource_arn`
    /// is (no look-up by ARN: analyses that ask many questions index the
    /// estate once). `Target::Role` may hold any principal acting as the
    /// resource (a user for `iam:CreateAccessKey`).
    #[must_use]
    pub fn request_on(
        &self,
        principal: &PrincipalInfo,
        action: &str,
        resource_arn: &str,
        target: Option<Target<'_>>,
        context: &Context,
    ) -> Request {
        let mut ctx = context.clone();
        let mut put = |k: &str, v: &str| {
            if !ctx.contains(k) && !v.is_empty() {
                ctx.insert(k, v);
            }
        };
        put("aws:PrincipalAccount", &principal.account);
        if let Some(id) = &principal.id {
            put("aws:userid", id);
        }
        for (k, v) in &principal.tags {
            put(&format!("aws:PrincipalTag/{k}"), v);
        }
        if let Some(o) = self.organization.as_ref().filter(|o| o.accounts.contains(&principal.account)) {
            put("aws:PrincipalOrgID", &o.id);
        }
        let resource_account = match target {
            Some(Target::Resource(r)) => Some(r.account.clone()),
            Some(Target::Role(p)) => Some(p.account.clone()),
            None => account_of(resource_arn),
        };
        if let Some(acct) = &resource_account {
            put("aws:ResourceAccount", acct);
            if let Some(o) = self.organization.as_ref().filter(|o| o.accounts.contains(acct)) {
                put("aws:ResourceOrgID", &o.id);
            }
        }
        if let Some(Target::Resource(r)) = target {
            for (k, v) in &r.tags {
                put(&format!("aws:ResourceTag/{k}"), v);
            }
        }
        let (principal_arn, role_arn) = match principal.kind {
            PrincipalKind::Role => (session_arn(principal), Some(principal.arn.clone())),
            _ => (principal.arn.clone(), None),
        };
        Request {
            principal: principal_arn,
            role_arn,
            action: action.to_string(),
            resource: resource_arn.to_string(),
            resource_account,
            context: ctx,
        }
    }

    /// Simulates `action` on `resource_arn` by the principal `principal_arn`,
    /// as `SimulatePrincipalPolicy` does; `None` when the estate does not hold
    /// the principal.
    #[must_use]
    pub fn simulate(&self, principal_arn: &str, action: &str, resource_arn: &str, context: &Context) -> Option<Answer> {
        let principal = self.principal(principal_arn)?;
        // Each look-up once: the resource, else a principal acting as the resource (only a
        // role's trust policy applies as a resource policy; any principal gives the account).
        let resource = self.resource(resource_arn);
        let as_principal = if resource.is_none() { self.principal(resource_arn) } else { None };
        let policy_target =
            resource.map(Target::Resource).or_else(|| as_principal.filter(|p| p.kind == PrincipalKind::Role).map(Target::Role));
        let request_target = resource.map(Target::Resource).or_else(|| as_principal.map(Target::Role));
        let policies = self.policies(principal, policy_target);
        let req = self.request_on(principal, action, resource_arn, request_target, context);
        Some(evaluate(&req, &policies))
    }
}

/// What a request acts on, when the estate holds it.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Resource(&'a ResourceInfo),
    /// A role as the resource of `sts:AssumeRole*`: its trust policy applies.
    Role(&'a PrincipalInfo),
}

/// The session ARN a role acts as in a simulation.
#[must_use]
pub fn session_arn(role: &PrincipalInfo) -> String {
    let partition = role.arn.split(':').nth(1).unwrap_or("aws");
    format!("arn:{partition}:sts::{}:assumed-role/{}/rampart-simulation", role.account, role.name)
}

/// The account field of an ARN, when it has one.
#[must_use]
pub fn account_of(arn: &str) -> Option<String> {
    let p: Vec<&str> = arn.splitn(6, ':').collect();
    (p.len() == 6 && p[0] == "arn" && p[4].len() == 12 && p[4].bytes().all(|b| b.is_ascii_digit())).then(|| p[4].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decision;

    fn pol(name: &str, json: &str) -> NamedPolicy {
        NamedPolicy { name: name.into(), document: rampart_policy::parse(json).unwrap() }
    }

    fn user(account: &str, name: &str, identity: Vec<NamedPolicy>) -> PrincipalInfo {
        PrincipalInfo {
            arn: format!("arn:aws:iam::{account}:user/{name}"),
            account: account.into(),
            kind: PrincipalKind::User,
            name: name.into(),
            id: None,
            identity,
            boundary: None,
            trust: None,
            tags: BTreeMap::new(),
            service_linked: false,
            instances: Vec::new(),
        }
    }

    #[test]
    fn simulate_uses_principal_tags_and_org_scps() {
        let allow = pol(
            "tagged",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}"#,
        );
        let mut alice = user("111111111111", "alice", vec![allow]);
        alice.tags.insert("team".into(), "blue".into());
        let bob = {
            let mut b = alice.clone();
            b.arn = "arn:aws:iam::111111111111:user/bob".into();
            b.name = "bob".into();
            b.tags.insert("team".into(), "red".into());
            b
        };
        let mut estate = Estate { principals: vec![alice, bob], ..Estate::default() };
        let ctx = Context::new();
        let obj = "arn:aws:s3:::b/k";
        assert_eq!(estate.simulate("arn:aws:iam::111111111111:user/alice", "s3:GetObject", obj, &ctx).unwrap().decision, Decision::Allowed);
        assert_eq!(
            estate.simulate("arn:aws:iam::111111111111:user/bob", "s3:GetObject", obj, &ctx).unwrap().decision,
            Decision::ImplicitDeny
        );
        let deny = pol(
            "deny-s3",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
        );
        let mut org = Organization { id: "o-abc".into(), management_account: "999999999999".into(), ..Organization::default() };
        org.accounts.insert("111111111111".into());
        org.scps.insert("111111111111".into(), vec![vec![deny]]);
        estate.organization = Some(org);
        assert_eq!(
            estate.simulate("arn:aws:iam::111111111111:user/alice", "s3:GetObject", obj, &ctx).unwrap().decision,
            Decision::ExplicitDeny
        );
        assert!(estate.simulate("arn:aws:iam::111111111111:user/nobody", "s3:GetObject", obj, &ctx).is_none());
    }

    #[test]
    fn assume_role_reads_the_trust_policy() {
        let may_assume =
            pol("assume", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#);
        let alice = user("111111111111", "alice", vec![may_assume]);
        let mut role = user("111111111111", "admin", Vec::new());
        role.kind = PrincipalKind::Role;
        role.arn = "arn:aws:iam::111111111111:role/admin".into();
        role.trust = Some(pol(
            "trust",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole"}]}"#,
        ));
        let mut other = alice.clone();
        other.arn = "arn:aws:iam::222222222222:user/alice".into();
        other.account = "222222222222".into();
        let estate = Estate { principals: vec![alice, role, other], ..Estate::default() };
        let ctx = Context::new();
        let role_arn = "arn:aws:iam::111111111111:role/admin";
        assert_eq!(
            estate.simulate("arn:aws:iam::111111111111:user/alice", "sts:AssumeRole", role_arn, &ctx).unwrap().decision,
            Decision::Allowed
        );
        assert_eq!(
            estate.simulate("arn:aws:iam::222222222222:user/alice", "sts:AssumeRole", role_arn, &ctx).unwrap().decision,
            Decision::ImplicitDeny
        );
    }
}
