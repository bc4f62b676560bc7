//! Throughput of `BatchImportFindings`-sized calls into a store file: each call is a
//! request body of 100 Prowler-shaped ASFF findings, parsed (`rampart-import-findings`)
//! and stored (`Store::import_findings`, one transaction), as the server's
//! `POST /api/v1/findings/import` does minus HTTP.
//!
//!   cargo build --release -p rampart-hub --example import_bench
//!   $CARGO_TARGET_DIR/release/examples/import_bench DB EXISTING MEASURE
//!
//! The store at DB is first filled up to EXISTING findings (imported the same way, not
//! timed), then MEASURE new findings are imported and timed, then the same MEASURE again
//! with a later `UpdatedAt` (a tool's next run: every finding an update).
//!
//! `CALLS_PER_COMMIT=N` in the environment stores N calls per transaction
//! (`Store::import_calls`, what `rampart import` of files does with N = 10) instead of one.

use rampart_hub::Store;
use rampart_import_findings::parse_document;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const PER_CALL: usize = 100;

/// One Prowler-shaped finding (about 1 KB of JSON).
fn finding(id: &str, n: usize, updated: &str) -> Value {
    let check = format!("prowler-check_{}", n % 300);
    let bucket = format!("bench-bucket-{n}");
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": id,
        "ProductArn": "arn:aws:securityhub:us-east-1::product/prowler/prowler",
        "ProductName": "Prowler",
        "CompanyName": "Prowler",
        "GeneratorId": check,
        "AwsAccountId": format!("{:012}", 100_000_000_000u64 + (n % 20) as u64),
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"],
        "FirstObservedAt": "2026-12-01T10:00:00Z",
        "LastObservedAt": updated,
        "CreatedAt": "2026-12-01T10:00:00Z",
        "UpdatedAt": updated,
        "Severity": {"Label": (["LOW", "MEDIUM", "HIGH", "CRITICAL"][n % 4])},
        "Title": format!("Check if S3 bucket {bucket} has public access blocked."),
        "Description": "Ensure that S3 buckets have Block Public Access enabled at the bucket level, so that objects cannot be made public by an ACL or a bucket policy.",
        "Resources": [{
            "Type": "AwsS3Bucket",
            "Id": format!("arn:aws:s3:::{bucket}"),
            "Partition": "aws",
            "Region": "us-east-1",
            "Tags": {"env": if n % 2 == 0 { "prod" } else { "dev" }}
        }],
        "Compliance": {
            "Status": if n % 3 == 0 { "PASSED" } else { "FAILED" },
            "RelatedRequirements": ["CIS-2.0 2.1.4", "AWS-Foundational-Security-Best-Practices S3.8"]
        },
        "Remediation": {"Recommendation": {
            "Text": "Enable Block Public Access on the bucket.",
            "Url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
        }},
        "RecordState": "ACTIVE"
    })
}

/// Request bodies of `count` findings `<prefix>-<n>`, 100 per call.
fn requests(prefix: &str, count: usize, updated: &str) -> Vec<Vec<u8>> {
    (0..count)
        .collect::<Vec<_>>()
        .chunks(PER_CALL)
        .map(|c| {
            let findings: Vec<Value> = c.iter().map(|n| finding(&format!("{prefix}-{n}"), *n, updated)).collect();
            serde_json::to_vec(&json!({ "Findings": findings })).expect("JSON")
        })
        .collect()
}

/// This process's CPU time (user + system) so far, from /proc (Linux): on a shared
/// machine the wall time measures the neighbours too.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0) + fields.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// What importing took: wall time (parse and store apart) and CPU time.
struct Took {
    stored: usize,
    wall: Duration,
    parse: Duration,
    cpu: Duration,
}

impl Took {
    fn line(&self) -> String {
        let per = |d: Duration| self.stored as f64 / d.as_secs_f64();
        format!(
            "{:.2} s wall (parse {:.2} s, store {:.2} s) = {:.0} findings/s ({:.1}x AWS's 1,000/s); CPU {:.2} s = {:.0} findings per CPU second",
            self.wall.as_secs_f64(),
            self.parse.as_secs_f64(),
            (self.wall - self.parse).as_secs_f64(),
            per(self.wall),
            per(self.wall) / 1000.0,
            self.cpu.as_secs_f64(),
            per(self.cpu)
        )
    }
}

/// Imports every request: parse + store, `per_commit` calls per transaction.
fn import(store: &mut Store, bodies: &[Vec<u8>], per_commit: usize) -> Took {
    let now = time::OffsetDateTime::now_utc();
    let mut stored = 0;
    let mut parse = Duration::ZERO;
    let (t, c) = (Instant::now(), cpu());
    for group in bodies.chunks(per_commit) {
        let p = Instant::now();
        let calls: Vec<Vec<_>> = group
            .iter()
            .map(|body| {
                let doc = parse_document(body, None).expect("a request of findings");
                doc.findings.into_iter().map(|f| f.expect("a good finding")).collect()
            })
            .collect();
        parse += p.elapsed();
        let calls: Vec<&[_]> = calls.iter().map(Vec::as_slice).collect();
        for r in store.import_calls(&calls, now).expect("import") {
            assert_eq!(r.failed_count, 0, "{:?}", r.failed_findings.first());
            stored += r.success_count;
        }
    }
    Took { stored, wall: t.elapsed(), parse, cpu: cpu() - c }
}

fn count(db: &std::path::Path) -> usize {
    let store = Store::open(db).expect("open DB");
    store.count_matching(&Default::default(), time::OffsetDateTime::now_utc()).expect("count") as usize
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: import_bench DB EXISTING MEASURE");
        std::process::exit(2);
    }
    let db = std::path::PathBuf::from(&args[1]);
    let existing: usize = args[2].parse().expect("EXISTING: a number");
    let measure: usize = args[3].parse().expect("MEASURE: a number");
    let mut store = Store::open(&db).expect("open DB");
    let have = count(&db);
    if have < existing {
        let t = Instant::now();
        let mut done = have;
        while done < existing {
            let n = (existing - done).min(100_000);
            let bodies = requests(&format!("fill-{done}"), n, "2026-12-01T10:00:00Z");
            done += import(&mut store, &bodies, 10).stored;
        }
        eprintln!("filled to {done} findings in {:.1} s", t.elapsed().as_secs_f64());
    }
    let before = count(&db);
    let run = std::process::id();
    let new = requests(&format!("new-{run}"), measure, "2026-12-02T10:00:00Z");
    let bytes: usize = new.iter().map(Vec::len).sum();
    let per_commit: usize = std::env::var("CALLS_PER_COMMIT").ok().and_then(|n| n.parse().ok()).unwrap_or(1).max(1);
    let took = import(&mut store, &new, per_commit);
    println!(
        "store holding {before} findings: {} new in {} calls of {PER_CALL}, {per_commit} per commit ({:.1} MB of JSON): {}",
        took.stored,
        new.len(),
        bytes as f64 / 1e6,
        took.line()
    );
    let again = requests(&format!("new-{run}"), measure, "2026-12-03T10:00:00Z");
    let took = import(&mut store, &again, per_commit);
    println!("the same {} again (updates): {}", took.stored, took.line());
}
