//! Records synthetic runs of 200k findings into a fresh SQLite file and prints the
//! time each takes.
//!
//! ```text
//! cargo run --release -p rampart-hub --example store_bench [-- <findings>]
//! ```
//!
//! Run 1 inserts every finding; run 2 sees them all again with 5% changing status and
//! ~1% of resources gone (archived); run 3 repeats run 2.

use rampart_hub::{FindingFilter, Store};
use rampart_model::{
    finding_id, Finding, RecordState, Resource, ResourceType, RunInfo, Severity, Status, Timestamp,
    WorkflowStatus,
};
use std::time::Instant;

const ACCOUNTS: [&str; 4] = [
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
];
const REGIONS: [&str; 5] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];
const CHECKS: usize = 100;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 200_000,
    };
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path)?;
    let t0 = time::macros::datetime!(2026-03-01 08:00:00 UTC);

    for round in 0..3u32 {
        let now = t0 + time::Duration::days(i64::from(round));
        let mut findings: Vec<Finding> = (0..n)
            .filter(|i| round == 0 || i % 101 != 0)
            .map(|i| synthetic(i, round, now))
            .collect();
        let run = RunInfo {
            id: format!("run-{round}"),
            started_at: now,
            finished_at: now + time::Duration::minutes(5),
            source: "bench".to_string(),
            accounts: ACCOUNTS.iter().map(|s| s.to_string()).collect(),
            regions: REGIONS.iter().map(|s| s.to_string()).collect(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            checks: Vec::new(),
            incomplete: Vec::new(),
        };
        let start = Instant::now();
        store.record_run(&run, &mut findings, &[])?;
        println!(
            "run {round}: recorded {} findings in {:.2?}",
            findings.len(),
            start.elapsed()
        );
    }

    let start = Instant::now();
    let all = store.findings(&FindingFilter::default())?;
    let archived = all
        .iter()
        .filter(|f| f.record_state == RecordState::Archived)
        .count();
    println!(
        "findings(): read {} findings ({archived} archived) in {:.2?}",
        all.len(),
        start.elapsed()
    );
    let start = Instant::now();
    let failed = store.findings(&FindingFilter {
        status: Some(Status::Failed),
        ..Default::default()
    })?;
    println!(
        "findings(status=FAILED): {} in {:.2?}",
        failed.len(),
        start.elapsed()
    );
    let start = Instant::now();
    let results = store.run_results("run-1")?;
    println!(
        "run_results(run-1): {} in {:.2?}",
        results.len(),
        start.elapsed()
    );

    drop(store);
    let size: u64 = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "database size (with WAL): {:.1} MiB",
        size as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}

/// Finding `i`: check `i % CHECKS`, spread over accounts and regions; in later rounds
/// every 20th one flips between FAILED and PASSED.
fn synthetic(i: usize, round: u32, now: Timestamp) -> Finding {
    let check = format!("synthetic_check_{:03}", i % CHECKS);
    let account = ACCOUNTS[i % ACCOUNTS.len()];
    let region = REGIONS[(i / ACCOUNTS.len()) % REGIONS.len()];
    let resource_id = format!("arn:aws:ec2:{region}:{account}:security-group/sg-{i:017x}");
    let flip = round > 0 && i % 20 == 7;
    let status = match (i % 3, flip) {
        (0, false) | (1, true) => Status::Passed,
        _ => Status::Failed,
    };
    Finding {
        id: finding_id(&check, &resource_id, ""),
        title: format!("Security group allows ingress from 0.0.0.0/0 ({check})").into(),
        description: "Checks whether security groups allow unrestricted ingress to \
                      administration ports; such rules expose hosts to the internet."
            .into(),
        check_id: check.into(),
        severity: Severity::High,
        status,
        reason: format!("sg-{i:017x} allows 0.0.0.0/0 on tcp/22"),
        detail: String::new(),
        service: "ec2".into(),
        resource: Resource {
            id: resource_id,
            kind: ResourceType::AwsEc2SecurityGroup,
            account: account.to_string(),
            region: region.to_string(),
            partition: "aws".to_string(),
            name: format!("sg-{i:017x}"),
        },
        remediation_console:
            "Open the EC2 console, choose Security Groups, edit the inbound rules \
                              and remove the rule that allows 0.0.0.0/0."
                .into(),
        remediation_cli: "aws ec2 revoke-security-group-ingress --group-id <id> --protocol tcp \
                          --port 22 --cidr 0.0.0.0/0"
            .into(),
        remediation_url:
            "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html".into(),
        related_requirements: vec![
            "AWS Foundational Security Best Practices/EC2.13".to_string(),
            "CIS AWS Foundations Benchmark v3.0.0/5.2".to_string(),
        ]
        .into(),
        first_observed: now,
        last_observed: now,
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}
