//! Inspector's Runtime Behavior Analysis package, from the listening sockets the
//! telemetry saw: insecure protocols, network services running as root, services on
//! all interfaces, and executables of listening processes writable by non-root users.
//!
//! One FAILED (or NOT_AVAILABLE) result per socket or executable, its detail naming
//! it (`tcp/0.0.0.0:23`, `tcp6/[::]:22`, `/usr/sbin/sshd`); one host-wide PASSED
//! (empty detail) when nothing is wrong.

use std::collections::BTreeMap;

use rampart_host::{Observed, Proto, Socket, Telemetry};
use rampart_model::{
    CheckMeta, Severity, StandardRef, Status,
};

use crate::{Eval, Out, Package, Rule};

/// Inspector's name of the package.
pub const PACKAGE: &str = "Runtime Behavior Analysis";

const STANDARDS: &[StandardRef] = &[StandardRef::inspector(PACKAGE)];
const URL: &str =
    "https://docs.aws.amazon.com/inspector/v1/userguide/inspector_runtime-behavior-analysis.html";

const fn meta(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    severity: Severity,
    console: &'static str,
    cli: &'static str,
) -> CheckMeta {
    crate::rule_meta(id, title, description, severity, console, cli, STANDARDS, URL)
}

/// The detail naming a socket: `proto/address:port`, IPv6 in brackets.
pub fn socket_key(s: &Socket) -> String {
    match s.address {
        std::net::IpAddr::V4(a) => format!("{}/{a}:{}", s.proto.file_name(), s.port),
        std::net::IpAddr::V6(a) => format!("{}/[{a}]:{}", s.proto.file_name(), s.port),
    }
}

fn is_tcp(p: Proto) -> bool {
    matches!(p, Proto::Tcp | Proto::Tcp6)
}

/// The listening sockets by detail (several sockets can share one address with
/// SO_REUSEPORT; they are one service), or the NOT_AVAILABLE result already given.
fn sockets<'a>(t: &'a Telemetry, out: &mut Out) -> Option<BTreeMap<String, Vec<&'a Socket>>> {
    match &t.listening {
        Observed::Unknown(r) => {
            out.not_available("", format!("listening sockets were not read: {r}"));
            None
        }
        Observed::Known(list) => {
            let mut by_key: BTreeMap<String, Vec<&Socket>> = BTreeMap::new();
            for s in list {
                by_key.entry(socket_key(s)).or_default().push(s);
            }
            Some(by_key)
        }
    }
}

/// Who holds the sockets, for reasons.
fn holders(socks: &[&Socket]) -> String {
    let mut names = Vec::new();
    for s in socks {
        match &s.processes {
            Observed::Known(ps) => {
                for p in ps {
                    let exe = p
                        .exe
                        .known()
                        .map(String::as_str)
                        .unwrap_or("exe not readable");
                    names.push(format!(
                        "{} (pid {}, {}, {exe})",
                        p.name.as_deref().unwrap_or("?"),
                        p.pid,
                        p.user
                            .clone()
                            .or_else(|| p.uid.map(|u| format!("uid {u}")))
                            .unwrap_or_else(|| "uid ?".into())
                    ));
                }
            }
            Observed::Unknown(r) => names.push(format!(
                "socket of {} (processes not visible: {r})",
                s.user.clone().unwrap_or_else(|| format!("uid {}", s.uid))
            )),
        }
    }
    names.sort();
    names.dedup();
    names.join(", ")
}

// ---- insecure protocols ----

/// (TCP?, port, service, severity) of cleartext or unauthenticated protocols.
const INSECURE: &[(bool, u16, &str, Severity)] = &[
    (true, 21, "FTP (cleartext credentials)", Severity::High),
    (true, 23, "Telnet (cleartext credentials and session)", Severity::High),
    (false, 69, "TFTP (no authentication)", Severity::High),
    (true, 110, "POP3 without TLS (cleartext credentials)", Severity::Medium),
    (true, 143, "IMAP without TLS (cleartext credentials)", Severity::Medium),
    (false, 161, "SNMP (v1/v2c community strings are cleartext; v3 cannot be told apart by port, so check the agent's configuration)", Severity::Medium),
    (true, 512, "rexec (cleartext credentials)", Severity::High),
    (true, 513, "rlogin (host-based trust, cleartext)", Severity::High),
    (true, 514, "rsh (host-based trust, cleartext)", Severity::High),
];

