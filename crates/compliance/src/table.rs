//! Plain-text table of a [`Report`], for the terminal.

use crate::{ControlStatus, Report};
use std::fmt::Write;

/// Renders the report: scores by scope, then one line per control with the failing
/// resources indented under each failed control. Same report, same bytes.
pub fn render_table(report: &Report) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results of `writeln!` are ignored for that reason.
    let _ = writeln!(out, "{} ({})", report.title, report.standard);
    let e = &report.scores.estate;
    let _ = writeln!(
        out,
        "Security score: {} ({} passed, {} failed, {} warning, {} not available; {} no data, {} manual not scored)",
        e.display(),
        e.passed,
        e.failed,
        e.warning,
        e.not_available,
        e.no_data,
        e.manual
    );
    if let Some(covered) = report.covered_controls {
        let _ = writeln!(
            out,
            "Rampart evaluates {} of {} automated controls",
            covered, report.automated_controls
        );
    }
    for (scope, scores) in [
        ("account", &report.scores.accounts),
        ("region", &report.scores.regions),
    ] {
        for (name, s) in scores {
            let _ = writeln!(
                out,
                "  {scope} {name}: {} ({} passed, {} failed, {} warning, {} not available)",
                s.display(),
                s.passed,
                s.failed,
                s.warning,
                s.not_available
            );
        }
    }
    let _ = writeln!(out);

    let id_w = report
        .controls
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(2)
        .clamp(2, 48);
    let _ = writeln!(
        out,
        "{:<13} {:<id_w$} {:<13} {:>7}  TITLE",
        "STATUS", "ID", "SEVERITY", "FAILING"
    );
    for c in &report.controls {
        let _ = writeln!(
            out,
            "{:<13} {:<id_w$} {:<13} {:>7}  {}",
            c.status.as_str(),
            c.id,
            c.severity.label(),
            c.failing_resources.len(),
            c.title
        );
        if c.status == ControlStatus::Failed {
            for r in &c.failing_resources {
                let detail = if r.detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.detail)
                };
                let _ = writeln!(
                    out,
                    "    {} {} {}{}",
                    r.account, r.region, r.resource_id, detail
                );
            }
        } else if matches!(
            c.status,
            ControlStatus::NotAvailable | ControlStatus::NoData | ControlStatus::Warning
        ) {
            let _ = writeln!(out, "    {}", c.reason);
        }
    }
    out
}
