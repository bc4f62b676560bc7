//! End-to-end: `rampart iam paths` over a snapshot this test writes (no AWS emulator): a user
//! that may assume an administrator role, one that may not, text and JSON, --from,
//! --to-principal, --to-actions, and bad input refused in one line.

use rampart_inventory::*;
use std::path::Path;
use std::process::{Command, Output};

const ACCOUNT: &str = "111111111111";

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run rampart")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn inline(name: &str, doc: &str) -> InlinePolicy {
    InlinePolicy { name: name.into(), document: doc.into() }
}

fn user(name: &str, policies: Vec<InlinePolicy>) -> User {
    User {
        user_name: name.into(),
        user_id: format!("AIDA{name}"),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        attached_policy_arns: Observed::Known(Vec::new()),
        inline_policies: Observed::Known(policies),
        groups: Observed::Known(Vec::new()),
        login_profile: Observed::Known(false),
        ..User::default()
    }
}

fn snapshot(dir: &Path) -> std::path::PathBuf {
    let mut inv = Inventory::new(time::OffsetDateTime::now_utc());
    let mut account = Account::empty(ACCOUNT, "aws", "us-east-1");
    let admin = Role {
        role_name: "admin".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/admin"),
        path: "/".into(),
        assume_role_policy_document: Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sts:AssumeRole"}}]}}"#
        )),
        attached_policy_arns: Observed::Known(Vec::new()),
        inline_policies: Observed::Known(vec![inline(
            "all",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )]),
        ..Role::default()
    };
    let iam = Iam {
        users: Observed::Known(vec![
            user(
                "climber",
                vec![inline(
                    "assume",
                    r#"{"Version":"2012-10-17","Statement":[{"Sid":"Up","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
                )],
            ),
            user(
                "reader",
                vec![inline("read", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)],
            ),
        ]),
        groups: Observed::Known(Vec::new()),
        roles: Observed::Known(vec![admin]),
        policies: Observed::Known(Vec::new()),
        ..Iam::default()
    };
    account.iam = Observed::Known(iam);
    inv.accounts.push(account);
    let path = dir.join("inventory.json");
    std::fs::write(&path, inv.to_json()).unwrap();
    path
}

#[test]
fn iam_paths_lists_who_reaches_admin_and_how() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(dir.path());
    let snap = snap.to_str().unwrap();
    let climber = format!("arn:aws:iam::{ACCOUNT}:user/climber");
    let o = rampart(dir.path(), &["iam", "paths", "--to", "admin", "--inventory", snap]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains(&format!("{climber} — 1 step(s)")), "{out}");
    assert!(out.contains("by assume-role"), "{out}");
    assert!(out.contains("sts:AssumeRole on arn:aws:iam::111111111111:role/admin  allowed by assume#0 (Up)"), "{out}");
    assert!(!out.contains("user/reader —"), "{out}");

    let o = rampart(dir.path(), &["iam", "paths", "--to", "admin", "--from", &climber, "--format", "json", "--inventory", snap]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(v["paths"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["paths"][0]["steps"][0]["technique"], "assume-role");

    // The reader reaches nothing: exit 0 with --from.
    let reader = format!("arn:aws:iam::{ACCOUNT}:user/reader");
    let o = rampart(dir.path(), &["iam", "paths", "--to", "admin", "--from", &reader, "--inventory", snap]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let o = rampart(dir.path(), &["iam", "paths", "--to-principal", &format!("arn:aws:iam::{ACCOUNT}:role/admin"), "--inventory", snap]);
    assert!(text(&o).contains(&format!("{climber} — 1 step(s)")), "{}", text(&o));
    let o = rampart(dir.path(), &["iam", "paths", "--to-actions", "s3:GetObject", "--inventory", snap, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let froms: Vec<&str> = v["paths"].as_array().unwrap().iter().map(|p| p["from"].as_str().unwrap()).collect();
    assert!(froms.contains(&reader.as_str()) && froms.contains(&climber.as_str()), "{v}");

    // Bad input: one line saying what to do.
    for (args, says) in [
        (vec!["iam", "paths", "--to", "root", "--inventory", snap], "--to admin"),
        (vec!["iam", "paths", "--inventory", snap], "--to admin, --to-principal ARN or --to-actions"),
        (vec!["iam", "paths", "--to", "admin", "--from", "arn:aws:iam::1:user/x", "--inventory", snap], "is not in the estate"),
        (vec!["iam", "paths", "--to", "admin", "--format", "xml", "--inventory", snap], "text or json"),
    ] {
        let o = rampart(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
        assert!(!text(&o).contains("panicked"), "{}", text(&o));
    }
}
