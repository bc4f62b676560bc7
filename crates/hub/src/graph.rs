//! The investigation graph's store (issue 13): hourly relationship summaries, entities, and
//! a checkpoint per source file, on SQLite and PostgreSQL alike.
//!
//! Summaries are *added*: a summary whose key (src, rel, dst, detail, hour) is stored
//! already adds its counts, bytes and packets and widens its first and last sighting, so a
//! reader may flush partial summaries of an hour whenever its memory bound is reached. A
//! file's summaries and its checkpoint are written in one transaction
//! ([`Store::graph_write`]): a file is either counted once with its checkpoint or not at all,
//! and an interrupted ingest resumes without counting anything twice. Retention
//! ([`Store::prune_graph`]) forgets the hours before a time, and the entities last seen
//! before it. What a summary means is `rampart-graph`'s to say; this module stores rows.

use crate::codec;
use crate::error::StoreError;
use crate::sql::{vals, Row, Sql};
use crate::store::{corrupt, Store};
use rampart_graph::{text_time, Batch, EntityKind, EntitySeen, Profile, ProfileScope, Rel, Summary, Tally};
use rampart_model::Timestamp;

/// A source file, read into the graph.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GraphFile {
    /// `cloudtrail` or `flowlogs`.
    pub source: String,
    /// The file's identity: its path from `AWSLogs/` on when it has one, else its absolute path.
    pub file: String,
    pub bytes: u64,
    pub records: u64,
    pub malformed: u64,
    /// Where the file stopped being readable (what precedes was counted), if it did.
    pub error: Option<String>,
    pub ingested_at: Timestamp,
}

/// Writes of one transaction ([`Store::graph_write`]).
pub struct GraphWriter<'a> {
    sql: &'a dyn Sql,
}

/// Rows written by one statement (a round trip to PostgreSQL).
pub const ROWS_PER_STATEMENT: usize = 100;

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl GraphWriter<'_> {
    /// Whether `file` of `source` was read already.
    pub fn is_ingested(&self, source: &str, file: &str) -> Result<bool, StoreError> {
        ingested(self.sql, source, file)
    }

    /// Adds a batch of summaries and entity sightings (each key at most once in a batch, as
    /// a summariser drains them), [`ROWS_PER_STATEMENT`] rows per statement.
    pub fn add(&self, batch: &Batch) -> Result<(), StoreError> {
        let d = self.sql.dialect();
        // In the primary key's order: each statement's rows land next to each other in the
        // table's B-tree, not all over it (what makes a large ingest I/O-bound).
        let mut summaries: Vec<&Summary> = batch.summaries.iter().collect();
        summaries.sort_unstable_by(|a, b| {
            (&a.src, a.rel.name(), &a.dst, &a.detail, a.hour).cmp(&(&b.src, b.rel.name(), &b.dst, &b.detail, b.hour))
        });
        for chunk in summaries.chunks(ROWS_PER_STATEMENT) {
            let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = format!(
                "INSERT INTO graph_summaries (src, rel, dst, detail, hour, count, success, failure, bytes, packets, first_seen, last_seen)
                 VALUES {rows}
                 ON CONFLICT (src, rel, dst, detail, hour) DO UPDATE SET
                   count = graph_summaries.count + excluded.count,
                   success = graph_summaries.success + excluded.success,
                   failure = graph_summaries.failure + excluded.failure,
                   bytes = graph_summaries.bytes + excluded.bytes,
                   packets = graph_summaries.packets + excluded.packets,
                   first_seen = {},
                   last_seen = {}",
                d.least("graph_summaries.first_seen", "excluded.first_seen"),
                d.greatest("graph_summaries.last_seen", "excluded.last_seen"),
            );
            let mut args = Vec::with_capacity(chunk.len() * 12);
            for s in chunk.iter().copied() {
                let t = &s.tally;
                args.extend(vals![
                    s.src.as_str(),
                    s.rel.name(),
                    s.dst.as_str(),
                    s.detail.as_str(),
                    text_time(s.hour),
                    int(t.count),
                    int(t.success),
                    int(t.failure),
                    int(t.bytes),
                    int(t.packets),
                    text_time(t.first_seen),
                    text_time(t.last_seen)
                ]);
            }
            self.sql.execute(&sql, &args)?;
        }
        for chunk in batch.entities.chunks(ROWS_PER_STATEMENT) {
            let rows = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = format!(
                "INSERT INTO graph_entities (id, kind, first_seen, last_seen) VALUES {rows}
                 ON CONFLICT (id) DO UPDATE SET first_seen = {}, last_seen = {}",
                d.least("graph_entities.first_seen", "excluded.first_seen"),
                d.greatest("graph_entities.last_seen", "excluded.last_seen"),
            );
            let mut args = Vec::with_capacity(chunk.len() * 4);
            for e in chunk {
                args.extend(vals![e.id.as_str(), e.kind.name(), text_time(e.first_seen), text_time(e.last_seen)]);
            }
            self.sql.execute(&sql, &args)?;
        }
        Ok(())
    }

    /// Records `file` as read (its summaries are to be added in the same transaction).
    pub fn file_done(&self, f: &GraphFile) -> Result<(), StoreError> {
        self.sql.execute(
            "INSERT INTO graph_files (source, file, bytes, records, malformed, error, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (source, file) DO NOTHING",
            &vals![
                f.source.as_str(),
                f.file.as_str(),
                int(f.bytes),
                int(f.records),
                int(f.malformed),
                f.error.clone(),
                codec::time_to_text(codec::truncate(f.ingested_at))
            ],
        )?;
        Ok(())
    }
}

