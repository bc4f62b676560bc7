//! Many accounts end to end (issue 12's acceptance): an organisation in moto with three
//! member accounts in two regions, one member's role not assumable (refused by the deny
//! proxy, as its trust policy would) and one closed member. `rampart scan aws --org` scans
//! the management account with its own credentials and the two other members through the
//! role, reports the refused one per account (stderr and the run's incomplete list), skips
//! the closed one saying so, and one insight over the store counts the findings of every
//! account and region.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const ROLE: &str = "RampartAudit";
const CHECK: &str = "ec2_sg_admin_ports_unrestricted";

fn rampart(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut cmd).env("RAMPART_DB", dir.join("rampart.db")).current_dir(dir).args(args);
    cmd.output().expect("run rampart")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `plant_org.py`: the organisation, its accounts, an SSH-open security group in each
/// account and region. Returns what it prints.
fn plant_org(moto: &Server) -> Value {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/plant_org.py"))
        .args([moto.url.as_str(), ROLE, "us-east-1", "eu-west-1"])
        .output()
        .expect("run plant_org.py");
    assert!(out.status.success(), "plant_org.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("plant_org.py prints JSON")
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

#[test]
fn an_organisation_is_scanned_and_a_refused_role_stops_only_its_account() {
    let moto = moto();
    let org = plant_org(&moto);
    let management = org["management"].as_str().unwrap().to_string();
    let members = ids(&org["members"]);
    let closed = org["closed"].as_str().unwrap().to_string();
    assert_eq!(members.len(), 3);
    let refused = members[1].clone();
    let rule = format!("sts:AssumeRole?RoleArn=arn:aws:iam::{refused}:role/{ROLE}");
    let proxy = deny_proxy(&moto, &[&rule]);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let report = d.join("report.json");
    let out = rampart(
        d,
        &[
            "scan",
            "aws",
            "--org",
            "--member-role",
            ROLE,
            "--endpoint-url",
            &proxy.url,
            "--regions",
            "us-east-1,eu-west-1",
            "--parallel-accounts",
            "2",
            "--format",
            "json",
            "--output",
            report.to_str().unwrap(),
            "--fail-on",
            "none",
        ],
    );
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);

    // Each account's outcome on stderr: the refused one with why, the closed one skipped.
    assert!(stderr.contains(&format!("account {refused} (member-b): not scanned: sts:AssumeRole access denied")), "{stderr}");
    assert!(stderr.contains(&format!("arn:aws:iam::{refused}:role/{ROLE}")), "the role is named: {stderr}");
    assert!(stderr.contains(&format!("account {closed} (member-closed): SUSPENDED, skipped")), "{stderr}");
    let scanned: Vec<&String> = std::iter::once(&management).chain([&members[0], &members[2]]).collect();
    for id in &scanned {
        assert!(stderr.contains(&format!("account {id} (")) && stderr.contains(&format!("{id}")), "{stderr}");
    }
    assert_eq!(stderr.matches(": scanned, 2 region(s)").count(), 3, "{stderr}");

    // The run: every listed active account, and the refused one named in its incomplete list.
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let mut run_accounts = ids(&doc["run"]["accounts"]);
    run_accounts.sort();
    let mut want: Vec<String> = std::iter::once(management.clone()).chain(members.iter().cloned()).collect();
    want.sort();
    assert_eq!(run_accounts, want, "the closed account is not in the run");
    let incomplete = ids(&doc["run"]["incomplete"]);
    assert!(
        incomplete.iter().any(|l| l.starts_with(&format!(
            "account {refused}: sts:AssumeRole access denied (1 call): role `arn:aws:iam::{refused}:role/{ROLE}` could not be assumed"
        ))),
        "{incomplete:?}"
    );
    assert!(!incomplete.iter().any(|l| l.contains(&closed)), "{incomplete:?}");

    // Every finding carries its account; the refused account has nothing but NOT_AVAILABLE.
    let findings = doc["findings"].as_array().unwrap();
    let mut failing: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in findings {
        let account = f["resource"]["account"].as_str().unwrap().to_string();
        assert!(want.contains(&account), "{f}");
        if account == refused {
            assert_eq!(f["status"], "NOT_AVAILABLE", "nothing of the refused account was read: {f}");
        }
        if f["check_id"] == CHECK && f["status"] == "FAILED" {
            *failing.entry((account, f["resource"]["region"].as_str().unwrap().to_string())).or_default() += 1;
        }
    }
    let expected: BTreeMap<(String, String), usize> =
        scanned.iter().flat_map(|id| ["eu-west-1", "us-east-1"].map(|r| (((*id).clone(), r.to_string()), 1))).collect();
    assert_eq!(failing, expected, "one open group per scanned account and region");

    // One insight over the store: every account, and within each every region.
    std::fs::write(
        d.join("filters.json"),
        format!(r#"{{"GeneratorId": [{{"Value": "{CHECK}", "Comparison": "EQUALS"}}], "ComplianceStatus": [{{"Value": "FAILED", "Comparison": "EQUALS"}}]}}"#),
    )
    .unwrap();
    let added = rampart(
        d,
        &["insights", "add", "--name", "admin ports open, by account", "--group-by", "AwsAccountId", "--filters", "filters.json"],
    );
    ok(&added);
    let id = String::from_utf8_lossy(&added.stderr).split_whitespace().next().unwrap().to_string();
    let shown: Value = serde_json::from_str(&ok(&rampart(d, &["insights", "show", &id, "--format", "json"]))).unwrap();
    let mut groups: Vec<(String, u64)> = shown["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["value"].as_str().unwrap().to_string(), r["count"].as_u64().unwrap()))
        .collect();
    groups.sort();
    let mut want_groups: Vec<(String, u64)> = scanned.iter().map(|id| ((*id).clone(), 2)).collect();
    want_groups.sort();
    assert_eq!(groups, want_groups, "{shown}");
    for account in &scanned {
        let drill: Value =
            serde_json::from_str(&ok(&rampart(d, &["insights", "show", &id, "--group", account, "--format", "json"]))).unwrap();
        let mut regions: Vec<&str> = drill.as_array().unwrap().iter().map(|f| f["resource"]["region"].as_str().unwrap()).collect();
        regions.sort();
        assert_eq!(regions, ["eu-west-1", "us-east-1"], "{drill}");
    }
}

#[test]
fn without_an_organisation_the_listing_error_says_where_to_run_from() {
    let moto = moto();
    let dir = tempfile::tempdir().unwrap();
    let out = rampart(
        dir.path(),
        &["scan", "aws", "--org", "--member-role", ROLE, "--endpoint-url", &moto.url, "--regions", "us-east-1", "--no-store"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot list the organisation's accounts") && stderr.contains("management account or a delegated administrator"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn accounts_listed_by_id_and_the_callers_own_is_read_without_a_role() {
    let moto = moto();
    let org = plant_org(&moto);
    let management = org["management"].as_str().unwrap();
    let member = ids(&org["members"])[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The caller's own account alone needs no role.
    let out =
        rampart(d, &["collect", "aws", "--accounts", management, "--endpoint-url", &moto.url, "--regions", "us-east-1", "-o", "own.json"]);
    ok(&out);
    // Another account without a role: refused before anything is read, naming the flag.
    let out = rampart(
        d,
        &[
            "collect",
            "aws",
            "--accounts",
            &format!("{management},{member}"),
            "--endpoint-url",
            &moto.url,
            "--regions",
            "us-east-1",
            "-o",
            "x.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&member) && stderr.contains("pass --member-role NAME"), "{stderr}");
    // With the role: both accounts in one snapshot, each with its own regions.
    let out = rampart(
        d,
        &[
            "collect",
            "aws",
            "--accounts",
            &format!("{member},{management}"),
            "--member-role",
            ROLE,
            "--external-id",
            "ext-42",
            "--endpoint-url",
            &moto.url,
            "--regions",
            "us-east-1,eu-west-1",
            "-o",
            "two.json",
        ],
    );
    ok(&out);
    let snap: Value = serde_json::from_slice(&std::fs::read(d.join("two.json")).unwrap()).unwrap();
    let accounts: Vec<(&str, usize)> =
        snap["accounts"].as_array().unwrap().iter().map(|a| (a["id"].as_str().unwrap(), a["regions"].as_array().unwrap().len())).collect();
    let mut want = vec![(management, 2), (member.as_str(), 2)];
    want.sort();
    assert_eq!(accounts, want);
}
