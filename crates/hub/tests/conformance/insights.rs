//! Insights on both backends: custom insights kept and changed, managed ones read-only,
//! insight results (counts per group, most first) that drill down to exactly the findings
//! they counted, and the kinds of a run's results. The same estate recorded on SQLite and
//! PostgreSQL gives the same answer to every insight.

use super::*;
use rampart_hub::{managed_insights, FindingQuery, Insight, GROUP_BY};
use std::collections::BTreeMap;

const EUW1: &str = "eu-west-1";

/// The most custom insights a store keeps (`insights::MAX_CUSTOM_INSIGHTS`).
const MAX_CUSTOM_INSIGHTS: usize = 100;

/// 3 checks × 12 buckets over two accounts and two regions; one finding suppressed by a
/// person, a later run that archives one and leaves a bucket's check NOT_AVAILABLE, and
/// tags on some buckets.
fn insight_estate(s: &mut Backend) -> Vec<Finding> {
    let mut fs = Vec::new();
    for (i, check) in ["S3.1", "S3.2", "S3.8"].iter().enumerate() {
        for b in 0..12 {
            let account = if b % 3 == 0 { B } else { A };
            let status = if (b + i) % 4 == 0 { Status::Passed } else { Status::Failed };
            let mut f = finding(check, &format!("bucket-{b:02}"), account, status, 0);
            if b % 2 == 1 {
                f.resource.region = EUW1.into();
            }
            if *check == "S3.8" {
                // A finding of one standard only, and one of none.
                f.related_requirements =
                    if b < 6 { vec![format!("AWS Foundational Security Best Practices/{check}")].into() } else { Vec::new().into() };
            }
            fs.push(f);
        }
    }
    s.record_run(&run("r0", 0, &[A, B], &[USE1, EUW1]), &mut fs, &[]).unwrap();
    s.set_workflow_by(&fs[1].id, WorkflowStatus::Suppressed, "accepted", Some("ana")).unwrap();
    let mut again: Vec<Finding> = fs.iter().skip(1).cloned().collect();
    again[0].status = Status::NotAvailable;
    for f in &mut again {
        f.first_observed = at(1);
        f.last_observed = at(1);
    }
    s.record_run(&run("r1", 1, &[A, B], &[USE1, EUW1]), &mut again, &[]).unwrap();
    let prod: BTreeMap<String, String> = [("env".to_string(), "prod".to_string()), ("team".to_string(), "data".to_string())].into();
    let dev: BTreeMap<String, String> = [("env".to_string(), "dev".to_string())].into();
    let tagged: Vec<(String, &BTreeMap<String, String>)> =
        (0..12).filter(|b| b % 4 != 3).map(|b| (format!("arn:aws:s3:::bucket-{b:02}"), if b < 6 { &prod } else { &dev })).collect();
    s.set_resource_tags(tagged.iter().map(|(id, tags)| (id.as_str(), *tags))).unwrap();
    fs
}

fn filters(json: &str) -> FindingFilters {
    FindingFilters::from_json_str(json).unwrap()
}

fn groups(s: &Backend, insight: &Insight, now: Timestamp) -> Vec<(String, u64)> {
    s.insight_results(insight, now).unwrap().into_iter().map(|r| (r.value, r.count)).collect()
}

