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

/// Scans the bundled demo estate as `rampart demo` does (`rampart_app`'s pipeline) and
/// records the run, `run-demo`, in `db`;
/// one FAILED finding's title is replaced by [`SCRIPT_TITLE`]. Returns that finding's id.
pub fn demo_db(db: &Path) -> String {
    let inv = rampart_app::inputs::demo().unwrap();
    let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, inv.collected_at);
    scan.run.id = "run-demo".into();
    let planted = scan.findings.iter_mut().find(|f| f.status == Status::Failed).expect("the demo has failed findings");
    planted.title = Cow::Owned(SCRIPT_TITLE.to_string());
    let planted_id = planted.id.clone();
    scan.record(&mut rampart_hub::Store::open(db).unwrap()).unwrap();
    planted_id
}

/// A server over a fresh demo database, with users `admin`, `analyst` and `viewer`.
pub struct TestServer {
    pub client: Client,
    pub dir: tempfile::TempDir,
    pub planted: String,
    pub accounts: Arc<dyn Accounts>,
    pub running: Option<Running>,
}

impl TestServer {
    pub fn start() -> TestServer {
        Self::start_with(None)
    }

    /// With TLS: the certificate and key files, and the client configuration trusting them.
    pub fn start_with(tls: Option<(PathBuf, PathBuf, Arc<tokio_rustls::rustls::ClientConfig>)>) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rampart.db");
        let planted = demo_db(&db);
        let accounts = rampart_server::open_accounts(&db).unwrap();
        for role in Role::ALL {
            rampart_server::add_user(accounts.as_ref(), role.as_str(), role, PASSWORD).unwrap();
        }
        let opts =
            Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: tls.as_ref().map(|(c, k, _)| (c.clone(), k.clone())) };
        let running = rampart_server::start(&opts, Arc::clone(&accounts)).unwrap();
        let client = Client { addr: running.addr, tls: tls.map(|t| t.2) };
        TestServer { client, dir, planted, accounts, running: Some(running) }
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
