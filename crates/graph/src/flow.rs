//! VPC Flow Logs, read line by line and summarised per instance, peer and port.
//!
//! A flow log file delivered to S3 starts with a header line naming its fields (AWS's "Flow
//! log records": `version account-id interface-id srcaddr dstaddr srcport dstport protocol
//! packets bytes start end action log-status` is the default version-2 format; custom
//! formats choose among the fields of versions 2 to 5 and later, in any order). A file
//! without a header is read as the default format when its first record has the default's
//! 14 fields and version 2. Fields are separated by spaces; `-` is a field without a value.
//! Files are plain text or gzip (`.log`, `.log.gz`), told apart by their first bytes, and
//! inflated as they are read, at most a bound of bytes.
//!
//! Records whose `log-status` is `NODATA` or `SKIPDATA` carry no flow: counted, not
//! summarised. A line that does not read (a wrong number of fields, a number or address
//! that is not one, no action) is [`Malformed`] with its line number; the rest is read.
//!
//! **Summaries.** A flow belongs to the instance (`instance-id`, versions 3 and later) or,
//! when the format does not name it, to the network interface (`interface-id`). Its
//! direction is the record's `flow-direction` (version 5) when the format has it; else it
//! is found from the interface's own address: the one address common to every record of
//! that interface in the file (when two remain, the one private address of the two), found
//! by a first pass over the file; where none is found the direction is `?` and the peer is
//! the destination. The peer is the source of an ingress flow and the destination of an
//! egress flow. The port is the service's: the lower of the two ports for TCP, UDP and SCTP,
//! 0 for protocols without ports (ICMP). One [`Rel::Flow`] summary per instance, peer,
//! direction, protocol, port and action and hour (of the record's `start`): records, bytes,
//! packets, ACCEPT as success, REJECT as failure.

use rampart_cloudtrail::Bounded;
use crate::summary::{EntityKind, Rel, Summariser, Tally};
use crate::Malformed;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::IpAddr;

/// At most this many bytes are inflated from one flow log file (S3 delivery rolls files
/// at 75 MB compressed, text compresses about tenfold).
pub const MAX_INFLATED: u64 = 4 << 30;

/// Longer lines are malformed (a record of every field of version 8 is under 2 KiB).
pub const MAX_LINE: usize = 16 << 10;

/// The fields of the default format (version 2), in order.
pub const DEFAULT_FIELDS: [&str; 14] = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
];

/// Every field name AWS documents (versions 2 to 8), for telling a header line from a record.
const KNOWN_FIELDS: &[&str] = &[
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "tcp-flags",
    "type",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "region",
    "az-id",
    "sublocation-type",
    "sublocation-id",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
    "flow-direction",
    "traffic-path",
    "ecs-cluster-arn",
    "ecs-cluster-name",
    "ecs-container-instance-arn",
    "ecs-container-instance-id",
    "ecs-container-id",
    "ecs-second-container-id",
    "ecs-service-name",
    "ecs-task-definition-arn",
    "ecs-task-arn",
    "ecs-task-id",
    "reject-reason",
];

/// A flow log file that could not be read (as a whole, or from some point on).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowFileError {
    #[error("`{file}` could not be read: {message}")]
    Read { file: String, message: String },
    #[error("`{file}` inflates to more than {limit} bytes: not a flow log file")]
    TooLarge { file: String, limit: u64 },
    #[error("`{file}`: {message}")]
    Format { file: String, message: String },
}

/// The fields of a file, by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowFormat {
    /// The field names in order (the header's, or the default format's).
    pub fields: Vec<String>,
    /// Whether the file had a header line.
    pub header: bool,
    at: Positions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Positions {
    version: Option<usize>,
    interface: Option<usize>,
    instance: Option<usize>,
    srcaddr: Option<usize>,
    dstaddr: Option<usize>,
    srcport: Option<usize>,
    dstport: Option<usize>,
    protocol: Option<usize>,
    packets: Option<usize>,
    bytes: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    action: Option<usize>,
    log_status: Option<usize>,
    direction: Option<usize>,
}

impl FlowFormat {
    /// The format a header line names; an error when it lacks what a flow summary needs.
    pub fn from_header(line: &str) -> Result<FlowFormat, String> {
        let fields: Vec<String> = line.split_ascii_whitespace().map(str::to_string).collect();
        FlowFormat::of(fields, true)
    }

