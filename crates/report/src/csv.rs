//! One CSV row per finding, with a header row.
//!
//! Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`,
//! tab or carriage return) get a leading `'`, since names and reasons come from the
//! scanned account (OWASP "CSV injection").

use crate::Report;
use rampart_model::{rfc3339, Finding};
use std::borrow::Cow;
use std::io::{self, Write};

/// The columns; new ones are added at the end (a column's name and place are a promise).
pub const HEADER: [&str; 17] = [
    "id",
    "status",
    "severity",
    "check_id",
    "title",
    "account",
    "region",
    "resource_type",
    "resource_id",
    "resource_name",
    "reason",
    "related_requirements",
    "first_observed",
    "last_observed",
    "workflow_status",
    "remediation",
    // What the run could not read ("; "-separated); empty: the run read everything.
    "run_incomplete",
];

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let incomplete = report.run.incomplete.join("; ");
    for f in report.findings {
        w.write_record(row(f, &incomplete).iter().map(|c| defuse(c).into_owned()))?;
    }
    w.flush()
}

fn row<'a>(f: &'a Finding, incomplete: &'a str) -> [Cow<'a, str>; 17] {
    let remediation = [&f.remediation_console, &f.remediation_cli, &f.remediation_url]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(" | ");
    [
        Cow::Borrowed(f.id.as_str()),
        Cow::Borrowed(f.status.as_str()),
        // `unknown` for a vulnerability no source rates, as the terminal summary says.
        Cow::Borrowed(f.severity_name()),
        Cow::Borrowed(&*f.check_id),
        Cow::Borrowed(&*f.title),
        Cow::Borrowed(f.resource.account.as_str()),
        Cow::Borrowed(f.resource.region.as_str()),
        Cow::Borrowed(f.resource.kind.asff()),
        Cow::Borrowed(f.resource.id.as_str()),
        Cow::Borrowed(f.resource.name.as_str()),
        Cow::Borrowed(f.reason.as_str()),
        Cow::Owned(f.related_requirements.join("; ")),
        Cow::Owned(rfc3339(f.first_observed)),
        Cow::Owned(rfc3339(f.last_observed)),
        Cow::Borrowed(f.workflow_status.as_str()),
        Cow::Owned(remediation),
        Cow::Borrowed(incomplete),
    ]
}

/// Prefixes `'` to a cell a spreadsheet would evaluate as a formula.
fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Compliance as CSV: one row per (standard, control), with the failing resources joined.
pub fn render_compliance(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(["standard", "control", "status", "severity", "title", "failing_count", "failing_resources", "score"])
        .map_err(io::Error::other)?;
    for std in report.compliance {
        let score = std.scores.estate.percent.map(|p| format!("{p:.1}")).unwrap_or_default();
        for c in &std.controls {
            let resources: Vec<String> =
                c.failing_resources.iter().map(|r| format!("{}/{}/{}", r.account, r.region, r.resource_id)).collect();
            w.write_record([
                std.standard,
                c.id,
                c.status.as_str(),
                c.severity.as_str(),
                &defuse(c.title),
                &c.failing_resources.len().to_string(),
                &defuse(&resources.join("; ")),
                &score,
            ])
            .map_err(io::Error::other)?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixtures, render, Format};

    fn csv_of(report: &Report) -> String {
        let mut out = Vec::new();
        render(Format::Csv, report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_snapshot() {
        let (run, findings, gaps) = fixtures::small();
        insta::assert_snapshot!(csv_of(&Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] }));
    }

    #[test]
    fn escaping_round_trips_and_formulas_are_defused() {
        let (run, mut findings, gaps) = fixtures::small();
        findings.truncate(1);
        findings[0].reason = "line one\nline \"two\", with comma".into();
        findings[0].resource.name = "=HYPERLINK(\"http://x\")".into();
        let text = csv_of(&Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] });
        let mut rd = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
        let rows: Vec<::csv::StringRecord> = rd.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][10], "line one\nline \"two\", with comma");
        assert_eq!(&rows[0][9], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&rows[0][11], "AWS Foundational Security Best Practices/S3.2; Trusted Advisor: Amazon S3 Bucket Permissions");
    }

    #[test]
    fn unrated_vulnerabilities_are_unknown() {
        let (run, findings) = fixtures::vulnerabilities();
        let text = csv_of(&Report { run: &run, findings: &findings, gaps: &[], compliance: &[] });
        let severities: Vec<String> = ::csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.unwrap()[2].to_owned()).collect();
        assert_eq!(severities, ["high", "high", "unknown", "medium"]);
    }
}
