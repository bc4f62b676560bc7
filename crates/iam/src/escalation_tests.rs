use super::*;
use crate::estate::Organization;

const A: &str = "111111111111";
const B: &str = "222222222222";

fn pol(name: &str, json: &str) -> NamedPolicy {
    NamedPolicy { name: name.into(), document: rampart_policy::parse(json).unwrap() }
}

fn allow(actions: &[&str], resource: &str) -> NamedPolicy {
    let acts = serde_json::to_string(actions).unwrap();
    pol("allow", &format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{acts},"Resource":"{resource}"}}]}}"#))
}

fn deny(actions: &[&str]) -> NamedPolicy {
    let acts = serde_json::to_string(actions).unwrap();
    pol("deny", &format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":{acts},"Resource":"*"}}]}}"#))
}

fn admin_policy() -> NamedPolicy {
    allow(&["*"], "*")
}

fn principal(account: &str, kind: PrincipalKind, name: &str, identity: Vec<NamedPolicy>) -> PrincipalInfo {
    let what = if kind == PrincipalKind::User { "user" } else { "role" };
    PrincipalInfo {
        arn: format!("arn:aws:iam::{account}:{what}/{name}"),
        account: account.into(),
        kind,
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

fn user(name: &str, identity: Vec<NamedPolicy>) -> PrincipalInfo {
    principal(A, PrincipalKind::User, name, identity)
}

fn role(name: &str, identity: Vec<NamedPolicy>, trusted: &str) -> PrincipalInfo {
    let mut r = principal(A, PrincipalKind::Role, name, identity);
    let key = if trusted.ends_with(".amazonaws.com") { "Service" } else { "AWS" };
    r.trust = Some(pol(
        "trust",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"{key}":"{trusted}"}},"Action":"sts:AssumeRole"}}]}}"#
        ),
    ));
    r
}

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::{A}:{kind}/{name}")
}

/// The path of `from` to administrator, as technique ids.
fn to_admin(estate: &Estate, links: &Links, from: &str) -> Option<Vec<String>> {
    let g = Graph::build(estate, links);
    let i = g.index(from).expect("principal in estate");
    let paths = g.paths(&Goal::Admin).unwrap();
    let p = paths.into_iter().find(|p| p.from == i)?;
    let mut out: Vec<String> = p.edges.iter().map(|&e| g.edges[e].technique.id()).collect();
    for &e in &p.edges {
        for &t in &g.edges[e].then {
            out.push(format!("then {}", g.edges[t].technique.id()));
        }
    }
    Some(out)
}

/// One planted technique: the estate, the links, what the attacker is, the
/// expected technique, and the actions whose Deny (or a boundary without
/// them) must remove the path.
struct Case {
    name: &'static str,
    estate: Estate,
    links: Links,
    expect: Vec<&'static str>,
    actions: Vec<&'static str>,
}