    /// The default version-2 format.
    pub fn default_v2() -> FlowFormat {
        FlowFormat::of(DEFAULT_FIELDS.iter().map(|s| s.to_string()).collect(), false).expect("the default format has every needed field")
    }

    fn of(fields: Vec<String>, header: bool) -> Result<FlowFormat, String> {
        let pos = |name: &str| fields.iter().position(|f| f == name);
        let at = Positions {
            version: pos("version"),
            interface: pos("interface-id"),
            instance: pos("instance-id"),
            srcaddr: pos("srcaddr"),
            dstaddr: pos("dstaddr"),
            srcport: pos("srcport"),
            dstport: pos("dstport"),
            protocol: pos("protocol"),
            packets: pos("packets"),
            bytes: pos("bytes"),
            start: pos("start"),
            end: pos("end"),
            action: pos("action"),
            log_status: pos("log-status"),
            direction: pos("flow-direction"),
        };
        let mut missing = Vec::new();
        if at.interface.is_none() && at.instance.is_none() {
            missing.push("interface-id or instance-id");
        }
        for (name, p) in [("srcaddr", at.srcaddr), ("dstaddr", at.dstaddr), ("action", at.action), ("start", at.start)] {
            if p.is_none() {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            return Err(format!("the format has no {}: a flow summary needs them", missing.join(", ")));
        }
        Ok(FlowFormat { fields, header, at })
    }

    /// Whether records say their direction (`flow-direction`).
    pub fn has_direction(&self) -> bool {
        self.at.direction.is_some()
    }
}

/// Whether a flow was let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Accept,
    Reject,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Accept => "ACCEPT",
            Action::Reject => "REJECT",
        }
    }
}

/// Which way a flow went, seen from its instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

/// One record (fields the format lacks, or `-`, are `None` or 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRecord {
    pub interface: Option<String>,
    pub instance: Option<String>,
    pub srcaddr: Option<IpAddr>,
    pub dstaddr: Option<IpAddr>,
    pub srcport: Option<u16>,
    pub dstport: Option<u16>,
    pub protocol: Option<u8>,
    pub packets: u64,
    pub bytes: u64,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    pub action: Option<Action>,
    /// `false` for `NODATA` and `SKIPDATA` records: no flow in them.
    pub has_data: bool,
    pub direction: Option<Direction>,
}

impl FlowRecord {
    /// The entity the flow belongs to: the instance, else the interface.
    pub fn owner(&self) -> Option<&str> {
        self.instance.as_deref().or(self.interface.as_deref())
    }

    /// The service's port: the lower of the two for TCP (6), UDP (17) and SCTP (132), else 0.
    pub fn service_port(&self) -> u16 {
        match self.protocol {
            Some(6 | 17 | 132) => match (self.srcport, self.dstport) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => 0,
            },
            _ => 0,
        }
    }
}

fn opt<'a>(cols: &[&'a str], at: Option<usize>) -> Option<&'a str> {
    at.and_then(|i| cols.get(i).copied()).filter(|v| *v != "-")
}

fn number<T: std::str::FromStr>(cols: &[&str], at: Option<usize>, name: &str) -> Result<Option<T>, String> {
    match opt(cols, at) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| format!("`{name}` `{}` is not a number", short(v))),
    }
}

