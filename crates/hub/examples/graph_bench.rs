//! The investigation graph's benchmarks (docs/benchmarks.md, "Investigation graph"), through
//! the code the CLI runs, built in release without the AWS SDK:
//!
//! ```text
//! cargo build --release -p rampart-hub --example graph_bench
//! B=$CARGO_TARGET_DIR/release/examples/graph_bench
//! $B cloudtrail DB DIR...         # ingest CloudTrail log files into the graph store DB
//! $B flow DB RECORDS              # summarise and store RECORDS generated flow-log records
//! $B profile DB [DAYS]            # a year of a busy principal's summaries; time its profile
//! ```
//!
//! DB is a SQLite file's path or a `postgres://` URL. `cloudtrail` reads each file as
//! `rampart investigate ingest cloudtrail` does: per file, `rampart_graph::trail::
//! summarise_trail_log` (the ingest's per-record path: streamed inflation and parsing,
//! observation into the bounded summariser, flushes into the open transaction through
//! `GraphWriter::add`) and the file's checkpoint (`is_ingested`, `file_done`), 64 files per
//! transaction. Walking the folders here is a plain sorted walk, the app's report and
//! progress are left out, and so are the detections (the CLI runs them too unless
//! `--no-detections`). Peak memory is the process's high-water mark (`VmHWM`).

use rampart_graph::flow::summarise_flow_log;
use rampart_graph::{EntityKind, ProfileScope, Rel, Summariser, Tally};
use rampart_hub::{GraphFile, PgMode, Store};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: graph_bench cloudtrail[-nostore] DB DIR... | flow DB RECORDS | profile DB [DAYS]";
    let (mode, db) = match (args.first(), args.get(1)) {
        (Some(m), Some(d)) => (m.as_str(), d.as_str()),
        _ => return Err(usage.into()),
    };
    let mut store = Store::connect(db, PgMode::Create)?;
    match mode {
        "cloudtrail" => cloudtrail(&mut store, &args[2..], true)?,
        // The same reading and summarising, the summaries dropped at each flush: the share of
        // the store's writes in the ingest.
        "cloudtrail-nostore" => cloudtrail(&mut store, &args[2..], false)?,
        "flow" => flow(&mut store, args.get(2).ok_or(usage)?.parse()?)?,
        "profile" => profile(&mut store, args.get(2).map(|d| d.parse()).transpose()?.unwrap_or(365))?,
        _ => return Err(usage.into()),
    }
    eprintln!("peak memory (VmHWM): {}", high_water());
    Ok(())
}

fn high_water() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for e in entries {
        walk(&e, out)?;
    }
    Ok(())
}

fn cloudtrail(store: &mut Store, roots: &[String], keep: bool) -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for r in roots {
        walk(Path::new(r), &mut files)?;
    }
    files.retain(|f| f.to_string_lossy().ends_with(".json.gz") && !f.to_string_lossy().contains("Digest"));
    let t0 = Instant::now();
    let mut sum = Summariser::new(Summariser::DEFAULT_LIMIT);
    let (mut records, mut bytes, mut malformed) = (0u64, 0u64, 0u64);
    for group in files.chunks(64) {
        store.graph_write(|w| {
            for f in group {
                let key = f.to_string_lossy().to_string();
                if w.is_ingested("cloudtrail", &key)? {
                    continue;
                }
                let data = std::fs::read(f).map_err(|e| rampart_hub::StoreError::InvalidUpdate(e.to_string()))?;
                let mut bad = 0u64;
                let (stats, error) = rampart_graph::trail::summarise_trail_log(
                    &key,
                    &data,
                    256 << 20, // rampart_cloudtrail::MAX_INFLATED, as the ingest
                    &mut sum,
                    &mut |_| bad += 1,
                    &mut |_| {},
                    &mut |s: &mut Summariser| {
                        if keep {
                            w.add(&s.drain())
                        } else {
                            s.drain();
                            Ok(())
                        }
                    },
                )?;
                records += stats.records;
                bytes += data.len() as u64;
                malformed += bad;
                w.file_done(&GraphFile {
                    source: "cloudtrail".into(),
                    file: key,
                    bytes: data.len() as u64,
                    records: stats.records,
                    malformed: bad,
                    error: error.map(|e| e.to_string()),
                    ingested_at: time::OffsetDateTime::now_utc(),
                })?;
            }
            if !sum.is_empty() {
                let b = sum.drain();
                if keep {
                    w.add(&b)?;
                }
            }
            Ok(())
        })?;
    }
    let secs = t0.elapsed().as_secs_f64();
    let (summaries, entities, nfiles) = store.graph_counts()?;
    println!(
        "cloudtrail: {} files, {records} records ({malformed} malformed), {:.1} MiB compressed, {secs:.1} s, {:.0} records/s; store: {summaries} summaries, {entities} entities, {nfiles} files",
        files.len(),
        bytes as f64 / (1u64 << 20) as f64,
        records as f64 / secs
    );
    Ok(())
}

