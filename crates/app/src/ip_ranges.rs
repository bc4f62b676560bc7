//! Where the AWS IP ranges snapshot of `rampart ip-ranges update` lives, and reading it for a
//! scan (`route53_dangling_ip`). A scan uses this snapshot when there is one, else the one
//! bundled with the build ([`rampart_checks::ip_ranges::bundled`]), else none (the addresses
//! that need it are NOT_AVAILABLE).

use anyhow::{Context, Result};
use rampart_checks::ip_ranges::AwsIpRanges;
use std::path::{Path, PathBuf};

/// The file a scan reads in the snapshot folder.
pub const CURRENT: &str = "ip-ranges.json";

/// The snapshot folder: `$RAMPART_IP_RANGES` (a directory), else `aws-ip-ranges` beside the
/// default vulnerability database (the user's data directory).
pub fn default_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("RAMPART_IP_RANGES").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let db = rampart_hub::VulnStore::default_path();
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("aws-ip-ranges")
}

/// The current snapshot of `dir`, `None` when there is none; an unreadable or invalid one is
/// an error naming the command that fixes it.
pub fn load(dir: &Path) -> Result<Option<AwsIpRanges>> {
    let path = dir.join(CURRENT);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    AwsIpRanges::parse(&text)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("`{}` is not AWS's IP ranges ({e}): run `rampart ip-ranges update`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_valid_and_invalid_snapshots() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().is_none());
        let text = r#"{"syncToken":"1","createDate":"2026-12-06-21-13-07","prefixes":[{"ip_prefix":"198.51.100.0/24","region":"us-east-1","service":"AMAZON"}]}"#;
        std::fs::write(dir.path().join(CURRENT), text).unwrap();
        assert_eq!(load(dir.path()).unwrap().unwrap().date(), "2026-12-06");
        std::fs::write(dir.path().join(CURRENT), "{}").unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.ends_with("run `rampart ip-ranges update`"), "{e}");
    }
}
