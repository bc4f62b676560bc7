//! The console in real headless Chromium over WebDriver, as a person uses it: sign in,
//! filter the findings, open one, change its workflow status with a note, see it in the
//! history. Saves the README's screenshots (`docs/img/console-*.png`). Reuses the report's
//! WebDriver client (crates/report/tests/webdriver). Needs Debian's `chromium` and
//! `chromium-driver`: without them it fails saying how to install them.

#[path = "../../../report/tests/webdriver/mod.rs"]
pub(crate) mod webdriver;

use crate::common::{enc, root, Backend, TestServer, PASSWORD};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};
use webdriver::{Driver, Session};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "install them: apt-get install -y chromium chromium-driver";

pub(crate) fn browser(profile: &Path) -> (Driver, Session) {
    for bin in [CHROMIUM, CHROMEDRIVER] {
        assert!(Path::new(bin).exists(), "{bin} is missing: {INSTALL}");
    }
    let driver = Driver::start(CHROMEDRIVER).unwrap_or_else(|e| panic!("{e}: {INSTALL}"));
    let session = driver
        .session(json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        format!("--user-data-dir={}", profile.display()),
                        "--window-size=900,1100",
                    ]
                }
            }}
        }))
        .unwrap_or_else(|e| panic!("chromium did not start under chromedriver ({e}): {INSTALL}"));
    (driver, session)
}

pub(crate) fn wait_for(s: &Session, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.run(script) != Value::Bool(true) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {script}; page: {}",
            s.run("return location.href + ' ' + document.body.innerText.slice(0, 400);")
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn type_into(s: &Session, css: &str, text: &str) {
    let e = s.find(css);
    s.post(&format!("element/{e}/value"), json!({ "text": text }));
}

pub(crate) fn click(s: &Session, css: &str) {
    let e = s.find(css);
    s.click(&e);
}

pub(crate) fn no_sideways_scroll(s: &Session, when: &str) {
    let v = s.run("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
    assert!(v[0].as_i64() <= v[1].as_i64(), "{when}: the page scrolls sideways at 900 px ({v})");
}

#[test]
fn sign_in_filter_open_and_resolve_a_finding_in_chromium() {
    sign_in_filter_open_and_resolve_a_finding_in_chromium_on(Backend::Sqlite);
}

/// The walk over a server on `backend`. On SQLite it saves the README's screenshots; on
/// PostgreSQL one, of the resolved finding (`docs/img/console-postgres.png`).
pub(crate) fn sign_in_filter_open_and_resolve_a_finding_in_chromium_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    let shot = |name: &str| {
        let file = match backend {
            Backend::Sqlite => name,
            Backend::Postgres if name == "console-finding.png" => "console-postgres.png",
            Backend::Postgres => return,
        };
        std::fs::write(img.join(file), b.screenshot()).unwrap();
    };

    // A stranger is sent to the sign-in page, and back where they were going after it.
    b.post("url", json!({ "url": format!("{base}/findings") }));
    wait_for(&b, "return location.pathname === '/login' && !!document.getElementById('name');");
    shot("console-login.png");
    type_into(&b, "#name", "analyst");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/findings' && document.querySelectorAll('tr.f').length > 0;");
    assert_eq!(b.run("return window.innerWidth;"), json!(900));
    no_sideways_scroll(&b, "findings");
    shot("console-findings.png");

    // Filter: FAILED, high or worse.
    click(&b, "select[name=status] option[value=FAILED]");
    click(&b, "select[name=severity] option[value=high]");
    click(&b, "#apply");
    wait_for(&b, "return location.search.indexOf('status=FAILED') >= 0 && document.querySelectorAll('tr.f').length > 0;");
    let statuses = b
        .run("return Array.prototype.map.call(document.querySelectorAll('tr.f td.status'), function (e) { return e.textContent; });");
    assert!(statuses.as_array().unwrap().iter().all(|v| v == "FAILED"), "{statuses}");
    let severities = b
        .run("return Array.prototype.map.call(document.querySelectorAll('tr.f td.sev'), function (e) { return e.textContent; });");
    assert!(severities.as_array().unwrap().iter().all(|v| v == "HIGH" || v == "CRITICAL"), "{severities}");

    // Open the first; resolve it with a note.
    let title = b.run("return document.querySelector('tr.f td.title a').textContent;");
    click(&b, "tr.f td.title a");
    wait_for(&b, "return !!document.getElementById('workflow-form');");
    assert_eq!(b.run("return document.getElementById('title').textContent;"), title);
    no_sideways_scroll(&b, "a finding");
    click(&b, "#wf-status option[value=RESOLVED]");
    type_into(&b, "#wf-note", "Fixed in change 4711 (browser test)");
    click(&b, "#wf-save");
    wait_for(&b, "var t = document.querySelector('table.history'); return !!t && t.textContent.indexOf('Fixed in change 4711') >= 0;");
    assert_eq!(b.run("return document.getElementById('workflow').textContent;"), json!("RESOLVED"));
    let row = b.run("return document.querySelector('table.history tbody tr:last-child').textContent;");
    let row = row.as_str().unwrap();
    assert!(row.contains("NEW → RESOLVED") && row.contains("analyst"), "{row}");
    b.run("document.getElementById('history').scrollIntoView(); return true;");
    shot("console-finding.png");

    // The planted `<script>` title is text: it did not run.
    b.post("url", json!({ "url": format!("{base}/findings/{}", enc(&s.planted)) }));
    wait_for(&b, "return !!document.getElementById('title');");
    assert!(b.run("return document.getElementById('title').textContent;").as_str().unwrap().starts_with("<script>"));
    assert_ne!(b.run("return document.title;"), json!("owned"));

    // Compliance and runs.
    b.post("url", json!({ "url": format!("{base}/compliance") }));
    wait_for(&b, "return document.querySelectorAll('a.standard').length === 3;");
    no_sideways_scroll(&b, "compliance");
    shot("console-compliance.png");
    b.post("url", json!({ "url": format!("{base}/runs") }));
    wait_for(&b, "return document.body.textContent.indexOf('run-demo') >= 0;");
    no_sideways_scroll(&b, "runs");
}
