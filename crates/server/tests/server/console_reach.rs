//! The inventory the demo scan kept: resources browsed through the API, reachability
//! questions answered over it as `rampart reach` answers them, and the console's
//! reachability page in headless Chromium.

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, enc, root, TestServer, PASSWORD};
use rampart_server::Role;
use serde_json::{json, Value};

/// The demo's public web server (us-east-1): port 443 open to the internet, 22 not.
const WEB: &str = "i-e16f77274775bb409";

fn post(s: &TestServer, token: &str, body: &str) -> crate::http::Response {
    s.client.request("POST", "/api/v1/reach", &[("Authorization", &bearer(token)), ("Content-Type", "application/json")], body.as_bytes())
}

/// What `rampart reach --snapshot <demo> --format json` prints for the question: the same
/// call (`rampart_app::reach::ask`) over the same estate, each answer as the CLI
/// serializes it.
fn cli_answers(from: &str, to: &str, port: u16, protocol: &str) -> Vec<Value> {
    let inv = rampart_app::inputs::demo().unwrap();
    let q = rampart_app::reach::Question { from: from.into(), to: to.into(), to_address: None, protocol: protocol.parse().unwrap(), port };
    rampart_app::reach::ask(&inv, &q).unwrap().iter().map(|(_, v)| serde_json::from_str(&v.to_json()).unwrap()).collect()
}

#[test]
fn the_api_answers_reach_questions_as_the_cli_does() {
    let s = TestServer::start();
    let token = s.token(Role::Viewer);
    let questions = [
        // Reachable from the internet: the path through the gateway, route, ACL and group.
        ("internet", WEB, 443, "tcp", "reachable"),
        // Blocked: the security group has no rule for 22; named with its fix.
        ("internet", WEB, 22, "tcp", "blocked"),
        // A private instance: no public address, no route, no rule.
        ("internet", "i-d204f862b8cc95206", 22, "tcp", "blocked"),
        // From inside the VPC.
        ("10.20.1.5", WEB, 443, "tcp", "reachable"),
        // 80 is open over IPv6 only.
        ("internet", WEB, 80, "tcp", "blocked"),
    ];
    for (from, to, port, protocol, want) in questions {
        let r = post(&s, &token, &json!({ "from": from, "to": to, "port": port, "protocol": protocol }).to_string());
        assert_eq!(r.status, 200, "{from} → {to}:{port}: {}", r.body);
        let a = r.json();
        assert_eq!(a["overall"], want, "{from} → {to}:{port}: {a}");
        assert_eq!(a["run_id"], "run-demo");
        let got: Vec<Value> = a["answers"].as_array().unwrap().iter().map(|x| x["answer"].clone()).collect();
        assert_eq!(got, cli_answers(from, to, port, protocol), "{from} → {to}:{port}: the API and the CLI differ");
    }
    // The reachable one names the path's steps; the blocked one the rule and its fix.
    let open = post(&s, &token, &json!({ "to": WEB, "port": 443 }).to_string()).json();
    let steps: Vec<&str> =
        open["answers"][0]["answer"]["steps"].as_array().unwrap().iter().map(|s| s["componentType"].as_str().unwrap()).collect();
    assert_eq!(steps, ["IGW", "ROUTE_TABLE", "NACL", "SECURITY_GROUP", "ENI"], "{open}");
    assert!(open["answers"][0]["text"].as_str().unwrap().starts_with("REACHABLE: i-e16f77274775bb409"), "{open}");
    let shut = post(&s, &token, &json!({ "from": "internet", "to": WEB, "port": 22 }).to_string()).json();
    let b = &shut["answers"][0]["answer"]["blockers"][0];
    assert_eq!(b["component_id"], "sg-f2ae530a53591be51", "{shut}");
    assert_eq!(b["rule"], "no inbound rule of [sg-f2ae530a53591be51] allows tcp 22 from 0.0.0.0/0");
    assert_eq!(b["change"], "add an inbound rule tcp 22 from 0.0.0.0/0 to sg-f2ae530a53591be51");
}

#[test]
fn questions_that_make_no_sense_are_refused_with_one_line() {
    let s = TestServer::start();
    let token = s.token(Role::Viewer);
    for (body, says) in [
        (json!({ "from": "internet", "to": "internet", "port": 443 }), "connecting out must start from an instance"),
        (json!({ "from": "the-moon", "to": WEB, "port": 22 }), "neither `internet`, an IP address"),
        (json!({ "from": "i-0abc", "to": "internet", "to_address": "10.0.0.1", "port": 22 }), "an address of the destination"),
        (json!({ "to": WEB, "port": 22, "protocol": "tcpx" }), "`protocol`"),
        (json!({ "to": WEB, "port": 22, "to_address": "not-an-ip" }), "is not an IP address"),
        (json!({ "to": "", "port": 22 }), "`to` is empty"),
        (json!({ "from": "subnet-00000000", "to": WEB, "port": 22 }), "is not in the inventory"),
        (json!({ "to": WEB }), "port"),
        (json!({ "to": WEB, "port": 70000 }), "port"),
    ] {
        let r = post(&s, &token, &body.to_string());
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let e = r.json()["error"].as_str().unwrap().to_string();
        assert!(e.contains(says) && !e.contains('\n'), "{body}: {e}");
    }
    let r = post(&s, &token, "not json");
    assert_eq!(r.status, 400, "{}", r.body);
}

