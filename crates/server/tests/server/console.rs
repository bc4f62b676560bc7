//! The console's pages: escaping, the workflow form and its CSRF token.

use crate::common::{enc, Backend, TestServer, PASSWORD, SCRIPT_TITLE};

#[test]
fn a_script_in_a_title_is_shown_as_text() {
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    let detail = b.get(&format!("/findings/{}", enc(&s.planted)));
    assert_eq!(detail.status, 200);
    let list = b.get(&format!("/findings?check={}", s.planted.split('/').nth(1).unwrap()));
    for page in [&detail.body, &list.body] {
        assert!(!page.contains("<script>"), "raw script tag in the page");
        assert!(page.contains("&lt;script&gt;document.title="), "the title is shown escaped");
    }
    assert!(!SCRIPT_TITLE.is_empty());
    // And a viewer gets no form to change it.
    assert!(!detail.body.contains("workflow-form"));
    // Every answer forbids inline scripts.
    let csp = detail.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{csp}");
}

#[test]
fn the_workflow_form_needs_the_sessions_csrf_token() {
    the_workflow_form_needs_the_sessions_csrf_token_on(Backend::Sqlite);
}

pub(crate) fn the_workflow_form_needs_the_sessions_csrf_token_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let b = s.login("analyst", PASSWORD).unwrap();
    let path = format!("/findings/{}/workflow", enc(&s.planted));
    let without = b.post_form(&path, &[("status", "RESOLVED"), ("note", "no token")]);
    assert_eq!(without.status, 403, "{}", without.body);
    let wrong = b.post_form(&path, &[("csrf", "0123"), ("status", "RESOLVED"), ("note", "wrong token")]);
    assert_eq!(wrong.status, 403);
    // Another session's token is wrong too.
    let other = s.login("admin", PASSWORD).unwrap();
    assert_ne!(other.csrf, b.csrf);
    let theirs = b.post_form(&path, &[("csrf", &other.csrf), ("status", "RESOLVED"), ("note", "their token")]);
    assert_eq!(theirs.status, 403);
    let detail = b.get(&format!("/findings/{}", enc(&s.planted)));
    assert!(detail.body.contains("No change yet."), "refused changes left no trace");
    let ok = b.post_form(&path, &[("csrf", &b.csrf), ("status", "RESOLVED"), ("note", "fixed <b>by</b> ops")]);
    assert_eq!(ok.status, 303, "{}", ok.body);
    let detail = b.get(&format!("/findings/{}", enc(&s.planted)));
    assert!(detail.body.contains("NEW → RESOLVED"), "{}", detail.body);
    assert!(detail.body.contains("fixed &lt;b&gt;by&lt;/b&gt; ops"));
}

#[test]
fn findings_filter_and_page() {
    findings_filter_and_page_on(Backend::Sqlite);
}

pub(crate) fn findings_filter_and_page_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let b = s.login("viewer", PASSWORD).unwrap();
    let all = b.get("/findings");
    assert!(all.body.contains("100 shown of "), "{}", all.body);
    // Every page once, by the keyset token of the next link.
    let total: usize = all.body.split("100 shown of ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut page = all;
    loop {
        for id in page.body.split("data-id=\"").skip(1).map(|r| r.split('"').next().unwrap().to_string()) {
            assert!(seen.insert(id.clone()), "{id} twice");
        }
        let Some(next) = page.body.split("id=\"next\" href=\"").nth(1) else { break };
        let href = next.split('"').next().unwrap().replace("&amp;", "&");
        page = b.get(&href);
        assert_eq!(page.status, 200, "{href}");
        assert!(page.body.contains("id=\"first\""));
    }
    assert_eq!(seen.len(), total);
    // Sorted by title, ascending.
    let by_title = b.get("/findings?sort=title&order=asc");
    let titles: Vec<String> = by_title
        .body
        .split("<td class=\"title\"><a href=\"")
        .skip(1)
        .map(|r| r.split('>').nth(1).unwrap().split('<').next().unwrap().to_string())
        .collect();
    assert!(titles.len() > 10 && titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    assert_eq!(b.get("/findings?sort=colour").status, 400);
    let high = b.get("/findings?status=FAILED&severity=high");
    assert_eq!(high.status, 200);
    assert!(high.body.contains("sev-high") || high.body.contains("sev-critical"));
    assert!(!high.body.contains("sev-low\"") && !high.body.contains("st-passed"), "filtered out");
    let bad = b.get("/findings?severity=urgent");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("urgent"));
    let runs = b.get("/runs");
    assert!(runs.body.contains("run-demo"));
    let compliance = b.get("/compliance");
    assert!(compliance.body.contains("AWS Foundational Security Best Practices"), "{}", compliance.body);
    let fsbp = b.get("/compliance/fsbp?status=FAILED");
    assert!(fsbp.body.contains("data-status=\"FAILED\"") && !fsbp.body.contains("data-status=\"PASSED\""));
}
