//! Ingest into a real SQLite file: flow-log bytes against a brute count, ingesting twice,
//! an interrupted ingest resumed, CloudTrail's layout and malformed records.

use super::*;
use crate::Level;
use rampart_graph::{flow::parse_flow_detail, Rel};
use std::collections::BTreeMap;
use std::io::Write;

struct Quiet;
impl Notify for Quiet {
    fn notice(&self, _: Level, _: &str) {}
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const T0: i64 = 1_796_000_000; // 2026-11-30

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The brute count: (owner, port, action) → (bytes, packets, records).
type Oracle = BTreeMap<(String, u16, &'static str), (u64, u64, u64)>;

/// Writes `files` flow log files under `dir` (half version 2, half a version-5 custom
/// format, half of each gzip), with NODATA and malformed lines; returns the brute count
/// and the malformed lines' (file name, line).
fn flow_files(dir: &Path, seed: u64, files: usize) -> (Oracle, Vec<(String, usize)>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut oracle = Oracle::new();
    let mut bad = Vec::new();
    let ports = [22u16, 80, 443, 3389, 5432];
    for f in 0..files {
        let v5 = f % 2 == 1;
        let mut text = String::new();
        text.push_str(if v5 {
            "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path\n"
        } else {
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
        });
        let mut line = 1;
        for _ in 0..(20 + rng.below(40)) {
            line += 1;
            let n = rng.below(4);
            let local = format!("10.0.0.{}", 10 + n);
            let eni = format!("eni-{n:017x}");
            let instance = format!("i-{n:017x}");
            let peer = format!("203.0.113.{}", rng.below(5));
            let port = ports[rng.below(ports.len() as u64) as usize];
            let ephemeral = 32768 + rng.below(20000) as u16;
            let ingress = rng.below(2) == 0;
            let (src, dst, sp, dp) = if ingress { (&peer, &local, ephemeral, port) } else { (&local, &peer, ephemeral, port) };
            let action = if rng.below(3) == 0 { "REJECT" } else { "ACCEPT" };
            let (bytes, packets) = (rng.below(100_000), 1 + rng.below(50));
            let start = T0 + rng.below(6 * 3600) as i64;
            match rng.below(20) {
                0 => {
                    if v5 {
                        text.push_str(&format!(
                            "5 vpc-1 subnet-1 - {eni} 123456789012 - - - - - - - - - - {start} {} - - NODATA - -\n",
                            start + 60
                        ));
                    } else {
                        text.push_str(&format!("2 123456789012 {eni} - - - - - - - {start} {} - NODATA\n", start + 60));
                    }
                    continue;
                }
                1 => {
                    text.push_str("2 123456789012 eni-x 10.0.0.1 bogus 1 2 6 1 1 1 1 ACCEPT OK\n");
                    bad.push((format!("f{f}.log"), line));
                    continue;
                }
                _ => {}
            }
            let owner = if v5 { instance.clone() } else { eni.clone() };
            if v5 {
                let dir = if ingress { "ingress" } else { "egress" };
                text.push_str(&format!(
                    "5 vpc-1 subnet-1 {instance} {eni} 123456789012 IPv4 {src} {dst} {sp} {dp} {src} {dst} 6 {bytes} {packets} {start} {} {action} 2 OK {dir} -\n",
                    start + 60
                ));
            } else {
                text.push_str(&format!(
                    "2 123456789012 {eni} {src} {dst} {sp} {dp} 6 {packets} {bytes} {start} {} {action} OK\n",
                    start + 60
                ));
            }
            let e = oracle.entry((owner, port, action)).or_default();
            e.0 += bytes;
            e.1 += packets;
            e.2 += 1;
        }
        let name = format!("f{f}.log");
        if f % 4 < 2 {
            std::fs::write(dir.join(format!("{name}.gz")), gz(text.as_bytes())).unwrap();
        } else {
            std::fs::write(dir.join(&name), text).unwrap();
        }
    }
    (oracle, bad)
}

/// The stored graph's answer to the oracle's question.
fn stored(store: &Store) -> Oracle {
    let mut out = Oracle::new();
    for s in store.graph_dump().unwrap().into_iter().filter(|s| s.rel == Rel::Flow) {
        let (_, _, port, action) = parse_flow_detail(&s.detail).unwrap();
        let action = if action == "ACCEPT" { "ACCEPT" } else { "REJECT" };
        let e = out.entry((s.src.clone(), port, action)).or_default();
        e.0 += s.tally.bytes;
        e.1 += s.tally.packets;
        e.2 += s.tally.count;
    }
    out
}

fn store_in(dir: &Path) -> Store {
    Store::open(&dir.join("rampart.db")).unwrap()
}

fn opts(source: Source, path: &Path) -> IngestOptions {
    IngestOptions::new(source, vec![path.to_path_buf()])
}

#[test]
fn flow_bytes_per_instance_and_port_equal_a_brute_count_of_the_files() {
    let mut covered = (0, 0, std::collections::BTreeSet::new(), 0);
    for seed in 1..=12u64 {
        let tmp = tempfile::tempdir().unwrap();
        let logs = tmp.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        let (oracle, bad) = flow_files(&logs, seed, 4);
        let mut store = store_in(tmp.path());
        let mut o = opts(Source::FlowLogs, &logs);
        // A small bound: flushed many times mid-file, summaries of one hour merged in the store.
        o.memory_limit = 1 + (seed as usize % 7) * 5;
        let report = ingest(&mut store, &o, T0, &Quiet).unwrap();
        assert_eq!(report.files_read, 4, "{report:?}");
        assert_eq!(stored(&store), oracle, "seed {seed}");
        let reported: Vec<(String, usize)> = report
            .malformed_records
            .iter()
            .map(|m| {
                let name = Path::new(&m.file).file_name().unwrap().to_string_lossy().trim_end_matches(".gz").to_string();
                (name, m.position.trim_start_matches("line ").parse().unwrap())
            })
            .collect();
        let mut expected = bad.clone();
        expected.sort();
        let mut got = reported.clone();
        got.sort();
        assert_eq!(got, expected, "seed {seed}: malformed lines with their file and line");
        covered.0 += oracle.keys().filter(|k| k.2 == "ACCEPT").count();
        covered.1 += oracle.keys().filter(|k| k.2 == "REJECT").count();
        covered.2.extend(oracle.keys().map(|k| k.1));
        covered.3 += bad.len();
    }
    assert!(covered.0 > 20 && covered.1 > 20, "ACCEPT and REJECT both covered: {covered:?}");
    assert!(covered.2.len() >= 5, "several ports: {:?}", covered.2);
    assert!(covered.3 > 5, "malformed lines covered");
}

#[test]
fn ingesting_twice_reads_nothing_again_and_an_interrupted_ingest_resumes_to_the_same_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/30");
    std::fs::create_dir_all(&logs).unwrap();
    flow_files(&logs, 7, 9);
    let whole_dir = tempfile::tempdir().unwrap();
    let mut whole = store_in(whole_dir.path());
    let first = ingest(&mut whole, &opts(Source::FlowLogs, tmp.path()), T0, &Quiet).unwrap();
    assert_eq!(first.files_read, 9);
    let graph = whole.graph_dump().unwrap();
    assert!(!graph.is_empty());
    let again = ingest(&mut whole, &opts(Source::FlowLogs, tmp.path()), T0, &Quiet).unwrap();
    assert_eq!((again.files_read, again.files_already_read, again.records), (0, 9, 0));
    assert_eq!(whole.graph_dump().unwrap(), graph, "ingest twice: the same graph");
    let keys: Vec<String> = whole.graph_files(Some("flowlogs")).unwrap().into_iter().map(|f| f.file).collect();
    assert!(keys.iter().all(|k| k.starts_with("AWSLogs/123456789012/vpcflowlogs/")), "{keys:?}");

    // Interrupted after 5 files, 2 files per transaction: files 1-4 are kept, 5 is lost
    // with its open group (even though its summaries were flushed), and the resumed
    // ingest reads 5 to 9.
    let part_dir = tempfile::tempdir().unwrap();
    let mut part = store_in(part_dir.path());
    let mut o = opts(Source::FlowLogs, tmp.path());
    o.files_per_commit = 2;
    o.memory_limit = 3;
    o.fail_after_files = Some(5);
    let e = ingest(&mut part, &o, T0, &Quiet).unwrap_err();
    assert!(e.to_string().contains("interrupted"), "{e}");
    assert_eq!(part.graph_files(None).unwrap().len(), 4);
    assert_ne!(part.graph_dump().unwrap(), graph);
    o.fail_after_files = None;
    let resumed = ingest(&mut part, &o, T0, &Quiet).unwrap();
    assert_eq!((resumed.files_read, resumed.files_already_read), (5, 4));
    assert_eq!(part.graph_dump().unwrap(), graph, "resumed: the same graph as one ingest");
}

fn trail_record(i: usize, user: &str, ip: &str, at: i64, error: Option<&str>) -> serde_json::Value {
    let mut r = serde_json::json!({
        "eventVersion": "1.08",
        "eventID": format!("00000000-0000-0000-0000-{i:012}"),
        "eventTime": rampart_graph::text_time(at),
        "eventSource": "iam.amazonaws.com",
        "eventName": if i % 3 == 0 { "ListUsers" } else { "GetUser" },
        "awsRegion": "us-east-1",
        "sourceIPAddress": ip,
        "userAgent": "aws-cli/2.15.0",
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::123456789012:user/{user}"), "accountId": "123456789012", "accessKeyId": "AKIAIOSFODNN7EXAMPLE"},
        "recipientAccountId": "123456789012"
    });
    if let Some(code) = error {
        r["errorCode"] = code.into();
    }
    r
}

#[test]
fn cloudtrail_in_its_layout_skips_digests_reports_malformed_records_and_profiles_an_entity() {
    let tmp = tempfile::tempdir().unwrap();
    let day = |d: u32| tmp.path().join(format!("trail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/{d:02}"));
    let digest = tmp.path().join("trail/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30");
    for p in [day(1), day(29), day(30), digest.clone()] {
        std::fs::create_dir_all(&p).unwrap();
    }
    // Baseline (Nov 1): alice from one address. Scope (Nov 30): from a new one too.
    let nov1 = T0 - 29 * 86_400;
    let base: Vec<_> = (0..5).map(|i| trail_record(i, "alice", "198.51.100.1", nov1 + i as i64, None)).collect();
    std::fs::write(
        day(1).join("123456789012_CloudTrail_us-east-1_20261101T0000Z_a.json.gz"),
        gz(serde_json::json!({"Records": base}).to_string().as_bytes()),
    )
    .unwrap();
    let mut scope: Vec<serde_json::Value> =
        (10..16).map(|i| trail_record(i, "alice", "203.0.113.9", T0 + i as i64, (i == 10).then_some("AccessDenied"))).collect();
    scope.push(serde_json::json!({"eventSource": "iam.amazonaws.com"}));
    scope.push(trail_record(20, "alice", "198.51.100.1", T0 + 20, None));
    std::fs::write(
        day(30).join("123456789012_CloudTrail_us-east-1_20261130T0000Z_b.json.gz"),
        gz(serde_json::json!({"Records": scope}).to_string().as_bytes()),
    )
    .unwrap();
    std::fs::write(day(29).join("123456789012_CloudTrail_us-east-1_20261129T0000Z_c.json.gz"), b"not gzip, not json").unwrap();
    std::fs::write(digest.join("123456789012_CloudTrail-Digest_us-east-1_x_20261130T0000Z.json.gz"), gz(b"{}")).unwrap();
    std::fs::write(day(30).join("README.txt"), b"notes").unwrap();

    let mut store = store_in(tmp.path());
    let report = ingest(&mut store, &opts(Source::CloudTrail, &tmp.path().join("trail")), T0 + 3600, &Quiet).unwrap();
    assert_eq!((report.files_read, report.files_skipped), (3, 2), "{report:?}");
    assert_eq!((report.records, report.malformed), (5 + 8, 1));
    let m = &report.malformed_records[0];
    assert!(m.file.ends_with("_20261130T0000Z_b.json.gz") && m.position == "record 6", "{m}");
    assert!(m.message.contains("eventName"), "{m}");
    assert_eq!(report.file_errors.len(), 1);
    assert!(report.file_errors[0].contains("_c.json.gz"), "{:?}", report.file_errors);
    let files = store.graph_files(Some("cloudtrail")).unwrap();
    assert!(files.iter().any(|f| f.error.is_some()), "a file that is not a log is recorded with its error, not read again");

    let alice = "arn:aws:iam::123456789012:user/alice";
    // A baseline of 10 days does not reach Nov 1: the old address is then new in the
    // scope, but its first sighting is still the one kept.
    let short = entity_profile(&store, alice, None, None, 10).unwrap();
    let old = short.ips.iter().find(|i| i.value == "198.51.100.1").unwrap();
    assert_eq!(old.first_seen, rampart_graph::text_time(nov1), "the first sighting over every hour kept");
    let p = entity_profile(&store, alice, None, None, 45).unwrap();
    assert_eq!(p.kind, EntityKind::IamUser);
    assert!(p.baseline_has_data);
    let new_ip = p.ips.iter().find(|i| i.value == "203.0.113.9").unwrap();
    assert!(new_ip.new);
    assert!(!p.ips.iter().find(|i| i.value == "198.51.100.1").unwrap().new);
    let calls: u64 = p.api_calls.iter().map(|c| c.success + c.failure).sum();
    assert_eq!(calls, 7);
    assert_eq!(p.api_calls.iter().map(|c| c.failure).sum::<u64>(), 1);
    assert!(p.related.iter().any(|r| r.entity == "AKIAIOSFODNN7EXAMPLE"));
    assert!(entity_profile(&store, "arn:aws:iam::123456789012:user/nobody", None, None, 45).unwrap_err().to_string().contains("ingest"));

    // Retention: a year after, everything is pruned.
    let later = ingest(&mut store, &opts(Source::CloudTrail, &tmp.path().join("trail")), T0 + 400 * 86_400, &Quiet).unwrap();
    assert_eq!(later.files_already_read, 3);
    assert!(later.pruned_summaries > 0);
    assert_eq!(store.graph_counts().unwrap().0, 0);
}

#[test]
fn lookup_events_responses_and_eventbridge_events_are_read_as_their_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("saved");
    std::fs::create_dir(&dir).unwrap();
    let lookup = serde_json::json!({"Events": (0..3).map(|i| serde_json::json!({
        "EventId": format!("e{i}"), "CloudTrailEvent": trail_record(i, "carol", "192.0.2.1", T0 + i as i64, None).to_string()
    })).collect::<Vec<_>>()});
    std::fs::write(dir.join("lookup-events.json"), lookup.to_string()).unwrap();
    let lines: String = (3..6)
        .map(|i| {
            serde_json::json!({"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                "detail": trail_record(i, "carol", "192.0.2.2", T0 + i as i64, None)})
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(dir.join("eventbridge.jsonl.gz"), gz(lines.as_bytes())).unwrap();
    let mut store = store_in(tmp.path());
    let report = ingest(&mut store, &opts(Source::CloudTrail, &dir), T0, &Quiet).unwrap();
    assert_eq!((report.files_read, report.records, report.malformed), (2, 6, 0), "{report:?}");
    let p = entity_profile(&store, "arn:aws:iam::123456789012:user/carol", None, None, 45).unwrap();
    assert_eq!(p.api_calls.iter().map(|c| c.success).sum::<u64>(), 6);
    assert_eq!(p.ips.len(), 2);
    let users = entities(&store, Some("iam_user"), "", 10).unwrap();
    assert_eq!(users.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["arn:aws:iam::123456789012:user/carol"]);
    assert_eq!(entities(&store, None, "192.0.2.", 10).unwrap().len(), 2);
    assert!(entities(&store, Some("wizard"), "", 10).unwrap_err().to_string().contains("iam_user"));
}

#[test]
fn guardduty_findings_link_to_the_entities_they_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/30");
    std::fs::create_dir_all(&dir).unwrap();
    let finding = serde_json::json!({
        "accountId": "123456789012", "arn": "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1", "id": "f1",
        "type": "Recon:EC2/PortProbeUnprotectedPort", "updatedAt": rampart_graph::text_time(T0), "severity": 2,
        "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": "i-0123456789abcdef0"}},
        "service": {"action": {"actionType": "PORT_PROBE", "portProbeAction": {"portProbeDetails": [{"remoteIpDetails": {"ipAddressV4": "203.0.113.66"}}]}}}
    });
    std::fs::write(dir.join("export.jsonl.gz"), gz(format!("{finding}\n{{\"id\": 1}}\n").as_bytes())).unwrap();
    let mut store = store_in(tmp.path());
    let report = ingest(&mut store, &opts(Source::GuardDuty, tmp.path()), T0, &Quiet).unwrap();
    assert_eq!((report.files_read, report.records, report.malformed), (1, 2, 1), "{report:?}");
    assert_eq!(report.malformed_records[0].position, "finding 1");
    let p = entity_profile(&store, "i-0123456789abcdef0", None, None, 45).unwrap();
    let f = p.related.iter().find(|r| r.rel == Rel::FindingOf).expect("the finding, related to the instance");
    assert_eq!((f.direction, f.entity.as_str()), ("in", "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1"));
    let found = entity_profile(&store, "arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f1", None, None, 45).unwrap();
    assert_eq!(found.kind, EntityKind::Finding);
    assert!(found.related.iter().any(|r| r.entity == "203.0.113.66"));
}

#[test]
fn detections_of_an_ingest_join_the_graph_as_findings_of_the_principal_that_acted() {
    let tmp = tempfile::tempdir().unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/cloudtrail/stratus-red-team/aws.defense-evasion.cloudtrail-stop.json");
    let mut store = store_in(tmp.path());
    // `now` a month after the records (2024-08), so retention keeps them.
    let report = ingest(&mut store, &opts(Source::CloudTrail, &file), 1_725_000_000, &Quiet).unwrap();
    assert!(report.detections.as_ref().is_some_and(|d| d.recorded > 0), "{report:?}");
    let findings = store.graph_entities(Some(EntityKind::Finding), "", 100).unwrap();
    assert!(!findings.is_empty());
    let rows = store.graph_dump().unwrap();
    let link =
        rows.iter().find(|r| r.rel == Rel::FindingOf && r.detail == "threat_logging_disabled").expect("the trail stopped, in the graph");
    assert!(findings.iter().any(|f| f.id == link.src));
    assert!(link.dst.starts_with("arn:aws:iam::"), "the principal that acted: {}", link.dst);
    // Its profile names the finding.
    let p = entity_profile(&store, &link.dst, None, None, 45).unwrap();
    assert!(p.related.iter().any(|r| r.entity == link.src), "{:?}", p.related);
}