#[test]
fn a_store_without_inventory_says_how_to_get_one() {
    // A run recorded without its inventory (as before the inventory store existed).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at);
    scan.inventory = None;
    scan.record(&mut rampart_hub::Store::open(&db).unwrap()).unwrap();
    let accounts = rampart_server::open_accounts(&db).unwrap();
    rampart_server::add_user(accounts.as_ref(), "viewer", Role::Viewer, PASSWORD).unwrap();
    let token = rampart_server::issue_token(accounts.as_ref(), "viewer").unwrap();
    let opts = rampart_server::Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: None };
    let running = rampart_server::start(&opts, accounts).unwrap();
    let client = crate::http::Client { addr: running.addr, tls: None };
    let r = client.request(
        "POST",
        "/api/v1/reach",
        &[("Authorization", &bearer(&token)), ("Content-Type", "application/json")],
        json!({ "to": WEB, "port": 22 }).to_string().as_bytes(),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("rampart demo"), "{}", r.body);
    let list = client.get("/api/v1/resources", &[("Authorization", &bearer(&token))]).json();
    assert_eq!(list["total"], 0, "{list}");
    assert!(list["run_id"].is_null());
    assert_eq!(client.get(&format!("/api/v1/resources/{WEB}"), &[("Authorization", &bearer(&token))]).status, 404);
    running.stop();
}

#[test]
fn resources_are_the_whole_inventory_paged_and_filtered() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let get = |path: &str| {
        let r = s.client.get(path, &[("Authorization", &auth)]);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.json()
    };
    let first = get("/api/v1/resources?limit=50");
    assert_eq!(first["source"], "inventory");
    assert_eq!(first["run_id"], "run-demo");
    let total = first["total"].as_u64().unwrap();
    assert!(total > 150, "every resource of the demo, not only those with findings: {total}");
    // Every page once.
    let mut seen = std::collections::BTreeSet::new();
    let mut page = first;
    loop {
        for r in page["resources"].as_array().unwrap() {
            assert!(seen.insert(r["id"].as_str().unwrap().to_string()), "{r} twice");
        }
        let Some(next) = page["next_cursor"].as_str() else { break };
        page = get(&format!("/api/v1/resources?limit=50&cursor={}", enc(next)));
    }
    assert_eq!(seen.len() as u64, total);
    // Route tables have no finding, and are listed.
    let tables = get("/api/v1/resources?type=AwsEc2RouteTable");
    assert!(tables["total"].as_u64().unwrap() > 0, "{tables}");
    // Filters: type, account, region.
    let instances = get("/api/v1/resources?type=AwsEc2Instance&region=us-east-1&account=123456789012");
    assert_eq!(instances["total"], 8, "{instances}");
    assert!(instances["resources"].as_array().unwrap().iter().all(|r| r["type"] == "AwsEc2Instance" && r["region"] == "us-east-1"));
    // Failed-findings counts agree with the findings API.
    let web = instances["resources"].as_array().unwrap().iter().find(|r| r["resource_id"] == WEB).unwrap().clone();
    let detail = get(&format!("/api/v1/resources/{WEB}"));
    assert_eq!(detail["resource"]["id"], web["id"]);
    assert_eq!(detail["inventory"]["instance_id"], WEB);
    assert_eq!(detail["inventory"]["public_ip_address"], "54.214.211.39", "{}", detail["inventory"]);
    let failed = detail["findings"].as_array().unwrap().iter().filter(|f| f["status"] == "FAILED").count() as u64;
    assert_eq!(web["failed"].as_u64().unwrap(), failed);
    assert!(detail["findings"].as_array().unwrap().iter().all(|f| f["resource"]["id"] == web["id"]));
    // By ARN too (`/` encoded).
    let by_arn = get(&format!("/api/v1/resources/{}", enc(web["id"].as_str().unwrap())));
    assert_eq!(by_arn["resource"]["resource_id"], WEB);
    assert_eq!(s.client.get("/api/v1/resources/i-nothere", &[("Authorization", &auth)]).status, 404);
    assert_eq!(s.client.get("/api/v1/resources?limit=0", &[("Authorization", &auth)]).status, 400);
}

