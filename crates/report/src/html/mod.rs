//! One self-contained HTML file: the summary rendered here, the findings embedded as
//! JSON and shown by a small script in pages, with a text filter, status and severity
//! filters and sortable columns. It fetches nothing (its Content-Security-Policy
//! forbids it) and never builds more than one page of rows, so it stays usable with
//! 100,000 findings.
//!
//! Safety: text rendered here goes through [`html_escape`]; the embedded JSON has
//! every `<`, `>` and `&` written as a `\u003c`-style escape, so no string in it can
//! close its `<script>` element; the script builds rows with `textContent` only and
//! links only `http(s)` URLs.
//!
//! Layout: a table of contents, the summary, one compliance section per standard
//! ([`compliance`]) and the findings grid. It is readable at 900 px without horizontal
//! scrolling: tables have fixed layouts, the grid folds account, region and time under the
//! resource below 1280 px, and identifiers wrap only at separators ([`ids`]).
//!
//! The embedded JSON is an internal contract between this file and `report.js`:
//! check metadata (description, remediation, requirements) is stored once per check
//! in `checks`, and each finding is a positional array in `rows` (see [`Row`]).

mod compliance;
mod ids;

use crate::stats::{human_duration, Stats, STATUSES};
use crate::text::{html_escape as esc, truncate_chars};
use crate::Report;
use ids::ident;
use rampart_model::{rfc3339, Finding, Severity, Status};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// One check's metadata, shared by its findings.
#[derive(Serialize)]
struct Check<'a>(&'a str, &'a str, &'a str, &'a str, &'a str, &'a [String]);

/// One finding; the positions are read by `report.js`:
/// check index, title, severity rank (0 informational … 4 critical), status index
/// (0 PASSED, 1 FAILED, 2 WARNING, 3 NOT_AVAILABLE), reason, resource id, resource
/// name, resource type, account, region, first and last observed (Unix seconds),
/// workflow status, finding id, detail.
#[derive(Serialize)]
struct Row<'a>(
    usize,
    &'a str,
    u8,
    u8,
    &'a str,
    &'a str,
    &'a str,
    &'static str,
    &'a str,
    &'a str,
    i64,
    i64,
    &'static str,
    &'a str,
    &'a str,
);

#[derive(Serialize)]
struct Data<'a> {
    checks: Vec<Check<'a>>,
    rows: Vec<Row<'a>>,
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Informational => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn status_index(s: Status) -> u8 {
    match s {
        Status::Passed => 0,
        Status::Failed => 1,
        Status::Warning => 2,
        Status::NotAvailable => 3,
    }
}

type CheckKey<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a [String]);

fn data<'a>(findings: &'a [Finding]) -> Data<'a> {
    let mut index: HashMap<CheckKey<'a>, usize> = HashMap::new();
    let mut checks = Vec::new();
    let mut rows = Vec::with_capacity(findings.len());
    for f in findings {
        let key: CheckKey = (
            &f.check_id,
            &f.description,
            &f.remediation_console,
            &f.remediation_cli,
            &f.remediation_url,
            &f.related_requirements,
        );
        let check = *index.entry(key).or_insert_with(|| {
            checks.push(Check(key.0, key.1, key.2, key.3, key.4, key.5));
            checks.len() - 1
        });
        let r = &f.resource;
        rows.push(Row(
            check,
            &f.title,
            severity_rank(f.severity),
            status_index(f.status),
            &f.reason,
            &r.id,
            &r.name,
            r.kind.asff(),
            &r.account,
            &r.region,
            f.first_observed.unix_timestamp(),
            f.last_observed.unix_timestamp(),
            f.workflow_status.as_str(),
            &f.id,
            &f.detail,
        ));
    }
    Data { checks, rows }
}

