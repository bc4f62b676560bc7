//! The findings query: Security Hub's filter semantics, table-tested, sort and keyset
//! pagination, and values that look like SQL.

use crate::filter::{Kind, FIELDS};
use crate::{FindingFilters, FindingQuery, QueryError, Store, StoreError};
use rampart_model::{Finding, ResourceType, RunInfo, Severity, Status, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use time::macros::datetime;

const A: &str = "111111111111";
const B: &str = "222222222222";

fn now() -> Timestamp {
    datetime!(2026-03-31 12:00:00 UTC)
}

/// A finding on resource `name`, of `check`, with the title, severity and resource type
/// given, observed first `days_ago` days before [`now`].
fn finding(check: &str, name: &str, title: &str, severity: Severity, kind: ResourceType, days_ago: i64) -> Finding {
    let mut f = crate::tests::finding(check, name, A, "us-east-1", Status::Failed, 0);
    f.title = title.to_string().into();
    f.severity = severity;
    f.resource.kind = kind;
    f.first_observed = now() - time::Duration::days(days_ago);
    f.last_observed = f.first_observed;
    f
}

fn run(id: &str, at: Timestamp) -> RunInfo {
    RunInfo {
        id: id.into(),
        started_at: at,
        finished_at: at,
        source: "test".into(),
        accounts: vec![A.into(), B.into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: Vec::new(),
        incomplete: Vec::new(),
    }
}

/// Six findings, one per resource name, with titles and types to filter on.
fn fixture() -> Store {
    use ResourceType::*;
    use Severity::*;
    let mut store = Store::open_in_memory().unwrap();
    let mut fs = vec![
        finding("s3_public", "alpha", "CloudFront distribution logs", High, AwsS3Bucket, 40),
        finding("s3_public", "beta", "CloudWatch alarm missing", Critical, AwsIamPolicy, 10),
        finding("s3_public", "gamma", "S3 bucket is public", Medium, AwsIamRole, 5),
        finding("ec2_open", "delta", "Security group open to the world", Low, AwsEc2NetworkInterface, 2),
        finding("ec2_open", "epsilon", "cloudfront lower case", Informational, AwsEc2Instance, 1),
        finding("ec2_open", "zeta", "Quote ' and % and _ in a title", High, AwsEc2SecurityGroup, 0),
    ];
    fs[5].resource.account = B.into();
    // One run: each new finding keeps the first-observed time it carries.
    store.record_run(&run("r0", now()), &mut fs, &[]).unwrap();
    store
}

/// The resource names of every finding `filters` (JSON) selects, following pages.
fn names(store: &Store, filters: &str) -> BTreeSet<String> {
    let mut q = FindingQuery::new(FindingFilters::from_json_str(filters).unwrap());
    let mut out = BTreeSet::new();
    loop {
        let page = store.get_findings(&q, now()).unwrap();
        for r in page.findings {
            assert!(out.insert(r.finding.resource.name.clone()), "{} twice", r.finding.resource.name);
        }
        match page.next_token {
            Some(t) => q.next_token = Some(t),
            None => return out,
        }
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn err(filters: &str) -> QueryError {
    FindingFilters::from_json_str(filters).expect_err("an invalid filter")
}

#[test]
fn each_string_comparison() {
    let store = fixture();
    let cases: &[(&str, &str, &[&str])] = &[
        ("EQUALS", "S3 bucket is public", &["gamma"]),
        ("EQUALS", "S3 bucket", &[]),
        ("PREFIX", "Cloud", &["alpha", "beta"]),
        // Case-sensitive, as Security Hub's values are.
        ("CONTAINS", "loudFront", &["alpha"]),
        ("NOT_EQUALS", "S3 bucket is public", &["alpha", "beta", "delta", "epsilon", "zeta"]),
        ("PREFIX_NOT_EQUALS", "Cloud", &["gamma", "delta", "epsilon", "zeta"]),
        ("NOT_CONTAINS", "o", &["gamma"]),
    ];
    for (comparison, value, expect) in cases {
        let json = format!(r#"{{"Title": [{{"Value": "{value}", "Comparison": "{comparison}"}}]}}"#);
        assert_eq!(names(&store, &json), set(expect), "Title {comparison} {value}");
    }
}

#[test]
fn positives_are_ored_negatives_anded_fields_anded() {
    let store = fixture();
    // CONTAINS OR CONTAINS.
    let f = r#"{"Title": [{"Value": "CloudFront", "Comparison": "CONTAINS"}, {"Value": "CloudWatch", "Comparison": "CONTAINS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "beta"]));
    // EQUALS OR PREFIX.
    let f = r#"{"GeneratorId": [{"Value": "ec2_open", "Comparison": "EQUALS"}, {"Value": "s3_", "Comparison": "PREFIX"}]}"#;
    assert_eq!(names(&store, f).len(), 6);
    // NOT_CONTAINS AND NOT_CONTAINS: excludes both.
    let f = r#"{"Title": [{"Value": "CloudFront", "Comparison": "NOT_CONTAINS"}, {"Value": "CloudWatch", "Comparison": "NOT_CONTAINS"}]}"#;
    assert_eq!(names(&store, f), set(&["gamma", "delta", "epsilon", "zeta"]));
    // AWS's example: PREFIX filters first (OR), then the NOT_EQUALS ones (AND).
    let f = r#"{"ResourceType": [
        {"Value": "AwsIam", "Comparison": "PREFIX"}, {"Value": "AwsEc2", "Comparison": "PREFIX"},
        {"Value": "AwsIamPolicy", "Comparison": "NOT_EQUALS"}, {"Value": "AwsEc2NetworkInterface", "Comparison": "NOT_EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["gamma", "epsilon", "zeta"]));
    // PREFIX with PREFIX_NOT_EQUALS.
    let f = r#"{"ResourceType": [{"Value": "AwsEc2", "Comparison": "PREFIX"}, {"Value": "AwsEc2Security", "Comparison": "PREFIX_NOT_EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["delta", "epsilon"]));
    // Fields are ANDed.
    let f = r#"{"GeneratorId": [{"Value": "ec2_open", "Comparison": "EQUALS"}], "AwsAccountId": [{"Value": "222222222222", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["zeta"]));
    // Other string fields read what they say.
    let f = r#"{"SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}, {"Value": "CRITICAL", "Comparison": "EQUALS"}], "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}], "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}], "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "beta", "zeta"]));
    let f = r#"{"ComplianceSecurityControlId": [{"Value": "S3.2", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f).len(), 6);
    let f = r#"{"ComplianceSecurityControlId": [{"Value": "S3.", "Comparison": "PREFIX_NOT_EQUALS"}]}"#;
    assert!(names(&store, f).is_empty());
    let f = r#"{"ResourceId": [{"Value": "arn:aws:s3:::alpha", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha"]));
}

#[test]
fn forbidden_combinations_are_errors_naming_the_field() {
    for (f, reason) in [
        (
            r#"{"Title": [{"Value": "a", "Comparison": "CONTAINS"}, {"Value": "b", "Comparison": "EQUALS"}]}"#,
            "CONTAINS can only be combined with other CONTAINS filters on the same field, not with EQUALS",
        ),
        (
            r#"{"Title": [{"Value": "a", "Comparison": "CONTAINS"}, {"Value": "b", "Comparison": "NOT_CONTAINS"}]}"#,
            "CONTAINS can only be combined with other CONTAINS filters on the same field, not with NOT_CONTAINS",
        ),
        (
            r#"{"Title": [{"Value": "a", "Comparison": "NOT_CONTAINS"}, {"Value": "b", "Comparison": "NOT_EQUALS"}]}"#,
            "NOT_CONTAINS can only be combined with other NOT_CONTAINS filters on the same field, not with NOT_EQUALS",
        ),
        (
            r#"{"Title": [{"Value": "a", "Comparison": "EQUALS"}, {"Value": "b", "Comparison": "PREFIX_NOT_EQUALS"}]}"#,
            "EQUALS cannot be combined with PREFIX_NOT_EQUALS on the same field",
        ),
    ] {
        assert_eq!(err(f).to_string(), format!("filter `Title`: {reason}"));
    }
}

#[test]
fn unknown_fields_comparisons_and_keys_are_errors_naming_them() {
    let e = err(r#"{"Titel": [{"Value": "a", "Comparison": "EQUALS"}]}"#);
    assert!(matches!(&e, QueryError::UnknownField(f) if f == "Titel"), "{e:?}");
    assert!(e.to_string().starts_with("unknown filter field `Titel`: use one of Id, GeneratorId, Title"), "{e}");
    let e = err(r#"{"Type": [{"Value": "a", "Comparison": "EQUALS"}]}"#);
    assert_eq!(e.to_string(), "filter field `Type` is a Security Hub field that rampart's findings do not carry: remove it");
    let e = err(r#"{"Title": [{"Value": "a", "Comparison": "LIKE"}]}"#);
    assert_eq!(
        e.to_string(),
        "filter `Title`: unknown comparison `LIKE`: use EQUALS, PREFIX, CONTAINS, NOT_EQUALS, PREFIX_NOT_EQUALS, NOT_CONTAINS"
    );
    let e = err(r#"{"Title": [{"Value": "a", "Comparison": "EQUALS", "CaseSensitive": true}]}"#);
    assert_eq!(e.to_string(), "filter `Title`: unknown key `CaseSensitive`: use Value, Comparison");
    let e = err(r#"{"Confidence": [{"Gte": "high"}]}"#);
    assert_eq!(e.to_string(), "filter `Confidence`: `Gte` must be a number");
    let e = err(r#"{"Confidence": [{}]}"#);
    assert!(e.to_string().starts_with("filter `Confidence`: a number filter needs"), "{e}");
    let e = err(r#"{"UpdatedAt": [{"DateRange": {"Value": 7, "Unit": "WEEKS"}}]}"#);
    assert_eq!(e.to_string(), "filter `UpdatedAt`: unknown DateRange unit `WEEKS`: use DAYS");
    let e = err(r#"{"UpdatedAt": [{"Start": "yesterday"}]}"#);
    assert!(e.to_string().starts_with("filter `UpdatedAt`: `Start` `yesterday` is not an RFC 3339 timestamp"), "{e}");
    let e = err(r#"{"ResourceTags": [{"Key": "env", "Value": "p", "Comparison": "PREFIX"}]}"#);
    assert!(e.to_string().starts_with("filter `ResourceTags`: map filters take"), "{e}");
    let e = err(r#"{"Title": {"Value": "a"}}"#);
    assert_eq!(e.to_string(), "filter `Title`: must be a list of filters");

    let e = FindingQuery::from_json_str(r#"{"Filters": {}, "Sort": []}"#).unwrap_err();
    assert_eq!(e.to_string(), "unknown query parameter `Sort`: use Filters, SortCriteria, MaxResults or NextToken");
    for n in [0, 101] {
        let e = FindingQuery::from_json_str(&format!(r#"{{"MaxResults": {n}}}"#)).unwrap_err();
        assert_eq!(e.to_string(), format!("MaxResults {n} is out of range: use 1 to 100"));
    }
    let e = FindingQuery::from_json_str(r#"{"SortCriteria": [{"Field": "ResourceTags", "SortOrder": "asc"}]}"#).unwrap_err();
    assert!(e.to_string().contains("`ResourceTags` holds several values per finding"), "{e}");
    // Through serde too, as the server will read it.
    let e = serde_json::from_str::<FindingQuery>(r#"{"Filters": {"Nope": []}}"#).unwrap_err();
    assert!(e.to_string().contains("unknown filter field `Nope`"), "{e}");
}

#[test]
fn date_ranges_and_last_n_days_against_a_fixed_now() {
    let store = fixture();
    // first observed 40, 10, 5, 2, 1, 0 days before now.
    let f = r#"{"FirstObservedAt": [{"DateRange": {"Value": 5, "Unit": "DAYS"}}]}"#;
    assert_eq!(names(&store, f), set(&["gamma", "delta", "epsilon", "zeta"]), "5 days back, inclusive");
    let f = r#"{"FirstObservedAt": [{"DateRange": {"Value": 0, "Unit": "DAYS"}}]}"#;
    assert_eq!(names(&store, f), set(&["zeta"]));
    // Start and End are inclusive; a bound between two seconds rounds inward.
    let f = r#"{"FirstObservedAt": [{"Start": "2026-03-21T12:00:00Z", "End": "2026-03-29T12:00:00Z"}]}"#;
    assert_eq!(names(&store, f), set(&["beta", "gamma", "delta"]));
    let f = r#"{"FirstObservedAt": [{"Start": "2026-03-21T11:59:59.5Z", "End": "2026-03-29T12:00:00.5Z"}]}"#;
    assert_eq!(names(&store, f), set(&["beta", "gamma", "delta"]));
    let f = r#"{"FirstObservedAt": [{"Start": "2026-03-21T12:00:00.5Z"}]}"#;
    assert!(!names(&store, f).contains("beta"));
    // An offset is a time in another zone.
    let f = r#"{"FirstObservedAt": [{"End": "2026-02-19T14:00:00+02:00"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha"]));
    // Two date filters of a field: OR.
    let f = r#"{"FirstObservedAt": [{"End": "2026-02-20T12:00:00Z"}, {"DateRange": {"Value": 1, "Unit": "DAYS"}}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "epsilon", "zeta"]));
}

#[test]
fn number_ranges() {
    let store = fixture();
    let f = r#"{"SeverityNormalized": [{"Gte": 70}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "beta", "zeta"]));
    let f = r#"{"SeverityNormalized": [{"Gte": 1, "Lte": 40}]}"#;
    assert_eq!(names(&store, f), set(&["gamma", "delta"]));
    let f = r#"{"SeverityNormalized": [{"Eq": 0}, {"Gt": 89}]}"#;
    assert_eq!(names(&store, f), set(&["beta", "epsilon"]));
    let f = r#"{"SeverityNormalized": [{"Lt": 1}]}"#;
    assert_eq!(names(&store, f), set(&["epsilon"]));
    // Confidence not set matches no number filter.
    let f = r#"{"Confidence": [{"Gte": 0}]}"#;
    assert!(names(&store, f).is_empty());
    store.lite().unwrap().execute("UPDATE findings SET confidence = 80 WHERE resource_id = 'arn:aws:s3:::alpha'", []).unwrap();
    assert_eq!(names(&store, r#"{"Confidence": [{"Gte": 50, "Lte": 100}]}"#), set(&["alpha"]));
}

#[test]
fn resource_tags_map_filter() {
    let mut store = fixture();
    let tags = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> { pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() };
    let prod_sec = tags(&[("env", "prod"), ("team", "security")]);
    let prod_fin = tags(&[("env", "production"), ("team", "finance")]);
    let dev = tags(&[("env", "dev")]);
    store.set_resource_tags([("arn:aws:s3:::alpha", &prod_sec), ("arn:aws:s3:::beta", &prod_fin), ("arn:aws:s3:::gamma", &dev)]).unwrap();
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha"]));
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "CONTAINS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "beta"]));
    // A resource without the tag matches a negative comparison.
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "NOT_EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["beta", "gamma", "delta", "epsilon", "zeta"]));
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "NOT_CONTAINS"}, {"Key": "env", "Value": "dev", "Comparison": "NOT_CONTAINS"}]}"#;
    assert_eq!(names(&store, f), set(&["delta", "epsilon", "zeta"]));
    // Keys are ANDed; comparisons on one key follow the string rules.
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "CONTAINS"}, {"Key": "team", "Value": "finance", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["beta"]));
    let f = r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}, {"Key": "env", "Value": "dev", "Comparison": "EQUALS"}]}"#;
    assert_eq!(names(&store, f), set(&["alpha", "gamma"]));
    // The tags come with the finding; replacing them replaces all.
    let q = FindingQuery::new(
        FindingFilters::from_json_str(r#"{"ResourceId": [{"Value": "arn:aws:s3:::alpha", "Comparison": "EQUALS"}]}"#).unwrap(),
    );
    assert_eq!(store.get_findings(&q, now()).unwrap().findings[0].resource_tags, prod_sec);
    store.set_resource_tags([("arn:aws:s3:::alpha", &dev)]).unwrap();
    assert_eq!(store.get_findings(&q, now()).unwrap().findings[0].resource_tags, dev);
}

#[test]
fn values_that_look_like_sql_are_only_values() {
    let store = fixture();
    for hostile in ["x' OR '1'='1", "' OR 1=1 --", "\"; DROP TABLE findings; --", "%", "_", "') OR ('a'='a", "\\", "\u{0}"] {
        for comparison in ["EQUALS", "PREFIX", "CONTAINS"] {
            let json = serde_json::json!({"Title": [{"Value": hostile, "Comparison": comparison}]}).to_string();
            let got = names(&store, &json);
            let expect: BTreeSet<String> =
                if ["%", "_"].contains(&hostile) && comparison == "CONTAINS" { set(&["zeta"]) } else { BTreeSet::new() };
            assert_eq!(got, expect, "Title {comparison} {hostile:?}");
        }
        let json = serde_json::json!({"ResourceTags": [{"Key": hostile, "Value": hostile, "Comparison": "NOT_EQUALS"}]}).to_string();
        assert_eq!(names(&store, &json).len(), 6);
    }
    // The quote in a title matches as itself.
    assert_eq!(names(&store, r#"{"Title": [{"Value": "Quote ' and %", "Comparison": "PREFIX"}]}"#), set(&["zeta"]));
    assert_eq!(store.count_matching(&FindingFilters::default(), now()).unwrap(), 6, "the table is still there");
}

#[test]
fn sorting_by_every_sortable_field_both_ways() {
    let store = fixture();
    for f in FIELDS.iter().filter(|f| matches!(f.kind, Kind::String | Kind::Number | Kind::Date)) {
        for order in ["asc", "desc"] {
            let q = FindingQuery::from_json_str(&format!(
                r#"{{"SortCriteria": [{{"Field": "{}", "SortOrder": "{order}"}}], "MaxResults": 4}}"#,
                f.name
            ))
            .unwrap();
            let first = store.get_findings(&q, now()).unwrap();
            let mut q2 = q.clone();
            q2.next_token = first.next_token.clone();
            let second = store.get_findings(&q2, now()).unwrap();
            let all: BTreeSet<String> = first.findings.iter().chain(&second.findings).map(|r| r.finding.id.clone()).collect();
            assert_eq!(all.len(), 6, "sort by {} {order}", f.name);
        }
    }
    let by = |json: &str| -> Vec<String> {
        let q = FindingQuery::from_json_str(json).unwrap();
        store.get_findings(&q, now()).unwrap().findings.into_iter().map(|r| r.finding.resource.name).collect()
    };
    // Most severe first; ties (alpha and zeta are both HIGH) by id.
    let default = by("{}");
    assert_eq!(default[0], "beta");
    assert_eq!(default[1..3].iter().cloned().collect::<BTreeSet<_>>(), set(&["alpha", "zeta"]));
    assert_eq!(default[3..], ["gamma", "delta", "epsilon"]);
    let asc = by(r#"{"SortCriteria": [{"Field": "FirstObservedAt", "SortOrder": "asc"}]}"#);
    assert_eq!(asc, ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]);
    let desc = by(r#"{"SortCriteria": [{"Field": "Title", "SortOrder": "desc"}]}"#);
    assert_eq!(desc, ["epsilon", "delta", "gamma", "zeta", "beta", "alpha"], "by code point, as SQLite and Security Hub compare");
}

#[test]
fn pages_stay_stable_while_a_scan_inserts_findings() {
    let mut store = Store::open_in_memory().unwrap();
    let mk = |i: usize, sev: Severity| finding("c", &format!("b{i:04}"), &format!("t{i}"), sev, ResourceType::AwsS3Bucket, 3);
    let mut before: Vec<Finding> = (0..250).map(|i| mk(i, Severity::ALL[i % 5])).collect();
    store.record_run(&run("r0", now()), &mut before, &[]).unwrap();
    let before: BTreeSet<String> = before.iter().map(|f| f.id.clone()).collect();

    for sort in [
        "{}",
        r#"{"SortCriteria": [{"Field": "Title", "SortOrder": "asc"}]}"#,
        r#"{"SortCriteria": [{"Field": "Id", "SortOrder": "desc"}]}"#,
    ] {
        let mut q = FindingQuery::from_json_str(sort).unwrap();
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = store.get_findings(&q, now()).unwrap();
            pages += 1;
            assert!(page.findings.len() <= 100);
            seen.extend(page.findings.iter().map(|r| r.finding.id.clone()));
            // A scan records 40 more findings of every severity between two pages; their
            // ids and titles fall all over the order.
            let mut more: Vec<Finding> = (0..40).map(|i| mk(1000 + pages * 100 + i, Severity::ALL[i % 5])).collect();
            store.record_run(&run(&format!("r-{sort}-{pages}"), now()), &mut more, &[]).unwrap();
            match page.next_token {
                Some(t) => q.next_token = Some(t),
                None => break,
            }
        }
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: no finding twice");
        assert!(before.is_subset(&unique), "{sort}: every finding that existed before is listed");
        assert!(pages >= 3);
    }
}

#[test]
fn a_token_is_bound_to_its_query() {
    let store = fixture();
    let mut q = FindingQuery::from_json_str(r#"{"MaxResults": 2}"#).unwrap();
    let token = store.get_findings(&q, now()).unwrap().next_token.expect("more pages");
    // Another filter, another sort, garbage: refused.
    let mut other =
        FindingQuery::from_json_str(r#"{"MaxResults": 2, "Filters": {"Title": [{"Value": "x", "Comparison": "PREFIX"}]}}"#).unwrap();
    other.next_token = Some(token.clone());
    assert!(matches!(store.get_findings(&other, now()), Err(StoreError::Query(QueryError::Token))));
    let mut other = FindingQuery::from_json_str(r#"{"MaxResults": 2, "SortCriteria": [{"Field": "Title", "SortOrder": "desc"}]}"#).unwrap();
    other.next_token = Some(token.clone());
    assert!(matches!(store.get_findings(&other, now()), Err(StoreError::Query(QueryError::Token))));
    for bad in ["zz", "abc", "7b7d", ""] {
        q.next_token = Some(bad.to_string());
        let e = store.get_findings(&q, now()).unwrap_err();
        assert_eq!(e.to_string(), "NextToken is not valid for this query: start again without it");
    }
    // The same query with its token continues.
    q.next_token = Some(token);
    assert_eq!(store.get_findings(&q, now()).unwrap().findings.len(), 2);
}

#[test]
fn filters_round_trip_through_json() {
    let text = r#"{"Title": [{"Value": "a", "Comparison": "PREFIX"}, {"Value": "b", "Comparison": "NOT_EQUALS"}],
        "Confidence": [{"Gte": 10, "Lte": 90.5}], "UpdatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS"}}, {"Start": "2026-01-01T00:00:00Z"}],
        "ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"#;
    let f = FindingFilters::from_json_str(text).unwrap();
    assert_eq!(FindingFilters::from_json(&f.to_json()).unwrap(), f);
    let via_serde: FindingFilters = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
    assert_eq!(via_serde, f);
}

#[test]
fn every_single_valued_field_has_a_column() {
    for f in FIELDS.iter().filter(|f| matches!(f.kind, Kind::String | Kind::Number | Kind::Date)) {
        if f.name != "ComplianceSecurityControlId" {
            let (expr, _) = crate::query::column(f.name);
            assert!(!expr.is_empty());
        }
    }
    // And every field can be filtered on without an SQL error.
    let store = fixture();
    for f in FIELDS {
        let filter = match f.kind {
            Kind::String | Kind::Strings => r#"[{"Value": "x", "Comparison": "NOT_EQUALS"}]"#,
            Kind::Number => r#"[{"Gte": 0}]"#,
            Kind::Date => r#"[{"DateRange": {"Value": 1, "Unit": "DAYS"}}]"#,
            Kind::Map => r#"[{"Key": "k", "Value": "v", "Comparison": "NOT_EQUALS"}]"#,
        };
        let json = format!(r#"{{"{}": {filter}}}"#, f.name);
        let q = FindingQuery::new(FindingFilters::from_json_str(&json).unwrap());
        store.get_findings(&q, now()).unwrap_or_else(|e| panic!("{}: {e}", f.name));
    }
}

#[test]
fn the_default_order_reads_the_severity_index() {
    // The first page of the default query walks `findings_severity_order` instead of
    // sorting the whole table: what keeps it fast over a million findings.
    let store = fixture();
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT f.id FROM findings f WHERE 1 ORDER BY {n} DESC, f.id DESC LIMIT 101",
        n = crate::query::NORMALIZED
    );
    let mut stmt = store.lite().unwrap().prepare(&sql).unwrap();
    let plan: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().collect::<Result<_, _>>().unwrap();
    assert!(plan.iter().any(|p| p.contains("findings_severity_order")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
}

#[test]
fn grouping_open_findings_by_resource_reads_only_the_index() {
    // Security Hub's first managed insight: no table row is read, whatever the size.
    let store = fixture();
    let insight = crate::managed_insights().into_iter().find(|i| i.id == "managed/1").unwrap();
    let index = store.resource_index(&insight, now()).unwrap();
    assert_eq!(index, Some("findings_resource"));
    let (text, mut values) = crate::insights::insight_statement(&insight, now(), None, index).unwrap();
    values.push(rusqlite::types::Value::Integer(100));
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN QUERY PLAN {text}")).unwrap();
    let plan: Vec<String> =
        stmt.query_map(rusqlite::params_from_iter(values.clone()), |r| r.get::<_, String>(3)).unwrap().collect::<Result<_, _>>().unwrap();
    assert!(plan.iter().any(|p| p.contains("INDEX findings_resource")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.contains("FOR GROUP BY")), "{plan:?}");
    assert_eq!(crate::tests_counts::row_columns_read(&store, &text, values), 0);
}