pub static INSECURE_SERVICES: Rule = Rule {
    meta: meta(
        "host_runtime_insecure_services",
        "Insecure network protocol in use",
        "A service listens on the well-known port of a protocol that sends credentials or data in cleartext or without authentication: FTP (21), Telnet (23), TFTP (69/udp), POP3 (110) and IMAP (143) without TLS, SNMP (161/udp; v1/v2c cannot be told from v3 by the port), rexec/rlogin/rsh (512–514). Judged by port: a different service on such a port is reported too.",
        Severity::High,
        "Stop and disable the service (`systemctl disable --now <unit>`) and remove its package; use SSH/SFTP, IMAPS/POP3S (993/995) or SNMPv3 instead.",
        "systemctl disable --now <unit> && apt-get purge <package>",
    ),
    package: Package::Runtime,
    eval: Eval::Custom(insecure_services),
};

fn insecure_services(t: &Telemetry, out: &mut Out) {
    let Some(by_key) = sockets(t, out) else {
        return;
    };
    for (key, socks) in &by_key {
        let s = socks[0];
        let Some((_, _, what, sev)) = INSECURE
            .iter()
            .find(|(tcp, port, _, _)| *tcp == is_tcp(s.proto) && *port == s.port)
        else {
            continue;
        };
        out.result(
            Status::Failed,
            key,
            format!("{key} is the port of {what}; held by {}", holders(socks)),
            Some(*sev),
        );
    }
    if out.is_empty() {
        out.pass(
            "",
            format!(
                "none of {} listening sockets uses an insecure protocol's port",
                by_key.len()
            ),
        );
    }
}

// ---- root services ----

pub static ROOT_SERVICES: Rule = Rule {
    meta: meta(
        "host_runtime_root_network_services",
        "Network service running as root",
        "A process running as root (uid 0) serves a socket reachable from other hosts: a flaw in it gives the attacker the whole host. Services should drop privileges after binding. Loopback-only listeners are skipped (reachable only by local users). When the holding processes are not visible (collection without root), the socket's owner decides; a root-created socket served by non-root processes passes.",
        Severity::Medium,
        "Run the service as a dedicated user (`User=` in its systemd unit, or the daemon's own user option) and let it bind privileged ports with `AmbientCapabilities=CAP_NET_BIND_SERVICE`.",
        "systemctl edit <unit>  # [Service] User=<svc-user> AmbientCapabilities=CAP_NET_BIND_SERVICE",
    ),
    package: Package::Runtime,
    eval: Eval::Custom(root_services),
};

/// Whether the service behind these sockets runs as root.
fn runs_as_root(socks: &[&Socket]) -> bool {
    socks.iter().any(|s| match &s.processes {
        Observed::Known(ps) if ps.iter().any(|p| p.uid.is_some()) => {
            ps.iter().any(|p| p.uid == Some(0))
        }
        _ => s.uid == 0,
    })
}

fn root_services(t: &Telemetry, out: &mut Out) {
    let Some(by_key) = sockets(t, out) else {
        return;
    };
    let mut remote = 0;
    for (key, socks) in &by_key {
        if socks[0].address.is_loopback() {
            continue;
        }
        remote += 1;
        if runs_as_root(socks) {
            out.fail(
                key,
                format!("{key} is served as root by {}", holders(socks)),
            );
        }
    }
    if out.is_empty() {
        out.pass(
            "",
            format!("none of {remote} sockets reachable from other hosts is served as root"),
        );
    }
}

// ---- all interfaces ----

pub static ALL_INTERFACES: Rule = Rule {
    meta: meta(
        "host_runtime_listening_on_all_interfaces",
        "Service listening on all interfaces",
        "A service is bound to the wildcard address (0.0.0.0 or ::), so it accepts connections on every network the host is attached to, including ones added later. Bind services to the addresses they are meant to serve.",
        Severity::Low,
        "Configure the service to listen on a specific address (e.g. `ListenAddress 10.0.1.5` for sshd, `bind-address` for MySQL), then restart it.",
        "ss -tulpn  # find the service, then set its listen address and restart it",
    ),
    package: Package::Runtime,
    eval: Eval::Custom(all_interfaces),
};

