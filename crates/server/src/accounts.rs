//! Who may use the server: users with a role, their API tokens and browser sessions.
//!
//! The server keeps credentials only as hashes: a password as an argon2id PHC string, an
//! API token and a session id (32 random bytes each, so a fast hash cannot be brute-forced)
//! as SHA-256. [`Accounts`] is the seam to where they are kept.

use std::fmt;
use std::str::FromStr;

/// What a user may do; each role may do everything the one before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything (findings, runs, compliance, assessments); changes nothing.
    Viewer,
    /// A viewer who also changes findings' workflow and runs things.
    Analyst,
    /// An analyst who also manages users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown role `{s}`: use admin, analyst or viewer"))
    }
}

/// A signed-in caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// Signed in with a one-time password: until it is changed (`/password`), nothing
    /// else may be done.
    pub must_change_password: bool,
}

impl User {
    /// A user whose password is their own.
    pub fn new(name: &str, role: Role) -> User {
        User { name: name.to_string(), role, must_change_password: false }
    }
}

/// A user as kept: with the password's hash, for signing in.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: String,
    pub tokens: usize,
}

/// Where users, token hashes and session hashes are kept. Every method is a short
/// blocking call: the server runs them off the async threads.
pub trait Accounts: Send + Sync + 'static {
    /// Adds a user (whose password must be changed at first sign-in if
    /// `user.must_change_password`); an error if the name is taken.
    fn add_user(&self, user: &User, password_hash: &str) -> anyhow::Result<()>;
    /// Sets a user's password and whether it must be changed again; the user's sessions
    /// other than `keep_session` (a digest) end. `false` if there is no such user.
    fn set_password(&self, name: &str, password_hash: &str, must_change: bool, keep_session: Option<&str>) -> anyhow::Result<bool>;
    fn user(&self, name: &str) -> anyhow::Result<Option<UserRecord>>;
    fn users(&self) -> anyhow::Result<Vec<UserRecord>>;
    /// Deletes a user with their tokens and sessions; `false` if there was none.
    fn delete_user(&self, name: &str) -> anyhow::Result<bool>;
    fn add_token(&self, name: &str, token_hash: &str) -> anyhow::Result<()>;
    fn token_user(&self, token_hash: &str) -> anyhow::Result<Option<User>>;
    /// Keeps a session until `expires` (unix seconds).
    fn add_session(&self, session_hash: &str, name: &str, expires: i64) -> anyhow::Result<()>;
    /// The user of a session that has not expired at `now` (unix seconds).
    fn session_user(&self, session_hash: &str, now: i64) -> anyhow::Result<Option<User>>;
    fn delete_session(&self, session_hash: &str) -> anyhow::Result<()>;
    /// Appends a row to the audit log (for changes made outside a request: the CLI, first start).
    fn audit(&self, entry: &rampart_hub::AuditEntry) -> anyhow::Result<()>;
}

/// The accounts kept in the findings database's `auth` store (`rampart_hub`).
pub struct StoreAccounts {
    store: std::sync::Mutex<rampart_hub::Store>,
    /// Where `store` was opened from, to connect again when a PostgreSQL connection is lost.
    spec: Option<std::path::PathBuf>,
}

impl StoreAccounts {
    pub fn new(store: rampart_hub::Store) -> StoreAccounts {
        StoreAccounts { store: std::sync::Mutex::new(store), spec: None }
    }

    /// Over `store`, opened from `spec` (a SQLite file's path or a `postgres://` URL): a
    /// lost PostgreSQL connection is made again for the next call (the call that found it
    /// lost fails).
    pub fn at(store: rampart_hub::Store, spec: &std::path::Path) -> StoreAccounts {
        StoreAccounts { store: std::sync::Mutex::new(store), spec: Some(spec.to_path_buf()) }
    }

    fn with<T>(&self, f: impl FnOnce(&mut rampart_hub::Store) -> Result<T, rampart_hub::StoreError>) -> anyhow::Result<T> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back).
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let answer = f(&mut store);
        if let (Err(e), Some(spec)) = (&answer, &self.spec) {
            if e.is_connection_lost() {
                if let Ok(fresh) = rampart_app::db::open(spec, rampart_hub::PgMode::Existing) {
                    tracing::warn!(db = %fresh.describe(), "the accounts' connection was lost: connected again");
                    *store = fresh;
                }
            }
        }
        Ok(answer?)
    }
}

fn record(u: rampart_hub::AuthUser) -> anyhow::Result<UserRecord> {
    let role = u.role.parse::<Role>().map_err(|e| anyhow::anyhow!("user `{}`: {e}", u.name))?;
    Ok(UserRecord {
        user: User { name: u.name, role, must_change_password: u.must_change_password },
        password_hash: u.password_hash,
        tokens: u.tokens,
    })
}

fn unix(t: i64) -> anyhow::Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(t).map_err(|e| anyhow::anyhow!("bad time {t}: {e}"))
}

impl Accounts for StoreAccounts {
    fn add_user(&self, user: &User, password_hash: &str) -> anyhow::Result<()> {
        if !self.with(|s| s.add_user_with(&user.name, user.role.as_str(), password_hash, user.must_change_password))? {
            anyhow::bail!("user `{}` exists", user.name);
        }
        Ok(())
    }
    fn set_password(&self, name: &str, password_hash: &str, must_change: bool, keep_session: Option<&str>) -> anyhow::Result<bool> {
        self.with(|s| s.set_password(name, password_hash, must_change, keep_session))
    }
    fn user(&self, name: &str) -> anyhow::Result<Option<UserRecord>> {
        self.with(|s| s.user(name))?.map(record).transpose()
    }
    fn users(&self) -> anyhow::Result<Vec<UserRecord>> {
        self.with(|s| s.users())?.into_iter().map(record).collect()
    }
    fn delete_user(&self, name: &str) -> anyhow::Result<bool> {
        self.with(|s| s.delete_user(name))
    }
    fn add_token(&self, name: &str, token_hash: &str) -> anyhow::Result<()> {
        self.with(|s| s.add_token(name, token_hash))
    }
    fn token_user(&self, token_hash: &str) -> anyhow::Result<Option<User>> {
        Ok(self.with(|s| s.token_user(token_hash))?.map(record).transpose()?.map(|r| r.user))
    }
    fn add_session(&self, session_hash: &str, name: &str, expires: i64) -> anyhow::Result<()> {
        let expires = unix(expires)?;
        self.with(|s| s.add_session(session_hash, name, expires))
    }
    fn session_user(&self, session_hash: &str, now: i64) -> anyhow::Result<Option<User>> {
        let now = unix(now)?;
        Ok(self.with(|s| s.session_user(session_hash, now))?.map(record).transpose()?.map(|r| r.user))
    }
    fn delete_session(&self, session_hash: &str) -> anyhow::Result<()> {
        self.with(|s| s.delete_session(session_hash))
    }
    fn audit(&self, entry: &rampart_hub::AuditEntry) -> anyhow::Result<()> {
        self.with(|s| s.record_audit(entry).map(|_| ()))
    }
}
