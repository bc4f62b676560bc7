//! A bounded load test of the API over loopback, with the server's memory.
//!
//! ```text
//! cargo run --release -p rampart-server --example load_test -- DB [CONNECTIONS] [SECONDS]
//! ```
//!
//! `DB` is a store with findings, e.g. the million that `rampart-hub`'s `query_bench`
//! leaves with `RAMPART_BENCH_DB=DB`. The example starts the server in a child process of
//! its own (the same `rampart_server::start` that `rampart serve` runs, request logs
//! included, written to /dev/null), signs in with an API token of a viewer it creates,
//! and keeps CONNECTIONS (default 16) keep-alive HTTP/1.1 connections busy for SECONDS
//! (default 30), each sending its next request as soon as the last is answered. The mix:
//! 60% findings pages with filters (the page and its total), 20% a finding's detail, 20%
//! an insight's result (managed insights, the resource ones included); two of the eight
//! page filters sort by last-seen and by account, which sorts every match
//! (`LOAD_DEFAULT_ORDER=1` keeps every page in the default, indexed order). Any answer but
//! 200 counts as an error. It prints requests per second, latency percentiles per kind,
//! and the server process's resident memory (`VmRSS`, `VmHWM` of /proc/PID/status) idle
//! and under load. docs/benchmarks.md ("Hub at 1M findings") has the results.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FILTERS: [&str; 8] = [
    "",
    "severity=high",
    "severity_label=CRITICAL&workflow=NEW",
    "status=FAILED&account=222222222222",
    "resource_type=AwsS3Bucket&region=eu-west-1",
    "check=synthetic_check_042",
    "status=FAILED&severity=medium&sort=last-seen",
    "workflow=NEW&resource_type=AwsEc2Instance&sort=account&order=asc",
];

const INSIGHTS: [&str; 6] = ["managed/29", "managed/27", "managed/28", "managed/1", "managed/31", "managed/16"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        return serve(PathBuf::from(args.get(1).ok_or("--serve DB")?));
    }
    let db = PathBuf::from(args.first().ok_or("usage: load_test DB [CONNECTIONS] [SECONDS]")?);
    if !db.is_file() {
        return Err(format!("no store at {}: make one with RAMPART_BENCH_DB={} query_bench", db.display(), db.display()).into());
    }
    let connections: usize = args.get(1).map_or(Ok(16), |a| a.parse())?;
    let seconds: u64 = args.get(2).map_or(Ok(30), |a| a.parse())?;

    // A viewer and its token; the ids of a few findings for the detail requests.
    let accounts = rampart_server::open_accounts(&db)?;
    let name = format!("load-{}", std::process::id());
    rampart_server::add_user(accounts.as_ref(), &name, rampart_server::Role::Viewer, "load test password 1234")?;
    let token = rampart_server::issue_token(accounts.as_ref(), &name)?;
    drop(accounts);
    let store = rampart_hub::Store::open_read_only(&db)?;
    let ids: Vec<String> = store
        .get_findings(&rampart_hub::FindingQuery::default(), time::OffsetDateTime::now_utc())?
        .findings
        .into_iter()
        .map(|r| r.finding.id)
        .collect();
    let findings = store.count_matching(&rampart_hub::FindingFilters::default(), time::OffsetDateTime::now_utc())?;
    drop(store);
    if ids.is_empty() {
        return Err("the store holds no findings".into());
    }

    let mut child = Command::new(std::env::current_exe()?)
        .arg("--serve")
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let addr: std::net::SocketAddr = line.trim().parse().map_err(|_| format!("the server said `{}`", line.trim()))?;
    std::thread::sleep(Duration::from_secs(2));
    let idle = memory(pid)?;

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let peak = Arc::new(AtomicU64::new(0));
    let (samples, errors, wall) = rt.block_on(async {
        let sampler_deadline = Instant::now() + Duration::from_secs(seconds + 600);
        let sampler = {
            let peak = Arc::clone(&peak);
            tokio::spawn(async move {
                while Instant::now() < sampler_deadline {
                    if let Ok((rss, _)) = memory(pid) {
                        peak.fetch_max(rss, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            })
        };
        // Each distinct request once, alone: what one client waits for each.
        {
            let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.expect("handshake");
            tokio::spawn(conn);
            let mut seen = std::collections::BTreeSet::new();
            for n in 0..10 * FILTERS.len().max(INSIGHTS.len()) {
                let (_, path) = request(n, &ids);
                if !seen.insert(path.clone()) || seen.len() > 16 {
                    continue;
                }
                let req = hyper::Request::get(path.as_str())
                    .header("host", addr.to_string())
                    .header("authorization", format!("Bearer {token}"))
                    .body(Empty::<Bytes>::new())
                    .expect("request");
                sender.ready().await.expect("connection ready");
                let start = Instant::now();
                let resp = sender.send_request(req).await.expect("answer");
                let status = resp.status();
                let body = resp.into_body().collect().await.expect("body").to_bytes();
                println!("alone: {path} → {status}, {} bytes, {:.1?}", body.len(), start.elapsed());
            }
        }
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let samples: Arc<Mutex<Vec<(usize, Duration)>>> = Arc::default();
        let errors = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..connections {
            let (samples, errors, token, ids) = (Arc::clone(&samples), Arc::clone(&errors), token.clone(), ids.clone());
            tasks.push(tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
                stream.set_nodelay(true).ok();
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.expect("handshake");
                tokio::spawn(conn);
                let mut mine = Vec::new();
                let mut n = c;
                while Instant::now() < deadline {
                    let (kind, path) = request(n, &ids);
                    n += connections;
                    let req = hyper::Request::get(path.as_str())
                        .header("host", addr.to_string())
                        .header("authorization", format!("Bearer {token}"))
                        .body(Empty::<Bytes>::new())
                        .expect("request");
                    let start = Instant::now();
                    if sender.ready().await.is_err() {
                        errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("connection closed before {path}");
                        break;
                    }
                    let ok = match sender.send_request(req).await {
                        Ok(resp) => {
                            let status = resp.status();
                            let body = resp.into_body().collect().await.map(|b| b.to_bytes());
                            status == 200 && body.is_ok()
                        }
                        Err(_) => false,
                    };
                    mine.push((kind, start.elapsed()));
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("error on {path}");
                    }
                }
                samples.lock().unwrap().extend(mine);
            }));
        }
        for t in tasks {
            t.await.expect("client task");
        }
        let wall = started.elapsed();
        sampler.abort();
        let samples = std::mem::take(&mut *samples.lock().unwrap());
        (samples, errors.load(Ordering::Relaxed), wall)
    });
    let (rss_after, hwm) = memory(pid)?;
    drop(child.stdin.take());
    child.wait()?;

    println!("store: {} ({findings} findings)", db.display());
    println!("{connections} connections for {:.1?}: {} requests, {errors} errors", wall, samples.len());
    println!("throughput: {:.0} requests/s", samples.len() as f64 / wall.as_secs_f64());
    report("all", samples.iter().map(|s| s.1).collect());
    for (k, name) in ["findings page + total", "finding detail", "insight result"].iter().enumerate() {
        report(name, samples.iter().filter(|s| s.0 == k).map(|s| s.1).collect());
    }
    let mib = |kb: u64| kb as f64 / 1024.0;
    println!(
        "server memory: idle {:.0} MiB; under load up to {:.0} MiB (sampled every 200 ms), {:.0} MiB after; peak (VmHWM) {:.0} MiB",
        mib(idle.0),
        mib(peak.load(Ordering::Relaxed)),
        mib(rss_after),
        mib(hwm)
    );
    if errors > 0 {
        return Err(format!("{errors} requests failed").into());
    }
    Ok(())
}

