//! Insights: counts per group, drill-down to exactly the counted findings, custom insight
//! CRUD, and the managed insights on rampart's check ids.

use crate::{managed_insights, FindingFilters, FindingQuery, Insight, Store, StoreError, StringComparison};
use rampart_model::{Finding, ResourceType, RunInfo, Severity, Status, Timestamp, WorkflowStatus};
use std::collections::BTreeSet;
use time::macros::datetime;

fn now() -> Timestamp {
    datetime!(2026-05-01 12:00:00 UTC)
}

/// A finding of `check` on `resource` in `account`.
fn finding(check: &str, resource: &str, account: &str, kind: ResourceType, severity: Severity, status: Status, reqs: &[&str]) -> Finding {
    let mut f = crate::tests::finding(check, resource, account, "us-east-1", status, 0);
    f.resource.kind = kind;
    f.severity = severity;
    f.related_requirements = reqs.iter().map(|s| s.to_string()).collect::<Vec<_>>().into();
    f
}

const FSBP: &str = "AWS Foundational Security Best Practices/";
const CIS: &str = "CIS AWS Foundations Benchmark v3.0.0/";

fn fixture() -> Store {
    use ResourceType::*;
    use Severity::*;
    use Status::*;
    let a = "111111111111";
    let b = "222222222222";
    let mut fs = vec![
        finding("s3_bucket_public_read", "open", a, AwsS3Bucket, Critical, Failed, &[&format!("{FSBP}S3.2")]),
        finding("s3_bucket_public_write", "open", a, AwsS3Bucket, Critical, Failed, &[&format!("{FSBP}S3.3")]),
        finding("s3_bucket_public_read", "closed", a, AwsS3Bucket, Critical, Passed, &[&format!("{FSBP}S3.2")]),
        finding("s3_bucket_versioning", "open", a, AwsS3Bucket, Medium, Failed, &[&format!("{FSBP}S3.14"), &format!("{CIS}2.1.3")]),
        finding("s3_bucket_versioning", "logs", b, AwsS3Bucket, Medium, Failed, &[&format!("{FSBP}S3.14")]),
        finding("inspector_network_reachability", "i-web", a, AwsEc2Instance, High, Failed, &[]),
        finding("inspector_network_reachability", "i-db", b, AwsEc2Instance, High, Failed, &[]),
        finding("ec2_imdsv2_required", "i-web", a, AwsEc2Instance, High, Failed, &[&format!("{FSBP}EC2.8"), &format!("{CIS}5.6")]),
        finding("host_cve", "i-web", a, AwsEc2Instance, Low, Failed, &[]),
        finding("iam_root_mfa", "root", b, AwsAccount, Critical, Failed, &[&format!("{CIS}1.5")]),
    ];
    // One finding suppressed by a person: out of every managed insight.
    let mut store = Store::open_in_memory().unwrap();
    let run = RunInfo {
        id: "r1".into(),
        started_at: now() - time::Duration::hours(1),
        finished_at: now() - time::Duration::hours(1),
        source: "test".into(),
        accounts: vec![a.into(), b.into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: Vec::new(),
        incomplete: Vec::new(),
    };
    store.record_run(&run, &mut fs, &[]).unwrap();
    let logs = fs.iter().find(|f| f.resource.name == "logs").unwrap().id.clone();
    store.set_workflow(&logs, WorkflowStatus::Suppressed, "accepted").unwrap();
    store
}

fn results(store: &Store, insight: &Insight) -> Vec<(String, u64)> {
    store.insight_results(insight, now()).unwrap().into_iter().map(|r| (r.value, r.count)).collect()
}

/// Every group of `insight` drills down to exactly the findings it counted.
fn check_drill_down(store: &Store, insight: &Insight) {
    let groups = store.insight_results(insight, now()).unwrap();
    let mut all = BTreeSet::new();
    for g in &groups {
        let q = insight.drill_down(&g.value).unwrap();
        let page = store.get_findings(&q, now()).unwrap();
        assert!(page.next_token.is_none());
        assert_eq!(page.findings.len() as u64, g.count, "{} group {}", insight.id, g.value);
        // Counting the drill-down query (its `also` set included) gives the same number.
        assert_eq!(store.count_query(&q, now()).unwrap(), g.count, "{} group {} counted", insight.id, g.value);
        for r in &page.findings {
            all.insert(r.finding.id.clone());
        }
    }
    // The drilled-down findings are the insight's findings.
    let total = store.count_matching(&insight.filters, now()).unwrap();
    assert_eq!(store.count_query(&FindingQuery::new(insight.filters.clone()), now()).unwrap(), total);
    if !matches!(insight.group_by.as_str(), "ComplianceSecurityControlId" | "ComplianceAssociatedStandardsId") {
        assert_eq!(all.len() as u64, total, "{}", insight.id);
    }
}

#[test]
fn a_custom_insight_counts_per_group_most_first_and_drills_down_exactly() {
    let mut store = fixture();
    let failed = FindingFilters::default().with_string("ComplianceStatus", StringComparison::Equals, "FAILED").unwrap();
    let by_resource = store.create_insight("failing resources", &failed, "ResourceId", "alice", now()).unwrap();
    assert_eq!(
        results(&store, &by_resource),
        [
            ("arn:aws:s3:::i-web".to_string(), 3),
            ("arn:aws:s3:::open".to_string(), 3),
            ("arn:aws:s3:::i-db".to_string(), 1),
            ("arn:aws:s3:::logs".to_string(), 1),
            ("arn:aws:s3:::root".to_string(), 1),
        ]
    );
    check_drill_down(&store, &by_resource);

    let by_severity = store.create_insight("severities", &FindingFilters::default(), "SeverityLabel", "alice", now()).unwrap();
    assert_eq!(
        results(&store, &by_severity),
        [("CRITICAL".to_string(), 4), ("HIGH".to_string(), 3), ("MEDIUM".to_string(), 2), ("LOW".to_string(), 1)]
    );
    check_drill_down(&store, &by_severity);

    // A multi-valued attribute filtered on itself: a finding with S3.14 and CIS 2.1.3
    // counts under S3.14 only where the filter keeps it, and the drill-down agrees.
    let s3 = FindingFilters::default().with_string("ComplianceSecurityControlId", StringComparison::Prefix, "S3.").unwrap();
    let controls = store.create_insight("S3 controls", &s3, "ComplianceSecurityControlId", "alice", now()).unwrap();
    assert_eq!(results(&store, &controls), [("S3.14".to_string(), 2), ("S3.2".to_string(), 2), ("S3.3".to_string(), 1)]);
    check_drill_down(&store, &controls);
    let ec2 = FindingFilters::default().with_string("ResourceType", StringComparison::Equals, "AwsEc2Instance").unwrap();
    let by_control = store.create_insight("EC2 controls", &ec2, "ComplianceSecurityControlId", "alice", now()).unwrap();
    assert_eq!(results(&store, &by_control), [("EC2.8".to_string(), 1)]);
    let standards =
        store.create_insight("standards", &FindingFilters::default(), "ComplianceAssociatedStandardsId", "alice", now()).unwrap();
    assert_eq!(
        results(&store, &standards),
        [
            ("standards/aws-foundational-security-best-practices/v/1.0.0".to_string(), 6),
            ("standards/cis-aws-foundations-benchmark/v/3.0.0".to_string(), 3)
        ]
    );
    check_drill_down(&store, &standards);
}

#[test]
fn managed_insights_answer_on_rampart_s_checks() {
    let store = fixture();
    let managed = managed_insights();
    let get = |n: u32| managed.iter().find(|i| i.id == format!("managed/{n}")).unwrap_or_else(|| panic!("managed/{n}"));
    // S3 buckets with public write or read permissions: the open bucket, twice; the
    // closed one passed (RESOLVED), so it is not there.
    assert_eq!(results(&store, get(10)), [("arn:aws:s3:::open".to_string(), 2)]);
    // EC2 instances that have ports accessible from the Internet.
    assert_eq!(results(&store, get(18)), [("arn:aws:s3:::i-db".to_string(), 1), ("arn:aws:s3:::i-web".to_string(), 1)]);
    // Missing patches; configuration checks of instances.
    assert_eq!(results(&store, get(16)), [("arn:aws:s3:::i-web".to_string(), 1)]);
    assert_eq!(results(&store, get(19)), [("arn:aws:s3:::i-web".to_string(), 1)]);
    // Accounts and severities: the suppressed finding and the passed one are out.
    assert_eq!(results(&store, get(27)), [("111111111111".to_string(), 6), ("222222222222".to_string(), 2)]);
    assert_eq!(
        results(&store, get(29)),
        [("CRITICAL".to_string(), 3), ("HIGH".to_string(), 3), ("LOW".to_string(), 1), ("MEDIUM".to_string(), 1)],
        "most first, ties by value"
    );
    // Failed CIS checks updated in the last day: the run was an hour ago.
    assert_eq!(
        results(&store, get(34)),
        [("arn:aws:s3:::i-web".to_string(), 1), ("arn:aws:s3:::open".to_string(), 1), ("arn:aws:s3:::root".to_string(), 1)]
    );
    let later = now() + time::Duration::days(2);
    assert!(store.insight_results(get(34), later).unwrap().is_empty(), "nothing updated in the last day");
    // Every managed insight runs and drills down exactly.
    for i in &managed {
        assert!(i.managed && !i.name.is_empty());
        check_drill_down(&store, i);
    }
    let ids: BTreeSet<&str> = managed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), managed.len(), "unique ids");
}

