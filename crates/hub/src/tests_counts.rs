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
            .conn
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
        store.conn.execute("DELETE FROM findings WHERE id = ?1", [id]).unwrap();
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
        .conn
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
    let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {text}")).unwrap();
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, String>(3)).unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
}

/// The tables and indexes a statement reads (its `OpenRead`s, by root page: the plan
/// names only the alias).
fn reads(store: &Store, text: &str, values: Vec<rusqlite::types::Value>) -> BTreeSet<String> {
    let mut stmt = store.conn.prepare(&format!("EXPLAIN {text}")).unwrap();
    let pages: Vec<i64> = stmt
        .query_map(rusqlite::params_from_iter(values), |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(op, _)| op == "OpenRead")
        .map(|(_, page)| page)
        .collect();
    pages
        .into_iter()
        .map(|p| store.conn.query_row("SELECT name FROM sqlite_schema WHERE rootpage = ?1", [p], |r| r.get(0)).unwrap())
        .collect()
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
    let (text, values) = count_statement(&FindingQuery::new(filters(r#"{"Title": [{"Value": "x", "Comparison": "CONTAINS"}]}"#)), now());
    assert_eq!(reads(&store, &text, values), names(&["findings"]));

    for insight in managed_insights() {
        let (text, mut values) = insight_statement(&insight, now()).unwrap();
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
    // A page in the default order walks the severity index: no sort of every match.
    let q = FindingQuery::new(filters(r#"{"WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}"#));
    let (text, values) = crate::query::page_statement(&q, "", false, now()).unwrap();
    assert!(reads(&store, &text, values.clone()).contains("findings_severity_order"));
    let p = plan(&store, &text, values);
    assert!(!p.contains("TEMP B-TREE"), "page:\n{p}");

    // Filtered on an indexed column with many matches, the page still walks the severity
    // index (named), not the column's index and a sort of every match.
    let q = FindingQuery::new(filters(r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}]}"#));
    let (text, values) = crate::query::page_statement(&q, "", true, now()).unwrap();
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
