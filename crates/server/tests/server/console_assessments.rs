//! The assessments page: Inspector's targets, templates and runs (states, times, finding
//! counts) and a run's host findings, over runs made by the application layer's driver
//! (`rampart_app::assess::run`, what `rampart assess run` calls) on a mounted root's
//! telemetry.

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, root, TestServer, PASSWORD};
use rampart_server::Role;
use serde_json::json;
use std::path::{Path, PathBuf};

/// A host's root with a weak sshd configuration, and its telemetry document.
fn telemetry(dir: &Path, hostname: &str) -> PathBuf {
    let root = dir.join(hostname);
    for (file, text) in [
        ("etc/hostname", format!("{hostname}\n")),
        ("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n".to_string()),
        ("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nops:x:0:0:ops:/home/ops:/bin/bash\n".to_string()),
        ("etc/ssh/sshd_config", "PermitRootLogin yes\nPasswordAuthentication yes\nPermitEmptyPasswords yes\n".to_string()),
    ] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let t = rampart_app::host::collect_root(&rampart_host::Root::new(&root), rampart_app::now(), &rampart_app::Collected::default());
    let out = dir.join(format!("{hostname}.json"));
    std::fs::write(&out, t.to_json()).unwrap();
    out
}

/// A target `web` (hosts `web-*`), a template `nightly` (CIS and best practices) run once
/// to COMPLETED, and a template `cves` whose run FAILED (no vulnerability database).
/// Returns the completed run's findings run id.
fn plant(s: &TestServer) -> String {
    let mut store = s.store();
    let now = rampart_app::now();
    let hosts = vec!["web-*".to_string()];
    store.create_target("web", &rampart_hub::TargetSelector { hosts, ..Default::default() }, now).unwrap();
    store.create_template("nightly", "web", &["cis".into(), "best-practices".into()], 3600, now).unwrap();
    store.create_template("cves", "web", &["cve".into()], 600, now).unwrap();
    let doc = telemetry(s.dir.path(), "web-1");
    let quiet = rampart_app::Collected::default();
    let no_vulndb =
        || -> anyhow::Result<rampart_hub::VulnStore> { anyhow::bail!("no vulnerability database: run `rampart vulndb update`") };
    let done = rampart_app::assess::run(&mut store, "nightly", std::slice::from_ref(&doc), &no_vulndb, &quiet).unwrap();
    assert!(rampart_app::assess::run(&mut store, "cves", &[doc], &no_vulndb, &quiet).is_err());
    done.run.findings_run_id.expect("a completed run recorded its findings")
}

#[test]
fn assessments_show_targets_templates_runs_and_host_findings() {
    let s = TestServer::start();
    let findings_run = plant(&s);
    let auth = bearer(&s.token(Role::Viewer));
    let api_runs = s.client.get("/api/v1/assessment/runs", &[("Authorization", &auth)]).json();
    let api_runs = api_runs.as_array().unwrap();
    assert_eq!(api_runs.len(), 2);
    let store = s.store();
    let results = store.run_results(&findings_run).unwrap();
    let failed = results.iter().filter(|f| f.status == rampart_model::Status::Failed).count();
    assert!(failed > 0, "the weak sshd configuration fails rules");

    let b = s.login("viewer", PASSWORD).unwrap();
    let page = b.get("/assessments");
    assert_eq!(page.status, 200);
    let body = &page.body;
    for want in [
        "<td>web</td>",
        "<code>web-*</code>",
        "<td>nightly</td>",
        "cis, best-practices",
        "3600 s",
        "data-state=\"COMPLETED\"",
        "data-state=\"FAILED\"",
    ] {
        assert!(body.contains(want), "{want} missing: {body}");
    }
    assert!(body.contains("no vulnerability database"), "the failed run says why");
    // The completed run's counts are its findings run's.
    let row = body.split("data-state=\"COMPLETED\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(&format!("st-failed\">FAILED</span> {failed} ")), "{row}");

    // One run's host findings: every result of its findings run.
    let id = api_runs.iter().find(|r| r["state"] == "COMPLETED").unwrap()["id"].as_i64().unwrap();
    let run = b.get(&format!("/assessments?run={id}"));
    assert_eq!(run.status, 200);
    assert_eq!(run.body.matches("<tr class=\"f\"").count(), results.len(), "{}", run.body);
    assert!(run.body.contains("<code>web-1</code>"));
    assert!(run.body.contains(&findings_run));
    assert_eq!(b.get("/assessments?run=99").status, 404);
    assert_eq!(b.get("/assessments?run=x").status, 404);
}

#[test]
fn the_assessments_page_in_chromium() {
    let s = TestServer::start();
    plant(&s);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    b.post("url", json!({ "url": format!("{base}/assessments") }));
    wait_for(&b, "return location.pathname === '/login' && !!document.getElementById('name');");
    type_into(&b, "#name", "viewer");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/assessments' && document.querySelectorAll('tr.run').length === 2;");
    no_sideways_scroll(&b, "assessments");
    click(&b, "tr.run[data-state=COMPLETED] td a");
    wait_for(&b, "return !!document.getElementById('run') && document.querySelectorAll('#run tr.f').length > 0;");
    assert_eq!(b.run("return document.getElementById('state').textContent;"), json!("COMPLETED"));
    no_sideways_scroll(&b, "an assessment run");
    b.run("document.getElementById('runs').scrollIntoView(); return true;");
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    std::fs::write(img.join("console-assessments.png"), b.screenshot()).unwrap();
}
