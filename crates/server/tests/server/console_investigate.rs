//! The investigation pages (issue 13): the entity list, an entity's profile (the app
//! layer's, laid out), the scope selector, links from findings (a detection opens its
//! principal's profile over the detection's time), attacker-chosen ids and user agents shown
//! as text; in Chromium, a person's walk from a detection to its principal and on.
//!
//! The graph is filled as `rampart investigate ingest cloudtrail` fills it: the Stratus Red
//! Team records of `testdata/cloudtrail/stratus-red-team` (the same files
//! `crates/cli/tests/investigate_graph.rs` reads) read through `rampart_app::investigate::ingest`
//! into the server's store, detections recorded as findings.

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, enc, root, TestServer, PASSWORD};
use crate::http::Response;
use rampart_server::Role;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The principal of most Stratus records.
pub const CHRISTOPHE: &str = "arn:aws:iam::143434273843:user/christophe";
/// A user agent that would run if written raw into a page.
pub const EVIL_AGENT: &str = "<script>document.title='owned'</script>evil-agent";
/// A principal whose name would end an attribute and add a handler if written raw.
pub const EVIL_USER: &str = "arn:aws:iam::143434273843:user/\"><img src=x onerror=document.title='owned'>";

pub fn stratus() -> PathBuf {
    root().join("testdata/cloudtrail/stratus-red-team")
}

/// A CloudTrail log file of two records by [`EVIL_USER`] with [`EVIL_AGENT`], from an
/// address that no Stratus record uses.
fn evil_file(dir: &Path) -> PathBuf {
    let record = |id: &str, source: &str, name: &str, time: &str| {
        json!({
            "eventVersion": "1.10", "eventID": id, "eventTime": time, "eventName": name,
            "eventSource": source, "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.66", "userAgent": EVIL_AGENT,
            "recipientAccountId": "143434273843", "eventType": "AwsApiCall", "readOnly": source == "iam.amazonaws.com",
            "userIdentity": { "type": "IAMUser", "accountId": "143434273843", "arn": EVIL_USER,
                              "principalId": "AIDAEVIL0000000000001", "userName": "\"><img src=x onerror=document.title='owned'>",
                              "accessKeyId": "AKIAEVIL000000000001" },
            "requestParameters": { "name": "main-trail" }, "responseElements": null
        })
    };
    let file = dir.join("evil.json");
    // Two reads, then the trail stopped and deleted: two detections of one principal, minutes
    // apart (a finding group).
    let records = json!({ "Records": [
        record("0e7b5a3c-0000-4000-8000-000000000001", "iam.amazonaws.com", "ListUsers", "2024-07-31T13:00:00Z"),
        record("0e7b5a3c-0000-4000-8000-000000000002", "iam.amazonaws.com", "GetUser", "2024-07-31T13:05:00Z"),
        record("0e7b5a3c-0000-4000-8000-000000000003", "cloudtrail.amazonaws.com", "StopLogging", "2024-07-31T13:10:00Z"),
        record("0e7b5a3c-0000-4000-8000-000000000004", "cloudtrail.amazonaws.com", "DeleteTrail", "2024-07-31T13:12:00Z"),
    ]});
    std::fs::write(&file, records.to_string()).unwrap();
    file
}

/// Reads the Stratus files and the planted file into the store `db` as
/// `rampart investigate ingest cloudtrail` does, with or without the detections.
pub fn seed_graph(db: &Path, detections: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = rampart_app::investigate::IngestOptions::new(rampart_app::investigate::Source::CloudTrail, vec![stratus(), evil_file(dir.path())]);
    opts.detections = detections;
    // The records are from 2024: kept whatever today's date.
    opts.retention_days = 36_500;
    let mut store = crate::common::open_store(db);
    let said = rampart_app::Collected::default();
    let report = rampart_app::investigate::ingest(&mut store, &opts, rampart_app::now().unix_timestamp(), &said).unwrap();
    assert!(report.files_read >= 30 && report.malformed == 0 && report.file_errors.is_empty(), "{report:?}");
    if detections {
        assert!(report.detections.as_ref().is_some_and(|d| d.recorded > 0), "{report:?}");
    }
}

