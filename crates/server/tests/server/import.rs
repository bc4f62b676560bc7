//! `BatchImportFindings` over HTTP: AWS's answer shape and limits, who may call it, the
//! body limit, OCSF, and an imported finding's detail with every resource and its
//! document.

use crate::common::{bearer, enc, root, TestServer};
use rampart_server::Role;
use serde_json::{json, Value};

const PROWLER: &str = "arn:aws:securityhub:us-east-1::product/prowler/prowler";

fn finding(n: usize) -> Value {
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("http-{n}"),
        "ProductArn": PROWLER,
        "GeneratorId": "s3_bucket_public_access",
        "AwsAccountId": "123456789012",
        "Types": ["Software and Configuration Checks"],
        "CreatedAt": "2026-12-01T10:00:00Z",
        "UpdatedAt": "2026-12-01T10:00:00Z",
        "Severity": {"Label": "HIGH"},
        "Title": format!("Bucket b{n} is public"),
        "Description": "S3 bucket allows public access",
        "Resources": [{"Type": "AwsS3Bucket", "Id": format!("arn:aws:s3:::b{n}"), "Partition": "aws", "Region": "us-east-1"}],
        "Compliance": {"Status": "FAILED"}
    })
}

fn post(s: &TestServer, token: &str, path: &str, body: &[u8]) -> crate::http::Response {
    s.client.request("POST", path, &[("Authorization", &bearer(token)), ("Content-Type", "application/json")], body)
}

/// How many stored findings a `GetFindings` filter selects (paging through).
fn count(s: &TestServer, token: &str, filters: Value) -> usize {
    let mut n = 0;
    let mut next: Option<String> = None;
    loop {
        let mut req = json!({"Filters": filters, "MaxResults": 100});
        if let Some(t) = &next {
            req["NextToken"] = json!(t);
        }
        let page = post(s, token, "/api/v1/findings/query", req.to_string().as_bytes());
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        n += page["findings"].as_array().unwrap().len();
        match page["next_token"].as_str() {
            Some(t) => next = Some(t.to_string()),
            None => return n,
        }
    }
}

#[test]
fn a_hundred_with_three_malformed_stores_ninety_seven_and_answers_as_aws() {
    let s = TestServer::start();
    let analyst = s.token(Role::Analyst);
    let mut findings: Vec<Value> = (0..100).map(finding).collect();
    findings[7].as_object_mut().unwrap().remove("Title");
    findings[42]["Severity"] = json!({"Label": "SEVERE"});
    findings[99]["Resources"] = json!([]);
    let r = post(&s, &analyst, "/api/v1/findings/import", json!({ "Findings": findings }).to_string().as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    let a = r.json();
    assert_eq!((a["FailedCount"].as_u64(), a["SuccessCount"].as_u64()), (Some(3), Some(97)), "{a}");
    let failed: Vec<(&str, &str)> =
        a["FailedFindings"].as_array().unwrap().iter().map(|f| (f["Id"].as_str().unwrap(), f["ErrorCode"].as_str().unwrap())).collect();
    assert_eq!(failed, [("http-7", "InvalidInput"), ("http-42", "InvalidInput"), ("http-99", "InvalidInput")]);
    assert!(a["FailedFindings"][0]["ErrorMessage"].as_str().unwrap().contains("Title"), "{a}");
    let by_product = json!({"ProductArn": [{"Value": PROWLER, "Comparison": "EQUALS"}]});
    assert_eq!(count(&s, &analyst, by_product.clone()), 97);

    // 101 is refused whole, in AWS's words; nothing more is stored.
    let many: Vec<Value> = (100..201).map(finding).collect();
    let r = post(&s, &analyst, "/api/v1/findings/import", json!({ "Findings": many }).to_string().as_bytes());
    assert_eq!(r.status, 400, "{}", r.body);
    let e = r.json()["error"].as_str().unwrap().to_string();
    assert!(e.contains("Member must have length less than or equal to 100"), "{e}");
    assert!(e.contains("101"), "{e}");
    assert_eq!(count(&s, &analyst, by_product), 97);

    // A viewer reads but does not import; bad bodies are one line each.
    let viewer = s.token(Role::Viewer);
    assert_eq!(post(&s, &viewer, "/api/v1/findings/import", b"{\"Findings\": []}").status, 403);
    let r = post(&s, &analyst, "/api/v1/findings/import", b"{not json");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("not JSON"), "{}", r.body);
    assert_eq!(post(&s, &analyst, "/api/v1/findings/import", b"{\"Findings\": []}").status, 400);
    let r = post(&s, &analyst, "/api/v1/findings/import?format=csv", json!({"Findings": [finding(1)]}).to_string().as_bytes());
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("use asff or ocsf"), "{}", r.body);
}

