//! End-to-end: `rampart assess` targets, templates and runs over this machine's telemetry.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("RAMPART_VULNDB", dir.join("vulndb.db"))
        .args(args)
        .output()
        .expect("run rampart")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `assess runs` rows (skipping the header and failure lines): id → columns.
fn runs(dir: &Path) -> Vec<Vec<String>> {
    ok(rampart(dir, &["assess", "runs"]))
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn assess_template_runs_to_completed_with_timestamps_and_runs_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let telemetry = d.join("host.json");
    ok(rampart(d, &["agent", "--once", "-o", telemetry.to_str().unwrap()]));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&telemetry).unwrap()).unwrap();
    let hostname = doc["host"]["hostname"]["known"].as_str().expect("this host's name is known").to_string();
    // A second document of another host, which the target does not select.
    let mut other = doc.clone();
    other["host"]["hostname"] = serde_json::json!({ "known": format!("zz-other-{hostname}") });
    let other_path = d.join("other.json");
    std::fs::write(&other_path, serde_json::to_string(&other).unwrap()).unwrap();
    let dsa = repo_root().join("testdata/vulndb/debian-security-tracker/data/DSA/list");
    ok(rampart(d, &["vulndb", "import", dsa.to_str().unwrap(), "--db", d.join("vulndb.db").to_str().unwrap()]));

    let glob = format!("{}*", &hostname[..1]);
    ok(rampart(d, &["assess", "target", "this", "--host", &glob, "--host", "nomatch-?"]));
    ok(rampart(d, &["assess", "template", "nightly", "--target", "this", "--rules", "cve,cis", "--duration", "600"]));

    for _ in 0..2 {
        let out = rampart(
            d,
            &["assess", "run", "nightly", "--telemetry", telemetry.to_str().unwrap(), other_path.to_str().unwrap(), "--vulndb", d.join("vulndb.db").to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        ok(out);
        assert!(stderr.contains("COMPLETED (1 host(s)"), "{stderr}");
        assert!(stderr.contains("is not selected by target `this`, skipped"), "{stderr}");
    }

    let rows = runs(d);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let mut findings_runs = Vec::new();
    for (row, id) in rows.iter().zip(["2", "1"]) {
        // id, template, state, created, collecting, evaluating, completed, failed, findings run
        assert_eq!(&row[..3], [id, "nightly", "COMPLETED"], "{row:?}");
        for t in &row[3..7] {
            assert!(t.len() == 20 && t.ends_with('Z'), "timestamp `{t}` in {row:?}");
        }
        assert!(row[3] <= row[4] && row[4] <= row[5] && row[5] <= row[6], "{row:?}");
        assert_eq!(row[7], "-");
        findings_runs.push(row[8].clone());
    }
    assert_ne!(findings_runs[0], findings_runs[1]);
    assert!(findings_runs.iter().all(|r| r.starts_with("run-")));

    // The findings runs hold only the template's rule packages.
    let findings: Vec<Value> = serde_json::from_str(&ok(rampart(d, &["findings", "--format", "json", "--limit", "100000"]))).unwrap();
    assert!(!findings.is_empty());
    for f in &findings {
        let check = f["check_id"].as_str().unwrap();
        assert!(check == "host_cve" || check.starts_with("host_cis_"), "{check}");
    }
}

#[test]
fn assess_refused_steps_fail_clearly_and_the_run_records_the_failure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = rampart(d, &["assess", "template", "t", "--target", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment target `nope`"));
    let out = rampart(d, &["assess", "run", "nope", "--telemetry", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment template `nope`"));

    ok(rampart(d, &["assess", "target", "prod", "--tag", "env=prod"]));
    ok(rampart(d, &["assess", "template", "t", "--target", "prod"]));
    let out = rampart(d, &["assess", "template", "t", "--target", "prod"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = rampart(d, &["assess", "template", "bad", "--target", "prod", "--rules", "cve,fuzz"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule package `fuzz`"));
    let out = rampart(d, &["assess", "target", "bad", "--tag", "novalue"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not KEY=VALUE"));
    let out = rampart(d, &["assess", "run", "t", "--telemetry", d.join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
    let rows = runs(d);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1..3], ["t", "FAILED"]);
    assert_eq!(rows[0][5], "-", "never evaluated: {:?}", rows[0]);
    let listing = ok(rampart(d, &["assess", "runs"]));
    assert!(listing.contains("failure: ") && listing.contains("missing.json"), "{listing}");
}

#[test]
fn a_target_selects_hosts_by_the_tags_the_agent_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tagged = d.join("tagged.json");
    ok(rampart(d, &["agent", "--once", "-o", tagged.to_str().unwrap(), "--tag", "env=prod", "--tag", "team=web"]));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&tagged).unwrap()).unwrap();
    assert_eq!(doc["tags"], serde_json::json!({ "env": "prod", "team": "web" }));
    // The same host's document without tags, and one tagged for another environment.
    let mut untagged = doc.clone();
    untagged.as_object_mut().unwrap().remove("tags");
    untagged["host"]["hostname"] = serde_json::json!({ "known": "untagged-host" });
    let mut staging = doc.clone();
    staging["tags"] = serde_json::json!({ "env": "staging", "team": "web" });
    staging["host"]["hostname"] = serde_json::json!({ "known": "staging-host" });
    // Selected by its tags but collected long before the template's window (default 3600 s).
    let mut stale = doc.clone();
    stale["collected_at"] = serde_json::json!("2020-01-01T00:00:00Z");
    stale["host"]["hostname"] = serde_json::json!({ "known": "stale-host" });
    let paths: Vec<PathBuf> = [("untagged.json", &untagged), ("staging.json", &staging), ("stale.json", &stale)]
        .iter()
        .map(|(name, v)| {
            let p = d.join(name);
            std::fs::write(&p, serde_json::to_string(v).unwrap()).unwrap();
            p
        })
        .collect();

    ok(rampart(d, &["assess", "target", "prod-web", "--tag", "env=prod", "--tag", "team=web"]));
    ok(rampart(d, &["assess", "template", "t", "--target", "prod-web", "--rules", "cis"]));
    let (t, p0, p1, p2) = (tagged.to_str().unwrap(), paths[0].to_str().unwrap(), paths[1].to_str().unwrap(), paths[2].to_str().unwrap());
    // The tagged document twice: the newest of one host's documents is assessed once.
    let out = rampart(d, &["assess", "run", "t", "--telemetry", t, p0, p1, p2, t]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    assert!(stderr.contains("COMPLETED (1 host(s)"), "{stderr}");
    assert!(stderr.contains("stale.json: collected at 2020-01-01T00:00:00Z, before the template's 3600 s window, skipped"), "{stderr}");
    assert!(stderr.contains("an older document of host"), "{stderr}");
    assert!(stderr.contains("host `untagged-host` is not selected") && stderr.contains("host `staging-host` is not selected"), "{stderr}");

    // Nothing selected: the run fails and says why.
    let out = rampart(d, &["assess", "run", "t", "--telemetry", paths[0].to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no telemetry document belongs to a host target `prod-web` selects"));
}

/// A loopback HTTP/1.1 server answering GETs from `files` (path → body), `/moved/*` with a
/// redirect to `/*`, anything else 404; the base URL.
fn serve(files: std::collections::HashMap<String, Vec<u8>>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let response = if let Some(rest) = path.strip_prefix("/moved") {
                format!("HTTP/1.1 302 Found\r\nLocation: {rest}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
            } else if let Some(body) = files.get(&path) {
                let mut r = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
                r.extend_from_slice(body);
                r
            } else {
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            };
            let _ = stream.write_all(&response);
        }
    });
    base
}

#[test]
fn vulndb_update_downloads_osv_exports_from_a_mirror_and_reports_what_failed() {
    use std::io::Write;
    let record = serde_json::json!({
        "id": "PYSEC-TEST-1", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
        "affected": [{ "package": { "ecosystem": "PyPI", "name": "demo-pkg" },
                       "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "2.0" }] }] }]
    });
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut zipped);
        w.start_file("PYSEC-TEST-1.json", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(record.to_string().as_bytes()).unwrap();
        w.finish().unwrap();
    }
    let base = serve([("/PyPI/all.zip".to_string(), zipped.into_inner())].into_iter().collect());
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("vulndb.db");
    let db = db.to_str().unwrap();

    // Through a redirect, like the OSV bucket's CDN may answer.
    let out = rampart(d, &["vulndb", "update", "--ecosystem", "PyPI", "--mirror", &format!("{base}/moved"), "--db", db]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1 advisories"), "{stderr}");
    let status = ok(rampart(d, &["vulndb", "status", "--db", db]));
    assert!(status.contains(": 1 advisories, last import "), "{status}");

    // One ecosystem the mirror lacks: reported by name, the other still imported, exit 2.
    let out = rampart(d, &["vulndb", "update", "--ecosystem", "NoSuchEcosystem,PyPI", "--mirror", &base, "--db", db]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: NoSuchEcosystem:") && stderr.contains("HTTP 404"), "{stderr}");
    assert!(stderr.contains("PyPI: ") && stderr.contains("1 of 2 ecosystem export(s) could not be downloaded"), "{stderr}");

    // Nothing listening, and a mirror that is not HTTP: one clear line each.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let out = rampart(d, &["vulndb", "update", "--ecosystem", "PyPI", "--mirror", &format!("http://{closed}"), "--db", db]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("check the network"), "{stderr}");
    let out = rampart(d, &["vulndb", "update", "--mirror", "ftp://mirror.example", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an http:// or https:// URL"));
    assert!(!d.read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".rampart-download")), "scratch folder removed");
}

/// Cargo.lock matching over all of RustSec's advisories agrees with `cargo audit` 0.22.2 on
/// the same advisories: the same (advisory, package, version) triples, and the same ones
/// informational (unmaintained, unsound, notice). The lockfile names every version at a
/// range boundary and its neighbours; testdata/rustsec/ATTRIBUTION.md says how the
/// expected list was made (scripts/compare-cargo-audit).
#[test]
fn cargo_lock_matching_agrees_with_cargo_audit_on_every_rustsec_advisory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = repo_root().join("testdata/rustsec");
    let db = d.join("vulndb.db");
    ok(rampart(d, &["vulndb", "import", data.join("osv-all.zip").to_str().unwrap(), "--db", db.to_str().unwrap()]));
    let root = d.join("root");
    std::fs::create_dir_all(root.join("srv")).unwrap();
    std::fs::copy(data.join("boundary.Cargo.lock"), root.join("srv/Cargo.lock")).unwrap();
    let report = d.join("report.json");
    let out = rampart(
        d,
        &["scan", "host", "--root", root.to_str().unwrap(), "--vulndb", db.to_str().unwrap(), "--format", "json", "--no-store", "--fail-on", "none", "-o", report.to_str().unwrap()],
    );
    ok(out);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let mut ours = std::collections::BTreeSet::new();
    for f in report["findings"].as_array().unwrap() {
        if f["check_id"] != "host_cve" || f["status"] != "FAILED" {
            continue;
        }
        // "<name> <version> (<location>) is affected by <ID>..." or
        // "... is named in informational advisory (<kind>) <ID>..."
        let reason = f["reason"].as_str().unwrap();
        let mut words = reason.split_whitespace();
        let (name, version) = (words.next().unwrap(), words.next().unwrap());
        let rest = &reason[reason.find(") is ").unwrap() + 5..];
        let (kind, id_and_more) = match rest.strip_prefix("named in informational advisory (") {
            Some(r) => r.split_once(") ").unwrap(),
            None => ("vulnerability", rest.strip_prefix("affected by ").unwrap()),
        };
        let id: String = id_and_more.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        // (A vulnerability whose CVSS scores 0.0 is informational too.)
        assert!(kind == "vulnerability" || f["severity"] == "INFORMATIONAL", "{reason}");
        ours.insert(format!("{id} {name} {version} {kind}"));
    }
    let expected: std::collections::BTreeSet<String> = std::fs::read_to_string(data.join("cargo-audit-0.22.2.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert!(expected.len() > 9000, "{}", expected.len());
    let only_audit: Vec<_> = expected.difference(&ours).take(10).collect();
    let only_ours: Vec<_> = ours.difference(&expected).take(10).collect();
    assert!(only_audit.is_empty() && only_ours.is_empty(), "only cargo-audit: {only_audit:?}\nonly rampart: {only_ours:?}");
}

/// Host telemetry joined to an AWS snapshot by instance id types network reachability
/// findings by what listens (Inspector's …WithListener / …NoListener instead of …NoAgent).
#[test]
fn telemetry_joined_by_instance_id_types_network_reachability_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let estate_path = repo_root().join("testdata/demo/estate.json");
    let estate: Value = serde_json::from_slice(&std::fs::read(&estate_path).unwrap()).unwrap();
    let web = estate["accounts"][0]["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "us-east-1")
        .unwrap()["ec2"]["known"]["instances"]["known"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"]["Name"] == "public-web")
        .unwrap()["instance_id"]
        .as_str()
        .unwrap()
        .to_string();
    let agent = d.join("agent.json");
    ok(rampart(d, &["agent", "--once", "-o", agent.to_str().unwrap()]));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&agent).unwrap()).unwrap();
    doc["host"]["ec2_instance_id"] = serde_json::json!({ "known": web });
    doc["listening"] = serde_json::json!({ "known": [
        { "proto": "tcp", "address": "0.0.0.0", "port": 443, "state": "listen", "inode": 1, "uid": 33, "user": "www-data",
          "processes": { "known": [{ "pid": 10, "name": "nginx", "uid": 33, "user": "www-data", "exe": { "known": "/usr/sbin/nginx" } }] } }
    ] });
    let joined = d.join("web.json");
    std::fs::write(&joined, serde_json::to_string(&doc).unwrap()).unwrap();
    let mut off_ec2 = doc.clone();
    off_ec2["host"]["ec2_instance_id"] = serde_json::json!({ "known": null });
    let off_ec2_path = d.join("laptop.json");
    std::fs::write(&off_ec2_path, serde_json::to_string(&off_ec2).unwrap()).unwrap();

    let report = d.join("report.json");
    let out = rampart(
        d,
        &["scan", "--snapshot", estate_path.to_str().unwrap(), "--telemetry", joined.to_str().unwrap(), off_ec2_path.to_str().unwrap(),
          "--no-store", "--fail-on", "none", "--format", "json", "-o", report.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    assert!(stderr.contains(&format!("joined to instance {web}")), "{stderr}");
    assert!(stderr.contains("laptop.json` names no EC2 instance id"), "{stderr}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let reach: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "inspector_network_reachability" && f["status"] == "FAILED")
        .map(|f| (f["resource"]["id"].as_str().unwrap().to_string(), f["reason"].as_str().unwrap().to_string()))
        .collect();
    let (of_web, others): (Vec<_>, Vec<_>) = reach.iter().partition(|(id, _)| id.ends_with(&web));
    assert_eq!(of_web.len(), 1, "{reach:#?}");
    assert!(of_web[0].1.starts_with("RecognizedPortWithListener: HTTPS (tcp/443)") && of_web[0].1.contains("nginx listening"), "{of_web:?}");
    assert!(!others.is_empty() && others.iter().all(|(_, r)| r.contains("NoAgent")), "{others:?}");
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

#[test]
fn assess_on_postgres_keeps_targets_templates_and_runs_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("assess");
    let url = pg.url.as_str();
    let telemetry = d.join("host.json");
    ok(rampart(d, &["agent", "--once", "-o", telemetry.to_str().unwrap()]));
    let mut said = String::new();
    let mut run = |args: &[&str]| -> Output {
        let out = rampart(d, &[args, &["--db", url]].concat());
        said.push_str(&String::from_utf8_lossy(&out.stdout));
        said.push_str(&String::from_utf8_lossy(&out.stderr));
        out
    };

    ok(run(&["assess", "target", "this"]));
    ok(run(&["assess", "template", "nightly", "--target", "this", "--rules", "cis", "--duration", "600"]));
    let out = run(&["assess", "target", "this"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--replace"), "a duplicate is refused");
    let targets = run(&["assess", "targets"]);
    assert!(String::from_utf8_lossy(&targets.stderr).contains(&format!("1 target(s) in postgres://rampart@")), "{targets:?}");
    assert!(ok(targets).lines().any(|l| l.starts_with("this ") && l.ends_with("every host")));
    assert!(ok(run(&["assess", "templates"])).lines().any(|l| l.starts_with("nightly ") && l.contains(" cis ")));

    let out = run(&["assess", "run", "nightly", "--telemetry", telemetry.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(out);
    assert!(stderr.contains("COMPLETED (1 host(s)"), "{stderr}");
    let listed = ok(run(&["assess", "runs"]));
    let rows: Vec<Vec<&str>> = listed.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(&rows[0][..3], ["1", "nightly", "COMPLETED"], "{listed}");
    let findings_run = rows[0][8];
    assert!(findings_run.starts_with("run-"), "{listed}");
    // The findings run it recorded is in the same database.
    assert!(ok(run(&["runs", "--format", "json"])).contains(findings_run));

    // A target in use is kept; a template that ran is kept.
    let out = run(&["assess", "target", "this", "--delete"]);
    assert!(!out.status.success(), "a target in use is not deleted");
    let out = run(&["assess", "template", "nightly", "--delete"]);
    assert!(!out.status.success(), "a template that ran is not deleted");
    assert!(!d.join("rampart.db").exists(), "nothing went to the SQLite file of RAMPART_DB");
    assert!(!said.contains("s3cretpw"), "the password showed: {said}");
}
