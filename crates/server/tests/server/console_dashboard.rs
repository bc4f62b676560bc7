//! The summary dashboard and the findings list's group-by: every number equals the
//! findings list (and the API) it links to; the score history has a point per run; the
//! chart data cannot end its script element; the vendored chart library is the one its
//! README names. In Chromium: the library draws the charts and the numbers are the API's.

use crate::browser::webdriver::Session;
use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, root, Browser, TestServer, PASSWORD};
use rampart_model::Status;
use rampart_server::Role;
use serde_json::{json, Value};
use std::path::Path;

/// An account id that would end a `<script>` element if written raw.
pub const EVIL_ACCOUNT: &str = "</script><script>document.title='owned'</script>";

/// Records a run `minutes` after the demo's in `db`: every failure of the demo's first
/// failing check is fixed, and with `evil` one failed finding is also seen in an account
/// named [`EVIL_ACCOUNT`].
pub fn later_run(db: &Path, id: &str, minutes: i64, evil: bool) {
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at + time::Duration::minutes(minutes));
    scan.run.id = id.into();
    let fixed = scan.findings.iter().find(|f| f.status == Status::Failed).unwrap().check_id.clone();
    let mut other = scan.findings.iter().find(|f| f.status == Status::Failed && f.check_id != fixed).unwrap().clone();
    for f in scan.findings.iter_mut().filter(|f| f.check_id == fixed && f.status == Status::Failed) {
        f.status = Status::Passed;
    }
    if evil {
        other.id = format!("{}-elsewhere", other.id);
        other.resource.account = EVIL_ACCOUNT.to_string();
        scan.findings.push(other);
    }
    scan.record(&mut crate::common::open_store(db)).unwrap();
}

pub fn second_run(db: &Path) {
    later_run(db, "run-demo-2", 5, true);
}

/// The rows of the table `#id` (or `table.groups`) as (value, count, link).
pub fn count_rows(html: &str, section: &str) -> Vec<(String, u64, String)> {
    let at = html.find(section).unwrap_or_else(|| panic!("no {section} in the page"));
    let rest = &html[at..];
    let table = &rest[..rest.find("</table>").expect("a table")];
    table
        .split("<tr data-value=\"")
        .skip(1)
        .chain(table.split("<tr class=\"g\" data-value=\"").skip(1))
        .map(|row| {
            let value = unescape(row.split('"').next().unwrap());
            let num = row.split("<td class=\"num\">").nth(1).expect("a count cell");
            let link = num.split("href=\"").nth(1).map(|h| unescape(h.split('"').next().unwrap())).unwrap_or_default();
            let count = num.split('>').find_map(|t| t.split('<').next().and_then(|n| n.trim().parse().ok())).expect("a number");
            (value, count, link)
        })
        .collect()
}

pub fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
}

/// The total the findings list at `link` says it matches.
pub fn list_total(b: &Browser, link: &str) -> u64 {
    let page = b.get(link);
    assert_eq!(page.status, 200, "{link}: {}", page.body);
    let count =
        page.body.split("id=\"count\">").nth(1).unwrap_or_else(|| panic!("{link}: no count")).split('<').next().unwrap().to_string();
    if count.starts_with("No finding") {
        return 0;
    }
    let n = if count.contains(" shown of ") { count.split(" shown of ").nth(1).unwrap() } else { &count };
    n.split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{link}: count `{count}`"))
}

/// The total the API answers for the list address `link` (`/findings?...`).
pub fn api_total(s: &TestServer, token: &str, link: &str) -> u64 {
    let q = link.strip_prefix("/findings").unwrap();
    let sep = if q.is_empty() { "?" } else { "&" };
    let r = s.client.get(&format!("/api/v1/findings{q}{sep}limit=1"), &[("Authorization", &bearer(token))]);
    assert_eq!(r.status, 200, "{link}: {}", r.body);
    r.json()["total"].as_u64().unwrap()
}