fn entity_path(id: &str) -> String {
    format!("/investigate/entities/{}", enc_all(id))
}

/// Percent-encodes everything but unreserved characters (as the console's links do).
pub fn enc_all(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn ok(r: Response, what: &str) -> String {
    assert_eq!(r.status, 200, "{what}: {}", r.body.chars().take(600).collect::<String>());
    r.body
}

#[test]
fn the_entity_list_and_a_profile_show_what_the_app_layer_computes() {
    let s = TestServer::start();
    seed_graph(&s.db, false);
    let b = s.login("viewer", PASSWORD).unwrap();

    let list = ok(b.get("/investigate"), "the list");
    assert!(list.contains(&format!("href=\"{}\"", entity_path(CHRISTOPHE))), "the list links the principal's profile");
    let users = ok(b.get("/investigate?kind=iam_user&prefix=arn%3Aaws%3Aiam%3A%3A143434273843%3Auser%2Fchr"), "a search");
    assert!(users.contains(CHRISTOPHE) && !users.contains("86.245.153.234"), "the search narrows to the kind and prefix");
    let r = b.get("/investigate?kind=wizard");
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("unknown entity kind"), "{}", r.body);

    // The page is the app's profile: each API call with its counts, each address.
    let want = rampart_app::investigate::entity_profile(&s.store(), CHRISTOPHE, None, None, 45).unwrap();
    assert!(!want.api_calls.is_empty() && !want.ips.is_empty());
    let page = ok(b.get(&entity_path(CHRISTOPHE)), "the profile");
    assert!(page.contains("id=\"entity-kind\">IAM user<"), "the kind");
    for c in &want.api_calls {
        let row = format!("<td>{}</td><td>{}", c.service, c.action);
        assert!(page.contains(&row), "the call {}:{} is listed", c.service, c.action);
        let at = page.find(&row).unwrap();
        let cells = &page[at..at + page[at..].find("</tr>").unwrap()];
        assert!(cells.contains(&format!("<td class=\"num\">{}</td><td class=\"num\">{}</td>", c.success, c.failure)), "{cells}");
    }
    for ip in &want.ips {
        assert!(page.contains(&format!("{}?from=", entity_path(&ip.value))), "the address {} links its profile", ip.value);
    }
    assert!(page.contains(&format!("id=\"scope\">{} – {}<", want.scope_from, want.scope_to)), "the default scope is the app's");
    // The chart's numbers are the profile's hours.
    let data = page.split("id=\"activity-chart-data\">").nth(1).unwrap().split("</script>").next().unwrap();
    let spec: Value = serde_json::from_str(data).unwrap();
    let charted: u64 = spec["datasets"].as_array().unwrap().iter().flat_map(|d| d["data"].as_array().unwrap()).map(|v| v.as_u64().unwrap()).sum();
    let hours: u64 = want.activity.iter().map(|h| h.success + h.failure).sum();
    assert_eq!(charted, hours);
    assert!(hours > 0);
}

#[test]
fn the_scope_selector_changes_the_window_and_refuses_nonsense() {
    let s = TestServer::start();
    seed_graph(&s.db, false);
    let b = s.login("viewer", PASSWORD).unwrap();
    let year = ok(b.get(&format!("{}?span=365d", entity_path(CHRISTOPHE))), "a year");
    let want = rampart_app::investigate::entity_profile(&s.store(), CHRISTOPHE, None, None, 45).unwrap();
    let to = time::OffsetDateTime::parse(&want.scope_to, &time::format_description::well_known::Rfc3339).unwrap().unix_timestamp();
    let year_want = rampart_app::investigate::entity_profile(&s.store(), CHRISTOPHE, Some(to - 365 * 86_400), Some(to), 45).unwrap();
    assert!(year.contains(&format!("id=\"scope\">{} – {}<", year_want.scope_from, year_want.scope_to)));
    assert!(year.contains("Activity per day"), "a year is charted per day");
    assert!(year_want.api_calls.len() >= want.api_calls.len());
    let calls = |html: &str| html.matches("<tr class=\"call\"").count();
    assert_eq!(calls(&year), year_want.api_calls.len());

    // From and to as a datetime-local input sends them (UTC).
    let one = ok(b.get(&format!("{}?from=2024-07-31T13:00&to=2024-07-31T14:00", entity_path(CHRISTOPHE))), "an hour");
    assert!(one.contains("id=\"scope\">2024-07-31T13:00:00Z – 2024-07-31T14:00:00Z<"), "{}", one.split("id=\"scope\"").nth(1).unwrap_or("").chars().take(80).collect::<String>());
    assert!(one.contains("Activity per hour"));

    for (q, says) in [
        ("span=fortnight", "is not one of"),
        ("from=yesterday", "is not a time"),
        ("from=2024-08-01&to=2024-07-01", "starts at or after its end"),
        ("baseline_days=-3", "between 0 and 3650"),
    ] {
        let r = b.get(&format!("{}?{q}", entity_path(CHRISTOPHE)));
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        assert!(r.body.contains(says), "{q}: {}", r.body);
    }
    let r = b.get(&entity_path("arn:aws:iam::000000000000:user/nobody"));
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("no entity") && r.body.contains("ingest"), "{}", r.body);
}

