//! Collection on this machine and on a mounted root the test builds.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use rampart_host::packages::WalkOptions;
use rampart_host::{collect_with, Observed, Options, PackageKind, Proto, Telemetry, NOT_LIVE};
use time::macros::datetime;

fn no_language_walk() -> Options {
    Options {
        walk: WalkOptions {
            paths: Vec::new(),
            ..WalkOptions::default()
        },
        ..Options::default()
    }
}

#[test]
fn finds_the_listener_this_test_opens_with_its_process() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    let t = collect_with(
        Path::new("/"),
        datetime!(2024-05-01 12:00 UTC),
        &no_language_walk(),
    );
    let sockets = t.listening.known().expect("live host sockets are readable");
    let s = sockets
        .iter()
        .find(|s| s.proto == Proto::Tcp && s.port == port)
        .unwrap_or_else(|| panic!("port {port} not among {sockets:?}"));
    assert_eq!(s.address.to_string(), "127.0.0.1");
    assert_eq!(s.state, "listen");
    let procs = s.processes.known().expect("our own process is visible");
    let me = procs
        .iter()
        .find(|p| p.pid == std::process::id())
        .unwrap_or_else(|| panic!("own pid not in {procs:?}"));
    let exe = std::env::current_exe().unwrap();
    assert_eq!(me.exe, Observed::Known(exe.display().to_string()));
    drop(listener);
}

#[test]
fn this_machine_whole_document() {
    let t = collect_with(
        Path::new("/"),
        datetime!(2024-05-01 12:00 UTC),
        &no_language_walk(),
    );
    let os = t.host.os.known().expect("os-release");
    assert!(os.id.is_some());
    assert!(t.host.kernel_release.known().is_some());
    assert!(t.host.hostname.known().is_some());
    let sysctl = t.sysctl.known().unwrap();
    assert!(
        matches!(sysctl["kernel.randomize_va_space"], Observed::Known(ref v) if ["0", "1", "2"].contains(&v.as_str()))
    );
    let users = t.users.known().unwrap();
    assert!(users.iter().any(|u| u.uid == 0));
    // Without root, shadow is a gap, never an empty list.
    let can_read_shadow = std::fs::read("/etc/shadow").is_ok();
    assert_eq!(
        t.shadow.known().is_some(),
        can_read_shadow,
        "{:?}",
        t.shadow
    );
    assert!(
        t.files["/etc/passwd"]
            .known()
            .unwrap()
            .as_ref()
            .unwrap()
            .mode
            & 0o777
            == 0o644
    );
    assert!(t
        .mounts
        .known()
        .unwrap()
        .iter()
        .any(|m| m.mount_point == "/"));
    // The deb packages are exactly dpkg's (crates/host/tests/this_machine.rs checks
    // dpkg itself against dpkg-query).
    if Path::new("/var/lib/dpkg/status").exists() {
        let pkgs = t.packages.known().unwrap();
        let (debs, _) = rampart_host::dpkg::read_root(Path::new("/"));
        assert_eq!(
            pkgs.iter().filter(|p| p.kind == PackageKind::Deb).count(),
            debs.len()
        );
    }
    // The document round-trips and carries no shadow hash.
    let json = t.to_json();
    assert!(
        !json.contains("$6$") && !json.contains("$y$"),
        "a hash leaked"
    );
    assert_eq!(Telemetry::from_json(&json).unwrap(), t);
}

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
impl Dir {
    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

#[test]
fn mounted_root_reads_files_and_gaps_proc_data() {
    let dir =
        Dir(std::env::temp_dir().join(format!("rampart-host-mounted-{}", std::process::id())));
    dir.write(
        "etc/os-release",
        "ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n",
    );
    dir.write("etc/hostname", "img\n");
    dir.write("var/lib/cloud/data/instance-id", "i-0abc1234def567890\n");
    dir.write("etc/passwd", "root:x:0:0:root:/root:/bin/ash\nbad line\n");
    dir.write("etc/group", "root:x:0:root\n");
    dir.write("etc/shadow", "root:$6$abcdefgh$hashhashhash:19700:0:::::\n");
    dir.write("etc/ssh/sshd_config", "PermitRootLogin no\n");
    dir.write("etc/security/limits.conf", "* hard core 0\n");
    dir.write("etc/fstab", "tmpfs /tmp tmpfs nosuid,nodev,noexec 0 0\n");
    dir.write(
        "lib/apk/db/installed",
        "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n",
    );
    let t = collect_with(&dir.0, datetime!(2024-05-01 12:00 UTC), &Options::default());
    assert_eq!(t.host.os.known().unwrap().id.as_deref(), Some("alpine"));
    assert_eq!(t.host.hostname, Observed::Known("img".into()));
    assert_eq!(t.host.ec2_instance_id, Observed::Known(Some("i-0abc1234def567890".into())));
    for gap in [
        &t.host.kernel_release.as_result().err(),
        &t.sysctl.as_result().err().map(|s| s as &str),
        &t.listening.as_result().err(),
        &t.mounts.as_result().err(),
    ] {
        assert_eq!(*gap, Some(NOT_LIVE));
    }
    let pkgs = t.packages.known().unwrap();
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].kind, PackageKind::Apk);
    let sshd = t.sshd.known().unwrap().as_ref().unwrap();
    assert_eq!(sshd.settings["permitrootlogin"].values, ["no"]);
    assert_eq!(sshd.settings["passwordauthentication"].origin, "default");
    assert_eq!(
        t.shadow.known().unwrap()[0].password,
        rampart_host::PasswordState::Set
    );
    assert_eq!(t.core_dumps.known().unwrap().limits[0].value, "0");
    assert_eq!(
        t.fstab.known().unwrap()[0].options,
        ["nosuid", "nodev", "noexec"]
    );
    assert_eq!(t.files["/etc/gshadow"], Observed::Known(None));
    assert!(
        t.problems
            .iter()
            .any(|p| p.section == "users" && p.message.contains("line 2")),
        "{:?}",
        t.problems
    );
    let json = t.to_json();
    assert!(!json.contains("hashhash"), "a hash leaked: {json}");
    assert!(json.contains(&format!("\"schema_version\": {}", rampart_host::SCHEMA_VERSION)));
    assert!(json.contains("\"collected_at\": \"2024-05-01T12:00:00Z\""));
}

