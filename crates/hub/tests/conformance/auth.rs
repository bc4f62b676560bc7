//! The server's accounts (users, API tokens, browser sessions) on both backends, and that
//! no secret is kept in clear in any table of either.

use super::*;

/// An argon2id PHC string, as the server keeps a password (the store takes no other shape).
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// A stand-in for the server's SHA-256 digest of a token or session id: 64 hex digits
/// that do not hold the secret (the store only checks the shape).
fn digest(secret: &str) -> String {
    (0..4u64)
        .map(|round| {
            let h = secret.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ round, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
            format!("{h:016x}")
        })
        .collect()
}

fn users_tokens_and_sessions_are_kept_and_ended_with_their_user(db: &Db) {
    let mut s = db.open();
    assert!(s.users().unwrap().is_empty());
    assert!(s.add_user("ana", "analyst", HASH).unwrap());
    assert!(!s.add_user("ana", "admin", HASH).unwrap(), "a taken name changes nothing");
    assert!(s.add_user_with("admin", "admin", HASH, true).unwrap());
    let ana = s.user("ana").unwrap().expect("ana");
    assert_eq!((ana.role.as_str(), ana.password_hash.as_str(), ana.tokens, ana.must_change_password), ("analyst", HASH, 0, false));
    assert!(s.user("nobody").unwrap().is_none());
    assert!(s.user("admin").unwrap().unwrap().must_change_password);

    let (t1, t2) = (digest("rampart_token_1"), digest("rampart_token_2"));
    s.add_token("ana", &t1).unwrap();
    s.add_token("ana", &t2).unwrap();
    assert!(s.add_token("admin", &t1).is_err(), "a digest is one token's");
    assert_eq!(s.token_user(&t1).unwrap().unwrap().name, "ana");
    assert!(s.token_user(&digest("other")).unwrap().is_none());
    let users = s.users().unwrap();
    assert_eq!(users.iter().map(|u| (u.name.as_str(), u.tokens)).collect::<Vec<_>>(), [("admin", 0), ("ana", 2)], "by name");

    let now = Timestamp::now_utc();
    let (mine, other, old) = (digest("session mine"), digest("session other"), digest("session old"));
    s.add_session(&old, "admin", now - time::Duration::minutes(1)).unwrap();
    s.add_session(&mine, "admin", now + time::Duration::hours(1)).unwrap();
    s.add_session(&other, "admin", now + time::Duration::hours(1)).unwrap();
    assert!(
        s.session_user(&old, now - time::Duration::hours(1)).unwrap().is_none(),
        "an expired session is forgotten when another is added"
    );
    assert_eq!(s.session_user(&mine, now).unwrap().unwrap().name, "admin");
    assert!(s.session_user(&mine, now + time::Duration::hours(2)).unwrap().is_none(), "expired");

    // A changed password ends the user's other sessions; the one that changed it stays.
    let new_hash = HASH.replace("aGFz", "bGFz");
    assert!(s.set_password("admin", &new_hash, false, Some(&mine)).unwrap());
    let admin = s.user("admin").unwrap().unwrap();
    assert!(!admin.must_change_password && admin.password_hash == new_hash);
    assert!(s.session_user(&mine, now).unwrap().is_some());
    assert!(s.session_user(&other, now).unwrap().is_none());
    // Without a session to keep, every session ends; a one-time password again.
    assert!(s.set_password("admin", HASH, true, None).unwrap());
    assert!(s.session_user(&mine, now).unwrap().is_none());
    assert!(s.user("admin").unwrap().unwrap().must_change_password);
    assert!(!s.set_password("nobody", HASH, false, None).unwrap());

    s.add_session(&mine, "ana", now + time::Duration::hours(1)).unwrap();
    s.delete_session(&mine).unwrap();
    assert!(s.session_user(&mine, now).unwrap().is_none());
    s.add_session(&other, "ana", now + time::Duration::hours(1)).unwrap();
    assert!(s.delete_user("ana").unwrap());
    assert!(!s.delete_user("ana").unwrap());
    assert!(s.token_user(&t1).unwrap().is_none() && s.session_user(&other, now).unwrap().is_none(), "gone with the user");
    // Their digests can be given again.
    s.add_token("admin", &t1).unwrap();
    drop(s);
    // Kept across opening again.
    assert_eq!(db.open().token_user(&t1).unwrap().unwrap().name, "admin");
}

/// Every text of every row of every table of the database, one string per row.
fn every_row(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    if db.drop_pg.is_some() {
        let mut c = postgres::Client::connect(&db.spec, postgres::NoTls).unwrap();
        let tables: Vec<String> = c
            .query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(tables.iter().any(|t| t == "auth_tokens"), "{tables:?}");
        for t in tables {
            for row in c.query(&format!("SELECT CAST(x AS text) FROM \"{t}\" x"), &[]).unwrap() {
                out.push(format!("{t}: {}", row.get::<_, String>(0)));
            }
        }
    } else {
        let c = rusqlite::Connection::open(&db.spec).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(tables.iter().any(|t| t == "auth_tokens"), "{tables:?}");
        for t in tables {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect::<Result<Vec<_>, _>>()
                })
                .unwrap();
            for row in rows {
                out.push(format!("{t}: {}", row.unwrap().join(" | ")));
            }
        }
    }
    out
}

fn no_secret_is_kept_in_clear_and_clear_ones_are_refused(db: &Db) {
    let mut s = db.open();
    let (password, token, session) = ("correct horse battery staple", "rampart_4f1d2b0c9e", "sess_8c1f3a02d5e7");
    assert!(s.add_user("ana", "analyst", password).is_err(), "a password in clear is not an argon2id hash");
    assert!(s.add_user("ana", "root", HASH).is_err(), "an unknown role");
    assert!(s.add_user("ana", "viewer", HASH).unwrap());
    assert!(s.add_token("ana", token).is_err(), "a token in clear is not a digest");
    assert!(s.add_token("bob", &digest(token)).is_err(), "no such user");
    assert!(s.add_session(session, "ana", Timestamp::now_utc() + time::Duration::hours(1)).is_err(), "a session id in clear");
    assert!(s.set_password("ana", password, false, None).is_err(), "a new password in clear");
    s.add_token("ana", &digest(token)).unwrap();
    s.add_session(&digest(session), "ana", Timestamp::now_utc() + time::Duration::hours(1)).unwrap();
    assert_eq!(s.user("ana").unwrap().unwrap().password_hash, HASH, "the refused change left the hash");
    drop(s);
    let rows = every_row(db);
    assert!(rows.iter().any(|r| r.contains(&digest(token))), "the token's digest is kept: {rows:?}");
    for secret in [password, token, session] {
        assert!(!rows.iter().any(|r| r.contains(secret)), "{secret} in clear: {rows:?}");
    }
}

conformance!(users_tokens_and_sessions_are_kept_and_ended_with_their_user, no_secret_is_kept_in_clear_and_clear_ones_are_refused);
