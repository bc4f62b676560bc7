//! The differential test against PMapper (principalmapper 1.1.5 from PyPI): requests
//! generated and decided by `testdata/iam/pmapper_requests.py`, decided again here by
//! `rampart_iam::evaluate` with the policy as the user's one identity policy; every
//! disagreement is printed (the first 20 of each kind) and counted.
//!
//! ```sh
//! python3 -m venv /var/tmp/pmapper-venv && /var/tmp/pmapper-venv/bin/pip install principalmapper==1.1.5
//! /var/tmp/pmapper-venv/bin/python testdata/iam/pmapper_requests.py 100000 1 /tmp/pmapper.jsonl
//! cargo run --release -p rampart-iam --example differential /tmp/pmapper.jsonl
//! ```
//!
//! Exit status 1 when a disagreement is not among the explained kinds (docs/iam.md,
//! "Differential test against PMapper").

use rampart_iam::{evaluate, Context, NamedPolicy, Policies, Request};
use std::collections::BTreeMap;
use std::io::BufRead;

fn main() {
    let path = std::env::args().nth(1).expect("usage: differential FILE.jsonl");
    let file = std::fs::File::open(&path).expect("open the requests file");
    let (mut total, mut agree) = (0usize, 0usize);
    let mut kinds: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.expect("read line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
        let document = rampart_policy::parse(&v["policy"].to_string()).expect("generated policy parses");
        let mut context = Context::new();
        for (k, val) in v["context"].as_object().expect("context") {
            context.insert(k, val.as_str().unwrap_or_default());
        }
        let req = Request {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            role_arn: None,
            action: v["action"].as_str().unwrap().into(),
            resource: v["resource"].as_str().unwrap().into(),
            resource_account: Some("111122223333".into()),
            context,
        };
        let policies = Policies { identity: vec![NamedPolicy { name: "p".into(), document }], ..Policies::default() };
        let ours = evaluate(&req, &policies).decision.as_str();
        let theirs = v["pmapper"].as_str().unwrap();
        total += 1;
        if ours == theirs {
            agree += 1;
            continue;
        }
        let kind = explain(&v);
        let e = kinds.entry(format!("{kind}: rampart {ours}, pmapper {theirs}")).or_default();
        e.0 += 1;
        if e.1.len() < 20 {
            e.1.push(line);
        }
    }
    println!("{total} requests, {agree} agree, {} disagree", total - agree);
    let mut unexplained = false;
    for (kind, (n, samples)) in &kinds {
        println!("{n:>7}  {kind}");
        for s in samples.iter().take(3) {
            println!("           {s}");
        }
        unexplained |= kind.starts_with("unexplained");
    }
    if unexplained {
        std::process::exit(1);
    }
}

/// The known reason for a disagreement, from the request's shape (PMapper 1.1.5's
/// `local_policy_simulation.py` read against the IAM User Guide's condition operators page);
/// "unexplained" otherwise. The first that applies to any condition of the policy.
fn explain(v: &serde_json::Value) -> &'static str {
    let ctx = v["context"].as_object().unwrap();
    let has = |k: &str| ctx.keys().any(|c| c.eq_ignore_ascii_case(k));
    let mut reasons: Vec<&'static str> = Vec::new();
    for st in v["policy"]["Statement"].as_array().unwrap() {
        let Some(cond) = st["Condition"].as_object() else { continue };
        for (op, kv) in cond {
            for key in kv.as_object().unwrap().keys() {
                if op == "StringNotLike" && !has(key) {
                    // PMapper returns its IfExists flag (false) for an absent key; AWS: a
                    // negated operator is true when the key is absent (and PMapper's own
                    // StringNotEquals agrees).
                    reasons.push("PMapper: StringNotLike with an absent key is false (AWS: true)");
                }
                if op.starts_with("Numeric") && op.ends_with("IfExists") {
                    // PMapper compares the operator name exactly (`block == 'NumericLessThan'`):
                    // a Numeric…IfExists operator never matches there.
                    reasons.push("PMapper: Numeric…IfExists operators never match");
                }
                if op == "IpAddressIfExists" {
                    // `block == 'IpAddress'` is false: PMapper reads it as NotIpAddress.
                    reasons.push("PMapper: IpAddressIfExists read as NotIpAddress");
                }
            }
        }
    }
    reasons.first().copied().unwrap_or("unexplained")
}