#[test]
fn unreadable_shadow_is_a_gap() {
    // A directory where the file should be: unreadable even for root (the tests may
    // run as root, which permission bits do not stop).
    let dir =
        Dir(std::env::temp_dir().join(format!("rampart-host-noshadow-{}", std::process::id())));
    std::fs::create_dir_all(dir.0.join("etc/shadow")).unwrap();
    let t = collect_with(&dir.0, datetime!(2024-05-01 12:00 UTC), &no_language_walk());
    let reason = t.shadow.as_result().unwrap_err();
    assert!(reason.starts_with("cannot read `/etc/shadow`"), "{reason}");
}

#[test]
fn newer_schema_is_refused() {
    let t = collect_with(
        Path::new("/nonexistent-root"),
        datetime!(2024-05-01 12:00 UTC),
        &no_language_walk(),
    );
    assert!(t.users.known().is_none(), "missing passwd is a gap");
    let json = t
        .to_json()
        .replace(&format!("\"schema_version\": {}", rampart_host::SCHEMA_VERSION), "\"schema_version\": 99");
    assert!(Telemetry::from_json(&json)
        .unwrap_err()
        .to_string()
        .contains("upgrade rampart"));
}

/// Schema 1 kept packages as one `Observed` list; such documents still read, as one
/// source per database or manifest (or one source not read).
#[test]
fn schema_1_documents_still_read() {
    let t = collect_with(Path::new("/nonexistent-root"), datetime!(2024-05-01 12:00 UTC), &no_language_walk());
    let mut v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    v["schema_version"] = 1.into();
    v["packages"] = serde_json::json!({"known": [
        {"kind": "deb", "name": "libssl3", "version": "3.0.11-1", "arch": "amd64", "source": {"name": "openssl", "version": "3.0.11-1"}, "location": "/var/lib/dpkg/status"},
        {"kind": "deb", "name": "zlib1g", "version": "1:1.2.13", "arch": "amd64", "source": null, "location": "/var/lib/dpkg/status"},
        {"kind": "cargo", "name": "smallvec", "version": "1.6.0", "arch": null, "source": null, "location": "/srv/Cargo.lock"}
    ]});
    let old = Telemetry::from_json(&v.to_string()).unwrap();
    let sources: Vec<(String, usize)> = old.packages.0.iter().map(|s| (s.describe(), s.packages.known().unwrap().len())).collect();
    assert_eq!(sources, [("dpkg `/var/lib/dpkg/status`".to_owned(), 2), ("Cargo `/srv/Cargo.lock`".to_owned(), 1)]);
    assert_eq!(old.packages.known().unwrap().len(), 3);

    v["packages"] = serde_json::json!({"unknown": "dpkg database: cannot read"});
    let old = Telemetry::from_json(&v.to_string()).unwrap();
    let unread: Vec<String> = old.packages.unread().map(|(s, why)| format!("{}: {why}", s.describe())).collect();
    assert_eq!(unread, ["`/` (any kind): dpkg database: cannot read"]);
    assert!(old.packages.known().is_none());

    // A document without packages did not collect them: never "no packages".
    v.as_object_mut().unwrap().remove("packages");
    let none = Telemetry::from_json(&v.to_string()).unwrap();
    assert!(none.packages.known().is_none() && !none.packages.is_empty());
}

