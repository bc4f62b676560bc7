//! Times the findings query and insights over a store of synthetic findings.
//!
//! ```text
//! cargo run --release -p rampart-hub --example query_bench [-- <findings>]   # default 1,000,000
//! ```
//!
//! `RAMPART_BENCH_DB=<path>` keeps the database there (for `sqlite3` and `EXPLAIN QUERY
//! PLAN`) instead of a temporary directory. A million findings take more than 1 GiB of
//! disk (the write-ahead log of the one recording transaction included): check free space.
//!
//! Prints, for each query, the median and p95 of 21 runs: the default first page, a page
//! three filters deep, the page after it (keyset), that page with its total (as the API
//! answers), a selective filter, the count of each common filter, every managed insight
//! and a few custom ones. docs/benchmarks.md ("Hub at 1M findings") has the results.

use rampart_hub::{managed_insights, FindingFilters, FindingQuery, Store, StringComparison};
use rampart_model::{finding_id, Finding, RecordState, Resource, ResourceType, RunInfo, Severity, Status, WorkflowStatus};
use std::time::{Duration, Instant};

const ACCOUNTS: [&str; 4] = ["111111111111", "222222222222", "333333333333", "444444444444"];
const REGIONS: [&str; 5] = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const KINDS: [ResourceType; 4] =
    [ResourceType::AwsEc2SecurityGroup, ResourceType::AwsS3Bucket, ResourceType::AwsEc2Instance, ResourceType::AwsIamRole];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 1_000_000,
    };
    let dir = tempfile::tempdir()?;
    let path = std::env::var_os("RAMPART_BENCH_DB").map_or_else(|| dir.path().join("bench.db"), std::path::PathBuf::from);
    let mut store = Store::open(&path)?;
    let now = time::macros::datetime!(2026-03-01 08:00:00 UTC);
    // From JSON: what a run must hold changes more often than this example.
    let run: RunInfo = serde_json::from_value(serde_json::json!({
        "id": "bench", "started_at": "2026-03-01T08:00:00Z", "finished_at": "2026-03-01T08:05:00Z",
        "source": "bench", "accounts": ACCOUNTS, "regions": REGIONS, "tool_version": "0"
    }))?;
    // A kept database that already holds the findings is timed again as it is.
    if store.count_matching(&FindingFilters::default(), now)? as usize >= n {
        println!("reusing the {n} findings of {}", path.display());
    } else {
        let mut findings: Vec<Finding> = (0..n).map(|i| synthetic(i, now)).collect();
        let start = Instant::now();
        let cpu = cpu_time();
        store.record_run(&run, &mut findings, &[])?;
        println!("recorded {n} findings in {:.2?} (CPU {:.2?})", start.elapsed(), cpu_time() - cpu);
    }

    let time = |what: &str, f: &mut dyn FnMut() -> usize| {
        let mut times: Vec<Duration> = Vec::new();
        let mut got = 0;
        let cpu = cpu_time();
        // 21 runs (p95: the 20th); 5 of a query that takes more than half a second.
        let mut runs = 21;
        while times.len() < runs {
            let start = Instant::now();
            got = f();
            times.push(start.elapsed());
            if times.len() == 1 && times[0] > Duration::from_millis(500) {
                runs = 5;
            }
        }
        let cpu = (cpu_time() - cpu) / runs as u32;
        times.sort();
        let p95 = times[(runs * 95).div_ceil(100) - 1];
        println!("{what}: {got} — median {:.1?}, p95 {:.1?}, CPU {:.1?} per run ({runs} runs)", times[runs / 2], p95, cpu);
    };

    // `QUERY_BENCH_ONLY=<word>`: only the queries whose name contains it.
    let only = std::env::var("QUERY_BENCH_ONLY").ok();
    let time = |what: &str, f: &mut dyn FnMut() -> usize| {
        if only.as_deref().is_none_or(|o| what.contains(o)) {
            time(what, f)
        }
    };
    let default = FindingQuery::default();
    time("first page, default order (severity)", &mut || store.get_findings(&default, now).map_or(0, |p| p.findings.len()));
    let filtered = FindingQuery::new(
        FindingFilters::default()
            .with_string("SeverityLabel", StringComparison::Equals, "CRITICAL")?
            .with_string("ResourceType", StringComparison::Prefix, "AwsEc2")?
            .with_string("WorkflowStatus", StringComparison::Equals, "NEW")?,
    );
    time("first page, severity + type prefix + workflow", &mut || store.get_findings(&filtered, now).map_or(0, |p| p.findings.len()));
    let mut second = filtered.clone();
    second.next_token = store.get_findings(&filtered, now)?.next_token;
    time("second page of it", &mut || store.get_findings(&second, now).map_or(0, |p| p.findings.len()));
    // What the API and the console answer for one page: the page and the total it shows.
    time("first page + its total (the API's GET /api/v1/findings)", &mut || {
        let page = store.get_findings(&filtered, now).map_or(0, |p| p.findings.len());
        page + store.count_query(&filtered, now).map_or(0, |c| c as usize)
    });
    let one =
        FindingQuery::new(FindingFilters::default().with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[2])?.with_string(
            "Title",
            StringComparison::Contains,
            "check_042",
        )?);
    time("first page, account + title contains", &mut || store.get_findings(&one, now).map_or(0, |p| p.findings.len()));
    // A Title CONTAINS of a few characters (no title holds it) and NOT_CONTAINS.
    let absent = FindingQuery::new(FindingFilters::default().with_string("Title", StringComparison::Contains, "zz")?);
    time("first page, title contains (2 characters, no match)", &mut || store.get_findings(&absent, now).map_or(0, |p| p.findings.len()));
    let not =
        FindingQuery::new(FindingFilters::default().with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[2])?.with_string(
            "Title",
            StringComparison::NotContains,
            "check_042",
        )?);
    time("first page, account + title not contains", &mut || store.get_findings(&not, now).map_or(0, |p| p.findings.len()));
    // Description and NoteText CONTAINS (findings migration 14): a value every finding's
    // description holds and one none holds; a note (no finding has one here).
    for (label, value) in [("every finding", "synthetic"), ("none", "zz")] {
        let alone = FindingQuery::new(FindingFilters::default().with_string("Description", StringComparison::Contains, value)?);
        time(&format!("count, Description CONTAINS ({label})"), &mut || store.count_query(&alone, now).map_or(0, |c| c as usize));
        let with =
            FindingQuery::new(FindingFilters::default().with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[2])?.with_string(
                "Description",
                StringComparison::Contains,
                value,
            )?);
        time(&format!("first page, account + Description CONTAINS ({label})"), &mut || {
            store.get_findings(&with, now).map_or(0, |p| p.findings.len())
        });
        time(&format!("first page + its total, account + Description CONTAINS ({label})"), &mut || {
            store.get_findings(&with, now).map_or(0, |p| p.findings.len()) + store.count_query(&with, now).map_or(0, |c| c as usize)
        });
    }
    let note = FindingQuery::new(FindingFilters::default().with_string("NoteText", StringComparison::Contains, "ticket")?);
    time("first page, NoteText CONTAINS", &mut || store.get_findings(&note, now).map_or(0, |p| p.findings.len()));
    time("count, NoteText CONTAINS", &mut || store.count_query(&note, now).map_or(0, |c| c as usize));
    // Each sort the console offers (`SORTS` in the server's api module), both
    // directions, with no filter and with a common one (ACTIVE FAILED in one account),
    // and the page after the first.
    let failed = FindingFilters::default()
        .with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[1])?
        .with_string("ComplianceStatus", StringComparison::Equals, "FAILED")?
        .with_string("RecordState", StringComparison::Equals, "ACTIVE")?;
    for field in ["LastObservedAt", "Title", "ResourceId", "AwsAccountId", "WorkflowStatus"] {
        for order in [rampart_hub::SortOrder::Desc, rampart_hub::SortOrder::Asc] {
            for (label, filters) in [("no filter", FindingFilters::default()), ("account + FAILED + ACTIVE", failed.clone())] {
                let q = FindingQuery { sort: rampart_hub::SortCriterion { field: field.to_string(), order }, ..FindingQuery::new(filters) };
                time(&format!("sort by {field} {}, {label}: first page", order.as_str()), &mut || {
                    store.get_findings(&q, now).map_or(0, |p| p.findings.len())
                });
                let next = FindingQuery { next_token: store.get_findings(&q, now)?.next_token, ..q.clone() };
                time(&format!("sort by {field} {}, {label}: second page", order.as_str()), &mut || {
                    store.get_findings(&next, now).map_or(0, |p| p.findings.len())
                });
            }
        }
    }
    time("count of the filtered query", &mut || store.count_matching(&filtered.filters, now).map_or(0, |c| c as usize));
    // The count of each common filter alone, and of all of them at once.
    let common: [(&str, StringComparison, &str); 9] = [
        ("SeverityLabel", StringComparison::Equals, "HIGH"),
        ("ComplianceStatus", StringComparison::Equals, "FAILED"),
        ("WorkflowStatus", StringComparison::NotEquals, "RESOLVED"),
        ("RecordState", StringComparison::Equals, "ACTIVE"),
        ("AwsAccountId", StringComparison::Equals, ACCOUNTS[1]),
        ("Region", StringComparison::Prefix, "eu-"),
        ("GeneratorId", StringComparison::Equals, "synthetic_check_042"),
        ("ResourceType", StringComparison::Equals, "AwsS3Bucket"),
        ("ComplianceAssociatedStandardsId", StringComparison::Equals, "standards/aws-foundational-security-best-practices/v/1.0.0"),
    ];
    let mut all = FindingFilters::default();
    for (field, comparison, value) in common {
        let f = FindingFilters::default().with_string(field, comparison, value)?;
        all = all.with_string(field, comparison, value)?;
        time(&format!("count, {field} {comparison} {value}"), &mut || store.count_matching(&f, now).map_or(0, |c| c as usize));
    }
    time("count, all nine at once", &mut || store.count_matching(&all, now).map_or(0, |c| c as usize));
    let title = FindingFilters::default().with_string("Title", StringComparison::Contains, "check_042")?;
    time("count, Title CONTAINS", &mut || store.count_matching(&title, now).map_or(0, |c| c as usize));
    let title_not = FindingFilters::default().with_string("Title", StringComparison::NotContains, "check_042")?;
    time("count, Title NOT_CONTAINS", &mut || store.count_matching(&title_not, now).map_or(0, |c| c as usize));
    for insight in managed_insights() {
        time(&format!("insight {} ({}, by {})", insight.id, insight.name, insight.group_by), &mut || {
            store.insight_results(&insight, now).map_or(0, |r| r.len())
        });
    }
    for group_by in ["ResourceType", "AwsAccountId", "ResourceRegion", "ComplianceSecurityControlId", "GeneratorId"] {
        let insight = rampart_hub::Insight {
            id: "custom/1".into(),
            name: format!("failed by {group_by}"),
            filters: FindingFilters::default().with_string("ComplianceStatus", StringComparison::Equals, "FAILED")?,
            group_by: group_by.into(),
            managed: false,
        };
        time(&format!("custom insight: failed findings by {group_by}"), &mut || {
            store.insight_results(&insight, now).map_or(0, |r| r.len())
        });
    }
    Ok(())
}

