//! Renderers: from findings, gaps and a run's facts to the formats people and other
//! tools read: a terminal summary (`table`), Rampart's own `json`, AWS Security Hub's
//! `asff`, `ocsf` Compliance Findings, `csv` and a self-contained `html` report.
//!
//! **Architecture invariant:** rendering is pure. A renderer reads a [`Report`] and
//! writes bytes to the [`Write`] it is given; it runs no SQL, makes no HTTP request,
//! knows no AWS SDK and reads no clock (every timestamp comes from the findings or the
//! run). The same report always renders to the same bytes.
//!
//! **API boundary:** [`Report`], [`Format`], [`render`] and [`summary`] are what the
//! CLI and the server call. The `json` layout is versioned by its `schema` field; ASFF
//! and OCSF follow their published specifications.

mod asff;
mod csv;
#[cfg(test)]
mod fixtures;
mod html;
mod json;
mod ocsf;
mod stats;
mod table;
mod text;

use rampart_model::{Finding, Gap, RunInfo};
use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

/// Everything one rendering needs: the run, its findings and the data it could not read.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub run: &'a RunInfo,
    pub findings: &'a [Finding],
    pub gaps: &'a [Gap],
    /// Compliance with each standard, with the failing resources behind every control
    /// (empty when the run evaluated no standard's controls).
    pub compliance: &'a [rampart_compliance::Report],
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The terminal summary, as [`summary`] renders it without color.
    Table,
    /// `{"schema":"rampart.findings/v1","run":..,"findings":[..],"gaps":[..]}`.
    Json,
    /// A JSON array of AWS Security Finding Format objects, one per finding.
    Asff,
    /// A JSON array of OCSF 1.1 Compliance Finding events, one per finding.
    Ocsf,
    /// One row per finding, with a header row.
    Csv,
    /// One self-contained HTML file with a summary and a paged, filterable table.
    Html,
    /// One row per (standard, control) with its status and the failing resources behind it.
    ComplianceCsv,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Table,
        Format::Json,
        Format::Asff,
        Format::Ocsf,
        Format::Csv,
        Format::Html,
        Format::ComplianceCsv,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Asff => "asff",
            Format::Ocsf => "ocsf",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::ComplianceCsv => "compliance-csv",
        }
    }

    /// The usual file extension of this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Asff => "asff.json",
            Format::Ocsf => "ocsf.json",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::ComplianceCsv => "compliance.csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: use one of table, json, asff, ocsf, csv, html, compliance-csv")]
pub struct ParseFormatError(String);

impl FromStr for Format {
    type Err = ParseFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == lower)
            .ok_or_else(|| ParseFormatError(s.to_string()))
    }
}

/// Renders `report` in `format` to `out`. Output is buffered here, so an unbuffered
/// `out` such as `stdout().lock()` is fine.
pub fn render(format: Format, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(64 * 1024, out);
    match format {
        Format::Table => w.write_all(summary(report, false).as_bytes())?,
        Format::Json => json::render(report, &mut w)?,
        Format::Asff => asff::render(report, &mut w)?,
        Format::Ocsf => ocsf::render(report, &mut w)?,
        Format::Csv => crate::csv::render(report, &mut w)?,
        Format::Html => html::render(report, &mut w)?,
        Format::ComplianceCsv => crate::csv::render_compliance(report, &mut w)?,
    }
    w.flush()
}

/// The terminal summary: run facts, counts by status and severity, the top failing
/// checks and resources, the data that could not be read, and a closing line. With
/// `color`, statuses and severities carry ANSI colors.
pub fn summary(report: &Report, color: bool) -> String {
    table::summary(&stats::Stats::new(report), report, color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string().to_uppercase().parse::<Format>(), Ok(f));
        }
        let err = "sarif".parse::<Format>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown format `sarif`: use one of table, json, asff, ocsf, csv, html, compliance-csv"
        );
    }

    /// A run that could not read everything says so in every format, with what was not read
    /// in words; a complete run carries no such mark (and JSON says `[]`).
    #[test]
    fn an_incomplete_run_says_so_in_every_format() {
        let (mut run, findings, gaps) = fixtures::small();
        let render_all = |run: &RunInfo| -> Vec<(Format, String)> {
            let report = Report { run, findings: &findings, gaps: &gaps, compliance: &[] };
            [Format::Table, Format::Json, Format::Asff, Format::Ocsf, Format::Csv, Format::Html]
                .into_iter()
                .map(|f| {
                    let mut out = Vec::new();
                    render(f, &report, &mut out).unwrap();
                    (f, String::from_utf8(out).unwrap())
                })
                .collect()
        };
        let what = "packages of Python `/usr/lib/python3/dist-packages/locked` not read: permission denied";
        for (f, text) in render_all(&run) {
            assert!(!text.contains("not read") && !text.to_lowercase().contains("incomplete:"), "{f}: a complete run is not marked");
        }
        run.incomplete = vec![what.into(), "s3:GetBucketPolicy access denied (2 calls)".into()];
        for (f, text) in render_all(&run) {
            assert!(text.contains("permission denied"), "{f} does not say what was not read");
            match f {
                Format::Json => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(v["run"]["incomplete"][0], what);
                }
                Format::Asff => {
                    let v: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
                    assert!(v.iter().all(|f| f["ProductFields"]["rampart/RunIncomplete"].as_str().unwrap().starts_with(what)));
                }
                Format::Ocsf => {
                    let v: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
                    assert!(v.iter().all(|e| e["unmapped"]["run_incomplete"][1] == "s3:GetBucketPolicy access denied (2 calls)"));
                }
                Format::Csv => {
                    let mut rd = ::csv::Reader::from_reader(text.as_bytes());
                    assert_eq!(rd.headers().unwrap().iter().last(), Some("run_incomplete"));
                    for row in rd.records() {
                        assert!(row.unwrap().iter().last().unwrap().starts_with(what));
                    }
                }
                Format::Table => {
                    let header: String = text.split("\nResults").next().unwrap().into();
                    assert!(header.contains("INCOMPLETE: 2 thing(s) could not be read") && header.contains(what), "{header}");
                }
                Format::Html => {
                    let header = &text[..text.find("</header>").unwrap()];
                    assert!(header.contains("Incomplete: 2 thing(s) could not be read") && header.contains("permission denied"), "in the header");
                }
                Format::ComplianceCsv => {}
            }
        }
    }

    #[test]
    fn table_format_is_the_uncolored_summary() {
        let (run, findings, gaps) = fixtures::small();
        let report = Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        };
        let mut out = Vec::new();
        render(Format::Table, &report, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), summary(&report, false));
    }
}
