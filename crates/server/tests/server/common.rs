//! The harness: a demo database filled by the real pipeline, a server on a loopback port
//! with one user per role, and signing in as a browser does.

use crate::http::{form, Client, Response};
use rampart_model::Status;
use rampart_server::{Accounts, Options, Role, Running};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery staple";
/// The title of the finding planted to test escaping.
pub const SCRIPT_TITLE: &str = "<script>document.title='owned'</script> planted title";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Scans the bundled demo estate as `rampart demo` does (`rampart_app`'s pipeline, and its
/// way of recording: `rampart_app::db::record`) and records the run, `run-demo`, in `db`
/// (a SQLite file's path or a `postgres://` URL);
/// one FAILED finding's title is replaced by [`SCRIPT_TITLE`]. Returns that finding's id.
pub fn demo_db(db: &Path) -> String {
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at);
    scan.run.id = "run-demo".into();
    let planted = scan.findings.iter_mut().find(|f| f.status == Status::Failed).expect("the demo has failed findings");
    planted.title = Cow::Owned(SCRIPT_TITLE.to_string());
    let planted_id = planted.id.clone();
    let mut store = rampart_app::db::open(db, rampart_hub::PgMode::Create).unwrap();
    let said = rampart_app::Collected::default();
    rampart_app::db::record(&mut scan, &mut store, &said).unwrap();
    // Whatever could not be recorded there fails the harness, named.
    let warnings = said.take();
    assert!(warnings.is_empty(), "the demo was not recorded whole in {}: {warnings:?}", rampart_app::db::shown(db));
    planted_id
}

/// The store `db` (a SQLite file's path or a `postgres://` URL), created if missing.
pub fn open_store(db: &Path) -> rampart_hub::Store {
    rampart_app::db::open(db, rampart_hub::PgMode::Create).unwrap_or_else(|e| panic!("{}: {e}", rampart_app::db::shown(db)))
}

/// Where a [`TestServer`]'s store lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in the server's temporary directory.
    Sqlite,
    /// A database of its own on the test PostgreSQL server ([`PgDatabase`]).
    Postgres,
}

/// A fresh database on the test PostgreSQL server (`RAMPART_TEST_POSTGRES`, the server
/// `scripts/test` starts), created for one test and dropped when the value is.
pub struct PgDatabase {
    admin: String,
    name: String,
    /// Its URL, with a password (trust authentication ignores it) that must never show.
    pub url: String,
}

/// The URL's password in [`PgDatabase::url`].
pub const PG_PASSWORD: &str = "pg-s3cret-pw";

