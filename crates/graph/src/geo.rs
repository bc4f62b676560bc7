//! Where an address is: country, city, coordinates and autonomous system, from a
//! user-supplied MaxMind-format database (GeoLite2-City or -Country, GeoLite2-ASN; the
//! `.mmdb` files MaxMind publishes), and lists of flagged addresses (Tor exit nodes, an
//! intelligence feed: one address or CIDR block a line).
//!
//! Pure: the caller reads the files and hands their bytes in ([`GeoDb::from_bytes`],
//! [`IpList::parse`]). Looking an address up never fails: an address the database does not
//! hold (a private one, say) has no place ([`Geo::is_empty`]); a database that is corrupt
//! where a lookup reads is the same as no answer, never a panic.

use serde::Serialize;
use std::net::IpAddr;

/// What the databases say of one address; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Geo {
    /// ISO 3166-1 alpha-2 (`US`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// How far off the coordinates may be (the database's `accuracy_radius`), kilometres.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy_km: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asn: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_org: Option<String>,
}

impl Geo {
    pub fn is_empty(&self) -> bool {
        self.country.is_none() && self.asn.is_none() && self.latitude.is_none()
    }

    /// `City, Country` or what of it is known.
    pub fn place(&self) -> String {
        let country = self.country_name.as_deref().or(self.country.as_deref());
        match (self.city.as_deref(), country) {
            (Some(c), Some(k)) => format!("{c}, {k}"),
            (None, Some(k)) => k.to_string(),
            (Some(c), None) => c.to_string(),
            (None, None) => "unknown place".to_string(),
        }
    }

    /// `AS64500 (Example Org)`.
    pub fn as_text(&self) -> Option<String> {
        self.asn.map(|n| match &self.as_org {
            Some(o) => format!("AS{n} ({o})"),
            None => format!("AS{n}"),
        })
    }

