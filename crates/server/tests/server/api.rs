//! The JSON API over the demo estate, and its OpenAPI document.

use crate::common::{bearer, enc, root, Backend, TestServer, SCRIPT_TITLE};
use rampart_server::Role;
use std::collections::HashSet;

#[test]
fn findings_page_through_without_loss() {
    findings_page_through_without_loss_on(Backend::Sqlite);
}

pub(crate) fn findings_page_through_without_loss_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let auth = bearer(&s.token(Role::Viewer));
    let all = s.client.get("/api/v1/findings?limit=100", &[("Authorization", &auth)]).json();
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 100, "{total}");
    assert_eq!(all["findings"].as_array().unwrap().len(), 100);
    let mut seen = HashSet::new();
    let mut cursor = String::new();
    loop {
        let page = s.client.get(&format!("/api/v1/findings?limit=17{cursor}"), &[("Authorization", &auth)]).json();
        for f in page["findings"].as_array().unwrap() {
            assert!(seen.insert(f["id"].as_str().unwrap().to_string()), "{} twice", f["id"]);
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    // Filters: FAILED and at least HIGH.
    let high = s.client.get("/api/v1/findings?status=failed&severity=high&limit=100", &[("Authorization", &auth)]).json();
    let rows = high["findings"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|f| f["status"] == "FAILED" && (f["severity"] == "HIGH" || f["severity"] == "CRITICAL")), "{high}");
    // Bad input: one line saying what to use.
    let bad = s.client.get("/api/v1/findings?status=BROKEN", &[("Authorization", &auth)]);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("use PASSED, FAILED"), "{}", bad.body);
    assert_eq!(s.client.get("/api/v1/findings?limit=0", &[("Authorization", &auth)]).status, 400);
    assert_eq!(s.client.get("/api/v1/findings?limit=101", &[("Authorization", &auth)]).status, 400);
    assert_eq!(s.client.get("/api/v1/findings?cursor=forged", &[("Authorization", &auth)]).status, 400);
    // Sorted by last seen, oldest first.
    let asc = s.client.get("/api/v1/findings?sort=last-seen&order=asc", &[("Authorization", &auth)]).json();
    let seen: Vec<&str> = asc["findings"].as_array().unwrap().iter().map(|f| f["last_observed"].as_str().unwrap()).collect();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
}

#[test]
fn a_workflow_change_through_the_api_is_in_the_history() {
    a_workflow_change_through_the_api_is_in_the_history_on(Backend::Sqlite);
}

pub(crate) fn a_workflow_change_through_the_api_is_in_the_history_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let auth = bearer(&s.token(Role::Analyst));
    let path = format!("/api/v1/findings/{}", enc(&s.planted));
    let before = s.client.get(&path, &[("Authorization", &auth)]).json();
    assert_eq!(before["finding"]["title"], SCRIPT_TITLE, "JSON carries the title as it is");
    assert_eq!(before["results"].as_array().unwrap().len(), 1);
    let r = s.client.request(
        "POST",
        &format!("{path}/workflow"),
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        br#"{"status":"suppressed","note":"accepted risk until Q3"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let after = r.json();
    assert_eq!(after["finding"]["workflow_status"], "SUPPRESSED");
    let h = after["history"].as_array().unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["from"], "NEW");
    assert_eq!(h[0]["to"], "SUPPRESSED");
    assert_eq!(h[0]["note"], "accepted risk until Q3");
    assert_eq!(h[0]["changed_by"], "analyst");
    // Unknown status, unknown finding.
    let r = s.client.request(
        "POST",
        &format!("{path}/workflow"),
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        br#"{"status":"DONE"}"#,
    );
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.client.request(
        "POST",
        "/api/v1/findings/rampart%2Fnope%2F0/workflow",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        br#"{"status":"NEW"}"#,
    );
    assert_eq!(r.status, 404, "{}", r.body);
}

#[test]
fn a_session_caller_needs_the_csrf_header_for_api_changes() {
    a_session_caller_needs_the_csrf_header_for_api_changes_on(Backend::Sqlite);
}