fn attacker(identity: Vec<NamedPolicy>) -> PrincipalInfo {
    user("attacker", identity)
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let estate = |ps: Vec<PrincipalInfo>| Estate { principals: ps, ..Estate::default() };
    v.push(Case {
        name: "assume-role",
        estate: estate(vec![attacker(vec![allow(&["sts:AssumeRole"], "*")]), role("admin", vec![admin_policy()], A)]),
        links: Links::default(),
        expect: vec!["assume-role"],
        actions: vec!["sts:AssumeRole"],
    });
    for (i, svc) in PASS_ROLE_SERVICES.iter().enumerate() {
        let mut acts = vec!["iam:PassRole"];
        acts.extend(svc.actions.iter().copied());
        v.push(Case {
            name: "pass-role",
            estate: estate(vec![attacker(vec![allow(&acts, "*")]), role("svc", vec![admin_policy()], svc.service)]),
            links: Links::default(),
            expect: vec![Box::leak(Technique::PassRole(i).id().into_boxed_str())],
            actions: acts.clone(),
        });
    }
    for (action, t) in [
        ("iam:CreateAccessKey", "create-access-key"),
        ("iam:CreateLoginProfile", "create-login-profile"),
        ("iam:UpdateLoginProfile", "update-login-profile"),
    ] {
        let mut links = Links::default();
        links.login_profiles.insert(arn("user", "boss"), action == "iam:UpdateLoginProfile");
        v.push(Case {
            name: t,
            estate: estate(vec![attacker(vec![allow(&[action], &arn("user", "boss"))]), user("boss", vec![admin_policy()])]),
            links,
            expect: vec![t],
            actions: vec![action],
        });
    }
    v.push(Case {
        name: "update-assume-role-policy",
        estate: estate(vec![
            attacker(vec![allow(&["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], "*")]),
            role("admin", vec![admin_policy()], "ec2.amazonaws.com"),
        ]),
        links: Links::default(),
        expect: vec!["update-assume-role-policy"],
        actions: vec!["iam:UpdateAssumeRolePolicy"],
    });
    let fn_arn = format!("arn:aws:lambda:us-east-1:{A}:function:f");
    v.push(Case {
        name: "update-function-code",
        estate: estate(vec![
            attacker(vec![allow(&["lambda:UpdateFunctionCode"], &fn_arn)]),
            role("fnrole", vec![admin_policy()], "lambda.amazonaws.com"),
        ]),
        links: Links { functions: vec![FunctionLink { arn: fn_arn.clone(), role: arn("role", "fnrole") }], ..Links::default() },
        expect: vec!["update-function-code"],
        actions: vec!["lambda:UpdateFunctionCode"],
    });
    for (action, t) in [("ssm:SendCommand", "ssm-send-command"), ("ssm:StartSession", "ssm-start-session")] {
        let mut r = role("ec2role", vec![admin_policy()], "ec2.amazonaws.com");
        r.instances.push(format!("arn:aws:ec2:us-east-1:{A}:instance/i-0123"));
        v.push(Case {
            name: t,
            estate: estate(vec![attacker(vec![allow(&[action], "*")]), r]),
            links: Links::default(),
            expect: vec![t],
            actions: vec![action],
        });
    }
    for (action, t) in [("iam:PutUserPolicy", "put-user-policy"), ("iam:AttachUserPolicy", "attach-user-policy")] {
        v.push(Case {
            name: t,
            estate: estate(vec![attacker(vec![allow(&[action], &arn("user", "attacker"))])]),
            links: Links::default(),
            expect: vec![t],
            actions: vec![action],
        });
    }
    for (action, t) in [("iam:PutRolePolicy", "put-role-policy"), ("iam:AttachRolePolicy", "attach-role-policy")] {
        // The attacker assumes a plain role, then grants it anything.
        v.push(Case {
            name: t,
            estate: estate(vec![
                attacker(vec![allow(&["sts:AssumeRole", action], "*")]),
                role("plain", vec![allow(&["s3:GetObject"], "*")], &arn("user", "attacker")),
            ]),
            links: Links::default(),
            expect: vec![t, "then assume-role"],
            actions: vec![action],
        });
    }
    let group = GroupLink {
        arn: arn("group", "devs"),
        account: A.into(),
        policies: vec![allow(&["s3:*"], "*")],
        members: vec![arn("user", "attacker")],
    };
    for (action, t) in [("iam:PutGroupPolicy", "put-group-policy"), ("iam:AttachGroupPolicy", "attach-group-policy")] {
        v.push(Case {
            name: t,
            estate: estate(vec![attacker(vec![allow(&[action], &group.arn)])]),
            links: Links { groups: vec![group.clone()], ..Links::default() },
            expect: vec![t],
            actions: vec![action],
        });
    }
    let admins = GroupLink { arn: arn("group", "admins"), account: A.into(), policies: vec![admin_policy()], members: Vec::new() };
    v.push(Case {
        name: "add-user-to-group",
        estate: estate(vec![attacker(vec![allow(&["iam:AddUserToGroup"], &admins.arn)])]),
        links: Links { groups: vec![admins], ..Links::default() },
        expect: vec!["add-user-to-group"],
        actions: vec!["iam:AddUserToGroup"],
    });
    let policy_arn = format!("arn:aws:iam::{A}:policy/mine");
    let mp = |other: Vec<NamedPolicy>| ManagedPolicyLink {
        arn: policy_arn.clone(),
        aws_managed: false,
        attached_to: vec![arn("user", "attacker")],
        other_versions: other,
    };
    v.push(Case {
        name: "create-policy-version",
        estate: estate(vec![attacker(vec![allow(&["iam:CreatePolicyVersion"], &policy_arn)])]),
        links: Links { managed_policies: vec![mp(Vec::new())], ..Links::default() },
        expect: vec!["create-policy-version"],
        actions: vec!["iam:CreatePolicyVersion"],
    });
    v.push(Case {
        name: "set-default-policy-version",
        estate: estate(vec![attacker(vec![allow(&["iam:SetDefaultPolicyVersion"], &policy_arn)])]),
        links: Links { managed_policies: vec![mp(vec![admin_policy()])], ..Links::default() },
        expect: vec!["set-default-policy-version"],
        actions: vec!["iam:SetDefaultPolicyVersion"],
    });
    v
}

#[test]
fn every_technique_is_found_with_its_path() {
    let all = cases();
    assert!(all.len() >= 25, "{}", all.len());
    for c in all {
        let got = to_admin(&c.estate, &c.links, &arn("user", "attacker"));
        assert_eq!(got, Some(c.expect.iter().map(|s| s.to_string()).collect()), "{}", c.name);
    }
}

#[test]
fn an_explicit_deny_of_any_step_removes_the_path() {
    for c in cases() {
        for action in &c.actions {
            let mut estate = c.estate.clone();
            estate.principals[0].identity.push(deny(&[action]));
            assert_eq!(to_admin(&estate, &c.links, &arn("user", "attacker")), None, "{} with Deny {action}", c.name);
        }
    }
}

#[test]
fn a_permissions_boundary_without_the_steps_removes_the_path() {
    for c in cases() {
        let mut estate = c.estate.clone();
        estate.principals[0].boundary = Some(vec![allow(&["s3:*", "ec2:Describe*"], "*")]);
        assert_eq!(to_admin(&estate, &c.links, &arn("user", "attacker")), None, "{} with a boundary", c.name);
        // A boundary that allows the steps leaves the path.
        let mut estate = c.estate.clone();
        estate.principals[0].boundary = Some(vec![allow(&["*"], "*")]);
        assert!(to_admin(&estate, &c.links, &arn("user", "attacker")).is_some(), "{} with a boundary allowing all", c.name);
    }
}

#[test]
fn an_scp_deny_removes_the_path() {
    for c in cases() {
        let mut estate = c.estate.clone();
        let mut org = Organization { id: "o-1".into(), management_account: B.into(), ..Organization::default() };
        org.accounts.insert(A.into());
        let mut scp = allow(&["*"], "*");
        scp.document.statements.extend(deny(&c.actions).document.statements);
        org.scps.insert(A.into(), vec![vec![scp]]);
        estate.organization = Some(org);
        assert_eq!(to_admin(&estate, &c.links, &arn("user", "attacker")), None, "{} with an SCP", c.name);
    }
}

#[test]
fn edges_name_the_requests_and_the_statements_that_allowed_them() {
    let c = cases().into_iter().find(|c| c.name == "update-assume-role-policy").unwrap();
    let g = Graph::build(&c.estate, &c.links);
    let e = g.edges.iter().find(|e| e.technique == Technique::UpdateAssumeRolePolicy).unwrap();
    let actions: Vec<&str> = e.steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(actions, ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]);
    assert_eq!(e.steps[0].resource, arn("role", "admin"));
    assert_eq!(e.steps[0].matched[0].policy, "allow");
    assert_eq!(e.steps[0].matched[0].kind, crate::PolicyKind::Identity);
    let p = g.paths(&Goal::Admin).unwrap().into_iter().find(|p| p.from == 0).unwrap();
    let words = g.describe(&p);
    assert!(words[0].contains("becomes arn:aws:iam::111111111111:role/admin by update-assume-role-policy"), "{words:?}");
    assert!(words[1].contains("is an administrator"), "{words:?}");
}

#[test]
fn assume_role_needs_the_trust_policy_and_across_accounts_both_sides() {
    let may_assume = || vec![allow(&["sts:AssumeRole"], "*")];
    let mut outsider = principal(B, PrincipalKind::User, "outsider", may_assume());
    let admin = role("admin", vec![admin_policy()], B);
    let estate = Estate { principals: vec![outsider.clone(), admin.clone()], ..Estate::default() };
    assert_eq!(to_admin(&estate, &Links::default(), &outsider.arn), Some(vec!["assume-role".to_string()]));
    // Without the identity side across accounts: nothing.
    outsider.identity.clear();
    let estate = Estate { principals: vec![outsider.clone(), admin], ..Estate::default() };
    assert_eq!(to_admin(&estate, &Links::default(), &outsider.arn), None);
    // A trust policy that trusts another account: nothing.
    let estate = Estate {
        principals: vec![principal(B, PrincipalKind::User, "outsider", may_assume()), role("admin", vec![admin_policy()], "333333333333")],
        ..Estate::default()
    };
    assert_eq!(to_admin(&estate, &Links::default(), &outsider.arn), None);
    // Same account, a trust policy naming the user: allowed without identity policy.
    let named = role("admin", vec![admin_policy()], &arn("user", "attacker"));
    let estate = Estate { principals: vec![attacker(Vec::new()), named], ..Estate::default() };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), Some(vec!["assume-role".to_string()]));
}

#[test]
fn pass_role_needs_a_role_the_service_may_assume_in_the_same_account() {
    let acts = ["iam:PassRole", "ec2:RunInstances"];
    // The role trusts Lambda, not EC2.
    let estate = Estate {
        principals: vec![attacker(vec![allow(&acts, "*")]), role("svc", vec![admin_policy()], "lambda.amazonaws.com")],
        ..Estate::default()
    };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), None);
    // PassRole scoped to another role.
    let estate = Estate {
        principals: vec![
            attacker(vec![allow(&["iam:PassRole"], &arn("role", "other")), allow(&["ec2:RunInstances"], "*")]),
            role("svc", vec![admin_policy()], "ec2.amazonaws.com"),
        ],
        ..Estate::default()
    };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), None);
    // PassRole limited by iam:PassedToService to another service.
    let scoped = pol(
        "scoped",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#,
    );
    let estate =
        Estate { principals: vec![attacker(vec![scoped]), role("svc", vec![admin_policy()], "ec2.amazonaws.com")], ..Estate::default() };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), None);
    // RunInstances only on a resource pattern: still found (asked on the pattern).
    let estate = Estate {
        principals: vec![
            attacker(vec![allow(&["iam:PassRole"], "*"), allow(&["ec2:RunInstances"], "arn:aws:ec2:*:*:instance/*")]),
            role("svc", vec![admin_policy()], "ec2.amazonaws.com"),
        ],
        ..Estate::default()
    };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), Some(vec!["pass-role/ec2".to_string()]));
}

