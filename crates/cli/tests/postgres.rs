//! `rampart db migrate`, `rampart db copy` and `--db postgres://...` on every command that
//! takes `--db` (`rampart serve` and `rampart users` included), against the server
//! `scripts/test` starts (`RAMPART_TEST_POSTGRES`). A password in the URL never shows. The
//! vulnerability database stays a SQLite file: a URL for it is refused in one line.

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env("RAMPART_DB", dir.join("r.db")).output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

#[test]
fn copy_then_read_on_postgres_and_record_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("copy");
    let db = d.join("r.db");
    let db = db.to_str().unwrap();
    assert!(rampart(d, &["demo", "--db", db]).status.success());

    let o = rampart(d, &["db", "migrate", "--db", &pg.url]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.starts_with("findings") && out.contains("schema"), "{out}");

    let o = rampart(d, &["db", "copy", "--from", db, "--to", &pg.url]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.lines().any(|l| l.starts_with("findings") && !l.ends_with(" 0")), "{out}");
    assert!(!format!("{out}{err}").contains("s3cretpw"), "{out}{err}");

    // The same answers from both.
    for args in [&["runs", "--format", "json"][..], &["findings", "--format", "json", "--status", "FAILED", "--limit", "0"][..]] {
        let a = rampart(d, &[args, &["--db", db]].concat());
        let b = rampart(d, &[args, &["--db", pg.url.as_str()]].concat());
        assert!(b.status.success(), "{:?}", text(&b));
        assert_eq!(text(&a).0, text(&b).0, "{args:?}");
        assert!(!text(&b).1.contains("s3cretpw"), "{}", text(&b).1);
    }

    // A second copy into the now non-empty database is refused.
    let o = rampart(d, &["db", "copy", "--from", db, "--to", &pg.url]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is not empty") && err.contains("1 run(s)") && !err.contains("s3cretpw"), "{err}");

    // A scan records there too: everything a scan records (no part of the store refused).
    let o = rampart(d, &["demo", "--db", &pg.url]);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("not supported on PostgreSQL") && !err.contains("s3cretpw"), "{err}");
    let (runs, _) = text(&rampart(d, &["runs", "--db", &pg.url, "--format", "json"]));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&runs).unwrap().as_array().unwrap().len(), 2);

    // And the commands that read or change the rest of the store take the URL too.
    for args in [&["compliance"][..], &["insights"][..], &["automation", "list"][..]] {
        let o = Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).env("RAMPART_DB", &pg.url).current_dir(d).output().unwrap();
        let (_, err) = text(&o);
        assert!(o.status.success(), "{args:?}: {err}");
        assert!(!err.contains("s3cretpw"), "{args:?}: {err}");
        assert!(!d.join("postgres:").exists(), "no file made of the URL");
    }
}

