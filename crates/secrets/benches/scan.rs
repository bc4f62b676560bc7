//! Scan throughput: a generated tree of 10,000 files / 100 MB and a generated repository of
//! 1,000 commits. `cargo bench -p rampart-secrets`; prints times.

use rampart_secrets::{scan_git_history, scan_paths, ScanOptions};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const FILES: usize = 10_000;
const FILE_BYTES: usize = 10_000;
const COMMITS: usize = 1_000;
// Made-up keys in AWS's formats; none is real.
const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
const SECRET: &str = "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";

/// xorshift64: deterministic filler without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// About `len` bytes of source-like text: identifiers, base64-ish tokens, the odd `secret`
/// label and `A...` uppercase runs, so the detector's slow paths are exercised too.
fn text(rng: &mut Rng, len: usize, planted: bool) -> Vec<u8> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
    let mut out = Vec::with_capacity(len + 200);
    let mut line = 0;
    while out.len() < len {
        line += 1;
        match rng.next() % 20 {
            0 => out.extend_from_slice(b"    let secret_name = config.get(\"SECRET_KEY_NAME\");\n"),
            1 => {
                out.extend_from_slice(b"    token = \"");
                for _ in 0..40 {
                    out.push(ALPHA[(rng.next() % 64) as usize]);
                }
                out.extend_from_slice(b"\"\n");
            }
            2 => out.extend_from_slice(b"    // ASIAN AKIAS ASIA AKIA partial ids\n"),
            _ => {
                out.extend_from_slice(b"    fn item_");
                out.extend_from_slice(format!("{}(x: u32) -> u32 {{ x * {} }}\n", rng.next() % 100_000, line).as_bytes());
            }
        }
        if planted && line == 10 {
            out.extend_from_slice(format!("aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n").as_bytes());
        }
    }
    out
}

fn tree(root: &Path) -> u64 {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0;
    for i in 0..FILES {
        let dir = root.join(format!("d{:02}/e{:02}", i % 50, (i / 50) % 20));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let data = text(&mut rng, FILE_BYTES, i % 1000 == 7);
        bytes += data.len() as u64;
        std::fs::write(dir.join(format!("f{i}.rs")), data).expect("write");
    }
    bytes
}

/// A repository of `COMMITS` commits over 300 files, 3 files changed per commit, built with
/// `git fast-import`. A key is added at commit 100 and removed at 101.
fn repo(dir: &Path) {
    let git = |args: &[&str]| {
        let ok = Command::new("git").arg("-C").arg(dir).args(args).env("GIT_CONFIG_GLOBAL", "/dev/null").status().expect("git");
        assert!(ok.success());
    };
    std::fs::create_dir_all(dir).expect("mkdir");
    git(&["init", "-q", "-b", "main"]);
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    let mut w = std::io::BufWriter::new(child.stdin.take().expect("stdin"));
    let mut rng = Rng(42);
    for c in 0..COMMITS {
        let msg = format!("commit {c}");
        write!(w, "commit refs/heads/main\ncommitter t <t@example.com> {} +0000\ndata {}\n{msg}\n", 1_700_000_000 + c, msg.len()).expect("write");
        let files: Vec<usize> = if c == 0 { (0..300).collect() } else { (0..3).map(|_| (rng.next() % 300) as usize).collect() };
        for f in files {
            let data = text(&mut rng, 3_000, false);
            write!(w, "M 100644 inline src/m{}/f{f}.rs\ndata {}\n", f % 10, data.len()).expect("write");
            w.write_all(&data).expect("write");
            w.write_all(b"\n").expect("write");
        }
        if c == 100 {
            let data = format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n");
            write!(w, "M 100644 inline .env\ndata {}\n{data}\n", data.len()).expect("write");
        }
        if c == 101 {
            writeln!(w, "D .env").expect("write");
        }
    }
    drop(w);
    assert!(child.wait().expect("fast-import").success());
}

fn main() {
    let tmp = std::env::temp_dir().join(format!("rampart-secrets-bench-{}", std::process::id()));
    let opts = ScanOptions::default();

    let t = Instant::now();
    let bytes = tree(&tmp.join("tree"));
    println!("generated {FILES} files, {:.1} MB in {:.2?}", bytes as f64 / 1e6, t.elapsed());
    for round in 1..=2 {
        let t = Instant::now();
        let report = scan_paths(&[tmp.join("tree")], &opts).expect("scan");
        let el = t.elapsed();
        assert_eq!(report.hits.len(), FILES / 1000);
        println!(
            "scan_paths round {round}: {} files, {:.1} MB, {} hits in {el:.2?} ({:.0} MB/s)",
            report.scanned,
            report.bytes as f64 / 1e6,
            report.hits.len(),
            report.bytes as f64 / 1e6 / el.as_secs_f64()
        );
    }

    let t = Instant::now();
    repo(&tmp.join("repo"));
    println!("generated a repository of {COMMITS} commits in {:.2?}", t.elapsed());
    for round in 1..=2 {
        let t = Instant::now();
        let report = scan_git_history(&tmp.join("repo"), &opts).expect("history");
        let el = t.elapsed();
        assert_eq!(report.hits.len(), 1);
        assert!(report.hits[0].location.commit.is_some());
        println!(
            "scan_git_history round {round}: {} unique blobs, {:.1} MB, {} hit in {el:.2?}",
            report.scanned,
            report.bytes as f64 / 1e6,
            report.hits.len()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