#[test]
fn login_profile_techniques_follow_whether_the_user_has_a_password() {
    let estate = Estate {
        principals: vec![attacker(vec![allow(&["iam:CreateLoginProfile"], "*")]), user("boss", vec![admin_policy()])],
        ..Estate::default()
    };
    let mut links = Links::default();
    assert!(to_admin(&estate, &links, &arn("user", "attacker")).is_some(), "unknown: considered");
    links.login_profiles.insert(arn("user", "boss"), true);
    assert_eq!(to_admin(&estate, &links, &arn("user", "attacker")), None, "already has one: CreateLoginProfile fails");
}

#[test]
fn a_grant_to_another_principal_counts_only_if_the_granter_can_become_it() {
    // PutUserPolicy on another user the attacker cannot become: no path.
    let estate = Estate {
        principals: vec![attacker(vec![allow(&["iam:PutUserPolicy"], &arn("user", "other"))]), user("other", Vec::new())],
        ..Estate::default()
    };
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), None);
    // With CreateAccessKey on it as well: grant, then become it.
    let estate = Estate {
        principals: vec![
            attacker(vec![allow(&["iam:PutUserPolicy", "iam:CreateAccessKey"], &arn("user", "other"))]),
            user("other", Vec::new()),
        ],
        ..Estate::default()
    };
    assert_eq!(
        to_admin(&estate, &Links::default(), &arn("user", "attacker")),
        Some(vec!["put-user-policy".to_string(), "then create-access-key".to_string()])
    );
    // The other user's boundary keeps it from becoming an administrator.
    let mut estate = estate;
    estate.principals[1].boundary = Some(vec![allow(&["s3:*"], "*")]);
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "attacker")), None);
}