fn ingested(sql: &dyn Sql, source: &str, file: &str) -> Result<bool, StoreError> {
    Ok(sql.query_opt("SELECT 1 FROM graph_files WHERE source = ? AND file = ?", &vals![source, file])?.is_some())
}

impl Store {
    /// Runs `f` in one transaction: every summary it adds and every file it records
    /// are kept together, or none of them (an error, a crash).
    pub fn graph_write<T>(&mut self, f: impl FnOnce(&GraphWriter<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.db.tx(|sql| f(&GraphWriter { sql }))
    }

    /// Whether `file` of `source` was read already.
    pub fn graph_is_ingested(&self, source: &str, file: &str) -> Result<bool, StoreError> {
        ingested(self.sql(), source, file)
    }

    /// The files read, of one source or all, in order of source and file.
    pub fn graph_files(&self, source: Option<&str>) -> Result<Vec<GraphFile>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query(
            "SELECT source, file, bytes, records, malformed, error, ingested_at FROM graph_files
             WHERE (CAST(? AS TEXT) IS NULL OR source = ?) ORDER BY source, file",
            &vals![source, source],
        )?;
        rows.iter()
            .map(|r| {
                Ok(GraphFile {
                    source: r.text(0)?,
                    file: r.text(1)?,
                    bytes: r.int(2)?.max(0) as u64,
                    records: r.int(3)?.max(0) as u64,
                    malformed: r.int(4)?.max(0) as u64,
                    error: r.opt_text(5)?,
                    ingested_at: codec::time_from_text(&r.text(6)?).map_err(&bad)?,
                })
            })
            .collect()
    }

    /// An entity, if the graph has seen it.
    pub fn graph_entity(&self, id: &str) -> Result<Option<EntitySeen>, StoreError> {
        let row = self.sql().query_opt("SELECT id, kind, first_seen, last_seen FROM graph_entities WHERE id = ?", &vals![id])?;
        row.map(|r| self.entity_row(&r)).transpose()
    }

    /// Entities of a kind (or every kind) whose id starts with `prefix`, in id order, at
    /// most `limit`.
    pub fn graph_entities(&self, kind: Option<EntityKind>, prefix: &str, limit: usize) -> Result<Vec<EntitySeen>, StoreError> {
        let rows = self.sql().query(
            &format!(
                "SELECT id, kind, first_seen, last_seen FROM graph_entities
                 WHERE (CAST(? AS TEXT) IS NULL OR kind = ?) AND substr(id, 1, length(CAST(? AS TEXT))) = ?
                 ORDER BY id LIMIT {}",
                limit.clamp(1, 10_000)
            ),
            &vals![kind.map(EntityKind::name), kind.map(EntityKind::name), prefix, prefix],
        )?;
        rows.iter().map(|r| self.entity_row(r)).collect()
    }

