//! What the CLI adds to library errors: how its user fixes them with its flags (libraries
//! name no flag), and user input shortened before it is echoed back.

use anyhow::Result;
use rampart_hub::{PgMode, Store, StoreError, VulnStore};
use std::path::Path;

/// User input as an error echoes it: at most 80 characters (the application layer's rule).
pub use rampart_app::shown;

/// A store error with the CLI's advice appended: another `--db`, or a command to run first.
pub fn store(e: StoreError, db_flag: &str) -> anyhow::Error {
    let hint = match &e {
        StoreError::Missing { .. } | StoreError::Empty { .. } if db_flag == "--vulndb" => {
            Some("import advisories first (`rampart vulndb import PATH...` or `rampart vulndb update`), or point --vulndb (or RAMPART_VULNDB) at an existing database".to_string())
        }
        StoreError::Missing { .. } | StoreError::Empty { .. } => Some(
            "scan first (`rampart scan aws`, or `rampart demo` to try it), or point --db (or RAMPART_DB) at an existing database".to_string(),
        ),
        StoreError::NotOnPostgres(_) => {
            Some(format!("{db_flag} PATH picks a SQLite file; docs/postgres.md says what this build runs on PostgreSQL"))
        }
        StoreError::NotRampart { .. }
        | StoreError::TooNew { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::OldReadOnly { .. }
        | StoreError::Full { .. } => Some(format!("{db_flag} PATH picks another")),
        _ => None,
    };
    match hint {
        // The advice goes after the whole message (and its cause): a new error that says
        // both, the cause kept as text.
        Some(hint) => {
            let mut msg = e.to_string();
            let mut next = std::error::Error::source(&e);
            while let Some(c) = next {
                msg.push_str(": ");
                msg.push_str(&c.to_string());
                next = c.source();
            }
            anyhow::anyhow!("{msg} — {hint}")
        }
        None => anyhow::Error::new(e),
    }
}

/// The findings store for a command that only reads (`--db`, a SQLite file's path or a
/// `postgres://` URL): never created, opened read-only.
pub fn read_store(path: &Path) -> Result<Store> {
    rampart_app::db::open(path, PgMode::ReadOnly).map_err(|e| store(e, "--db"))
}

/// The findings store for a command that changes what is recorded (not a scan): never created.
pub fn existing_store(path: &Path) -> Result<Store> {
    rampart_app::db::open(path, PgMode::Existing).map_err(|e| store(e, "--db"))
}

/// The findings store for a command that records: created if missing (on PostgreSQL,
/// migrated).
pub fn write_store(path: &Path) -> Result<Store> {
    rampart_app::db::open(path, PgMode::Create).map_err(|e| store(e, "--db"))
}

/// The vulnerability database for a command that only reads it.
pub fn read_vulndb(path: &Path) -> Result<VulnStore> {
    VulnStore::open_read_only(rampart_app::db::vulndb_file(path)?).map_err(|e| store(e, "--vulndb"))
}

/// The vulnerability database for an import: created if missing.
pub fn write_vulndb(path: &Path) -> Result<VulnStore> {
    VulnStore::open(rampart_app::db::vulndb_file(path)?).map_err(|e| store(e, "--vulndb"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_cut_at_80_characters() {
        assert_eq!(shown("us-east-1"), "us-east-1");
        let long = "é".repeat(500);
        let s = shown(&long);
        assert_eq!(s.chars().count(), 81);
        assert!(s.ends_with('…'));
        assert_eq!(shown(&"x".repeat(80)), "x".repeat(80));
    }

    #[test]
    fn a_missing_database_says_what_to_do_in_one_line_naming_the_flag() {
        let e = store(StoreError::Missing { path: "/x/r.db".into() }, "--db").to_string();
        assert!(e.starts_with("database `/x/r.db` does not exist"), "{e}");
        assert!(e.contains("rampart scan aws") && e.contains("--db"), "{e}");
        assert!(!e.contains('\n'));
        let e = store(StoreError::Missing { path: "/x/v.db".into() }, "--vulndb").to_string();
        assert!(e.contains("rampart vulndb import") && e.contains("--vulndb"), "{e}");
    }
}
