//! The server's users, API tokens and browser sessions (see `auth.rs`). Secrets are never
//! stored: a password as its argon2id PHC string, a token or session id as the hex SHA-256
//! digest of its 256 random bits (the CHECKs refuse anything else).

use super::Schema;

pub(crate) static AUTH: Schema = Schema {
    name: "auth",
    migrations: &[
        // 1: users with a role, API tokens and sessions.
        r#"
CREATE TABLE auth_users (
    name          TEXT PRIMARY KEY NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TEXT NOT NULL
);

CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    user       TEXT NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens (user);

CREATE TABLE auth_sessions (
    session_hash TEXT PRIMARY KEY NOT NULL CHECK (length(session_hash) = 64),
    user         TEXT NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user);
"#,
        // 2: a password that must be changed at the next sign-in (the one-time password
        // of the admin created at first start).
        r#"
ALTER TABLE auth_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
"#,
    ],
    // On PostgreSQL: the same versions, each written for it (`user` is a reserved word
    // there, quoted; the statements of `auth.rs` quote it on both).
    postgres: &[
        r#"
CREATE TABLE auth_users (
    name          text COLLATE "C" PRIMARY KEY NOT NULL,
    role          text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    password_hash text COLLATE "C" NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    text COLLATE "C" NOT NULL
);

CREATE TABLE auth_tokens (
    token_hash text COLLATE "C" PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    "user"     text COLLATE "C" NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
    created_at text COLLATE "C" NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens ("user");

CREATE TABLE auth_sessions (
    session_hash text COLLATE "C" PRIMARY KEY NOT NULL CHECK (length(session_hash) = 64),
    "user"       text COLLATE "C" NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
    created_at   text COLLATE "C" NOT NULL,
    expires_at   text COLLATE "C" NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions ("user");
"#,
        r#"
ALTER TABLE auth_users ADD COLUMN must_change_password bigint NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
"#,
    ],
};
