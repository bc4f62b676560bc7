//! Properties every evaluation must keep (issue 14's acceptance): adding a
//! Deny never grants, adding an Allow to an existing policy never denies, and
//! the order of statements never matters.

use proptest::prelude::*;
use rampart_iam::{evaluate, Context, Decision, NamedPolicy, Policies, Request};
use rampart_policy::{Condition, Effect, PolicyDocument, Principal, Statement};

const PRINCIPALS: &[&str] =
    &["arn:aws:iam::111122223333:user/alice", "arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::444455556666:user/eve"];
const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "ec2:RunInstances"];
const ACTION_PATTERNS: &[&str] = &["s3:GetObject", "s3:*", "S3:Get*", "ec2:*", "*"];
const RESOURCES: &[&str] = &["arn:aws:s3:::b/k", "arn:aws:s3:::c/k", "*"];
const RESOURCE_PATTERNS: &[&str] = &["arn:aws:s3:::b/*", "arn:aws:s3:::?/k", "*", "arn:aws:s3:::c/k"];
const PRINCIPAL_VALUES: &[&str] =
    &["*", "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/app", "111122223333", "444455556666"];

fn statement(with_principal: bool) -> impl Strategy<Value = Statement> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(ACTION_PATTERNS, 1..3),
        proptest::sample::subsequence(RESOURCE_PATTERNS, 1..3),
        proptest::sample::subsequence(PRINCIPAL_VALUES, 1..3),
        proptest::option::of(proptest::sample::select(vec!["red", "blue"])),
    )
        .prop_map(move |(deny, not_action, actions, resources, principals, team)| {
            let mut st = Statement::new(if deny { Effect::Deny } else { Effect::Allow });
            let actions: Vec<String> = actions.iter().map(|s| s.to_string()).collect();
            if not_action {
                st.not_action = Some(actions);
            } else {
                st.action = Some(actions);
            }
            st.resource = Some(resources.iter().map(|s| s.to_string()).collect());
            if with_principal {
                let map = [("AWS".to_string(), principals.iter().map(|s| s.to_string()).collect())].into_iter().collect();
                st.principal = Some(Principal::Specific(map));
            }
            if let Some(team) = team {
                st.conditions.push(Condition {
                    operator: "StringEquals".into(),
                    key: "aws:PrincipalTag/team".into(),
                    values: vec![team.into()],
                });
            }
            st
        })
}

fn policy(name: &'static str, with_principal: bool) -> impl Strategy<Value = NamedPolicy> {
    proptest::collection::vec(statement(with_principal), 0..4).prop_map(move |statements| NamedPolicy {
        name: name.into(),
        document: PolicyDocument { version: Some("2012-10-17".into()), id: None, statements },
    })
}

fn policies() -> impl Strategy<Value = Policies> {
    (
        proptest::collection::vec(policy("id", false), 1..3),
        proptest::collection::vec(policy("res", true), 0..2),
        proptest::option::of(policy("boundary", false)),
        proptest::option::of(policy("session", false)),
        proptest::collection::vec(policy("scp", false), 0..2),
    )
        .prop_map(|(identity, resource, boundary, session, scps)| Policies {
            identity,
            resource,
            boundary: boundary.map(|b| vec![b]),
            session: session.map(|s| vec![s]),
            scps: scps.into_iter().map(|p| vec![p]).collect(),
            rcps: Vec::new(),
        })
}

fn request() -> impl Strategy<Value = Request> {
    (
        proptest::sample::select(PRINCIPALS),
        proptest::sample::select(ACTIONS),
        proptest::sample::select(RESOURCES),
        any::<bool>(),
        proptest::option::of(proptest::sample::select(vec!["red", "blue"])),
    )
        .prop_map(|(principal, action, resource, foreign, team)| {
            let mut context = Context::new();
            if let Some(t) = team {
                context.insert("aws:PrincipalTag/team", t);
            }
            Request {
                principal: principal.into(),
                role_arn: None,
                action: action.into(),
                resource: resource.into(),
                resource_account: Some(if foreign { "444455556666" } else { "111122223333" }.into()),
                context,
            }
        })
}

/// Every policy of `p`, mutably, in a fixed order.
fn all_policies(p: &mut Policies) -> Vec<&mut NamedPolicy> {
    let mut out: Vec<&mut NamedPolicy> = Vec::new();
    out.extend(p.identity.iter_mut());
    out.extend(p.resource.iter_mut());
    out.extend(p.boundary.iter_mut().flatten());
    out.extend(p.session.iter_mut().flatten());
    out.extend(p.scps.iter_mut().flatten());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_deny_never_grants(p in policies(), r in request(), extra in statement(true), which in any::<prop::sample::Index>()) {
        let before = evaluate(&r, &p).decision;
        let mut q = p.clone();
        let mut extra = extra;
        extra.effect = Effect::Deny;
        let mut targets = all_policies(&mut q);
        let i = which.index(targets.len());
        if targets[i].name != "res" {
            extra.principal = None;
        }
        targets[i].document.statements.push(extra);
        let after = evaluate(&r, &q).decision;
        prop_assert!(after != Decision::Allowed || before == Decision::Allowed, "{before:?} -> {after:?}");
    }

    #[test]
    fn adding_an_allow_never_denies(p in policies(), r in request(), extra in statement(true), which in any::<prop::sample::Index>()) {
        let before = evaluate(&r, &p).decision;
        let mut q = p.clone();
        let mut extra = extra;
        extra.effect = Effect::Allow;
        let mut targets = all_policies(&mut q);
        let i = which.index(targets.len());
        if targets[i].name != "res" {
            extra.principal = None;
        }
        targets[i].document.statements.push(extra);
        let after = evaluate(&r, &q).decision;
        prop_assert!(before != Decision::Allowed || after == Decision::Allowed, "{before:?} -> {after:?}");
    }

    #[test]
    fn statement_order_never_matters(p in policies(), r in request()) {
        let before = evaluate(&r, &p);
        let mut q = p.clone();
        for pol in all_policies(&mut q) {
            pol.document.statements.reverse();
        }
        let after = evaluate(&r, &q);
        prop_assert_eq!(before.decision, after.decision);
        prop_assert_eq!(before.matched.len(), after.matched.len());
        prop_assert_eq!(before.missing_context_keys, after.missing_context_keys);
    }

    #[test]
    fn a_deny_of_everything_anywhere_always_denies(p in policies(), r in request(), which in any::<prop::sample::Index>()) {
        let mut q = p.clone();
        let mut targets = all_policies(&mut q);
        let i = which.index(targets.len());
        let mut deny = Statement::new(Effect::Deny);
        deny.action = Some(vec!["*".into()]);
        deny.resource = Some(vec!["*".into()]);
        if targets[i].name == "res" {
            deny.principal = Some(Principal::Any);
        }
        targets[i].document.statements.push(deny);
        prop_assert_eq!(evaluate(&r, &q).decision, Decision::ExplicitDeny);
    }
}
