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
use crate::error::{sql, StoreError};
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use rusqlite::{params, OptionalExtension};
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
    /// resources. A part that is an error stops the recording and stores nothing.
    pub fn record_inventory_parts(
        &mut self,
        run_id: &str,
        collected_at: Timestamp,
        head: &[u8],
        parts: impl IntoIterator<Item = Result<(Vec<u8>, Vec<InventoryResource>), StoreError>>,
        tail: &[u8],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = sql(&path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction().map_err(&err)?;
        tx.execute("DELETE FROM inventories WHERE run_id = ?1", [run_id]).map_err(&err)?;
        tx.execute(
            "INSERT INTO inventories (run_id, seq, collected_at, recorded_at, encoding, json_bytes, snapshot)
             VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM inventories), ?2, ?3, 'gzip+json', 0, x'')",
            params![
                run_id,
                codec::time_to_text(codec::truncate(collected_at)),
                codec::time_to_text(codec::truncate(time::OffsetDateTime::now_utc())),
            ],
        )
        .map_err(&err)?;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Invariant: writing into memory cannot fail.
        let mut put = |bytes: &[u8]| enc.write_all(bytes).expect("compressing into memory");
        let mut json_bytes = head.len() + tail.len();
        put(head);
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO inventory_resources (run_id, arn, id, type, account, region, name, pointer)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
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
                for r in &resources {
                    insert.execute(params![run_id, r.arn, r.id, r.kind, r.account, r.region, r.name, r.pointer]).map_err(&err)?;
                }
            }
        }
        put(tail);
        let packed = enc.finish().expect("compressing into memory");
        tx.execute("UPDATE inventories SET json_bytes = ?2, snapshot = ?3 WHERE run_id = ?1", params![run_id, json_bytes as i64, packed])
            .map_err(&err)?;
        tx.execute(
            "DELETE FROM inventories WHERE seq NOT IN (SELECT seq FROM inventories ORDER BY seq DESC LIMIT ?1)",
            [INVENTORIES_KEPT as i64],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
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
        let err = sql(&self.path);
        let mut stmt = self
            .lite()?
            .prepare(
                "SELECT i.run_id, i.collected_at, i.recorded_at, i.json_bytes, length(i.snapshot),
                        (SELECT count(*) FROM inventory_resources r WHERE r.run_id = i.run_id)
                 FROM inventories i ORDER BY i.seq DESC LIMIT ?1",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([limit.map_or(-1, |l| l as i64)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (run_id, collected, recorded, json_bytes, stored, resources) = row.map_err(&err)?;
            out.push(InventoryInfo {
                run_id,
                collected_at: codec::time_from_text(&collected).map_err(corrupt(&self.path))?,
                recorded_at: codec::time_from_text(&recorded).map_err(corrupt(&self.path))?,
                json_bytes: json_bytes.max(0) as u64,
                stored_bytes: stored.max(0) as u64,
                resources: resources.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// The snapshot JSON of run `run_id`'s inventory, or `None` when none is kept.
    pub fn inventory_json(&self, run_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let got: Option<(String, Vec<u8>)> = self
            .lite()?
            .query_row("SELECT encoding, snapshot FROM inventories WHERE run_id = ?1", [run_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql(&self.path))?;
        let Some((encoding, packed)) = got else { return Ok(None) };
        let bad = |why: String| StoreError::Corrupt {
            path: self.path.clone(),
            what: "inventory snapshot",
            value: format!("run {run_id}: {why}"),
        };
        if encoding != "gzip+json" {
            return Err(bad(format!("unknown encoding `{encoding}`")));
        }
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
        let err = sql(&self.path);
        let cond = "r.run_id = ?1 AND (?2 IS NULL OR r.type = ?2) AND (?3 IS NULL OR r.account = ?3) AND (?4 IS NULL OR r.region = ?4)";
        let total: i64 = self
            .lite()?
            .query_row(
                &format!("SELECT count(*) FROM inventory_resources r WHERE {cond}"),
                params![run_id, filter.kind, filter.account, filter.region],
                |r| r.get(0),
            )
            .map_err(&err)?;
        let mut stmt = self
            .lite()?
            .prepare(&format!(
                "SELECT r.arn, r.id, r.type, r.account, r.region, r.name, r.pointer,
                        (SELECT count(*) FROM findings f WHERE f.resource_id = r.arn AND f.status = 'FAILED'
                           AND f.record_state = 'ACTIVE' AND f.product_arn IS NULL)
                 FROM inventory_resources r WHERE {cond} AND (?5 IS NULL OR r.arn > ?5) ORDER BY r.arn LIMIT ?6"
            ))
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![run_id, filter.kind, filter.account, filter.region, after, limit as i64 + 1], |r| {
                Ok(ResourceRow { resource: resource_from_row(r)?, failed: r.get::<_, i64>(7)?.max(0) as u64 })
            })
            .map_err(&err)?;
        let mut resources = rows.collect::<Result<Vec<_>, _>>().map_err(&err)?;
        let next = (resources.len() > limit).then(|| {
            resources.truncate(limit);
            resources.last().map(|r| r.resource.arn.clone()).unwrap_or_default()
        });
        Ok(ResourcePage { resources, total: total.max(0) as u64, next })
    }

    /// One resource of run `run_id`'s inventory, by its ARN or its own id.
    pub fn inventory_resource(&self, run_id: &str, arn_or_id: &str) -> Result<Option<InventoryResource>, StoreError> {
        self.lite()?
            .query_row(
                "SELECT arn, id, type, account, region, name, pointer FROM inventory_resources
                 WHERE run_id = ?1 AND (arn = ?2 OR id = ?2) ORDER BY arn = ?2 DESC, arn LIMIT 1",
                params![run_id, arn_or_id],
                resource_from_row,
            )
            .optional()
            .map_err(sql(&self.path))
    }

    /// The types, accounts and regions of run `run_id`'s resources, each with its count.
    pub fn inventory_facets(&self, run_id: &str) -> Result<(Facet, Facet, Facet), StoreError> {
        let facet = |column: &str| -> Result<Facet, StoreError> {
            let err = sql(&self.path);
            let mut stmt = self
                .lite()?
                .prepare(&format!(
                    "SELECT {column}, count(*) FROM inventory_resources WHERE run_id = ?1 GROUP BY {column} ORDER BY {column}"
                ))
                .map_err(&err)?;
            let rows = stmt.query_map([run_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))).map_err(&err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(&err)
        };
        Ok((facet("type")?, facet("account")?, facet("region")?))
    }
}

fn resource_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InventoryResource> {
    Ok(InventoryResource {
        arn: r.get(0)?,
        id: r.get(1)?,
        kind: r.get(2)?,
        account: r.get(3)?,
        region: r.get(4)?,
        name: r.get(5)?,
        pointer: r.get(6)?,
    })
}
