//! Extracts the IAM action of every call site (`call("svc:Action"` / `call_opt("svc:Action"`,
//! whitespace allowed after the parenthesis)
//! so that `rampart iam-policy` can never drift from what the collector really calls.
//! The calls of `src/org.rs` (listing an organisation's accounts, assuming the member role)
//! are made with the scanning identity only, never in a member account: they go to
//! `ORG_ACTIONS`, the management-account policy. The calls of `src/trail_logs.rs` (reading a
//! trail's log files: `s3:GetObject`, `s3:ListBucket`) go to `WATCH_ACTIONS`, granted on the
//! trail's bucket only, never with the scanning policy's `Resource: "*"`. Every other call
//! goes to `ACTIONS`.

use std::fs;
use std::path::Path;

fn scan(dir: &Path, out: &mut Vec<String>, org: &mut Vec<String>, watch: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            scan(&p, out, org, watch);
        } else if p.extension().is_some_and(|x| x == "rs") {
            println!("cargo:rerun-if-changed={}", p.display());
            let text = fs::read_to_string(&p).unwrap_or_default();
            let into = match p.file_name().and_then(|n| n.to_str()) {
                Some("org.rs") => &mut *org,
                Some("trail_logs.rs") => &mut *watch,
                _ => &mut *out,
            };
            for marker in ["call(", "call_opt("] {
                let mut rest = text.as_str();
                while let Some(i) = rest.find(marker) {
                    // Allow a line break between `call(` and the literal (rustfmt may add one).
                    rest = rest[i + marker.len()..].trim_start();
                    let Some(lit) = rest.strip_prefix('"') else { continue };
                    rest = lit;
                    if let Some(end) = rest.find('"') {
                        let action = &rest[..end];
                        if action.contains(':') && !action.contains(' ') {
                            into.push(action.to_string());
                        }
                    }
                }
            }
        }
    }
}

fn main() {
    let (mut actions, mut org, mut watch) = (Vec::new(), Vec::new(), Vec::new());
    scan(Path::new("src"), &mut actions, &mut org, &mut watch);
    let list = |v: &mut Vec<String>| -> String {
        v.sort();
        v.dedup();
        v.iter().map(|a| format!("    {a:?},\n")).collect()
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("actions.rs");
    let text = format!(
        "pub const ACTIONS: &[&str] = &[\n{}];\npub const ORG_ACTIONS: &[&str] = &[\n{}];\npub const WATCH_ACTIONS: &[&str] = &[\n{}];\n",
        list(&mut actions),
        list(&mut org),
        list(&mut watch)
    );
    fs::write(out, text).expect("write actions.rs");
    println!("cargo:rerun-if-changed=src");
}
