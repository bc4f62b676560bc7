use super::*;
use crate::{fixtures, render, Format};
use serde_json::Value;

fn html_of(report: &Report) -> String {
    let mut out = Vec::new();
    render(Format::Html, report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The JSON between `<script type="application/json" ...>` and its `</script>`.
fn embedded(html: &str) -> &str {
    let open = "<script type=\"application/json\" id=\"rampart-data\">";
    let start = html.find(open).unwrap() + open.len();
    let len = html[start..].find("</script>").unwrap();
    &html[start..start + len]
}

#[test]
fn hostile_text_stays_inert() {
    let (mut run, mut findings, mut gaps) = fixtures::small();
    let payload = "</script><script>alert(1)</script>";
    findings[1].reason = payload.into();
    findings[1].title = "<!-- <script>".into();
    findings[2].check_id = "x\"'<u>&amp;".into();
    findings[2].resource.name = "<img src=x onerror=alert(1)>".into();
    findings[3].remediation_url = "javascript:alert(1)".into();
    gaps[0].message = "<svg onload=alert(1)>".into();
    run.source = "<u>snapshot</u>".into();
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &[],
    });

    // Only this crate's two script elements exist, and each closes once.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(html.matches("</script>").count(), 2);
    for bad in ["<img", "<svg", "<u>", "<!--", "alert(1)</"] {
        assert!(!html.contains(bad), "{bad} leaked");
    }
    assert!(html.contains("&lt;u&gt;snapshot&lt;/u&gt;"));
    assert!(html.contains("x&quot;&#39;&lt;u&gt;&amp;amp;"));

    // The data still round-trips exactly.
    let data: Value = serde_json::from_str(embedded(&html)).unwrap();
    let rows = data["rows"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len());
    assert_eq!(rows[1][4], payload);
    assert_eq!(rows[1][1], "<!-- <script>");
    assert!(!embedded(&html).contains('<'));
}

#[test]
fn summary_and_data_content() {
    let (run, findings, gaps) = fixtures::small();
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &[],
    });
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("default-src 'none'"), "no fetches allowed");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing external"
    );
    for needle in [
        "<dt>Accounts</dt><dd>123456789012</dd>",
        "<b>3</b>FAILED",
        "<b>1</b>NOT_<wbr>AVAILABLE",
        "<code>ec2_<wbr>sg_<wbr>open_<wbr>admin_<wbr>port</code>",
        "<code>iam:<wbr>GetAccountSummary</code> access denied",
        "Top failing resources <small>3 of 3</small>",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    let data: Value = serde_json::from_str(embedded(&html)).unwrap();
    // Four checks, stored once each although the security group check has two findings.
    assert_eq!(data["checks"].as_array().unwrap().len(), 4);
    let first = &data["rows"][0];
    assert_eq!(first[0], 0);
    assert_eq!(first[3], 0, "PASSED is status 0");
    assert_eq!(first[13], findings[0].id.as_str());
    assert_eq!(first[10], fixtures::T0.unix_timestamp());
}

#[test]
fn script_safe_writer_escapes_only_markup_bytes() {
    let mut out = Vec::new();
    ScriptSafe(&mut out)
        .write_all("a</b>&é".as_bytes())
        .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "a\\u003c/b\\u003e\\u0026é");
}

/// 100,000 findings render into one file whose size is the embedded data plus a
/// constant page: no per-finding markup is generated on the server.
#[test]
fn hundred_thousand_findings() {
    const N: usize = 100_000;
    let run = fixtures::run();
    let findings = fixtures::many(N);
    let report = Report {
        run: &run,
        findings: &findings,
        gaps: &[],
        compliance: &[],
    };
    let html = html_of(&report);
    let data = embedded(&html);

    let page = html.len() - data.len();
    assert!(page < 64 * 1024, "page without data is {page} bytes");
    assert!(
        html.matches("<tr").count() < 40,
        "table rows must be built by the script, in pages"
    );

    let per_finding = data.len() / N;
    assert!(per_finding < 300, "{per_finding} bytes per finding");
    let mut json = Vec::new();
    render(Format::Json, &report, &mut json).unwrap();
    assert!(
        html.len() < json.len() / 2,
        "html {} vs json {}",
        html.len(),
        json.len()
    );

    let v: Value = serde_json::from_str(data).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), N);
    assert_eq!(v["checks"].as_array().unwrap().len(), 4);
}

fn with_compliance(findings: &[Finding]) -> Vec<rampart_compliance::Report> {
    let cov = rampart_compliance::Coverage::from_requirements(
        findings
            .iter()
            .flat_map(|f| f.related_requirements.iter().cloned()),
    );
    rampart_compliance::STANDARDS
        .iter()
        .map(|s| rampart_compliance::evaluate_with_coverage(s, findings, &cov))
        .collect()
}

