//! A minimal writer of MaxMind DB files (format 2.0, <https://maxmind.github.io/MaxMind-DB/>),
//! so tests can build the small GeoIP databases they look addresses up in. Not a general
//! writer: networks must not overlap, and the values are what `GeoLite2-City`,
//! `GeoLite2-Country` and `GeoLite2-ASN` hold (maps, strings, unsigned integers, doubles).
//!
//! The file is an IPv6 search tree (IPv4 networks at `::a.b.c.d/96+n`, as MaxMind's own
//! databases place them) with 32-bit records, the 16 zero bytes that separate it from the
//! data section, the data section, and the metadata after `\xAB\xCD\xEFMaxMind.com`.

use std::net::IpAddr;

/// A value of the data section.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Double(f64),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(String, Value)>),
    Array(Vec<Value>),
}

impl Value {
    pub fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    pub fn text(s: &str) -> Value {
        Value::String(s.to_string())
    }

    fn encode(&self, out: &mut Vec<u8>) {
        fn head(out: &mut Vec<u8>, kind: u8, size: usize) {
            let (low, extra): (u8, Vec<u8>) = match size {
                0..=28 => (size as u8, vec![]),
                29..=284 => (29, vec![(size - 29) as u8]),
                285..=65_820 => (30, ((size - 285) as u16).to_be_bytes().to_vec()),
                _ => (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec()),
            };
            if kind <= 7 {
                out.push(kind << 5 | low);
            } else {
                out.push(low);
                out.push(kind - 7);
            }
            out.extend(extra);
        }
        fn uint(out: &mut Vec<u8>, kind: u8, v: u64) {
            let bytes = v.to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            head(out, kind, 8 - skip);
            out.extend(&bytes[skip..]);
        }
        match self {
            Value::String(s) => {
                head(out, 2, s.len());
                out.extend(s.as_bytes());
            }
            Value::Double(d) => {
                head(out, 3, 8);
                out.extend(d.to_be_bytes());
            }
            Value::U16(v) => uint(out, 5, u64::from(*v)),
            Value::U32(v) => uint(out, 6, u64::from(*v)),
            Value::U64(v) => uint(out, 9, *v),
            Value::Map(pairs) => {
                head(out, 7, pairs.len());
                for (k, v) in pairs {
                    Value::String(k.clone()).encode(out);
                    v.encode(out);
                }
            }
            Value::Array(items) => {
                head(out, 11, items.len());
                for v in items {
                    v.encode(out);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Record {
    Empty,
    Node(usize),
    Data(usize),
}

/// Networks and their values, written as one MaxMind DB file.
pub struct Writer {
    database_type: String,
    nodes: Vec<[Record; 2]>,
    data: Vec<u8>,
}

impl Writer {
    /// `database_type`: `GeoLite2-City`, `GeoLite2-ASN`...
    pub fn new(database_type: &str) -> Writer {
        Writer { database_type: database_type.to_string(), nodes: vec![[Record::Empty; 2]], data: Vec::new() }
    }

    /// Maps the network `addr/prefix` to `value` (networks must not overlap).
    pub fn insert(&mut self, addr: IpAddr, prefix: u8, value: &Value) {
        let (bits, len): (u128, u32) = match addr {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 96 + u32::from(prefix.min(32))),
            IpAddr::V6(a) => (u128::from(a), u32::from(prefix.min(128))),
        };
        let offset = self.data.len();
        value.encode(&mut self.data);
        let bit = |i: u32| ((bits >> (127 - i)) & 1) as usize;
        let mut node = 0usize;
        for i in 0..len.max(1) - 1 {
            let b = bit(i);
            node = match self.nodes[node][b] {
                Record::Node(n) => n,
                _ => {
                    self.nodes.push([Record::Empty; 2]);
                    let n = self.nodes.len() - 1;
                    self.nodes[node][b] = Record::Node(n);
                    n
                }
            };
        }
        self.nodes[node][bit(len.max(1) - 1)] = Record::Data(offset);
    }

    /// The whole file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let count = self.nodes.len();
        let mut out = Vec::with_capacity(count * 8 + 16 + self.data.len() + 256);
        for node in &self.nodes {
            for r in node {
                let v = match *r {
                    Record::Empty => count,
                    Record::Node(n) => n,
                    Record::Data(off) => count + 16 + off,
                };
                out.extend((v as u32).to_be_bytes());
            }
        }
        out.extend([0u8; 16]);
        out.extend(&self.data);
        out.extend(b"\xAB\xCD\xEFMaxMind.com");
        Value::map(&[
            ("node_count", Value::U32(count as u32)),
            ("record_size", Value::U16(32)),
            ("ip_version", Value::U16(6)),
            ("database_type", Value::text(&self.database_type)),
            ("languages", Value::Array(vec![Value::text("en")])),
            ("binary_format_major_version", Value::U16(2)),
            ("binary_format_minor_version", Value::U16(0)),
            ("build_epoch", Value::U64(1_700_000_000)),
            ("description", Value::map(&[("en", Value::text("Rampart test database"))])),
        ])
        .encode(&mut out);
        out
    }
}

/// A `GeoLite2-City` record: country (ISO code and English name), city, location.
pub fn city_record(iso: &str, country: &str, city: &str, latitude: f64, longitude: f64, accuracy_km: u16) -> Value {
    Value::map(&[
        ("city", Value::map(&[("names", Value::map(&[("en", Value::text(city))]))])),
        ("country", Value::map(&[("iso_code", Value::text(iso)), ("names", Value::map(&[("en", Value::text(country))]))])),
        (
            "location",
            Value::map(&[
                ("accuracy_radius", Value::U16(accuracy_km)),
                ("latitude", Value::Double(latitude)),
                ("longitude", Value::Double(longitude)),
            ]),
        ),
    ])
}

/// A `GeoLite2-ASN` record.
pub fn asn_record(number: u32, organization: &str) -> Value {
    Value::map(&[
        ("autonomous_system_number", Value::U32(number)),
        ("autonomous_system_organization", Value::text(organization)),
    ])
}