#[test]
fn custom_insights_are_created_read_changed_and_deleted_managed_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    let mut store = Store::open(&path).unwrap();
    let high = FindingFilters::default().with_string("SeverityLabel", StringComparison::Equals, "HIGH").unwrap();
    let made = store.create_insight("high by account", &high, "AwsAccountId", "alice", now()).unwrap();
    assert!(made.id.starts_with("custom/") && !made.managed);
    let e = store.create_insight("high by account", &high, "AwsAccountId", "bob", now()).unwrap_err();
    assert_eq!(e.to_string(), "insight `high by account` already exists: choose another name");
    let e = store.create_insight("x", &high, "Title", "bob", now()).unwrap_err();
    assert!(matches!(e, StoreError::InvalidInsight(_)));
    assert!(e.to_string().starts_with("invalid insight: cannot group by `Title`: use one of AwsAccountId"), "{e}");
    assert!(matches!(store.create_insight(" ", &high, "AwsAccountId", "bob", now()), Err(StoreError::InvalidInsight(_))));
    drop(store);

    // Kept in the file, filters and all.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.insight(&made.id).unwrap(), made);
    let all = store.insights().unwrap();
    assert_eq!(all.len(), managed_insights().len() + 1);
    assert_eq!(all.last().unwrap(), &made);

    let critical = FindingFilters::default().with_string("SeverityLabel", StringComparison::Equals, "CRITICAL").unwrap();
    let changed = store.update_insight(&made.id, Some("critical by region"), Some(&critical), Some("ResourceRegion"), now()).unwrap();
    assert_eq!((changed.name.as_str(), &changed.filters, changed.group_by.as_str()), ("critical by region", &critical, "ResourceRegion"));
    let other = store.create_insight("other", &high, "AwsAccountId", "alice", now()).unwrap();
    assert!(matches!(store.update_insight(&other.id, Some("critical by region"), None, None, now()), Err(StoreError::DuplicateInsight(_))));

    let e = store.update_insight("managed/1", Some("mine now"), None, None, now()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "insight `managed/1` is a managed insight: it cannot be changed or deleted (create a custom insight from its filters instead)"
    );
    assert!(matches!(store.delete_insight("managed/1"), Err(StoreError::ManagedInsight(_))));
    store.delete_insight(&made.id).unwrap();
    assert!(matches!(store.insight(&made.id), Err(StoreError::UnknownInsight(_))));
    assert!(matches!(store.delete_insight(&made.id), Err(StoreError::UnknownInsight(_))));
    assert!(matches!(store.insight("nonsense"), Err(StoreError::UnknownInsight(_))));
    // Ids are not reused.
    let again = store.create_insight("again", &high, "AwsAccountId", "alice", now()).unwrap();
    assert_ne!(again.id, made.id);
}

