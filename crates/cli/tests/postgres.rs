//! `rampart db migrate`, `rampart db copy` and `--db postgres://...` on the commands that
//! run on PostgreSQL, against the server `scripts/test` starts (`RAMPART_TEST_POSTGRES`);
//! the others refuse the URL in one line. A password in the URL never shows.

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env("RAMPART_DB", dir.join("r.db")).output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A fresh database on the test server, dropped when the value is.
struct Database {
    admin: String,
    name: String,
    /// Its URL, with a password (trust authentication ignores it) that must never show.
    url: String,
}

impl Database {
    fn new(tag: &str) -> Database {
        let admin = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!("RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL (apt-get install postgresql) and starts it")
        });
        let name = format!("rampart_cli_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("the test PostgreSQL runs (scripts/test starts it)");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        let (prefix, _) = admin.split('?').next().unwrap().rsplit_once('/').unwrap();
        let url = format!("{}/{name}", prefix.replacen("postgres://rampart@", "postgres://rampart:s3cretpw@", 1));
        assert!(url.contains("s3cretpw"), "the test URL names the user rampart: {admin}");
        Database { admin, name, url }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

#[test]
fn copy_then_read_on_postgres_and_refuse_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pg = Database::new("copy");
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
    assert!(err.contains("already holds 1 run(s)") && !err.contains("s3cretpw"), "{err}");

    // A scan records its findings there, and says what it did not record.
    let o = rampart(d, &["demo", "--db", &pg.url]);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("not supported on PostgreSQL yet") && err.contains("inventory"), "{err}");
    let (runs, _) = text(&rampart(d, &["runs", "--db", &pg.url, "--format", "json"]));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&runs).unwrap().as_array().unwrap().len(), 2);

    // Everything else refuses the URL in one line, naming what runs on PostgreSQL.
    for args in [&["compliance"][..], &["insights"][..], &["findings", "rampart/x/y"][..], &["automation", "list"][..]] {
        let mut all = args.to_vec();
        let flag_first = args[0] == "automation";
        if !flag_first {
            all.extend(["--db", pg.url.as_str()]);
        }
        let o = if flag_first {
            Command::new(env!("CARGO_BIN_EXE_rampart")).args(&all).env("RAMPART_DB", &pg.url).current_dir(d).output().unwrap()
        } else {
            rampart(d, &all)
        };
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("not supported on PostgreSQL yet"), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("s3cretpw"), "{args:?}: {err}");
        assert!(!d.join("postgres:").exists(), "no file made of the URL");
    }
}
