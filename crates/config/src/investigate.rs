//! `[investigate]`: the investigation graph's GeoIP databases, flagged-address lists and
//! numbers (`rampart investigate run|group|ingest|entity`; docs/investigate.md).

use serde::Deserialize;
use std::path::PathBuf;

/// Every field is optional; relative paths are read from the config file's folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Investigate {
    /// A MaxMind-format location database (GeoLite2-City or GeoLite2-Country `.mmdb`):
    /// country, city and coordinates of addresses. Without it, new geolocation and
    /// impossible travel are NOT_AVAILABLE.
    pub geoip_city: Option<PathBuf>,
    /// A MaxMind-format ASN database (GeoLite2-ASN `.mmdb`). Without it, new ASN is
    /// NOT_AVAILABLE.
    pub geoip_asn: Option<PathBuf>,
    /// Files of flagged addresses (Tor exit lists, feeds): one address or CIDR block a
    /// line, `#` comments. Without any, flagged IP address is NOT_AVAILABLE.
    pub flagged_ip_lists: Vec<PathBuf>,
    /// Impossible travel: a move between two calls' locations faster than this (km/h).
    /// Default 1000 (faster than an airliner's cruise).
    pub max_speed_kmh: u32,
    /// Finding groups: findings naming a common entity join one group when observed at
    /// most this many hours apart. Default 24.
    pub group_window_hours: u32,
}

impl Default for Investigate {
    fn default() -> Self {
        Investigate { geoip_city: None, geoip_asn: None, flagged_ip_lists: Vec::new(), max_speed_kmh: 1000, group_window_hours: 24 }
    }
}