#[test]
fn the_console_browses_the_inventory() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let api = s.client.get("/api/v1/resources?type=AwsEc2Instance", &[("Authorization", &auth)]).json();
    let b = s.login("viewer", PASSWORD).unwrap();
    let list = b.get("/resources?type=AwsEc2Instance");
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("{} shown of {}", api["total"], api["total"])), "{}", list.body);
    assert_eq!(list.body.matches("<tr class=\"r\"").count() as u64, api["total"].as_u64().unwrap());
    // Every page once, by the next link.
    let total: usize = b.get("/resources").body.split(" shown of ").nth(1).unwrap().split('<').next().unwrap().trim().parse().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut page = b.get("/resources");
    loop {
        for id in page.body.split("<tr class=\"r\" data-id=\"").skip(1).map(|r| r.split('"').next().unwrap().to_string()) {
            assert!(seen.insert(id.clone()), "{id} twice");
        }
        let Some(next) = page.body.split("id=\"next\" href=\"").nth(1) else { break };
        page = b.get(&next.split('"').next().unwrap().replace("&amp;", "&"));
        assert_eq!(page.status, 200);
    }
    assert_eq!(seen.len(), total);
    // One resource: its failed findings, its JSON, a question about it.
    let one = b.get(&format!("/resources/{WEB}"));
    assert_eq!(one.status, 200, "{}", one.body);
    let detail = s.client.get(&format!("/api/v1/resources/{WEB}"), &[("Authorization", &auth)]).json();
    assert!(one.body.contains(&format!("id=\"failed\">{}<", detail["resource"]["failed"])), "{}", one.body);
    assert!(one.body.contains("54.214.211.39"), "the snapshot's JSON");
    assert!(one.body.contains(&format!("/reach?to={WEB}&amp;port=22")));
    assert_eq!(b.get("/resources/i-nothere").status, 404);
}

#[test]
fn ask_the_reachability_page_in_chromium() {
    let s = TestServer::start();
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    b.post("url", json!({ "url": format!("{base}/reach") }));
    wait_for(&b, "return location.pathname === '/login' && !!document.getElementById('name');");
    type_into(&b, "#name", "viewer");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/reach' && !!document.getElementById('reach-form');");
    // The targets are the inventory's instances.
    let options = b.run("return document.querySelectorAll('#to optgroup[label=Instances] option').length;");
    assert_eq!(options, json!(12));

    // Can the internet reach the web server on port 22? No: the group's missing rule, and the fix.
    click(&b, &format!("#to option[value={WEB}]"));
    b.run("document.getElementById('port').value = ''; return true;");
    type_into(&b, "#port", "22");
    click(&b, "#ask");
    wait_for(&b, "return !!document.querySelector('#answer [data-verdict]');");
    assert_eq!(b.run("return document.getElementById('answer').dataset.overall;"), json!("blocked"));
    let rule = b.run("return document.querySelector('tr.blocker td.rule').textContent;");
    assert_eq!(rule, json!("no inbound rule of [sg-f2ae530a53591be51] allows tcp 22 from 0.0.0.0/0"));
    let fix = b.run("return document.querySelector('tr.blocker td.fix').textContent;");
    assert_eq!(fix, json!("add an inbound rule tcp 22 from 0.0.0.0/0 to sg-f2ae530a53591be51"));
    // The form keeps the question.
    assert_eq!(b.run("return document.getElementById('to').value;"), json!(WEB));
    no_sideways_scroll(&b, "a blocked answer");

    // On 443 it is reachable: the path, step by step.
    b.run("document.getElementById('port').value = ''; return true;");
    type_into(&b, "#port", "443");
    click(&b, "#ask");
    wait_for(&b, "return location.search.indexOf('port=443') >= 0 && !!document.querySelector('#answer [data-verdict]');");
    assert_eq!(b.run("return document.getElementById('answer').dataset.overall;"), json!("reachable"));
    let steps = b.run("return Array.prototype.map.call(document.querySelectorAll('ol.steps li'), function (e) { return e.textContent; });");
    let steps: Vec<&str> = steps.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(steps.len(), 5, "{steps:?}");
    assert!(steps[0].starts_with("IGW igw-"), "{steps:?}");
    assert!(steps[1].contains("0.0.0.0/0 → igw-"), "{steps:?}");
    assert!(steps[3].contains("SECURITY_GROUP sg-f2ae530a53591be51: tcp 443 from 0.0.0.0/0"), "{steps:?}");
    no_sideways_scroll(&b, "a reachable answer");
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    std::fs::write(img.join("console-reach.png"), b.screenshot()).unwrap();

    // A source that makes no sense: the one-line refusal, as a 400 page.
    b.post("url", json!({ "url": format!("{base}/reach?from=the-moon&to={WEB}&port=22&protocol=tcp") }));
    wait_for(&b, "return !!document.getElementById('reach-error');");
    let e = b.run("return document.getElementById('reach-error').textContent;");
    assert!(e.as_str().unwrap().contains("neither `internet`"), "{e}");
}