pub(crate) fn a_session_caller_needs_the_csrf_header_for_api_changes_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let b = s.login("analyst", crate::common::PASSWORD).unwrap();
    let path = format!("/api/v1/findings/{}/workflow", enc(&s.planted));
    let body = br#"{"status":"NOTIFIED","note":"x"}"#;
    let r = s.client.request("POST", &path, &[("Cookie", &b.cookie), ("Content-Type", "application/json")], body);
    assert_eq!(r.status, 403, "{}", r.body);
    let r = s.client.request("POST", &path, &[("Cookie", &b.cookie), ("Content-Type", "application/json"), ("X-CSRF-Token", "0000")], body);
    assert_eq!(r.status, 403, "{}", r.body);
    let r =
        s.client.request("POST", &path, &[("Cookie", &b.cookie), ("Content-Type", "application/json"), ("X-CSRF-Token", &b.csrf)], body);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn runs_checks_standards_resources_and_assessments() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let get = |p: &str| {
        let r = s.client.get(p, &[("Authorization", &auth)]);
        assert_eq!(r.status, 200, "{p}: {}", r.body);
        r.json()
    };
    let runs = get("/api/v1/runs");
    assert_eq!(runs[0]["id"], "run-demo");
    assert_eq!(runs[0]["source"], "demo");
    assert!(runs[0]["results"]["FAILED"].as_u64().unwrap() > 0);
    let checks = get("/api/v1/checks");
    assert_eq!(checks.as_array().unwrap().len(), rampart_checks::REGISTRY.len());
    let standards = get("/api/v1/standards");
    let ids: Vec<&str> = standards.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cis-aws-3.0", "fsbp", "trusted-advisor"]);
    assert!(standards[1]["score"]["percent"].as_f64().is_some_and(|p| p > 0.0 && p < 100.0), "{standards}");
    assert_eq!(standards[1]["run_id"], "run-demo");
    let fsbp = get("/api/v1/standards/fsbp");
    let failed: Vec<_> = fsbp["controls"].as_array().unwrap().iter().filter(|c| c["status"] == "FAILED").collect();
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|c| !c["failing_findings"].as_array().unwrap().is_empty()));
    assert_eq!(s.client.get("/api/v1/standards/pci", &[("Authorization", &auth)]).status, 404);
    let resources = get("/api/v1/resources");
    assert_eq!(resources["source"], "inventory");
    assert!(resources["resources"].as_array().unwrap().len() > 10);
    assert!(get("/api/v1/assessment/targets").is_array());
    assert!(get("/api/v1/assessment/templates").is_array());
    assert!(get("/api/v1/assessment/runs").is_array());
}

#[test]
fn the_openapi_document_is_served_checked_in_and_complete() {
    let doc = rampart_server::openapi_json();
    let path = root().join("docs/openapi.json");
    if std::env::var_os("RAMPART_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, format!("{doc}\n")).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in.trim_end() == doc.trim_end(),
        "docs/openapi.json is stale: regenerate it with `RAMPART_UPDATE_OPENAPI=1 cargo test -p rampart-server --test server openapi` and commit it"
    );
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    // Every API route of the table is documented, with its method.
    for r in rampart_server::routes().iter().filter(|r| r.path.starts_with("/api/")) {
        let op = &v["paths"][r.path][r.method.to_ascii_lowercase()];
        assert!(op.is_object(), "{} {} is not in the OpenAPI document", r.method, r.path);
    }
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let served = s.client.get("/api/v1/openapi.json", &[("Authorization", &auth)]);
    assert_eq!(served.status, 200);
    assert_eq!(served.body.trim_end(), doc.trim_end());
}

