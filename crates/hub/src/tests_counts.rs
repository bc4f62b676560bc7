//! Counts and insight results read `finding_counts` (findings migration 10) for the
//! common fields: they must equal a count of the findings themselves, after any mix of
//! scans, archival, triage, imports and deletions. A generated estate and generated
//! filters are counted both ways: by the store, and here in Rust from every finding read
//! back, with Security Hub's semantics written out again. The plans of the hot queries
//! are checked too, so that an index or table they rely on cannot silently stop being
//! used.

use crate::insights::insight_statement;
use crate::query::{count_statement, COUNTED};
use crate::{
    managed_insights, ChangeAuthor, FindingFilters, FindingQuery, FindingRecord, FindingUpdate, Insight, NumberFilter, Store,
    StringComparison, VerificationState,
};
use rampart_model::{Finding, ResourceType, RunInfo, Severity, Status, Timestamp, WorkflowStatus};
use std::collections::{BTreeMap, BTreeSet};
use time::macros::datetime;

fn now() -> Timestamp {
    datetime!(2026-06-01 12:00:00 UTC)
}

/// xorshift64*: a fixed sequence per seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const CHECKS: &[&str] = &["s3_bucket_public_read", "s3_bucket_versioning", "ec2_imdsv2_required", "host_cve", "iam_root_mfa", "s3x"];
const ACCOUNTS: &[&str] = &["111111111111", "222222222222", "333333333333"];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "global"];
const KINDS: &[ResourceType] =
    &[ResourceType::AwsS3Bucket, ResourceType::AwsEc2Instance, ResourceType::AwsIamRole, ResourceType::AwsAccount];
const STATUSES: &[Status] = &[Status::Passed, Status::Failed, Status::Failed, Status::Warning, Status::NotAvailable];
const REQUIREMENTS: &[&str] = &[
    "AWS Foundational Security Best Practices/S3.2",
    "AWS Foundational Security Best Practices/S3.14",
    "AWS Foundational Security Best Practices/EC2.8",
    "CIS AWS Foundations Benchmark v3.0.0/1.5",
    "CIS AWS Foundations Benchmark v3.0.0/2.1.3",
    "NIST/AC-3",
];
const PRODUCTS: &[(&str, &str, &str)] = &[
    ("arn:aws:securityhub:us-east-1::product/prowler/prowler", "Prowler", "Prowler"),
    ("arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity", "Trivy", "Aqua Security"),
];

/// A finding of one of the checks on one of the resources, everything else at random.
fn generated(rng: &mut Rng) -> Finding {
    let check = *rng.pick(CHECKS);
    let account = *rng.pick(ACCOUNTS);
    let region = *rng.pick(REGIONS);
    let mut f = crate::tests::finding(check, &format!("r{}", rng.below(80)), account, region, *rng.pick(STATUSES), 0);
    f.resource.kind = *rng.pick(KINDS);
    f.severity = *rng.pick(&Severity::ALL);
    if rng.chance(10) {
        f.resource.partition = "aws-cn".to_string();
    }
    let reqs: BTreeSet<String> = (0..rng.below(4)).map(|_| rng.pick(REQUIREMENTS).to_string()).collect();
    f.related_requirements = reqs.into_iter().collect::<Vec<_>>().into();
    f
}

fn run(id: &str, hours_ago: i64) -> RunInfo {
    RunInfo {
        id: id.into(),
        started_at: now() - time::Duration::hours(hours_ago),
        finished_at: now() - time::Duration::hours(hours_ago),
        source: "test".into(),
        accounts: ACCOUNTS.iter().map(|a| a.to_string()).collect(),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        tool_version: "0".into(),
        checks: CHECKS.iter().map(|c| c.to_string()).collect(),
        incomplete: Vec::new(),
    }
}

/// A store after two scans (the second archives what it no longer sees and changes
/// statuses), people's triage, findings turned into imported ones, and deletions.
fn estate(rng: &mut Rng) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut first: Vec<Finding> = (0..200).map(|_| generated(rng)).collect();
    let mut seen = BTreeSet::new();
    first.retain(|f| seen.insert(f.id.clone()));
    store.record_run(&run("r1", 48), &mut first, &[]).unwrap();

    let mut second: Vec<Finding> = first.iter().filter(|_| rng.chance(70)).cloned().collect();
    for f in &mut second {
        if rng.chance(30) {
            f.status = *rng.pick(STATUSES);
        }
    }
    store.record_run(&run("r2", 2), &mut second, &[]).unwrap();

    let ids: Vec<String> = first.iter().map(|f| f.id.clone()).collect();
    let who = ChangeAuthor { who: "alice".into(), reason: "triage".into() };
    for _ in 0..12 {
        let chosen: Vec<String> = (0..1 + rng.below(8)).map(|_| rng.pick(&ids).clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let mut update = FindingUpdate::default();
        match rng.below(3) {
            0 => {
                update.workflow_status = Some(*rng.pick(&[WorkflowStatus::Notified, WorkflowStatus::Suppressed, WorkflowStatus::Resolved]))
            }
            1 => update.severity_label = Some(*rng.pick(&Severity::ALL)),
            _ => update.verification_state = Some(*rng.pick(&VerificationState::ALL)),
        }
        store.batch_update_findings(&chosen, &update, &who, now()).unwrap();
    }
    // Imported findings (as `imports.rs` stores them: a product, the finding's own id,
    // and a compliance status that may be absent), updated in place.
    for id in &ids {
        if !rng.chance(15) {
            continue;
        }
        let (arn, name, company) = *rng.pick(PRODUCTS);
        let compliance = if rng.chance(30) { None } else { Some(rng.pick(STATUSES).as_str()) };
        store
            .lite().unwrap()
            .execute(
                "UPDATE findings SET product_arn = ?2, product_name = ?3, company_name = ?4, external_id = ?1,
                 compliance_status = ?5, status = coalesce(?5, 'NOT_AVAILABLE') WHERE id = ?1",
                rusqlite::params![id, arn, name, company, compliance],
            )
            .unwrap();
    }
    for id in &ids {
        if !rng.chance(5) {
            continue;
        }
        store.lite().unwrap().execute("DELETE FROM findings WHERE id = ?1", [id]).unwrap();
    }
    store
}

