//! The HTML report of the demo estate in headless Chromium, driven over WebDriver
//! (chromedriver): no horizontal scrolling at 900 px, no identifier broken inside a word,
//! a table of contents whose links land, and filters that hide rows. It saves the
//! screenshots the README shows: `docs/img/report-900.png` and `docs/img/report-wide.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them it fails and says how to
//! install them (it never skips). The WebDriver client is a few lines of HTTP/1.1 over a
//! loopback `TcpStream`: chromedriver listens on 127.0.0.1 and the page is a `file://` URL
//! whose Content-Security-Policy forbids every fetch.

mod webdriver;

use rampart_model::{Finding, RunInfo};
use rampart_report::{render, Format, Report};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use webdriver::{Driver, Session};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "install it: apt-get install -y chromium chromium-driver";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let p = std::env::temp_dir().join(format!("rampart-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Renders the demo estate's HTML report as `rampart demo --format html` does: every check,
/// compliance with every standard. Time comes from the snapshot, so the bytes are stable.
fn demo_report(path: &Path) {
    let bytes = std::fs::read(root().join("testdata/demo/estate.json")).unwrap();
    let inv = rampart_inventory::Inventory::from_json(&bytes).unwrap();
    let now = inv.collected_at;
    let outcome = rampart_checks::run(&inv, now, &[]);
    let findings: Vec<Finding> = rampart_checks::findings(outcome.results, now);
    let gaps: Vec<_> = inv.gaps().cloned().collect();
    let coverage = rampart_compliance::Coverage::from_requirements(
        rampart_checks::REGISTRY
            .iter()
            .flat_map(|c| c.meta.related_requirements()),
    );
    let compliance: Vec<_> = rampart_compliance::STANDARDS
        .iter()
        .map(|s| rampart_compliance::evaluate_with_coverage(s, &findings, &coverage))
        .collect();
    let mut regions: Vec<String> = inv.regions().map(|(_, r)| r.name.clone()).collect();
    regions.sort();
    regions.dedup();
    let run = RunInfo {
        id: "run-demo".into(),
        started_at: now,
        finished_at: now,
        source: "demo".into(),
        accounts: inv.accounts.iter().map(|a| a.id.clone()).collect(),
        regions,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        checks: rampart_checks::REGISTRY
            .iter()
            .map(|c| c.meta.id.to_string())
            .collect(),
        incomplete: Vec::new(),
    };
    let report = Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    };
    let mut out = Vec::new();
    render(Format::Html, &report, &mut out).unwrap();
    std::fs::write(path, out).unwrap();
}

fn browser(profile: &Path) -> (Driver, Session) {
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
                        "--window-size=900,2000",
                    ]
                }
            }}
        }))
        .unwrap_or_else(|e| panic!("chromium did not start under chromedriver ({e}): {INSTALL}"));
    (driver, session)
}

/// Waits until `script` returns true (the grid debounces typing by 150 ms).
fn wait_for(s: &Session, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.run(script) != Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {script}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Words of identifiers (text between two `<wbr>`s or spaces inside `code`) that the browser
/// laid out on more than one line although they would fit on one line of their box: a break
/// inside a word that could have been avoided. A word wider than its box has to break.
const BROKEN_WORDS: &str = r#"
var broken = [];
var codes = document.querySelectorAll("code");
for (var i = 0; i < codes.length; i++) {
  if (!codes[i].offsetParent) { continue; }
  var box = codes[i].parentElement.closest("td, li, dd, p, div") || codes[i].parentElement;
  var cs = getComputedStyle(box);
  var avail = box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  var nodes = codes[i].childNodes;
  for (var j = 0; j < nodes.length; j++) {
    if (nodes[j].nodeType !== 3) { continue; }
    var re = /\S+/g, m;
    while ((m = re.exec(nodes[j].data))) {
      var r = document.createRange();
      r.setStart(nodes[j], m.index); r.setEnd(nodes[j], m.index + m[0].length);
      var rects = r.getClientRects(), tops = {}, lines = 0, width = 0;
      for (var k = 0; k < rects.length; k++) {
        width += rects[k].width;
        var t = Math.round(rects[k].top);
        if (!tops[t]) { tops[t] = 1; lines++; }
      }
      if (lines > 1 && width <= avail) { broken.push(m[0] + " (" + Math.round(width) + " of " + Math.round(avail) + " px)"); }
    }
  }
}
return broken;
"#;

const OVERFLOW: &str = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];";

fn assert_no_overflow(s: &Session, when: &str, window: i64) {
    let v = s.run(OVERFLOW);
    let (scroll, client) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
    assert!(
        scroll <= client && client <= window,
        "{when}: horizontal scrolling (scrollWidth {scroll} > clientWidth {client}; innerWidth {})",
        v[2]
    );
    let broken = s.run(BROKEN_WORDS);
    assert_eq!(
        broken,
        json!([]),
        "{when}: identifiers broken inside a word"
    );
}

