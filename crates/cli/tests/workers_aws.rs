//! `rampart worker` reading AWS (issue 12's workers acceptance), against moto: an estate of
//! 10 accounts (an organisation's management account and 9 members) × 6 regions, queued by
//! `rampart jobs scan --accounts ... --member-role` as 70 collection jobs (each account's
//! global services, each account × region) and the evaluation. Three worker processes do it
//! while one of them, chosen at random, is killed with SIGKILL three times in the middle of a
//! job (a replacement started each time): every job is done, and the findings (ids and
//! statuses) are those of a single-process `rampart scan aws --accounts ...` of the same
//! estate. A second test: a member role that cannot be assumed (refused by the deny proxy)
//! fails that account's jobs every attempt, and they become its gaps — the run incomplete
//! naming the account, the other accounts' findings recorded.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const ROLE: &str = "RampartAudit";
const CHECK: &str = "ec2_sg_admin_ports_unrestricted";

fn rampart(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut cmd).current_dir(dir).args(args);
    cmd.output().expect("run rampart")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A worker reading AWS through `endpoint`, its stderr in `log`.
fn spawn_worker(dir: &Path, endpoint: &str, extra: &[&str], log: &str) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut cmd)
        .args(["worker", "--db", "queued.db", "--endpoint-url", endpoint])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join(log)).unwrap());
    cmd.spawn().expect("start a worker")
}

/// `plant_estate.py`: the organisation, its members and what is planted in each account
/// and region. Returns the management account then the members.
fn plant_estate(moto: &Server, members: usize, regions: &[&str]) -> Vec<String> {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/plant_estate.py"))
        .args([moto.url.as_str(), ROLE, &members.to_string()])
        .args(regions)
        .output()
        .expect("run plant_estate.py");
    assert!(out.status.success(), "plant_estate.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("plant_estate.py prints JSON");
    std::iter::once(&v["management"]).chain(v["members"].as_array().unwrap()).map(|s| s.as_str().unwrap().to_string()).collect()
}

fn findings(dir: &Path, db: &str) -> Vec<Value> {
    let json = ok(rampart(dir, &["findings", "--db", db, "--format", "json", "--limit", "0"]));
    let v: Value = serde_json::from_str(&json).unwrap();
    v.as_array().or_else(|| v["findings"].as_array()).expect("a list of findings").clone()
}

fn ids_and_statuses(list: &[Value]) -> BTreeSet<(String, String)> {
    list.iter().map(|f| (f["id"].as_str().unwrap().to_string(), f["status"].as_str().unwrap_or_default().to_string())).collect()
}

/// The FAILED findings of the admin-ports check, counted by account and region.
fn open_ssh(list: &[Value]) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for f in list.iter().filter(|f| f["check_id"] == CHECK && f["status"] == "FAILED") {
        let key = (f["resource"]["account"].as_str().unwrap().to_string(), f["resource"]["region"].as_str().unwrap().to_string());
        *m.entry(key).or_default() += 1;
    }
    m
}

fn progress(dir: &Path, batch: &str) -> (bool, String) {
    progress_of(dir, "queued.db", batch)
}

