//! SQLite against PostgreSQL: recording and querying the same synthetic findings through
//! `rampart_hub::Backend`.
//!
//! ```text
//! cargo build --release -p rampart-hub --example backend_bench
//! RAMPART_BENCH_POSTGRES=postgres://rampart@%2Fvar%2Ftmp%2Frampart-pg/postgres \
//!     $CARGO_TARGET_DIR/release/examples/backend_bench [findings]     # default 1,000,000
//! ```
//!
//! `RAMPART_BENCH_POSTGRES` names a server and a user that may create databases; the
//! example creates (and drops first) the database `rampart_bench` there. The SQLite file is
//! in a temporary directory. For each backend: run 0 records every finding, run 1 rescans
//! them all with 5 % of the statuses flipped, then each query runs 11 times (median, p95).
//! docs/benchmarks.md ("SQLite and PostgreSQL") has the results.

use rampart_hub::{Backend, FindingFilter, FindingFilters, FindingQuery, PgMode, StringComparison};
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
    let server =
        std::env::var("RAMPART_BENCH_POSTGRES").map_err(|_| "set RAMPART_BENCH_POSTGRES to a postgres:// URL (see the file's header)")?;
    let mut admin = postgres::Client::connect(&server, postgres::NoTls)?;
    admin.batch_execute("DROP DATABASE IF EXISTS rampart_bench WITH (FORCE)")?;
    admin.batch_execute("CREATE DATABASE rampart_bench")?;
    let (prefix, _) = server.split('?').next().unwrap_or(&server).rsplit_once('/').ok_or("a URL with a database")?;
    let pg_url = format!("{prefix}/rampart_bench");
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("bench.db").display().to_string();

    for (name, spec) in [("SQLite", file.as_str()), ("PostgreSQL", pg_url.as_str())] {
        println!("== {name}, {n} findings");
        let mut db = Backend::connect(spec, PgMode::Create)?;
        let now = time::macros::datetime!(2026-03-01 08:00:00 UTC);
        for round in 0..2 {
            let mut findings: Vec<Finding> = (0..n).map(|i| synthetic(i, round, now)).collect();
            let start = Instant::now();
            db.record_run(&run(round), &mut findings, &[])?;
            println!("run {round}: recorded {n} findings in {:.2?}", start.elapsed());
        }
        if db.is_postgres() {
            // Statistics, as autovacuum would gather soon after a load this size.
            let mut c = postgres::Client::connect(&pg_url, postgres::NoTls)?;
            c.batch_execute("ANALYZE")?;
        }

        let time = |what: &str, f: &mut dyn FnMut() -> usize| {
            let mut times = Vec::new();
            let mut got = 0;
            let mut runs = 11;
            while times.len() < runs {
                let start = Instant::now();
                got = f();
                times.push(start.elapsed());
                if times.len() == 1 && times[0] > Duration::from_millis(500) {
                    runs = 3;
                }
            }
            times.sort();
            let p95 = times[(runs * 95).div_ceil(100) - 1];
            println!("{what}: {got} — median {:.1?}, p95 {:.1?} ({runs} runs)", times[runs / 2], p95);
        };
        let default = FindingQuery::default();
        time("first page, default order", &mut || db.get_findings(&default, now).map_or(0, |p| p.findings.len()));
        let filtered = FindingQuery::new(
            FindingFilters::default()
                .with_string("SeverityLabel", StringComparison::Equals, "CRITICAL")?
                .with_string("ResourceType", StringComparison::Prefix, "AwsEc2")?
                .with_string("WorkflowStatus", StringComparison::Equals, "NEW")?,
        );
        time("first page, severity + type prefix + workflow", &mut || db.get_findings(&filtered, now).map_or(0, |p| p.findings.len()));
        let mut second = filtered.clone();
        second.next_token = db.get_findings(&filtered, now)?.next_token;
        time("the page after it (keyset)", &mut || db.get_findings(&second, now).map_or(0, |p| p.findings.len()));
        let by_resource: FindingQuery = FindingQuery::from_json_str(r#"{"SortCriteria": [{"Field": "ResourceId", "SortOrder": "asc"}]}"#)?;
        time("first page, by resource id", &mut || db.get_findings(&by_resource, now).map_or(0, |p| p.findings.len()));
        time("count, all", &mut || db.count_query(&FindingQuery::default(), now).unwrap_or(0) as usize);
        time("count, severity + type prefix + workflow", &mut || db.count_query(&filtered, now).unwrap_or(0) as usize);
        let control =
            FindingQuery::new(FindingFilters::default().with_string("ComplianceSecurityControlId", StringComparison::Equals, "S3.7")?);
        time("count, one FSBP control", &mut || db.count_query(&control, now).unwrap_or(0) as usize);
        let contains = FindingQuery::new(FindingFilters::default().with_string("Title", StringComparison::Contains, "check 7 ")?);
        time("count, Title CONTAINS", &mut || db.count_query(&contains, now).unwrap_or(0) as usize);
        let failed =
            FindingFilter { status: Some(Status::Failed), account: Some(ACCOUNTS[1].into()), limit: Some(100), ..Default::default() };
        time("`rampart findings` list (FAILED, one account, 100)", &mut || db.findings(&failed).map_or(0, |f| f.len()));
        let start = Instant::now();
        let all = db.findings(&FindingFilter::default())?.len();
        println!("read every finding: {all} in {:.2?}", start.elapsed());
        if db.is_postgres() {
            let size: i64 = admin.query_one("SELECT pg_database_size('rampart_bench')", &[])?.get(0);
            println!("database size: {} MiB", size / (1 << 20));
        } else {
            println!("database size: {} MiB", std::fs::metadata(&file)?.len() / (1 << 20));
        }
    }
    admin.batch_execute("DROP DATABASE IF EXISTS rampart_bench WITH (FORCE)")?;
    Ok(())
}

