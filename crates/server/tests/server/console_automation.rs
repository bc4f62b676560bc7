//! Automation rules: the API (Security Hub's CreateAutomationRule shape, validation, dry
//! runs, replace, delete) and the console in real headless Chromium (a rule created in the
//! form is applied to the next scan, with the rule in the finding's history).

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, enc, root, TestServer, PASSWORD};
use rampart_server::Role;
use serde_json::{json, Value};
use std::path::Path;

/// Records a new scan of the demo estate into `db` as `rampart demo` would: automation
/// rules apply to its findings.
pub(crate) fn rescan(db: &Path, run_id: &str) {
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, rampart_app::now());
    scan.run.id = run_id.into();
    scan.record(&mut crate::common::open_store(db)).unwrap();
}

/// A FAILED check of the demo with a few findings, and all its FAILED findings' ids.
fn failed_check(s: &TestServer, auth: &str) -> (String, Vec<String>) {
    let page = s.client.get("/api/v1/findings?status=FAILED&limit=100", &[("Authorization", auth)]).json();
    let mut by: std::collections::BTreeMap<String, usize> = Default::default();
    for f in page["findings"].as_array().unwrap() {
        *by.entry(f["check_id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    let check = by.into_iter().max_by_key(|(_, n)| ((*n).min(5), std::cmp::Reverse(*n))).unwrap().0;
    let all = s.client.get(&format!("/api/v1/findings?status=FAILED&check={check}&limit=100"), &[("Authorization", auth)]).json();
    let ids = all["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    (check, ids)
}

fn rule_body(name: &str, order: u32, check: &str) -> Value {
    json!({
        "RuleName": name,
        "RuleOrder": order,
        "RuleStatus": "ENABLED",
        "IsTerminal": false,
        "Description": "triage test",
        "Criteria": {
            "GeneratorId": [{ "Value": check, "Comparison": "EQUALS" }],
            "ComplianceStatus": [{ "Value": "FAILED", "Comparison": "EQUALS" }]
        },
        "Actions": [{ "Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {
            "Workflow": { "Status": "NOTIFIED" },
            "Note": { "Text": "ticket SEC-42", "UpdatedBy": "admin" }
        } }]
    })
}

fn send(s: &TestServer, method: &str, path: &str, auth: &str, body: &Value) -> crate::http::Response {
    s.client.request(method, path, &[("Authorization", auth), ("Content-Type", "application/json")], body.to_string().as_bytes())
}

#[test]
fn automation_rules_through_the_api_and_the_next_scan() {
    let s = TestServer::start();
    let admin = bearer(&s.token(Role::Admin));
    let viewer = bearer(&s.token(Role::Viewer));
    let (check, ids) = failed_check(&s, &admin);

    // Created in Security Hub's shape, read back with its RuleArn.
    let r = send(&s, "POST", "/api/v1/automation/rules", &admin, &rule_body("notify owners", 10, &check));
    assert_eq!(r.status, 201, "{}", r.body);
    let rule = r.json();
    assert_eq!(rule["RuleArn"], "rule/1");
    assert_eq!(rule["RuleName"], "notify owners");
    assert_eq!(rule["RuleOrder"], 10);
    assert_eq!(rule["RuleStatus"], "ENABLED");
    assert_eq!(rule["IsTerminal"], false);
    assert_eq!(rule["CreatedBy"], "admin");
    assert_eq!(rule["Actions"][0]["Type"], "FINDING_FIELDS_UPDATE");
    assert_eq!(rule["Actions"][0]["FindingFieldsUpdate"]["Workflow"]["Status"], "NOTIFIED");
    assert_eq!(rule["Criteria"]["GeneratorId"][0]["Value"], check.as_str());
    let list = s.client.get("/api/v1/automation/rules", &[("Authorization", &viewer)]).json();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let one = s.client.get(&format!("/api/v1/automation/rules/{}", enc("rule/1")), &[("Authorization", &viewer)]);
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.json()["RuleName"], "notify owners");
    assert_eq!(s.client.get("/api/v1/automation/rules/notify%20owners", &[("Authorization", &viewer)]).json()["RuleArn"], "rule/1");

    // Bad rules: one line saying what to do, nothing stored.
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut b = rule_body("x", 0, &check);
    cases.push((b.clone(), "`RuleOrder` must be a whole number from 1 to 1000"));
    b["RuleOrder"] = json!(1001);
    cases.push((b.clone(), "from 1 to 1000"));
    b = rule_body("x", 1, &check);
    b["RuleStatus"] = json!("ON");
    cases.push((b.clone(), "`RuleStatus` must be ENABLED or DISABLED"));
    b = rule_body("x", 1, &check);
    b["Actions"][0]["Type"] = json!("FINDING_DELETE");
    cases.push((b.clone(), "FINDING_FIELDS_UPDATE"));
    b = rule_body("x", 1, &check);
    b["Criteria"] = json!({ "NoSuchField": [{ "Value": "x", "Comparison": "EQUALS" }] });
    cases.push((b.clone(), "NoSuchField"));
    b = rule_body("x", 1, &check);
    b["Actions"][0]["FindingFieldsUpdate"] = json!({});
    cases.push((b.clone(), "nothing to update"));
    b = rule_body("", 1, &check);
    cases.push((b.clone(), "`RuleName` must be 1 to 256 characters"));
    cases.push((rule_body("notify owners", 2, &check), "exists"));
    for (body, want) in cases {
        let r = send(&s, "POST", "/api/v1/automation/rules", &admin, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let e = r.json()["error"].as_str().unwrap().to_string();
        assert!(e.contains(want) && !e.contains('\n'), "{body}: {e}");
    }
    assert_eq!(s.client.get("/api/v1/automation/rules", &[("Authorization", &viewer)]).json().as_array().unwrap().len(), 1);

    // Dry runs: the current findings it would change; nothing changes.
    let dry = send(&s, "POST", "/api/v1/automation/rules/dry-run", &admin, &rule_body("try", 1, &check));
    assert_eq!(dry.status, 200, "{}", dry.body);
    let dry = dry.json();
    assert_eq!(dry["count"].as_u64().unwrap() as usize, ids.len(), "{dry}");
    let mut got: Vec<String> = dry["findings"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let mut want = ids.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let stored = s.client.get(&format!("/api/v1/automation/rules/{}/dry-run", enc("rule/1")), &[("Authorization", &viewer)]).json();
    assert_eq!(stored["count"], dry["count"]);
    let f = s.client.get(&format!("/api/v1/findings/{}", enc(&ids[0])), &[("Authorization", &viewer)]).json();
    assert_eq!(f["finding"]["workflow_status"], "NEW", "a dry run changes nothing");
    assert_eq!(send(&s, "POST", "/api/v1/automation/rules/dry-run", &admin, &json!({ "RuleName": "x" })).status, 400);

    // The next scan applies it: each matching finding NOTIFIED with the note, by rule:<name>.
    rescan(&s.db, "run-2");
    for id in &ids {
        let d = s.client.get(&format!("/api/v1/findings/{}", enc(id)), &[("Authorization", &viewer)]).json();
        assert_eq!(d["finding"]["workflow_status"], "NOTIFIED", "{id}");
        let by_rule: Vec<&Value> = d["changes"].as_array().unwrap().iter().filter(|c| c["changed_by"] == "rule:notify owners").collect();
        assert!(by_rule.iter().any(|c| c["field"] == "WorkflowStatus" && c["to"] == "NOTIFIED"), "{d}");
        assert!(by_rule.iter().any(|c| c["to"] == "ticket SEC-42"), "{d}");
    }

    // Replaced (disabled, another order), then deleted.
    let mut body = rule_body("notify owners", 5, &check);
    body["RuleStatus"] = json!("DISABLED");
    let r = send(&s, "PUT", &format!("/api/v1/automation/rules/{}", enc("rule/1")), &admin, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["RuleStatus"], "DISABLED");
    assert_eq!(r.json()["RuleOrder"], 5);
    assert_eq!(send(&s, "PUT", "/api/v1/automation/rules/rule%2F9", &admin, &body).status, 404);
    assert_eq!(
        s.client.request("DELETE", &format!("/api/v1/automation/rules/{}", enc("rule/1")), &[("Authorization", &admin)], b"").status,
        204
    );
    let gone = s.client.get(&format!("/api/v1/automation/rules/{}", enc("rule/1")), &[("Authorization", &viewer)]);
    assert_eq!(gone.status, 404, "{}", gone.body);
    assert!(gone.json()["error"].as_str().unwrap().contains("rule/1"), "{}", gone.body);
    assert_eq!(
        s.client.request("DELETE", &format!("/api/v1/automation/rules/{}", enc("rule/1")), &[("Authorization", &admin)], b"").status,
        404
    );
}

#[test]
fn console_rule_form_refuses_bad_input_with_one_line() {
    let s = TestServer::start();
    let admin = s.login("admin", PASSWORD).unwrap();
    let r = admin.post_form(
        "/automation",
        &[("csrf", &admin.csrf), ("name", "x"), ("order", "1"), ("criteria", "{not json"), ("workflow", "RESOLVED")],
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("the criteria are not JSON"), "{}", r.body);
    let r =
        admin.post_form("/automation", &[("csrf", &admin.csrf), ("name", "x"), ("order", "1"), ("c_status", "FAILED"), ("criteria", "")]);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("nothing to update"), "{}", r.body);
    let r = admin
        .post_form("/automation", &[("csrf", &admin.csrf), ("name", "x"), ("order", "1"), ("criteria", "{}"), ("workflow", "NOTIFIED")]);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("give at least one criterion"), "{}", r.body);
    let both = r#"{"ComplianceStatus": [{"Value": "PASSED", "Comparison": "EQUALS"}]}"#;
    let r = admin.post_form(
        "/automation",
        &[("csrf", &admin.csrf), ("name", "x"), ("order", "1"), ("c_status", "FAILED"), ("criteria", both), ("workflow", "NOTIFIED")],
    );
    assert!(r.body.contains("`ComplianceStatus` is both a quick criterion and in the JSON"), "{}", r.body);
    // Quick criteria alone make a rule: each EQUALS its value.
    let r = admin.post_form(
        "/automation",
        &[
            ("csrf", &admin.csrf),
            ("name", "quick"),
            ("order", "1"),
            ("c_severity", "CRITICAL"),
            ("c_status", "FAILED"),
            ("workflow", "NOTIFIED"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let token = bearer(&s.token(Role::Viewer));
    let rule = s.client.get("/api/v1/automation/rules/quick", &[("Authorization", &token)]).json();
    assert_eq!(rule["Criteria"]["SeverityLabel"], json!([{ "Value": "CRITICAL", "Comparison": "EQUALS" }]), "{rule}");
    assert_eq!(rule["Criteria"]["ComplianceStatus"][0]["Value"], "FAILED", "{rule}");
    let r = admin.post_form("/automation", &[("csrf", &admin.csrf), ("name", "x"), ("order", "zero"), ("criteria", "{}")]);
    assert!(r.body.contains("Order must be a whole number from 1 to 1000"), "{}", r.body);
    // A viewer sees the rules but no form.
    let viewer = s.login("viewer", PASSWORD).unwrap();
    let page = viewer.get("/automation");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("rule-form"), "{}", page.body);
}

#[test]
fn an_automation_rule_made_in_the_console_applies_to_the_next_scan_in_chromium() {
    let s = TestServer::start();
    let admin_token = bearer(&s.token(Role::Admin));
    let (check, ids) = failed_check(&s, &admin_token);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());

    b.post("url", json!({ "url": format!("{base}/login") }));
    wait_for(&b, "return !!document.getElementById('name');");
    type_into(&b, "#name", "admin");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/findings';");

    b.post("url", json!({ "url": format!("{base}/automation") }));
    wait_for(&b, "return !!document.getElementById('rule-form') && !!document.getElementById('no-rules');");
    type_into(&b, "#rule-name", "escalate demo failures");
    b.run("document.getElementById('rule-order').value = ''; return true;");
    type_into(&b, "#rule-order", "20");
    type_into(&b, "#rule-description", "Tickets for the owners");
    // The check as a quick criterion, the status in the filter JSON: both apply.
    type_into(&b, "#rule-c-check", &check);
    let criteria = json!({ "ComplianceStatus": [{ "Value": "FAILED", "Comparison": "EQUALS" }] });
    type_into(&b, "#rule-criteria", &criteria.to_string());
    click(&b, "#rule-workflow option[value=NOTIFIED]");
    type_into(&b, "#rule-note", "Ticket SEC-77 opened by automation");
    type_into(&b, "#rule-fields", "owner=platform-team");

    // Dry run first: the current findings it would change, nothing changed.
    click(&b, "#rule-dry-run");
    wait_for(&b, "return !!document.getElementById('dry-count');");
    let text = b.run("return document.getElementById('dry-count').textContent;");
    assert!(text.as_str().unwrap().contains(&format!("would change {} current finding", ids.len())), "{text}");
    assert_eq!(b.run("return document.querySelectorAll('#dry-findings tr.f').length;"), json!(ids.len()));
    no_sideways_scroll(&b, "dry run");

    // Save it from the dry-run page.
    click(&b, "#rule-save");
    wait_for(&b, "return location.pathname === '/automation' && document.querySelectorAll('tr.rule').length === 1;");
    let row = b.run("return document.querySelector('tr.rule').textContent;");
    let row = row.as_str().unwrap();
    assert!(row.contains("escalate demo failures") && row.contains("ENABLED") && row.contains("workflow → NOTIFIED"), "{row}");
    no_sideways_scroll(&b, "automation");
    b.run("window.scrollTo(0, 0); return true;");
    std::fs::write(root().join("docs/img/console-automation.png"), b.screenshot()).unwrap();

    // Disable and enable again.
    click(&b, "tr.rule td.manage form.inline button");
    wait_for(&b, "return document.querySelector('tr.rule .rule-status').textContent === 'DISABLED';");
    click(&b, "tr.rule td.manage form.inline button");
    wait_for(&b, "return document.querySelector('tr.rule .rule-status').textContent === 'ENABLED';");

    // The next scan: the finding shows the rule's workflow and note, by rule:<name>.
    rescan(&s.db, "run-2");
    b.post("url", json!({ "url": format!("{base}/findings/{}", enc(&ids[0])) }));
    wait_for(&b, "return !!document.getElementById('workflow');");
    assert_eq!(b.run("return document.getElementById('workflow').textContent;"), json!("NOTIFIED"));
    let history = b.run("return document.querySelector('table.history').textContent;");
    assert!(history.as_str().unwrap().contains("rule:escalate demo failures"), "{history}");
    let d = s.client.get(&format!("/api/v1/findings/{}", enc(&ids[0])), &[("Authorization", &admin_token)]).json();
    let changes = d["changes"].as_array().unwrap();
    for (field, to) in [("WorkflowStatus", "NOTIFIED"), ("UserDefinedFields.owner", "platform-team")] {
        assert!(
            changes.iter().any(|c| c["changed_by"] == "rule:escalate demo failures" && c["field"] == field && c["to"] == to),
            "{field}: {d}"
        );
    }
    assert!(
        changes.iter().any(|c| c["changed_by"] == "rule:escalate demo failures" && c["to"] == "Ticket SEC-77 opened by automation"),
        "{d}"
    );

    // Edit it (order), then delete it.
    b.post("url", json!({ "url": format!("{base}/automation") }));
    wait_for(&b, "return document.querySelectorAll('tr.rule').length === 1;");
    click(&b, "tr.rule td.manage a[href$='/edit']");
    wait_for(
        &b,
        "return !!document.getElementById('rule-form') && document.getElementById('rule-name').value === 'escalate demo failures';",
    );
    b.run("document.getElementById('rule-order').value = ''; return true;");
    type_into(&b, "#rule-order", "3");
    click(&b, "#rule-save");
    wait_for(&b, "return location.pathname === '/automation' && document.querySelector('tr.rule td').textContent === '3';");
    click(&b, "tr.rule td.manage button.danger");
    wait_for(&b, "return !!document.getElementById('no-rules');");
}