#[test]
fn attacker_chosen_ids_and_user_agents_are_shown_as_text() {
    let s = TestServer::start();
    seed_graph(&s.db, false);
    let b = s.login("viewer", PASSWORD).unwrap();
    for page in [
        ok(b.get(&format!("{}?span=365d", entity_path(EVIL_USER))), "the planted principal"),
        ok(b.get(&format!("{}?span=365d", entity_path(EVIL_AGENT))), "the planted user agent"),
        ok(b.get("/investigate?prefix=%3C"), "the list"),
        ok(b.get("/investigate?prefix=arn%3Aaws%3Aiam%3A%3A143434273843%3Auser%2F%22"), "the list"),
    ] {
        assert!(!page.contains("<script>document.title"), "a user agent is escaped");
        assert!(!page.contains("<img src=x"), "an id is escaped");
        assert!(page.contains("&lt;script&gt;") || page.contains("&lt;img src=x"), "the text is there, escaped");
    }
    let agent = ok(b.get(&format!("{}?span=365d", entity_path(EVIL_USER))), "the planted principal");
    assert!(agent.contains(&format!("{}?from=", entity_path(EVIL_AGENT))), "its user agent links its own profile, percent-encoded");
}

#[test]
fn a_detection_links_to_its_principals_profile_over_its_time() {
    let s = TestServer::start();
    seed_graph(&s.db, true);
    let token = s.token(Role::Viewer);
    let got = s.client.get(&format!("/api/v1/findings?resource={}", enc_all(CHRISTOPHE)), &[("Authorization", &bearer(&token))]).json();
    let detections: Vec<&Value> =
        got["findings"].as_array().unwrap().iter().filter(|f| f["check_id"].as_str().unwrap().starts_with("threat_")).collect();
    assert!(!detections.is_empty(), "{got}");
    let b = s.login("viewer", PASSWORD).unwrap();
    for f in detections {
        let page = ok(b.get(&format!("/findings/{}", enc(f["id"].as_str().unwrap()))), "a detection");
        let link = page.split("id=\"profile-principal\" href=\"").nth(1).expect("a link to the principal's profile").split('"').next().unwrap();
        let inv = page.split("id=\"investigate-principal\" href=\"").nth(1).expect("a link to the principal's investigation").split('"').next().unwrap();
        assert!(inv.starts_with(&format!("/investigate/principals/{}?from=", enc_all(CHRISTOPHE))), "{inv}");
        let link = link.replace("&amp;", "&");
        assert!(link.starts_with(&format!("{}?from=", entity_path(CHRISTOPHE))), "{link}");
        // The window holds the detection's records.
        let profile = ok(b.get(&link), "the principal over the detection's time");
        let last = f["last_observed"].as_str().unwrap();
        let scope = profile.split("id=\"scope\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let (from, to) = scope.split_once(" – ").unwrap();
        assert!(from <= f["first_observed"].as_str().unwrap() && last < to, "{scope} holds {last}");
    }
    // A finding that names nothing of the graph has no such section.
    let plain = ok(b.get(&format!("/findings/{}", enc(&s.planted))), "a check's finding");
    assert!(!plain.contains("id=\"investigate\""));
}

/// The walk a responder makes: a detection in the findings list, its principal's profile,
/// a wider scope, one of its addresses; the planted user agent is inert.
#[test]
fn from_a_detection_to_its_principal_and_on_in_chromium() {
    let s = TestServer::start();
    seed_graph(&s.db, true);
    let token = s.token(Role::Viewer);
    let got = s.client.get(&format!("/api/v1/findings?resource={}", enc_all(CHRISTOPHE)), &[("Authorization", &bearer(&token))]).json();
    let check = got["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check_id"].as_str().unwrap().to_string())
        .find(|c| c.starts_with("threat_"))
        .expect("a detection about the principal");
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = root().join("docs/img");
    let shot = |name: &str| std::fs::write(img.join(name), b.screenshot()).unwrap();

    b.post("url", json!({ "url": format!("{base}/findings") }));
    wait_for(&b, "return !!document.getElementById('name');");
    type_into(&b, "#name", "analyst");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/findings' && document.querySelectorAll('tr.f').length > 0;");
    type_into(&b, "input[name=check]", &check);
    click(&b, "#apply");
    wait_for(&b, "return location.search.indexOf('check=threat_') >= 0 && document.querySelectorAll('tr.f').length > 0;");
    click(&b, "tr.f td.title a");
    wait_for(&b, "return !!document.getElementById('investigate-principal');");
    no_sideways_scroll(&b, "a detection");
    click(&b, "#profile-principal");
    wait_for(&b, "var c = document.getElementById('activity-chart'); return !!c && c.getAttribute('data-drawn') === 'true';");
    assert_eq!(b.run("return document.getElementById('entity-id').textContent;"), json!(CHRISTOPHE));
    no_sideways_scroll(&b, "a profile");
    shot("console-entity.png");

    // A wider scope: the last 90 days.
    let before = b.run("return document.getElementById('scope').textContent;");
    click(&b, "a.span[data-span='90d']");
    wait_for(&b, "return location.search.indexOf('span=90d') >= 0 && !!document.getElementById('scope');");
    let after = b.run("return document.getElementById('scope').textContent;");
    assert_ne!(before, after);
    assert!(b.run("return document.querySelector('#activity').textContent;").as_str().unwrap().contains("per day"));
    // Then an exact window through the form's fields.
    b.run("document.getElementById('scope-from').value = '2024-07-31T00:00'; document.getElementById('scope-to').value = '2024-08-01T00:00'; return true;");
    click(&b, "#scope-apply");
    wait_for(&b, "return location.search.indexOf('from=2024-07-31T00') >= 0;");
    assert_eq!(b.run("return document.getElementById('scope').textContent;"), json!("2024-07-31T00:00:00Z – 2024-08-01T00:00:00Z"));

    // On to one of its addresses.
    click(&b, "#ips-table tbody tr a");
    wait_for(&b, "return !!document.getElementById('entity-kind') && document.getElementById('entity-kind').textContent === 'IP address';");

    // The planted user agent is text, and did not run.
    b.post("url", json!({ "url": format!("{base}{}?span=365d", entity_path(EVIL_USER)) }));
    wait_for(&b, "return !!document.getElementById('agents-table');");
    let agent = b.run("return document.querySelector('#agents-table tbody tr td code').textContent;");
    assert_eq!(agent, json!(EVIL_AGENT));
    assert_eq!(b.run("return document.getElementById('entity-id').textContent;"), json!(EVIL_USER));
    assert_ne!(b.run("return document.title;"), json!("owned"));
    assert_eq!(b.run("return document.images.length;"), json!(0), "no image was made of the planted name");
}

