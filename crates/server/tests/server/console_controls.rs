//! A control's page: its requirement, status, the checks that evaluate it, and every
//! resource that fails it, in pages — the same ones the API lists.

use crate::common::{bearer, TestServer, PASSWORD};
use rampart_server::Role;
use std::collections::BTreeSet;

#[test]
fn a_controls_page_lists_every_failing_resource_the_api_does() {
    let s = TestServer::start();
    let auth = bearer(&s.token(Role::Viewer));
    let b = s.login("viewer", PASSWORD).unwrap();
    for standard in ["fsbp", "cis-aws-3.0"] {
        let api = s.client.get(&format!("/api/v1/standards/{standard}"), &[("Authorization", &auth)]).json();
        let controls = api["controls"].as_array().unwrap();
        // The control with the most failing resources (more than a page in the demo's FSBP).
        let c = controls.iter().max_by_key(|c| c["failing_findings"].as_array().unwrap().len()).unwrap();
        let id = c["id"].as_str().unwrap();
        let want: BTreeSet<String> = c["failing_findings"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
        assert!(!want.is_empty());
        let path = format!("/compliance/{standard}/{}", rampart_server_encode(id));
        // The standard's page links the control.
        let list = b.get(&format!("/compliance/{standard}"));
        assert!(list.body.contains(&format!("href=\"{path}\"")), "{standard}: no link to {path}");

        let mut page = b.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.body.contains(c["title"].as_str().unwrap()), "the requirement's text");
        assert!(page.body.contains(&format!("st-{}", c["status"].as_str().unwrap().to_ascii_lowercase())));
        let count: usize = page.body.split("id=\"failing-count\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
        assert_eq!(count, want.len(), "{path}: the page's count is the API's");
        let mut got = BTreeSet::new();
        let mut pages = 1;
        loop {
            for id in page.body.split("data-finding=\"").skip(1).map(|r| r.split('"').next().unwrap().to_string()) {
                assert!(got.insert(id.clone()), "{id} twice");
            }
            let Some(next) = page.body.split("id=\"next\" href=\"").nth(1) else { break };
            page = b.get(&next.split('"').next().unwrap().replace("&amp;", "&"));
            assert_eq!(page.status, 200);
            pages += 1;
        }
        assert_eq!(got, want, "{path}: every failing resource, once");
        if standard == "fsbp" {
            assert!(pages > 1, "{path}: {} failing resources fit one page", want.len());
        }
    }
    assert_eq!(b.get("/compliance/fsbp/NOPE.1").status, 404);
    assert_eq!(b.get("/compliance/pci/1.1").status, 404);
    assert_eq!(b.get("/compliance/fsbp/EC2.19?page=999").status, 400);
}

/// A control id as one path segment (as the console writes it).
fn rampart_server_encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
