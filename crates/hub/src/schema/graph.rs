//! The investigation graph (see `graph.rs`): hourly summaries of each relationship between
//! entities (principal → API call, address, user agent; role → assumed by; instance ↔ peer
//! and port...), the entities with their first and last sighting, and a checkpoint per
//! source file read, written in the same transaction as the file's summaries.

use super::Schema;

pub(crate) static GRAPH: Schema = Schema {
    name: "graph",
    migrations: &[
        // 1: summaries, entities, files.
        r#"
CREATE TABLE graph_summaries (
    src        TEXT NOT NULL,          -- an entity id (ARN, key id, instance id, address...)
    rel        TEXT NOT NULL,          -- api_call, ip, user_agent, in_account, resource, assumed_by, session_role, key_of, instance_session, interface, flow
    dst        TEXT NOT NULL,          -- an entity id, or `service:Action` for api_call
    detail     TEXT NOT NULL,          -- '' or: the error code, the action, `<dir> <proto> <port> <ACTION>`
    hour       TEXT NOT NULL,          -- the hour's start
    count      INTEGER NOT NULL,
    success    INTEGER NOT NULL,
    failure    INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    packets    INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (src, rel, dst, detail, hour)
) WITHOUT ROWID;
CREATE INDEX graph_summaries_dst ON graph_summaries (dst, hour);
CREATE INDEX graph_summaries_hour ON graph_summaries (hour);
CREATE TABLE graph_entities (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX graph_entities_kind ON graph_entities (kind, id);
CREATE INDEX graph_entities_last ON graph_entities (last_seen);
CREATE TABLE graph_files (
    source      TEXT NOT NULL,         -- cloudtrail, flowlogs
    file        TEXT NOT NULL,         -- from `AWSLogs/` on when the path has it, else the absolute path
    bytes       INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    malformed   INTEGER NOT NULL,
    error       TEXT,                  -- the file stopped being readable here (what precedes is counted)
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (source, file)
) WITHOUT ROWID;
"#,
        // 2: where addresses are, located at ingest with the GeoIP databases given.
        r#"
CREATE TABLE graph_geo (
    ip         TEXT PRIMARY KEY NOT NULL,
    geo        TEXT NOT NULL,          -- JSON: country, country_name, city, latitude, longitude, accuracy_km, asn, as_org ({} when the databases hold nothing of it)
    source     TEXT NOT NULL,          -- the databases: `GeoLite2-City (file), GeoLite2-ASN (file)`
    located_at TEXT NOT NULL
) WITHOUT ROWID;
"#,
    ],
    postgres: &[r#"
CREATE TABLE graph_summaries (
    src        text COLLATE "C" NOT NULL,
    rel        text COLLATE "C" NOT NULL,
    dst        text COLLATE "C" NOT NULL,
    detail     text COLLATE "C" NOT NULL,
    hour       text COLLATE "C" NOT NULL,
    count      bigint NOT NULL,
    success    bigint NOT NULL,
    failure    bigint NOT NULL,
    bytes      bigint NOT NULL,
    packets    bigint NOT NULL,
    first_seen text COLLATE "C" NOT NULL,
    last_seen  text COLLATE "C" NOT NULL,
    PRIMARY KEY (src, rel, dst, detail, hour)
);
CREATE INDEX graph_summaries_dst ON graph_summaries (dst, hour);
CREATE INDEX graph_summaries_hour ON graph_summaries (hour);
CREATE TABLE graph_entities (
    id         text COLLATE "C" PRIMARY KEY,
    kind       text COLLATE "C" NOT NULL,
    first_seen text COLLATE "C" NOT NULL,
    last_seen  text COLLATE "C" NOT NULL
);
CREATE INDEX graph_entities_kind ON graph_entities (kind, id);
CREATE INDEX graph_entities_last ON graph_entities (last_seen);
CREATE TABLE graph_files (
    source      text COLLATE "C" NOT NULL,
    file        text COLLATE "C" NOT NULL,
    bytes       bigint NOT NULL,
    records     bigint NOT NULL,
    malformed   bigint NOT NULL,
    error       text COLLATE "C",
    ingested_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (source, file)
);
"#,
        r#"
CREATE TABLE graph_geo (
    ip         text COLLATE "C" PRIMARY KEY,
    geo        text NOT NULL,
    source     text NOT NULL,
    located_at text COLLATE "C" NOT NULL
);
"#,
    ],
};
