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
    /// Adds a user; an error if the name is taken.
    fn add_user(&self, user: &User, password_hash: &str) -> anyhow::Result<()>;
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
}

/// Accounts in memory, lost on exit: for a server whose store cannot hold accounts yet.
#[derive(Default)]
pub struct Memory {
    inner: std::sync::Mutex<MemoryInner>,
}

#[derive(Default)]
struct MemoryInner {
    users: std::collections::BTreeMap<String, (Role, String)>,
    tokens: Vec<(String, String)>,
    sessions: Vec<(String, String, i64)>,
}

impl Memory {
    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryInner> {
        // A panic while holding the lock leaves plain data behind: still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Accounts for Memory {
    fn add_user(&self, user: &User, password_hash: &str) -> anyhow::Result<()> {
        let mut m = self.lock();
        if m.users.contains_key(&user.name) {
            anyhow::bail!("user `{}` exists", user.name);
        }
        m.users.insert(user.name.clone(), (user.role, password_hash.to_string()));
        Ok(())
    }
    fn user(&self, name: &str) -> anyhow::Result<Option<UserRecord>> {
        let m = self.lock();
        Ok(m.users.get(name).map(|(role, hash)| UserRecord {
            user: User { name: name.to_string(), role: *role },
            password_hash: hash.clone(),
            tokens: m.tokens.iter().filter(|t| t.1 == name).count(),
        }))
    }
    fn users(&self) -> anyhow::Result<Vec<UserRecord>> {
        let names: Vec<String> = self.lock().users.keys().cloned().collect();
        Ok(names.iter().filter_map(|n| self.user(n).ok().flatten()).collect())
    }
    fn delete_user(&self, name: &str) -> anyhow::Result<bool> {
        let mut m = self.lock();
        m.tokens.retain(|t| t.1 != name);
        m.sessions.retain(|s| s.1 != name);
        Ok(m.users.remove(name).is_some())
    }
    fn add_token(&self, name: &str, token_hash: &str) -> anyhow::Result<()> {
        self.lock().tokens.push((token_hash.to_string(), name.to_string()));
        Ok(())
    }
    fn token_user(&self, token_hash: &str) -> anyhow::Result<Option<User>> {
        let m = self.lock();
        Ok(m.tokens.iter().find(|t| t.0 == token_hash).and_then(|t| {
            m.users.get(&t.1).map(|(role, _)| User { name: t.1.clone(), role: *role })
        }))
    }
    fn add_session(&self, session_hash: &str, name: &str, expires: i64) -> anyhow::Result<()> {
        self.lock().sessions.push((session_hash.to_string(), name.to_string(), expires));
        Ok(())
    }
    fn session_user(&self, session_hash: &str, now: i64) -> anyhow::Result<Option<User>> {
        let m = self.lock();
        Ok(m.sessions.iter().find(|s| s.0 == session_hash && s.2 > now).and_then(|s| {
            m.users.get(&s.1).map(|(role, _)| User { name: s.1.clone(), role: *role })
        }))
    }
    fn delete_session(&self, session_hash: &str) -> anyhow::Result<()> {
        self.lock().sessions.retain(|s| s.0 != session_hash);
        Ok(())
    }
}