/// Every finding, read back page by page.
fn all_records(store: &Store) -> Vec<FindingRecord> {
    let mut out = Vec::new();
    let mut q = FindingQuery::default();
    loop {
        let page = store.get_findings(&q, now()).unwrap();
        out.extend(page.findings);
        match page.next_token {
            Some(t) => q.next_token = Some(t),
            None => return out,
        }
    }
}

/// What a record holds for `field`: its values (several for the requirement fields;
/// none when it has none).
fn values(r: &FindingRecord, field: &str) -> Vec<String> {
    let f = &r.finding;
    let imported = r.imported.as_ref();
    let one = |s: &str| vec![s.to_string()];
    match field {
        "GeneratorId" => one(&f.check_id),
        "Title" => one(&f.title),
        "SeverityLabel" => one(&f.severity.as_str().to_uppercase()),
        "ComplianceStatus" => match imported {
            Some(i) => i.compliance_status.map(|s| one(s.as_str())).unwrap_or_default(),
            None => one(f.status.as_str()),
        },
        "WorkflowStatus" => one(f.workflow_status.as_str()),
        "RecordState" => one(f.record_state.as_str()),
        "VerificationState" => one(r.verification_state.as_str()),
        "ResourceId" => one(&f.resource.id),
        "ResourceType" => one(&crate::codec::resource_type_to_text(f.resource.kind)),
        "ResourcePartition" => one(&f.resource.partition),
        "ResourceRegion" | "Region" => one(&f.resource.region),
        "AwsAccountId" => one(&f.resource.account),
        "ProductArn" => match imported {
            Some(i) => one(&i.product_arn),
            None => one(&format!(
                "arn:{p}:securityhub:{r}:{a}:product/{a}/default",
                p = f.resource.partition,
                r = f.resource.region,
                a = f.resource.account
            )),
        },
        "ProductName" => one(imported.map_or("Rampart", |i| i.product_name.as_str())),
        "CompanyName" => one(imported.map_or("Rampart", |i| i.company_name.as_str())),
        "ComplianceSecurityControlId" | "ComplianceAssociatedStandardsId" => {
            let fsbp = "AWS Foundational Security Best Practices/";
            let cis = "CIS AWS Foundations Benchmark v3.0.0/";
            let set: BTreeSet<String> = f
                .related_requirements
                .iter()
                .filter_map(|req| match field {
                    "ComplianceSecurityControlId" => req.strip_prefix(fsbp).map(str::to_string),
                    _ if req.starts_with(fsbp) => Some("standards/aws-foundational-security-best-practices/v/1.0.0".to_string()),
                    _ if req.starts_with(cis) => Some("standards/cis-aws-foundations-benchmark/v/3.0.0".to_string()),
                    _ => None,
                })
                .collect();
            set.into_iter().collect()
        }
        other => panic!("no brute-force reading of {other}"),
    }
}

fn normalized(r: &FindingRecord) -> f64 {
    match r.finding.severity {
        Severity::Critical => 90.0,
        Severity::High => 70.0,
        Severity::Medium => 40.0,
        Severity::Low => 1.0,
        Severity::Informational => 0.0,
    }
}

/// Security Hub's semantics, written out again: fields joined by AND; within one, a
/// positive comparison of any value OR another, AND every negative one (which a finding
/// with no value matches).
fn brute_matches(r: &FindingRecord, filters: &FindingFilters) -> bool {
    filters.iter().all(|(field, ff)| match ff {
        crate::FieldFilters::String(fs) => {
            let vs = values(r, field);
            let (pos, neg): (Vec<_>, Vec<_>) = fs.iter().partition(|f| !f.comparison.is_negative());
            let any = pos.is_empty() || pos.iter().any(|f| vs.iter().any(|v| f.comparison.matches(v, &f.value)));
            let all = neg.iter().all(|f| vs.iter().all(|v| f.comparison.matches(v, &f.value)));
            any && all
        }
        crate::FieldFilters::Number(fs) => {
            assert_eq!(field, "SeverityNormalized");
            let x = normalized(r);
            fs.iter().any(|f| {
                f.gte.is_none_or(|b| x >= b)
                    && f.lte.is_none_or(|b| x <= b)
                    && f.gt.is_none_or(|b| x > b)
                    && f.lt.is_none_or(|b| x < b)
                    && f.eq.is_none_or(|b| x == b)
            })
        }
        other => panic!("the generator makes no {other:?}"),
    })
}

/// Every value the estate holds for `field`, a prefix of one, a part of one, and one no
/// finding holds.
fn candidates(records: &[FindingRecord], field: &str, rng: &mut Rng) -> Vec<String> {
    let all: BTreeSet<String> = records.iter().flat_map(|r| values(r, field)).collect();
    let mut out: Vec<String> = all.into_iter().collect();
    if let Some(v) = out.get(rng.below(out.len().max(1))).cloned() {
        let cut = v.char_indices().nth(1 + rng.below(v.chars().count().max(2) - 1)).map_or(v.len(), |(i, _)| i);
        out.push(v[..cut].to_string());
        let start = v.char_indices().nth(rng.below(v.chars().count().max(1))).map_or(0, |(i, _)| i);
        out.push(v[start..].to_string());
    }
    out.push("nothing-holds-this".to_string());
    out
}

/// How often the generated filters used each field and comparison.
#[derive(Default)]
struct Coverage {
    fields: BTreeMap<String, usize>,
    comparisons: BTreeMap<StringComparison, usize>,
    numbers: usize,
    several_fields: usize,
    several_in_field: usize,
    fallback: usize,
}

/// Filters on 1 to 3 fields (mostly those `finding_counts` carries, sometimes one it
/// does not), each with 1 to 3 comparisons that Security Hub accepts together.
fn generated_filters(records: &[FindingRecord], rng: &mut Rng, cov: &mut Coverage) -> FindingFilters {
    let mut filters = FindingFilters::default();
    let n_fields = 1 + rng.below(3);
    for _ in 0..n_fields {
        let field = if rng.chance(10) { "ResourceId" } else { *rng.pick(COUNTED) };
        if filters.get(field).is_some() {
            continue;
        }
        if field == "SeverityNormalized" {
            let bound = *rng.pick(&[0.0, 1.0, 40.0, 55.0, 70.0, 90.0]);
            let f = match rng.below(3) {
                0 => NumberFilter { gte: Some(bound), ..NumberFilter::default() },
                1 => NumberFilter { lt: Some(bound), ..NumberFilter::default() },
                _ => NumberFilter { eq: Some(bound), ..NumberFilter::default() },
            };
            filters = filters.with_number(field, f).unwrap();
            cov.numbers += 1;
            *cov.fields.entry(field.to_string()).or_default() += 1;
            continue;
        }
        let pool = candidates(records, field, rng);
        let n = 1 + rng.below(3);
        let mut added = 0;
        for _ in 0..n {
            let c = *rng.pick(&StringComparison::ALL);
            let v = rng.pick(&pool).clone();
            // Combinations Security Hub refuses are refused here too: try another.
            if let Ok(next) = filters.clone().with_string(field, c, &v) {
                filters = next;
                *cov.comparisons.entry(c).or_default() += 1;
                added += 1;
            }
        }
        if added > 0 {
            *cov.fields.entry(field.to_string()).or_default() += 1;
        }
        if added > 1 {
            cov.several_in_field += 1;
        }
    }
    if filters.iter().count() > 1 {
        cov.several_fields += 1;
    }
    if !crate::query::counted(&filters) {
        cov.fallback += 1;
    }
    filters
}