    fn entity_row(&self, r: &Row) -> Result<EntitySeen, StoreError> {
        let bad = corrupt(&self.path);
        let kind = r.text(1)?;
        Ok(EntitySeen {
            id: r.text(0)?,
            kind: EntityKind::parse(&kind).ok_or_else(|| bad(("graph entity kind", kind.clone())))?,
            first_seen: unix(&r.text(2)?).map_err(&bad)?,
            last_seen: unix(&r.text(3)?).map_err(&bad)?,
        })
    }

    /// The summaries that name `entity` (as source or destination) of the hours in
    /// `[from, to)` (Unix seconds), ordered by hour and key.
    pub fn graph_summaries(&self, entity: &str, from: i64, to: i64) -> Result<Vec<Summary>, StoreError> {
        let (from, to) = (text_time(from), text_time(to));
        let rows = self.sql().query(
            &format!(
                "SELECT {COLUMNS} FROM graph_summaries WHERE src = ? AND hour >= ? AND hour < ?
                 UNION ALL
                 SELECT {COLUMNS} FROM graph_summaries WHERE dst = ? AND src <> ? AND hour >= ? AND hour < ?
                 ORDER BY 5, 1, 2, 3, 4"
            ),
            &vals![entity, from.as_str(), to.as_str(), entity, entity, from.as_str(), to.as_str()],
        )?;
        rows.iter().map(|r| self.summary_row(r)).collect()
    }

    /// When each relationship from `src` was first seen, over every hour kept: (relationship,
    /// destination, Unix seconds).
    pub fn graph_first_sightings(&self, src: &str) -> Result<Vec<(Rel, String, i64)>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query(
            "SELECT rel, dst, min(first_seen) FROM graph_summaries WHERE src = ? GROUP BY rel, dst ORDER BY rel, dst",
            &vals![src],
        )?;
        rows.iter()
            .map(|r| {
                let rel = r.text(0)?;
                Ok((
                    Rel::parse(&rel).ok_or_else(|| bad(("graph relationship", rel.clone())))?,
                    r.text(1)?,
                    unix(&r.text(2)?).map_err(&bad)?,
                ))
            })
            .collect()
    }

    /// The profile of entity `id` (of `kind`, as the graph recorded it) over `scope`: its
    /// summaries of the scope and the baseline before it, with first sightings over every
    /// hour kept (not only since the baseline's start).
    pub fn graph_profile(&self, id: &str, kind: EntityKind, scope: ProfileScope) -> Result<Profile, StoreError> {
        let rows = self.graph_summaries(id, scope.baseline_from(), scope.to)?;
        let kind = if kind == EntityKind::Resource { EntityKind::of_id(id) } else { kind };
        let mut p = rampart_graph::profile(id, kind, &rows, scope);
        let first: std::collections::BTreeMap<(Rel, String), i64> =
            self.graph_first_sightings(id)?.into_iter().map(|(r, d, t)| ((r, d), t)).collect();
        let earliest = |rel: Rel, value: &str, shown: &mut String| {
            if let Some(t) = first.get(&(rel, value.to_string())) {
                let t = text_time(*t);
                if t < *shown {
                    *shown = t;
                }
            }
        };
        for c in &mut p.api_calls {
            earliest(Rel::ApiCall, &format!("{}:{}", c.service, c.action), &mut c.first_seen);
        }
        for (rel, list) in [(Rel::Ip, &mut p.ips), (Rel::UserAgent, &mut p.user_agents), (Rel::Resource, &mut p.resources)] {
            for s in list.iter_mut() {
                earliest(rel, &s.value, &mut s.first_seen);
            }
        }
        for r in p.related.iter_mut().filter(|r| r.direction == "out") {
            earliest(r.rel, &r.entity, &mut r.first_seen);
        }
        Ok(p)
    }

    /// Every summary, ordered by key: the whole graph (tests; small stores).
    pub fn graph_dump(&self) -> Result<Vec<Summary>, StoreError> {
        let rows = self.sql().query(&format!("SELECT {COLUMNS} FROM graph_summaries ORDER BY src, rel, dst, detail, hour"), &[])?;
        rows.iter().map(|r| self.summary_row(r)).collect()
    }

    /// How many summaries, entities and files the graph holds.
    pub fn graph_counts(&self) -> Result<(u64, u64, u64), StoreError> {
        let r = self.sql().query_one(
            "SELECT (SELECT count(*) FROM graph_summaries), (SELECT count(*) FROM graph_entities), (SELECT count(*) FROM graph_files)",
            &[],
        )?;
        Ok((r.int(0)?.max(0) as u64, r.int(1)?.max(0) as u64, r.int(2)?.max(0) as u64))
    }

    fn summary_row(&self, r: &Row) -> Result<Summary, StoreError> {
        let bad = corrupt(&self.path);
        let rel = r.text(1)?;
        let n = |i: usize| -> Result<u64, StoreError> { Ok(r.int(i)?.max(0) as u64) };
        Ok(Summary {
            src: r.text(0)?,
            rel: Rel::parse(&rel).ok_or_else(|| bad(("graph relationship", rel.clone())))?,
            dst: r.text(2)?,
            detail: r.text(3)?,
            hour: unix(&r.text(4)?).map_err(&bad)?,
            tally: Tally {
                count: n(5)?,
                success: n(6)?,
                failure: n(7)?,
                bytes: n(8)?,
                packets: n(9)?,
                first_seen: unix(&r.text(10)?).map_err(&bad)?,
                last_seen: unix(&r.text(11)?).map_err(&bad)?,
            },
        })
    }

    /// Forgets the summaries of hours before `before` (Unix seconds) and the entities last
    /// seen before it; returns how many summaries and entities.
    pub fn prune_graph(&mut self, before: i64) -> Result<(u64, u64), StoreError> {
        let before = text_time(before);
        self.db.tx(|sql| {
            let s = sql.execute("DELETE FROM graph_summaries WHERE hour < ?", &vals![before.as_str()])?;
            let e = sql.execute("DELETE FROM graph_entities WHERE last_seen < ?", &vals![before.as_str()])?;
            Ok((s, e))
        })
    }
}

