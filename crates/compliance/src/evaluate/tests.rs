use super::*;
use crate::{render_table, Control, ControlKind, Standard};
use rampart_model::{Resource, ResourceType, Severity};

static CONTROLS: &[Control] = &[
    Control::auto("1", "one", Severity::High),
    Control::auto("2", "two", Severity::Medium),
    Control::auto("3", "three", Severity::Low),
    Control::auto("4", "four", Severity::Low),
    Control::manual("5", "five", Severity::Low),
];

static TEST: Standard = Standard {
    id: "test",
    title: "Test standard",
    model: rampart_model::Standard::Fsbp,
    controls: CONTROLS,
};

fn req(control: &str) -> String {
    format!("AWS Foundational Security Best Practices/{control}")
}

/// A finding of `controls` on `resource` in `account`/`region`.
fn finding(
    controls: &[&str],
    status: Status,
    account: &str,
    region: &str,
    resource: &str,
) -> Finding {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    Finding {
        id: format!("rampart/x/{resource}/{}", controls.join(",")),
        check_id: "x".into(),
        title: "t".into(),
        description: String::new().into(),
        severity: Severity::High,
        status,
        reason: String::new(),
        detail: String::new(),
        service: "s3".into(),
        resource: Resource {
            id: resource.into(),
            kind: ResourceType::AwsS3Bucket,
            account: account.into(),
            region: region.into(),
            partition: "aws".into(),
            name: resource.into(),
        },
        remediation_console: String::new().into(),
        remediation_cli: String::new().into(),
        remediation_url: String::new().into(),
        related_requirements: controls.iter().map(|c| req(c)).collect::<Vec<_>>().into(),
        first_observed: now,
        last_observed: now,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}

fn f(controls: &[&str], status: Status) -> Finding {
    finding(controls, status, "111111111111", "us-east-1", "r")
}

fn suppressed(mut f: Finding) -> Finding {
    f.workflow_status = WorkflowStatus::Suppressed;
    f
}

fn status_of(r: &Report, id: &str) -> ControlStatus {
    r.control(id)
        .map(|c| c.status)
        .unwrap_or(ControlStatus::Manual)
}

#[test]
fn aggregation_follows_security_hub() {
    use ControlStatus::*;
    use Status as S;
    let cases: &[(&[Status], ControlStatus)] = &[
        (&[S::Passed, S::Passed], Passed),
        (&[S::Passed, S::Failed], Failed),
        (&[S::Warning, S::Failed, S::NotAvailable], Failed),
        (&[S::Passed, S::Warning], Warning),
        (&[S::Passed, S::NotAvailable], Warning),
        (&[S::Warning, S::NotAvailable], Warning),
        (&[S::NotAvailable, S::NotAvailable], NotAvailable),
        (&[], NoData),
    ];
    for (statuses, want) in cases {
        let findings: Vec<Finding> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| finding(&["1"], *s, "111111111111", "us-east-1", &format!("r{i}")))
            .collect();
        let r = evaluate(&TEST, &findings);
        assert_eq!(status_of(&r, "1"), *want, "{statuses:?}");
    }
}

#[test]
fn suppressed_and_archived_findings_are_ignored() {
    // A suppressed failure no longer fails the control.
    let r = evaluate(
        &TEST,
        &[
            f(&["1"], Status::Passed),
            suppressed(f(&["1"], Status::Failed)),
        ],
    );
    assert_eq!(status_of(&r, "1"), ControlStatus::Passed);
    assert_eq!(r.control("1").map(|c| c.findings.suppressed), Some(1));
    assert!(r
        .control("1")
        .is_some_and(|c| c.failing_resources.is_empty()));
    // All suppressed: no data, even when a check covers the control.
    let cov = Coverage::from_requirements([req("1")]);
    let r = evaluate_with_coverage(&TEST, &[suppressed(f(&["1"], Status::Failed))], &cov);
    assert_eq!(status_of(&r, "1"), ControlStatus::NoData);
    // Archived findings don't count at all.
    let mut archived = f(&["1"], Status::Failed);
    archived.record_state = RecordState::Archived;
    let r = evaluate(&TEST, &[archived, f(&["1"], Status::Passed)]);
    assert_eq!(status_of(&r, "1"), ControlStatus::Passed);
}