/// Whether `batch` of `db` is finished, and its status line.
fn progress_of(dir: &Path, db: &str, batch: &str) -> (bool, String) {
    let out = rampart(dir, &["jobs", "status", batch, "--db", db]);
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn three_aws_workers_with_one_killed_three_times_find_what_one_scan_finds() {
    let t0 = Instant::now();
    let regions = ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-1", "sa-east-1"];
    let moto = moto();
    let accounts = plant_estate(&moto, 9, &regions);
    assert_eq!(accounts.len(), 10);
    let planted = t0.elapsed();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (list, region_list) = (accounts.join(","), regions.join(","));

    // One process.
    let single = rampart(
        d,
        &[
            "scan",
            "aws",
            "--accounts",
            &list,
            "--member-role",
            ROLE,
            "--endpoint-url",
            &moto.url,
            "--regions",
            &region_list,
            "--db",
            "single.db",
            "--format",
            "json",
            "-o",
            "single.json",
            "--fail-on",
            "none",
        ],
    );
    ok(single);
    let scanned = t0.elapsed();

    // The queue: 10 accounts' global services + 10 × 6 account-regions, and the evaluation.
    let queued = rampart(
        d,
        &[
            "jobs",
            "scan",
            "--accounts",
            &list,
            "--member-role",
            ROLE,
            "--endpoint-url",
            &moto.url,
            "--regions",
            &region_list,
            "--db",
            "queued.db",
        ],
    );
    let batch = ok(queued).trim().to_string();
    let (_, status) = progress(d, &batch);
    assert!(status.contains("71 pending"), "{status}");

    // A pause in each job, so that a kill lands in the middle of one; a short lease, so that
    // another worker takes it soon after.
    let worker_flags = ["--lease", "3", "--pause-ms", "100"];
    let mut spawned = 0;
    let mut next_log = || {
        spawned += 1;
        format!("worker-{spawned}.log")
    };
    let mut workers: Vec<Child> = (0..3).map(|_| spawn_worker(d, &moto.url, &worker_flags, &next_log())).collect();
    let mut rng = 0x9e3779b97f4a7c15u64 ^ std::process::id() as u64 ^ t0.elapsed().as_nanos() as u64;
    let mut kills = 0;
    let queue_start = Instant::now();
    let mut last_kill = Instant::now();
    loop {
        let (finished, text) = progress(d, &batch);
        if finished {
            break;
        }
        assert!(queue_start.elapsed() < Duration::from_secs(400), "the batch did not finish: {text}");
        // Kill only while jobs run, so that the killed worker most likely holds one.
        if kills < 3 && !text.contains(" 0 running") && last_kill.elapsed() > Duration::from_secs(3) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let victim = (rng % 3) as usize;
            workers[victim].kill().unwrap(); // SIGKILL
            workers[victim].wait().unwrap();
            workers[victim] = spawn_worker(d, &moto.url, &worker_flags, &next_log());
            kills += 1;
            last_kill = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let queued_time = queue_start.elapsed();
    for mut w in workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert_eq!(kills, 3, "three workers were killed mid-batch");
    let (_, status) = progress(d, &batch);
    assert!(status.contains("0 pending, 0 running, 71 done, 0 dead"), "{status}");
    let claims: usize = status.split("; ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(claims > 71, "a killed worker's job was taken again: {status}");

    // One run, under the batch id, with the single-process scan's findings.
    let runs: Value = serde_json::from_str(&ok(rampart(d, &["runs", "--db", "queued.db", "--format", "json"]))).unwrap();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["run"]["id"], batch.as_str());
    assert_eq!(runs[0]["run"]["source"], "aws");
    let mut run_accounts: Vec<&str> = runs[0]["run"]["accounts"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    run_accounts.sort();
    let mut want = accounts.iter().map(String::as_str).collect::<Vec<_>>();
    want.sort();
    assert_eq!(run_accounts, want);

    let (one, many) = (findings(d, "single.db"), findings(d, "queued.db"));
    assert!(one.len() > 10 * 6 * 10, "the estate has findings: {}", one.len());
    assert_eq!(ids_and_statuses(&many), ids_and_statuses(&one));
    // What was planted: SSH open to the internet in every other account × region.
    let expected: BTreeMap<(String, String), usize> = accounts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            regions.iter().enumerate().filter(move |(j, _)| (i + j) % 2 == 0).map(move |(_, r)| ((a.clone(), r.to_string()), 1))
        })
        .collect();
    assert_eq!(open_ssh(&many), expected);
    eprintln!(
        "timing: planted {:.1}s, single-process scan {:.1}s, queued with 3 workers and 3 kills {:.1}s, total {:.1}s",
        planted.as_secs_f64(),
        (scanned - planted).as_secs_f64(),
        queued_time.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
}

#[test]
fn a_member_role_that_cannot_be_assumed_becomes_a_gap_of_its_account() {
    let moto = moto();
    let regions = ["us-east-1", "eu-west-1"];
    let accounts = plant_estate(&moto, 2, &regions);
    let refused = accounts[2].clone();
    let proxy = deny_proxy(&moto, &[&format!("sts:AssumeRole?RoleArn=arn:aws:iam::{refused}:role/{ROLE}")]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let batch = ok(rampart(
        d,
        &[
            "jobs",
            "scan",
            "--accounts",
            &accounts.join(","),
            "--member-role",
            ROLE,
            "--endpoint-url",
            &proxy.url,
            "--regions",
            &regions.join(","),
            "--db",
            "queued.db",
        ],
    ))
    .trim()
    .to_string();
    // Another account without a role, and the origin probe, are refused before anything is queued.
    let out = rampart(
        d,
        &["jobs", "scan", "--accounts", &accounts[1], "--endpoint-url", &proxy.url, "--regions", "us-east-1", "--db", "other.db"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&accounts[1]) && stderr.contains("pass --member-role NAME"), "{stderr}");
    let out = rampart(
        d,
        &[
            "jobs",
            "scan",
            "--accounts",
            &accounts[0],
            "--probe-origins",
            "--endpoint-url",
            &proxy.url,
            "--regions",
            "us-east-1",
            "--db",
            "other.db",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--probe-origins is not done by queued scans"));
    assert!(!d.join("other.db").exists(), "nothing queued");

    // Without --regions, each account's enabled regions (listed through its role); the
    // refused account's listing fails, so it is planned with the caller's regions, saying so.
    let out = rampart(d, &["jobs", "scan", "--org", "--member-role", ROLE, "--endpoint-url", &proxy.url, "--db", "plan.db"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let planned = ok(out).trim().to_string();
    assert!(
        stderr.contains(&format!("account {refused}: its regions cannot be listed (sts:AssumeRole access denied"))
            && stderr.contains("the regions enabled for the caller's account"),
        "{stderr}"
    );
    let (_, status) = progress_of(d, "plan.db", &planned);
    let pending: usize = status.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let per_account = (pending - 1) / 3;
    assert!((pending - 1) % 3 == 0 && per_account > 17, "3 accounts × (global + every enabled region) + the evaluation: {status}");

    let mut workers: Vec<Child> = (0..2).map(|i| spawn_worker(d, &proxy.url, &["--exit-when-idle"], &format!("w{i}.log"))).collect();
    for w in &mut workers {
        let status = w.wait().unwrap();
        assert!(status.success(), "{status:?}");
    }
    // The refused account's three parts failed every attempt (5); all else was done.
    let (finished, status) = progress(d, &batch);
    assert!(finished, "{status}");
    assert!(status.contains("0 pending, 0 running, 7 done, 3 dead"), "{status}");
    for part in ["global", "us-east-1", "eu-west-1"] {
        let line = format!("dead {batch}/{refused}/{part} after 5 attempt(s): sts:AssumeRole access denied: role `arn:aws:iam::{refused}:role/{ROLE}` could not be assumed");
        assert!(status.contains(&line), "{line}\n{status}");
    }
    let logs: String = (0..2).map(|i| std::fs::read_to_string(d.join(format!("w{i}.log"))).unwrap()).collect();
    assert!(logs.contains(&format!("job {batch}/{refused}/global (attempt ")), "each failed attempt is told: {logs}");

    // The run: incomplete, naming the refused account; the others' findings are there.
    let runs: Value = serde_json::from_str(&ok(rampart(d, &["runs", "--db", "queued.db", "--format", "json"]))).unwrap();
    let run = &runs[0]["run"];
    let incomplete: Vec<&str> = run["incomplete"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(incomplete.iter().any(|l| l.starts_with(&format!("account {refused}: rampart:Collect"))), "{incomplete:?}");
    assert!(incomplete.iter().all(|l| !l.contains("rampart:Collect") || l.starts_with(&format!("account {refused}"))), "{incomplete:?}");
    let list = findings(d, "queued.db");
    let failing = open_ssh(&list);
    assert_eq!(
        failing.keys().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from([(accounts[0].clone(), "us-east-1".to_string()), (accounts[1].clone(), "eu-west-1".to_string())]),
        "the planted open groups of the accounts read"
    );
    for f in list.iter().filter(|f| f["resource"]["account"] == refused.as_str()) {
        assert_eq!(f["status"], "NOT_AVAILABLE", "nothing of the refused account was read: {f}");
    }
}

#[test]
fn a_worker_that_cannot_reach_aws_stops_when_it_starts_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = repo_root().join("testdata/demo/estate.json");
    let batch = ok(rampart(d, &["jobs", "scan", "--snapshot", demo.to_str().unwrap(), "--db", "queued.db"])).trim().to_string();
    let port = free_port();
    let out = rampart(d, &["worker", "--db", "queued.db", "--endpoint-url", &format!("http://127.0.0.1:{port}"), "--exit-when-idle"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("could not connect to `http://127.0.0.1:{port}`")) && stderr.contains("check --endpoint-url"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    // No job was claimed: the batch is still all pending.
    let status = String::from_utf8_lossy(&rampart(d, &["jobs", "status", &batch, "--db", "queued.db"]).stdout).into_owned();
    assert!(status.contains(" 0 running, 0 done, 0 dead; 0 claim(s)"), "{status}");
}
