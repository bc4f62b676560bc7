//! What the exposure-path tests through the binary share (`exposure.rs`, `iam_exposure.rs`):
//! running `rampart` with moto's environment and the test's databases, and a host telemetry
//! document with a vulnerable or patched openssh-server listening on 22.

use super::harness::aws_env;
use rampart_host::{Observed, OsRelease, Package, PackageKind, PackageSource, PackageSources, Process, Proto, Socket, SourcePackage};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn rampart(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut cmd).env("RAMPART_DB", dir.join("rampart.db")).env("RAMPART_VULNDB", dir.join("vulndb.db")).args(args);
    cmd.output().expect("run rampart")
}

pub fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// A Debian 9 host's telemetry: openssh-server at `version`, sshd listening on 22.
pub fn telemetry(dir: &Path, instance: &str, version: &str) -> PathBuf {
    let root = tempfile::tempdir().unwrap();
    let mut t = rampart_host::collect(root.path(), time::OffsetDateTime::now_utc());
    t.host.ec2_instance_id = Observed::Known(Some(instance.to_string()));
    t.host.os = Observed::Known(OsRelease { id: Some("debian".into()), version_id: Some("9".into()), ..OsRelease::default() });
    t.packages = PackageSources(vec![PackageSource {
        kind: Some(PackageKind::Deb),
        location: "/var/lib/dpkg/status".into(),
        packages: Observed::Known(vec![Package {
            kind: PackageKind::Deb,
            name: "openssh-server".into(),
            version: version.into(),
            arch: Some("amd64".into()),
            source: Some(SourcePackage { name: "openssh".into(), version: version.into() }),
            location: "/var/lib/dpkg/status".into(),
            managed_by: None,
        }]),
    }]);
    t.listening = Observed::Known(vec![Socket {
        proto: Proto::Tcp6,
        address: "::".parse().unwrap(),
        port: 22,
        state: "listen".into(),
        inode: 7,
        uid: 0,
        user: Some("root".into()),
        processes: Observed::Known(vec![Process {
            pid: 1,
            name: Some("sshd".into()),
            uid: Some(0),
            user: None,
            exe: Observed::Known("/usr/sbin/sshd".into()),
        }]),
    }]);
    let path = dir.join(format!("{instance}.json"));
    std::fs::write(&path, t.to_json()).unwrap();
    path
}