/// The store's `finding_counts` holds exactly the findings' numbers per combination.
fn check_table(store: &Store) {
    let diff: i64 = store
        .lite().unwrap()
        .query_row(
            "WITH truth AS (
                SELECT json_array(record_state, workflow_status, severity, severity_label, status, compliance_status, product_arn,
                       product_name, company_name, account, region, \"partition\", resource_type, check_id, verification_state,
                       related_requirements) AS key, count(*) AS n FROM findings GROUP BY key)
             SELECT (SELECT count(*) FROM truth t LEFT JOIN finding_counts c ON c.key = t.key WHERE c.n IS NOT t.n)
                  + (SELECT count(*) FROM finding_counts c LEFT JOIN truth t ON c.key = t.key WHERE t.n IS NOT c.n)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(diff, 0, "finding_counts differs from the findings");
}

/// The brute-force result of grouping `matching` by `field`, as an insight orders it.
fn brute_groups(matching: &[&FindingRecord], field: &str) -> Vec<(String, u64)> {
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    for r in matching {
        for v in values(r, field) {
            *by.entry(v).or_default() += 1;
        }
    }
    let mut out: Vec<(String, u64)> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(crate::MAX_INSIGHT_RESULTS);
    out
}

#[test]
fn counts_and_insights_equal_a_count_of_the_findings() {
    let mut cov = Coverage::default();
    let mut checked = 0;
    for seed in 1..=12u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x0100_0000_01b3));
        let store = estate(&mut rng);
        check_table(&store);
        let records = all_records(&store);
        assert!(records.len() > 100, "seed {seed}: the estate holds {} findings", records.len());
        for _ in 0..40 {
            let filters = generated_filters(&records, &mut rng, &mut cov);
            let matching: Vec<&FindingRecord> = records.iter().filter(|r| brute_matches(r, &filters)).collect();
            let counted = store.count_matching(&filters, now()).unwrap();
            assert_eq!(counted, matching.len() as u64, "seed {seed}, filters {}", filters.to_json());
            let group_by = *rng.pick(crate::GROUP_BY);
            let insight =
                Insight { id: "custom/1".into(), name: "g".into(), filters: filters.clone(), group_by: group_by.into(), managed: false };
            let got: Vec<(String, u64)> = store.insight_results(&insight, now()).unwrap().into_iter().map(|g| (g.value, g.count)).collect();
            assert_eq!(got, brute_groups(&matching, group_by), "seed {seed}, group by {group_by}, filters {}", filters.to_json());
            checked += 1;
        }
        // The managed insights (last-day filters included) agree too.
        for insight in managed_insights() {
            let got = store.insight_results(&insight, now()).unwrap().iter().map(|g| g.count).sum::<u64>();
            let total = store.count_matching(&insight.filters, now()).unwrap();
            if matches!(insight.group_by.as_str(), "ResourceId" | "AwsAccountId" | "ProductArn" | "SeverityLabel") {
                assert!(got <= total, "{}: groups hold {got} of {total}", insight.id);
            }
        }
    }
    assert_eq!(checked, 480);
    // The generator exercised what it is meant to: every field `finding_counts` carries,
    // every comparison, number filters, several fields, several filters in one field,
    // and filters that must count the findings themselves.
    for field in COUNTED {
        let n = cov.fields.get(*field).copied().unwrap_or(0);
        assert!(n >= 10, "{field} filtered on {n} times");
    }
    for c in StringComparison::ALL {
        let n = cov.comparisons.get(&c).copied().unwrap_or(0);
        assert!(n >= 40, "{c} used {n} times");
    }
    assert!(cov.numbers >= 10, "number filters: {}", cov.numbers);
    assert!(cov.several_fields >= 100, "several fields: {}", cov.several_fields);
    assert!(cov.several_in_field >= 100, "several filters in a field: {}", cov.several_in_field);
    assert!(cov.fallback >= 20, "filters finding_counts cannot answer: {}", cov.fallback);
}

/// `EXPLAIN QUERY PLAN` of a statement: its detail lines.
fn plan(store: &Store, text: &str, values: Vec<rusqlite::types::Value>) -> String {
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN QUERY PLAN {text}")).unwrap();
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, String>(3)).unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
}

/// The tables and indexes a statement reads (its `OpenRead`s, by root page: the plan
/// names only the alias).
fn reads(store: &Store, text: &str, values: Vec<rusqlite::types::Value>) -> BTreeSet<String> {
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN {text}")).unwrap();
    let pages: Vec<i64> = stmt
        .query_map(rusqlite::params_from_iter(values), |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(op, _)| op == "OpenRead")
        .map(|(_, page)| page)
        .collect();
    pages
        .into_iter()
        .map(|p| store.lite().unwrap().query_row("SELECT name FROM sqlite_schema WHERE rootpage = ?1", [p], |r| r.get(0)).unwrap())
        .collect()
}

