//! A directory of the language-package walk that cannot be listed makes a package source
//! `Unknown` (with a warning naming it), never a silent gap in an inventory that looks complete.
//! Permission denied for real: as root (which reads everything) the test runs itself again as
//! `nobody` through `runuser`.

use rampart_host::packages::WalkOptions;
use rampart_host::{collect_root, Options, Root};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const ENV: &str = "RAMPART_TEST_UNREADABLE_WALK_ROOT";
const CARGO_LOCK: &str = "[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

fn check(root: &Path) {
    let root = Root::dir(root).expect("the root is readable");
    let opts = Options { walk: WalkOptions { paths: vec![PathBuf::from("/srv")], ..Default::default() }, progress: None };
    let t = collect_root(&root, time::OffsetDateTime::UNIX_EPOCH, &opts);
    let unread: Vec<(String, String)> = t.packages.unread().map(|(s, why)| (s.location.clone(), why.to_owned())).collect();
    assert_eq!(unread.len(), 1, "{unread:?}");
    assert_eq!(unread[0].0, "/srv/locked");
    assert!(unread[0].1.contains("ermission denied") && unread[0].1.contains("were not read"), "{unread:?}");
    let (source, _) = t.packages.unread().next().unwrap();
    assert_eq!(source.kind, None, "a directory not listed may hold packages of any kind");
    // The readable part of the walk is still read.
    let read: Vec<String> = t.packages.read().iter().map(|p| format!("{} {}", p.name, p.location)).collect();
    assert_eq!(read, ["smallvec /srv/open/Cargo.lock"]);
    assert!(t.packages.known().is_none(), "an inventory with an unread source is not complete");
}

#[test]
fn an_unlistable_directory_makes_its_source_unknown() {
    if let Some(root) = std::env::var_os(ENV) {
        return check(Path::new(&root));
    }
    let base = std::env::temp_dir().join(format!("rampart-unreadable-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    for d in ["srv/open", "srv/locked"] {
        std::fs::create_dir_all(base.join(d)).unwrap();
    }
    std::fs::write(base.join("srv/open/Cargo.lock"), CARGO_LOCK).unwrap();
    std::fs::write(base.join("srv/locked/Cargo.lock"), CARGO_LOCK).unwrap();
    for d in ["", "srv", "srv/open"] {
        std::fs::set_permissions(base.join(d), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(base.join("srv/locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let uid = Command::new("id").arg("-u").output().expect("id (coreutils) runs");
    let result = if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        std::panic::catch_unwind(|| check(&base)).map_err(|_| "see the panic above".to_owned())
    } else {
        let out = Command::new("runuser")
            .args(["-u", "nobody", "--"])
            .arg(std::env::current_exe().unwrap())
            .args(["--exact", "an_unlistable_directory_makes_its_source_unknown", "--test-threads=1"])
            .env(ENV, &base)
            .output()
            .unwrap_or_else(|e| panic!("as root, this test runs itself as `nobody` with runuser ({e}): apt-get install util-linux"));
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed") {
            Ok(())
        } else {
            Err(format!("as nobody: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
        }
    };
    std::fs::set_permissions(base.join("srv/locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let _ = std::fs::remove_dir_all(&base);
    result.unwrap();
}
