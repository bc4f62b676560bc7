//! The inventory of each run: the snapshot of the estate a scan checked, kept so that the
//! server can browse every resource (not only those with findings) and answer
//! reachability questions without collecting again.
//!
//! The snapshot is stored as gzip-compressed JSON (its own schema is the inventory
//! crate's; the store keeps the bytes it is given and gives them back). Beside it, one row
//! per resource (what the caller enumerated: the id findings give it, its type, account,
//! region, name and where it is in the snapshot) makes the resources listable and
//! filterable without reading the snapshot.
//!
//! Retention: the [`INVENTORIES_KEPT`] most recently recorded inventories are kept;
//! recording one more deletes the oldest (its run and findings stay).

use crate::codec;
use crate::error::StoreError;
use crate::sql::{vals, Row, Sql};
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use rusqlite::types::Value as SqlValue;
use std::io::{Read, Write};

/// How many inventories the store keeps: the latest ones recorded.
pub const INVENTORIES_KEPT: usize = 10;

/// The most resources one page lists.
pub const MAX_RESOURCES_PAGE: usize = 500;

/// A resource of an inventory, as the caller enumerated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryResource {
    /// The id findings give the resource: its ARN where it has one.
    pub arn: String,
    /// Its own id or name (`i-0abc`, a bucket's name).
    pub id: String,
    /// The ASFF type (`AwsEc2Instance`), or the snapshot's collection (`ec2.route_tables`)
    /// for a kind ASFF does not name.
    pub kind: String,
    pub account: String,
    pub region: String,
    pub name: String,
    /// A JSON pointer (RFC 6901) to the resource in the snapshot.
    pub pointer: String,
}

/// A resource of a listing, with how many of rampart's active findings of it FAILED.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    pub resource: InventoryResource,
    pub failed: u64,
}

/// A recorded inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryInfo {
    pub run_id: String,
    pub collected_at: Timestamp,
    pub recorded_at: Timestamp,
    /// The snapshot's JSON size, and what the store keeps of it (compressed).
    pub json_bytes: u64,
    pub stored_bytes: u64,
    pub resources: u64,
}

/// Which resources of an inventory to list: every given field must equal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceFilter {
    pub kind: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

/// One page of resources (ordered by `arn`), how many the filter selects, and where the
/// next page starts (pass it as `after`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePage {
    pub resources: Vec<ResourceRow>,
    pub total: u64,
    pub next: Option<String>,
}

/// The values of one column of an inventory's resources with their counts (for filters).
pub type Facet = Vec<(String, u64)>;

/// At most this many bytes of JSON are inflated: a snapshot larger than 2 GiB was never
/// written by this store.
const MAX_INFLATED: u64 = 2 << 30;

/// Resources inserted per statement (8 values each: below SQLite's and PostgreSQL's
/// limits on a statement's parameters).
const RESOURCES_PER_INSERT: usize = 500;

/// The columns of a resource, in [`resource_from_row`]'s order.
const RESOURCE_COLUMNS: &str = r#"arn, id, "type", account, region, name, pointer"#;

/// Inserts `resources` of run `run_id`, [`RESOURCES_PER_INSERT`] rows per statement; a
/// resource given twice (by ARN) is kept once, the first.
fn insert_resources(db: &dyn Sql, run_id: &str, resources: &[InventoryResource]) -> Result<(), StoreError> {
    for chunk in resources.chunks(RESOURCES_PER_INSERT) {
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let mut values = Vec::with_capacity(chunk.len() * 8);
        for r in chunk {
            values.extend(vals![run_id, &r.arn, &r.id, &r.kind, &r.account, &r.region, &r.name, &r.pointer]);
        }
        db.execute(
            &format!(
                r#"INSERT INTO inventory_resources (run_id, arn, id, "type", account, region, name, pointer) VALUES {rows}
                   ON CONFLICT (run_id, arn) DO NOTHING"#
            ),
            &values,
        )?;
    }
    Ok(())
}

impl Store {
    /// Records the inventory of run `run_id` (which must be recorded): its snapshot JSON
    /// and its resources. Recording it again replaces it. Keeps the [`INVENTORIES_KEPT`]
    /// latest inventories and deletes older ones, in the same transaction.
    pub fn record_inventory(
        &mut self,
        run_id: &str,
        collected_at: Timestamp,
        json: &[u8],
        resources: &[InventoryResource],
    ) -> Result<(), StoreError> {
        let part = Ok((Vec::new(), resources.to_vec()));
        self.record_inventory_parts(run_id, collected_at, json, std::iter::once(part), b"")
    }

