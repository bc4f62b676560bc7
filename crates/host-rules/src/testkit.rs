//! Test helpers: a fully compliant [`Telemetry`] built in code, setters, and
//! `expect(rule, telemetry, outcomes)`.

use std::collections::BTreeMap;

use rampart_host::*;
use rampart_model::Status;

use crate::{run_rule, HostRef, Rule};

/// One expected result: its status and a fragment of its reason.
#[derive(Debug)]
pub enum Expect {
    Passed,
    Failed(&'static str),
    NotAvailable(&'static str),
}

pub fn host() -> HostRef {
    HostRef::ec2_instance("aws", "123456789012", "eu-west-1", "i-0123456789abcdef0")
}

/// Runs one rule and compares its results, in order, with `want`.
#[track_caller]
pub fn expect(rule: &Rule, t: &Telemetry, want: &[Expect]) {
    let got = run_rule(rule, t, &host());
    let shown: Vec<String> = got
        .iter()
        .map(|r| format!("{} [{}] {}", r.status, r.detail, r.reason))
        .collect();
    assert_eq!(
        got.len(),
        want.len(),
        "{}: got {shown:#?}, want {want:?}",
        rule.meta.id
    );
    for (r, w) in got.iter().zip(want) {
        let (status, fragment) = match w {
            Expect::Passed => (Status::Passed, ""),
            Expect::Failed(f) => (Status::Failed, *f),
            Expect::NotAvailable(f) => (Status::NotAvailable, *f),
        };
        assert_eq!(
            r.status, status,
            "{}: got {shown:#?}, want {want:?}",
            rule.meta.id
        );
        assert!(
            r.reason.contains(fragment),
            "{}: `{}` lacks `{fragment}`",
            rule.meta.id,
            r.reason
        );
        assert_eq!(r.check_id, rule.meta.id);
    }
}

pub fn file(kind: &str, mode: u32, uid: u32, gid: u32) -> Observed<Option<FileMeta>> {
    Observed::Known(Some(FileMeta {
        kind: kind.into(),
        mode,
        uid,
        gid,
    }))
}

pub fn user(name: &str, uid: u32, gid: u32) -> User {
    User {
        name: name.into(),
        uid,
        gid,
        home: format!("/home/{name}"),
        shell: "/bin/bash".into(),
        passwd_field: PasswordState::NoPassword,
    }
}

/// A listening socket; `process` = (name, uid, exe), else processes not visible.
pub fn socket(
    proto: Proto,
    address: &str,
    port: u16,
    uid: u32,
    process: Option<(&str, u32, &str)>,
) -> Socket {
    Socket {
        proto,
        address: address.parse().expect("test address"),
        port,
        state: if matches!(proto, Proto::Tcp | Proto::Tcp6) {
            "listen"
        } else {
            "unconnected"
        }
        .into(),
        inode: u64::from(port) * 10,
        uid,
        user: None,
        processes: match process {
            Some((name, uid, exe)) => Observed::Known(vec![Process {
                pid: u32::from(port) + 1000,
                name: Some(name.into()),
                uid: Some(uid),
                user: None,
                exe: Observed::Known(exe.into()),
            }]),
            None => Observed::Unknown("reading other users' /proc/PID/fd needs root".into()),
        },
    }
}

pub fn set_sshd(t: &mut Telemetry, key: &str, value: &str) {
    if let Observed::Known(Some(cfg)) = &mut t.sshd {
        cfg.settings.insert(
            key.into(),
            SshdSetting {
                values: vec![value.into()],
                origin: "/etc/ssh/sshd_config:1".into(),
            },
        );
    }
}

pub fn set_sysctl(t: &mut Telemetry, key: &str, value: Observed<String>) {
    if let Observed::Known(m) = &mut t.sysctl {
        m.insert(key.into(), value);
    }
}

fn mount(point: &str, fs: &str, options: &str) -> Mount {
    Mount {
        device: fs.into(),
        mount_point: point.into(),
        fs_type: fs.into(),
        options: options.split(',').map(str::to_owned).collect(),
    }
}

/// A host on which every rule passes.
pub fn compliant() -> Telemetry {
    let mut settings: BTreeMap<String, SshdSetting> = sshd::DEFAULTS
        .iter()
        .map(|(k, v)| {
            (
                (*k).into(),
                SshdSetting {
                    values: vec![(*v).into()],
                    origin: "default".into(),
                },
            )
        })
        .collect();
    for (k, v) in [
        ("permitrootlogin", "no"),
        ("passwordauthentication", "no"),
        ("maxauthtries", "4"),
        ("loglevel", "VERBOSE"),
        ("logingracetime", "60"),
        ("clientaliveinterval", "300"),
        ("clientalivecountmax", "3"),
        ("banner", "/etc/issue.net"),
        ("usepam", "yes"),
        ("allowtcpforwarding", "no"),
        ("maxstartups", "10:30:60"),
        ("allowgroups", "sshusers"),
    ] {
        settings.insert(
            k.into(),
            SshdSetting {
                values: vec![v.into()],
                origin: "/etc/ssh/sshd_config:1".into(),
            },
        );
    }
    let sysctl = system::SYSCTL_KEYS
        .iter()
        .map(|k| {
            let v = if k.ends_with("log_martians")
                || k.ends_with("icmp_echo_ignore_broadcasts")
                || k.ends_with("icmp_ignore_bogus_error_responses")
                || k.ends_with("rp_filter")
                || k.ends_with("tcp_syncookies")
                || k.starts_with("fs.protected")
            {
                "1"
            } else if *k == "kernel.randomize_va_space" {
                "2"
            } else {
                "0"
            };
            ((*k).to_owned(), Observed::Known(v.to_owned()))
        })
        .collect();
    let mut files = BTreeMap::new();
    for (p, kind, mode, gid) in [
        ("/etc/passwd", "file", 0o644, 0),
        ("/etc/passwd-", "file", 0o644, 0),
        ("/etc/group", "file", 0o644, 0),
        ("/etc/group-", "file", 0o644, 0),
        ("/etc/shadow", "file", 0o640, 42),
        ("/etc/shadow-", "file", 0o640, 42),
        ("/etc/gshadow", "file", 0o640, 42),
        ("/etc/gshadow-", "file", 0o640, 42),
        ("/etc/crontab", "file", 0o600, 0),
        ("/etc/cron.hourly", "dir", 0o700, 0),
        ("/etc/cron.daily", "dir", 0o700, 0),
        ("/etc/cron.weekly", "dir", 0o700, 0),
        ("/etc/cron.monthly", "dir", 0o700, 0),
        ("/etc/cron.d", "dir", 0o700, 0),
        ("/etc/ssh/sshd_config", "file", 0o600, 0),
        ("/usr/sbin/exim4", "file", 0o755, 0),
    ] {
        files.insert(p.to_owned(), file(kind, mode, 0, gid));
    }
    let login_defs = [
        ("PASS_MAX_DAYS", "365"),
        ("PASS_MIN_DAYS", "1"),
        ("PASS_WARN_AGE", "7"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    Telemetry {
        schema_version: SCHEMA_VERSION,
        collected_at: time::OffsetDateTime::UNIX_EPOCH,
        root: "/".into(),
        tags: Default::default(),
        host: HostIdentity {
            hostname: Observed::Known("web-1".into()),
            os: Observed::Known(OsRelease {
                id: Some("debian".into()),
                version_id: Some("12".into()),
                ..OsRelease::default()
            }),
            kernel_release: Observed::Known("6.1.0-18-amd64".into()),
            ec2_instance_id: Observed::Known(None),
        },
        packages: rampart_host::PackageSources(Vec::new()),
        listening: Observed::Known(vec![socket(
            Proto::Tcp,
            "127.0.0.1",
            25,
            100,
            Some(("exim4", 100, "/usr/sbin/exim4")),
        )]),
        sshd: Observed::Known(Some(SshdConfig {
            settings,
            match_blocks: Vec::new(),
            files: vec!["/etc/ssh/sshd_config".into()],
        })),
        sysctl: Observed::Known(sysctl),
        users: Observed::Known(vec![
            user("root", 0, 0),
            user("daemon", 1, 1),
            user("user", 1000, 1000),
        ]),
        groups: Observed::Known(vec![
            Group {
                name: "root".into(),
                gid: 0,
                members: vec![],
            },
            Group {
                name: "shadow".into(),
                gid: 42,
                members: vec![],
            },
            Group {
                name: "user".into(),
                gid: 1000,
                members: vec![],
            },
        ]),
        shadow: Observed::Known(
            [
                ("root", PasswordState::Locked),
                ("daemon", PasswordState::NoPassword),
                ("user", PasswordState::Set),
            ]
            .into_iter()
            .map(|(n, p)| ShadowEntry {
                name: n.into(),
                password: p,
                last_change: Some(19_000),
                min_days: Some(1),
                max_days: Some(365),
                warn_days: Some(7),
                inactive_days: None,
            })
            .collect(),
        ),
        login_defs: Observed::Known(login_defs),
        files,
        mounts: Observed::Known(vec![
            mount("/", "ext4", "rw,relatime"),
            mount("/tmp", "tmpfs", "rw,nosuid,nodev,noexec"),
            mount("/dev/shm", "tmpfs", "rw,nosuid,nodev,noexec"),
        ]),
        fstab: Observed::Known(vec![
            mount("/", "ext4", "defaults"),
            mount("/tmp", "tmpfs", "defaults,nosuid,nodev,noexec"),
        ]),
        world_writable: Observed::Known(WorldWritable {
            paths: files::SYSTEM_PATHS
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
            entries: Vec::new(),
            examined: 1234,
            truncated: false,
            unreadable: Vec::new(),
        }),
        core_dumps: Observed::Known(CoreDumps {
            limits: vec![Limit {
                domain: "*".into(),
                kind: "hard".into(),
                item: "core".into(),
                value: "0".into(),
                origin: "/etc/security/limits.d/60-cis.conf:1".into(),
            }],
            systemd: BTreeMap::new(),
        }),
        problems: Vec::new(),
    }
}

#[test]
fn every_rule_passes_on_the_compliant_fixture() {
    let t = compliant();
    for r in crate::REGISTRY {
        expect(r, &t, &[Expect::Passed]);
    }
}