#[test]
fn score_excludes_no_data_and_manual_and_counts_unknown() {
    // 1 passed, 2 failed, 3 warning, 4 no data, 5 manual: 1 ÷ (1 + 1 + 1).
    let findings = [
        f(&["1"], Status::Passed),
        f(&["2"], Status::Failed),
        f(&["3"], Status::Warning),
    ];
    let r = evaluate(&TEST, &findings);
    let s = r.scores.estate;
    assert_eq!(
        (
            s.passed,
            s.failed,
            s.warning,
            s.not_available,
            s.no_data,
            s.manual
        ),
        (1, 1, 1, 0, 1, 1)
    );
    let p = s.percent.unwrap_or(f64::NAN);
    assert!((p - 100.0 / 3.0).abs() < 1e-9, "{p}");
    assert_eq!(s.display(), "33%");
    assert_eq!(status_of(&r, "5"), ControlStatus::Manual);
}

#[test]
fn score_arithmetic() {
    // 3 passed, 1 failed => 75 %; a suppressed failure on a passing control changes nothing.
    let findings = [
        f(&["1"], Status::Passed),
        f(&["2"], Status::Passed),
        f(&["3"], Status::Passed),
        f(&["4"], Status::Failed),
        suppressed(f(&["1"], Status::Failed)),
    ];
    let r = evaluate(&TEST, &findings);
    assert_eq!(r.scores.estate.percent, Some(75.0));
    // Nothing with data: no score rather than 0 % or 100 %.
    let r = evaluate(&TEST, &[suppressed(f(&["1"], Status::Failed))]);
    assert_eq!(r.scores.estate.percent, None);
    assert_eq!(r.scores.estate.display(), "-");
}

#[test]
fn one_finding_counts_for_every_control_it_names() {
    let r = evaluate(&TEST, &[f(&["1", "2", "nope"], Status::Failed)]);
    assert_eq!(status_of(&r, "1"), ControlStatus::Failed);
    assert_eq!(status_of(&r, "2"), ControlStatus::Failed);
    assert_eq!(r.scores.estate.failed, 2);
}

#[test]
fn coverage_tells_missing_checks_from_missing_resources() {
    let cov = Coverage::from_requirements([req("1"), req("2"), req("IAM.9")]);
    let r = evaluate_with_coverage(&TEST, &[f(&["2"], Status::Failed)], &cov);
    // No resources in scope is "No data", not a pass: it is left out of the score.
    let one = r.control("1").map(|c| (c.status, c.reason.as_str()));
    assert_eq!(one, Some((ControlStatus::NoData, "no resources in scope")));
    let three = r.control("3").map(|c| (c.status, c.reason.as_str()));
    assert_eq!(
        three,
        Some((ControlStatus::NoData, "not yet evaluated by rampart"))
    );
    assert_eq!(
        r.scores.estate.percent,
        Some(0.0),
        "only the failed control is scored"
    );
    assert_eq!(r.scores.estate.no_data, 3);
    assert_eq!(r.covered_controls, Some(2));
    assert_eq!(r.automated_controls, 4);
    assert_eq!(cov.unmatched(&TEST), vec![req("IAM.9")]);
    // Without coverage the same control has no data.
    let r = evaluate(&TEST, &[f(&["2"], Status::Failed)]);
    assert_eq!(status_of(&r, "1"), ControlStatus::NoData);
}

#[test]
fn scopes_split_by_account_and_region() {
    let a = "111111111111";
    let b = "222222222222";
    let findings = [
        finding(&["1"], Status::Failed, a, "us-east-1", "a1"),
        finding(&["1"], Status::Passed, a, "eu-west-1", "a2"),
        finding(&["1"], Status::Passed, b, "eu-west-1", "b1"),
        finding(&["2"], Status::Passed, b, "us-east-1", "b2"),
    ];
    let cov = Coverage::from_requirements([req("1"), req("2")]);
    let r = evaluate_with_coverage(&TEST, &findings, &cov);
    // Estate: 1 failed, 2 passed.
    assert_eq!(r.scores.estate.percent, Some(50.0));
    // Account a: 1 failed; 2 has no resources there => no data, not scored.
    let sa = r.scores.accounts[a];
    assert_eq!((sa.passed, sa.failed, sa.no_data), (0, 1, 3));
    // Account b: both passed.
    assert_eq!(r.scores.accounts[b].percent, Some(100.0));
    // us-east-1: 1 failed, 2 passed. eu-west-1: 1 passed, 2 no resources there => not scored.
    let use1 = r.scores.regions["us-east-1"];
    assert_eq!((use1.passed, use1.failed), (1, 1));
    let euw1 = r.scores.regions["eu-west-1"];
    assert_eq!((euw1.passed, euw1.failed, euw1.no_data), (1, 0, 3));
    assert_eq!(euw1.percent, Some(100.0));
    // The failing resource is named, with its scope.
    let failing = &r
        .control("1")
        .map(|c| c.failing_resources.clone())
        .unwrap_or_default();
    assert_eq!(failing.len(), 1);
    assert_eq!(
        (failing[0].account.as_str(), failing[0].resource_id.as_str()),
        (a, "a1")
    );
}