fn run(round: usize) -> RunInfo {
    RunInfo {
        id: format!("bench-{round}"),
        started_at: time::macros::datetime!(2026-03-01 08:00:00 UTC) + time::Duration::hours(round as i64),
        finished_at: time::macros::datetime!(2026-03-01 08:05:00 UTC) + time::Duration::hours(round as i64),
        source: "bench".into(),
        accounts: ACCOUNTS.iter().map(|s| s.to_string()).collect(),
        regions: REGIONS.iter().map(|s| s.to_string()).collect(),
        tool_version: "0".into(),
        checks: Vec::new(),
        incomplete: Vec::new(),
    }
}

/// Finding `i`: 100 checks, three findings per resource, one account and Region per
/// resource; a third PASSED; in round 1, 5 % of them flip.
fn synthetic(i: usize, round: usize, now: rampart_model::Timestamp) -> Finding {
    let check = format!("aws_check_{:03}", i % 100);
    let resource = i / 3;
    let kind = KINDS[resource % KINDS.len()];
    let resource_id = format!("arn:aws:bench:::{:?}/r{resource:07}", kind);
    let passed = i % 3 == 0;
    let flip = round == 1 && i % 20 == 0;
    let status = if passed != flip { Status::Passed } else { Status::Failed };
    Finding {
        id: finding_id(&check, &resource_id, ""),
        check_id: check.clone().into(),
        title: format!("check {} title", i % 100).into(),
        description: "a synthetic check".into(),
        severity: Severity::ALL[i % Severity::ALL.len()],
        status,
        reason: format!("resource {resource} is {status}"),
        detail: String::new(),
        service: "bench".into(),
        resource: Resource {
            id: resource_id,
            kind,
            account: ACCOUNTS[resource % ACCOUNTS.len()].into(),
            region: REGIONS[resource / ACCOUNTS.len() % REGIONS.len()].into(),
            partition: "aws".into(),
            name: format!("r{resource}"),
        },
        remediation_console: "fix it".into(),
        remediation_cli: "aws ...".into(),
        remediation_url: "https://docs.aws.amazon.com/".into(),
        related_requirements: vec![format!("AWS Foundational Security Best Practices/S3.{}", i % 100)].into(),
        first_observed: now,
        last_observed: now + time::Duration::hours(round as i64),
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}