fn json(o: &Output) -> serde_json::Value {
    let (out, err) = text(o);
    assert!(o.status.success(), "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// `rampart demo --db postgres://...`, then `findings`, `insights` and `runs` read it back,
/// answering as they do over a SQLite file holding the same demo.
#[test]
fn demo_on_postgres_then_findings_insights_and_runs_read_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("demo");
    let file = d.join("r.db");
    let file = file.to_str().unwrap();
    for db in [file, pg.url.as_str()] {
        let o = rampart(d, &["demo", "--db", db, "--format", "json", "-o", if db == file { "sqlite.json" } else { "pg.json" }]);
        let (_, err) = text(&o);
        assert!(o.status.success(), "{err}");
        assert!(!err.contains("s3cretpw"), "{err}");
        assert!(!err.contains("not supported on PostgreSQL"), "the demo is recorded whole: {err}");
    }
    let scanned: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("pg.json")).unwrap()).unwrap();
    let failed: std::collections::BTreeSet<String> = scanned["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAILED")
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert!(failed.len() > 50, "{}", failed.len());

    // runs: the one run, as the scan said it.
    let runs = json(&rampart(d, &["runs", "--db", &pg.url, "--format", "json"]));
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["run"]["id"], scanned["run"]["id"]);
    assert_eq!(runs[0]["counts"]["FAILED"].as_u64(), Some(failed.len() as u64));

    // findings: exactly the scan's failing findings; one of them in detail.
    let listed = json(&rampart(d, &["findings", "--db", &pg.url, "--format", "json", "--status", "FAILED", "--limit", "0"]));
    let listed: std::collections::BTreeSet<String> =
        listed.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(listed, failed);
    let one = failed.iter().next().unwrap();
    let o = rampart(d, &["findings", one, "--db", &pg.url]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains(one.as_str()), "{out}");

    // insights: the managed ones, each counting what it counts over SQLite.
    let on = |db: &str, args: &[&str]| {
        let o = rampart(d, &[args, &["--db", db]].concat());
        let (out, err) = text(&o);
        assert!(o.status.success(), "{args:?} on {}: {err}", if db == file { "SQLite" } else { "PostgreSQL" });
        assert!(!err.contains("s3cretpw"), "{err}");
        out
    };
    let list = on(&pg.url, &["insights"]);
    assert!(list.lines().filter(|l| l.starts_with("managed/")).count() >= 10, "{list}");
    assert_eq!(list, on(file, &["insights"]));
    let ids: Vec<&str> = list.lines().filter(|l| l.starts_with("managed/")).filter_map(|l| l.split_whitespace().next()).collect();
    for id in ids {
        let a: serde_json::Value = serde_json::from_str(&on(&pg.url, &["insights", "show", id, "--format", "json"])).unwrap();
        let b: serde_json::Value = serde_json::from_str(&on(file, &["insights", "show", id, "--format", "json"])).unwrap();
        assert_eq!(a["results"], b["results"], "{id}");
    }
}

/// `rampart users` and `rampart serve` on PostgreSQL: a user added there signs the API in,
/// the server answers from the database, stops on SIGTERM, and never shows the password.
#[test]
fn users_and_serve_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("serve");
    assert!(rampart(d, &["demo", "--db", &pg.url]).status.success());
    let mut add = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["users", "add", "alice", "--role", "analyst", "--db", &pg.url])
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        add.stdin.take().unwrap().write_all(b"a long enough password for alice\n").unwrap();
    }
    let o = add.wait_with_output().unwrap();
    assert!(o.status.success(), "{:?}", text(&o));
    let (list, err) = text(&rampart(d, &["users", "list", "--db", &pg.url]));
    assert!(list.contains("alice") && list.contains("analyst"), "{list}{err}");
    let o = rampart(d, &["users", "token", "alice", "--db", &pg.url]);
    let (token, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let token = token.trim().to_string();
    assert!(!format!("{list}{err}").contains("s3cretpw"));

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let server = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["serve", "--db", &pg.url, "--listen", &listen, "--no-schedules"])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<String> {
        use std::io::{Read, Write};
        let mut c = std::net::TcpStream::connect(&listen).ok()?;
        write!(c, "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").ok()?;
        let mut answer = String::new();
        c.read_to_string(&mut answer).ok()?;
        Some(answer)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while get("/healthz").is_none_or(|a| !a.starts_with("HTTP/1.1 200")) {
        assert!(std::time::Instant::now() < deadline, "rampart serve did not answer within 30 s");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let findings = get("/api/v1/findings?status=FAILED&limit=5").unwrap();
    assert!(findings.starts_with("HTTP/1.1 200") && findings.contains("\"findings\""), "{findings}");
    let me = get("/api/v1/me").unwrap();
    assert!(me.contains("\"alice\""), "{me}");
    assert!(Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap().success());
    let o = server.wait_with_output().unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "rampart serve stops cleanly on SIGTERM: {err}");
    assert!(!format!("{out}{err}").contains("s3cretpw"), "{out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("postgres://rampart@"), "the log names the database, without its password: {err}");
}

/// The vulnerability database is a SQLite file of its own: a URL for it is refused in one
/// line that says so, and no file is made of it.
#[test]
fn the_vulnerability_database_is_never_a_postgres_url() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let url = "postgres://rampart:s3cretpw@%2Fvar%2Ftmp%2Frampart-pg/postgres";
    for args in [&["vulndb", "status", "--db", url][..], &["vulndb", "import", "nothing.json", "--vulndb", url][..]] {
        let o = rampart(d, args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("SQLite file of its own"), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!err.contains("s3cretpw"), "{err}");
        assert!(!d.join("postgres:").exists(), "no file made of the URL");
    }
}