fn address(cols: &[&str], at: Option<usize>, name: &str) -> Result<Option<IpAddr>, String> {
    match opt(cols, at) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| format!("`{name}` `{}` is not an IP address", short(v))),
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// One line as a record of `format`.
pub fn parse_record(format: &FlowFormat, line: &str) -> Result<FlowRecord, String> {
    let cols: Vec<&str> = line.split_ascii_whitespace().collect();
    if cols.len() != format.fields.len() {
        return Err(format!("{} fields where the format has {}", cols.len(), format.fields.len()));
    }
    let at = format.at;
    let status = opt(&cols, at.log_status);
    let has_data = match status {
        None | Some("OK") => true,
        Some("NODATA" | "SKIPDATA") => false,
        Some(other) => return Err(format!("`log-status` `{}` is none of OK, NODATA, SKIPDATA", short(other))),
    };
    let action = match opt(&cols, at.action) {
        Some("ACCEPT") => Some(Action::Accept),
        Some("REJECT") => Some(Action::Reject),
        None if !has_data => None,
        None => return Err("no `action` in a record with data".into()),
        Some(other) => return Err(format!("`action` `{}` is neither ACCEPT nor REJECT", short(other))),
    };
    let direction = match opt(&cols, at.direction) {
        Some("ingress") => Some(Direction::Ingress),
        Some("egress") => Some(Direction::Egress),
        None => None,
        Some(other) => return Err(format!("`flow-direction` `{}` is neither ingress nor egress", short(other))),
    };
    if let Some(v) = number::<u32>(&cols, at.version, "version")? {
        if v < 2 {
            return Err(format!("version {v}: flow logs start at version 2"));
        }
    }
    let rec = FlowRecord {
        interface: opt(&cols, at.interface).map(str::to_string),
        instance: opt(&cols, at.instance).map(str::to_string),
        srcaddr: address(&cols, at.srcaddr, "srcaddr")?,
        dstaddr: address(&cols, at.dstaddr, "dstaddr")?,
        srcport: number(&cols, at.srcport, "srcport")?,
        dstport: number(&cols, at.dstport, "dstport")?,
        protocol: number(&cols, at.protocol, "protocol")?,
        packets: number(&cols, at.packets, "packets")?.unwrap_or(0),
        bytes: number(&cols, at.bytes, "bytes")?.unwrap_or(0),
        start: number(&cols, at.start, "start")?.unwrap_or(0),
        end: number(&cols, at.end, "end")?.unwrap_or(0),
        action,
        has_data,
        direction,
    };
    if rec.has_data {
        if rec.owner().is_none() {
            return Err("neither `instance-id` nor `interface-id`".into());
        }
        if rec.srcaddr.is_none() || rec.dstaddr.is_none() {
            return Err("no `srcaddr` or `dstaddr` in a record with data".into());
        }
        if opt(&cols, at.start).is_none() {
            return Err("no `start` in a record with data".into());
        }
    }
    Ok(rec)
}

/// Whether `line` is a header line: every token a field name AWS documents.
fn is_header(line: &str) -> bool {
    let mut tokens = line.split_ascii_whitespace().peekable();
    tokens.peek().is_some() && tokens.all(|t| KNOWN_FIELDS.contains(&t))
}

/// Reads one line into `buf` (without its end), keeping at most [`MAX_LINE`] bytes;
/// `Ok(None)` at the end, `Ok(Some(too_long))` otherwise.
fn next_line(r: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(if any { Some(too_long) } else { None });
        }
        any = true;
        let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        let room = MAX_LINE.saturating_sub(buf.len());
        if take > room {
            too_long = true;
        }
        buf.extend_from_slice(&chunk[..take.min(room)]);
        r.consume(if done { take + 1 } else { take });
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(too_long));
        }
    }
}

/// Reads a flow log file (plain or gzip, at most `limit` bytes inflated) line by line,
/// handing each record, or a [`Malformed`] line, to `each`, which returns `false` to stop.
/// The file's format is returned. A file that is not a flow log (no usable header, not
/// the default format) or stops being readable is an error; `each` may already have been
/// given the records before the fault.
pub fn read_flow_log(
    file: &str,
    reader: impl Read,
    limit: u64,
    each: &mut dyn FnMut(Result<FlowRecord, Malformed>) -> bool,
) -> Result<FlowFormat, FlowFileError> {
    let mut raw = BufReader::with_capacity(64 << 10, reader);
    let gzip = raw.fill_buf().map_err(|e| FlowFileError::Read { file: file.into(), message: e.to_string() })?.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn Read + '_> = if gzip { Box::new(flate2::bufread::MultiGzDecoder::new(raw)) } else { Box::new(raw) };
    let mut r = BufReader::with_capacity(64 << 10, Bounded::new(inner, limit));
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut format: Option<FlowFormat> = None;
    let fail = |r: &BufReader<Bounded<Box<dyn Read + '_>>>, e: std::io::Error| {
        if r.get_ref().over() {
            FlowFileError::TooLarge { file: file.into(), limit }
        } else {
            FlowFileError::Read { file: file.into(), message: e.to_string() }
        }
    };
    loop {
        let line = match next_line(&mut r, &mut buf) {
            Ok(None) => break,
            Ok(Some(l)) => l,
            Err(e) => return Err(fail(&r, e)),
        };
        line_no += 1;
        let malformed = |message: String| Malformed { file: file.to_string(), position: format!("line {line_no}"), message };
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(_) => {
                if format.is_none() {
                    return Err(FlowFileError::Format { file: file.into(), message: "not text: not a flow log file".into() });
                }
                if !each(Err(malformed("not UTF-8 text".into()))) {
                    break;
                }
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        let fmt = match &format {
            Some(f) => f,
            None => {
                if is_header(text) {
                    format = Some(FlowFormat::from_header(text).map_err(|message| FlowFileError::Format { file: file.into(), message })?);
                    continue;
                }
                let cols: Vec<&str> = text.split_ascii_whitespace().collect();
                if cols.len() == DEFAULT_FIELDS.len() && cols[0] == "2" {
                    format.insert(FlowFormat::default_v2())
                } else {
                    return Err(FlowFileError::Format {
                        file: file.into(),
                        message: "no header line naming the fields, and the first record is not of the default version-2 format: not a flow log file".into(),
                    });
                }
            }
        };
        let item = if line { Err(malformed(format!("longer than {MAX_LINE} bytes"))) } else { parse_record(fmt, text).map_err(malformed) };
        if !each(item) {
            break;
        }
    }
    match format {
        Some(f) => Ok(f),
        // An empty file (or only a header) has no records: not an error.
        None => Ok(FlowFormat::default_v2()),
    }
}

