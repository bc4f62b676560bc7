//! Change-triggered checks (see `changes.rs`): where reading each trail bucket's folders
//! has got to, and which log files were read.

use super::Schema;

pub(crate) static CHANGES: Schema = Schema {
    name: "changes",
    migrations: &[
        // 1: a checkpoint per (bucket, region folder): the greatest key read there; and each
        // log file read (so that a file delivered late, with a key below the checkpoint, is
        // still read once and only once), with what it held. Files are forgotten once their
        // day is well behind the checkpoint.
        r#"
CREATE TABLE trail_checkpoints (
    bucket     TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    last_key   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (bucket, prefix)
);
CREATE TABLE trail_files (
    bucket       TEXT NOT NULL,
    key          TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    events       INTEGER NOT NULL,
    changes      INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    error        TEXT,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX trail_files_prefix ON trail_files (bucket, prefix, key);
"#,
        // 2: how many times a file was tried: a file that could not be read (or one of whose
        // changes could not be re-read) is tried again at the next poll, up to
        // `MAX_TRAIL_ATTEMPTS` times.
        "ALTER TABLE trail_files ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;",
    ],
    postgres: &[
        r#"
CREATE TABLE trail_checkpoints (
    bucket     text COLLATE "C" NOT NULL,
    prefix     text COLLATE "C" NOT NULL,
    last_key   text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (bucket, prefix)
);
CREATE TABLE trail_files (
    bucket       text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    prefix       text COLLATE "C" NOT NULL,
    processed_at text COLLATE "C" NOT NULL,
    events       bigint NOT NULL,
    changes      bigint NOT NULL,
    skipped      bigint NOT NULL,
    error        text COLLATE "C",
    PRIMARY KEY (bucket, key)
);
CREATE INDEX trail_files_prefix ON trail_files (bucket, prefix, key);
"#,
        "ALTER TABLE trail_files ADD COLUMN attempts bigint NOT NULL DEFAULT 1;",
    ],
};