/// One stream of version-2 flow-log records (the bound on inflated bytes is lifted: a
/// delivered file holds at most 75 MB, this stream is one of several GB) of a busy estate, made as they are read (never held whole):
/// 400 interfaces of 4 accounts, peers drawn from a pool of 20,000 addresses (a few busy,
/// most rare), common service ports, 7 % REJECT, over a day of hours.
struct Generated {
    n: u64,
    next: u64,
    line: Vec<u8>,
    at: usize,
    state: u64,
}

impl Generated {
    fn new(n: u64) -> Generated {
        let header =
            b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
                .to_vec();
        Generated { n, next: 0, line: header, at: 0, state: 7 }
    }
    fn rand(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.line.len() {
            if self.next == self.n {
                return Ok(0);
            }
            let i = self.next;
            self.next += 1;
            let r = self.rand();
            let eni = (r % 400) as u32;
            // Peers: the square of a uniform draw skews towards the first addresses.
            let u = ((r >> 16) % 1000) as u64;
            let peer = (u * u * 20_000 / 1_000_000) as u32;
            let ports = [443u16, 80, 22, 3306, 5432, 6379, 8080, 53, 123, 3389];
            let port = ports[((r >> 40) % ports.len() as u64) as usize];
            let action = if (r >> 50) % 100 < 7 { "REJECT" } else { "ACCEPT" };
            let start = 1_796_000_000 + (i * 86_400 / self.n.max(1)) as i64;
            let packets = 1 + (r >> 20) % 200;
            let inbound = (r >> 8) & 1 == 0;
            let (local, remote) = (
                format!("10.{}.{}.{}", eni / 200, (eni / 50) % 4, 10 + eni % 50),
                format!("198.{}.{}.{}", 18 + peer / 65_536, (peer / 256) % 256, peer % 256),
            );
            let (src, dst, sport, dport) = if inbound {
                (remote, local, 32_768 + (r % 28_000) as u16, port)
            } else {
                (local, remote, 32_768 + (r % 28_000) as u16, port)
            };
            self.line = format!(
                "2 {} eni-{eni:017x} {src} {dst} {sport} {dport} 6 {packets} {} {start} {} {action} OK\n",
                111_111_111_111u64 * (1 + eni as u64 % 4),
                packets * 700,
                start + 60
            )
            .into_bytes();
            self.at = 0;
        }
        let k = buf.len().min(self.line.len() - self.at);
        buf[..k].copy_from_slice(&self.line[self.at..self.at + k]);
        self.at += k;
        Ok(k)
    }
}

fn flow(store: &mut Store, n: u64) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let mut sum = Summariser::new(Summariser::DEFAULT_LIMIT);
    let stats = store.graph_write(|w| {
        let mut open = || Ok(Box::new(Generated::new(n)) as Box<dyn Read>);
        let r =
            summarise_flow_log("generated.log", &mut open, u64::MAX, &mut sum, &mut |_| {}, &mut |s: &mut Summariser| w.add(&s.drain()));
        if !sum.is_empty() {
            w.add(&sum.drain())?;
        }
        match r {
            Ok(stats) => Ok(stats),
            Err(rampart_graph::flow::Stop::Flush(e)) => Err(e),
            Err(rampart_graph::flow::Stop::File(e)) => Err(rampart_hub::StoreError::InvalidUpdate(e.to_string())),
        }
    })?;
    let secs = t0.elapsed().as_secs_f64();
    let (summaries, entities, _) = store.graph_counts()?;
    println!(
        "flow: {} records ({} without data), {secs:.1} s, {:.0} records/s; store: {summaries} summaries, {entities} entities",
        stats.records,
        stats.no_data,
        stats.records as f64 / secs
    );
    Ok(())
}

const BUSY: &str = "arn:aws:sts::111122223333:assumed-role/app-0-instance/i-0123456789abcdef0";