const COLUMNS: &str = "src, rel, dst, detail, hour, count, success, failure, bytes, packets, first_seen, last_seen";

fn unix(text: &str) -> Result<i64, codec::Invalid> {
    codec::time_from_text(text).map(|t| t.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_graph::Summariser;

    fn batch(hour: i64, n: u64) -> Batch {
        let mut s = Summariser::new(100);
        for i in 0..n {
            s.add(
                "arn:aws:iam::111122223333:user/a",
                Rel::ApiCall,
                "ec2:DescribeInstances",
                "",
                Tally::one(hour * 3600 + i as i64, i % 2 == 0),
            );
        }
        s.entity("arn:aws:iam::111122223333:user/a", EntityKind::IamUser, hour * 3600);
        s.drain()
    }

    #[test]
    fn summaries_add_up_and_files_are_checkpointed_with_them() {
        let mut s = Store::open_in_memory().unwrap();
        s.graph_write(|w| w.add(&batch(500_000, 3))).unwrap();
        s.graph_write(|w| {
            w.add(&batch(500_000, 2))?;
            w.file_done(&GraphFile {
                source: "cloudtrail".into(),
                file: "f".into(),
                bytes: 1,
                records: 2,
                malformed: 0,
                error: None,
                ingested_at: Timestamp::now_utc(),
            })
        })
        .unwrap();
        let rows = s.graph_summaries("arn:aws:iam::111122223333:user/a", 0, i64::from(u32::MAX) * 10).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].tally.count, rows[0].tally.success, rows[0].tally.failure), (5, 3, 2));
        assert_eq!(rows[0].tally.last_seen, 500_000 * 3600 + 2);
        assert!(s.graph_is_ingested("cloudtrail", "f").unwrap());
        // A failed transaction keeps nothing.
        let e: Result<(), _> = s.graph_write(|w| {
            w.add(&batch(500_001, 1))?;
            Err(StoreError::InvalidUpdate("stop".into()))
        });
        assert!(e.is_err());
        assert_eq!(s.graph_dump().unwrap().len(), 1);
    }
}