/// The planted principal's finding group: the id of the group that holds its detections.
fn evil_group(db: &Path) -> rampart_app::investigate::FindingGroup {
    let store = crate::common::open_store(db);
    let settings = rampart_app::investigate::Settings::default();
    let list = rampart_app::investigate::groups(&store, &settings).unwrap();
    let id = list
        .groups
        .iter()
        .find(|g| g.shared_entities.iter().any(|e| e == EVIL_USER))
        .unwrap_or_else(|| panic!("the planted principal's two detections make a group: {:#?}", list.groups))
        .id
        .clone();
    rampart_app::investigate::group(&store, &id, &settings).unwrap()
}

#[test]
fn finding_groups_are_listed_and_a_groups_page_is_the_app_layers_group() {
    let s = TestServer::start();
    seed_graph(&s.db, true);
    let g = evil_group(&s.db);
    assert!(g.findings.len() >= 2);
    let b = s.login("viewer", PASSWORD).unwrap();
    let list = ok(b.get("/investigate/groups"), "the groups");
    assert!(list.contains(&format!("href=\"/investigate/groups/{}\"", enc_all(&g.id))), "the list links the group");
    assert!(!list.contains("<img src=x"), "titles naming the planted principal are escaped");

    let page = ok(b.get(&format!("/investigate/groups/{}", enc_all(&g.id))), "the group");
    assert!(!page.contains("<img src=x") && !page.contains("<script>document.title"));
    // The graph's data: a node per finding and per entity, an edge per naming.
    let data = page.split("id=\"group-graph-data\">").nth(1).unwrap().split("</script>").next().unwrap();
    assert!(!data.contains('<'), "the graph's data cannot end its script element");
    let spec: Value = serde_json::from_str(data).unwrap();
    let nodes = spec["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), g.findings.len() + g.entities.len());
    let named: usize = g.findings.iter().map(|f| f.entities.len()).sum();
    assert_eq!(spec["edges"].as_array().unwrap().len(), named);
    assert!(nodes.iter().any(|n| n["link"] == json!(entity_path(EVIL_USER))), "the principal's node opens its profile");
    // Each finding is in the findings table and the timeline, linked.
    for f in &g.findings {
        assert!(page.matches(&format!("href=\"/findings/{}\"", enc_all(&f.id))).count() >= 2, "{} in the table and the timeline", f.id);
    }
    assert_eq!(page.matches("<td class=\"when\">").count() >= g.timeline.len(), true);
    assert!(page.contains(&format!("href=\"/investigate/principals/{}\"", enc_all(EVIL_USER))), "a user among the entities can be investigated");

    let r = b.get("/investigate/groups/fg-0000000000000000");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("no finding group"), "{}", r.body);

    // A detection's page names its group.
    let f = &g.findings[0];
    let detection = ok(b.get(&format!("/findings/{}", enc(&f.id))), "a grouped detection");
    assert!(detection.contains(&format!("href=\"/investigate/groups/{}\"", enc_all(&g.id))), "the finding links its group");
}