/// Writes JSON so that it is inert inside an HTML `<script>` element: `<`, `>` and
/// `&` only occur inside JSON strings, where `\u003c` and friends mean the same.
/// UTF-8 continuation bytes are never ASCII, so a byte-wise scan is exact.
struct ScriptSafe<W>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, b) in buf.iter().enumerate() {
            let esc: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(esc)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let stats = Stats::new(report);
    let run = report.run;
    let title = format!("Rampart report {}", run.id);

    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"Rampart {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&run.tool_version),
        esc(&title)
    )?;
    header(&stats, report, out)?;
    toc(&stats, report, out)?;
    summary(&stats, out)?;
    compliance::sections(report.compliance, out)?;
    findings_section(out)?;
    writeln!(
        out,
        "<footer>Generated by Rampart {} from run {}.</footer>",
        esc(&run.tool_version),
        esc(&run.id)
    )?;

    out.write_all(b"<script type=\"application/json\" id=\"rampart-data\">")?;
    serde_json::to_writer(ScriptSafe(&mut *out), &data(report.findings))?;
    out.write_all(b"</script>\n<script>")?;
    out.write_all(JS.as_bytes())?;
    out.write_all(b"</script>\n</body>\n</html>\n")
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|s| ident(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table of contents: every section of the page, each standard by name.
fn toc(stats: &Stats, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2><ol>\
         <li><a href=\"#overview\">Results by status and severity</a></li>\
         <li><a href=\"#top-checks\">Top failing checks</a></li>\
         <li><a href=\"#top-resources\">Top failing resources</a></li>"
    )?;
    if !stats.gaps.is_empty() {
        write!(
            out,
            "<li><a href=\"#gaps\">Data that could not be read</a></li>"
        )?;
    }
    if !report.compliance.is_empty() {
        write!(out, "<li>Compliance<ol>")?;
        for std in report.compliance {
            write!(
                out,
                "<li><a href=\"#{}\">{}</a> <span class=\"muted\">{}</span></li>",
                esc(&compliance::anchor(std)),
                esc(std.title),
                esc(&std.scores.estate.display())
            )?;
        }
        write!(out, "</ol></li>")?;
    }
    writeln!(
        out,
        "<li><a href=\"#findings\">Findings</a></li></ol></nav>"
    )
}

fn header(stats: &Stats, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let run = report.run;
    write!(out, "<header>\n<h1>Rampart report</h1>\n<dl class=\"run\">")?;
    for (k, v) in [
        ("Source", esc(&run.source).into_owned()),
        ("Accounts", list(&run.accounts)),
        ("Regions", list(&run.regions)),
        ("Started", rfc3339(run.started_at)),
        ("Duration", human_duration(stats.duration)),
        ("Run", ident(&run.id)),
    ] {
        write!(out, "<div><dt>{k}</dt><dd>{v}</dd></div>")?;
    }
    write!(out, "</dl>")?;
    // A partial read is said first, in the header: its PASSED results are not a clean bill.
    if !run.incomplete.is_empty() {
        write!(
            out,
            "\n<section class=\"incomplete\" id=\"incomplete\" role=\"alert\"><h2>Incomplete: {} thing(s) could not be read</h2><ul>",
            run.incomplete.len()
        )?;
        for what in &run.incomplete {
            write!(out, "<li>{}</li>", esc(what))?;
        }
        write!(out, "</ul></section>")?;
    }
    writeln!(out, "\n</header>\n<main>")
}

