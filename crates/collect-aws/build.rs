//! Extracts the IAM action of every call site (`call("svc:Action"` / `call_opt("svc:Action"`,
//! whitespace allowed after the parenthesis)
//! so that `rampart iam-policy` can never drift from what the collector really calls.

use std::fs;
use std::path::Path;

fn scan(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            scan(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            println!("cargo:rerun-if-changed={}", p.display());
            let text = fs::read_to_string(&p).unwrap_or_default();
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
                            out.push(action.to_string());
                        }
                    }
                }
            }
        }
    }
}

fn main() {
    let mut actions = Vec::new();
    scan(Path::new("src"), &mut actions);
    actions.sort();
    actions.dedup();
    let body: String = actions.iter().map(|a| format!("    {a:?},\n")).collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("actions.rs");
    fs::write(out, format!("pub const ACTIONS: &[&str] = &[\n{body}];\n")).expect("write actions.rs");
    println!("cargo:rerun-if-changed=src");
}
