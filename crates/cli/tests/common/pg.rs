//! A fresh database on the test PostgreSQL server (`RAMPART_TEST_POSTGRES`, which
//! `scripts/test` sets after starting the server), dropped when the value is. Included by
//! the CLI's test files that run on PostgreSQL (`#[path = "common/pg.rs"] mod pg;`).

#![allow(dead_code)]

pub struct PgDatabase {
    /// The server's URL (database `postgres`), to create and drop databases.
    pub admin: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    /// Database `rampart_cli_<tag>_<pid>`, its URL as the server's.
    pub fn new(tag: &str) -> PgDatabase {
        Self::create(tag, false)
    }

    /// [`PgDatabase::new`] with a password in its URL (trust authentication ignores it),
    /// for tests that check it never shows.
    pub fn with_password(tag: &str) -> PgDatabase {
        Self::create(tag, true)
    }

    fn create(tag: &str, password: bool) -> PgDatabase {
        let admin = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!("RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL (apt-get install postgresql) and starts it")
        });
        let name = format!("rampart_cli_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("the test PostgreSQL runs (scripts/test starts it)");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        let (prefix, _) = admin.split('?').next().unwrap().rsplit_once('/').unwrap();
        let url = if password {
            let url = format!("{}/{name}", prefix.replacen("postgres://rampart@", "postgres://rampart:s3cretpw@", 1));
            assert!(url.contains("s3cretpw"), "the test URL names the user rampart: {admin}");
            url
        } else {
            format!("{prefix}/{name}")
        };
        PgDatabase { admin, name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}