/// One odd path fails its own source: the others are read, and the document says which
/// source was not read and why.
#[test]
fn one_unreadable_source_hides_no_other() {
    let dir = Dir(std::env::temp_dir().join(format!("rampart-host-onebad-{}", std::process::id())));
    dir.write("var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1\n");
    std::os::unix::fs::symlink("status.d", dir.0.join("var/lib/dpkg/status.d")).unwrap();
    dir.write("var/lib/rpm/Packages", "not an rpm database");
    dir.write("srv/app/Cargo.lock", "[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
    let t = collect_with(&dir.0, datetime!(2024-05-01 12:00 UTC), &Options::default());
    let read: Vec<&str> = t.packages.read().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(read, ["libssl3", "smallvec"]);
    let unread: Vec<String> = t.packages.unread().map(|(s, _)| s.describe()).collect();
    assert_eq!(unread, ["dpkg `/var/lib/dpkg/status.d`", "rpm `/var/lib/rpm/Packages`"]);
    assert!(t.packages.known().is_none());
    // And it survives the document.
    assert_eq!(Telemetry::from_json(&t.to_json()).unwrap(), t);
}

/// The whole collection of this machine with the default language walk: prints the
/// counts and wall time (slow on large filesystems; run with `--ignored`).
#[test]
#[ignore]
fn full_collection_of_this_machine() {
    let start = std::time::Instant::now();
    let t = rampart_host::collect(Path::new("/"), datetime!(2024-05-01 12:00 UTC));
    let pkgs = t.packages.known().unwrap();
    let mut by_kind = std::collections::BTreeMap::new();
    for p in pkgs {
        *by_kind.entry(p.kind).or_insert(0) += 1;
    }
    eprintln!(
        "{by_kind:?} in {:?}; {} problems",
        start.elapsed(),
        t.problems.len()
    );
    for p in t.problems.iter().take(10) {
        eprintln!("  {}: {}", p.section, p.message);
    }
    assert!(by_kind.contains_key(&PackageKind::Deb));
}