#[test]
fn trusted_advisor_names_match_with_either_dash() {
    let mut x = f(&[], Status::Failed);
    x.related_requirements =
        vec!["Trusted Advisor: Security Groups - Specific Ports Unrestricted".to_string()].into();
    let r = evaluate(&crate::TRUSTED_ADVISOR, &[x]);
    assert_eq!(
        status_of(&r, "Security Groups – Specific Ports Unrestricted"),
        ControlStatus::Failed
    );
}

#[test]
fn requirement_strings_match_the_model() {
    let c = crate::CIS_AWS_3_0
        .control("1.5")
        .map(|c| crate::CIS_AWS_3_0.requirement(c));
    assert_eq!(
        c.as_deref(),
        Some("CIS AWS Foundations Benchmark v3.0.0/1.5")
    );
    let t = crate::TRUSTED_ADVISOR
        .control("MFA on Root Account")
        .map(|c| crate::TRUSTED_ADVISOR.requirement(c));
    assert_eq!(t.as_deref(), Some("Trusted Advisor: MFA on Root Account"));
}

#[test]
fn json_and_table_render() {
    let findings = [f(&["1"], Status::Failed), f(&["2"], Status::Passed)];
    let r = evaluate(&TEST, &findings);
    let json = r.to_json().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(v["controls"][0]["status"], "FAILED");
    assert_eq!(v["controls"][0]["failing_resources"][0]["resource_id"], "r");
    assert_eq!(v["controls"][4]["kind"], "manual");
    assert_eq!(v["scores"]["estate"]["percent"], 50.0);
    let table = render_table(&r);
    assert!(table.contains("Security score: 50%"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("FAILED") && l.contains("one")),
        "{table}"
    );
    assert!(table.contains("    111111111111 us-east-1 r"), "{table}");
    assert_eq!(table, render_table(&r), "rendering is deterministic");
    assert_eq!(CONTROLS[4].kind, ControlKind::Manual);
}

#[test]
fn manual_control_lists_nothing_as_failing() {
    // A check result that names both a manual control (5) and an automated one (1), as
    // Rampart's root hardware MFA check names CIS 1.6 (manual) and FSBP IAM.6.
    let r = evaluate(&TEST, &[f(&["1", "5"], Status::Failed)]);
    let five = r.control("5").cloned();
    let five = five.as_ref();
    assert_eq!(five.map(|c| c.status), Some(ControlStatus::Manual));
    assert_eq!(five.map(|c| c.failing_resources.len()), Some(0));
    assert_eq!(five.map(|c| c.findings), Some(Tally::default()));
    assert_eq!(status_of(&r, "1"), ControlStatus::Failed);
    assert_eq!(r.scores.estate.manual, 1);
    assert_eq!(
        r.scores.estate.failed, 1,
        "the manual control is not scored"
    );
    let json = r.to_json().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(v["controls"][4]["status"], "MANUAL");
    assert_eq!(v["controls"][4]["failing_resources"], serde_json::json!([]));
    let table = render_table(&r);
    let line = table
        .lines()
        .find(|l| l.starts_with("MANUAL"))
        .unwrap_or("");
    assert!(line.contains(" 0  five"), "{table}");
}

#[test]
fn manual_cis_1_6_lists_no_failing_resource() {
    let mut x = f(&[], Status::Failed);
    x.related_requirements = vec![
        "CIS AWS Foundations Benchmark v3.0.0/1.6".to_string(),
        "AWS Foundational Security Best Practices/IAM.6".to_string(),
    ]
    .into();
    let cis = evaluate(&crate::CIS_AWS_3_0, std::slice::from_ref(&x));
    let c = cis.control("1.6").cloned();
    assert_eq!(c.as_ref().map(|c| c.status), Some(ControlStatus::Manual));
    assert_eq!(c.map(|c| c.failing_resources.len()), Some(0));
    let fsbp = evaluate(&crate::FSBP, &[x]);
    assert_eq!(status_of(&fsbp, "IAM.6"), ControlStatus::Failed);
}