/// The CPU time this thread has had (`/proc/self/schedstat`, Linux): on a shared machine
/// the wall time includes waiting for a core.
fn cpu_time() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    Duration::from_nanos(text.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0))
}

/// Finding `i`: one of 100 checks, spread over accounts, regions, resource types and
/// severities; a third passed.
fn synthetic(i: usize, now: rampart_model::Timestamp) -> Finding {
    let check = format!("synthetic_check_{:03}", i % 100);
    // Three findings per resource (333,334 resources for a million), each resource in one
    // account and region.
    let r = i / 3;
    let account = ACCOUNTS[r % ACCOUNTS.len()];
    let region = REGIONS[(r / ACCOUNTS.len()) % REGIONS.len()];
    let resource_id = format!("arn:aws:ec2:{region}:{account}:resource/r-{r:012x}");
    let status = if i % 3 == 0 { Status::Passed } else { Status::Failed };
    Finding {
        id: finding_id(&check, &resource_id, ""),
        title: format!("Synthetic finding of {check}").into(),
        description: "A synthetic finding for timing queries.".into(),
        check_id: check.into(),
        severity: Severity::ALL[i % 5],
        status,
        reason: String::new(),
        detail: String::new(),
        service: "ec2".into(),
        resource: Resource {
            id: resource_id,
            kind: KINDS[(r / 7) % KINDS.len()],
            account: account.to_string(),
            region: region.to_string(),
            partition: "aws".to_string(),
            name: format!("r-{i}"),
        },
        remediation_console: "".into(),
        remediation_cli: "".into(),
        remediation_url: "".into(),
        // Each check maps to one FSBP control, a quarter of them to a CIS requirement too.
        related_requirements: {
            let c = i % 100;
            let mut reqs = vec![format!("AWS Foundational Security Best Practices/EC2.{}", c % 30)];
            if c % 4 == 0 {
                reqs.push(format!("CIS AWS Foundations Benchmark v3.0.0/5.{}", c % 7));
            }
            reqs.into()
        },
        first_observed: now,
        last_observed: now,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}
