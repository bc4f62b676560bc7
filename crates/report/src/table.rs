//! The terminal summary (the `table` format).
//!
//! Text that comes from an account (names, ids, error messages) goes through
//! [`terminal_safe`], so it cannot carry escape sequences to the terminal.

use crate::stats::{human_duration, severity_name, GapGroup, Stats, STATUSES};
use crate::text::{terminal_safe, truncate_chars};
use crate::Report;
use rampart_model::{rfc3339, GapKind, Severity, Status};
use std::fmt::Write as _;

/// How many gap lines the summary shows before "and N more".
const MAX_GAP_LINES: usize = 20;
/// How many accounts or regions are listed by name.
const MAX_LISTED: usize = 8;
const TITLE_WIDTH: usize = 72;

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, s: &str, sgr: &str) -> String {
        if self.color && !sgr.is_empty() {
            format!("\x1b[{sgr}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint(s, "1")
    }
    /// `s` padded to `width`, then colored as `status`.
    fn status(&self, status: Status, width: usize) -> String {
        self.paint(&format!("{:<width$}", status.as_str()), status_sgr(status))
    }
    fn severity(&self, sev: Severity, width: usize) -> String {
        self.paint(&format!("{:<width$}", sev.as_str()), severity_sgr(sev))
    }
    /// A row's severity: the level, or `unknown` for vulnerabilities no source rates.
    fn rated(&self, sev: Severity, unknown: bool, width: usize) -> String {
        if unknown {
            self.paint(&format!("{:<width$}", severity_name(sev, true)), UNKNOWN_SGR)
        } else {
            self.severity(sev, width)
        }
    }
}

fn status_sgr(s: Status) -> &'static str {
    match s {
        Status::Passed => "32",
        Status::Failed => "31",
        Status::Warning => "33",
        Status::NotAvailable => "35",
    }
}

/// Magenta, as NOT_AVAILABLE: something is there that could not be rated.
const UNKNOWN_SGR: &str = "35";

fn severity_sgr(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Informational => "2",
    }
}

