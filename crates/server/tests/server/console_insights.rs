//! Insights in the console: the list with each insight's largest groups, one insight's
//! groups drilling down to exactly their findings, the form that creates a custom insight
//! (analysts) and deleting it; in Chromium, a custom insight made through the form counts
//! what the findings query counts.

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, hidden, root, TestServer, PASSWORD};
use crate::console_dashboard::{api_total, count_rows, drawn, list_total, shown_rows, sign_in};
use rampart_server::Role;
use serde_json::json;

#[test]
fn insights_list_show_and_drill_down_to_exactly_each_groups_findings() {
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    let list = b.get("/insights");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("AWS resources with the most findings"));
    assert!(list.body.contains("id=\"no-custom\""), "no custom insight yet");
    assert!(!list.body.contains("insight-form"), "a viewer gets no form");
    let token = s.token(Role::Viewer);
    let api = s.client.get("/api/v1/insights", &[("Authorization", &bearer(&token))]).json();
    for i in api.as_array().unwrap() {
        assert!(list.body.contains(&format!("data-id=\"{}\"", i["id"].as_str().unwrap())), "{} listed", i["id"]);
    }
    // Managed insight 29 (severity) and 1 (resources): each group's list has its count.
    for id in ["managed%2F29", "managed%2F1", "managed%2F36"] {
        let page = b.get(&format!("/insights/{id}"));
        assert_eq!(page.status, 200, "{id}: {}", page.body);
        let rows = count_rows(&page.body, "id=\"groups\"");
        assert!(!rows.is_empty(), "{id}");
        let api = s.client.get(&format!("/api/v1/insights/{id}"), &[("Authorization", &bearer(&token))]).json();
        let want: Vec<(String, u64)> = api["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["value"].as_str().unwrap().to_string(), r["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(rows.iter().map(|r| (r.0.clone(), r.1)).collect::<Vec<_>>(), want, "{id}: the API's counts");
        for (value, count, link) in rows.iter().take(5) {
            assert!(link.starts_with("/findings?insight="), "{link}");
            assert_eq!(list_total(&b, link), *count, "{id} group {value}");
            assert_eq!(api_total(&s, &token, link), *count, "{id} group {value} (API)");
        }
        assert!(page.body.contains("id=\"insight-chart\""));
        assert!(!page.body.contains("delete-insight"), "managed: no delete");
    }
    // A drill-down list says which insight and group it is.
    let rows = count_rows(&b.get("/insights/managed%2F29").body, "id=\"groups\"");
    let page = b.get(&rows[0].2);
    assert!(page.body.contains("id=\"drill\""), "{}", page.body);
    assert!(page.body.contains("Severity by counts of findings"));
    assert_eq!(b.get("/insights/custom%2F999").status, 404);
    assert_eq!(b.get("/findings?insight=managed%2F29").status, 400, "a group is needed");
    assert_eq!(b.get("/findings?insight=managed%2F29&group=HIGH&group_by=region").status, 400);
}

#[test]
fn analysts_create_and_delete_custom_insights_with_the_form() {
    let s = TestServer::start();
    let b = s.login("analyst", PASSWORD).unwrap();
    // The findings list offers its filters and grouping as an insight; the form comes filled.
    let grouped = b.get("/findings?status=FAILED&severity_label=high&resource_type=AwsS3Bucket&group_by=resource");
    let save =
        grouped.body.split("id=\"save-insight\" href=\"").nth(1).expect("a save link").split('"').next().unwrap().replace("&amp;", "&");
    assert_eq!(save, "/insights?status=FAILED&severity_label=high&resource_type=AwsS3Bucket&group_by=ResourceId#new-insight");
    let form = b.get(save.split('#').next().unwrap()).body;
    assert!(form.contains("<option value=\"FAILED\" selected>") && form.contains("<option value=\"ResourceId\" selected>"), "{form}");
    assert!(form.contains("value=\"AwsS3Bucket\""));
    assert!(
        form.contains("{&quot;SeverityLabel&quot;:[{&quot;Comparison&quot;:&quot;EQUALS&quot;,&quot;Value&quot;:&quot;HIGH&quot;}]}"),
        "{form}"
    );
    assert!(!s.login("viewer", PASSWORD).unwrap().get("/findings").body.contains("save-insight"), "viewers cannot save");
    let list = b.get("/insights");
    assert!(list.body.contains("id=\"insight-form\""));
    let csrf = hidden(&list.body, "csrf").unwrap();
    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Failed S3 findings per resource"),
        ("group_by", "ResourceId"),
        ("status", "FAILED"),
        ("severity", ""),
        ("workflow", ""),
        ("check", ""),
        ("account", ""),
        ("region", ""),
        ("resource_type", ""),
        ("filters", r#"{"ResourceType": [{"Value": "AwsS3Bucket", "Comparison": "EQUALS"}]}"#),
    ];
    let made = b.post_form("/insights", &fields);
    assert_eq!(made.status, 303, "{}", made.body);
    let at = made.header("location").unwrap().to_string();
    assert!(at.starts_with("/insights/custom%2F"), "{at}");
    let page = b.get(&at);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"delete-insight\""));
    let rows = count_rows(&page.body, "id=\"groups\"");
    assert!(!rows.is_empty());
    for (value, count, link) in &rows {
        assert!(value.contains("arn:aws:s3:::") || value.starts_with("arn:"), "{value}");
        // The same findings by the list's own filters.
        let plain = format!("/findings?status=FAILED&resource_type=AwsS3Bucket&resource={}", pct(value));
        assert_eq!(list_total(&b, &plain), *count, "{value}");
        assert_eq!(list_total(&b, link), *count, "{value} drilled down");
    }
    // Listed with its groups.
    let list = b.get("/insights");
    assert!(list.body.contains("Failed S3 findings per resource") && !list.body.contains("id=\"no-custom\""));
    // Bad input: one line saying what to do.
    let dup = b.post_form("/insights", &fields);
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert!(dup.body.contains("already exists: choose another name"));
    let mut bad = fields;
    bad[1].1 = "bad filters";
    bad[10].1 = "{\"ResourceType\": ";
    let r = b.post_form("/insights", &bad);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("the JSON filters do not parse"), "{}", r.body);
    bad[10].1 = "";
    bad[2].1 = "Colour";
    let r = b.post_form("/insights", &bad);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("cannot group by `Colour`"), "{}", r.body);
    // Managed ones cannot be deleted; the custom one can.
    let managed = b.post_form("/insights/managed%2F1/delete", &[("csrf", &csrf)]);
    assert_eq!(managed.status, 400);
    assert!(managed.body.contains("managed insight"));
    let gone = b.post_form(&format!("{at}/delete"), &[("csrf", &csrf)]);
    assert_eq!(gone.status, 303);
    assert_eq!(b.get(&at).status, 404);
    // A viewer cannot create one.
    let v = s.login("viewer", PASSWORD).unwrap();
    let mut theirs = fields;
    theirs[0].1 = &v.csrf;
    assert_eq!(v.post_form("/insights", &theirs).status, 403);
}

