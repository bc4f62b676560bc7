//! Rampart's own JSON: the run, every finding and every gap, as the model serializes
//! them, under a versioned `schema` tag.

use crate::Report;
use rampart_model::{Finding, Gap, RunInfo};
use serde::Serialize;
use std::io::{self, Write};

/// Bumped when a field is renamed or removed; adding a field keeps the version.
pub const SCHEMA: &str = "rampart.findings/v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    run: &'a RunInfo,
    findings: &'a [Finding],
    gaps: &'a [Gap],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    compliance: &'a [rampart_compliance::Report],
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        schema: SCHEMA,
        run: report.run,
        findings: report.findings,
        gaps: report.gaps,
        compliance: report.compliance,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use crate::{fixtures, render, Format, Report};
    use rampart_model::Finding;

    #[test]
    fn json_snapshot_and_round_trip() {
        let (run, findings, gaps) = fixtures::small();
        let report = Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        };
        let mut out = Vec::new();
        render(Format::Json, &report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::assert_snapshot!(text);

        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["schema"], "rampart.findings/v1");
        let back: Vec<Finding> = serde_json::from_value(v["findings"].clone()).unwrap();
        assert_eq!(back, findings);
    }
}
