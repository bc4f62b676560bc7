//! Listening sockets: `/proc/net/{tcp,tcp6,udp,udp6}` joined with the socket inodes
//! of `/proc/PID/fd/*` (live host only).

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use rampart_model::Observed;

use crate::error::EntryError;
use crate::telemetry::{Process, Proto, Socket};

/// TCP_LISTEN in the kernel's `st` column.
const TCP_LISTEN: u8 = 0x0a;
/// TCP_CLOSE: an unconnected (bound) UDP socket.
const UDP_UNCONNECTED: u8 = 0x07;

/// A socket line of `/proc/net/<proto>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetEntry {
    pub local: IpAddr,
    pub local_port: u16,
    pub remote: IpAddr,
    pub remote_port: u16,
    pub state: u8,
    pub uid: u32,
    pub inode: u64,
}

/// Parses a `/proc/net/{tcp,udp}[6]` table (addresses in the host's byte order, as the
/// kernel prints them): the entries and the lines that could not be read.
pub fn parse_table(text: &str, v6: bool) -> (Vec<NetEntry>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (k, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line, v6) {
            Some(e) => out.push(e),
            None => errors.push(EntryError::new(
                format!("line {}", k + 1),
                "malformed socket line",
            )),
        }
    }
    (out, errors)
}

fn parse_line(line: &str, v6: bool) -> Option<NetEntry> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let (local, local_port) = parse_addr(f.get(1)?, v6)?;
    let (remote, remote_port) = parse_addr(f.get(2)?, v6)?;
    Some(NetEntry {
        local,
        local_port,
        remote,
        remote_port,
        state: u8::from_str_radix(f.get(3)?, 16).ok()?,
        uid: f.get(7)?.parse().ok()?,
        inode: f.get(9)?.parse().ok()?,
    })
}

fn parse_addr(s: &str, v6: bool) -> Option<(IpAddr, u16)> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    // Each 32-bit word is printed as the native-endian integer of the network bytes.
    let word = |h: &str| u32::from_str_radix(h, 16).ok().map(u32::to_ne_bytes);
    let ip = if v6 {
        if addr.len() != 32 || !addr.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 16];
        for i in 0..4 {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&word(&addr[i * 8..i * 8 + 8])?);
        }
        IpAddr::V6(Ipv6Addr::from(bytes))
    } else {
        if addr.len() != 8 {
            return None;
        }
        IpAddr::V4(Ipv4Addr::from(word(addr)?))
    };
    Some((ip, port))
}

/// Whether an entry is listening: a TCP socket in LISTEN, or a UDP socket bound and
/// not connected.
pub fn is_listening(proto: Proto, e: &NetEntry) -> bool {
    match proto {
        Proto::Tcp | Proto::Tcp6 => e.state == TCP_LISTEN,
        Proto::Udp | Proto::Udp6 => e.state == UDP_UNCONNECTED && e.remote_port == 0,
    }
}

/// Collects the listening sockets of the running host with their processes:
/// `users` maps uid to name. `Err` when no `/proc/net` table could be read.
pub fn collect(
    proc: &Path,
    users: &BTreeMap<u32, String>,
    problems: &mut Vec<String>,
) -> Result<Vec<Socket>, String> {
    let mut sockets = Vec::new();
    let mut read_any = false;
    for proto in Proto::ALL {
        let path = proc.join("net").join(proto.file_name());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // No IPv6 in this kernel: no such sockets.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                problems.push(format!("cannot read `{}`: {e}", path.display()));
                continue;
            }
        };
        read_any = true;
        let (entries, errors) = parse_table(&text, matches!(proto, Proto::Tcp6 | Proto::Udp6));
        problems.extend(errors.iter().map(|e| format!("`{}`: {e}", path.display())));
        for e in entries.into_iter().filter(|e| is_listening(proto, e)) {
            sockets.push(Socket {
                proto,
                address: e.local,
                port: e.local_port,
                state: if matches!(proto, Proto::Tcp | Proto::Tcp6) {
                    "listen"
                } else {
                    "unconnected"
                }
                .to_owned(),
                inode: e.inode,
                uid: e.uid,
                user: users.get(&e.uid).cloned(),
                processes: Observed::not_collected(),
            });
        }
    }
    if !read_any {
        return Err(format!(
            "no socket table under `{}/net` could be read",
            proc.display()
        ));
    }
    let owners = socket_owners(proc, users);
    for s in &mut sockets {
        s.processes = match owners.get(&s.inode) {
            Some(p) => Observed::Known(p.clone()),
            None => Observed::Unknown(format!(
                "no visible process holds socket inode {} (reading other users' /proc/PID/fd needs root)",
                s.inode
            )),
        };
    }
    sockets.sort_by_key(|s| (s.proto, s.port, s.address, s.inode));
    Ok(sockets)
}

/// Socket inode ⇒ processes with a descriptor on it, from the `/proc/PID/fd` this
/// process may read.
fn socket_owners(proc: &Path, users: &BTreeMap<u32, String>) -> BTreeMap<u64, Vec<Process>> {
    let mut owners: BTreeMap<u64, Vec<Process>> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(proc) else {
        return owners;
    };
    let mut pids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    pids.sort_unstable();
    for pid in pids {
        let dir = proc.join(pid.to_string());
        let Ok(fds) = std::fs::read_dir(dir.join("fd")) else {
            continue; // another user's process, or it exited
        };
        let mut inodes: Vec<u64> = fds
            .filter_map(|fd| {
                let target = std::fs::read_link(fd.ok()?.path()).ok()?;
                let t = target.to_str()?;
                t.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
            })
            .collect();
        if inodes.is_empty() {
            continue;
        }
        inodes.sort_unstable();
        inodes.dedup();
        let process = process_info(&dir, pid, users);
        for inode in inodes {
            owners.entry(inode).or_default().push(process.clone());
        }
    }
    owners
}

fn process_info(dir: &Path, pid: u32, users: &BTreeMap<u32, String>) -> Process {
    let name = std::fs::read_to_string(dir.join("comm"))
        .ok()
        .map(|s| s.trim_end().to_owned());
    let uid = std::fs::read_to_string(dir.join("status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        });
    let exe = match std::fs::read_link(dir.join("exe")) {
        Ok(p) => Observed::Known(p.display().to_string()),
        Err(e) => Observed::Unknown(format!("cannot read `{}/exe`: {e}", dir.display())),
    };
    Process {
        pid,
        name,
        uid,
        user: uid.and_then(|u| users.get(&u).cloned()),
        exe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kernel_lines() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21374 1 0000000000000000 100 0 0 10 0\n   1: bad line\n";
        let (entries, errors) = parse_table(v4, false);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "entry `line 3`: malformed socket line"
        );
        let e = &entries[0];
        if cfg!(target_endian = "little") {
            assert_eq!(e.local, IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        assert_eq!(e.local_port, 631);
        assert_eq!(e.inode, 21374);
        assert!(is_listening(Proto::Tcp, e));

        let v6 = "header\n   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 999 1\n";
        let (entries, errors) = parse_table(v6, true);
        assert!(errors.is_empty());
        if cfg!(target_endian = "little") {
            assert_eq!(entries[0].local, IpAddr::V6(Ipv6Addr::LOCALHOST));
        }
        assert_eq!(entries[0].uid, 101);
    }

    #[test]
    fn parses_this_machine() {
        let text = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
        let (_, errors) = parse_table(&text, false);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
