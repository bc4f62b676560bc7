//! Where the graph's addresses are (issue 13): each IP address entity located once, at
//! the ingest that first sees it with GeoIP databases configured, so an investigation
//! reads where an address was when it was used (a location database changes monthly).
//! The location is `rampart-graph`'s [`Geo`], kept as JSON; an address the databases hold
//! nothing of is kept as `{}` (not looked up again by each ingest).

use crate::codec;
use crate::error::StoreError;
use crate::graph::ROWS_PER_STATEMENT;
use crate::sql::vals;
use crate::store::{corrupt, Store};
use rampart_graph::geo::Geo;
use rampart_model::Timestamp;
use std::collections::BTreeMap;

impl Store {
    /// Addresses of the graph not located yet, after `after` in id order, at most `limit`.
    pub fn graph_unlocated_ips(&self, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let rows = self.sql().query(
            &format!(
                "SELECT id FROM graph_entities e WHERE kind = 'ip_address' AND id > ?
                 AND NOT EXISTS (SELECT 1 FROM graph_geo g WHERE g.ip = e.id) ORDER BY id LIMIT {}",
                limit.clamp(1, 100_000)
            ),
            &vals![after],
        )?;
        rows.iter().map(|r| r.text(0)).collect()
    }

    /// Records where addresses are (`source`: the databases that said so); an address
    /// located already keeps its first location (where it was when first seen).
    pub fn graph_set_geo(&mut self, located: &[(String, Geo)], source: &str, at: Timestamp) -> Result<(), StoreError> {
        let at = codec::time_to_text(codec::truncate(at));
        self.db.tx(|sql| {
            for chunk in located.chunks(ROWS_PER_STATEMENT) {
                let rows = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
                let mut args = Vec::with_capacity(chunk.len() * 4);
                for (ip, g) in chunk {
                    let json = serde_json::to_string(g).unwrap_or_else(|_| "{}".into());
                    args.extend(vals![ip.as_str(), json, source, at.as_str()]);
                }
                sql.execute(&format!("INSERT INTO graph_geo (ip, geo, source, located_at) VALUES {rows} ON CONFLICT (ip) DO NOTHING"), &args)?;
            }
            Ok(())
        })
    }

    /// Where the addresses of `ips` are, of those located (at ingest): address → (location,
    /// the databases that said so).
    pub fn graph_geo(&self, ips: &[String]) -> Result<BTreeMap<String, (Geo, String)>, StoreError> {
        let bad = corrupt(&self.path);
        let mut out = BTreeMap::new();
        for chunk in ips.chunks(ROWS_PER_STATEMENT) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let args: Vec<_> = chunk.iter().flat_map(|ip| vals![ip.as_str()]).collect();
            for r in self.sql().query(&format!("SELECT ip, geo, source FROM graph_geo WHERE ip IN ({marks})"), &args)? {
                let geo: Geo = serde_json::from_str(&r.text(1)?).map_err(|e| bad(("graph location", e.to_string())))?;
                out.insert(r.text(0)?, (geo, r.text(2)?));
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Forgets the locations of addresses the graph no longer holds (after retention).
    pub fn graph_prune_geo(&mut self) -> Result<u64, StoreError> {
        self.db.tx(|sql| sql.execute("DELETE FROM graph_geo WHERE NOT EXISTS (SELECT 1 FROM graph_entities e WHERE e.id = graph_geo.ip)", &[]))
    }
}
