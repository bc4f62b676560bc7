//! Privilege escalation (issue 14, "Escalation: ≥ 10 techniques planted in moto IAM, each
//! found with its path; the same grants neutralised by a permission boundary or an explicit
//! Deny — not reported"), through the real collector: `testdata/moto/plant_escalation.py`
//! plants 13 techniques, each as a role `esc-T` with its grants, `nb-T` with the same grants
//! under a permissions boundary that allows only S3, and `nd-T` with the same grants and an
//! explicit Deny of the technique's actions.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_app::escalation::{findings, paths, To, CHECK_ID};
use rampart_inventory::Inventory;
use std::collections::BTreeMap;
use std::process::Command;

const ACCOUNT: &str = "123456789012";

fn set_env() {
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v);
    }
    std::env::remove_var("AWS_PROFILE");
}

/// Plants the estate; each technique's actions.
fn plant(server: &harness::Server) -> BTreeMap<String, Vec<String>> {
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_escalation.py"))
        .arg(&server.url)
        .output()
        .expect("run plant_escalation.py");
    assert!(out.status.success(), "plant_escalation.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plant_escalation.py prints JSON");
    serde_json::from_value(v["techniques"].clone()).expect("techniques")
}

fn collect(url: &str) -> Inventory {
    let opts = rampart_collect_aws::Options {
        regions: Some(vec!["us-east-1".to_string()]),
        endpoint_url: Some(url.to_string()),
        concurrency: 4,
        ..Default::default()
    };
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
            rt.block_on(rampart_collect_aws::collect(&opts))
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect")
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// The techniques each planted path takes, as the engine names them.
fn expected(t: &str) -> Vec<&'static str> {
    match t {
        "assume-role" => vec!["assume-role"],
        "pass-role-ec2" => vec!["pass-role/ec2"],
        "pass-role-lambda" => vec!["pass-role/lambda-invoke"],
        "pass-role-cfn" => vec!["pass-role/cloudformation"],
        "create-access-key" => vec!["create-access-key"],
        "create-login-profile" => vec!["create-login-profile"],
        "update-assume-role-policy" => vec!["update-assume-role-policy"],
        "update-function-code" => vec!["update-function-code"],
        "put-role-policy" => vec!["put-role-policy"],
        "attach-role-policy" => vec!["attach-role-policy"],
        // A grant to another user, then that user's access key.
        "add-user-to-group" => vec!["add-user-to-group", "create-access-key"],
        "put-group-policy" => vec!["put-group-policy", "create-access-key"],
        "create-policy-version" => vec!["create-policy-version"],
        other => panic!("technique {other} has no expectation"),
    }
}

#[test]
fn escalation_on_moto_each_technique_found_and_neutralised() {
    let moto = harness::moto();
    let techniques = plant(&moto);
    assert!(techniques.len() >= 10, "{techniques:?}");
    set_env();
    let inv = collect(&moto.url);
    let inventories = [inv];
    let answer = paths(&inventories, &To::Admin, None).expect("paths");
    let by_from: BTreeMap<&str, &rampart_app::escalation::PathOut> = answer.paths.iter().map(|p| (p.from.as_str(), p)).collect();
    for (t, actions) in &techniques {
        let esc = role(&format!("esc-{t}"));
        let p = by_from.get(esc.as_str()).unwrap_or_else(|| panic!("{t}: no path from {esc}; warnings {:?}", answer.warnings));
        let got: Vec<&str> = p.steps.iter().map(|s| s.technique.as_str()).collect();
        assert_eq!(got, expected(t), "{t}: {p:#?}");
        // Each step names its requests and the statements that allowed them.
        let first = &p.steps[0];
        for a in actions {
            let asked = first.requests.iter().any(|r| r.action.eq_ignore_ascii_case(a));
            assert!(asked || a == "sts:AssumeRole", "{t}: {a} not among the first step's requests {first:#?}");
        }
        assert!(first.requests.iter().all(|r| !r.allowed_by.is_empty()), "{t}: {first:#?}");
        for twin in ["nb", "nd"] {
            let arn = role(&format!("{twin}-{t}"));
            assert!(!by_from.contains_key(arn.as_str()), "{t}: {arn} reported: {:#?}", by_from[arn.as_str()]);
        }
    }
    // The administrators are there with no steps.
    assert_eq!(by_from[role("admin-acct").as_str()].length, 0);
    assert_eq!(by_from[format!("arn:aws:iam::{ACCOUNT}:user/boss").as_str()].length, 0);

    // Findings: one per escalating principal, none for the neutralised twins; stable ids.
    let now = time::OffsetDateTime::now_utc();
    let found = findings(&inventories, now);
    for t in techniques.keys() {
        let esc = role(&format!("esc-{t}"));
        let f = found.iter().find(|f| f.resource.id == esc).unwrap_or_else(|| panic!("{t}: no finding"));
        assert_eq!(f.check_id, CHECK_ID);
        assert!(f.detail.contains(expected(t)[0]), "{t}: {}", f.detail);
        for twin in ["nb", "nd"] {
            let arn = role(&format!("{twin}-{t}"));
            assert!(!found.iter().any(|f| f.resource.id == arn), "{t}: finding for {arn}");
        }
    }
    let again = findings(&inventories, now);
    assert_eq!(found.iter().map(|f| &f.id).collect::<Vec<_>>(), again.iter().map(|f| &f.id).collect::<Vec<_>>());

    // To a named principal, from one principal.
    let to_pawn =
        paths(&inventories, &To::Principal(format!("arn:aws:iam::{ACCOUNT}:user/pawn")), Some(&role("esc-add-user-to-group"))).unwrap();
    assert_eq!(to_pawn.paths.len(), 1);
    assert_eq!(to_pawn.paths[0].steps[0].technique, "create-access-key");
    // To an action set.
    // pawn2 may list S3 through its group; esc-put-group-policy becomes pawn2 in one step.
    let to_actions = paths(&inventories, &To::Actions(vec!["s3:ListBucket".into()]), None).unwrap();
    let list: BTreeMap<&str, usize> = to_actions.paths.iter().map(|p| (p.from.as_str(), p.length)).collect();
    assert_eq!(list.get(format!("arn:aws:iam::{ACCOUNT}:user/pawn2").as_str()), Some(&0), "{to_actions:?}");
    assert_eq!(list.get(role("esc-put-group-policy").as_str()), Some(&1), "{to_actions:?}");
    assert_eq!(list.get(role("nb-put-role-policy").as_str()), None, "{to_actions:?}");
    // An unknown principal is refused, naming it.
    let err = paths(&inventories, &To::Admin, Some("arn:aws:iam::1:user/nobody")).unwrap_err();
    assert!(err.to_string().contains("arn:aws:iam::1:user/nobody"), "{err}");
}