fn summary(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "<h2 id=\"overview\">Results by status and severity</h2><section class=\"cards\" aria-label=\"Results by status\">"
    )?;
    write!(
        out,
        "<button class=\"card\" data-status=\"\"><b>{}</b>results</button>",
        stats.total
    )?;
    for s in STATUSES {
        write!(
            out,
            "<button class=\"card st-{}\" data-status=\"{}\"><b>{}</b>{}</button>",
            s.as_str(),
            status_index(s),
            stats.count(s),
            ident(s.as_str())
        )?;
    }
    write!(
        out,
        "</section>\n<section class=\"cards\" aria-label=\"Problems by severity\">"
    )?;
    for (sev, n) in stats.problems_by_severity {
        write!(
            out,
            "<button class=\"card sev-{sev}\" data-severity=\"{}\" data-problems=\"1\"><b>{n}</b>{sev}</button>",
            severity_rank(sev)
        )?;
    }
    writeln!(
        out,
        "<p class=\"note\">{} problems (FAILED + WARNING) by severity</p></section>",
        stats.problems
    )?;

    writeln!(out, "<div class=\"tops\">")?;
    write!(
        out,
        "<section id=\"top-checks\"><h2>Top failing checks <small>{} of {}</small></h2>",
        stats.top_checks.len(),
        stats.failing_checks
    )?;
    if stats.top_checks.is_empty() {
        write!(out, "<p>None.</p>")?;
    } else {
        write!(out, "<table><colgroup><col class=\"w-sev\"><col class=\"w-num\"><col class=\"w-check\"><col></colgroup><thead><tr><th>Severity</th><th>Count</th><th>Check</th><th>Title</th></tr></thead><tbody>")?;
        for c in &stats.top_checks {
            write!(
                out,
                "<tr><td><span class=\"sev sev-{0}\">{0}</span></td><td class=\"num\">{1}</td><td><code>{2}</code></td><td>{3}</td></tr>",
                c.severity,
                c.count,
                ident(c.check_id),
                esc(&truncate_chars(c.title, 120))
            )?;
        }
        write!(out, "</tbody></table>")?;
    }
    writeln!(out, "</section>")?;

    write!(
        out,
        "<section id=\"top-resources\"><h2>Top failing resources <small>{} of {}</small></h2>",
        stats.top_resources.len(),
        stats.failing_resources
    )?;
    if stats.top_resources.is_empty() {
        write!(out, "<p>None.</p>")?;
    } else {
        write!(out, "<table><colgroup><col class=\"w-sev\"><col class=\"w-num\"><col></colgroup><thead><tr><th>Severity</th><th>Count</th><th>Resource</th></tr></thead><tbody>")?;
        for r in &stats.top_resources {
            let name = if r.name.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"muted\">{}</span>", esc(r.name))
            };
            write!(
                out,
                "<tr><td><span class=\"sev sev-{0}\">{0}</span></td><td class=\"num\">{1}</td><td><code>{2}</code>{3}<br><span class=\"muted\">{4} · {5} · {6}</span></td></tr>",
                r.severity,
                r.count,
                ident(r.id),
                name,
                ident(r.kind.asff()),
                ident(r.account),
                ident(r.region)
            )?;
        }
        write!(out, "</tbody></table>")?;
    }
    writeln!(out, "</section>\n</div>")?;

    if !stats.gaps.is_empty() {
        write!(
            out,
            "<section id=\"gaps\" class=\"gaps\"><h2>Data that could not be read <small>{} kinds; checks that need it are NOT_AVAILABLE</small></h2><ul>",
            stats.gaps.len()
        )?;
        for g in &stats.gaps {
            let mut scope = String::new();
            if g.resources > 0 {
                scope.push_str(&format!("{} resource(s) in ", g.resources));
            }
            scope.push_str(&format!("{} region(s)", g.regions));
            if g.accounts > 1 {
                scope.push_str(&format!(" of {} accounts", g.accounts));
            }
            write!(
                out,
                "<li><code>{}</code> {}: {}<br><span class=\"muted\">{}</span></li>",
                ident(g.action),
                g.kind.as_str(),
                scope,
                ident(&truncate_chars(g.message, 300))
            )?;
        }
        writeln!(out, "</ul></section>")?;
    }
    Ok(())
}

fn findings_section(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(
        r#"<section id="findings"><h2>Findings</h2>
<div class="controls">
<input id="q" type="search" placeholder="Filter: check, title, resource, reason, account, region" aria-label="Text filter">
<select id="status" aria-label="Status"><option value="">All statuses</option><option value="problems">FAILED + WARNING</option><option value="1">FAILED</option><option value="2">WARNING</option><option value="3">NOT_AVAILABLE</option><option value="0">PASSED</option></select>
<select id="severity" aria-label="Severity"><option value="">All severities</option><option value="4">critical</option><option value="3">high</option><option value="2">medium</option><option value="1">low</option><option value="0">informational</option></select>
<span id="count" class="muted"></span>
</div>
<table id="grid"><thead><tr>
<th data-key="sev" class="w-sev">Severity</th><th data-key="status" class="w-status">Status</th><th data-key="check" class="w-check">Check</th><th data-key="title">Title</th><th data-key="resource" class="w-res">Resource</th><th data-key="account" class="w-acct wide">Account</th><th data-key="region" class="w-region wide">Region</th><th data-key="last" class="w-time wide">Last seen</th>
</tr></thead><tbody id="rows"><tr><td colspan="8">Loading… (this report needs JavaScript)</td></tr></tbody></table>
<nav class="pager"><button id="first">&laquo;</button><button id="prev">&lsaquo; Previous</button><span id="page"></span><button id="next">Next &rsaquo;</button><button id="last">&raquo;</button></nav>
</section>
</main>
"#
        .as_bytes(),
    )
}

#[cfg(test)]
mod tests;
