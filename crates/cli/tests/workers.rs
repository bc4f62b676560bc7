//! `rampart worker`: three worker processes do a queued scan of 30 accounts × 2 regions (90
//! collection jobs and the evaluation) while one of them holding a job, chosen at random, is
//! killed with SIGKILL three times; every job is done, some were taken again after a kill, and the
//! findings equal those of a single-process scan of the same estate. Once with the queue in
//! a SQLite file, once in PostgreSQL (the server `scripts/test` starts,
//! `RAMPART_TEST_POSTGRES`; a database of its own, dropped after the test).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn spawn_worker(dir: &Path, db: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["worker", "--snapshot", "estate.json", "--db", db, "--lease", "3", "--pause-ms", "150"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn findings(dir: &Path, db: &str) -> BTreeSet<(String, String)> {
    let json = ok(rampart(dir, &["findings", "--db", db, "--format", "json", "--limit", "0"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let list = v.as_array().or_else(|| v["findings"].as_array()).expect("a list of findings").clone();
    list.iter().map(|f| (f["id"].as_str().unwrap().to_string(), f["status"].as_str().unwrap_or_default().to_string())).collect()
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

#[test]
fn three_workers_with_one_killed_three_times_do_every_job_once_and_find_what_one_process_finds() {
    let d = tempfile::tempdir().unwrap();
    killed_workers_find_what_one_process_finds(d.path(), "queued.db");
}

#[test]
fn the_same_on_postgresql() {
    let d = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new("kill");
    killed_workers_find_what_one_process_finds(d.path(), &pg.url);
}

/// Writes `estate.json` (the demo account under 30 ids), scans it in one process into
/// `single.db`, and queues the same scan in `queue`; the batch's id.
fn queue_thirty_accounts(d: &Path, queue: &str) -> String {
    // 30 accounts: the demo account under 30 ids.
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/demo/estate.json")).unwrap())
            .unwrap();
    let account = serde_json::to_string(&demo["accounts"][0]).unwrap();
    let mut estate = demo.clone();
    estate["accounts"] = (0..30)
        .map(|i| {
            serde_json::from_str::<serde_json::Value>(&account.replace("123456789012", &format!("{:012}", 200000000000u64 + i))).unwrap()
        })
        .collect();
    std::fs::write(d.join("estate.json"), serde_json::to_vec(&estate).unwrap()).unwrap();

    // Exit 1: the estate has findings at or above the default --fail-on.
    let single = rampart(d, &["scan", "--snapshot", "estate.json", "--db", "single.db", "--format", "json", "-o", "single.json"]);
    assert!(matches!(single.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&single.stderr));
    ok(rampart(d, &["jobs", "scan", "--snapshot", "estate.json", "--db", queue])).trim().to_string()
}

/// The scan queued in `queue` (a SQLite file or a PostgreSQL URL), done by three workers of
/// which a random one is killed three times, against a single-process scan into SQLite.
fn killed_workers_find_what_one_process_finds(d: &Path, queue: &str) {
    let batch = queue_thirty_accounts(d, queue);
    let mut workers: Vec<Child> = (0..3).map(|_| spawn_worker(d, queue)).collect();
    let mut rng = 0x9e3779b97f4a7c15u64 ^ std::process::id() as u64;
    let mut kills = 0;
    let started = Instant::now();
    loop {
        let status = rampart(d, &["jobs", "status", &batch, "--db", queue]);
        if status.status.success() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "the batch did not finish: {}", String::from_utf8_lossy(&status.stdout));
        let text = String::from_utf8_lossy(&status.stdout).to_string();
        // Kill a worker that holds a job (`jobs status` names each running job's worker,
        // `host-pid`), chosen at random among those that do.
        let holders: Vec<usize> = (0..workers.len())
            .filter(|&i| {
                text.lines().any(|l| l.trim_start().starts_with("running ") && l.contains(&format!("-{} (attempt", workers[i].id())))
            })
            .collect();
        if kills < 3 && !holders.is_empty() && started.elapsed() > Duration::from_millis(500 + 1500 * kills as u64) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let victim = holders[(rng % holders.len() as u64) as usize];
            workers[victim].kill().unwrap(); // SIGKILL
            workers[victim].wait().unwrap();
            workers[victim] = spawn_worker(d, queue);
            kills += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(kills, 3, "three workers were killed mid-batch");
    let status = ok(rampart(d, &["jobs", "status", &batch, "--db", queue]));
    assert!(status.contains("0 pending, 0 running, 91 done, 0 dead"), "{status}");
    let claims: usize = status.split("; ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(claims > 91, "a killed worker's job was taken again: {status}");
    for mut w in workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    // One run, recorded under the batch id, with the findings of the single-process scan.
    let runs = ok(rampart(d, &["runs", "--db", queue, "--format", "json"]));
    assert_eq!(runs.matches("\"id\"").count(), 1, "{runs}");
    assert!(runs.contains(&batch));
    let (single, queued) = (findings(d, "single.db"), findings(d, queue));
    assert!(single.len() > 30 * 20, "the estate has findings: {}", single.len());
    assert_eq!(queued, single);
    // Its inventory is recorded there too (on PostgreSQL as on SQLite): the resources of the
    // single-process scan's. (Not their regions: a multi-region trail is listed in each
    // region, and the inventory keeps the first part's, which differs between the two.)
    assert_eq!(inventory(d, queue), inventory(d, "single.db"));
}

/// The resources of the latest inventory in `db` (a file in `dir` or a PostgreSQL URL):
/// (ARN, type, account).
fn inventory(dir: &Path, db: &str) -> BTreeSet<(String, String, String)> {
    let spec = if rampart_hub::is_postgres_url(db) { std::path::PathBuf::from(db) } else { dir.join(db) };
    let store = rampart_app::db::open(&spec, rampart_hub::PgMode::ReadOnly).unwrap();
    let info = store.latest_inventory().unwrap().unwrap_or_else(|| panic!("no inventory in {db}"));
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.inventory_resources(&info.run_id, &Default::default(), after.as_deref(), rampart_hub::MAX_RESOURCES_PAGE).unwrap();
        out.extend(page.resources.into_iter().map(|r| (r.resource.arn, r.resource.kind, r.resource.account)));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(out.len() as u64, info.resources);
    assert!(out.len() >= 30, "{db}: {} resources", out.len());
    out
}

/// A worker whose PostgreSQL connections are cut (every backend of its database terminated,
/// as a server restart or a failover does) twice in the middle of a batch connects again and
/// finishes it: it does not exit, and the findings are those of one process.
#[test]
fn a_worker_rides_out_its_postgresql_connections_being_cut() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let pg = PgDatabase::new("cut");
    let batch = queue_thirty_accounts(d, &pg.url);
    let mut worker = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["worker", "--snapshot", "estate.json", "--db", &pg.url, "--lease", "3", "--pause-ms", "100"])
        .current_dir(d)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(d.join("worker.log")).unwrap())
        .spawn()
        .unwrap();
    let mut admin = postgres::Client::connect(&pg.admin, postgres::NoTls).unwrap();
    let started = Instant::now();
    let mut cuts = 0;
    loop {
        let status = rampart(d, &["jobs", "status", &batch, "--db", &pg.url]);
        if status.status.success() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "the batch did not finish: {}", String::from_utf8_lossy(&status.stdout));
        assert!(worker.try_wait().unwrap().is_none(), "the worker exited after its connection was cut");
        if cuts < 2 && started.elapsed() > Duration::from_millis(1500 + 2500 * cuts as u64) {
            let cut = admin
                .query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                    &[&pg.name],
                )
                .unwrap();
            assert!(!cut.is_empty(), "the worker had a connection to cut");
            cuts += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(cuts, 2, "the connections were cut twice mid-batch");
    assert!(worker.try_wait().unwrap().is_none(), "the worker still runs");
    worker.kill().unwrap();
    worker.wait().unwrap();
    let stderr = std::fs::read_to_string(d.join("worker.log")).unwrap();
    assert!(stderr.contains("connection was lost") && stderr.contains("connecting again"), "{stderr}");
    let status = ok(rampart(d, &["jobs", "status", &batch, "--db", &pg.url]));
    assert!(status.contains("0 pending, 0 running, 91 done, 0 dead"), "{status}");
    assert_eq!(findings(d, &pg.url), findings(d, "single.db"));
}

#[test]
fn a_worker_without_a_database_or_a_batch_that_does_not_exist_is_an_error_that_says_what_to_do() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    std::fs::write(d.join("estate.json"), std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/demo/estate.json")).unwrap())
        .unwrap();
    let out = rampart(d, &["worker", "--snapshot", "estate.json", "--db", "none.db", "--exit-when-idle"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.join("none.db").exists(), "a worker never creates a store");
    ok(rampart(d, &["jobs", "scan", "--snapshot", "estate.json", "--db", "q.db"]));
    let out = rampart(d, &["jobs", "status", "run-1", "--db", "q.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no batch `run-1`"), "{}", String::from_utf8_lossy(&out.stderr));
}