/// A scan recorded on PostgreSQL has its inventory there: the same resources, facets,
/// failed findings and snapshot objects as the same scan recorded in a SQLite file.
#[test]
fn a_scan_recorded_on_postgres_has_its_inventory_browsable_as_on_sqlite() {
    use rampart_hub::{PgMode, ResourceFilter, Store, MAX_RESOURCES_PAGE};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("inventory");
    let lite = d.join("r.db");
    let lite = lite.to_str().unwrap();
    for db in [lite, pg.url.as_str()] {
        let o = rampart(d, &["demo", "--db", db]);
        assert!(o.status.success(), "{}", text(&o).1);
    }
    let a = Store::open_read_only(Path::new(lite)).unwrap();
    let b = Store::connect(&pg.url, PgMode::ReadOnly).unwrap();
    let (ia, ib) = (
        a.latest_inventory().unwrap().expect("an inventory on SQLite"),
        b.latest_inventory().unwrap().expect("an inventory on PostgreSQL"),
    );
    assert!(ib.resources > 0 && ib.stored_bytes > 0, "{ib:?}");
    assert_eq!((ia.resources, ia.json_bytes), (ib.resources, ib.json_bytes));
    assert_eq!(a.inventory_facets(&ia.run_id).unwrap(), b.inventory_facets(&ib.run_id).unwrap());
    let all = ResourceFilter::default();
    let (pa, pb) = (
        a.inventory_resources(&ia.run_id, &all, None, MAX_RESOURCES_PAGE).unwrap(),
        b.inventory_resources(&ib.run_id, &all, None, MAX_RESOURCES_PAGE).unwrap(),
    );
    assert_eq!(pa, pb);
    assert!(pb.resources.iter().any(|r| r.failed > 0), "failed findings counted on PostgreSQL: {pb:?}");
    for row in pb.resources.iter().take(20) {
        let (ra, va) = rampart_app::inventory::resource(&a, &ia.run_id, &row.resource.arn).unwrap().unwrap();
        let (rb, vb) = rampart_app::inventory::resource(&b, &ib.run_id, &row.resource.arn).unwrap().unwrap();
        assert_eq!((ra, va), (rb, vb), "{}", row.resource.arn);
    }
    let (_, inv) = rampart_app::inventory::latest(&b).unwrap().expect("the snapshot reads back");
    assert_eq!(
        serde_json::to_value(&inv).unwrap()["accounts"],
        serde_json::to_value(rampart_app::inventory::latest(&a).unwrap().unwrap().1).unwrap()["accounts"]
    );
}

/// `rampart serve`'s first start on an empty PostgreSQL database: `--no-initial-admin`
/// refuses, naming the command to run with the URL shown without its password; without
/// it, `admin` is created there and its one-time password printed once.
#[test]
fn the_first_start_on_postgres() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = PgDatabase::with_password("first");
    let o = rampart(d, &["serve", "--db", &pg.url, "--listen", "127.0.0.1:0", "--no-initial-admin"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("rampart users add NAME --role admin --db postgres://rampart@"), "{err}");
    assert!(!err.contains("s3cretpw"), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["serve", "--db", &pg.url, "--listen", &format!("127.0.0.1:{port}"), "--no-schedules"])
        .current_dir(d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(server.stderr.take().unwrap()).lines().map_while(Result::ok) {
        let done = line.contains("serving on");
        lines.push(line);
        if done {
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    let all = lines.join("\n");
    let password = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| l.len() == 23 && l.matches('-').count() == 3 && !l.contains(' '))
        .unwrap_or_else(|| panic!("no one-time password on standard error:\n{all}"));
    assert_eq!(all.matches(password).count(), 1, "{all}");
    assert!(!all.contains("s3cretpw"), "{all}");
    // The user is in the database.
    let (list, err) = text(&rampart(d, &["users", "list", "--db", &pg.url]));
    assert!(list.contains("admin"), "{list}{err}");
}
