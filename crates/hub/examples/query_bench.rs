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
//! two filters deep, the page after it (keyset), a selective filter, a count, and the
//! group-by of two insights.

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
    let mut findings: Vec<Finding> = (0..n).map(|i| synthetic(i, now)).collect();
    let start = Instant::now();
    store.record_run(&run, &mut findings, &[])?;
    println!("recorded {n} findings in {:.2?}", start.elapsed());
    drop(findings);

    let time = |what: &str, f: &mut dyn FnMut() -> usize| {
        let mut times: Vec<Duration> = Vec::new();
        let mut got = 0;
        for _ in 0..21 {
            let start = Instant::now();
            got = f();
            times.push(start.elapsed());
        }
        times.sort();
        println!("{what}: {got} — median {:.1?}, p95 {:.1?}", times[10], times[19]);
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
    let one =
        FindingQuery::new(FindingFilters::default().with_string("AwsAccountId", StringComparison::Equals, ACCOUNTS[2])?.with_string(
            "Title",
            StringComparison::Contains,
            "check_042",
        )?);
    time("first page, account + title contains", &mut || store.get_findings(&one, now).map_or(0, |p| p.findings.len()));
    time("count of the filtered query", &mut || store.count_matching(&filtered.filters, now).map_or(0, |c| c as usize));
    for id in ["managed/29", "managed/1"] {
        let insight = managed_insights().into_iter().find(|i| i.id == id).ok_or("no such managed insight")?;
        time(&format!("insight {id} ({})", insight.name), &mut || store.insight_results(&insight, now).map_or(0, |r| r.len()));
    }
    Ok(())
}

/// Finding `i`: one of 100 checks, spread over accounts, regions, resource types and
/// severities; a third passed.
fn synthetic(i: usize, now: rampart_model::Timestamp) -> Finding {
    let check = format!("synthetic_check_{:03}", i % 100);
    let account = ACCOUNTS[i % ACCOUNTS.len()];
    let region = REGIONS[(i / ACCOUNTS.len()) % REGIONS.len()];
    let resource_id = format!("arn:aws:ec2:{region}:{account}:resource/r-{:012x}", i / 3);
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
            kind: KINDS[(i / 7) % KINDS.len()],
            account: account.to_string(),
            region: region.to_string(),
            partition: "aws".to_string(),
            name: format!("r-{i}"),
        },
        remediation_console: "".into(),
        remediation_cli: "".into(),
        remediation_url: "".into(),
        related_requirements: vec![format!("AWS Foundational Security Best Practices/EC2.{}", i % 30)].into(),
        first_observed: now,
        last_observed: now,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}
