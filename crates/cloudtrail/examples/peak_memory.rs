//! Peak memory of reading one large CloudTrail log file: generates a gzip log of `RECORDS`
//! records (about 1.2 KiB of JSON each), then reads it and prints the process's peak
//! resident set (`VmHWM`) before and after.
//!
//! `cargo run --release -p rampart-cloudtrail --example peak_memory -- RECORDS [collect|count]`
//! - `collect`: `parse_log`, every event kept (what a caller that keeps them all pays);
//! - `count`: `read_log`, each event handed over as it is read and dropped.

use std::io::Write;

fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let mode = args.next().unwrap_or_else(|| "collect".into());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"{\"Records\":[").unwrap();
    let mut inflated = 12u64;
    for i in 0..n {
        let ranges: Vec<String> =
            (0..12).map(|j| format!("{{\"cidrIp\":\"10.{}.{}.0/24\",\"description\":\"rule {j} of record {i}\"}}", i % 250, j)).collect();
        let rec = format!(
            "{}{{\"eventVersion\":\"1.09\",\"userIdentity\":{{\"type\":\"IAMUser\",\"accountId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:user/u{i}\"}},\"eventTime\":\"2026-12-07T10:{:02}:00Z\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"AuthorizeSecurityGroupIngress\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.1\",\"userAgent\":\"aws-cli/2\",\"requestParameters\":{{\"groupId\":\"sg-{i:08x}\",\"ipPermissions\":{{\"items\":[{{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"ipRanges\":{{\"items\":[{}]}}}}]}}}},\"responseElements\":{{\"_return\":true}},\"eventID\":\"{i:08x}-0000-0000-0000-000000000000\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\"}}",
            if i == 0 { "" } else { "," },
            i % 60,
            ranges.join(",")
        );
        inflated += rec.len() as u64;
        gz.write_all(rec.as_bytes()).unwrap();
    }
    gz.write_all(b"]}").unwrap();
    let bytes = gz.finish().unwrap();
    let before = peak_kib();
    let (events, malformed) = match mode.as_str() {
        "count" => {
            let (mut events, mut malformed) = (0usize, 0usize);
            rampart_cloudtrail::log::read_log("big.json.gz", &bytes, rampart_cloudtrail::MAX_INFLATED, &mut |r| match r {
                Ok(_) => events += 1,
                Err(_) => malformed += 1,
            })
            .unwrap();
            (events, malformed)
        }
        _ => {
            let log = rampart_cloudtrail::parse_log("big.json.gz", &bytes).unwrap();
            (log.events.len(), log.malformed.len())
        }
    };
    let after = peak_kib();
    println!(
        "{n} records, {:.1} MiB inflated, {:.1} MiB gzip; {mode}: {events} events, {malformed} malformed; peak RSS {:.1} MiB before reading, {:.1} MiB after (+{:.1} MiB)",
        inflated as f64 / 1048576.0,
        bytes.len() as f64 / 1048576.0,
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after - before) as f64 / 1024.0
    );
}