fn all_interfaces(t: &Telemetry, out: &mut Out) {
    let Some(by_key) = sockets(t, out) else {
        return;
    };
    for (key, socks) in &by_key {
        if socks[0].address.is_unspecified() {
            out.fail(
                key,
                format!(
                    "{key} accepts connections on every interface; held by {}",
                    holders(socks)
                ),
            );
        }
    }
    if out.is_empty() {
        out.pass(
            "",
            format!(
                "none of {} listening sockets is bound to a wildcard address",
                by_key.len()
            ),
        );
    }
}

// ---- writable executables ----

pub static WRITABLE_EXECUTABLES: Rule = Rule {
    meta: meta(
        "host_runtime_writable_listening_executable",
        "Executable of a listening process writable by non-root users",
        "The program file of a process that listens on the network can be changed by a user other than root (owned by another user, world-writable, or group-writable by a non-root group): that user can replace the service. The telemetry records owner and mode only for the rule files and world-writable entries under the system paths; an executable found in neither is NOT_AVAILABLE.",
        Severity::High,
        "Make root the owner and remove write access for others: `chown root:root <exe> && chmod 755 <exe>`; reinstall the package if it was modified (`dpkg --verify`).",
        "chown root:root <exe> && chmod go-w <exe>",
    ),
    package: Package::Runtime,
    eval: Eval::Custom(writable_executables),
};