/// `a, b, c` or `a, b, … (12 in all)`.
fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<_> = items.iter().take(MAX_LISTED).map(|s| terminal_safe(s)).collect();
    let mut s = shown.join(", ");
    if items.len() > MAX_LISTED {
        let _ = write!(s, ", … ({} in all)", items.len());
    }
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary(stats: &Stats, report: &Report, color: bool) -> String {
    let p = Painter { color };
    let run = report.run;
    let mut out = String::new();
    // `write!` to a String cannot fail; the results are ignored below.
    let o = &mut out;

    let _ = writeln!(o, "{}", p.bold(&format!("Rampart {} scan {}", terminal_safe(&run.tool_version), terminal_safe(&run.id))));
    let _ = writeln!(o, "  source    {}", terminal_safe(&run.source));
    let _ = writeln!(o, "  accounts  {}", list(&run.accounts));
    let _ = writeln!(o, "  regions   {}", list(&run.regions));
    let _ = writeln!(
        o,
        "  duration  {} (started {}, finished {})",
        human_duration(stats.duration),
        rfc3339(run.started_at),
        rfc3339(run.finished_at)
    );
    // A partial read is said in the header, before any count that could look clean.
    if !run.incomplete.is_empty() {
        let _ = writeln!(o, "  {}", p.bold(&format!("INCOMPLETE: {} thing(s) could not be read", run.incomplete.len())));
        for what in run.incomplete.iter().take(10) {
            let _ = writeln!(o, "    - {}", terminal_safe(what));
        }
        if run.incomplete.len() > 10 {
            let _ = writeln!(o, "    - and {} more (all of them in the json output's `run.incomplete`)", run.incomplete.len() - 10);
        }
    }

    let _ = writeln!(o, "\n{}", p.bold(&format!("Results: {}", stats.total)));
    for s in STATUSES {
        let _ = writeln!(o, "  {} {:>7}", p.status(s, 14), stats.count(s));
    }

    let _ = writeln!(o, "\n{}", p.bold(&format!("Problems by severity (FAILED + WARNING): {}", stats.problems)));
    for (sev, n) in stats.problems_by_severity {
        let _ = writeln!(o, "  {} {:>7}", p.severity(sev, 14), n);
    }
    if stats.problems_unknown > 0 {
        let _ = writeln!(o, "  {} {:>7}", p.rated(Severity::Informational, true, 14), stats.problems_unknown);
    }

    if !stats.top_checks.is_empty() {
        let _ = writeln!(o, "\n{}", p.bold(&format!("Top failing checks ({} of {})", stats.top_checks.len(), stats.failing_checks)));
        let id_w = stats.top_checks.iter().map(|c| c.check_id.chars().count()).max().unwrap_or(0).max(5);
        let _ = writeln!(o, "  {:<13} {:>5}  {:<id_w$}  TITLE", "SEVERITY", "COUNT", "CHECK");
        for c in &stats.top_checks {
            let _ = writeln!(
                o,
                "  {} {:>5}  {:<id_w$}  {}",
                p.rated(c.severity, c.unknown, 13),
                c.count,
                terminal_safe(c.check_id),
                terminal_safe(&truncate_chars(c.title, TITLE_WIDTH))
            );
        }
    }

    if !stats.top_resources.is_empty() {
        let _ =
            writeln!(o, "\n{}", p.bold(&format!("Top failing resources ({} of {})", stats.top_resources.len(), stats.failing_resources)));
        let _ = writeln!(o, "  {:<13} {:>5}  RESOURCE", "SEVERITY", "COUNT");
        for r in &stats.top_resources {
            let named = if r.name.is_empty() || r.id.contains(r.name) { String::new() } else { format!(" ({})", terminal_safe(r.name)) };
            let _ = writeln!(o, "  {} {:>5}  {}{}", p.rated(r.severity, r.unknown, 13), r.count, terminal_safe(r.id), named);
        }
    }

    if !stats.gaps.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            p.bold(&format!(
                "Data that could not be read ({}; checks that need it are NOT_AVAILABLE)",
                plural(stats.gaps.len(), "kind of gap", "kinds of gaps")
            ))
        );
        for g in stats.gaps.iter().take(MAX_GAP_LINES) {
            let _ = writeln!(o, "  {}", gap_line(g, &p));
        }
        if stats.gaps.len() > MAX_GAP_LINES {
            let _ = writeln!(o, "  … and {} more", stats.gaps.len() - MAX_GAP_LINES);
        }
    }

    let _ = writeln!(o, "\n{}", closing_line(stats, &p));
    out
}

fn gap_line(g: &GapGroup, p: &Painter) -> String {
    let mut where_ = String::new();
    if g.resources > 0 {
        let _ = write!(where_, "on {} ", plural(g.resources, "resource", "resources"));
    }
    let _ = write!(where_, "in {}", plural(g.regions, "region", "regions"));
    if g.accounts > 1 {
        let _ = write!(where_, " of {} accounts", g.accounts);
    }
    let action = terminal_safe(g.action);
    let advice = match g.kind {
        GapKind::AccessDenied => format!("allow `{action}` to the scanning identity"),
        GapKind::RegionDisabled => "enable the region or leave it out of the scan".to_string(),
        GapKind::Throttled | GapKind::Timeout | GapKind::ServerError => "transient; scan again".to_string(),
        GapKind::NotSupported | GapKind::Malformed | GapKind::Other => {
            format!("e.g. {}", terminal_safe(&truncate_chars(g.message, 100)))
        }
    };
    format!("{} {} {} — {}", p.bold(&action), p.paint(g.kind.as_str(), status_sgr(Status::NotAvailable)), where_, advice)
}

