//! `rampart agents token | list | revoke` on a SQLite file and on PostgreSQL
//! (`--db postgres://`, the server `scripts/test` starts: `RAMPART_TEST_POSTGRES`).

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).env("RAMPART_DB", dir.join("default.db")).output().expect("run rampart")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The `rampart agents list` line of `name`, its columns.
fn listed(dir: &Path, db: &str, name: &str) -> Vec<String> {
    let o = rampart(dir, &["agents", "list", "--db", db]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    out.lines()
        .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        .find(|c| c[0] == name)
        .unwrap_or_else(|| panic!("{name} not in {out}"))
}

/// Issues, lists and revokes on `db`; the tokens issued.
fn issue_list_revoke(dir: &Path, db: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for name in ["web-1", "web-2"] {
        let o = rampart(dir, &["agents", "token", "--name", name, "--db", db]);
        assert!(o.status.success(), "{}", text(&o));
        tokens.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
    }
    assert_ne!(tokens[0], tokens[1]);
    assert!(tokens.iter().all(|t| t.len() > 32), "{tokens:?}");
    let again = rampart(dir, &["agents", "token", "--name", "web-1", "--db", db]);
    assert!(!again.status.success() && text(&again).contains("agent `web-1` exists"), "{}", text(&again));
    assert_eq!(&listed(dir, db, "web-1")[1..3], ["waiting", "-"]);

    let o = rampart(dir, &["agents", "revoke", "web-2", "--db", db]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(listed(dir, db, "web-2")[1], "revoked");
    assert_eq!(listed(dir, db, "web-1")[1], "waiting", "the other is kept");
    let o = rampart(dir, &["agents", "revoke", "web-2", "--db", db]);
    assert!(!o.status.success() && text(&o).contains("revoked already"), "{}", text(&o));
    let o = rampart(dir, &["agents", "revoke", "nobody", "--db", db]);
    assert!(!o.status.success() && text(&o).contains("no agent `nobody`"), "{}", text(&o));
    tokens
}

#[test]
fn agents_tokens_are_issued_listed_and_revoked_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    issue_list_revoke(dir.path(), db.to_str().unwrap());
    assert!(!dir.path().join("default.db").exists());
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

#[test]
fn agents_tokens_are_issued_listed_and_revoked_on_postgres_and_kept_as_digests() {
    let pg = PgDatabase::new("agents");
    let url = pg.url.clone();

    let dir = tempfile::tempdir().unwrap();
    let tokens = issue_list_revoke(dir.path(), &url);
    assert!(!dir.path().join("default.db").exists(), "nothing went to the SQLite file of RAMPART_DB");
    // At rest, a digest only: 64 hex digits, never the token.
    let mut db = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let kept: Vec<String> = db.query("SELECT token_hash FROM agents ORDER BY name", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(kept.len(), 2);
    for (hash, token) in kept.iter().zip(&tokens) {
        assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
        assert!(!hash.contains(token.as_str()) && !token.contains(hash.as_str()));
    }
    drop(db);
}
