//! Reading a large log file holds one record at a time: the peak of memory allocated while
//! a 30 MiB (inflated) log is read through `read_log` stays under 2 MiB, where a tree of
//! the file would take several times the file.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts the bytes allocated now and the most ever.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn record(i: usize) -> String {
    let ranges: Vec<String> =
        (0..12).map(|j| format!(r#"{{"cidrIp":"10.{}.{j}.0/24","description":"rule {j} of {i}"}}"#, i % 250)).collect();
    format!(
        r#"{{"eventTime":"2026-12-07T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1","eventID":"e-{i}","recipientAccountId":"111122223333","requestParameters":{{"groupId":"sg-{i:08x}","ipPermissions":{{"items":[{{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{{"items":[{}]}}}}]}}}}}}"#,
        ranges.join(",")
    )
}

#[test]
fn a_large_log_is_read_one_record_at_a_time() {
    let n = 30_000;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(br#"{"Records":["#).unwrap();
    let mut inflated = 0;
    for i in 0..n {
        let r = record(i);
        inflated += r.len() + 1;
        if i > 0 {
            gz.write_all(b",").unwrap();
        }
        gz.write_all(r.as_bytes()).unwrap();
        if i % 1000 == 7 {
            gz.write_all(b",42").unwrap(); // a malformed record now and then
        }
    }
    gz.write_all(b"]}").unwrap();
    let bytes = gz.finish().unwrap();
    assert!(inflated > 25 << 20, "{inflated}");

    let base = NOW.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let (mut events, mut malformed, mut groups) = (0usize, Vec::new(), 0usize);
    rampart_cloudtrail::read_log("big.json.gz", &bytes, rampart_cloudtrail::MAX_INFLATED, &mut |r| match r {
        Ok(e) => {
            events += 1;
            if let rampart_cloudtrail::Change::Pieces(p) = rampart_cloudtrail::classify(&e) {
                groups += p.len();
            }
        }
        Err(m) => malformed.push(m.index),
    })
    .unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!((events, groups), (n, n));
    assert_eq!(malformed.len(), 30, "malformed records are still counted");
    assert_eq!(malformed[0], 8, "with their position in the array");
    assert!(peak < 2 << 20, "reading a {} MiB log allocated up to {} KiB at once", inflated >> 20, peak >> 10);
}

#[test]
fn a_file_that_is_not_a_log_is_still_told_apart() {
    use rampart_cloudtrail::{parse_log, FileError};
    assert!(matches!(parse_log("a", br#"{"Records": 5}"#), Err(FileError::NoRecords { .. })));
    assert!(matches!(parse_log("a", br#"[1, 2]"#), Err(FileError::NoRecords { .. })));
    assert!(matches!(parse_log("a", br#"{"Records": []} trailing"#), Err(FileError::NotJson { .. })));
    assert!(matches!(parse_log("a", br#"{"Records": [{"eventName": "#), Err(FileError::NotJson { .. })));
    let log = parse_log("a", br#"{"Other": {"Records": 1}, "Records": [], "More": [1]}"#).unwrap();
    assert!(log.events.is_empty() && log.malformed.is_empty());
}