#[test]
fn an_investigation_lists_every_indicator_with_its_evidence() {
    let s = TestServer::start();
    seed_graph(&s.db, true);
    let b = s.login("viewer", PASSWORD).unwrap();
    let settings = rampart_app::investigate::Settings::default();
    let want = rampart_app::investigate::run(&s.store(), EVIL_USER, None, None, 45, &settings).unwrap();
    let page = ok(b.get(&format!("/investigate/principals/{}", enc_all(EVIL_USER))), "the investigation");
    assert!(!page.contains("<img src=x") && !page.contains("<script>document.title"), "escaped");
    assert!(page.contains(&format!("id=\"scope\">{} – {}<", want.scope_from, want.scope_to)));
    assert_eq!(page.matches("<tr class=\"indicator\"").count(), want.indicators.len());
    for i in &want.indicators {
        let status = match i.status {
            rampart_app::investigate::IndicatorStatus::Observed => "observed",
            rampart_app::investigate::IndicatorStatus::NotObserved => "not_observed",
            rampart_app::investigate::IndicatorStatus::NotAvailable => "not_available",
        };
        assert!(page.contains(&format!("data-kind=\"{}\" data-status=\"{status}\"", i.kind.name())), "{} is {status}", i.kind.name());
    }
    // Techniques were observed (the trail stopped and deleted), with the detections as evidence.
    let ttp = want.indicators.iter().find(|i| i.kind.name() == "ttp_observed").unwrap();
    assert_eq!(ttp.status, rampart_app::investigate::IndicatorStatus::Observed, "{ttp:?}");
    let evidence = page.split("id=\"ioc-ttp_observed\"").nth(1).expect("the observed indicator's evidence");
    assert!(evidence.contains("href=\"/findings/"), "its evidence links the findings");
    // Without a GeoIP database, the geographic indicators say so rather than "not observed".
    for kind in ["impossible_travel", "new_geolocation", "new_asn"] {
        assert!(page.contains(&format!("data-kind=\"{kind}\" data-status=\"not_available\"")), "{kind}");
    }

    // Only IAM users and roles are investigated; bad scopes and unknown principals are refused.
    let r = b.get(&format!("/investigate/principals/{}", enc_all("198.51.100.66")));
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("is not an IAM user"), "{}", r.body);
    let r = b.get(&format!("/investigate/principals/{}?span=forever", enc_all(EVIL_USER)));
    assert_eq!(r.status, 400, "{}", r.body);
    let r = b.get(&format!("/investigate/principals/{}", enc_all("arn:aws:iam::000000000000:user/nobody")));
    assert_eq!(r.status, 404, "{}", r.body);
}