#[test]
fn findings_query_with_security_hub_filters_and_tokens() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let post = |body: &str| {
        s.client.request(
            "POST",
            "/api/v1/findings/query",
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };
    let q = r#"{"Filters": {"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}, {"Value": "HIGH", "Comparison": "EQUALS"}], "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}, "MaxResults": 5"#;
    let first = post(&format!("{q}}}"));
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    let rows = first["findings"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for r in rows {
        let f = &r["finding"];
        assert!(f["severity"] == "CRITICAL" || f["severity"] == "HIGH", "{f}");
        assert_eq!(f["status"], "FAILED");
    }
    let token = first["next_token"].as_str().expect("more than one page");
    let second = post(&format!("{q}, \"NextToken\": \"{token}\"}}")).json();
    let ids = |v: &serde_json::Value| {
        v["findings"].as_array().unwrap().iter().map(|r| r["finding"]["id"].as_str().unwrap().to_string()).collect::<HashSet<_>>()
    };
    assert!(ids(&first).is_disjoint(&ids(&second)), "pages overlap");
    let bad = post(r#"{"Filters": {"Colour": [{"Value": "red", "Comparison": "EQUALS"}]}}"#);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("Colour"), "{}", bad.body);
}

#[test]
fn batch_update_answers_like_aws_and_keeps_who_and_why() {
    let s = TestServer::start();
    let viewer = bearer(&s.token(Role::Viewer));
    let page = s.client.get("/api/v1/findings?status=FAILED&limit=2", &[("Authorization", &viewer)]).json();
    let ids: Vec<String> = page["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    let auth = bearer(&s.token(Role::Analyst));
    let body = serde_json::json!({
        "FindingIdentifiers": [{"Id": ids[0]}, ids[1], {"Id": "rampart/nope/0"}],
        "Workflow": {"Status": "NOTIFIED"},
        "Confidence": 80,
        "Note": {"Text": "ticket SEC-12", "UpdatedBy": "someone else"}
    });
    let r = s.client.request(
        "POST",
        "/api/v1/findings/batch-update",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let a = r.json();
    assert_eq!(a["ProcessedFindings"].as_array().unwrap().len(), 2, "{a}");
    assert_eq!(a["UnprocessedFindings"][0]["FindingIdentifier"]["Id"], "rampart/nope/0");
    assert_eq!(a["UnprocessedFindings"][0]["ErrorCode"], "FindingNotFound");
    let d = s.client.get(&format!("/api/v1/findings/{}", enc(&ids[0])), &[("Authorization", &auth)]).json();
    assert_eq!(d["finding"]["workflow_status"], "NOTIFIED");
    let changes = d["changes"].as_array().unwrap();
    let wf = changes.iter().find(|c| c["field"] == "WorkflowStatus").expect("the workflow change is in the history");
    assert_eq!(wf["changed_by"], "analyst", "the caller, not what the request claims");
    assert_eq!(wf["reason"], "ticket SEC-12");
    assert!(changes.iter().any(|c| c["field"] == "Confidence" && c["to"] == "80"), "{changes:?}");
    // Refused whole: a confidence out of range changes nothing.
    let bad = serde_json::json!({"FindingIdentifiers": [ids[0]], "Confidence": 150});
    let r = s.client.request(
        "POST",
        "/api/v1/findings/batch-update",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        bad.to_string().as_bytes(),
    );
    assert_eq!(r.status, 400, "{}", r.body);
}

#[test]
fn managed_insights_count_the_demo_findings() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let list = s.client.get("/api/v1/insights", &[("Authorization", &auth)]).json();
    let list = list.as_array().unwrap();
    assert!(!list.is_empty() && list.iter().all(|i| i["managed"] == true));
    let mut counted = 0;
    for i in list {
        let id = i["id"].as_str().unwrap();
        let r = s.client.get(&format!("/api/v1/insights/{}", enc(id)), &[("Authorization", &auth)]);
        assert_eq!(r.status, 200, "{id}: {}", r.body);
        let r = r.json();
        assert_eq!(r["insight"]["id"], id);
        counted += r["results"].as_array().unwrap().iter().map(|g| g["count"].as_u64().unwrap()).sum::<u64>();
    }
    assert!(counted > 0, "some managed insight counts demo findings");
    let missing = s.client.get("/api/v1/insights/custom%2F999", &[("Authorization", &auth)]);
    assert_eq!(missing.status, 404, "{}", missing.body);
}