/// Groups as an insight answers them: most first, ties by value.
fn ranked(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = v.iter().map(|(g, n)| (g.to_string(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Each group drills down to exactly as many findings as it counted (every page read, and
/// counted), and the single-valued groups together are the insight's findings.
fn drills_down_exactly(s: &Backend, insight: &Insight, now: Timestamp) {
    let results = s.insight_results(insight, now).unwrap();
    let mut seen = BTreeSet::new();
    for g in &results {
        let mut q = insight.drill_down(&g.value).unwrap();
        q.max_results = 7;
        let mut n = 0;
        loop {
            let page = s.get_findings(&q, now).unwrap();
            n += page.findings.len() as u64;
            seen.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            match page.next_token {
                Some(t) => q.next_token = Some(t),
                None => break,
            }
        }
        assert_eq!(n, g.count, "{} / {} group {}", insight.id, insight.group_by, g.value);
        assert_eq!(
            s.count_query(&insight.drill_down(&g.value).unwrap(), now).unwrap(),
            g.count,
            "{} group {} counted",
            insight.id,
            g.value
        );
    }
    if !matches!(insight.group_by.as_str(), "ComplianceSecurityControlId" | "ComplianceAssociatedStandardsId") {
        assert_eq!(seen.len() as u64, s.count_query(&FindingQuery::new(insight.filters.clone()), now).unwrap(), "{}", insight.id);
    }
}

fn custom_insights_are_kept_changed_and_deleted_and_managed_ones_are_read_only(db: &Db) {
    let mut s = db.open();
    let managed = managed_insights();
    assert_eq!(s.insights().unwrap(), managed, "no custom insight yet");
    let failed = filters(r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#);
    let zeta = s.create_insight("zeta", &failed, "AwsAccountId", "ana", at(0)).unwrap();
    let alpha = s.create_insight("alpha", &FindingFilters::default(), "ResourceRegion", "bob", at(0)).unwrap();
    assert!(zeta.id.starts_with("custom/") && zeta.id != alpha.id && !zeta.managed);
    assert!(matches!(s.create_insight("zeta", &failed, "AwsAccountId", "ana", at(0)), Err(StoreError::DuplicateInsight(_))));
    assert!(matches!(s.create_insight("", &failed, "AwsAccountId", "ana", at(0)), Err(StoreError::InvalidInsight(_))));
    assert!(
        matches!(s.create_insight("tags", &failed, "ResourceTags", "ana", at(0)), Err(StoreError::InvalidInsight(_))),
        "not a group-by attribute"
    );
    let all = s.insights().unwrap();
    assert_eq!(&all[..managed.len()], managed.as_slice(), "managed first");
    assert_eq!(all[managed.len()..].iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["alpha", "zeta"], "then custom by name");
    assert_eq!(s.insight(&zeta.id).unwrap(), zeta);
    assert_eq!(s.insight("managed/1").unwrap(), managed[0]);
    assert!(matches!(s.insight("custom/999999"), Err(StoreError::UnknownInsight(_))));
    assert!(matches!(s.insight("nonsense"), Err(StoreError::UnknownInsight(_))));

    // Changed: what is given, the rest kept; a taken name refused.
    let renamed = s.update_insight(&zeta.id, Some("omega"), None, Some("SeverityLabel"), at(1)).unwrap();
    assert_eq!((renamed.id.as_str(), renamed.name.as_str(), renamed.group_by.as_str()), (zeta.id.as_str(), "omega", "SeverityLabel"));
    assert_eq!(renamed.filters, failed);
    assert_eq!(s.update_insight(&zeta.id, Some("omega"), None, None, at(2)).unwrap().name, "omega", "its own name is not taken");
    assert!(matches!(s.update_insight(&zeta.id, Some("alpha"), None, None, at(2)), Err(StoreError::DuplicateInsight(_))));
    assert!(matches!(s.update_insight(&zeta.id, None, None, Some("Nope"), at(2)), Err(StoreError::InvalidInsight(_))));
    let f2 = filters(r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}]}"#);
    assert_eq!(s.update_insight(&alpha.id, None, Some(&f2), None, at(2)).unwrap().filters, f2);
    assert!(matches!(s.update_insight("managed/1", Some("mine"), None, None, at(2)), Err(StoreError::ManagedInsight(_))));
    assert!(matches!(s.delete_insight("managed/1"), Err(StoreError::ManagedInsight(_))));
    assert!(matches!(s.update_insight("custom/999999", Some("x"), None, None, at(2)), Err(StoreError::UnknownInsight(_))));

    s.delete_insight(&zeta.id).unwrap();
    assert!(matches!(s.insight(&zeta.id), Err(StoreError::UnknownInsight(_))));
    assert!(matches!(s.delete_insight(&zeta.id), Err(StoreError::UnknownInsight(_))));
    // A new insight never takes a deleted one's id; at most MAX_CUSTOM_INSIGHTS are kept.
    let again = s.create_insight("zeta", &failed, "AwsAccountId", "ana", at(3)).unwrap();
    assert_ne!(again.id, zeta.id);
    for i in 2..MAX_CUSTOM_INSIGHTS {
        s.create_insight(&format!("n{i:03}"), &failed, "AwsAccountId", "ana", at(3)).unwrap();
    }
    assert!(matches!(s.create_insight("one more", &failed, "AwsAccountId", "ana", at(3)), Err(StoreError::InvalidInsight(_))));
    drop(s);
    let s = db.open();
    assert_eq!(s.insights().unwrap().len(), managed.len() + MAX_CUSTOM_INSIGHTS, "kept across opening again");
    assert_eq!(s.insight(&alpha.id).unwrap().filters, f2);
}

fn insight_results_count_per_group_most_first_and_drill_down_exactly(db: &Db) {
    let mut s = db.open();
    insight_estate(&mut s);
    let now = at(2);
    let active = r#"{"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]}"#;
    let mut custom = |name: &str, json: &str, group_by: &str| s.create_insight(name, &filters(json), group_by, "ana", at(1)).unwrap();
    let by_account = custom("by account", active, "AwsAccountId");
    let by_region = custom("by region", active, "ResourceRegion");
    let by_control = custom("by control", active, "ComplianceSecurityControlId");
    let by_standard = custom("by standard", active, "ComplianceAssociatedStandardsId");
    let failed_by_resource = custom("failed", r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#, "ResourceId");
    let prod_by_account = custom("prod", r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"#, "AwsAccountId");
    let by_status = custom("statuses", "{}", "ComplianceStatus");
    let by_workflow = custom("workflow", "{}", "WorkflowStatus");
    let by_state = custom("state", "{}", "RecordState");
    let fsbp_by_severity = custom(
        "fsbp",
        r#"{"ComplianceAssociatedStandardsId": [{"Value": "standards/aws-foundational-security-best-practices/v/1.0.0", "Comparison": "EQUALS"}]}"#,
        "SeverityLabel",
    );

    // 36 findings, one (S3.1 on bucket-00, account B) archived by run r1: 35 active;
    // account A has 8 buckets a check, B 4; odd buckets in eu-west-1.
    assert_eq!(groups(&s, &by_account, now), ranked(&[(A, 24), (B, 11)]));
    assert_eq!(groups(&s, &by_region, now), ranked(&[(EUW1, 18), (USE1, 17)]));
    // S3.8's findings name FSBP alone on buckets 0-5, nothing on 6-11.
    assert_eq!(groups(&s, &by_control, now), ranked(&[("S3.1", 11), ("S3.2", 12), ("S3.8", 6)]));
    assert_eq!(
        groups(&s, &by_standard, now),
        ranked(&[
            ("standards/aws-foundational-security-best-practices/v/1.0.0", 29),
            ("standards/cis-aws-foundations-benchmark/v/3.0.0", 23)
        ])
    );
    assert_eq!(groups(&s, &by_state, now), ranked(&[("ACTIVE", 35), ("ARCHIVED", 1)]));
    assert_eq!(groups(&s, &by_workflow, now).iter().map(|g| g.1).sum::<u64>(), 36);
    assert!(groups(&s, &by_status, now).contains(&("NOT_AVAILABLE".to_string(), 1)));
    // Tagged env=prod: buckets 0 (B), 1, 2, 4, 5 (A; 3 is untagged), three checks each.
    assert_eq!(groups(&s, &prod_by_account, now), ranked(&[(A, 12), (B, 3)]));
    let failed = groups(&s, &failed_by_resource, now);
    assert!(failed.windows(2).all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)), "most first, ties by value: {failed:?}");
    assert_eq!(groups(&s, &fsbp_by_severity, now), ranked(&[("MEDIUM", 18), ("CRITICAL", 12)]));

    for insight in [
        &by_account,
        &by_region,
        &by_control,
        &by_standard,
        &failed_by_resource,
        &prod_by_account,
        &by_status,
        &by_workflow,
        &by_state,
        &fsbp_by_severity,
    ] {
        drills_down_exactly(&s, insight, now);
    }
    for insight in managed_insights() {
        drills_down_exactly(&s, &insight, now);
    }
    // "Updated in the last day" (managed 34, 36) counts back from `now` (a finding is
    // updated when a run records it).
    let last_day = s.insight("managed/36").unwrap();
    assert!(!groups(&s, &last_day, now).is_empty());
    assert!(groups(&s, &last_day, now + time::Duration::days(3)).is_empty());
}

fn a_runs_result_kinds_are_each_distinct_kind_once(db: &Db) {
    let mut s = db.open();
    insight_estate(&mut s);
    let mut kinds: Vec<String> = s.run_result_kinds("r1").unwrap().iter().map(|k| format!("{k:?}")).collect();
    kinds.sort();
    let mut distinct = kinds.clone();
    distinct.dedup();
    assert_eq!(kinds, distinct, "each once");
    // r1 saw S3.1 on bucket-01 NOT_AVAILABLE.
    assert!(kinds.iter().any(|k| k.contains("NotAvailable")), "{kinds:?}");
    assert!(!s.run_result_kinds("r0").unwrap().is_empty());
    assert!(s.run_result_kinds("r0").unwrap().iter().any(|k| k.workflow_status == WorkflowStatus::Resolved), "a PASSED result is resolved");
    assert!(matches!(s.run_result_kinds("nope"), Err(StoreError::UnknownRun(_))));
}

conformance!(
    custom_insights_are_kept_changed_and_deleted_and_managed_ones_are_read_only,
    insight_results_count_per_group_most_first_and_drill_down_exactly,
    a_runs_result_kinds_are_each_distinct_kind_once,
    concurrent_creators_never_pass_the_most_custom_insights,
);

/// The same estate and insights on SQLite and PostgreSQL: every managed insight, and a
/// custom one grouped by each attribute over several filters, gives the same groups and
/// counts on both, and each group's drill-down the same findings.
#[test]
fn the_same_estate_gives_the_same_insight_results_on_both_backends() {
    let (lite, pg) = (sqlite(), postgres());
    let (mut a, mut b) = (lite.open(), pg.open());
    insight_estate(&mut a);
    insight_estate(&mut b);
    let filter_sets = [
        "{}",
        r#"{"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}], "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}"#,
        r#"{"ResourceTags": [{"Key": "env", "Value": "dev", "Comparison": "EQUALS"}]}"#,
        r#"{"ComplianceSecurityControlId": [{"Value": "S3.", "Comparison": "PREFIX"}], "ResourceRegion": [{"Value": "eu-west-1", "Comparison": "EQUALS"}]}"#,
        r#"{"ComplianceAssociatedStandardsId": [{"Value": "standards/cis-aws-foundations-benchmark/v/3.0.0", "Comparison": "NOT_EQUALS"}]}"#,
        r#"{"ResourceId": [{"Value": "bucket-1", "Comparison": "CONTAINS"}], "SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}"#,
    ];
    let mut insights = managed_insights();
    for (i, json) in filter_sets.iter().enumerate() {
        for group_by in GROUP_BY {
            let name = format!("{i} {group_by}");
            let x = a.create_insight(&name, &filters(json), group_by, "ana", at(1)).unwrap();
            let y = b.create_insight(&name, &filters(json), group_by, "ana", at(1)).unwrap();
            assert_eq!((x.name.as_str(), &x.filters, x.group_by.as_str()), (y.name.as_str(), &y.filters, y.group_by.as_str()));
            insights.push(y);
        }
    }
    let mut answered = 0;
    for now in [at(2), at(200)] {
        for insight in &insights {
            let (x, y) = (a.insight_results(insight, now).unwrap(), b.insight_results(insight, now).unwrap());
            assert_eq!(x, y, "{} ({} by {})", insight.id, insight.name, insight.group_by);
            answered += usize::from(!x.is_empty());
            for g in x.iter().take(3) {
                let q = insight.drill_down(&g.value).unwrap();
                assert_eq!(query(&a, &q, now), query(&b, &q, now), "{} group {}", insight.id, g.value);
            }
        }
    }
    assert!(answered > insights.len(), "most insights have groups: {answered} of {}", 2 * insights.len());
    let (mut x, mut y) = (a.run_result_kinds("r1").unwrap(), b.run_result_kinds("r1").unwrap());
    x.sort_by_key(|k| format!("{k:?}"));
    y.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(x, y);
}

fn query(s: &Backend, q: &FindingQuery, now: Timestamp) -> Vec<String> {
    let mut q = q.clone();
    q.max_results = 50;
    let mut ids = Vec::new();
    loop {
        let page = s.get_findings(&q, now).unwrap();
        ids.extend(page.findings.iter().map(|r| r.finding.id.clone()));
        match page.next_token {
            Some(t) => q.next_token = Some(t),
            None => return ids,
        }
    }
}

/// A database whose default collation is not by code point (ICU's `en-US`: `a1 < b1 < B1`,
/// where SQLite and the `C` collation have `B1 < a1 < b1`): groups of equal counts still
/// come in SQLite's order, the values a multi-valued attribute takes from a finding's
/// requirements included.
#[test]
fn groups_of_equal_counts_come_in_code_point_order_whatever_the_databases_collation() {
    let admin = server_url();
    let name = format!("rampart_test_icu_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"))
        .unwrap();
    let pg = Db { spec: with_database(&admin, &name), _dir: None, drop_pg: Some((admin, name)) };
    let lite = sqlite();
    let controls = ["a1", "B1", "b1", "Z9", "_x"];
    let mut answers = Vec::new();
    for db in [&lite, &pg] {
        let mut s = db.open();
        let mut fs: Vec<Finding> = controls
            .iter()
            .map(|c| {
                let mut f = finding("S3.1", &format!("bucket-{c}"), A, Status::Failed, 0);
                f.related_requirements = vec![format!("AWS Foundational Security Best Practices/{c}")].into();
                f
            })
            .collect();
        s.record_run(&run("r0", 0, &[A], &[USE1]), &mut fs, &[]).unwrap();
        let by_control = s.create_insight("controls", &FindingFilters::default(), "ComplianceSecurityControlId", "ana", at(1)).unwrap();
        let by_resource = s.create_insight("resources", &FindingFilters::default(), "ResourceId", "ana", at(1)).unwrap();
        let got: Vec<Vec<String>> =
            [by_control, by_resource].iter().map(|i| s.insight_results(i, at(2)).unwrap().into_iter().map(|g| g.value).collect()).collect();
        answers.push(got);
    }
    let mut sorted: Vec<String> = controls.iter().map(|c| c.to_string()).collect();
    sorted.sort();
    assert_eq!(answers[0][0], sorted, "SQLite: by code point");
    assert_eq!(answers[1], answers[0], "PostgreSQL answers as SQLite");
}

/// Four connections creating custom insights at once never keep more than the most a
/// store keeps (each sees the others' insights before counting).
fn concurrent_creators_never_pass_the_most_custom_insights(db: &Db) {
    let mut s = db.open();
    for i in 0..MAX_CUSTOM_INSIGHTS - 3 {
        s.create_insight(&format!("n{i:03}"), &FindingFilters::default(), "AwsAccountId", "ana", at(0)).unwrap();
    }
    let created: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                scope.spawn(move || {
                    let mut s = db.open();
                    (0..3)
                        .filter(|k| {
                            match s.create_insight(&format!("w{w}-{k}"), &FindingFilters::default(), "AwsAccountId", "ana", at(0)) {
                                Ok(_) => true,
                                Err(StoreError::InvalidInsight(_)) => false,
                                Err(e) => panic!("{e}"),
                            }
                        })
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(created, 3, "room for three more");
    assert_eq!(s.insights().unwrap().len(), managed_insights().len() + MAX_CUSTOM_INSIGHTS);
}