    fn coordinates(&self) -> Option<(f64, f64)> {
        Some((self.latitude?, self.longitude?))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{file}` is not a MaxMind DB file ({message}): give a GeoLite2-City, GeoLite2-Country or GeoLite2-ASN .mmdb")]
pub struct GeoDbError {
    pub file: String,
    pub message: String,
}

/// The databases given: a city (or country) database, an ASN database, or both.
pub struct GeoDb {
    city: Option<maxminddb::Reader<Vec<u8>>>,
    asn: Option<maxminddb::Reader<Vec<u8>>>,
    /// What was given, for messages: `GeoLite2-City (file)`.
    pub sources: Vec<String>,
}

impl std::fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoDb").field("sources", &self.sources).finish()
    }
}

fn open(file: &str, bytes: Vec<u8>) -> Result<(maxminddb::Reader<Vec<u8>>, String), GeoDbError> {
    let len = bytes.len();
    let bad = |message: String| GeoDbError { file: file.to_string(), message };
    let r = std::panic::catch_unwind(move || maxminddb::Reader::from_source(bytes))
        .map_err(|_| bad("its metadata cannot be read".into()))?
        .map_err(|e| bad(e.to_string()))?;
    let m = &r.metadata;
    if !matches!(m.record_size, 24 | 28 | 32) || !matches!(m.ip_version, 4 | 6) {
        return Err(bad(format!("record size {} and IP version {} are not MaxMind DB's", m.record_size, m.ip_version)));
    }
    if (m.node_count as usize).saturating_mul(m.record_size as usize) / 4 + 16 > len {
        return Err(bad("its search tree is longer than the file".into()));
    }
    let kind = m.database_type.clone();
    Ok((r, kind))
}

/// One lookup, a corrupt database's panic caught as no answer.
fn lookup<'a, T: serde::Deserialize<'a>>(r: &'a maxminddb::Reader<Vec<u8>>, ip: IpAddr) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.lookup::<T>(ip).ok())).ok().flatten()
}

impl GeoDb {
    /// The databases from their bytes (`file` names each in errors): `city` a GeoLite2-City
    /// or -Country database (or any holding `country`/`city`/`location`), `asn` a
    /// GeoLite2-ASN one. A city database given as `asn` (or the reverse) is refused.
    pub fn from_bytes(city: Option<(&str, Vec<u8>)>, asn: Option<(&str, Vec<u8>)>) -> Result<GeoDb, GeoDbError> {
        let mut sources = Vec::new();
        let city = match city {
            None => None,
            Some((file, bytes)) => {
                let (r, kind) = open(file, bytes)?;
                if kind.contains("ASN") {
                    return Err(GeoDbError {
                        file: file.into(),
                        message: format!("it is a {kind} database, given as the city/country database"),
                    });
                }
                sources.push(format!("{kind} ({file})"));
                Some(r)
            }
        };
        let asn = match asn {
            None => None,
            Some((file, bytes)) => {
                let (r, kind) = open(file, bytes)?;
                if !kind.contains("ASN") && !kind.contains("ISP") {
                    return Err(GeoDbError { file: file.into(), message: format!("it is a {kind} database, given as the ASN database") });
                }
                sources.push(format!("{kind} ({file})"));
                Some(r)
            }
        };
        Ok(GeoDb { city, asn, sources })
    }

    pub fn has_location(&self) -> bool {
        self.city.is_some()
    }

    pub fn has_asn(&self) -> bool {
        self.asn.is_some()
    }

    /// What the databases say of `ip` (empty when they hold nothing of it).
    pub fn lookup(&self, ip: IpAddr) -> Geo {
        let mut g = Geo::default();
        if let Some(r) = &self.city {
            if let Some(c) = lookup::<maxminddb::geoip2::City>(r, ip) {
                if let Some(k) = c.country.as_ref().or(c.registered_country.as_ref()) {
                    g.country = k.iso_code.map(str::to_string);
                    g.country_name = k.names.as_ref().and_then(|n| n.get("en")).map(|s| s.to_string());
                }
                g.city = c.city.as_ref().and_then(|c| c.names.as_ref()).and_then(|n| n.get("en")).map(|s| s.to_string());
                if let Some(l) = &c.location {
                    g.latitude = l.latitude.filter(|v| v.is_finite() && v.abs() <= 90.0);
                    g.longitude = l.longitude.filter(|v| v.is_finite() && v.abs() <= 180.0);
                    g.accuracy_km = l.accuracy_radius.map(u32::from);
                }
            }
        }
        if let Some(r) = &self.asn {
            if let Some(a) = lookup::<maxminddb::geoip2::Asn>(r, ip) {
                g.asn = a.autonomous_system_number;
                g.as_org = a.autonomous_system_organization.map(str::to_string);
            }
        }
        g
    }
}

/// Great-circle distance in kilometres (haversine, mean Earth radius 6,371 km).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// The distance between two places less both accuracy radii (never below 0): how far
/// apart they are at least.
pub fn min_distance_km(a: &Geo, b: &Geo) -> Option<f64> {
    let d = distance_km(a.coordinates()?, b.coordinates()?);
    let slack = f64::from(a.accuracy_km.unwrap_or(0)) + f64::from(b.accuracy_km.unwrap_or(0));
    Some((d - slack).max(0.0))
}

/// A CIDR block (an address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
        };
        Some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = if self.addr.is_ipv4() { 32 } else { 128 };
        if self.prefix == max {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// A list of flagged addresses: its name (the file's) and blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpList {
    pub name: String,
    pub entries: Vec<Cidr>,
}

impl IpList {
    /// One address or CIDR block a line; blank lines and `#` comments (whole-line or after
    /// an entry) are ignored. A line that is neither is an error: `line N: ...`.
    pub fn parse(name: &str, text: &str) -> Result<IpList, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match Cidr::parse(line) {
                Some(c) => entries.push(c),
                None => {
                    return Err(format!("line {}: `{}` is not an IP address or CIDR block (one a line; # starts a comment)", i + 1, crate::summary::clip(line)))
                }
            }
        }
        Ok(IpList { name: name.to_string(), entries })
    }

    /// The first entry holding `ip`.
    pub fn find(&self, ip: IpAddr) -> Option<&Cidr> {
        self.entries.iter().find(|c| c.contains(ip))
    }
}