/// What summarising a file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct FlowStats {
    /// Records read (malformed lines included; header and empty lines not).
    pub records: u64,
    /// Records summarised.
    pub summarised: u64,
    /// `NODATA` and `SKIPDATA` records.
    pub no_data: u64,
    pub malformed: u64,
}

/// Why summarising a file stopped.
#[derive(Debug)]
pub enum Stop<E> {
    /// The file could not be read (from some point on); what was read before is summarised.
    File(FlowFileError),
    /// The caller's flush failed.
    Flush(E),
}

/// The addresses common to every record of an owner so far.
#[derive(Debug, Clone, Copy)]
enum Common {
    Two(IpAddr, IpAddr),
    One(IpAddr),
    None,
}

impl Common {
    fn meet(self, a: IpAddr, b: IpAddr) -> Common {
        let has = |x: IpAddr| x == a || x == b;
        match self {
            Common::Two(x, y) => match (has(x), has(y)) {
                (true, true) => Common::Two(x, y),
                (true, false) => Common::One(x),
                (false, true) => Common::One(y),
                (false, false) => Common::None,
            },
            Common::One(x) if has(x) => Common::One(x),
            _ => Common::None,
        }
    }

    fn local(self) -> Option<IpAddr> {
        match self {
            Common::One(x) => Some(x),
            Common::Two(x, y) => match (is_private(x), is_private(y)) {
                (true, false) => Some(x),
                (false, true) => Some(y),
                _ => None,
            },
            Common::None => None,
        }
    }
}