impl PgDatabase {
    pub fn create() -> PgDatabase {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let admin = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!(
                "RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL \
                 (apt-get install postgresql) and starts a server on the socket directory /var/tmp/rampart-pg \
                 (RAMPART_TEST_POSTGRES=postgres://rampart@%2Fvar%2Ftmp%2Frampart-pg/postgres)"
            )
        });
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("rampart_server_{}_{n}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL ({e}): start it with scripts/test"));
        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        let base = admin.split('?').next().unwrap_or(&admin);
        let (prefix, _) = base.rsplit_once('/').expect("RAMPART_TEST_POSTGRES is a postgres:// URL with a database");
        let (scheme, rest) = prefix.split_once("://").expect("a postgres:// URL");
        let url = match rest.split_once('@') {
            Some((user, host)) if !user.contains(':') => format!("{scheme}://{user}:{PG_PASSWORD}@{host}/{name}"),
            _ => format!("{prefix}/{name}"),
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

/// A server over a fresh demo database, with users `admin`, `analyst` and `viewer`.
pub struct TestServer {
    pub client: Client,
    pub dir: tempfile::TempDir,
    pub planted: String,
    pub accounts: Arc<dyn Accounts>,
    pub running: Option<Running>,
    /// The store: a SQLite file in `dir`, or a PostgreSQL database's URL.
    pub db: PathBuf,
    /// The PostgreSQL database, dropped last (after the server stopped).
    pub pg: Option<PgDatabase>,
}

impl TestServer {
    pub fn start() -> TestServer {
        Self::start_with(None)
    }

    /// Over a fresh demo database on `backend` (PostgreSQL: a database of its own).
    pub fn start_on(backend: Backend) -> TestServer {
        Self::start_full(backend, None)
    }

    /// With TLS: the certificate and key files, and the client configuration trusting them.
    /// On SQLite, or on PostgreSQL when `RAMPART_TEST_SERVER_DB=postgres` (every test of
    /// this binary that starts its server here then runs there).
    pub fn start_with(tls: Option<(PathBuf, PathBuf, Arc<tokio_rustls::rustls::ClientConfig>)>) -> TestServer {
        let backend = match std::env::var("RAMPART_TEST_SERVER_DB").as_deref() {
            Ok("postgres") => Backend::Postgres,
            _ => Backend::Sqlite,
        };
        Self::start_full(backend, tls)
    }

    fn start_full(backend: Backend, tls: Option<(PathBuf, PathBuf, Arc<tokio_rustls::rustls::ClientConfig>)>) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let pg = (backend == Backend::Postgres).then(PgDatabase::create);
        let db = match &pg {
            Some(pg) => PathBuf::from(&pg.url),
            None => dir.path().join("rampart.db"),
        };
        let planted = demo_db(&db);
        let accounts = rampart_server::open_accounts(&db).unwrap();
        for role in Role::ALL {
            rampart_server::add_user(accounts.as_ref(), role.as_str(), role, PASSWORD).unwrap();
        }
        let opts =
            Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: tls.as_ref().map(|(c, k, _)| (c.clone(), k.clone())) };
        let running = rampart_server::start(&opts, Arc::clone(&accounts)).unwrap();
        let client = Client { addr: running.addr, tls: tls.map(|t| t.2) };
        TestServer { client, dir, planted, accounts, running: Some(running), db, pg }
    }

    /// Another connection to the server's store, to change it as the CLI would.
    pub fn store(&self) -> rampart_hub::Store {
        open_store(&self.db)
    }

    /// Everything the store holds, as bytes: on SQLite every file of the database (main,
    /// WAL, shared memory); on PostgreSQL the database as `pg_dump` writes it.
    pub fn stored_bytes(&self) -> Vec<u8> {
        let Some(pg) = &self.pg else {
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(self.dir.path()).unwrap() {
                let p = entry.unwrap().path();
                if p.file_name().unwrap().to_string_lossy().starts_with("rampart.db") {
                    bytes.extend(std::fs::read(&p).unwrap());
                }
            }
            return bytes;
        };
        let pg_dump = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .filter_map(|e| Some(e.ok()?.path().join("bin/pg_dump")))
            .find(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("pg_dump"));
        let (prefix, _) = pg.admin.split('?').next().unwrap().rsplit_once('/').unwrap();
        let out = std::process::Command::new(&pg_dump)
            .arg(format!("--dbname={prefix}/{}", pg.name))
            .output()
            .unwrap_or_else(|e| panic!("cannot run {} ({e}): apt-get install postgresql-client", pg_dump.display()));
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// PostgreSQL: ends every session of the server's database (as a server restart
    /// would); how many.
    pub fn terminate_sessions(&self) -> i64 {
        let pg = self.pg.as_ref().expect("a server on PostgreSQL");
        let mut c = postgres::Client::connect(&pg.admin, postgres::NoTls).unwrap();
        let row = c
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                &[&pg.name],
            )
            .unwrap();
        row.get(0)
    }

    pub fn token(&self, role: Role) -> String {
        rampart_server::issue_token(self.accounts.as_ref(), role.as_str()).unwrap()
    }

    pub fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
    }

    /// Submits the sign-in form as a browser would (with the form's cookie and token);
    /// the answer as is.
    pub fn post_login(&self, name: &str, password: &str) -> Response {
        let page = self.client.get("/login", &[]);
        assert_eq!(page.status, 200, "{}", page.body);
        let login_cookie = page.cookie("rampart_login").expect("the sign-in page sets its form cookie");
        let csrf = hidden(&page.body, "csrf").expect("the sign-in form has a token");
        let cookie = format!("rampart_login={login_cookie}");
        self.client.request(
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &cookie)],
            &form(&[("name", name), ("password", password), ("csrf", &csrf), ("next", "/findings")]),
        )
    }

    /// Signs in through the form as a browser would.
    pub fn login(&self, name: &str, password: &str) -> Result<Browser, Response> {
        let r = self.post_login(name, password);
        if r.status != 303 {
            return Err(r);
        }
        let session = r.cookie("rampart_session").expect("a session cookie");
        let b = Browser {
            client: self.client.clone(),
            cookie: format!("rampart_session={session}"),
            csrf: String::new(),
            set_cookie: r.headers_named("set-cookie").iter().map(|s| s.to_string()).collect(),
        };
        let page = b.get("/findings");
        assert_eq!(page.status, 200, "{}", page.body);
        let csrf = hidden(&page.body, "csrf").expect("pages carry the session's CSRF token");
        Ok(Browser { csrf, ..b })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
#[derive(Debug)]
pub struct Browser {
    pub client: Client,
    pub cookie: String,
    pub csrf: String,
    pub set_cookie: Vec<String>,
}

impl Browser {
    pub fn get(&self, path: &str) -> Response {
        self.client.get(path, &[("Cookie", &self.cookie)])
    }

    /// A form POST with the given fields (add `csrf` yourself).
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.request("POST", path, &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &self.cookie)], &form(fields))
    }
}

/// The value of the first `<input type="hidden" name="NAME" value="...">`.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let v = rest.find("value=\"")? + 7;
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_string())
}

/// A finding id as one path segment.
pub fn enc(id: &str) -> String {
    id.replace('/', "%2F")
}

/// `Authorization: Bearer` header value.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