#[test]
fn the_vendored_graph_library_is_the_one_its_readme_names() {
    use sha2::{Digest, Sha256};
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    let readme = std::fs::read_to_string(root().join("crates/server/static/vendor/README.md")).unwrap();
    let file = std::fs::read(root().join("crates/server/static/vendor/cytoscape.min.js")).unwrap();
    let sum: String = Sha256::digest(&file).iter().map(|b| format!("{b:02x}")).collect();
    assert!(readme.contains(&format!("`{sum}`")), "README's sha256 is not the file's ({sum})");
    assert!(readme.contains("| 3.35.0 |") && String::from_utf8_lossy(&file).contains("\"3.35.0\""), "the README's version");
    assert!(root().join("crates/server/static/vendor/cytoscape-LICENSE").exists(), "its licence is kept beside it");
    let served = b.get("/static/vendor/cytoscape.min.js");
    assert_eq!(served.status, 200);
    assert!(served.header("content-type").unwrap().starts_with("text/javascript"));
    assert_eq!(served.body.len(), file.len(), "served unchanged");
    assert_eq!(s.client.get("/static/vendor/cytoscape.min.js", &[]).status, 303, "not to strangers");
    let js = b.get("/static/graph.js");
    assert!(js.status == 200 && js.body.contains("div.graph[data-source]"));
}

/// A responder's walk from a detection to its group's graph and its principal's
/// investigation: the library draws the graph (no inline style added, which the CSP would
/// refuse), a node opens what it stands for.
#[test]
fn from_a_detection_to_its_group_graph_and_investigation_in_chromium() {
    let s = TestServer::start();
    seed_graph(&s.db, true);
    let g = evil_group(&s.db);
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = root().join("docs/img");
    let shot = |name: &str| std::fs::write(img.join(name), b.screenshot()).unwrap();

    b.post("url", json!({ "url": format!("{base}/findings/{}", enc(&g.findings[0].id)) }));
    wait_for(&b, "return !!document.getElementById('name');");
    type_into(&b, "#name", "analyst");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return !!document.getElementById('finding-groups');");
    assert_ne!(b.run("return document.title;"), json!("owned"));
    click(&b, "#finding-groups a.group");
    wait_for(&b, "var g = document.getElementById('group-graph'); return !!g && g.getAttribute('data-drawn') === 'true';");
    let nodes = b.run("return Number(document.getElementById('group-graph').getAttribute('data-nodes'));");
    assert_eq!(nodes, json!(g.findings.len() + g.entities.len()));
    assert_eq!(b.run("return document.querySelectorAll('#group-graph canvas').length > 0;"), json!(true), "drawn on canvases");
    assert_eq!(b.run("return document.querySelectorAll('style').length;"), json!(0), "no inline style element (the CSP refuses them)");
    assert_ne!(b.run("return document.title;"), json!("owned"));
    assert_eq!(b.run("return document.images.length;"), json!(0));
    no_sideways_scroll(&b, "a group");
    shot("console-group.png");

    // A node opens what it stands for: the planted principal's profile.
    b.run(&format!("window.rampartGraphs['group-graph'].getElementById({}).emit('tap'); return true;", json!(format!("e:{EVIL_USER}"))));
    wait_for(&b, "return !!document.getElementById('entity-id');");
    assert_eq!(b.run("return document.getElementById('entity-id').textContent;"), json!(EVIL_USER));

    // Its investigation, over a wider scope.
    click(&b, "#investigate-entity");
    wait_for(&b, "return !!document.getElementById('indicators-table');");
    assert_eq!(b.run("return document.getElementById('principal').textContent;"), json!(EVIL_USER));
    let observed = b.run("return document.querySelector('tr.indicator[data-kind=ttp_observed]').getAttribute('data-status');");
    assert_eq!(observed, json!("observed"));
    click(&b, "a.span[data-span='30d']");
    wait_for(&b, "return location.search.indexOf('span=30d') >= 0 && !!document.getElementById('indicators-table');");
    assert_ne!(b.run("return document.title;"), json!("owned"));
    no_sideways_scroll(&b, "an investigation");
    shot("console-investigation.png");
}

