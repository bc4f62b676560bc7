use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

/// Why the store failed. Every message says what to do next.
///
/// A variant with a `source` does not print it: callers print the chain (`message:
/// cause`), so the cause appears once. Messages name no command-line flag: the advice
/// is about the database, and a caller adds how its user picks another one.
///
/// This type is publicly exported and matched on by the CLI: add variants (it is
/// `non_exhaustive`), don't rename or remove them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("cannot create directory `{}` for the database (check its permissions or set RAMPART_DB)", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot open database `{}` (check the path and permissions)", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("database `{}` does not exist: nothing has been recorded there yet", path.display())]
    Missing { path: PathBuf },

    #[error("database `{}` is empty: nothing has been recorded there yet", path.display())]
    Empty { path: PathBuf },

    #[error("cannot look at database `{}` (check the path and permissions)", path.display())]
    Access {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("`{}` is not a rampart database ({why}): use another database file", path.display())]
    NotRampart { path: PathBuf, why: &'static str },

    /// A store of the file (`store`), or the file's format as a whole (`store` is `None`),
    /// is newer than this build knows.
    #[error("{}", too_new(path, *store, *found, *known))]
    TooNew {
        path: PathBuf,
        store: Option<&'static str>,
        found: u32,
        known: u32,
    },

    #[error("cannot migrate the {store} store of database `{}` to schema {version} (restore a backup or use another database file)", path.display())]
    Migrate {
        path: PathBuf,
        store: &'static str,
        version: u32,
        source: rusqlite::Error,
    },

    #[error("database `{}` is locked by another rampart: retry when it finishes", path.display())]
    Busy { path: PathBuf },

    #[error("database `{}` is read-only: check its permissions or use another database file", path.display())]
    ReadOnly { path: PathBuf },

    #[error(
        "database `{}` holds the {store} store at schema {found}, older than this build's {known}, and cannot be upgraded: it is read-only (make it writable once, or use another database file)",
        path.display()
    )]
    OldReadOnly {
        path: PathBuf,
        store: &'static str,
        found: u32,
        known: u32,
    },

    #[error("database `{}` is full: free disk space or use another database file", path.display())]
    Full { path: PathBuf },

    #[error("database `{}` failed (check it with `sqlite3 {} 'PRAGMA integrity_check'`)", path.display(), path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("database `{}` holds an invalid {what} `{value}`: it was edited by hand or is damaged; restore a backup", path.display())]
    Corrupt {
        path: PathBuf,
        what: &'static str,
        value: String,
    },

    #[error("run `{0}` is already recorded: give the run a new id")]
    DuplicateRun(String),

    #[error("no run `{0}` in the database: list the runs and their ids with `rampart runs`")]
    UnknownRun(String),

    #[error("no finding `{0}` in the database: list the findings and their ids with `rampart findings`")]
    UnknownFinding(String),

    #[error("no automation rule `{0}`: list them with `rampart automation list`")]
    UnknownRule(String),

    #[error("assessment target `{0}` already exists: choose another name, or replace or delete it")]
    DuplicateTarget(String),

    #[error("assessment template `{0}` already exists: choose another name, or replace or delete it")]
    DuplicateTemplate(String),

    #[error("assessment target `{name}` is used by template(s) {}: delete them first", templates.join(", "))]
    TargetInUse { name: String, templates: Vec<String> },

    #[error("assessment template `{name}` has {runs} run(s), whose history names it: it is kept (replace it to change what later runs do)")]
    TemplateHasRuns { name: String, runs: usize },

    #[error("no assessment target `{0}`: create it with `rampart assess target {0}`")]
    UnknownTarget(String),

    #[error("no assessment template `{0}`: create it with `rampart assess template {0} --target TARGET`")]
    UnknownTemplate(String),

    #[error("no assessment run `{0}`: list them with `rampart assess runs`")]
    UnknownAssessmentRun(i64),

    #[error("unknown rule package `{0}`: use cve, cis, best-practices or runtime")]
    UnknownRulePackage(String),

    #[error("assessment run {run} cannot move from {from} to {to}: a run goes CREATED → COLLECTING_DATA → EVALUATING_RULES → COMPLETED, or to FAILED (with a reason) from a state that is not final")]
    InvalidTransition {
        run: i64,
        from: &'static str,
        to: &'static str,
    },

    #[error("assessment run {0} cannot be marked FAILED without a reason: say why it failed")]
    FailureWithoutReason(i64),

    #[error("invalid insight: {0}")]
    InvalidInsight(String),

    #[error("insight `{0}` already exists: choose another name")]
    DuplicateInsight(String),

    #[error("no insight `{0}`: list the insights and their ids")]
    UnknownInsight(String),

    #[error("insight `{0}` is a managed insight: it cannot be changed or deleted (create a custom insight from its filters instead)")]
    ManagedInsight(String),

    #[error("invalid import: {0}")]
    InvalidImport(String),

    #[error("invalid finding update: {0}")]
    InvalidUpdate(String),

    #[error("cannot connect to PostgreSQL at `{target}` (check that the server runs, and the URL's host, database, user and password)")]
    PgConnect {
        /// The URL without its password.
        target: String,
        source: postgres::Error,
    },

    #[error("PostgreSQL at `{target}` failed")]
    Postgres {
        /// The URL without its password.
        target: String,
        source: postgres::Error,
    },

    #[error("cannot migrate the {store} store of PostgreSQL at `{target}` to schema {version} (restore a backup or use another database)")]
    PgMigrate {
        target: String,
        store: &'static str,
        version: u32,
        source: postgres::Error,
    },

    #[error("`{0}` is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE (a Unix socket's directory as the host, its slashes written %2F)")]
    PgUrl(String),

    /// What the PostgreSQL backend does not do yet (the findings store alone runs there).
    #[error("{0} is not supported on PostgreSQL yet: use a SQLite database file for it")]
    NotOnPostgres(String),

    #[error("PostgreSQL at `{target}` is not empty (table `{table}` holds rows; {runs} run(s)): copy into an empty database (e.g. one made with `createdb`)")]
    TargetNotEmpty { target: String, table: String, runs: u64 },

    /// A findings query the store cannot run as given (a bad filter, sort, page size or token).
    #[error(transparent)]
    Query(#[from] crate::filter::QueryError),
}

fn too_new(path: &Path, store: Option<&str>, found: u32, known: u32) -> String {
    let what = match store {
        Some(store) => format!("its {store} store has schema {found}, this build knows {known}"),
        None => format!("file format {found}, this build knows {known}"),
    };
    format!("database `{}` was written by a newer rampart ({what}): upgrade rampart or use another database file", path.display())
}

/// Classifies a SQLite error into the variant a user can act on.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotRampart {
            path,
            why: "file is not a database",
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::Open { path, source: e }
        }
        _ => StoreError::Sqlite { path, source: e },
    }
}

/// `map_err` adapter: `.map_err(sql(path))`.
pub(crate) fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| classify(path, e)
}
