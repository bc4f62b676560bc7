//! The server's accounts: users with a role, their API tokens and browser sessions.
//!
//! The store keeps no secret: callers pass a password's argon2id PHC string and a token's
//! or session id's SHA-256 digest (hex), never the secret itself (the schema's CHECKs
//! refuse other shapes). A user's tokens and sessions go with the user.

use crate::codec;
use crate::error::StoreError;
use crate::sql::{vals, Row};
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use rusqlite::types::Value;

/// A user as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub name: String,
    /// `admin`, `analyst` or `viewer`.
    pub role: String,
    /// The argon2id PHC string of the password.
    pub password_hash: String,
    pub created_at: Timestamp,
    /// How many API tokens the user has.
    pub tokens: usize,
    /// The password is a one-time one: it must be changed before anything else is done.
    pub must_change_password: bool,
}

const USER_COLUMNS: &str = r#"u.name, u.role, u.password_hash, u.created_at, (SELECT count(*) FROM auth_tokens t WHERE t."user" = u.name), u.must_change_password"#;

impl Store {
    /// Adds a user; `false` (and nothing changed) if the name is taken.
    pub fn add_user(&mut self, name: &str, role: &str, password_hash: &str) -> Result<bool, StoreError> {
        self.add_user_with(name, role, password_hash, false)
    }

    /// Adds a user whose password must be changed at first sign-in when `must_change`;
    /// `false` (and nothing changed) if the name is taken.
    pub fn add_user_with(&mut self, name: &str, role: &str, password_hash: &str, must_change: bool) -> Result<bool, StoreError> {
        let now = codec::time_to_text(Timestamp::now_utc());
        let n = self.sql().execute(
            "INSERT INTO auth_users (name, role, password_hash, created_at, must_change_password) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (name) DO NOTHING",
            &vals![name, role, password_hash, now, must_change],
        )?;
        Ok(n == 1)
    }

    /// Sets a user's password (and whether it must be changed again); the user's sessions
    /// other than `keep_session` (a digest) end. `false` if there is no such user.
    pub fn set_password(
        &mut self,
        name: &str,
        password_hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.db.tx(|t| {
            let n = t.execute(
                "UPDATE auth_users SET password_hash = ?, must_change_password = ? WHERE name = ?",
                &vals![password_hash, must_change, name],
            )?;
            t.execute(
                r#"DELETE FROM auth_sessions WHERE "user" = ? AND (CAST(? AS TEXT) IS NULL OR session_hash <> ?)"#,
                &vals![name, keep_session, keep_session],
            )?;
            Ok(n == 1)
        })
    }