fn visible_rows(s: &Session, selector: &str) -> Vec<Value> {
    let v = s.run(&format!(
        "return Array.prototype.filter.call(document.querySelectorAll({selector:?}), function (e) {{ return e.offsetParent !== null; }}).map(function (e) {{ return e.getAttribute('data-status') || e.textContent; }});"
    ));
    v.as_array().cloned().unwrap_or_default()
}

#[test]
fn demo_report_in_headless_chromium() {
    let dir = TempDir::new("browser");
    let page = dir.0.join("report.html");
    demo_report(&page);
    let profile = dir.0.join("profile");
    let (_driver, s) = browser(&profile);
    s.post("url", json!({"url": format!("file://{}", page.display())}));
    wait_for(
        &s,
        "return document.querySelectorAll('#rows tr.f').length > 0;",
    );

    // 900 px: nothing scrolls sideways, no identifier breaks mid-word.
    assert_eq!(
        s.run("return window.innerWidth;"),
        json!(900),
        "the window is 900 px wide"
    );
    assert_no_overflow(&s, "900 px", 900);

    // The table of contents: every link has its target, and following one scrolls there.
    let links = s.run(
        "return Array.prototype.map.call(document.querySelectorAll('nav.toc a'), function (a) { return [a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))]; });",
    );
    let links = links.as_array().unwrap();
    assert!(links.len() >= 6, "{links:?}");
    for l in links {
        assert_eq!(l[1], json!(true), "TOC link {} has no target", l[0]);
    }
    for want in ["#findings", "#compliance-fsbp", "#compliance-cis-aws-3.0"] {
        assert!(links.iter().any(|l| l[0] == want), "no TOC link to {want}");
    }
    let link = s.find("nav.toc a[href='#compliance-fsbp']");
    s.click(&link);
    wait_for(&s, "var t = document.getElementById('compliance-fsbp').getBoundingClientRect().top; return Math.abs(t) < 5;");

    // The findings grid: the FAILED card keeps only FAILED rows.
    let count = "return document.getElementById('count').textContent;";
    let before = s.run(count);
    let card = s.find(".card[data-status='1']");
    s.click(&card);
    wait_for(
        &s,
        "return document.getElementById('status').value === '1';",
    );
    let failed = visible_rows(&s, "#rows tr.f td:nth-child(2)");
    assert!(
        !failed.is_empty() && failed.iter().all(|t| t == "FAILED"),
        "{failed:?}"
    );
    let after = s.run(count);
    let shown = |v: &Value| -> (u64, u64) {
        let t = v.as_str().unwrap_or_default().replace(',', "");
        let n: Vec<u64> = t.split(' ').filter_map(|w| w.parse().ok()).collect();
        (n[0], n[1])
    };
    let (b, total) = shown(&before);
    let (a, _) = shown(&after);
    assert!(b == total && a < b && a > 0, "{before} -> {after}");
    // Opening a finding's details keeps the page within 900 px.
    let row = s.find("#rows tr.f");
    s.click(&row);
    wait_for(&s, "return !!document.querySelector('#rows tr.d');");
    assert_no_overflow(&s, "900 px, a finding opened", 900);

    // A compliance section: the FAILED count hides every other control, the text filter
    // narrows further, and clearing brings all back.
    let total = visible_rows(&s, "#compliance-fsbp tr.c").len();
    let card = s.find("#compliance-fsbp .card[data-cstatus='FAILED']");
    s.click(&card);
    let shown = visible_rows(&s, "#compliance-fsbp tr.c");
    assert!(
        !shown.is_empty() && shown.len() < total,
        "{} of {total}",
        shown.len()
    );
    assert!(shown.iter().all(|st| st == "FAILED"), "{shown:?}");
    let q = s.find("#compliance-fsbp .cq");
    s.post(&format!("element/{q}/value"), json!({"text": "S3."}));
    let s3 = s.run("return Array.prototype.filter.call(document.querySelectorAll('#compliance-fsbp tr.c'), function (e) { return !e.hidden; }).map(function (e) { return e.cells[1].textContent; });");
    let s3 = s3.as_array().unwrap();
    assert!(!s3.is_empty() && s3.len() < shown.len(), "{s3:?}");
    assert!(
        s3.iter().all(|id| id.as_str().unwrap().starts_with("S3.")),
        "{s3:?}"
    );
    s.click(&card);
    let q = s.find("#compliance-fsbp .cq");
    s.post(&format!("element/{q}/clear"), json!({}));
    s.run("var e = document.querySelector('#compliance-fsbp .cq'); e.dispatchEvent(new Event('input')); return true;");
    assert_eq!(visible_rows(&s, "#compliance-fsbp tr.c").len(), total);

    // The screenshots of the README: the top of the report at 900 px, and a compliance
    // section in a wide window.
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    s.run("window.scrollTo(0, 0); return true;");
    std::fs::write(img.join("report-900.png"), s.screenshot()).unwrap();

    s.post("window/rect", json!({"width": 1400, "height": 2000}));
    wait_for(&s, "return window.innerWidth >= 1300;");
    assert_no_overflow(&s, "1400 px", 1400);
    s.run("document.getElementById('compliance-fsbp').scrollIntoView(); return true;");
    std::fs::write(img.join("report-wide.png"), s.screenshot()).unwrap();
}