#[test]
fn administrator_means_everything_including_handing_out_access() {
    let estate = Estate { principals: vec![user("root-like", vec![admin_policy()])], ..Estate::default() };
    assert!(Graph::build(&estate, &Links::default()).is_admin(0));
    // iam:* alone is not an administrator, but it can grant itself anything.
    let estate = Estate { principals: vec![user("iam", vec![allow(&["iam:*"], "*")])], ..Estate::default() };
    let g = Graph::build(&estate, &Links::default());
    assert!(!g.is_admin(0));
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "iam")).unwrap()[0], "put-user-policy");
    // * with IAM carved out by a Deny: not an administrator, and no path.
    let estate = Estate { principals: vec![user("carved", vec![admin_policy(), deny(&["iam:*"])])], ..Estate::default() };
    let g = Graph::build(&estate, &Links::default());
    assert!(!g.is_admin(0));
    assert_eq!(to_admin(&estate, &Links::default(), &arn("user", "carved")), None);
    // An administrator is at the goal with no edges.
    let estate = Estate { principals: vec![user("admin", vec![admin_policy()])], ..Estate::default() };
    let g = Graph::build(&estate, &Links::default());
    let p = &g.paths(&Goal::Admin).unwrap()[0];
    assert_eq!((p.edges.len(), p.end), (0, End::IsAdmin(0)));
}