/// The status of a POST whose body the server may stop reading: written on its own thread
/// (a refused write is no failure), the answer read as far as it came.
fn status_of_large_post(s: &TestServer, token: &str, body: Vec<u8>) -> u16 {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(s.client.addr).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let mut w = tcp.try_clone().unwrap();
    let head = format!(
        "POST /api/v1/findings/import HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\nAuthorization: {}\r\n\r\n",
        s.client.addr,
        body.len(),
        bearer(token)
    );
    let writer = std::thread::spawn(move || {
        let _ = w.write_all(head.as_bytes()).and_then(|_| w.write_all(&body));
    });
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = tcp.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let _ = tcp.shutdown(std::net::Shutdown::Both);
    writer.join().unwrap();
    let text = String::from_utf8_lossy(&raw);
    text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("no HTTP answer: {text:?}"))
}

#[test]
fn a_body_over_a_hundred_largest_findings_is_refused_before_it_is_read() {
    let s = TestServer::start();
    let analyst = s.token(Role::Analyst);
    let limit = 100 * 240 * 1024 + 64 * 1024;
    let body = |len: usize| {
        let mut b = b"{\"Findings\": [\"".to_vec();
        b.resize(len - 3, b'x');
        b.extend_from_slice(b"\"]}");
        b
    };
    assert_eq!(status_of_large_post(&s, &analyst, body(limit + 1)), 413);
    // At the limit it is read, and refused for what it holds, not for its size.
    let r = post(&s, &analyst, "/api/v1/findings/import", &body(limit));
    assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(200)]);
}

#[test]
fn ocsf_events_import_and_an_imported_finding_shows_every_resource_and_its_document() {
    let s = TestServer::start();
    let analyst = s.token(Role::Analyst);
    let ocsf = std::fs::read(root().join("testdata/prowler/moto-run.ocsf.json")).unwrap();
    let events: Vec<Value> = serde_json::from_slice(&ocsf).unwrap();
    let r = post(&s, &analyst, "/api/v1/findings/import?format=ocsf", &ocsf);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["SuccessCount"].as_u64(), Some(events.len() as u64), "{}", r.body);
    // Told apart without ?format too (the same events again: updates, same findings).
    let r = post(&s, &analyst, "/api/v1/findings/import", &ocsf);
    assert_eq!(r.json()["SuccessCount"].as_u64(), Some(events.len() as u64), "{}", r.body);
    let by_product = json!({"ProductArn": [{"Value": PROWLER, "Comparison": "EQUALS"}]});
    assert_eq!(count(&s, &analyst, by_product), events.len(), "metadata.product names Prowler's product ARN");

    // A finding with two resources: the detail shows both and the document as sent.
    let mut two = finding(1);
    two["Resources"] = json!([
        {"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b1", "Partition": "aws", "Region": "us-east-1"},
        {"Type": "AwsIamRole", "Id": "arn:aws:iam::123456789012:role/r", "Partition": "aws", "Region": "us-east-1",
         "Details": {"AwsIamRole": {"RoleName": "r"}}}
    ]);
    two["ProductFields"] = json!({"prowler/only-here": "kept"});
    let r = post(&s, &analyst, "/api/v1/findings/import", json!({ "Findings": [two] }).to_string().as_bytes());
    assert_eq!(r.json()["SuccessCount"].as_u64(), Some(1), "{}", r.body);
    let q = json!({"Filters": {"Id": [{"Value": "http-1", "Comparison": "EQUALS"}]}, "MaxResults": 1});
    let page = post(&s, &analyst, "/api/v1/findings/query", q.to_string().as_bytes()).json();
    let key = page["findings"][0]["finding"]["id"].as_str().unwrap().to_string();
    let detail = s.client.get(&format!("/api/v1/findings/{}", enc(&key)), &[("Authorization", &bearer(&analyst))]);
    assert_eq!(detail.status, 200, "{}", detail.body);
    let d = detail.json();
    let imported = &d["imported"];
    assert_eq!(imported["product_arn"], PROWLER, "{d}");
    assert_eq!(imported["resources"].as_array().unwrap().len(), 2, "{d}");
    assert_eq!(imported["resources"][1]["Details"]["AwsIamRole"]["RoleName"], "r");
    assert_eq!(imported["document"]["ProductFields"]["prowler/only-here"], "kept");
}