#[test]
fn every_dashboard_number_equals_the_findings_list_and_the_api() {
    let s = TestServer::start();
    second_run(&s.db);
    let b = s.login("viewer", PASSWORD).unwrap();
    let token = s.token(Role::Viewer);
    let page = b.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    let html = &page.body;

    let mut checked = 0;
    for section in ["id=\"by-severity\"", "id=\"by-account\"", "id=\"by-region\"", "id=\"top-controls\"", "id=\"top-resources\""] {
        let rows = count_rows(html, section);
        assert!(!rows.is_empty(), "{section} is empty");
        for (value, count, link) in rows {
            assert!(link.starts_with("/findings?status=FAILED&"), "{section} {value}: {link}");
            assert_eq!(list_total(&b, &link), count, "{section} {value}: the list at {link}");
            assert_eq!(api_total(&s, &token, &link), count, "{section} {value}: the API for {link}");
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
    // The severities add up to the total of active failed findings.
    let total: u64 =
        html.split("id=\"failed-total\" href=\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    assert_eq!(count_rows(html, "id=\"by-severity\"").iter().map(|r| r.1).sum::<u64>(), total);
    assert_eq!(api_total(&s, &token, "/findings?status=FAILED"), total);

    // Each standard's score is the API's (the latest run's).
    let standards = s.client.get("/api/v1/standards", &[("Authorization", &bearer(&token))]).json();
    for st in standards.as_array().unwrap() {
        assert_eq!(st["run_id"], "run-demo-2");
        let id = st["id"].as_str().unwrap();
        let card = html.split(&format!("data-standard=\"{id}\">")).nth(1).unwrap();
        let shown = card.split("class=\"score\">").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap();
        let want = st["score"]["percent"].as_f64().map_or("—".to_string(), |p| format!("{}%", p.round()));
        assert_eq!(shown, want, "{id}");
    }
    // The history: a row per run, newest first, the latest row the cards' scores.
    let history = html.split("id=\"history\"").nth(1).unwrap().split("</table>").next().unwrap();
    let runs: Vec<&str> = history.split("data-run=\"").skip(1).map(|r| r.split('"').next().unwrap()).collect();
    assert_eq!(runs, ["run-demo-2", "run-demo"]);
    assert!(html.contains("id=\"history-chart\""), "two runs draw a history");
    let fsbp = |row: usize| {
        history
            .split("data-run=\"")
            .nth(row + 1)
            .unwrap()
            .split("data-standard=\"fsbp\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(fsbp(0), fsbp(1), "the second run fixed failures: its score differs");

    // The chart data cannot end its script element; the page has no inline script.
    assert!(!html.contains(EVIL_ACCOUNT), "raw account in the page");
    assert!(html.contains("\\u003c/script\\u003e\\u003cscript\\u003e"), "escaped in the JSON");
    assert!(!html.contains("<script>"), "only <script src> and JSON elements");
    for script in html.split("<script").skip(1) {
        let open = script.split('>').next().unwrap();
        assert!(open.contains("src=\"/static/") || open.contains("type=\"application/json\""), "inline script: {open}");
    }
}

#[test]
fn findings_group_by_counts_equal_the_lists_they_link_to() {
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    for by in ["severity", "status", "workflow", "account", "region", "check", "resource-type", "resource", "control"] {
        let path = format!("/findings?status=FAILED&group_by={by}");
        let page = b.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let rows = count_rows(&page.body, "id=\"groups\"");
        assert!(!rows.is_empty(), "{by}: no group");
        let total = list_total(&b, "/findings?status=FAILED");
        if by != "control" {
            // Single-valued attributes: the groups partition the list (at most 100 groups).
            let sum: u64 = rows.iter().map(|r| r.1).sum();
            assert!(sum == total || rows.len() == 100, "{by}: {sum} grouped, {total} listed");
        }
        // Five groups of each: each group's list has exactly its count.
        for (value, count, link) in rows.iter().take(5) {
            assert!(!link.contains("group_by"), "{link}");
            assert_eq!(list_total(&b, link), *count, "{by} = {value}: {link}");
        }
        assert!(!page.body.contains("class=\"f\""), "grouped: no finding rows loaded");
    }
    // The filters narrow the groups: high or worse → only CRITICAL and HIGH.
    let high = b.get("/findings?severity=high&group_by=severity");
    let values: Vec<String> = count_rows(&high.body, "id=\"groups\"").into_iter().map(|r| r.0).collect();
    assert!(values.iter().all(|v| v == "CRITICAL" || v == "HIGH") && !values.is_empty(), "{values:?}");
    // Bad input: a one-line error naming the choices.
    let bad = b.get("/findings?group_by=colour");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("cannot group by `colour`: use one of severity, status"), "{}", bad.body);
    let contradiction = b.get("/findings?severity=high&severity_label=low");
    assert_eq!(contradiction.status, 400);
    assert!(contradiction.body.contains("severity_label LOW is below severity HIGH"), "{}", contradiction.body);
    let workflow = b.get("/findings?workflow=DONE");
    assert_eq!(workflow.status, 400);
    assert!(workflow.body.contains("unknown workflow status `DONE`"));
}

#[test]
fn the_vendored_chart_library_is_the_one_its_readme_names() {
    use sha2::{Digest, Sha256};
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    let readme = std::fs::read_to_string(root().join("crates/server/static/vendor/README.md")).unwrap();
    let file = std::fs::read(root().join("crates/server/static/vendor/chart.umd.min.js")).unwrap();
    let sum: String = Sha256::digest(&file).iter().map(|b| format!("{b:02x}")).collect();
    assert!(readme.contains(&format!("`{sum}`")), "README's sha256 is not the file's ({sum})");
    assert!(String::from_utf8_lossy(&file[..200]).contains("Chart.js v4.6.2"), "the README's version");
    assert!(readme.contains("| 4.6.2 |") && readme.contains("MIT"));
    let served = b.get("/static/vendor/chart.umd.min.js");
    assert_eq!(served.status, 200);
    assert!(served.header("content-type").unwrap().starts_with("text/javascript"));
    assert_eq!(served.body.len(), file.len(), "served unchanged");
    let js = b.get("/static/console.js");
    assert_eq!(js.status, 200);
    assert!(js.body.contains("canvas.chart[data-source]"));
    // Signed out: sent to sign in, no script.
    let anonymous = s.client.get("/static/console.js", &[]);
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.header("location").unwrap().starts_with("/login"));
}

pub fn sign_in(b: &Session, base: &str, name: &str) {
    b.post("url", json!({ "url": format!("{base}/login") }));
    wait_for(b, "return !!document.getElementById('name');");
    type_into(b, "#name", name);
    type_into(b, "#password", PASSWORD);
    click(b, "#signin");
    wait_for(b, "return location.pathname !== '/login';");
}

/// The (value, count, link) rows of the table `css` as the browser shows them.
pub fn shown_rows(b: &Session, css: &str) -> Vec<(String, u64, String)> {
    let v = b.run(&format!(
        "return Array.prototype.map.call(document.querySelectorAll('{css} tbody tr'), function (tr) {{ \
           var n = tr.querySelector('td.num'); var a = n.querySelector('a'); \
           return [tr.getAttribute('data-value'), n.textContent.trim(), a ? a.getAttribute('href') : '']; }});"
    ));
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().parse().unwrap(), r[2].as_str().unwrap().to_string()))
        .collect()
}

