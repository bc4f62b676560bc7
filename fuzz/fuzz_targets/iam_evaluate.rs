//! IAM policy evaluation over policies and requests an attacker shapes: the input is a policy
//! document, then (one per line) the action, the resource and `key=value` context pairs. The
//! parser must never panic; the evaluation of the parsed policy — as identity, resource,
//! boundary, SCP and RCP policy, for a user, a role session, a service and an anonymous
//! principal — must never panic, and its answer must be consistent: an `Allowed` answer has no
//! applicable `Deny` among its matched statements, an `ExplicitDeny` has one, every matched
//! statement exists in its policy, and the missing context keys are sorted without duplicates.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_iam::{evaluate, Context, Decision, NamedPolicy, Policies, Request};
use rampart_policy::{parse_maybe_url_encoded, Effect};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (doc, rest) = text.split_once('\u{0}').unwrap_or((text, ""));
    let Ok(document) = parse_maybe_url_encoded(doc) else { return };
    let mut lines = rest.lines();
    let action = lines.next().unwrap_or("s3:GetObject").to_string();
    let resource = lines.next().unwrap_or("arn:aws:s3:::bucket/key").to_string();
    let mut context = Context::new();
    for l in lines {
        if let Some((k, v)) = l.split_once('=') {
            context.insert(k, v);
        }
    }
    let p = NamedPolicy { name: "fuzzed".into(), document };
    let allow_all = NamedPolicy {
        name: "all".into(),
        document: rampart_policy::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#)
            .expect("fixed policy"),
    };
    let shapes = [
        Policies { identity: vec![p.clone()], ..Policies::default() },
        Policies { identity: vec![allow_all.clone()], resource: vec![p.clone()], ..Policies::default() },
        Policies { identity: vec![allow_all.clone()], boundary: Some(vec![p.clone()]), session: Some(vec![p.clone()]), ..Policies::default() },
        Policies { identity: vec![allow_all.clone()], scps: vec![vec![p.clone()]], rcps: vec![vec![p.clone()]], ..Policies::default() },
    ];
    for principal in [
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:sts::111122223333:assumed-role/app/session",
        "arn:aws:iam::444455556666:root",
        "ec2.amazonaws.com",
        "anonymous",
    ] {
        for (i, policies) in shapes.iter().enumerate() {
            let req = Request {
                principal: principal.into(),
                role_arn: None,
                action: action.clone(),
                resource: resource.clone(),
                resource_account: Some("111122223333".into()),
                context: context.clone(),
            };
            let a = evaluate(&req, policies);
            let denied = a.matched.iter().any(|m| m.effect == Effect::Deny);
            match a.decision {
                Decision::Allowed => assert!(!denied, "shape {i}: allowed with a Deny: {a:?}"),
                Decision::ExplicitDeny => assert!(denied, "shape {i}: explicit deny without a Deny: {a:?}"),
                Decision::ImplicitDeny => assert!(!denied, "shape {i}: implicit deny with a Deny: {a:?}"),
            }
            for m in &a.matched {
                let doc = if m.policy == "fuzzed" { &p.document } else { &allow_all.document };
                assert!(m.index < doc.statements.len(), "{m:?}");
            }
            let keys: Vec<String> = a.missing_context_keys.iter().map(|k| k.to_ascii_lowercase()).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{:?}", a.missing_context_keys);
        }
    }
});