/// How many columns of a `findings` row a statement reads (its `Column` operations on
/// the table's cursor): 0 when an index answers alone. An index holding expressions may
/// leave the table's cursor open "just in case" (SQLite's `WHERE_EXPRIDX`), so the
/// `OpenRead`s alone do not tell.
pub(crate) fn row_columns_read(store: &Store, text: &str, values: Vec<rusqlite::types::Value>) -> usize {
    let root: i64 = store.lite().unwrap().query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'findings'", [], |r| r.get(0)).unwrap();
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN {text}")).unwrap();
    let ops: Vec<(String, i64, i64)> = stmt
        .query_map(rusqlite::params_from_iter(values), |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let cursors: BTreeSet<i64> = ops.iter().filter(|(op, _, p2)| op == "OpenRead" && *p2 == root).map(|(_, p1, _)| *p1).collect();
    ops.iter().filter(|(op, p1, _)| op == "Column" && cursors.contains(p1)).count()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn filters(json: &str) -> FindingFilters {
    FindingFilters::from_json_str(json).unwrap()
}

#[test]
fn the_hot_queries_use_their_table_and_indexes() {
    let mut rng = Rng(7);
    let store = estate(&mut rng);
    // Counts over the common fields read finding_counts, never the findings.
    for json in [
        r#"{}"#,
        r#"{"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}], "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}"#,
        r#"{"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}], "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
            "AwsAccountId": [{"Value": "1111", "Comparison": "PREFIX"}], "Region": [{"Value": "us-east-1", "Comparison": "NOT_EQUALS"}],
            "GeneratorId": [{"Value": "s3_", "Comparison": "PREFIX"}], "ResourceType": [{"Value": "AwsS3Bucket", "Comparison": "EQUALS"}]}"#,
    ] {
        let (text, values) = count_statement(&FindingQuery::new(filters(json)), now());
        assert_eq!(reads(&store, &text, values), names(&["finding_counts"]), "count of {json}");
    }
    // A count on another field reads the findings.
    let (text, values) =
        count_statement(&FindingQuery::new(filters(r#"{"Description": [{"Value": "x", "Comparison": "PREFIX"}]}"#)), now());
    assert_eq!(reads(&store, &text, values), names(&["findings"]));

    for insight in managed_insights() {
        let (text, mut values) = insight_statement(&insight, now(), None, store.resource_index(&insight, now()).unwrap()).unwrap();
        values.push(rusqlite::types::Value::Integer(100));
        let read = reads(&store, &text, values);
        match insight.group_by.as_str() {
            // Grouped by resource over open findings: the resource index, read alone.
            "ResourceId" if insight.id == "managed/1" => assert_eq!(read, names(&["findings_resource"]), "{}", insight.id),
            // Grouped by resource over one type: the type index, read alone.
            "ResourceId" if ["managed/19", "managed/30", "managed/31"].contains(&insight.id.as_str()) => {
                assert_eq!(read, names(&["findings_type_resource"]), "{}", insight.id)
            }
            "ResourceId" => {}
            _ => assert_eq!(read, names(&["finding_counts"]), "{}", insight.id),
        }
    }
    // The workflow index serves its sort only: a workflow filter never reads through it
    // (four values; SQLite, without statistics, would read a row per match).
    for json in [
        r#"{"WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}], "GeneratorId": [{"Value": "s3x", "Comparison": "EQUALS"}]}"#,
        r#"{"WorkflowStatus": [{"Value": "SUPPRESSED", "Comparison": "EQUALS"}], "Title": [{"Value": "x", "Comparison": "PREFIX"}]}"#,
    ] {
        let q = FindingQuery::new(filters(json));
        let (text, values) = crate::query::page_statement(&q, "", None, now()).unwrap();
        assert!(!reads(&store, &text, values).contains("findings_workflow"), "{json}");
        let (text, values) = count_statement(&q, now());
        assert!(!reads(&store, &text, values).contains("findings_workflow"), "{json}");
    }
    let thirteen = managed_insights().into_iter().find(|i| i.id == "managed/13").unwrap();
    let (text, mut values) = insight_statement(&thirteen, now(), None, store.resource_index(&thirteen, now()).unwrap()).unwrap();
    values.push(rusqlite::types::Value::Integer(100));
    assert_eq!(reads(&store, &text, values), names(&["findings", "findings_check"]), "managed/13 reads its checks' findings");

    // A page in the default order walks the severity index: no sort of every match.
    let q = FindingQuery::new(filters(r#"{"WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}"#));
    let (text, values) = crate::query::page_statement(&q, "", crate::query::sort_index(&q.sort.field), now()).unwrap();
    assert!(reads(&store, &text, values.clone()).contains("findings_severity_order"));
    let p = plan(&store, &text, values);
    assert!(!p.contains("TEMP B-TREE"), "page:\n{p}");

    // Filtered on an indexed column with many matches, the page still walks the severity
    // index (named), not the column's index and a sort of every match.
    let q = FindingQuery::new(filters(r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}]}"#));
    let (text, values) = crate::query::page_statement(&q, "", crate::query::sort_index(&q.sort.field), now()).unwrap();
    assert!(reads(&store, &text, values.clone()).contains("findings_severity_order"));
    assert!(!plan(&store, &text, values).contains("TEMP B-TREE"));
}

#[test]
fn dense_filtered_pages_read_through_the_severity_index_hold_every_match_once() {
    // Many matches: the page names the severity index, and its pages still hold every
    // match once, in order.
    let mut rng = Rng(11);
    let mut store = estate(&mut rng);
    // Enough findings for several pages of each filter below.
    let mut bulk: Vec<Finding> = (0..12_000)
        .map(|i| {
            let mut f = generated(&mut rng);
            f.resource.id = format!("arn:aws:s3:::bulk-{i}");
            f.id = rampart_model::finding_id(&f.check_id, &f.resource.id, "");
            f
        })
        .collect();
    store.record_run(&run("r3", 1), &mut bulk, &[]).unwrap();
    let all = all_records(&store);
    for json in [
        r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}, {"Value": "2222", "Comparison": "PREFIX"}]}"#,
        r#"{"ResourceType": [{"Value": "AwsIamRole", "Comparison": "NOT_EQUALS"}], "Region": [{"Value": "eu-", "Comparison": "PREFIX_NOT_EQUALS"}]}"#,
    ] {
        let q = FindingQuery { max_results: 100, ..FindingQuery::new(filters(json)) };
        let total = store.count_query(&FindingQuery::default(), now()).unwrap();
        assert!(store.count_query(&q, now()).unwrap() * 20 >= total, "{json} matches enough findings");
        let mut got = Vec::new();
        let mut page = store.get_findings(&q, now()).unwrap();
        loop {
            got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            let Some(t) = page.next_token.clone() else { break };
            page = store.get_findings(&FindingQuery { next_token: Some(t), ..q.clone() }, now()).unwrap();
        }
        let f = filters(json);
        let want: Vec<String> = all.iter().filter(|r| brute_matches(r, &f)).map(|r| r.finding.id.clone()).collect();
        assert_eq!(got, want, "{json}: every match once, in the default order");
    }
}

/// `finding_titles` holds exactly the findings' distinct titles and their numbers.
fn check_titles(store: &Store) {
    let diff: i64 = store
        .lite().unwrap()
        .query_row(
            "WITH truth AS (SELECT title, count(*) AS n FROM findings GROUP BY title)
             SELECT (SELECT count(*) FROM truth t LEFT JOIN finding_titles c ON c.title = t.title WHERE c.n IS NOT t.n)
                  + (SELECT count(*) FROM finding_titles c LEFT JOIN truth t ON c.title = t.title WHERE t.n IS NOT c.n)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(diff, 0, "finding_titles differs from the findings");
}

/// The insights grouped by resource over a standard, a compliance status or the last day
/// (Security Hub's 6, 11, 34, 36) read one resource index alone, the standards tested by
/// the mask the index holds; their results are the exact path's and a brute-force count's.
#[test]
fn insights_by_resource_over_standards_read_a_resource_index_alone() {
    let mut rng = Rng(23);
    let store = estate(&mut rng);
    assert!(store.requirements_unescaped().unwrap());
    let records = all_records(&store);
    for insight in managed_insights() {
        let Some(standards) = insight.filters.get("ComplianceAssociatedStandardsId") else {
            if ["managed/36"].contains(&insight.id.as_str()) {
                let (text, mut values) = insight_statement(&insight, now(), None, store.resource_index(&insight, now()).unwrap()).unwrap();
                values.push(rusqlite::types::Value::Integer(100));
                assert!(reads(&store, &text, values.clone()).is_subset(&names(&["findings_resource", "findings"])), "{}", insight.id);
                assert!(plan(&store, &text, values.clone()).contains("USING INDEX findings_resource"), "{}", insight.id);
                assert_eq!(row_columns_read(&store, &text, values), 0, "{}: {text}", insight.id);
            }
            continue;
        };
        let masks = store.standards_masks(standards).unwrap();
        let (text, mut values) = insight_statement(&insight, now(), Some(&masks), store.resource_index(&insight, now()).unwrap()).unwrap();
        values.push(rusqlite::types::Value::Integer(100));
        let index = if insight.filters.get("ResourceType").is_some() { "findings_type_resource" } else { "findings_resource" };
        assert!(reads(&store, &text, values.clone()).is_subset(&names(&[index, "findings"])), "{}", insight.id);
        assert!(plan(&store, &text, values.clone()).contains(&format!("USING INDEX {index}")), "{}", insight.id);
        assert_eq!(row_columns_read(&store, &text, values), 0, "{}: {text}", insight.id);
        // The same groups as the exact path (each finding's requirements taken apart).
        let exact = |masks: Option<&[usize]>| -> Vec<(String, i64)> {
            let (text, mut values) = insight_statement(&insight, now(), masks, None).unwrap();
            values.push(rusqlite::types::Value::Integer(100));
            let mut stmt = store.lite().unwrap().prepare(&text).unwrap();
            stmt.query_map(rusqlite::params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(exact(Some(&masks)), exact(None), "{}", insight.id);
    }
    // Generated filters on the standards (every comparison), grouped by resource: the mask
    // path, the exact path and a brute-force count agree.
    let mut cov = Coverage::default();
    let mut checked = 0;
    for _ in 0..300 {
        let mut filters = generated_filters(&records, &mut rng, &mut cov);
        if filters.get("ComplianceAssociatedStandardsId").is_none() {
            let pool = candidates(&records, "ComplianceAssociatedStandardsId", &mut rng);
            for _ in 0..1 + rng.below(2) {
                let c = *rng.pick(&StringComparison::ALL);
                let v = rng.pick(&pool).clone();
                if let Ok(next) = filters.clone().with_string("ComplianceAssociatedStandardsId", c, &v) {
                    filters = next;
                }
            }
        }
        let Some(standards) = filters.get("ComplianceAssociatedStandardsId") else { continue };
        let masks = store.standards_masks(standards).unwrap();
        let insight =
            Insight { id: "custom/1".into(), name: "g".into(), filters: filters.clone(), group_by: "ResourceId".into(), managed: false };
        let matching: Vec<&FindingRecord> = records.iter().filter(|r| brute_matches(r, &filters)).collect();
        let want = brute_groups(&matching, "ResourceId");
        for path in [Some(masks.as_slice()), None] {
            let (text, mut values) = insight_statement(&insight, now(), path, None).unwrap();
            values.push(rusqlite::types::Value::Integer(100));
            let mut stmt = store.lite().unwrap().prepare(&text).unwrap();
            let got: Vec<(String, u64)> = stmt
                .query_map(rusqlite::params_from_iter(values), |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(got, want, "masks {path:?}, filters {}", filters.to_json());
        }
        checked += 1;
    }
    assert!(checked >= 150, "{checked} filter sets on the standards");
    let comparisons: BTreeSet<StringComparison> = cov.comparisons.keys().copied().collect();
    assert_eq!(comparisons.len(), StringComparison::ALL.len());
}

/// A requirement with a `"` in it is escaped in the JSON text: the mask could take it for
/// a standard's, so the insights take each finding's requirements apart instead, and
/// count it right.
#[test]
fn an_escaped_requirement_turns_the_standards_mask_off() {
    let mut store = Store::open_in_memory().unwrap();
    let mut fake = crate::tests::finding("c1", "r1", "111111111111", "us-east-1", Status::Failed, 0);
    fake.related_requirements = vec![r#"Note "AWS Foundational Security Best Practices/S3.1"#.to_string()].into();
    let mut real = crate::tests::finding("c2", "r2", "111111111111", "us-east-1", Status::Failed, 0);
    real.related_requirements = vec!["AWS Foundational Security Best Practices/S3.1".to_string()].into();
    store.record_run(&run("r1", 1), &mut vec![fake, real], &[]).unwrap();
    assert!(!store.requirements_unescaped().unwrap());
    let six = managed_insights().into_iter().find(|i| i.id == "managed/6").unwrap();
    let got: Vec<(String, u64)> = store.insight_results(&six, now()).unwrap().into_iter().map(|g| (g.value, g.count)).collect();
    assert_eq!(got, vec![("arn:aws:s3:::r2".to_string(), 1)]);
    // The mask alone would have counted the other one too: the guard is what keeps it right.
    let masks = store.standards_masks(six.filters.get("ComplianceAssociatedStandardsId").unwrap()).unwrap();
    let (text, mut values) = insight_statement(&six, now(), Some(&masks), None).unwrap();
    values.push(rusqlite::types::Value::Integer(100));
    let n: i64 = store.lite().unwrap().query_row(&format!("SELECT sum(n) FROM ({text})"), rusqlite::params_from_iter(values), |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}

/// Title CONTAINS finds the titles in `finding_titles` and reads their findings through
/// `findings_title`; its counts and pages are those of the plain comparison of every
/// finding's title, case-sensitive, after titles change and findings are deleted.
#[test]
fn title_contains_reads_the_distinct_titles_and_matches_the_plain_comparison() {
    let mut rng = Rng(31);
    let store = estate(&mut rng);
    let ids: Vec<String> = all_records(&store).iter().map(|r| r.finding.id.clone()).collect();
    // Titles of several shapes, some changed in place, some findings gone.
    for (i, id) in ids.iter().enumerate() {
        let title = match i % 5 {
            0 => format!("Bucket b-{} allows public READ", i % 7),
            1 => "bucket allows public read".to_string(),
            2 => format!("Ünïcode tïtle {}", i % 3),
            3 => String::new(),
            _ => continue,
        };
        store.lite().unwrap().execute("UPDATE findings SET title = ?2 WHERE id = ?1", rusqlite::params![id, title]).unwrap();
    }
    for id in ids.iter().step_by(11) {
        store.lite().unwrap().execute("DELETE FROM findings WHERE id = ?1", [id]).unwrap();
    }
    check_titles(&store);
    let records = all_records(&store);
    let plain = |values: &[&str]| -> u64 {
        let cond = vec!["instr(title, ?) > 0"; values.len()].join(" OR ");
        let n: i64 = store
            .lite().unwrap()
            .query_row(&format!("SELECT count(*) FROM findings WHERE {cond}"), rusqlite::params_from_iter(values), |r| r.get(0))
            .unwrap();
        n as u64
    };
    for values in [
        vec!["public"],
        vec!["READ"],
        vec!["read"],
        vec!["Bucket"],
        vec!["bucket"],
        vec!["tïtle"],
        vec!["ï"],
        vec![""],
        vec!["b-3", "Ünï"],
        vec!["nothing has this"],
    ] {
        let mut f = FindingFilters::default();
        for v in &values {
            f = f.with_string("Title", StringComparison::Contains, v).unwrap();
        }
        let want = plain(&values);
        assert_eq!(store.count_matching(&f, now()).unwrap(), want, "{values:?}");
        let brute: Vec<String> = records.iter().filter(|r| brute_matches(r, &f)).map(|r| r.finding.id.clone()).collect();
        assert_eq!(brute.len() as u64, want, "{values:?}");
        // Every page, in the default order: the brute-force matches in that order.
        let mut got = Vec::new();
        let mut q = FindingQuery { max_results: 7, ..FindingQuery::new(f.clone()) };
        loop {
            let page = store.get_findings(&q, now()).unwrap();
            got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            match page.next_token {
                Some(t) => q.next_token = Some(t),
                None => break,
            }
        }
        assert_eq!(got, brute, "{values:?}");
        // The count reads the distinct titles and the title index, never a finding's row.
        let (text, binds) = count_statement(&FindingQuery::new(f.clone()), now());
        assert_eq!(reads(&store, &text, binds), names(&["finding_titles", "findings_title"]), "{values:?}");
    }
    // With an account too, a rare title's findings are found through the titles, not by
    // reading every finding of the account.
    let q = FindingQuery::new(
        FindingFilters::default()
            .with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[0])
            .unwrap()
            .with_string("Title", StringComparison::Contains, "b-3")
            .unwrap(),
    );
    let index = store.narrow_index(&q, now()).unwrap();
    assert_eq!(index, Some("findings_title"));
    let (text, binds) = crate::query::page_statement(&q, "", index, now()).unwrap();
    assert_eq!(reads(&store, &text, binds), names(&["findings", "finding_titles", "findings_title"]));
    let (text, binds) = crate::query::count_statement_through(&q, now(), index);
    assert_eq!(reads(&store, &text, binds), names(&["findings", "finding_titles", "findings_title"]));
    // A title most findings hold: the planner chooses.
    let common = FindingQuery::new(FindingFilters::default().with_string("Title", StringComparison::Contains, "").unwrap());
    assert_eq!(store.narrow_index(&common, now()).unwrap(), None);
    // With counted filters, what the titles tell is a lower bound of the matches (so a
    // dense page may read the sort's index in order); the pages hold every match once.
    let mut dense = 0;
    for (c, v) in [
        (StringComparison::NotContains, "public"),
        (StringComparison::Contains, "b-"),
        (StringComparison::Equals, "bucket allows public read"),
        (StringComparison::PrefixNotEquals, "Bucket"),
        (StringComparison::NotEquals, ""),
    ] {
        let f = FindingFilters::default()
            .with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[1])
            .unwrap()
            .with_string("Title", c, v)
            .unwrap();
        let q = FindingQuery { max_results: 5, ..FindingQuery::new(f.clone()) };
        let want: Vec<String> = records.iter().filter(|r| brute_matches(r, &f)).map(|r| r.finding.id.clone()).collect();
        let at_least = store.matches_at_least(&q, now()).unwrap().unwrap();
        assert!(at_least <= want.len() as u64, "{c} {v}: {at_least} > {}", want.len());
        if at_least * 20 >= records.len() as u64 {
            dense += 1;
        }
        let mut got = Vec::new();
        let mut q = q;
        loop {
            let page = store.get_findings(&q, now()).unwrap();
            got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            match page.next_token {
                Some(t) => q.next_token = Some(t),
                None => break,
            }
        }
        assert_eq!(got, want, "{c} {v}");
    }
    assert!(dense >= 2, "{dense} dense title filters");
    let other = FindingQuery::new(FindingFilters::default().with_string("NoteText", StringComparison::Contains, "x").unwrap());
    assert_eq!(store.matches_at_least(&other, now()).unwrap(), None);
    // NOT_CONTAINS keeps the plain comparison.
    let f = FindingFilters::default().with_string("Title", StringComparison::NotContains, "public").unwrap();
    let n: i64 = store.lite().unwrap().query_row("SELECT count(*) FROM findings WHERE instr(title, 'public') = 0", [], |r| r.get(0)).unwrap();
    assert_eq!(store.count_matching(&f, now()).unwrap(), n as u64);
}

/// Each sort the console offers reads its index in order (no sort of every match), with
/// no filter and with common filters that match many findings; its pages hold every
/// match once, in the order of the sort (the id breaking ties), both directions.
#[test]
fn console_sorts_read_their_index_in_order_and_page_through_every_match() {
    let mut rng = Rng(41);
    let mut store = estate(&mut rng);
    let mut bulk: Vec<Finding> = (0..3_000)
        .map(|i| {
            let mut f = generated(&mut rng);
            f.resource.id = format!("arn:aws:s3:::bulk-{}", i / 3);
            f.id = rampart_model::finding_id(&f.check_id, &f.resource.id, "");
            f.title = format!("Title {}", i % 13).into();
            f
        })
        .collect();
    let mut seen = BTreeSet::new();
    bulk.retain(|f| seen.insert(f.id.clone()));
    store.record_run(&run("r3", 1), &mut bulk, &[]).unwrap();
    let all = all_records(&store);
    let key = |r: &FindingRecord, field: &str| -> String {
        let f = &r.finding;
        match field {
            "LastObservedAt" => crate::codec::time_to_text(f.last_observed),
            "Title" => f.title.to_string(),
            "ResourceId" => f.resource.id.clone(),
            "AwsAccountId" => f.resource.account.clone(),
            "WorkflowStatus" => f.workflow_status.as_str().to_string(),
            other => panic!("{other}"),
        }
    };
    for field in ["LastObservedAt", "Title", "ResourceId", "AwsAccountId", "WorkflowStatus"] {
        let index = crate::query::sort_index(field).unwrap();
        for json in [
            r#"{}"#,
            r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}]}"#,
            r#"{"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}], "ComplianceStatus": [{"Value": "PASSED", "Comparison": "NOT_EQUALS"}]}"#,
        ] {
            for order in [crate::SortOrder::Desc, crate::SortOrder::Asc] {
                let q = FindingQuery {
                    sort: crate::SortCriterion { field: field.to_string(), order },
                    max_results: 100,
                    ..FindingQuery::new(filters(json))
                };
                let (text, values) = crate::query::page_statement(&q, "", crate::query::sort_index(&q.sort.field), now()).unwrap();
                assert!(reads(&store, &text, values.clone()).contains(index), "{field} {json}");
                let p = plan(&store, &text, values);
                // A resource's few findings are sorted by id: the last term of the order.
                let sorted_all = p.contains("TEMP B-TREE") && !p.contains("LAST TERM OF ORDER BY");
                assert!(!sorted_all, "{field} {json}: every match sorted:\n{p}");
                if field != "ResourceId" {
                    assert!(!p.contains("TEMP B-TREE"), "{field} {json}:\n{p}");
                }
                // The planner's own choice with no filter is the index too.
                if json == "{}" {
                    let (text, values) = crate::query::page_statement(&q, "", None, now()).unwrap();
                    assert!(reads(&store, &text, values.clone()).contains(index), "{field} unnamed");
                }
                // By workflow or account, the index is read from the first sort value
                // with matches to the last.
                let range = store.key_range(&q, now()).unwrap();
                assert_eq!(range.is_some(), ["WorkflowStatus", "AwsAccountId"].contains(&field), "{field} {json}");
                let mut got = Vec::new();
                let mut page = store.get_findings(&q, now()).unwrap();
                loop {
                    got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
                    let Some(t) = page.next_token.clone() else { break };
                    page = store.get_findings(&FindingQuery { next_token: Some(t), ..q.clone() }, now()).unwrap();
                }
                let f = filters(json);
                let mut want: Vec<&FindingRecord> = all.iter().filter(|r| brute_matches(r, &f)).collect();
                want.sort_by(|a, b| (key(a, field), &a.finding.id).cmp(&(key(b, field), &b.finding.id)));
                if order == crate::SortOrder::Desc {
                    want.reverse();
                }
                let want: Vec<String> = want.iter().map(|r| r.finding.id.clone()).collect();
                assert_eq!(got, want, "{field} {order:?} {json}: every match once, in order");
            }
        }
    }
}

/// Description CONTAINS finds the descriptions in `finding_descriptions` (kept exact by
/// triggers) and reads their checks' findings through `findings_check`; NoteText CONTAINS
/// reads the partial index of noted findings. Counts and pages are those of the plain
/// comparison of every finding's own text, after descriptions change and findings go.
#[test]
fn description_and_note_contains_read_their_narrow_tables_and_match_the_plain_comparison() {
    let mut rng = Rng(37);
    let store = estate(&mut rng);
    let ids: Vec<String> = all_records(&store).iter().map(|r| r.finding.id.clone()).collect();
    for (i, id) in ids.iter().enumerate() {
        // Descriptions per check mostly, some per finding; a few notes.
        let description = match i % 4 {
            0 => format!("Bucket b-{} allows public READ", i % 5),
            1 => "bucket allows public read".to_string(),
            2 => format!("Ünïcode {}", i % 3),
            _ => String::new(),
        };
        store.lite().unwrap().execute("UPDATE findings SET description = ?2 WHERE id = ?1", rusqlite::params![id, description]).unwrap();
        if i % 9 == 0 {
            store
                .lite().unwrap()
                .execute(
                    "UPDATE findings SET note_text = ?2, note_updated_by = 'alice', note_updated_at = '2026-01-01T00:00:00Z' WHERE id = ?1",
                    rusqlite::params![id, format!("ticket SEC-{}", i % 4)],
                )
                .unwrap();
        }
    }
    for id in ids.iter().step_by(13) {
        store.lite().unwrap().execute("DELETE FROM findings WHERE id = ?1", [id]).unwrap();
    }
    let diff: i64 = store
        .lite().unwrap()
        .query_row(
            "WITH truth AS (SELECT description, check_id, count(*) AS n FROM findings GROUP BY description, check_id)
             SELECT (SELECT count(*) FROM truth t LEFT JOIN finding_descriptions c USING (description, check_id) WHERE c.n IS NOT t.n)
                  + (SELECT count(*) FROM finding_descriptions c LEFT JOIN truth t USING (description, check_id) WHERE t.n IS NOT c.n)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(diff, 0, "finding_descriptions differs from the findings");
    let records = all_records(&store);
    let plain = |column: &str, values: &[&str], account: Option<&str>| -> Vec<String> {
        records
            .iter()
            .filter(|r| account.is_none_or(|a| r.finding.resource.account == a))
            .filter(|r| {
                let text = match column {
                    "Description" => Some(r.finding.description.to_string()),
                    _ => r.note.as_ref().map(|n| n.text.clone()),
                };
                text.is_some_and(|t| values.iter().any(|v| t.contains(v)))
            })
            .map(|r| r.finding.id.clone())
            .collect()
    };
    let every_page = |q: FindingQuery| -> Vec<String> {
        let mut got = Vec::new();
        let mut q = FindingQuery { max_results: 7, ..q };
        loop {
            let page = store.get_findings(&q, now()).unwrap();
            got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            match page.next_token {
                Some(t) => q.next_token = Some(t),
                None => break,
            }
        }
        got
    };
    for (column, values) in [
        ("Description", vec!["public"]),
        ("Description", vec!["READ"]),
        ("Description", vec!["b-3"]),
        ("Description", vec!["ï"]),
        ("Description", vec![""]),
        ("Description", vec!["b-2", "Ünï"]),
        ("Description", vec!["nothing has this"]),
        ("NoteText", vec!["SEC-1"]),
        ("NoteText", vec!["ticket"]),
        ("NoteText", vec!["SEC-0", "SEC-3"]),
        ("NoteText", vec![""]),
        ("NoteText", vec!["nothing has this"]),
    ] {
        for account in [None, Some(ACCOUNTS[1])] {
            let mut f = FindingFilters::default();
            if let Some(a) = account {
                f = f.with_string("AwsAccountId", StringComparison::Equals, a).unwrap();
            }
            for v in &values {
                f = f.with_string(column, StringComparison::Contains, v).unwrap();
            }
            let want = plain(column, &values, account);
            let q = FindingQuery::new(f.clone());
            assert_eq!(store.count_query(&q, now()).unwrap(), want.len() as u64, "{column} {values:?} {account:?}");
            assert_eq!(every_page(q), want, "{column} {values:?} {account:?}: every match once, in the default order");
        }
    }
    // A rare description with an account: found through the checks, not the account's findings.
    let q = FindingQuery::new(filters(
        r#"{"AwsAccountId": [{"Value": "222222222222", "Comparison": "EQUALS"}], "Description": [{"Value": "nothing has this", "Comparison": "CONTAINS"}]}"#,
    ));
    let index = store.narrow_index(&q, now()).unwrap();
    assert_eq!(index, Some("findings_check"));
    let (text, binds) = crate::query::page_statement(&q, "", index, now()).unwrap();
    assert_eq!(reads(&store, &text, binds), names(&["findings", "finding_descriptions", "findings_check"]));
    // A note: the noted findings' index alone, then their rows.
    let q = FindingQuery::new(filters(r#"{"NoteText": [{"Value": "SEC-1", "Comparison": "CONTAINS"}]}"#));
    let index = store.narrow_index(&q, now()).unwrap();
    assert_eq!(index, Some("findings_note"));
    let (text, binds) = crate::query::page_statement(&q, "", index, now()).unwrap();
    assert_eq!(reads(&store, &text, binds), names(&["findings", "findings_note"]));
    // The count of a Description CONTAINS alone reads the distinct descriptions only.
    let q = FindingQuery::new(filters(r#"{"Description": [{"Value": "public", "Comparison": "CONTAINS"}]}"#));
    let before: i64 = store.lite().unwrap().query_row("SELECT count(*) FROM finding_descriptions", [], |r| r.get(0)).unwrap();
    assert!(before < records.len() as i64 / 2, "{before} distinct pairs");
    assert_eq!(store.count_query(&q, now()).unwrap(), plain("Description", &["public"], None).len() as u64);
    // NOT_CONTAINS keeps the plain comparison (a finding without a note matches it).
    let f = filters(r#"{"NoteText": [{"Value": "SEC-1", "Comparison": "NOT_CONTAINS"}]}"#);
    let n = records.iter().filter(|r| r.note.as_ref().is_none_or(|n| !n.text.contains("SEC-1"))).count();
    assert_eq!(store.count_matching(&f, now()).unwrap(), n as u64);
}

/// A page sorted by resource with an account filter tests the account in
/// `findings_resource` (findings migration 15): the index is read in order and a row is
/// fetched only for an entry whose account matches.
#[test]
fn a_resource_sort_with_an_account_filter_reads_the_account_from_the_resource_index() {
    let mut rng = Rng(41);
    let store = estate(&mut rng);
    let position: i64 =
        store.lite().unwrap().query_row("SELECT seqno FROM pragma_index_xinfo('findings_resource') WHERE name = 'account'", [], |r| r.get(0)).unwrap();
    let root: i64 = store.lite().unwrap().query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'findings_resource'", [], |r| r.get(0)).unwrap();
    let f = filters(
        r#"{"AwsAccountId": [{"Value": "222222222222", "Comparison": "EQUALS"}], "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]}"#,
    );
    let q = FindingQuery {
        sort: crate::SortCriterion { field: "ResourceId".into(), order: crate::SortOrder::Desc },
        max_results: 5,
        ..FindingQuery::new(f.clone())
    };
    let (text, binds) = crate::query::page_statement(&q, "", Some("findings_resource"), now()).unwrap();
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN {text}")).unwrap();
    let ops: Vec<(String, i64, i64)> =
        stmt.query_map(rusqlite::params_from_iter(binds), |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect();
    let cursor = ops.iter().find(|(op, _, p2)| op == "OpenRead" && *p2 == root).map(|(_, p1, _)| *p1).expect("reads findings_resource");
    assert!(
        ops.iter().any(|(op, p1, p2)| op == "Column" && *p1 == cursor && *p2 == position),
        "the account is read from the index: {ops:?}"
    );
    // And the pages hold every match once, in resource order (descending, ids breaking ties).
    let records = all_records(&store);
    let mut want: Vec<&FindingRecord> = records.iter().filter(|r| brute_matches(r, &f)).collect();
    want.sort_by(|a, b| (&b.finding.resource.id, &b.finding.id).cmp(&(&a.finding.resource.id, &a.finding.id)));
    let want: Vec<String> = want.iter().map(|r| r.finding.id.clone()).collect();
    let mut got = Vec::new();
    let mut q = q;
    loop {
        let page = store.get_findings(&q, now()).unwrap();
        got.extend(page.findings.iter().map(|r| r.finding.id.clone()));
        match page.next_token {
            Some(t) => q.next_token = Some(t),
            None => break,
        }
    }
    assert_eq!(got, want);
}