fn closing_line(stats: &Stats, p: &Painter) -> String {
    let na = stats.count(Status::NotAvailable);
    let mut line = if stats.problems == 0 {
        p.paint(&format!("No problems in {}", plural(stats.total, "result", "results")), status_sgr(Status::Passed))
    } else {
        let mut by_sev: Vec<String> = stats
            .problems_by_severity
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| p.paint(&format!("{n} {s}"), severity_sgr(*s)))
            .collect();
        if stats.problems_unknown > 0 {
            by_sev.push(p.paint(&format!("{} unknown", stats.problems_unknown), UNKNOWN_SGR));
        }
        format!("{} ({}) in {}", plural(stats.problems, "problem", "problems"), by_sev.join(", "), plural(stats.total, "result", "results"))
    };
    if na > 0 {
        let _ = write!(line, "; {} could not be evaluated for lack of data", plural(na, "result", "results"));
    }
    line.push('.');
    line
}

#[cfg(test)]
mod tests {
    use crate::{fixtures, summary, Report};
    use rampart_model::{Gap, GapKind};

    #[test]
    fn summary_snapshot() {
        let (run, findings, gaps) = fixtures::small();
        let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] };
        insta::assert_snapshot!(summary(&report, false));
    }

    #[test]
    fn summary_content() {
        let (run, findings, gaps) = fixtures::small();
        let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] };
        let s = summary(&report, false);
        for needle in [
            "source    aws",
            "accounts  123456789012",
            "regions   eu-west-1, us-east-1",
            "duration  2m 13s",
            "PASSED               1",
            "FAILED               3",
            "NOT_AVAILABLE        1",
            "critical             2",
            "ec2_sg_open_admin_port",
            "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc (bastion)",
            "allow `iam:GetAccountSummary` to the scanning identity",
            "s3:GetBucketPolicy access denied on 1 resource in 1 region",
            "4 problems (2 critical, 1 high, 1 medium) in 6 results; 1 result could not be evaluated",
        ] {
            assert!(s.contains(needle), "missing {needle:?} in\n{s}");
        }
        assert!(!s.contains('\x1b'), "no color was asked for");
        // The check title, not the finding title with its detail.
        assert!(!s.contains("(tcp/22)"));
    }

    #[test]
    fn color_and_terminal_safety() {
        let (run, findings, mut gaps) = fixtures::small();
        gaps.push(Gap {
            action: "ec2:Describe\x1b[2JInstances".into(),
            kind: GapKind::Other,
            account: fixtures::ACCOUNT.into(),
            region: "eu-west-1".into(),
            resource: None,
            message: "boom\x1b]0;title\x07".into(),
        });
        let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] };
        let colored = summary(&report, true);
        assert!(colored.contains("\x1b[31mFAILED"));
        assert!(!colored.contains("\x1b[2J") && !colored.contains("\x1b]0;"));
        assert!(colored.contains("ec2:Describe?[2JInstances"));
    }

    #[test]
    fn empty_report() {
        let run = fixtures::run();
        let report = Report { run: &run, findings: &[], gaps: &[], compliance: &[] };
        let s = summary(&report, false);
        assert!(s.ends_with("No problems in 0 results.\n"), "{s}");
        assert!(!s.contains("Top failing"));
    }

    /// Vulnerability findings are counted by their own severity; unrated ones as unknown.
    #[test]
    fn vulnerabilities_by_their_own_severity() {
        let (run, findings) = fixtures::vulnerabilities();
        let report = Report { run: &run, findings: &findings, gaps: &[], compliance: &[] };
        let s = summary(&report, false);
        for needle in [
            "high                 2",
            "unknown              1",
            "high              2  host_cve",
            "unknown           1  host_cve",
            "4 problems (2 high, 1 medium, 1 unknown) in 4 results.",
        ] {
            assert!(s.contains(needle), "missing {needle:?} in\n{s}");
        }
        assert!(!s.contains("high              3  host_cve"), "{s}");
        assert!(!s.contains("informational        1"), "unknown is not informational:\n{s}");
    }
}
