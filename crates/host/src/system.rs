//! Mounts, kernel parameters and core dump settings.

use std::collections::BTreeMap;

use crate::error::EntryError;
use crate::telemetry::{Limit, Mount};

/// The kernel parameters the CIS and best-practice rules read.
pub const SYSCTL_KEYS: &[&str] = &[
    "fs.protected_hardlinks",
    "fs.protected_symlinks",
    "fs.suid_dumpable",
    "kernel.dmesg_restrict",
    "kernel.kptr_restrict",
    "kernel.randomize_va_space",
    "kernel.yama.ptrace_scope",
    "net.ipv4.conf.all.accept_redirects",
    "net.ipv4.conf.all.accept_source_route",
    "net.ipv4.conf.all.log_martians",
    "net.ipv4.conf.all.rp_filter",
    "net.ipv4.conf.all.secure_redirects",
    "net.ipv4.conf.all.send_redirects",
    "net.ipv4.conf.default.accept_redirects",
    "net.ipv4.conf.default.accept_source_route",
    "net.ipv4.conf.default.log_martians",
    "net.ipv4.conf.default.rp_filter",
    "net.ipv4.conf.default.secure_redirects",
    "net.ipv4.conf.default.send_redirects",
    "net.ipv4.icmp_echo_ignore_broadcasts",
    "net.ipv4.icmp_ignore_bogus_error_responses",
    "net.ipv4.ip_forward",
    "net.ipv4.tcp_syncookies",
    "net.ipv6.conf.all.accept_ra",
    "net.ipv6.conf.all.accept_redirects",
    "net.ipv6.conf.all.accept_source_route",
    "net.ipv6.conf.all.forwarding",
    "net.ipv6.conf.default.accept_ra",
    "net.ipv6.conf.default.accept_redirects",
    "net.ipv6.conf.default.accept_source_route",
];

/// The `/proc/sys` path of a sysctl key (`net.ipv4.ip_forward` ⇒ `net/ipv4/ip_forward`).
pub fn sysctl_path(key: &str) -> String {
    key.replace('.', "/")
}

/// Parses `/proc/mounts` or `/etc/fstab` (octal escapes such as `\040` decoded).
pub fn parse_mounts(text: &str) -> (Vec<Mount>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            errors.push(EntryError::new(
                format!("line {}", k + 1),
                "fewer than 4 fields",
            ));
            continue;
        }
        out.push(Mount {
            device: unescape(f[0]),
            mount_point: unescape(f[1]),
            fs_type: f[2].to_owned(),
            options: f[3].split(',').map(str::to_owned).collect(),
        });
    }
    (out, errors)
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') as u32 * 64
                + (b[i + 2] - b'0') as u32 * 8
                + (b[i + 3] - b'0') as u32;
            if let Ok(byte) = u8::try_from(v) {
                out.push(byte);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `core` lines of a limits.conf(5) file; `origin` names the file.
pub fn parse_limits(text: &str, origin: &str) -> (Vec<Limit>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != 4 {
            errors.push(EntryError::new(
                format!("{origin}:{}", k + 1),
                "not `domain type item value`",
            ));
            continue;
        }
        if f[2] == "core" {
            out.push(Limit {
                domain: f[0].to_owned(),
                kind: f[1].to_owned(),
                item: f[2].to_owned(),
                value: f[3].to_owned(),
                origin: format!("{origin}:{}", k + 1),
            });
        }
    }
    (out, errors)
}

/// `Storage=` and `ProcessSizeMax=` of systemd's coredump.conf `[Coredump]`.
pub fn parse_coredump_conf(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with(['#', ';', '[']))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| matches!(k.trim(), "Storage" | "ProcessSizeMax"))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_with_escapes() {
        let (m, errors) = parse_mounts("tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n/dev/sda1 /mnt/my\\040disk ext4 rw 0 0\nbroken line\n");
        assert_eq!(m[0].options, ["rw", "nosuid", "nodev"]);
        assert_eq!(m[1].mount_point, "/mnt/my disk");
        assert_eq!(errors.len(), 1);
        let (live, errors) = parse_mounts(&std::fs::read_to_string("/proc/mounts").unwrap());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(live.iter().any(|m| m.mount_point == "/"));
    }

    #[test]
    fn limits_and_coredump() {
        let (l, errors) = parse_limits(
            "# c\n*  hard  core  0\n@staff soft nproc 20\nbad\n",
            "/etc/security/limits.conf",
        );
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].value, "0");
        assert_eq!(l[0].origin, "/etc/security/limits.conf:2");
        assert_eq!(
            errors[0].to_string(),
            "entry `/etc/security/limits.conf:4`: not `domain type item value`"
        );
        let c =
            parse_coredump_conf("[Coredump]\n#Storage=external\nStorage=none\nProcessSizeMax=0\n");
        assert_eq!(c["Storage"], "none");
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn sysctl_paths() {
        assert_eq!(
            sysctl_path("net.ipv4.conf.all.rp_filter"),
            "net/ipv4/conf/all/rp_filter"
        );
    }
}
