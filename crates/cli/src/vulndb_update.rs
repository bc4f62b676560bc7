//! `rampart vulndb update`: download the OSV project's per-ecosystem exports
//! (`<mirror>/<ecosystem>/all.zip`, https://google.github.io/osv.dev/data/#data-dumps) and
//! import them like `rampart vulndb import` does. The only command that reaches the
//! network; tests point `--mirror` at a loopback server.

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::{connect::Connect, Client};
use hyper_util::rt::TokioExecutor;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Where the OSV project publishes its exports.
pub const DEFAULT_MIRROR: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The ecosystems host, image and function matching looks up (see `rampart_vuln::hostmap`).
pub const DEFAULT_ECOSYSTEMS: &[&str] =
    &["Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "PyPI", "npm", "crates.io", "Go"];

/// How long one download may stall (connect, or between two chunks of the body).
const STALL: Duration = Duration::from_secs(60);

/// `<mirror>/<ecosystem, percent-encoded>/all.zip`.
pub fn export_url(mirror: &str, ecosystem: &str) -> String {
    let mut enc = String::new();
    for b in ecosystem.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => enc.push(b as char),
            _ => enc.push_str(&format!("%{b:02X}")),
        }
    }
    format!("{}/{enc}/all.zip", mirror.trim_end_matches('/'))
}

/// Downloads every ecosystem's export into a scratch folder beside the database and
/// imports it. An ecosystem that fails is reported and the others go on; the result is
/// the number that failed.
pub fn update(store: &mut rampart_hub::VulnStore, db_path: &Path, mirror: &str, ecosystems: &[String]) -> Result<usize> {
    let scheme = mirror.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        bail!("--mirror `{mirror}` is not an http:// or https:// URL");
    }
    let scratch = db_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(format!(".rampart-download-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).with_context(|| format!("cannot create `{}`: check the permissions of the database's folder", scratch.display()))?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")?;
    let mut failed = 0;
    for eco in ecosystems {
        let url = export_url(mirror, eco);
        let file = scratch.join(format!("{}-all.zip", eco.replace(|c: char| !c.is_ascii_alphanumeric(), "_")));
        let progress = crate::progress::Progress::on_stderr();
        progress.show(format_args!("downloading {eco}"));
        let got = rt.block_on(download(&url, &file, &|bytes| progress.show(format_args!("downloading {eco}: {}", crate::progress::mib(bytes))), &OSV_ADVICE));
        match got {
            Ok(bytes) => {
                let now = time::OffsetDateTime::now_utc();
                progress.show(format_args!("importing {eco}: {}", crate::progress::mib(bytes)));
                let (stats, errors) = store.import_path(&file, now)?;
                progress.clear();
                for e in &errors {
                    eprintln!("warning: {eco}: {e}");
                }
                eprintln!("{eco}: {bytes} bytes from {url}: {}", crate::vulndb::describe(&stats));
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {eco}: {e:#}");
            }
        }
        let _ = std::fs::remove_file(&file);
    }
    let _ = std::fs::remove_dir(&scratch);
    Ok(failed)
}

/// What a failed download tells the user to do: the flag that names the source, and what to
/// do without the network.
pub(crate) struct Advice {
    pub flag: &'static str,
    pub offline: &'static str,
    pub not_found: &'static str,
}

const OSV_ADVICE: Advice = Advice {
    flag: "--mirror",
    offline: "download the export yourself and run `rampart vulndb import FILE`",
    not_found: "check the ecosystem's name (as OSV spells it, e.g. `Debian`, `PyPI`, `crates.io`) and --mirror",
};

/// GETs `url` (following up to 5 redirects) into `to`; the number of bytes written.
pub(crate) async fn download(url: &str, to: &Path, progress: &dyn Fn(u64), advice: &Advice) -> Result<u64> {
    if url.starts_with("https://") || url.starts_with("HTTPS://") {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .with_context(|| format!("no trusted root certificates on this machine: install ca-certificates, or {}", advice.offline))?
            .https_or_http()
            .enable_http1()
            .build();
        fetch(Client::builder(TokioExecutor::new()).build(https), url, to, progress, advice).await
    } else {
        fetch(Client::builder(TokioExecutor::new()).build_http(), url, to, progress, advice).await
    }
}

async fn fetch<C: Connect + Clone + Send + Sync + 'static>(client: Client<C, Empty<Bytes>>, url: &str, to: &Path, progress: &dyn Fn(u64), advice: &Advice) -> Result<u64> {
    let mut url = url.to_owned();
    for _ in 0..=5 {
        let uri: hyper::Uri = url.parse().map_err(|e| anyhow!("`{url}` is not a valid URL: {e}"))?;
        let resp = tokio::time::timeout(STALL, client.get(uri))
            .await
            .map_err(|_| anyhow!("{url}: no answer within {} s: check the network, or {}", STALL.as_secs(), advice.offline))?
            .map_err(|e| anyhow!("{url}: {}: check the network or {}, or {}", error_chain(&e), advice.flag, advice.offline))?;
        let status = resp.status();
        if status.is_redirection() {
            let next = resp.headers().get(hyper::header::LOCATION).and_then(|v| v.to_str().ok()).ok_or_else(|| anyhow!("{url}: HTTP {status} without a Location"))?;
            url = if next.starts_with('/') {
                let origin_end = url.find("://").map(|i| i + 3).and_then(|s| url[s..].find('/').map(|j| s + j)).unwrap_or(url.len());
                format!("{}{next}", &url[..origin_end])
            } else {
                next.to_owned()
            };
            continue;
        }
        if !status.is_success() {
            bail!("{url}: HTTP {status}: {}", advice.not_found);
        }
        let mut file = std::fs::File::create(to).with_context(|| format!("cannot create `{}`", to.display()))?;
        let mut body = resp.into_body();
        let mut written = 0u64;
        loop {
            let frame = match tokio::time::timeout(STALL, body.frame()).await {
                Err(_) => bail!("{url}: the download stalled for {} s", STALL.as_secs()),
                Ok(None) => break,
                Ok(Some(frame)) => frame.map_err(|e| anyhow!("{url}: the download broke off: {e}"))?,
            };
            if let Some(data) = frame.data_ref() {
                file.write_all(data).with_context(|| format!("cannot write `{}`: check the free disk space", to.display()))?;
                written += data.len() as u64;
                progress(written);
            }
        }
        file.sync_all().ok();
        return Ok(written);
    }
    bail!("{url}: more than 5 redirects")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_urls_percent_encode_the_ecosystem() {
        assert_eq!(export_url("https://m.example/", "Red Hat"), "https://m.example/Red%20Hat/all.zip");
        assert_eq!(export_url("http://127.0.0.1:8080", "crates.io"), "http://127.0.0.1:8080/crates.io/all.zip");
        assert_eq!(export_url("http://h", "Ubuntu:22.04:LTS"), "http://h/Ubuntu%3A22.04%3ALTS/all.zip");
    }
}