    /// [`Store::record_inventory`] given in parts, compressed as they come so that the
    /// whole snapshot is never in memory: the snapshot's JSON is `head`, the parts' JSON
    /// separated by commas (empty ones left out), then `tail`; each part brings its
    /// resources (written as it comes, then dropped). A part that is an error stops the
    /// recording and stores nothing.
    pub fn record_inventory_parts(
        &mut self,
        run_id: &str,
        collected_at: Timestamp,
        head: &[u8],
        parts: impl IntoIterator<Item = Result<(Vec<u8>, Vec<InventoryResource>), StoreError>>,
        tail: &[u8],
    ) -> Result<(), StoreError> {
        self.db.tx(|tx| {
            // One recording at a time: each takes the next `seq` (on PostgreSQL two
            // recordings at once would both take the same one).
            if let Some(lock) = tx.dialect().lock_for_writes("inventories") {
                tx.execute(&lock, &[])?;
            }
            tx.execute("DELETE FROM inventories WHERE run_id = ?", &vals![run_id])?;
            tx.execute(
                "INSERT INTO inventories (run_id, seq, collected_at, recorded_at, encoding, json_bytes, snapshot)
                 VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM inventories), ?, ?, 'gzip+json', 0, ?)",
                &vals![
                    run_id,
                    codec::time_to_text(codec::truncate(collected_at)),
                    codec::time_to_text(codec::truncate(time::OffsetDateTime::now_utc())),
                    Vec::<u8>::new(),
                ],
            )?;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            // Invariant: writing into memory cannot fail.
            let mut put = |bytes: &[u8]| enc.write_all(bytes).expect("compressing into memory");
            let mut json_bytes = head.len() + tail.len();
            put(head);
            let mut first = true;
            for part in parts {
                let (json, resources) = part?;
                if !json.is_empty() {
                    if !first {
                        put(b",");
                        json_bytes += 1;
                    }
                    first = false;
                    put(&json);
                    json_bytes += json.len();
                }
                insert_resources(tx, run_id, &resources)?;
            }
            put(tail);
            let packed = enc.finish().expect("compressing into memory");
            tx.execute("UPDATE inventories SET json_bytes = ?, snapshot = ? WHERE run_id = ?", &vals![json_bytes, packed, run_id])?;
            tx.execute(
                "DELETE FROM inventories WHERE seq NOT IN (SELECT seq FROM inventories ORDER BY seq DESC LIMIT ?)",
                &vals![INVENTORIES_KEPT],
            )?;
            Ok(())
        })
    }

    /// The recorded inventories, latest first.
    pub fn inventories(&self) -> Result<Vec<InventoryInfo>, StoreError> {
        self.inventory_infos(None)
    }

    /// The latest recorded inventory, if any.
    pub fn latest_inventory(&self) -> Result<Option<InventoryInfo>, StoreError> {
        Ok(self.inventory_infos(Some(1))?.into_iter().next())
    }

    fn inventory_infos(&self, limit: Option<usize>) -> Result<Vec<InventoryInfo>, StoreError> {
        let limit = limit.map_or(String::new(), |l| format!("LIMIT {l}"));
        let rows = self.sql().query(
            &format!(
                "SELECT i.run_id, i.collected_at, i.recorded_at, i.json_bytes, length(i.snapshot),
                        (SELECT count(*) FROM inventory_resources r WHERE r.run_id = i.run_id)
                 FROM inventories i ORDER BY i.seq DESC {limit}"
            ),
            &[],
        )?;
        let bad = corrupt(&self.path);
        rows.iter()
            .map(|row| {
                Ok(InventoryInfo {
                    run_id: row.text(0)?,
                    collected_at: codec::time_from_text(&row.text(1)?).map_err(&bad)?,
                    recorded_at: codec::time_from_text(&row.text(2)?).map_err(&bad)?,
                    json_bytes: row.int(3)?.max(0) as u64,
                    stored_bytes: row.int(4)?.max(0) as u64,
                    resources: row.int(5)?.max(0) as u64,
                })
            })
            .collect()
    }

    /// The snapshot JSON of run `run_id`'s inventory, or `None` when none is kept.
    pub fn inventory_json(&self, run_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(mut row) = self.sql().query_opt("SELECT encoding, snapshot FROM inventories WHERE run_id = ?", &vals![run_id])? else {
            return Ok(None);
        };
        let bad = |why: String| StoreError::Corrupt {
            path: self.path.clone(),
            what: "inventory snapshot",
            value: format!("run {run_id}: {why}"),
        };
        let encoding = row.text(0)?;
        if encoding != "gzip+json" {
            return Err(bad(format!("unknown encoding `{encoding}`")));
        }
        // Taken out of the row, not copied: a large estate's snapshot is tens of MiB.
        let packed = match row.0.get_mut(1).map(|v| std::mem::replace(v, SqlValue::Null)) {
            Some(SqlValue::Blob(b)) => b,
            other => return Err(bad(format!("the snapshot is not bytes: {:?}", other.map(|v| v.data_type())))),
        };
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(packed.as_slice()).take(MAX_INFLATED).read_to_end(&mut json).map_err(|e| bad(e.to_string()))?;
        Ok(Some(json))
    }

    /// One page of run `run_id`'s resources that `filter` selects, ordered by ARN, from
    /// after `after` (the previous page's `next`), at most `limit` (1 to
    /// [`MAX_RESOURCES_PAGE`]; others are brought into that range); each with the number of rampart's ACTIVE findings of it
    /// that FAILED.
    pub fn inventory_resources(
        &self,
        run_id: &str,
        filter: &ResourceFilter,
        after: Option<&str>,
        limit: usize,
    ) -> Result<ResourcePage, StoreError> {
        let limit = limit.clamp(1, MAX_RESOURCES_PAGE);
        let mut cond = String::from("r.run_id = ?");
        let mut args = vals![run_id];
        for (column, value) in [(r#"r."type""#, &filter.kind), ("r.account", &filter.account), ("r.region", &filter.region)] {
            if let Some(v) = value {
                cond.push_str(&format!(" AND {column} = ?"));
                args.push(SqlValue::Text(v.clone()));
            }
        }
        let total = self.sql().query_one(&format!("SELECT count(*) FROM inventory_resources r WHERE {cond}"), &args)?.int(0)?;
        if let Some(a) = after {
            cond.push_str(" AND r.arn > ?");
            args.push(SqlValue::Text(a.to_string()));
        }
        let rows = self.sql().query(
            &format!(
                "SELECT r.arn, r.id, r.\"type\", r.account, r.region, r.name, r.pointer,
                        (SELECT count(*) FROM findings f WHERE f.resource_id = r.arn AND f.status = 'FAILED'
                           AND f.record_state = 'ACTIVE' AND f.product_arn IS NULL)
                 FROM inventory_resources r WHERE {cond} ORDER BY r.arn LIMIT {}",
                limit + 1
            ),
            &args,
        )?;
        let mut resources = rows
            .iter()
            .map(|row| Ok(ResourceRow { resource: resource_from_row(row)?, failed: row.int(7)?.max(0) as u64 }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let next = (resources.len() > limit).then(|| {
            resources.truncate(limit);
            resources.last().map(|r| r.resource.arn.clone()).unwrap_or_default()
        });
        Ok(ResourcePage { resources, total: total.max(0) as u64, next })
    }

    /// One resource of run `run_id`'s inventory, by its ARN or its own id.
    pub fn inventory_resource(&self, run_id: &str, arn_or_id: &str) -> Result<Option<InventoryResource>, StoreError> {
        // The resource whose ARN it is, else the first (by ARN) whose own id it is.
        let row = self.sql().query_opt(
            &format!(
                "SELECT {RESOURCE_COLUMNS} FROM inventory_resources WHERE run_id = ? AND (arn = ? OR id = ?)
                 ORDER BY CASE WHEN arn = ? THEN 0 ELSE 1 END, arn LIMIT 1"
            ),
            &vals![run_id, arn_or_id, arn_or_id, arn_or_id],
        )?;
        row.map(|r| resource_from_row(&r)).transpose()
    }

    /// The types, accounts and regions of run `run_id`'s resources, each with its count.
    pub fn inventory_facets(&self, run_id: &str) -> Result<(Facet, Facet, Facet), StoreError> {
        let facet = |column: &str| -> Result<Facet, StoreError> {
            let rows = self.sql().query(
                &format!("SELECT {column}, count(*) FROM inventory_resources WHERE run_id = ? GROUP BY {column} ORDER BY {column}"),
                &vals![run_id],
            )?;
            rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?.max(0) as u64))).collect()
        };
        Ok((facet(r#""type""#)?, facet("account")?, facet("region")?))
    }
}

fn resource_from_row(r: &Row) -> Result<InventoryResource, StoreError> {
    Ok(InventoryResource {
        arn: r.text(0)?,
        id: r.text(1)?,
        kind: r.text(2)?,
        account: r.text(3)?,
        region: r.text(4)?,
        name: r.text(5)?,
        pointer: r.text(6)?,
    })
}