/// Resource names and ids that try to break out of the markup, in the compliance sections
/// too (they list failing resources by id and name).
#[test]
fn hostile_resource_names_in_compliance_stay_inert() {
    let (run, mut findings, gaps) = fixtures::small();
    for f in findings.iter_mut().filter(|f| f.status == Status::Failed) {
        f.resource.name = "<script>alert(\"x\")</script> 'quoted'".into();
        f.resource.id = format!("{}\"><script>alert(1)</script>", f.resource.id);
        f.detail = "<b onmouseover='x'>".into();
    }
    let compliance = with_compliance(&findings);
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    });
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the report's own scripts"
    );
    assert!(!html.contains("<b onmouseover"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;quoted&#39;"));
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/<wbr>script&gt;"));
}

#[test]
fn table_of_contents_links_every_section() {
    let (run, findings, gaps) = fixtures::small();
    let compliance = with_compliance(&findings);
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    });
    let toc_start = html
        .find("<nav class=\"toc\"")
        .expect("a table of contents");
    let toc = &html[toc_start..toc_start + html[toc_start..].find("</nav>").unwrap()];
    let targets: Vec<&str> = toc
        .split("href=\"#")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    for want in [
        "overview",
        "top-checks",
        "top-resources",
        "gaps",
        "compliance-cis-aws-3.0",
        "compliance-fsbp",
        "compliance-trusted-advisor",
        "findings",
    ] {
        assert!(targets.contains(&want), "{want} missing from {targets:?}");
    }
    for t in &targets {
        assert_eq!(
            html.matches(&format!(" id=\"{t}\"")).count(),
            1,
            "#{t} has one target"
        );
    }
}

#[test]
fn compliance_sections_have_gauges_status_colours_and_filters() {
    let (run, findings, gaps) = fixtures::small();
    let compliance = with_compliance(&findings);
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    });
    for std in &compliance {
        let id = format!("id=\"compliance-{}\"", std.standard);
        let start = html.find(&id).unwrap();
        let sec = &html[start..start + html[start..].find("</section>").unwrap()];
        assert!(
            sec.contains("<svg class=\"gauge"),
            "{} has a gauge",
            std.standard
        );
        assert!(sec.contains("class=\"cq\"") && sec.contains("class=\"cstatus\""));
        assert!(sec.contains("class=\"csev\""));
        assert_eq!(
            sec.matches("<tr class=\"c c-").count(),
            std.controls.len(),
            "one row per control"
        );
        for c in &std.controls {
            assert!(sec.contains(&format!("data-status=\"{}\"", c.status.as_str())));
        }
    }
    // FSBP S3.2 failed on the fixture's public bucket: a red row listing the bucket.
    let fsbp = &html[html.find("id=\"compliance-fsbp\"").unwrap()..];
    let at = fsbp.find("<code>S3.<wbr>2</code>").unwrap();
    let row = &fsbp[fsbp[..at].rfind("<tr").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.starts_with("<tr class=\"c c-FAILED\" data-status=\"FAILED\""),
        "{row}"
    );
    assert!(
        row.contains("<span class=\"st st-FAILED\">FAILED</span>"),
        "{row}"
    );
    assert!(row.contains("<code>arn:<wbr>aws:<wbr>s3:::<wbr>"), "{row}");
    // The gauge is inline SVG: nothing is fetched.
    assert!(!html.contains("xlink:href") && !html.contains("url("));
    assert!(html.contains("pathLength=\"100\""));
}

/// The rule for identifiers: break opportunities at separators, never `break-all`.
#[test]
fn identifiers_wrap_at_separators_only() {
    let (run, findings, gaps) = fixtures::small();
    let compliance = with_compliance(&findings);
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    });
    assert!(!CSS.contains("break-all") && !CSS.contains("overflow-wrap:anywhere"));
    assert!(CSS.contains("overflow-wrap:break-word"));
    assert!(
        html.contains("arn:<wbr>aws:<wbr>"),
        "ARNs get break opportunities"
    );
    assert!(
        JS.contains("createElement(\"wbr\")"),
        "and so do the rows the script builds"
    );
}

/// The section's header counts NOT_AVAILABLE controls (all results unreadable) apart from
/// passed, failed and no data, and colours each row by its status.
#[test]
fn compliance_header_counts_not_available_apart() {
    let (run, mut findings, gaps) = fixtures::small();
    for f in findings.iter_mut() {
        f.status = Status::NotAvailable;
    }
    let compliance = with_compliance(&findings);
    let html = html_of(&Report {
        run: &run,
        findings: &findings,
        gaps: &gaps,
        compliance: &compliance,
    });
    let fsbp = &html[html.find("id=\"compliance-fsbp\"").unwrap()..];
    let fsbp = &fsbp[..fsbp.find("</section>").unwrap()];
    let na = compliance[1].scores.estate.not_available;
    assert!(na >= 2, "S3.2 and EC2.53 are unreadable");
    assert!(
        fsbp.contains(&format!(
            ": 0 passed, 0 failed, 0 warning, {na} not available; "
        )),
        "{fsbp}"
    );
    assert!(fsbp.contains(&format!(
        "data-cstatus=\"NOT_AVAILABLE\"><b>{na}</b>NOT_<wbr>AVAILABLE"
    )));
    assert_eq!(fsbp.matches("<tr class=\"c c-NOT_AVAILABLE\"").count(), na);
    assert!(fsbp.contains("results are NOT_AVAILABLE: the data could not be read"));
    assert!(
        fsbp.contains(">0%</text></svg>"),
        "unread controls score as not passed"
    );
}
