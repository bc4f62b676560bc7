//! `rampart ip-ranges update [--url URL] [--dir DIR]`: download AWS's published IP ranges
//! (`ip-ranges.json`), check them ([`rampart_checks::ip_ranges::AwsIpRanges::parse`]) and keep
//! them as a dated snapshot for the checks that need them (`route53_dangling_ip`). Tests point
//! `--url` at a loopback server.
//!
//! Files written in DIR (default [`rampart_app::ip_ranges::default_dir`]):
//! `ip-ranges-<createDate>.json` (the file exactly as downloaded) and `ip-ranges.json` (a copy
//! of the newest; what a scan reads, [`rampart_app::ip_ranges::load`]). A download that does
//! not parse is refused and leaves the existing snapshot in place.

use anyhow::{bail, Context, Result};
use rampart_checks::ip_ranges::AwsIpRanges;
use std::path::Path;

/// Where AWS publishes the ranges.
pub const DEFAULT_URL: &str = "https://ip-ranges.amazonaws.com/ip-ranges.json";

use rampart_app::ip_ranges::CURRENT;

/// `rampart ip-ranges update`: the snapshot's date and size on stderr.
pub fn main(url: &str, dir: Option<std::path::PathBuf>) -> Result<std::process::ExitCode> {
    let dir = dir.unwrap_or_else(rampart_app::ip_ranges::default_dir);
    let r = update(url, &dir)?;
    eprintln!("AWS IP ranges of {} ({} prefixes) saved in {}", r.create_date, r.len(), dir.display());
    Ok(std::process::ExitCode::SUCCESS)
}

/// Downloads `url` into `dir` and keeps it when it parses; the snapshot.
pub fn update(url: &str, dir: &Path) -> Result<AwsIpRanges> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        bail!("--url `{url}` is not an http:// or https:// URL");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`: check its permissions or give another --dir", dir.display()))?;
    let partial = dir.join(format!(".ip-ranges-download-{}", std::process::id()));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let advice = crate::vulndb_update::Advice {
        flag: "--url",
        offline: "download https://ip-ranges.amazonaws.com/ip-ranges.json yourself and serve it to --url (for example `python3 -m http.server`)",
        not_found: "check --url",
    };
    let got = rt.block_on(crate::vulndb_update::download(url, &partial, &|_| {}, &advice));
    let result = got.and_then(|_| keep(&partial, dir));
    let _ = std::fs::remove_file(&partial);
    result
}

/// Checks the downloaded file and stores it as the dated and the current snapshot.
fn keep(downloaded: &Path, dir: &Path) -> Result<AwsIpRanges> {
    let text = std::fs::read_to_string(downloaded).with_context(|| format!("cannot read `{}`", downloaded.display()))?;
    let ranges = AwsIpRanges::parse(&text).map_err(|e| anyhow::anyhow!("the download is not AWS's IP ranges ({e}); the previous snapshot is kept"))?;
    let dated = dir.join(format!("ip-ranges-{}.json", ranges.create_date));
    std::fs::write(&dated, &text).with_context(|| format!("cannot write `{}`: check the free disk space", dated.display()))?;
    // The current snapshot is replaced in one rename: a scan never reads half a file.
    let tmp = dir.join(format!(".{CURRENT}.{}", std::process::id()));
    std::fs::write(&tmp, &text).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(CURRENT)).with_context(|| format!("cannot replace `{}`", dir.join(CURRENT).display()))?;
    Ok(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_app::ip_ranges::load;
    use std::io::{Read, Write};

    /// A loopback HTTP server answering every request with `status` and `body`.
    fn serve(status: &'static str, body: &'static str) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/ip-ranges.json", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let mut conn = conn;
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                let _ = write!(conn, "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            }
        });
        url
    }

    /// The format of AWS's file, with documentation ranges (RFC 5737) instead of AWS's.
    const FIXTURE: &str = r#"{"syncToken":"1765055587","createDate":"2026-12-06-21-13-07","prefixes":[{"ip_prefix":"198.51.100.0/24","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}],"ipv6_prefixes":[]}"#;

    #[test]
    fn a_valid_download_becomes_the_dated_and_current_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().is_none(), "no snapshot yet");
        let r = update(&serve("200 OK", FIXTURE), dir.path()).unwrap();
        assert_eq!(r.create_date, "2026-12-06-21-13-07");
        assert_eq!(std::fs::read_to_string(dir.path().join("ip-ranges-2026-12-06-21-13-07.json")).unwrap(), FIXTURE);
        assert_eq!(load(dir.path()).unwrap().unwrap().date(), "2026-12-06");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).filter(|n| n.starts_with('.')).collect();
        assert!(left.is_empty(), "scratch files left: {left:?}");
    }

    #[test]
    fn a_bad_download_is_refused_and_the_old_snapshot_kept() {
        let dir = tempfile::tempdir().unwrap();
        update(&serve("200 OK", FIXTURE), dir.path()).unwrap();
        let e = update(&serve("200 OK", "<html>captive portal</html>"), dir.path()).unwrap_err().to_string();
        assert!(e.starts_with("the download is not AWS's IP ranges (not AWS's ip-ranges.json format"), "{e}");
        let e = format!("{:#}", update(&serve("404 Not Found", ""), dir.path()).unwrap_err());
        assert!(e.ends_with("HTTP 404 Not Found: check --url"), "{e}");
        assert_eq!(load(dir.path()).unwrap().unwrap().create_date, "2026-12-06-21-13-07", "the good snapshot stays");
        let e = update("ftp://example.com/x", dir.path()).unwrap_err().to_string();
        assert_eq!(e, "--url `ftp://example.com/x` is not an http:// or https:// URL");
        std::fs::write(dir.path().join(CURRENT), "{}").unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.ends_with("run `rampart ip-ranges update`"), "{e}");
    }
}
