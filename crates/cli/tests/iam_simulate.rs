//! End to end: `rampart demo` stores the demo estate's inventory, then `rampart iam simulate`
//! answers over the latest stored inventory (text and JSON, several actions, the matched
//! statement, missing context keys, the estate's warnings on stderr), and bad input is
//! refused in one line with exit 2 (an unknown principal names the nearest ones; a malformed
//! --context; no stored inventory).

use std::path::Path;
use std::process::{Command, Output};

const ACCOUNT: &str = "123456789012";

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn simulate_over_the_stored_demo_estate() {
    let dir = tempfile::tempdir().unwrap();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/app");
    let obj = "arn:aws:s3:::ok-private-useast1/report.csv";

    // Nothing stored yet: one line, exit 2.
    let none = rampart(dir.path(), &["iam", "simulate", "--principal", &role, "--action", "s3:GetObject", "--resource", obj]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert_eq!(stderr(&none).lines().count(), 1, "{}", stderr(&none));

    let demo = rampart(dir.path(), &["demo"]);
    assert!(demo.status.code().is_some_and(|c| c != 2), "{}", stderr(&demo));

    let out = rampart(dir.path(), &["iam", "simulate", "--principal", &role, "--action", "s3:GetObject", "--action", "s3:PutObject", "--resource", obj]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("s3:GetObject on {obj}: allowed")), "{text}");
    assert!(text.contains("Allow identity `read` statement 0"), "{text}");
    assert!(text.contains(&format!("s3:PutObject on {obj}: implicitDeny")), "{text}");
    // The demo snapshot predates boundaries and tags: said, not taken as none.
    assert!(stderr(&out).contains("warning: ") && stderr(&out).contains("permissions boundary not read"), "{}", stderr(&out));

    let json = rampart(
        dir.path(),
        &["iam", "simulate", "--principal", &role, "--action", "s3:GetObject", "--resource", obj, "--context", "aws:SourceIp=203.0.113.7", "-f", "json"],
    );
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["PrincipalArn"], role.as_str());
    let r = &v["EvaluationResults"][0];
    assert_eq!((r["EvalActionName"].as_str(), r["EvalDecision"].as_str()), (Some("s3:GetObject"), Some("allowed")));
    assert_eq!(r["MatchedStatements"][0]["SourcePolicyId"], "read");
    assert_eq!(r["MatchedStatements"][0]["SourcePolicyType"], "identity");
    assert!(v["Warnings"].as_array().is_some_and(|w| !w.is_empty()));

    // Unknown principal: the nearest ARNs, one line, exit 2.
    let bad = rampart(dir.path(), &["iam", "simulate", "--principal", &format!("arn:aws:iam::{ACCOUNT}:user/alicee"), "--action", "s3:GetObject"]);
    assert_eq!(bad.status.code(), Some(2));
    let e = stderr(&bad);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("nearest: ") && e.contains(&format!("arn:aws:iam::{ACCOUNT}:user/alice")), "{e}");

    // Malformed context and action.
    let bad = rampart(dir.path(), &["iam", "simulate", "--principal", &role, "--action", "s3:GetObject", "--context", "aws:SourceIp"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--context") && stderr(&bad).lines().count() == 1, "{}", stderr(&bad));
    let bad = rampart(dir.path(), &["iam", "simulate", "--principal", &role, "--action", "GetObject"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("service:Action"), "{}", stderr(&bad));
}