/// Whether Chart.js drew the canvas `#id` (its chart object holds `n` bars or points).
pub fn drawn(b: &Session, id: &str) -> Value {
    b.run(&format!(
        "var c = document.getElementById('{id}'); var ch = c && window.Chart && window.Chart.getChart(c); \
         return ch ? [c.getAttribute('data-drawn'), ch.data.datasets.length, ch.data.labels.length, c.width > 0] : null;"
    ))
}

#[test]
fn the_dashboard_and_grouped_findings_in_chromium() {
    let s = TestServer::start();
    let db = s.db.clone();
    later_run(&db, "run-demo-2", 5, false);
    let token = s.token(Role::Viewer);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    sign_in(&b, &base, "viewer");

    b.post("url", json!({ "url": format!("{base}/") }));
    wait_for(&b, "var c = document.getElementById('by-severity-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    // The library drew every chart, with as many bars as the tables have rows.
    for (chart, table, datasets) in [
        ("by-severity-chart", "#by-severity table", 1),
        ("by-account-chart", "#by-account table", 1),
        ("by-region-chart", "#by-region table", 1),
    ] {
        let rows = shown_rows(&b, table);
        assert_eq!(drawn(&b, chart), json!(["true", datasets, rows.len(), true]), "{chart}");
        for (value, count, link) in rows {
            assert_eq!(api_total(&s, &token, &link), count, "{chart} {value}");
        }
    }
    assert_eq!(drawn(&b, "history-chart"), json!(["true", 3, 2, true]), "three standards over two runs");
    no_sideways_scroll(&b, "dashboard");
    // The whole dashboard in one picture: a taller window, as wide.
    b.post("window/rect", json!({ "width": 900, "height": 3200 }));
    wait_for(&b, "return window.innerWidth === 900 && document.getElementById('by-severity-chart').getAttribute('data-drawn') === 'true';");
    no_sideways_scroll(&b, "dashboard, tall");
    std::fs::write(img.join("console-dashboard.png"), b.screenshot()).unwrap();
    b.post("window/rect", json!({ "width": 900, "height": 1100 }));

    // An account named like a script closing the chart data's element: drawn as a label.
    later_run(&db, "run-demo-3", 10, true);
    b.post("url", json!({ "url": format!("{base}/") }));
    wait_for(&b, "var c = document.getElementById('by-account-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    let labels = b.run("return window.Chart.getChart(document.getElementById('by-account-chart')).data.labels;");
    assert!(labels.as_array().unwrap().iter().any(|l| l == EVIL_ACCOUNT), "{labels}");
    assert_ne!(b.run("return document.title;"), json!("owned"));
    assert_eq!(drawn(&b, "history-chart"), json!(["true", 3, 3, true]));

    // Group the failed findings by severity through the form; open a group.
    b.post("url", json!({ "url": format!("{base}/findings") }));
    wait_for(&b, "return !!document.getElementById('group-by');");
    click(&b, "select[name=status] option[value=FAILED]");
    click(&b, "#group-by option[value=severity]");
    click(&b, "#apply");
    wait_for(&b, "var c = document.getElementById('groups-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    let groups = shown_rows(&b, "#groups");
    assert!(groups.len() > 1, "{groups:?}");
    assert_eq!(drawn(&b, "groups-chart"), json!(["true", 1, groups.len(), true]));
    no_sideways_scroll(&b, "grouped findings");
    std::fs::write(img.join("console-findings-grouped.png"), b.screenshot()).unwrap();
    let (value, count, _) = groups[1].clone();
    click(&b, &format!("#groups tr[data-value='{value}'] td.num a"));
    wait_for(&b, "return location.search.indexOf('severity_label=') >= 0 && !!document.getElementById('count');");
    let listed = b.run("return document.getElementById('count').textContent;");
    assert!(
        listed.as_str().unwrap().contains(&format!(" of {count} matching"))
            || listed.as_str().unwrap().starts_with(&format!("{count} shown")),
        "{value}: {listed}"
    );
    let rows = b.run("return Array.prototype.map.call(document.querySelectorAll('tr.f td.sev'), function (e) { return e.textContent; });");
    assert!(rows.as_array().unwrap().iter().all(|v| v == value.as_str()), "{rows}");
    assert_eq!(rows.as_array().unwrap().len() as u64, count.min(100));
}

#[test]
fn a_store_without_runs_has_a_dashboard_and_insights_that_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    rampart_hub::Store::open(&db).unwrap();
    let accounts = rampart_server::open_accounts(&db).unwrap();
    rampart_server::add_user(accounts.as_ref(), "viewer", Role::Viewer, PASSWORD).unwrap();
    let opts = rampart_server::Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: None };
    let running = rampart_server::start(&opts, std::sync::Arc::clone(&accounts)).unwrap();
    let client = crate::http::Client { addr: running.addr, tls: None };
    let s = TestServer { client, dir, planted: String::new(), accounts, running: Some(running), db, pg: None };
    let b = s.login("viewer", PASSWORD).unwrap();
    let page = b.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No run recorded yet"), "{}", page.body);
    assert!(page.body.contains("No active failed finding."));
    assert!(!page.body.contains("history-chart"));
    let grouped = b.get("/findings?group_by=severity");
    assert_eq!(grouped.status, 200);
    assert!(grouped.body.contains("No finding matches."));
    let insight = b.get("/insights/managed%2F29");
    assert_eq!(insight.status, 200);
    assert!(insight.body.contains("No finding matches this insight."));
}

/// A run that could not read part of the estate is never shown as clean: the dashboard
/// says so above its counts, the runs page lists what was missed, and the API answers it.
#[test]
fn an_incomplete_latest_run_is_said_above_the_counts() {
    let s = TestServer::start();
    let db = s.db.clone();
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at + time::Duration::minutes(9));
    scan.run.id = "run-partial".into();
    scan.run.incomplete = vec!["s3:GetBucketPolicy access denied (3 calls)".into(), "account 222222222222: role not assumable".into()];
    scan.record(&mut crate::common::open_store(&db)).unwrap();

    let token = s.token(Role::Viewer);
    let runs = s.client.get("/api/v1/runs", &[("Authorization", &bearer(&token))]).json();
    assert_eq!(runs[0]["id"], "run-partial");
    assert_eq!(runs[0]["incomplete"], json!(["s3:GetBucketPolicy access denied (3 calls)", "account 222222222222: role not assumable"]));
    let b = s.login("viewer", PASSWORD).unwrap();
    let page = b.get("/").body;
    assert!(page.contains("id=\"incomplete\""), "no incompleteness notice on the dashboard");
    assert!(page.contains("2 part(s) of the estate were not read") && page.contains("role not assumable"), "{page}");
    assert!(b.get("/runs").body.contains("incomplete: 2 part(s) not read"));

    // A complete latest run has no notice.
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at + time::Duration::minutes(12));
    scan.run.id = "run-whole".into();
    scan.run.incomplete.clear();
    scan.record(&mut crate::common::open_store(&db)).unwrap();
    assert!(!b.get("/").body.contains("id=\"incomplete\""));
}