/// The `n`th request: its kind (0 page, 1 detail, 2 insight) and path.
fn request(n: usize, ids: &[String]) -> (usize, String) {
    match n % 10 {
        0..=5 => {
            let filters = FILTERS[(n / 10) % FILTERS.len()];
            // `LOAD_DEFAULT_ORDER=1`: every page in the default order (most severe first),
            // which an index serves; the other orders sort every match.
            let filters = match std::env::var_os("LOAD_DEFAULT_ORDER") {
                Some(_) => filters.split('&').filter(|p| !p.starts_with("sort=") && !p.starts_with("order=")).collect::<Vec<_>>().join("&"),
                None => filters.to_string(),
            };
            (0, format!("/api/v1/findings?{filters}"))
        }
        6 | 7 => (1, format!("/api/v1/findings/{}", ids[(n / 10) % ids.len()].replace('/', "%2F"))),
        _ => (2, format!("/api/v1/insights/{}", INSIGHTS[(n / 10) % INSIGHTS.len()].replace('/', "%2F"))),
    }
}

fn report(what: &str, mut times: Vec<Duration>) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "  {what}: {} requests, p50 {:.1?}, p95 {:.1?}, p99 {:.1?}, max {:.1?}",
        times.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        times[times.len() - 1]
    );
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
fn memory(pid: u32) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

/// The child: `rampart serve` over `db` on a loopback port (printed on standard output)
/// until standard input closes.
fn serve(db: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    rampart_server::init_logging(rampart_server::LogFormat::Text, 0);
    let accounts = rampart_server::open_accounts(&db)?;
    let opts = rampart_server::Options { listen: "127.0.0.1:0".parse()?, db, tls: None };
    let running = rampart_server::start(&opts, accounts)?;
    println!("{}", running.addr);
    std::io::stdout().flush()?;
    let mut rest = Vec::new();
    std::io::stdin().read_to_end(&mut rest)?;
    running.stop();
    Ok(())
}
