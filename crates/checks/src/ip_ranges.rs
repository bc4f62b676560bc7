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

    /// How many whole days the snapshot is older than `now` (0 when it is newer).
    pub fn age_days(&self, now: time::OffsetDateTime) -> i64 {
        let d = self.create_date.as_bytes();
        let num = |r: std::ops::Range<usize>| std::str::from_utf8(&d[r]).ok().and_then(|t| t.parse::<i32>().ok()).unwrap_or(0);
        let date =
            time::Month::try_from(num(5..7) as u8).ok().and_then(|m| time::Date::from_calendar_date(num(0..4), m, num(8..10) as u8).ok());
        match date {
            Some(date) => (now.date() - date).whole_days().max(0),
            // `parse` checked the shape; an impossible date (month 13) counts as stale.
            None => i64::MAX,
        }
    }

    /// Whether the snapshot is too old, at `now`, for "outside AWS's ranges" to mean "not
    /// AWS's": AWS publishes new ranges every few weeks.
    pub fn stale_at(&self, now: time::OffsetDateTime) -> bool {
        self.age_days(now) > STALE_AFTER_DAYS
    }
}

/// After how many days a snapshot no longer tells that an address is *not* AWS's.
pub const STALE_AFTER_DAYS: i64 = 90;

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
/// The snapshot bundled with this build: AWS's file of 2022-09-01, unchanged (where it comes
/// from, and why it is that old: `crates/checks/data/ip-ranges.NOTICE.md`). A newer one from
/// `rampart ip-ranges update` takes precedence; an old one still judges addresses inside AWS's
/// ranges, and checks treat addresses outside it as unknown once it is [`STALE_AFTER_DAYS`]
/// older than the scan ([`AwsIpRanges::stale_at`]).
pub fn bundled() -> Option<&'static AwsIpRanges> {
    static PARSED: std::sync::OnceLock<Option<AwsIpRanges>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| BUNDLED_TEXT.and_then(|t| AwsIpRanges::parse(t).ok())).as_ref()
}

/// The text of the bundled snapshot (see [`bundled`]).
const BUNDLED_TEXT: Option<&str> = Some(include_str!("../data/ip-ranges.json"));

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
        let b = bundled().expect("a snapshot is bundled");
        assert_eq!((b.date(), b.sync_token.as_str()), ("2022-09-01", "1662013390"));
        assert_eq!(b.len(), 7_098 + 1_495);
        // An address in a range AWS published that day.
        let services = |ip: &str| b.lookup(ip.parse().unwrap()).iter().map(|p| format!("{} {}", p.service, p.region)).collect::<Vec<_>>();
        assert!(services("3.5.140.1").contains(&"AMAZON ap-northeast-2".to_string()), "{:?}", services("3.5.140.1"));
        assert!(services("192.0.2.1").is_empty());
    }

    #[test]
    fn age_and_staleness() {
        let r = AwsIpRanges::parse(FIXTURE).unwrap();
        let at = |d: time::Date| d.with_hms(0, 0, 0).unwrap().assume_utc();
        use time::macros::date;
        assert_eq!(r.age_days(at(date!(2026 - 12 - 06))), 0);
        assert_eq!(r.age_days(at(date!(2026 - 01 - 01))), 0, "a snapshot newer than the scan is not old");
        assert_eq!(r.age_days(at(date!(2027 - 03 - 06))), 90);
        assert!(!r.stale_at(at(date!(2027 - 03 - 06))));
        assert!(r.stale_at(at(date!(2027 - 03 - 07))));
    }
}