#[test]
fn a_runs_result_kinds_are_its_results_distinct_statuses_workflows_and_requirements() {
    let store = fixture();
    let key = |k: &crate::ResultKind| format!("{k:?}");
    let mut kinds = store.run_result_kinds("r1").unwrap();
    kinds.sort_by_key(key);
    let mut want: Vec<crate::ResultKind> = store
        .run_results("r1")
        .unwrap()
        .into_iter()
        .map(|f| crate::ResultKind {
            status: f.status,
            workflow_status: f.workflow_status,
            related_requirements: f.related_requirements.to_vec(),
        })
        .collect();
    want.sort_by_key(key);
    want.dedup();
    assert_eq!(kinds, want);
    // Ten results, fewer kinds: the three without requirements that FAILED are one.
    assert!(kinds.len() < 10 && kinds.len() >= 7, "{kinds:?}");
    assert!(matches!(store.run_result_kinds("r9"), Err(StoreError::UnknownRun(_))));
}

#[test]
fn at_most_a_hundred_custom_insights_are_kept() {
    let mut store = Store::open_in_memory().unwrap();
    for i in 0..crate::insights::MAX_CUSTOM_INSIGHTS {
        store.create_insight(&format!("insight {i}"), &FindingFilters::default(), "SeverityLabel", "alice", now()).unwrap();
    }
    let e = store.create_insight("one more", &FindingFilters::default(), "SeverityLabel", "alice", now()).unwrap_err().to_string();
    assert!(e.contains("at most 100 custom insights"), "{e}");
}