#[test]
fn an_interfaces_profile_shows_its_flows_by_peer_and_port() {
    let s = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    // VPC Flow Logs' default format (version 2): SSH accepted from one address, rejected
    // from another, HTTPS out.
    let eni = "eni-0a1b2c3d4e5f60718";
    let t = 1_722_430_800; // 2024-07-31T13:00:00Z
    let mut text = String::from("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n");
    for (i, (src, dst, sport, dport, bytes, action)) in [
        ("203.0.113.10", "10.0.0.5", 50_000, 22, 4_000, "ACCEPT"),
        ("203.0.113.10", "10.0.0.5", 50_001, 22, 6_000, "ACCEPT"),
        ("198.51.100.99", "10.0.0.5", 40_000, 22, 120, "REJECT"),
        ("10.0.0.5", "192.0.2.80", 51_000, 443, 9_000, "ACCEPT"),
    ]
    .into_iter()
    .enumerate()
    {
        let start = t + i as i64 * 60;
        text.push_str(&format!("2 143434273843 {eni} {src} {dst} {sport} {dport} 6 10 {bytes} {start} {} {action} OK\n", start + 30));
    }
    let file = dir.path().join("flows.log");
    std::fs::write(&file, text).unwrap();
    let mut opts = rampart_app::investigate::IngestOptions::new(rampart_app::investigate::Source::FlowLogs, vec![file]);
    opts.retention_days = 36_500;
    let report = rampart_app::investigate::ingest(&mut s.store(), &opts, rampart_app::now().unix_timestamp(), &rampart_app::Collected::default()).unwrap();
    assert_eq!((report.records, report.malformed), (4, 0), "{report:?}");

    let want = rampart_app::investigate::entity_profile(&s.store(), eni, None, None, 45).unwrap();
    assert_eq!(want.flows.len(), 3, "{:#?}", want.flows);
    let b = s.login("viewer", PASSWORD).unwrap();
    let page = ok(b.get(&entity_path(eni)), "the interface");
    assert!(page.contains("id=\"entity-kind\">network interface<"));
    assert_eq!(page.matches("<tr class=\"flow\"").count(), want.flows.len());
    for f in &want.flows {
        let row = page.split(&format!("{}?from=", entity_path(&f.peer))).nth(1).unwrap_or_else(|| panic!("the peer {} links its profile", f.peer));
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(&format!("TCP/{}", f.port)), "{row}");
        assert!(row.contains(&format!("<td class=\"num\">{}</td><td class=\"num\">{}</td>", f.accepted_bytes, f.rejected_bytes)), "{row}");
    }
    // SSH from 203.0.113.10: both records, 10,000 bytes accepted.
    let ssh = want.flows.iter().find(|f| f.peer == "203.0.113.10").unwrap();
    assert_eq!((ssh.port, ssh.records, ssh.accepted_bytes), (22, 2, 10_000));
    assert!(page.contains(">accepted</th>") && page.contains(">rejected</th>"), "the activity of flows is accepted/rejected");
}