/// RFC 1918, shared (100.64/10), link-local and unique-local addresses.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => v.is_private() || v.is_link_local() || (v.octets()[0] == 100 && (v.octets()[1] & 0xc0) == 64),
        IpAddr::V6(v) => (v.segments()[0] & 0xfe00) == 0xfc00 || (v.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The detail of a flow summary: `<in|out|?> <protocol> <port> <ACTION>`.
pub fn flow_detail(direction: Option<Direction>, protocol: u8, port: u16, action: Action) -> String {
    let d = match direction {
        Some(Direction::Ingress) => "in",
        Some(Direction::Egress) => "out",
        None => "?",
    };
    format!("{d} {protocol} {port} {}", action.name())
}

/// A flow summary's detail taken apart: direction (`in`, `out`, `?`), protocol, port, action.
pub fn parse_flow_detail(detail: &str) -> Option<(&str, u8, u16, &str)> {
    let mut it = detail.split(' ');
    let d = it.next()?;
    let p = it.next()?.parse().ok()?;
    let port = it.next()?.parse().ok()?;
    let a = it.next()?;
    Some((d, p, port, a))
}

/// Summarises one flow log file into `sum`, calling `flush` whenever `sum` is full and
/// `malformed` for each malformed line. `open` opens the file (again: a format without
/// `flow-direction` is read twice, the first time to find each interface's own address).
pub fn summarise_flow_log<E>(
    file: &str,
    open: &mut dyn FnMut() -> std::io::Result<Box<dyn Read>>,
    limit: u64,
    sum: &mut Summariser,
    malformed: &mut dyn FnMut(Malformed),
    flush: &mut dyn FnMut(&mut Summariser) -> Result<(), E>,
) -> Result<FlowStats, Stop<E>> {
    let opened = |open: &mut dyn FnMut() -> std::io::Result<Box<dyn Read>>| {
        open().map_err(|e| Stop::File(FlowFileError::Read { file: file.into(), message: e.to_string() }))
    };
    // First pass: the format, and each owner's own address where records do not say
    // their direction.
    let mut commons: HashMap<String, Common> = HashMap::new();
    let mut wants_locals = true;
    let first = read_flow_log(file, opened(open)?, limit, &mut |r| {
        if let Ok(rec) = r {
            if rec.direction.is_some() {
                return true;
            }
            if let (Some(owner), Some(a), Some(b), true) = (rec.owner(), rec.srcaddr, rec.dstaddr, rec.has_data) {
                match commons.get_mut(owner) {
                    Some(c) => *c = c.meet(a, b),
                    None => {
                        commons.insert(owner.to_string(), Common::Two(a, b));
                    }
                }
            }
        }
        true
    });
    match first {
        Ok(f) if f.has_direction() => wants_locals = false,
        Ok(_) => {}
        // The second pass meets the same fault and reports it after summarising what
        // precedes it.
        Err(_) => {}
    }
    let locals: HashMap<String, IpAddr> =
        if wants_locals { commons.into_iter().filter_map(|(k, c)| c.local().map(|ip| (k, ip))).collect() } else { HashMap::new() };

    let mut stats = FlowStats::default();
    let mut failed: Option<E> = None;
    let read = read_flow_log(file, opened(open)?, limit, &mut |r| {
        stats.records += 1;
        match r {
            Err(m) => {
                stats.malformed += 1;
                malformed(m);
            }
            Ok(rec) if !rec.has_data => stats.no_data += 1,
            Ok(rec) => {
                stats.summarised += 1;
                add_flow(&rec, &locals, sum);
                if sum.is_full() {
                    if let Err(e) = flush(sum) {
                        failed = Some(e);
                        return false;
                    }
                }
            }
        }
        true
    });
    if let Some(e) = failed {
        return Err(Stop::Flush(e));
    }
    read.map_err(Stop::File)?;
    Ok(stats)
}

/// One record's summaries (a record with data: owner and both addresses present).
fn add_flow(rec: &FlowRecord, locals: &HashMap<String, IpAddr>, sum: &mut Summariser) {
    let (Some(owner), Some(src), Some(dst), Some(action)) = (rec.owner(), rec.srcaddr, rec.dstaddr, rec.action) else { return };
    let direction = rec.direction.or_else(|| match locals.get(owner) {
        Some(l) if *l == src => Some(Direction::Egress),
        Some(l) if *l == dst => Some(Direction::Ingress),
        _ => None,
    });
    let peer = match direction {
        Some(Direction::Ingress) => src,
        _ => dst,
    };
    let peer = peer.to_string();
    let at = rec.start;
    let tally = Tally {
        count: 1,
        success: (action == Action::Accept) as u64,
        failure: (action == Action::Reject) as u64,
        bytes: rec.bytes,
        packets: rec.packets,
        first_seen: at,
        last_seen: rec.end.max(at),
    };
    let kind = if rec.instance.is_some() { EntityKind::Ec2Instance } else { EntityKind::NetworkInterface };
    sum.entity(owner, kind, at);
    sum.entity(&peer, EntityKind::IpAddress, at);
    let detail = flow_detail(direction, rec.protocol.unwrap_or(0), rec.service_port(), action);
    sum.add(owner, Rel::Flow, &peer, &detail, tally);
    if let (Some(instance), Some(interface)) = (rec.instance.as_deref(), rec.interface.as_deref()) {
        sum.entity(interface, EntityKind::NetworkInterface, at);
        sum.add(instance, Rel::Interface, interface, "", Tally { bytes: 0, packets: 0, ..tally });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.16.139 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
2 123456789010 eni-1235b8ca123456789 172.31.16.139 not-an-ip 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
";

    fn read_all(file: &str, bytes: &[u8]) -> (Result<FlowFormat, FlowFileError>, Vec<FlowRecord>, Vec<Malformed>) {
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        let f = read_flow_log(file, bytes, MAX_INFLATED, &mut |r| {
            match r {
                Ok(x) => ok.push(x),
                Err(m) => bad.push(m),
            }
            true
        });
        (f, ok, bad)
    }

    fn summarise(file: &str, bytes: Vec<u8>) -> (crate::Batch, FlowStats, Vec<Malformed>) {
        let mut sum = Summariser::new(1_000_000);
        let mut bad = Vec::new();
        let stats = summarise_flow_log::<()>(
            file,
            &mut || Ok(Box::new(std::io::Cursor::new(bytes.clone())) as Box<dyn Read>),
            MAX_INFLATED,
            &mut sum,
            &mut |m| bad.push(m),
            &mut |_| Ok(()),
        )
        .ok()
        .unwrap();
        (sum.drain(), stats, bad)
    }

    #[test]
    fn the_default_format_reads_with_its_no_data_and_malformed_lines() {
        let (f, ok, bad) = read_all("a.log", V2.as_bytes());
        let f = f.unwrap();
        assert!(f.header && !f.has_direction());
        assert_eq!(ok.len(), 3);
        assert_eq!(ok[0].bytes, 4249);
        assert_eq!(ok[1].action, Some(Action::Reject));
        assert!(!ok[2].has_data);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].position, "line 5");
        assert!(bad[0].message.contains("`dstaddr` `not-an-ip`"), "{}", bad[0].message);
        // Without its header, the default format is recognised.
        let body: String = V2.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let (f, ok, bad) = read_all("b.log", body.as_bytes());
        assert!(!f.unwrap().header);
        assert_eq!((ok.len(), bad.len()), (3, 1));
        assert_eq!(bad[0].position, "line 4");
    }

    #[test]
    fn a_version_5_custom_format_with_its_direction_and_gzip() {
        let text = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path
5 vpc-1 subnet-1 i-01234567890123456 eni-1 123456789010 IPv4 52.95.128.179 10.0.0.71 80 34210 52.95.128.179 10.0.0.71 6 5060 4 1616729292 1616729349 ACCEPT 19 OK ingress -
5 vpc-1 subnet-1 i-01234567890123456 eni-1 123456789010 IPv4 10.0.0.71 52.95.128.179 34210 80 10.0.0.71 52.95.128.179 6 1200 3 1616729292 1616729349 ACCEPT 3 OK egress 1
";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let (batch, stats, bad) = summarise("c.log.gz", gz.finish().unwrap());
        assert!(bad.is_empty());
        assert_eq!(stats.summarised, 2);
        let flows: Vec<_> = batch.summaries.iter().filter(|s| s.rel == Rel::Flow).collect();
        assert_eq!(flows.len(), 2, "{flows:#?}");
        assert!(flows.iter().all(|s| s.src == "i-01234567890123456" && s.dst == "52.95.128.179"));
        assert!(flows.iter().any(|s| s.detail == "in 6 80 ACCEPT" && s.tally.bytes == 5060));
        assert!(flows.iter().any(|s| s.detail == "out 6 80 ACCEPT" && s.tally.bytes == 1200));
        assert!(batch.summaries.iter().any(|s| s.rel == Rel::Interface && s.dst == "eni-1"));
    }

    #[test]
    fn version_2_finds_the_interfaces_own_address_for_the_direction() {
        let (batch, stats, bad) = summarise("a.log", V2.as_bytes().to_vec());
        assert_eq!((stats.records, stats.summarised, stats.no_data, stats.malformed), (4, 2, 1, 1));
        assert_eq!(bad.len(), 1);
        let flows: Vec<(&str, &str)> =
            batch.summaries.iter().filter(|s| s.rel == Rel::Flow).map(|s| (s.dst.as_str(), s.detail.as_str())).collect();
        // 172.31.16.139 is in both records: the interface's own.
        assert_eq!(flows, [("172.31.16.21", "out 6 22 ACCEPT"), ("172.31.9.69", "in 6 3389 REJECT")]);
    }

    #[test]
    fn files_that_are_not_flow_logs_are_errors_of_the_file() {
        assert!(matches!(read_all("x", b"hello world\n").0, Err(FlowFileError::Format { .. })));
        assert!(matches!(read_all("x", b"version srcaddr\n").0, Err(FlowFileError::Format { .. })));
        assert!(read_all("x", b"").0.is_ok(), "an empty file has no records");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, V2.repeat(100).as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        assert!(matches!(read_flow_log("x", &bytes[..], 1000, &mut |_| true), Err(FlowFileError::TooLarge { .. })));
        assert!(matches!(read_flow_log("x", &bytes[..bytes.len() / 2], MAX_INFLATED, &mut |_| true), Err(FlowFileError::Read { .. })));
        let long = format!("{}{}\n", V2, "x".repeat(MAX_LINE * 2));
        let (_, _, bad) = read_all("x", long.as_bytes());
        assert!(bad.last().unwrap().message.contains("longer than"));
    }
}