    fn query_users(&self, where_clause: &str, params: &[Value]) -> Result<Vec<AuthUser>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query(&format!("SELECT {USER_COLUMNS} FROM auth_users u {where_clause} ORDER BY u.name"), params)?;
        rows.iter()
            .map(|row: &Row| {
                Ok(AuthUser {
                    name: row.text(0)?,
                    role: row.text(1)?,
                    password_hash: row.text(2)?,
                    created_at: codec::time_from_text(&row.text(3)?).map_err(&bad)?,
                    tokens: usize::try_from(row.int(4)?).unwrap_or(0),
                    must_change_password: row.flag(5)?,
                })
            })
            .collect()
    }

    /// The user of this name.
    pub fn user(&self, name: &str) -> Result<Option<AuthUser>, StoreError> {
        Ok(self.query_users("WHERE u.name = ?", &vals![name])?.pop())
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<AuthUser>, StoreError> {
        self.query_users("", &[])
    }

    /// Deletes a user with their tokens and sessions; `false` if there was none.
    pub fn delete_user(&mut self, name: &str) -> Result<bool, StoreError> {
        self.db.tx(|t| {
            t.execute(r#"DELETE FROM auth_tokens WHERE "user" = ?"#, &vals![name])?;
            t.execute(r#"DELETE FROM auth_sessions WHERE "user" = ?"#, &vals![name])?;
            let n = t.execute("DELETE FROM auth_users WHERE name = ?", &vals![name])?;
            Ok(n == 1)
        })
    }

    /// Keeps an API token's digest for `user`.
    pub fn add_token(&mut self, user: &str, token_hash: &str) -> Result<(), StoreError> {
        let now = codec::time_to_text(Timestamp::now_utc());
        self.sql()
            .execute(r#"INSERT INTO auth_tokens (token_hash, "user", created_at) VALUES (?, ?, ?)"#, &vals![token_hash, user, now])?;
        Ok(())
    }

    /// The user whose token has this digest.
    pub fn token_user(&self, token_hash: &str) -> Result<Option<AuthUser>, StoreError> {
        Ok(self.query_users(r#"WHERE u.name = (SELECT "user" FROM auth_tokens WHERE token_hash = ?)"#, &vals![token_hash])?.pop())
    }

    /// Keeps a session's digest for `user` until `expires`; sessions already expired are
    /// forgotten on the way.
    pub fn add_session(&mut self, session_hash: &str, user: &str, expires: Timestamp) -> Result<(), StoreError> {
        let now = codec::time_to_text(Timestamp::now_utc());
        self.db.tx(|t| {
            t.execute("DELETE FROM auth_sessions WHERE expires_at <= ?", &vals![&now])?;
            t.execute(
                r#"INSERT INTO auth_sessions (session_hash, "user", created_at, expires_at) VALUES (?, ?, ?, ?)"#,
                &vals![session_hash, user, &now, codec::time_to_text(expires)],
            )?;
            Ok(())
        })
    }

    /// The user of a session with this digest that has not expired at `now`.
    pub fn session_user(&self, session_hash: &str, now: Timestamp) -> Result<Option<AuthUser>, StoreError> {
        Ok(self
            .query_users(
                r#"WHERE u.name = (SELECT s."user" FROM auth_sessions s WHERE s.session_hash = ? AND s.expires_at > ?)"#,
                &vals![session_hash, codec::time_to_text(now)],
            )?
            .pop())
    }

    pub fn delete_session(&mut self, session_hash: &str) -> Result<(), StoreError> {
        self.sql().execute("DELETE FROM auth_sessions WHERE session_hash = ?", &vals![session_hash])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use rampart_model::Timestamp;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

    #[test]
    fn users_tokens_and_sessions() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.users().unwrap().is_empty());
        assert!(s.add_user("ana", "analyst", HASH).unwrap());
        assert!(!s.add_user("ana", "admin", HASH).unwrap(), "a taken name");
        assert_eq!(s.user("ana").unwrap().unwrap().role, "analyst");
        let digest = "a".repeat(64);
        s.add_token("ana", &digest).unwrap();
        assert_eq!(s.token_user(&digest).unwrap().unwrap().name, "ana");
        assert_eq!(s.users().unwrap()[0].tokens, 1);
        assert!(s.token_user(&"b".repeat(64)).unwrap().is_none());
        let now = Timestamp::now_utc();
        let session = "c".repeat(64);
        s.add_session(&session, "ana", now + time::Duration::hours(1)).unwrap();
        assert_eq!(s.session_user(&session, now).unwrap().unwrap().name, "ana");
        assert!(s.session_user(&session, now + time::Duration::hours(2)).unwrap().is_none(), "expired");
        s.delete_session(&session).unwrap();
        assert!(s.session_user(&session, now).unwrap().is_none());
        s.add_session(&session, "ana", now + time::Duration::hours(1)).unwrap();
        assert!(s.delete_user("ana").unwrap());
        assert!(!s.delete_user("ana").unwrap());
        assert!(s.token_user(&digest).unwrap().is_none() && s.session_user(&session, now).unwrap().is_none());
    }

    #[test]
    fn a_one_time_password_is_changed_and_other_sessions_end() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.add_user_with("admin", "admin", HASH, true).unwrap());
        assert!(s.user("admin").unwrap().unwrap().must_change_password);
        let now = Timestamp::now_utc();
        let (mine, other) = ("c".repeat(64), "d".repeat(64));
        s.add_session(&mine, "admin", now + time::Duration::hours(1)).unwrap();
        s.add_session(&other, "admin", now + time::Duration::hours(1)).unwrap();
        let new_hash = HASH.replace("aGFz", "bGFz");
        assert!(s.set_password("admin", &new_hash, false, Some(&mine)).unwrap());
        let u = s.user("admin").unwrap().unwrap();
        assert!(!u.must_change_password && u.password_hash == new_hash);
        assert!(s.session_user(&mine, now).unwrap().is_some(), "the session that changed it stays");
        assert!(s.session_user(&other, now).unwrap().is_none(), "other sessions end");
        assert!(!s.set_password("nobody", HASH, false, None).unwrap());
        assert!(s.set_password("admin", "in clear", false, None).is_err());
    }

    #[test]
    fn secrets_in_clear_are_refused() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.add_user("ana", "analyst", "hunter2hunter2").is_err(), "a password is not an argon2id hash");
        assert!(s.add_user("ana", "root", HASH).is_err(), "an unknown role");
        s.add_user("ana", "viewer", HASH).unwrap();
        assert!(s.add_token("ana", "rampart_0123456789").is_err(), "a token is not a digest");
        assert!(s.add_token("bob", &"a".repeat(64)).is_err(), "no such user");
    }
}
