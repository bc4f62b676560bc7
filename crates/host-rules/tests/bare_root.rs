//! The rules over the real collection of a root that holds almost nothing (an empty
//! mounted disk, a minimal image): what is absent is NOT_AVAILABLE, never a failure,
//! except where the benchmark makes the absence itself the failure.

use std::path::PathBuf;

use rampart_host_rules::{evaluate, HostRef};
use rampart_model::Status;

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_bare_root_fails_no_rule_for_a_missing_file() {
    let dir = Dir(std::env::temp_dir().join(format!("rampart-rules-bare-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let t = rampart_host::collect(&dir.0, time::OffsetDateTime::UNIX_EPOCH);
    let results = evaluate(&t, &HostRef::from_telemetry(&t));
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .map(|r| format!("{}: {}", r.check_id, r.reason))
        .collect();
    // CIS 1.5.1: without a `* hard core 0` line core dumps are not restricted.
    assert_eq!(
        failed,
        ["host_cis_core_dumps_restricted: no `* hard core 0` limit"]
    );
    let status = |id: &str| {
        let r = results
            .iter()
            .find(|r| r.check_id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        (r.status, r.reason.clone())
    };
    // One rule of each family whose input is absent.
    for (id, why) in [
        (
            "host_cis_passwd_permissions",
            "`/etc/passwd` does not exist",
        ),
        (
            "host_cis_sshd_config_permissions",
            "`/etc/ssh/sshd_config` does not exist",
        ),
        (
            "host_cis_sshd_permit_root_login",
            "no `/etc/ssh/sshd_config`",
        ),
        (
            "host_bp_ssh_root_login_disabled",
            "no `/etc/ssh/sshd_config`",
        ),
        ("host_cis_only_root_uid_0", "cannot read `/etc/passwd`"),
        (
            "host_cis_password_max_days",
            "cannot read `/etc/login.defs`",
        ),
        (
            "host_cis_no_world_writable_files",
            "there is nothing to assess",
        ),
        (
            "host_cis_tmp_separate_mount",
            "/etc/fstab has no `/tmp` line",
        ),
        (
            "host_cis_ip_forwarding_disabled",
            "not available for a mounted root",
        ),
        (
            "host_runtime_insecure_services",
            "not available for a mounted root",
        ),
    ] {
        let (s, reason) = status(id);
        assert_eq!(s, Status::NotAvailable, "{id}: {reason}");
        assert!(reason.contains(why), "{id}: `{reason}` lacks `{why}`");
    }
}