#[test]
fn paths_are_shortest_and_chain_through_roles() {
    // attacker → r1 → r2 (admin), and attacker → r3 → r4 → r2: the short one wins.
    let mut ps = vec![attacker(vec![allow(&["sts:AssumeRole"], "*")])];
    ps.push(role("r1", vec![allow(&["sts:AssumeRole"], &arn("role", "r2"))], &arn("user", "attacker")));
    ps.push(role("r2", vec![admin_policy()], &arn("role", "r1")));
    ps.push(role("r3", vec![allow(&["sts:AssumeRole"], "*")], &arn("user", "attacker")));
    ps.push(role("r4", vec![allow(&["sts:AssumeRole"], "*")], &arn("role", "r3")));
    let mut r2 = ps[2].clone();
    r2.trust = Some(pol(
        "trust",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["{}","{}"]}},"Action":"sts:AssumeRole"}}]}}"#,
            arn("role", "r1"),
            arn("role", "r4")
        ),
    ));
    ps[2] = r2;
    let estate = Estate { principals: ps, ..Estate::default() };
    let g = Graph::build(&estate, &Links::default());
    let paths = g.paths(&Goal::Admin).unwrap();
    let p = paths.iter().find(|p| p.from == 0).unwrap();
    assert_eq!(p.length, 2);
    let via: Vec<Node> = p.edges.iter().map(|&e| g.edges[e].to).collect();
    assert_eq!(via, [Node::Principal(1), Node::Principal(2)]);
    // r3 reaches through r4 in two steps.
    assert_eq!(paths.iter().find(|p| p.from == 3).unwrap().length, 2);
}

#[test]
fn paths_to_a_principal_and_to_actions() {
    let estate = Estate {
        principals: vec![
            attacker(vec![allow(&["sts:AssumeRole"], "*")]),
            role("reader", vec![allow(&["s3:GetObject", "kms:Decrypt"], "*")], A),
            user("bystander", Vec::new()),
            user("admin", vec![admin_policy()]),
        ],
        ..Estate::default()
    };
    let g = Graph::build(&estate, &Links::default());
    let to_reader = g.paths(&Goal::Principal(arn("role", "reader"))).unwrap();
    let froms: Vec<usize> = to_reader.iter().map(|p| p.from).collect();
    assert_eq!(froms, [0, 1, 3]);
    assert_eq!(to_reader[2].end, End::AdminOfAccount(3));
    let to_actions = g.paths(&Goal::Actions(vec!["s3:GetObject".into(), "kms:Decrypt".into()])).unwrap();
    let ends: Vec<(usize, End)> = to_actions.iter().map(|p| (p.from, p.end)).collect();
    assert_eq!(ends, [(0, End::Actions(1)), (1, End::Actions(1)), (3, End::IsAdmin(3))]);
    assert_eq!(
        g.paths(&Goal::Principal("arn:aws:iam::1:user/nobody".into())),
        Err(GoalError::UnknownPrincipal("arn:aws:iam::1:user/nobody".into()))
    );
    assert_eq!(g.paths(&Goal::Actions(Vec::new())), Err(GoalError::NoActions));
}

#[test]
fn every_action_asked_is_in_the_prefilter_list() {
    let list = technique_actions();
    for s in PASS_ROLE_SERVICES {
        for a in s.actions {
            assert!(list.contains(a), "{a}");
        }
    }
    let src = include_str!("escalation.rs");
    for quoted in src.split('"').skip(1).step_by(2) {
        let is_action = quoted.split_once(':').is_some_and(|(svc, act)| {
            ["iam", "sts", "lambda", "ssm"].contains(&svc) && act.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        });
        if is_action && quoted != "iam:PolicyARN" && quoted != "iam:PassedToService" {
            assert!(list.contains(&quoted), "{quoted} asked but not pre-filtered");
        }
    }
}