#[test]
fn a_custom_insight_made_in_chromium_counts_what_the_findings_query_counts() {
    let s = TestServer::start();
    let token = s.token(Role::Viewer);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    sign_in(&b, &base, "analyst");

    b.post("url", json!({ "url": format!("{base}/insights") }));
    wait_for(&b, "return !!document.getElementById('insight-form');");
    no_sideways_scroll(&b, "insights");
    std::fs::write(img.join("console-insights.png"), b.screenshot()).unwrap();

    type_into(&b, "#in-name", "Failed findings by severity");
    click(&b, "#in-group option[value=SeverityLabel]");
    click(&b, "#in-status option[value=FAILED]");
    click(&b, "#in-save");
    wait_for(&b, "var c = document.getElementById('insight-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    assert_eq!(b.run("return document.getElementById('insight-name').textContent;"), json!("Failed findings by severity"));
    let rows = shown_rows(&b, "#groups");
    assert!(rows.len() > 1, "{rows:?}");
    assert_eq!(drawn(&b, "insight-chart"), json!(["true", 1, rows.len(), true]));
    for (value, count, _) in &rows {
        // The findings query: FAILED, active, this severity.
        assert_eq!(api_total(&s, &token, &format!("/findings?status=FAILED&severity_label={value}")), *count, "{value}");
    }
    no_sideways_scroll(&b, "an insight");
    std::fs::write(img.join("console-insight.png"), b.screenshot()).unwrap();

    // A managed insight of a hundred resources: a bar each, readable at 900 px.
    b.post("url", json!({ "url": format!("{base}/insights/managed%2F1") }));
    wait_for(&b, "var c = document.getElementById('insight-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    let rows100 = shown_rows(&b, "#groups");
    assert_eq!(drawn(&b, "insight-chart"), json!(["true", 1, rows100.len(), true]));
    let height = b.run("return document.getElementById('insight-chart').parentNode.getBoundingClientRect().height;");
    assert!(height.as_f64().unwrap() >= rows100.len() as f64 * 20.0, "{height} px for {} bars", rows100.len());
    no_sideways_scroll(&b, "a managed insight");
    b.run("history.back(); return true;");
    wait_for(&b, "return !!document.getElementById('groups') && location.pathname.indexOf('custom') >= 0;");

    // Drill down: the list holds exactly that group.
    let (value, count, _) = rows[0].clone();
    click(&b, &format!("#groups tr[data-value='{value}'] td.num a"));
    wait_for(&b, "return !!document.getElementById('drill') && !!document.getElementById('count');");
    let listed = b.run("return document.getElementById('count').textContent;");
    let listed = listed.as_str().unwrap();
    assert!(listed.ends_with(&format!(" of {count} matching")), "{value}: {listed}");
    let sevs = b.run("return Array.prototype.map.call(document.querySelectorAll('tr.f td.sev'), function (e) { return e.textContent; });");
    assert!(sevs.as_array().unwrap().iter().all(|v| v == value.as_str()), "{sevs}");
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