/// Two regions of one account: control 1 has a failing resource in us-east-1 and no resource
/// in eu-west-1; control 3 fails in eu-west-1; control 2 has no resource anywhere. Before, the
/// account counted 2 as PASSED ("no resources in scope") and scored 33 % while each of its
/// regions scored 0 %.
#[test]
fn account_score_never_exceeds_what_its_regions_justify() {
    let a = "111111111111";
    let findings = [
        finding(&["1"], Status::Failed, a, "us-east-1", "r1"),
        finding(&["3"], Status::Failed, a, "eu-west-1", "r3"),
    ];
    let cov = Coverage::from_requirements([req("1"), req("2"), req("3")]);
    let r = evaluate_with_coverage(&TEST, &findings, &cov);
    let acct = r.scores.accounts[a];
    assert_eq!(acct.percent, Some(0.0), "{acct:?}");
    assert_eq!((acct.passed, acct.failed, acct.no_data), (0, 2, 2));
    assert_eq!(r.scores.estate.percent, Some(0.0));
    let best_region = r
        .scores
        .regions
        .values()
        .filter_map(|s| s.percent)
        .fold(0.0_f64, f64::max);
    for s in r.scores.accounts.values().chain([&r.scores.estate]) {
        assert!(
            s.percent.unwrap_or(0.0) <= best_region,
            "{s:?} > {best_region}"
        );
    }
    let two = r.control("2").map(|c| (c.status, c.reason.as_str()));
    assert_eq!(two, Some((ControlStatus::NoData, "no resources in scope")));
}

/// Every control PASSED at the account is PASSED in some region, and every control FAILED at
/// the account FAILED in some region: the account adds no verdict its regions lack.
#[test]
fn account_verdicts_come_from_its_regions() {
    let a = "111111111111";
    let findings = [
        finding(&["1"], Status::Passed, a, "us-east-1", "r1"),
        finding(&["1"], Status::Failed, a, "eu-west-1", "r2"),
        finding(&["2"], Status::Passed, a, "eu-west-1", "r3"),
        finding(&["3"], Status::NotAvailable, a, "us-east-1", "r4"),
    ];
    let cov = Coverage::from_requirements([req("1"), req("2"), req("3"), req("4")]);
    let r = evaluate_with_coverage(&TEST, &findings, &cov);
    let acct = r.scores.accounts[a];
    let regions: Vec<Score> = r.scores.regions.values().copied().collect();
    assert!(acct.passed <= regions.iter().map(|s| s.passed).sum::<usize>());
    assert_eq!(
        (acct.passed, acct.failed, acct.not_available, acct.no_data),
        (1, 1, 1, 1)
    );
    assert_eq!(acct.percent, Some(100.0 / 3.0));
}

#[test]
fn all_not_available_is_its_own_count() {
    let findings = [
        finding(
            &["1"],
            Status::NotAvailable,
            "111111111111",
            "us-east-1",
            "a",
        ),
        finding(
            &["1"],
            Status::NotAvailable,
            "111111111111",
            "us-east-1",
            "b",
        ),
        f(&["2"], Status::Passed),
        finding(
            &["3"],
            Status::NotAvailable,
            "111111111111",
            "us-east-1",
            "c",
        ),
        finding(&["3"], Status::Passed, "111111111111", "us-east-1", "d"),
    ];
    let r = evaluate(&TEST, &findings);
    assert_eq!(status_of(&r, "1"), ControlStatus::NotAvailable);
    assert_eq!(
        status_of(&r, "3"),
        ControlStatus::Warning,
        "mixed with a pass: unknown"
    );
    let s = r.scores.estate;
    assert_eq!(
        (
            s.passed,
            s.failed,
            s.warning,
            s.not_available,
            s.no_data,
            s.manual
        ),
        (1, 0, 1, 1, 1, 1)
    );
    // Unread is never a pass: 1 ÷ (1 passed + 1 warning + 1 not available).
    assert_eq!(s.display(), "33%");
    let table = render_table(&r);
    assert!(
        table.contains(
            "Security score: 33% (1 passed, 0 failed, 1 warning, 1 not available; 1 no data, 1 manual not scored)"
        ),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("NOT_AVAILABLE") && l.contains("one")),
        "{table}"
    );
    assert!(
        table.contains("all 2 results are NOT_AVAILABLE: the data could not be read"),
        "{table}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&r.to_json().unwrap_or_default()).unwrap_or_default();
    assert_eq!(v["controls"][0]["status"], "NOT_AVAILABLE");
    assert_eq!(v["controls"][3]["status"], "NO_DATA");
    assert_eq!(v["scores"]["estate"]["not_available"], 1);
    assert_eq!(v["scores"]["estate"]["no_data"], 1);
}
