//! The compliance sections: one per standard, with its security score as a gauge, the
//! controls by status (each count a filter), scores by account and region, and every control
//! with its failing resources. Filters work like the findings grid's: a text filter, a
//! status and a severity select; `report.js` hides the rows that do not match.
//!
//! The gauge is inline SVG (no image, font or script from anywhere): an arc whose length is
//! the score, drawn with `pathLength="100"` so the percentage is the dash length.

use super::ids::ident;
use crate::text::html_escape as esc;
use rampart_compliance::{ControlStatus, Report as Standard, Score};
use std::io::{self, Write};

/// The statuses in the order a reader wants them: what needs work first.
const ORDER: [ControlStatus; 6] = [
    ControlStatus::Failed,
    ControlStatus::Warning,
    ControlStatus::NotAvailable,
    ControlStatus::Passed,
    ControlStatus::NoData,
    ControlStatus::Manual,
];

/// At most this many failing resources are listed under one control; the rest are counted.
const MAX_LISTED: usize = 20;

/// The `id` of a standard's section, for the table of contents.
pub(super) fn anchor(std: &Standard) -> String {
    format!("compliance-{}", std.standard)
}

pub(super) fn sections(standards: &[Standard], out: &mut dyn Write) -> io::Result<()> {
    for std in standards {
        section(std, out)?;
    }
    Ok(())
}

fn score_class(s: &Score) -> &'static str {
    match s.percent {
        None => "g-none",
        Some(p) if p >= 80.0 => "g-good",
        Some(p) if p >= 50.0 => "g-fair",
        Some(_) => "g-poor",
    }
}

fn gauge(s: &Score, label: &str) -> String {
    let arc = match s.percent {
        Some(p) => format!(
            "<circle class=\"arc\" cx=\"50\" cy=\"50\" r=\"42\" pathLength=\"100\" stroke-dasharray=\"{:.1} 100\" transform=\"rotate(-90 50 50)\"/>",
            p.clamp(0.0, 100.0)
        ),
        None => String::new(),
    };
    format!(
        "<svg class=\"gauge {}\" viewBox=\"0 0 100 100\" width=\"96\" height=\"96\" role=\"img\" aria-label=\"{} security score {}\"><circle class=\"track\" cx=\"50\" cy=\"50\" r=\"42\"/>{arc}<text x=\"50\" y=\"57\" text-anchor=\"middle\">{}</text></svg>",
        score_class(s),
        esc(label),
        esc(&s.display()),
        esc(&s.display())
    )
}

fn counts(s: &Score) -> String {
    format!(
        "{} passed, {} failed, {} warning, {} not available; {} no data and {} manual not scored",
        s.passed, s.failed, s.warning, s.not_available, s.no_data, s.manual
    )
}

fn section(std: &Standard, out: &mut dyn Write) -> io::Result<()> {
    let e = &std.scores.estate;
    writeln!(
        out,
        "<section id=\"{}\" class=\"compliance\"><h2>{} <small>security score {}</small></h2>",
        esc(&anchor(std)),
        esc(std.title),
        esc(&e.display())
    )?;
    write!(out, "<div class=\"score\">{}<div>", gauge(e, std.title))?;
    write!(
        out,
        "<p>Passed controls ÷ controls with data (Security Hub's score): {}.",
        counts(e)
    )?;
    if let Some(covered) = std.covered_controls {
        write!(
            out,
            " Rampart evaluates {covered} of {} automated controls.",
            std.automated_controls
        )?;
    }
    write!(out, "</p><div class=\"cards\">")?;
    for st in ORDER {
        let n = std.controls.iter().filter(|c| c.status == st).count();
        write!(
            out,
            "<button class=\"card st-{0}\" data-cstatus=\"{0}\"><b>{n}</b>{1}</button>",
            st.as_str(),
            ident(st.as_str())
        )?;
    }
    writeln!(out, "</div></div></div>")?;

    scopes(std, out)?;

    writeln!(
        out,
        "<div class=\"controls\"><input class=\"cq\" type=\"search\" placeholder=\"Filter: control, title, resource, account, region\" aria-label=\"Filter the controls of {0}\">\
         <select class=\"cstatus\" aria-label=\"Status of the controls of {0}\"><option value=\"\">All statuses</option>{1}</select>\
         <select class=\"csev\" aria-label=\"Severity of the controls of {0}\"><option value=\"\">All severities</option><option>critical</option><option>high</option><option>medium</option><option>low</option><option>informational</option></select>\
         <span class=\"ccount muted\"></span></div>",
        esc(std.title),
        ORDER
            .iter()
            .map(|s| format!("<option>{}</option>", s.as_str()))
            .collect::<String>()
    )?;
    writeln!(
        out,
        "<table class=\"ctl\"><colgroup><col class=\"w-status\"><col class=\"w-control\"><col class=\"w-sev\"><col><col class=\"w-failing\"></colgroup>\
         <thead><tr><th>Status</th><th>Control</th><th>Severity</th><th>Title</th><th>Failing resources</th></tr></thead><tbody>"
    )?;
    for c in &std.controls {
        let status = c.status.as_str();
        write!(
            out,
            "<tr class=\"c c-{status}\" data-status=\"{status}\" data-severity=\"{}\"><td><span class=\"st st-{status}\">{}</span></td><td><code>{}</code></td><td><span class=\"sev sev-{}\">{}</span></td><td>{}",
            c.severity,
            ident(status),
            ident(c.id),
            c.severity,
            c.severity,
            esc(c.title)
        )?;
        if c.status != ControlStatus::Passed && c.status != ControlStatus::Failed {
            write!(out, "<br><span class=\"muted\">{}</span>", esc(&c.reason))?;
        }
        write!(out, "</td><td>")?;
        if !c.failing_resources.is_empty() {
            write!(out, "<ul class=\"res\">")?;
            for r in c.failing_resources.iter().take(MAX_LISTED) {
                let name = if r.resource_name.is_empty() || r.resource_name == r.resource_id {
                    String::new()
                } else {
                    format!("{} · ", esc(&r.resource_name))
                };
                let detail = if r.detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", esc(&r.detail))
                };
                write!(
                    out,
                    "<li><code>{}</code>{detail}<br><span class=\"muted\">{name}{} · {}</span></li>",
                    ident(&r.resource_id),
                    ident(&r.account),
                    ident(&r.region)
                )?;
            }
            write!(out, "</ul>")?;
            let more = c.failing_resources.len().saturating_sub(MAX_LISTED);
            if more > 0 {
                write!(
                    out,
                    "<span class=\"muted\">and {more} more (see the findings)</span>"
                )?;
            }
        }
        writeln!(out, "</td></tr>")?;
    }
    writeln!(out, "</tbody></table></section>")
}

/// Scores per account and per region, folded: with one account and region it repeats the
/// estate's score.
fn scopes(std: &Standard, out: &mut dyn Write) -> io::Result<()> {
    write!(
        out,
        "<details class=\"scopes\"><summary>Scores by account and region</summary><table><colgroup><col class=\"w-scope\"><col class=\"w-score\"><col></colgroup><thead><tr><th>Scope</th><th>Score</th><th>Controls</th></tr></thead><tbody>"
    )?;
    for (kind, scores) in [
        ("account", &std.scores.accounts),
        ("region", &std.scores.regions),
    ] {
        for (name, s) in scores {
            write!(
                out,
                "<tr><td>{kind} <code>{}</code></td><td class=\"num {}\">{}</td><td>{}</td></tr>",
                ident(name),
                score_class(s),
                esc(&s.display()),
                counts(s)
            )?;
        }
    }
    writeln!(out, "</tbody></table></details>")
}