/// A year of hourly summaries of one busy principal (every hour: 12 API calls, 2 with an
/// error, 3 addresses, 2 user agents, 4 resources, its account, role and key; every week a new
/// address), plus 200 other principals' hours as company in the table; then the profile of
/// the last day with its 45-day baseline, as `rampart investigate entity` asks it, 11 times.
fn profile(store: &mut Store, days: i64) -> Result<(), Box<dyn std::error::Error>> {
    let end = 1_796_083_200i64; // 2026-12-01T00:00:00Z
    let hours = days * 24;
    let t0 = Instant::now();
    let apis = [
        "kms:Decrypt",
        "sts:AssumeRole",
        "ec2:DescribeInstances",
        "ssm:GetParameter",
        "logs:CreateLogStream",
        "s3:GetBucketLocation",
        "dynamodb:DescribeTable",
        "secretsmanager:GetSecretValue",
        "ecr:GetAuthorizationToken",
        "ssm:UpdateInstanceInformation",
        "kms:GenerateDataKey",
        "sts:GetCallerIdentity",
    ];
    if store.graph_entity(BUSY)?.is_none() {
        for chunk_start in (0..hours).step_by(24 * 7) {
            store.graph_write(|w| {
                let mut sum = Summariser::new(usize::MAX);
                for h in chunk_start..(chunk_start + 24 * 7).min(hours) {
                    let at = end - (hours - h) * 3600;
                    let one = |n: u64, ok: bool| Tally {
                        count: n,
                        success: if ok { n } else { 0 },
                        failure: if ok { 0 } else { n },
                        bytes: 0,
                        packets: 0,
                        first_seen: at,
                        last_seen: at + 3000,
                    };
                    sum.entity(BUSY, EntityKind::RoleSession, at);
                    for (k, api) in apis.iter().enumerate() {
                        sum.add(BUSY, Rel::ApiCall, api, "", one(50 + k as u64 * 7, true));
                        if k < 2 {
                            sum.add(BUSY, Rel::ApiCall, api, "AccessDenied", one(1, false));
                        }
                    }
                    let week = h / (24 * 7);
                    for ip in [format!("203.0.113.{}", week % 250), "10.0.1.17".to_string(), "10.0.2.17".to_string()] {
                        sum.add(BUSY, Rel::Ip, &ip, "", one(100, true));
                    }
                    for ua in ["aws-sdk-java/2.25.11 Linux/5.10", "amazon-ssm-agent/3.3.380.0"] {
                        sum.add(BUSY, Rel::UserAgent, ua, "", one(300, true));
                    }
                    for r in 0..4 {
                        sum.add(BUSY, Rel::Resource, &format!("arn:aws:kms:us-east-1:111122223333:key/k{r}"), "kms:Decrypt", one(20, true));
                    }
                    sum.add(BUSY, Rel::InAccount, "111122223333", "", one(600, true));
                    sum.add(BUSY, Rel::SessionRole, "arn:aws:iam::111122223333:role/app-0-instance", "", one(600, true));
                    sum.add("ASIAEXAMPLEEXAMPLE01", Rel::KeyOf, BUSY, "", one(600, true));
                    sum.add("i-0123456789abcdef0", Rel::InstanceSession, BUSY, "", one(600, true));
                    for p in 0..200 {
                        sum.add(&format!("arn:aws:iam::111122223333:user/u{p}"), Rel::ApiCall, apis[p % apis.len()], "", one(3, true));
                    }
                }
                w.add(&sum.drain())
            })?;
        }
    }
    let (summaries, entities, _) = store.graph_counts()?;
    println!("profile: store of {summaries} summaries, {entities} entities ({days} days), filled in {:.1} s", t0.elapsed().as_secs_f64());
    let seen = store.graph_entity(BUSY)?.ok_or("the busy principal is missing")?;
    for (name, scope_days) in [("last day", 1i64), ("last 30 days", 30), ("whole year", days)] {
        let mut times = Vec::new();
        let mut shown = 0usize;
        for _ in 0..11 {
            let t = Instant::now();
            // As the app's entity_profile: its scope from the entity's last sighting.
            let to = rampart_graph::hour_of(seen.last_seen) + 3600;
            let p = store.graph_profile(BUSY, seen.kind, ProfileScope { from: to - scope_days * 86_400, to, baseline_days: 45 })?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            shown = p.api_calls.len() + p.ips.len() + p.activity.len();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("profile over the {name} (+45-day baseline): median {:.1} ms, max {:.1} ms ({shown} rows shown)", times[5], times[10]);
    }
    Ok(())
}
