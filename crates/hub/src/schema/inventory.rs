//! The inventories of the runs (see `inventory.rs`): each scan's snapshot of the estate,
//! compressed, and an index of its resources for browsing. Its rows name the findings
//! store's `runs`: it is migrated after `findings`.

use super::Schema;

pub(crate) static INVENTORY: Schema = Schema {
    name: "inventory",
    migrations: &[
        // 1: one snapshot per run (gzip of the snapshot's JSON, `rampart_inventory`'s
        // schema) and one row per resource it holds.
        r#"
CREATE TABLE inventories (
    run_id         TEXT PRIMARY KEY NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL UNIQUE,   -- order of recording: the highest is the latest
    collected_at   TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    encoding       TEXT NOT NULL CHECK (encoding IN ('gzip+json')),
    json_bytes     INTEGER NOT NULL,          -- the snapshot's size before compression
    snapshot       BLOB NOT NULL
);

CREATE TABLE inventory_resources (
    run_id   TEXT NOT NULL REFERENCES inventories (run_id) ON DELETE CASCADE,
    arn      TEXT NOT NULL,   -- the id findings give the resource (`findings.resource_id`)
    id       TEXT NOT NULL,   -- the resource's own id or name (`i-...`, a bucket name)
    type     TEXT NOT NULL,   -- the ASFF type, or the snapshot's collection (`ec2.route_tables`)
    account  TEXT NOT NULL,
    region   TEXT NOT NULL,
    name     TEXT NOT NULL,
    pointer  TEXT NOT NULL,   -- JSON pointer of the resource in the snapshot
    PRIMARY KEY (run_id, arn)
) WITHOUT ROWID;
CREATE INDEX inventory_resources_type ON inventory_resources (run_id, type, arn);
CREATE INDEX inventory_resources_id ON inventory_resources (run_id, id);
"#,
    ],
    postgres: &[r#"
CREATE TABLE inventories (
    run_id         text COLLATE "C" PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    seq            bigint NOT NULL UNIQUE,
    collected_at   text COLLATE "C" NOT NULL,
    recorded_at    text COLLATE "C" NOT NULL,
    encoding       text COLLATE "C" NOT NULL CHECK (encoding IN ('gzip+json')),
    json_bytes     bigint NOT NULL,
    snapshot       bytea NOT NULL
);

CREATE TABLE inventory_resources (
    run_id   text COLLATE "C" NOT NULL REFERENCES inventories (run_id) ON DELETE CASCADE,
    arn      text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    "type"   text COLLATE "C" NOT NULL,
    account  text COLLATE "C" NOT NULL,
    region   text COLLATE "C" NOT NULL,
    name     text COLLATE "C" NOT NULL,
    pointer  text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, arn)
);
CREATE INDEX inventory_resources_type ON inventory_resources (run_id, "type", arn);
CREATE INDEX inventory_resources_id ON inventory_resources (run_id, id);
"#],
};