fn writable_executables(t: &Telemetry, out: &mut Out) {
    let Some(by_key) = sockets(t, out) else {
        return;
    };
    let mut exes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut unseen: Vec<String> = Vec::new();
    for (key, socks) in &by_key {
        for s in socks {
            match &s.processes {
                Observed::Known(ps) => {
                    for p in ps {
                        match &p.exe {
                            Observed::Known(exe) => exes.entry(exe.as_str()).or_default().push(key),
                            Observed::Unknown(r) => {
                                unseen.push(format!("{key} (pid {}: {r})", p.pid))
                            }
                        }
                    }
                }
                Observed::Unknown(r) => unseen.push(format!("{key} ({r})")),
            }
        }
    }
    let world_writable = t.world_writable.known();
    for (exe, keys) in &mut exes {
        keys.dedup();
        let listens = keys.join(", ");
        if let Some(e) = world_writable.and_then(|w| w.entries.iter().find(|e| e.path == *exe)) {
            out.fail(
                exe,
                format!(
                    "`{exe}` (listening on {listens}) is world-writable ({:04o})",
                    e.meta.mode
                ),
            );
            continue;
        }
        match t.files.get(*exe) {
            Some(Observed::Known(Some(m))) => {
                let mut why = Vec::new();
                if m.uid != 0 {
                    why.push(format!("owned by uid {}", m.uid));
                }
                if m.mode & 0o002 != 0 {
                    why.push("world-writable".to_owned());
                }
                if m.mode & 0o020 != 0 && m.gid != 0 {
                    why.push(format!("writable by group gid {}", m.gid));
                }
                if why.is_empty() {
                    out.pass(exe, format!("`{exe}` (listening on {listens}) is root's, mode {:04o}", m.mode));
                } else {
                    out.fail(exe, format!("`{exe}` (listening on {listens}): {}", why.join(", ")));
                }
            }
            Some(Observed::Unknown(r)) => out.not_available(exe, format!("`{exe}`: {r}")),
            _ => out.not_available(
                exe,
                format!("the telemetry does not record the owner and mode of `{exe}` (listening on {listens}); it is not among the world-writable entries found"),
            ),
        }
    }
    unseen.sort();
    unseen.dedup();
    if !unseen.is_empty() {
        out.not_available(
            "",
            format!(
                "the executables behind {} could not be seen",
                unseen.join(", ")
            ),
        );
    } else if out.is_empty() {
        out.pass("", "nothing listens");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, file, socket, Expect::*};
    use rampart_host::{FileMeta, WorldWritableEntry};

    #[test]
    fn insecure_services_by_port_and_protocol() {
        let mut t = compliant();
        expect(&INSECURE_SERVICES, &t, &[Passed]);
        t.listening = Observed::Known(vec![
            socket(
                Proto::Tcp,
                "0.0.0.0",
                23,
                0,
                Some(("inetd", 0, "/usr/sbin/inetd")),
            ),
            socket(Proto::Udp6, "::", 161, 110, None),
            socket(Proto::Udp, "0.0.0.0", 514, 0, None), // syslog, not rsh
            socket(
                Proto::Tcp,
                "0.0.0.0",
                23,
                0,
                Some(("inetd", 0, "/usr/sbin/inetd")),
            ), // REUSEPORT twin
        ]);
        expect(
            &INSECURE_SERVICES,
            &t,
            &[
                Failed("tcp/0.0.0.0:23 is the port of Telnet"),
                Failed("udp6/[::]:161 is the port of SNMP"),
            ],
        );
        let rs = crate::run_rule(&INSECURE_SERVICES, &t, &crate::testkit::host());
        assert_eq!(rs[0].severity, Some(Severity::High));
        assert!(rs[1].reason.contains("v3 cannot be told apart"));
        t.listening = Observed::Unknown("not available for a mounted root".into());
        expect(&INSECURE_SERVICES, &t, &[NotAvailable("mounted root")]);
    }

    #[test]
    fn root_services_skip_loopback_and_use_process_uid() {
        let mut t = compliant();
        expect(&ROOT_SERVICES, &t, &[Passed]);
        t.listening = Observed::Known(vec![
            socket(
                Proto::Tcp,
                "0.0.0.0",
                22,
                0,
                Some(("sshd", 0, "/usr/sbin/sshd")),
            ),
            socket(
                Proto::Tcp,
                "127.0.0.1",
                631,
                0,
                Some(("cupsd", 0, "/usr/sbin/cupsd")),
            ),
            // systemd-style: root-created socket served by a non-root process.
            socket(
                Proto::Tcp6,
                "::",
                80,
                0,
                Some(("nginx", 33, "/usr/sbin/nginx")),
            ),
            // processes not visible: the socket owner decides.
            socket(Proto::Tcp, "10.0.0.5", 5432, 0, None),
        ]);
        expect(
            &ROOT_SERVICES,
            &t,
            &[Failed("sshd"), Failed("processes not visible")],
        );
        t.listening = Observed::Unknown("denied".into());
        expect(&ROOT_SERVICES, &t, &[NotAvailable("denied")]);
    }

    #[test]
    fn all_interfaces() {
        let mut t = compliant();
        expect(&ALL_INTERFACES, &t, &[Passed]);
        t.listening = Observed::Known(vec![
            socket(Proto::Tcp6, "::", 22, 0, None),
            socket(Proto::Tcp, "10.0.0.5", 22, 0, None),
            socket(Proto::Tcp, "0.0.0.0", 22, 0, None),
        ]);
        expect(
            &ALL_INTERFACES,
            &t,
            &[Failed("tcp/0.0.0.0:22"), Failed("tcp6/[::]:22")],
        );
        t.listening = Observed::Unknown("denied".into());
        expect(&ALL_INTERFACES, &t, &[NotAvailable("denied")]);
    }

    #[test]
    fn writable_executables() {
        let t = compliant();
        expect(&WRITABLE_EXECUTABLES, &t, &[Passed]);
        let mut bad = t.clone();
        bad.listening = Observed::Known(vec![
            socket(
                Proto::Tcp,
                "0.0.0.0",
                8080,
                1000,
                Some(("app", 1000, "/usr/local/bin/app")),
            ),
            socket(
                Proto::Tcp,
                "0.0.0.0",
                8081,
                1000,
                Some(("app2", 1000, "/opt/app2")),
            ),
            socket(
                Proto::Tcp,
                "0.0.0.0",
                8082,
                1000,
                Some(("app3", 1000, "/usr/bin/app3")),
            ),
            socket(Proto::Tcp, "0.0.0.0", 9000, 0, None),
        ]);
        bad.files
            .insert("/usr/local/bin/app".into(), file("file", 0o755, 1000, 1000));
        if let Observed::Known(w) = &mut bad.world_writable {
            w.entries.push(WorldWritableEntry {
                path: "/usr/bin/app3".into(),
                meta: FileMeta {
                    kind: "file".into(),
                    mode: 0o777,
                    uid: 0,
                    gid: 0,
                },
            });
        }
        expect(
            &WRITABLE_EXECUTABLES,
            &bad,
            &[
                NotAvailable("does not record the owner and mode of `/opt/app2`"),
                Failed("world-writable (0777)"),
                Failed("owned by uid 1000"),
                NotAvailable("tcp/0.0.0.0:9000"),
            ],
        );
        bad.listening = Observed::Unknown("denied".into());
        expect(&WRITABLE_EXECUTABLES, &bad, &[NotAvailable("denied")]);
    }
}