/// A country or autonomous system an entity's calls came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// `US`, `AS64500`.
    pub value: String,
    /// `United States`, the AS organisation.
    pub name: String,
    /// Calls from it in the scope.
    pub calls: u64,
    /// The first sighting since the baseline's start, and the last in the scope.
    pub first_seen: String,
    pub last_seen: String,
    /// Seen in the scope and not in the baseline (never when the baseline has no data).
    pub new: bool,
    pub ips: Vec<String>,
}

/// The places of an entity's addresses over a scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Places {
    pub countries: Vec<Place>,
    pub asns: Vec<Place>,
    /// Each address of the scope that the databases hold something of.
    pub addresses: std::collections::BTreeMap<String, Geo>,
    /// Why countries or ASNs are absent (no database configured), if they are.
    pub not_available: Vec<String>,
}

/// Countries and ASNs of `entity`'s addresses (its `ip` summaries in `rows`) over `scope`,
/// each new when none of the baseline's addresses maps to it.
pub fn places(
    entity: &str,
    rows: &[crate::Summary],
    scope: crate::ProfileScope,
    geo: &std::collections::BTreeMap<String, Geo>,
    has_location: bool,
    has_asn: bool,
) -> Places {
    use std::collections::{BTreeMap, BTreeSet};
    let base_from = scope.baseline_from();
    let ip_rows: Vec<&crate::Summary> =
        rows.iter().filter(|s| s.src == entity && s.rel == crate::Rel::Ip && s.hour >= base_from && s.hour < scope.to).collect();
    let baseline_has_data = rows.iter().any(|s| (s.src == entity || s.dst == entity) && s.hour >= base_from && s.hour < scope.from);
    let mut addresses = BTreeMap::new();
    let list = |country: bool| -> Vec<Place> {
        let key = |ip: &str| -> Option<(String, String)> {
            let g = geo.get(ip)?;
            if country {
                g.country.clone().map(|c| (c, g.country_name.clone().unwrap_or_default()))
            } else {
                g.asn.map(|n| (format!("AS{n}"), g.as_org.clone().unwrap_or_default()))
            }
        };
        let mut base: BTreeSet<String> = BTreeSet::new();
        // value -> (name, calls, first (any), last (scope), scope ips)
        let mut m: BTreeMap<String, (String, u64, i64, i64, BTreeSet<String>)> = BTreeMap::new();
        for s in &ip_rows {
            let Some((v, name)) = key(&s.dst) else { continue };
            let in_scope = s.hour >= scope.from;
            if !in_scope {
                base.insert(v.clone());
            }
            let e = m.entry(v).or_insert((name, 0, s.tally.first_seen, i64::MIN, BTreeSet::new()));
            e.2 = e.2.min(s.tally.first_seen);
            if in_scope {
                e.1 += s.tally.count;
                e.3 = e.3.max(s.tally.last_seen);
                e.4.insert(s.dst.clone());
            }
        }
        let mut out: Vec<Place> = m
            .into_iter()
            .filter(|(_, e)| e.3 != i64::MIN)
            .map(|(v, (name, calls, first, last, ips))| Place {
                new: baseline_has_data && !base.contains(&v),
                value: v,
                name,
                calls,
                first_seen: crate::text_time(first),
                last_seen: crate::text_time(last),
                ips: ips.into_iter().collect(),
            })
            .collect();
        out.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.value.cmp(&b.value)));
        out
    };
    let countries = if has_location { list(true) } else { Vec::new() };
    let asns = if has_asn { list(false) } else { Vec::new() };
    for s in ip_rows.iter().filter(|s| s.hour >= scope.from) {
        if let Some(g) = geo.get(&s.dst) {
            addresses.insert(s.dst.clone(), g.clone());
        }
    }
    let mut not_available = Vec::new();
    if !has_location {
        not_available.push(crate::investigation::NO_CITY_DB.to_string());
    }
    if !has_asn {
        not_available.push(crate::investigation::NO_ASN_DB.to_string());
    }
    Places { countries, asns, addresses, not_available }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmdb::{asn_record, city_record, Writer};

    fn dbs() -> GeoDb {
        let mut c = Writer::new("GeoLite2-City");
        c.insert("198.51.100.0".parse().unwrap(), 24, &city_record("US", "United States", "New York", 40.71, -74.01, 20));
        c.insert("203.0.113.0".parse().unwrap(), 24, &city_record("AU", "Australia", "Sydney", -33.87, 151.21, 20));
        c.insert("2001:db8::".parse().unwrap(), 32, &city_record("DE", "Germany", "Frankfurt", 50.11, 8.68, 50));
        let mut a = Writer::new("GeoLite2-ASN");
        a.insert("198.51.100.0".parse().unwrap(), 24, &asn_record(64500, "Example Transit"));
        GeoDb::from_bytes(Some(("city.mmdb", c.to_bytes())), Some(("asn.mmdb", a.to_bytes()))).unwrap()
    }

    #[test]
    fn a_database_the_test_writes_is_read_back_by_the_maxminddb_crate() {
        let db = dbs();
        let ny = db.lookup("198.51.100.7".parse().unwrap());
        assert_eq!(ny.country.as_deref(), Some("US"));
        assert_eq!(ny.city.as_deref(), Some("New York"));
        assert_eq!((ny.asn, ny.as_org.as_deref()), (Some(64500), Some("Example Transit")));
        assert_eq!(ny.latitude, Some(40.71));
        assert_eq!(db.lookup("2001:db8::1".parse().unwrap()).country.as_deref(), Some("DE"));
        let syd = db.lookup("203.0.113.9".parse().unwrap());
        assert_eq!((syd.country.as_deref(), syd.asn), (Some("AU"), None));
        assert!(db.lookup("10.0.0.1".parse().unwrap()).is_empty());
        assert!(db.lookup("198.51.101.1".parse().unwrap()).is_empty(), "the next /24 is not in the database");
        let d = distance_km((40.71, -74.01), (-33.87, 151.21));
        assert!((15_980.0..16_010.0).contains(&d), "New York - Sydney is about 15,990 km: {d}");
        assert!((min_distance_km(&ny, &syd).unwrap() - (d - 40.0)).abs() < 1e-6);
    }

    #[test]
    fn bad_databases_are_refused_by_name_and_never_panic() {
        let e = GeoDb::from_bytes(Some(("x.mmdb", b"not a database".to_vec())), None).unwrap_err();
        assert!(e.to_string().contains("x.mmdb") && e.to_string().contains("GeoLite2"), "{e}");
        let mut a = Writer::new("GeoLite2-ASN");
        a.insert("198.51.100.0".parse().unwrap(), 24, &asn_record(1, "x"));
        let e = GeoDb::from_bytes(Some(("asn.mmdb", a.to_bytes())), None).unwrap_err();
        assert!(e.to_string().contains("GeoLite2-ASN database, given as the city"), "{e}");
        // Truncated: the tree is cut.
        let mut c = Writer::new("GeoLite2-City");
        c.insert("198.51.100.0".parse().unwrap(), 24, &city_record("US", "United States", "New York", 40.0, -74.0, 1));
        let bytes = c.to_bytes();
        let mut cut = bytes[..40].to_vec();
        cut.extend(&bytes[bytes.len() - 300.min(bytes.len())..]);
        if let Ok(db) = GeoDb::from_bytes(Some(("cut.mmdb", cut)), None) {
            let _ = db.lookup("198.51.100.1".parse().unwrap());
        }
    }

    #[test]
    fn flagged_lists_hold_addresses_and_blocks() {
        let l = IpList::parse("tor", "# Tor exits\n198.51.100.7\n\n203.0.113.0/25 # a block\n2001:db8::/32\n").unwrap();
        assert_eq!(l.entries.len(), 3);
        assert_eq!(l.find("198.51.100.7".parse().unwrap()).unwrap().to_string(), "198.51.100.7");
        assert_eq!(l.find("203.0.113.100".parse().unwrap()).unwrap().to_string(), "203.0.113.0/25");
        assert!(l.find("203.0.113.200".parse().unwrap()).is_none());
        assert!(l.find("2001:db8:1::5".parse().unwrap()).is_some());
        assert!(l.find("198.51.100.8".parse().unwrap()).is_none());
        let e = IpList::parse("tor", "1.2.3.4\nexit.example\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        assert!(IpList::parse("x", "10.0.0.0/33").is_err());
    }
}
