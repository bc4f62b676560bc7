//! CIS 1.1 (/tmp and /dev/shm mounts), 1.5 (core dumps, ASLR), 5.4.1 (password
//! ageing), 6.1.10 (world-writable files), 6.2 (accounts).

use std::collections::BTreeMap;

use rampart_host::{Mount, Observed, PasswordState, Telemetry};
use rampart_model::Severity;

use crate::{Eval, Out, Package, Rule};

macro_rules! custom_rule {
    ($name:ident, $id:literal, cis $cis:literal, $sev:expr, $title:literal, $desc:literal,
     console $console:literal, cli $cli:literal, $f:expr) => {
        pub static $name: Rule = Rule {
            meta: super::meta(
                super::cis!($cis),
                $id,
                concat!($title, " (CIS ", $cis, ")"),
                concat!(
                    "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation ",
                    $cis,
                    ": ",
                    $desc
                ),
                $sev,
                $console,
                $cli,
            ),
            package: Package::Cis,
            eval: Eval::Custom($f),
        };
    };
}

// ---- 1.1 mounts ----

custom_rule!(TMP_SEPARATE, "host_cis_tmp_separate_mount", cis "1.1.2", Severity::Low,
    "Ensure /tmp is configured",
    "/tmp is its own filesystem (a partition or tmpfs), so that its mount options can restrict it and filling it cannot fill /.",
    console "Enable systemd's tmp.mount (`systemctl unmask tmp.mount && systemctl enable --now tmp.mount`) or add a /tmp line to /etc/fstab.",
    cli "systemctl unmask tmp.mount && systemctl enable --now tmp.mount",
    tmp_separate);
custom_rule!(TMP_NODEV, "host_cis_tmp_nodev", cis "1.1.3", Severity::Low,
    "Ensure nodev option set on /tmp partition",
    "/tmp is mounted `nodev`: users cannot create device files there.",
    console "Add `nodev` to the options of /tmp in /etc/fstab (or tmp.mount), then `mount -o remount,nodev /tmp`.",
    cli "mount -o remount,nodev /tmp",
    |t, o| mount_option(t, o, "/tmp", "nodev"));
custom_rule!(TMP_NOSUID, "host_cis_tmp_nosuid", cis "1.1.4", Severity::Low,
    "Ensure nosuid option set on /tmp partition",
    "/tmp is mounted `nosuid`: users cannot plant setuid programs there.",
    console "Add `nosuid` to the options of /tmp in /etc/fstab (or tmp.mount), then `mount -o remount,nosuid /tmp`.",
    cli "mount -o remount,nosuid /tmp",
    |t, o| mount_option(t, o, "/tmp", "nosuid"));
custom_rule!(TMP_NOEXEC, "host_cis_tmp_noexec", cis "1.1.5", Severity::Low,
    "Ensure noexec option set on /tmp partition",
    "/tmp is mounted `noexec`: programs dropped there cannot be run directly.",
    console "Add `noexec` to the options of /tmp in /etc/fstab (or tmp.mount), then `mount -o remount,noexec /tmp`.",
    cli "mount -o remount,noexec /tmp",
    |t, o| mount_option(t, o, "/tmp", "noexec"));
custom_rule!(SHM_NODEV, "host_cis_dev_shm_nodev", cis "1.1.15", Severity::Low,
    "Ensure nodev option set on /dev/shm partition",
    "/dev/shm is mounted `nodev`.",
    console "Add `tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0` to /etc/fstab, then `mount -o remount,nodev /dev/shm`.",
    cli "mount -o remount,nodev /dev/shm",
    |t, o| mount_option(t, o, "/dev/shm", "nodev"));
custom_rule!(SHM_NOSUID, "host_cis_dev_shm_nosuid", cis "1.1.16", Severity::Low,
    "Ensure nosuid option set on /dev/shm partition",
    "/dev/shm is mounted `nosuid`.",
    console "Add `tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0` to /etc/fstab, then `mount -o remount,nosuid /dev/shm`.",
    cli "mount -o remount,nosuid /dev/shm",
    |t, o| mount_option(t, o, "/dev/shm", "nosuid"));
custom_rule!(SHM_NOEXEC, "host_cis_dev_shm_noexec", cis "1.1.17", Severity::Low,
    "Ensure noexec option set on /dev/shm partition",
    "/dev/shm is mounted `noexec`: shared memory cannot be used to run dropped programs.",
    console "Add `tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0` to /etc/fstab, then `mount -o remount,noexec /dev/shm`.",
    cli "mount -o remount,noexec /dev/shm",
    |t, o| mount_option(t, o, "/dev/shm", "noexec"));

/// Where the mount at `point` comes from: the live mount table, else (mounted root)
/// `/etc/fstab`. `Err` carries the NOT_AVAILABLE reason.
fn find_mount<'a>(
    t: &'a Telemetry,
    point: &str,
) -> Result<(Option<&'a Mount>, &'static str), String> {
    match (&t.mounts, &t.fstab) {
        // The last entry is the one on top.
        (Observed::Known(ms), _) => Ok((ms.iter().rev().find(|m| m.mount_point == point), "mounted")),
        (Observed::Unknown(_), Observed::Known(fs)) => match fs.iter().rev().find(|m| m.mount_point == point) {
            Some(m) => Ok((Some(m), "configured in /etc/fstab")),
            None => Err(format!(
                "the mount table was not read and /etc/fstab has no `{point}` line (systemd may still mount it)"
            )),
        },
        (Observed::Unknown(r), Observed::Unknown(f)) => {
            Err(format!("neither the mount table ({r}) nor /etc/fstab ({f}) was read"))
        }
    }
}

fn tmp_separate(t: &Telemetry, out: &mut Out) {
    match find_mount(t, "/tmp") {
        Err(r) => out.not_available("", r),
        Ok((Some(m), src)) => out.pass(
            "",
            format!("/tmp is {src} as {} from `{}`", m.fs_type, m.device),
        ),
        // Absence is the failure here: CIS 1.1.2's audit is that `/tmp` is mounted, so a
        // mount table without it fails (a mounted root without the table is
        // NOT_AVAILABLE above).
        Ok((None, _)) => out.fail("", "/tmp is not a separate mount: it is part of /"),
    }
}

fn mount_option(t: &Telemetry, out: &mut Out, point: &str, option: &str) {
    match find_mount(t, point) {
        Err(r) => out.not_available("", r),
        Ok((None, _)) => out.fail(
            "",
            format!("{point} is not a separate mount, so `{option}` cannot apply to it"),
        ),
        Ok((Some(m), src)) if m.options.iter().any(|o| o == option) => out.pass(
            "",
            format!("{point} is {src} with `{option}` ({})", m.options.join(",")),
        ),
        Ok((Some(m), src)) => out.fail(
            "",
            format!(
                "{point} is {src} without `{option}` ({})",
                m.options.join(",")
            ),
        ),
    }
}

// ---- 1.5 process hardening ----

custom_rule!(CORE_DUMPS, "host_cis_core_dumps_restricted", cis "1.5.1", Severity::Low,
    "Ensure core dumps are restricted",
    "a hard `core 0` limit for everyone (`* hard core 0` in /etc/security/limits.conf or limits.d) and `fs.suid_dumpable = 0`, so that memory of privileged programs does not end up in core files.",
    console "Add `* hard core 0` to /etc/security/limits.d/60-cis.conf and `fs.suid_dumpable = 0` to /etc/sysctl.d/60-cis.conf, then run `sysctl --system`.",
    cli "echo '* hard core 0' >> /etc/security/limits.d/60-cis.conf && echo 'fs.suid_dumpable = 0' >> /etc/sysctl.d/60-cis.conf && sysctl --system",
    core_dumps);

fn core_dumps(t: &Telemetry, out: &mut Out) {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    let mut unknown = Vec::new();
    match &t.core_dumps {
        Observed::Unknown(r) => unknown.push(format!("core limits: {r}")),
        Observed::Known(c) => {
            let hard = c.limits.iter().find(|l| {
                l.domain == "*"
                    && (l.kind == "hard" || l.kind == "-")
                    && l.item == "core"
                    && l.value == "0"
            });
            match hard {
                Some(l) => good.push(format!("`* {} core 0` ({})", l.kind, l.origin)),
                // Absence is the failure: CIS 1.5.1's audit looks for the `* hard core 0`
                // line in limits.conf or limits.d, and without it core dumps are unlimited.
                None => bad.push("no `* hard core 0` limit".to_owned()),
            }
        }
    }
    match sysctl_value(t, "fs.suid_dumpable") {
        Ok(v) if v == "0" => good.push("`fs.suid_dumpable = 0`".to_owned()),
        Ok(v) => bad.push(format!("`fs.suid_dumpable = {v}` (want 0)")),
        Err(r) => unknown.push(r),
    }
    if !bad.is_empty() {
        out.fail("", bad.join("; "));
    } else if !unknown.is_empty() {
        out.not_available("", unknown.join("; "));
    } else {
        out.pass("", good.join("; "));
    }
}

/// One kernel parameter, or why it is not known.
pub(crate) fn sysctl_value<'a>(t: &'a Telemetry, key: &str) -> Result<&'a str, String> {
    match &t.sysctl {
        Observed::Unknown(r) => Err(format!("kernel parameters were not read: {r}")),
        Observed::Known(m) => match m.get(key) {
            Some(Observed::Known(v)) => Ok(v.trim()),
            Some(Observed::Unknown(r)) => Err(format!("`{key}`: {r}")),
            None => Err(format!("`{key}` is not in the telemetry")),
        },
    }
}

custom_rule!(ASLR, "host_cis_aslr_enabled", cis "1.5.3", Severity::Medium,
    "Ensure address space layout randomization (ASLR) is enabled",
    "`kernel.randomize_va_space = 2`: stack, mmap, VDSO and heap are randomized, which makes memory corruption exploits much harder.",
    console "Add `kernel.randomize_va_space = 2` to /etc/sysctl.d/60-cis.conf, then run `sysctl --system`.",
    cli "echo 'kernel.randomize_va_space = 2' >> /etc/sysctl.d/60-cis.conf && sysctl -w kernel.randomize_va_space=2",
    aslr);

pub(crate) fn aslr(t: &Telemetry, out: &mut Out) {
    match sysctl_value(t, "kernel.randomize_va_space") {
        Err(r) => out.not_available("", r),
        Ok("2") => out.pass("", "`kernel.randomize_va_space = 2`: full randomization"),
        Ok(v) => out.fail("", format!("`kernel.randomize_va_space = {v}` (want 2: 0 disables ASLR, 1 leaves the heap fixed)")),
    }
}

// ---- 5.4.1 password ageing ----

custom_rule!(PASS_MAX_DAYS, "host_cis_password_max_days", cis "5.4.1.1", Severity::Low,
    "Ensure password expiration is 365 days or less",
    "`PASS_MAX_DAYS` in /etc/login.defs is 365 or less, so that a leaked password stops working eventually. (Existing accounts keep their own maximum: also run `chage --maxdays 365 <user>`.)",
    console "Set `PASS_MAX_DAYS 365` in /etc/login.defs.",
    cli "sed -ri 's/^\\s*PASS_MAX_DAYS\\s+.*/PASS_MAX_DAYS 365/' /etc/login.defs",
    |t, o| login_defs(t, o, "PASS_MAX_DAYS", |n| (1..=365).contains(&n), "between 1 and 365"));
custom_rule!(PASS_MIN_DAYS, "host_cis_password_min_days", cis "5.4.1.2", Severity::Low,
    "Ensure minimum days between password changes is configured",
    "`PASS_MIN_DAYS` in /etc/login.defs is at least 1, so that users cannot cycle back to an old password at once.",
    console "Set `PASS_MIN_DAYS 1` in /etc/login.defs.",
    cli "sed -ri 's/^\\s*PASS_MIN_DAYS\\s+.*/PASS_MIN_DAYS 1/' /etc/login.defs",
    |t, o| login_defs(t, o, "PASS_MIN_DAYS", |n| n >= 1, "at least 1"));
custom_rule!(PASS_WARN_AGE, "host_cis_password_warn_age", cis "5.4.1.3", Severity::Informational,
    "Ensure password expiration warning days is 7 or more",
    "`PASS_WARN_AGE` in /etc/login.defs is at least 7, so that users are warned before their password expires.",
    console "Set `PASS_WARN_AGE 7` in /etc/login.defs.",
    cli "sed -ri 's/^\\s*PASS_WARN_AGE\\s+.*/PASS_WARN_AGE 7/' /etc/login.defs",
    |t, o| login_defs(t, o, "PASS_WARN_AGE", |n| n >= 7, "at least 7"));

/// One numeric login.defs key: `Ok(reason)` when good, `Err((failed, reason))`.
pub(crate) fn login_defs_value(
    t: &Telemetry,
    key: &str,
    ok: fn(i64) -> bool,
    want: &str,
) -> Result<String, (bool, String)> {
    let defs = match &t.login_defs {
        Observed::Unknown(r) => return Err((false, format!("/etc/login.defs was not read: {r}"))),
        Observed::Known(d) => d,
    };
    match defs.get(key) {
        // Absence is the failure: CIS 5.4.1.1–3 audit the key's value in /etc/login.defs,
        // and a key that is not set has no value that meets them (a missing login.defs is
        // NOT_AVAILABLE above).
        None => Err((
            true,
            format!("`{key}` is not set in /etc/login.defs (want {want})"),
        )),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if ok(n) => Ok(format!("`{key} {n}`")),
            Ok(n) => Err((true, format!("`{key} {n}` (want {want})"))),
            Err(_) => Err((true, format!("`{key} {v}` is not a number (want {want})"))),
        },
    }
}

fn login_defs(t: &Telemetry, out: &mut Out, key: &str, ok: fn(i64) -> bool, want: &str) {
    match login_defs_value(t, key, ok, want) {
        Ok(r) => out.pass("", r),
        Err((true, r)) => out.fail("", r),
        Err((false, r)) => out.not_available("", r),
    }
}

// ---- 6.1.10 world-writable files ----

custom_rule!(WORLD_WRITABLE, "host_cis_no_world_writable_files", cis "6.1.10", Severity::Medium,
    "Ensure no world writable files exist",
    "no file under the system paths (/bin, /sbin, /usr/bin, /usr/sbin, /etc) is writable by every user, and no world-writable directory there lacks the sticky bit. One result per offending path.",
    console "Remove the write bit for others: `chmod o-w <path>` (directories that must stay shared: `chmod +t <path>`).",
    cli "chmod o-w <path>",
    world_writable);

/// One FAILED result per world-writable entry (detail: its path); PASSED only when the
/// walk was complete.
pub(crate) fn world_writable(t: &Telemetry, out: &mut Out) {
    let ww = match &t.world_writable {
        Observed::Unknown(r) => {
            return out.not_available("", format!("the system paths were not walked: {r}"))
        }
        Observed::Known(w) => w,
    };
    let mut entries: Vec<_> = ww.entries.iter().collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries.dedup_by(|a, b| a.path == b.path);
    for e in &entries {
        out.fail(
            &e.path,
            format!(
                "`{}` ({} {:04o}, uid {}) is writable by every user{}",
                e.path,
                e.meta.kind,
                e.meta.mode,
                e.meta.uid,
                if e.meta.kind == "dir" {
                    " and has no sticky bit"
                } else {
                    ""
                }
            ),
        );
    }
    if !entries.is_empty() {
        return;
    }
    if ww.examined == 0 && ww.unreadable.is_empty() {
        // None of the system paths is there (a bare root, a function package): nothing
        // was examined, which is not "none is world-writable".
        return out.not_available(
            "",
            format!(
                "none of {} exists: there is nothing to assess",
                ww.paths.join(", ")
            ),
        );
    }
    if ww.truncated {
        out.not_available(
            "",
            format!(
                "none found among {} entries, but the walk stopped at its bound",
                ww.examined
            ),
        );
    } else if !ww.unreadable.is_empty() {
        let shown: Vec<&str> = ww.unreadable.iter().take(5).map(String::as_str).collect();
        out.not_available(
            "",
            format!(
                "none found among {} entries, but {} directories could not be read ({}{})",
                ww.examined,
                ww.unreadable.len(),
                shown.join(", "),
                if ww.unreadable.len() > 5 { ", ..." } else { "" }
            ),
        );
    } else {
        out.pass(
            "",
            format!(
                "none of {} entries under {} is world-writable",
                ww.examined,
                ww.paths.join(", ")
            ),
        );
    }
}

// ---- 6.2 accounts ----

custom_rule!(EMPTY_PASSWORDS, "host_cis_no_empty_passwords", cis "6.2.1", Severity::High,
    "Ensure password fields are not empty",
    "no account in /etc/shadow (or /etc/passwd) has an empty password field: anyone could log in as it.",
    console "Lock each listed account (`passwd -l <user>`) or give it a password.",
    cli "passwd -l <user>",
    empty_passwords);

fn empty_passwords(t: &Telemetry, out: &mut Out) {
    let mut empty: Vec<String> = Vec::new();
    if let Observed::Known(users) = &t.users {
        empty.extend(
            users
                .iter()
                .filter(|u| u.passwd_field == PasswordState::Empty)
                .map(|u| format!("`{}` (/etc/passwd)", u.name)),
        );
    }
    match &t.shadow {
        Observed::Known(entries) => {
            empty.extend(
                entries
                    .iter()
                    .filter(|e| e.password == PasswordState::Empty)
                    .map(|e| format!("`{}` (/etc/shadow)", e.name)),
            );
            if empty.is_empty() {
                out.pass(
                    "",
                    format!(
                        "none of {} shadow entries has an empty password",
                        entries.len()
                    ),
                );
            } else {
                out.fail("", format!("empty password: {}", empty.join(", ")));
            }
        }
        Observed::Unknown(r) if !empty.is_empty() => out.fail(
            "",
            format!(
                "empty password: {} (and /etc/shadow was not read: {r})",
                empty.join(", ")
            ),
        ),
        Observed::Unknown(r) => out.not_available("", format!("/etc/shadow was not read: {r}")),
    }
}

custom_rule!(ONLY_ROOT_UID_0, "host_cis_only_root_uid_0", cis "6.2.5", Severity::High,
    "Ensure root is the only UID 0 account",
    "`root` is the only account with UID 0: any other has full superuser rights without being recognisable as such.",
    console "Give each listed account its own UID (`usermod -u <new-uid> <user>`) or remove it (`userdel <user>`).",
    cli "usermod -u <new-uid> <user>",
    only_root_uid_0);

fn only_root_uid_0(t: &Telemetry, out: &mut Out) {
    let users = match &t.users {
        Observed::Unknown(r) => {
            return out.not_available("", format!("/etc/passwd was not read: {r}"))
        }
        Observed::Known(u) => u,
    };
    let others: Vec<&str> = users
        .iter()
        .filter(|u| u.uid == 0 && u.name != "root")
        .map(|u| u.name.as_str())
        .collect();
    if others.is_empty() {
        out.pass("", "only `root` has UID 0");
    } else {
        out.fail("", format!("UID 0 besides root: {}", others.join(", ")));
    }
}

custom_rule!(DUPLICATE_UIDS, "host_cis_no_duplicate_uids", cis "6.2.16", Severity::Medium,
    "Ensure no duplicate UIDs exist",
    "every account in /etc/passwd has its own UID, so that files and logs tell users apart.",
    console "Give each duplicate account its own UID with `usermod -u <new-uid> <user>` and fix file ownership.",
    cli "usermod -u <new-uid> <user>",
    duplicate_uids);

fn duplicate_uids(t: &Telemetry, out: &mut Out) {
    let users = match &t.users {
        Observed::Unknown(r) => {
            return out.not_available("", format!("/etc/passwd was not read: {r}"))
        }
        Observed::Known(u) => u,
    };
    let mut by_id: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for u in users {
        by_id.entry(u.uid).or_default().push(&u.name);
    }
    report_duplicates(out, "UID", by_id, users.len());
}

custom_rule!(DUPLICATE_GIDS, "host_cis_no_duplicate_gids", cis "6.2.17", Severity::Low,
    "Ensure no duplicate GIDs exist",
    "every group in /etc/group has its own GID.",
    console "Give each duplicate group its own GID with `groupmod -g <new-gid> <group>` and fix file ownership.",
    cli "groupmod -g <new-gid> <group>",
    duplicate_gids);

fn duplicate_gids(t: &Telemetry, out: &mut Out) {
    let groups = match &t.groups {
        Observed::Unknown(r) => {
            return out.not_available("", format!("/etc/group was not read: {r}"))
        }
        Observed::Known(g) => g,
    };
    let mut by_id: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for g in groups {
        by_id.entry(g.gid).or_default().push(&g.name);
    }
    report_duplicates(out, "GID", by_id, groups.len());
}

fn report_duplicates(out: &mut Out, what: &str, by_id: BTreeMap<u32, Vec<&str>>, total: usize) {
    let dups: Vec<String> = by_id
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(id, names)| format!("{what} {id}: {}", names.join(", ")))
        .collect();
    if dups.is_empty() {
        out.pass("", format!("all {total} {what}s are distinct"));
    } else {
        out.fail("", dups.join("; "));
    }
}

custom_rule!(SHADOW_GROUP_EMPTY, "host_cis_shadow_group_empty", cis "6.2.20", Severity::Medium,
    "Ensure shadow group is empty",
    "the `shadow` group has no members and is no account's primary group: its members can read every password hash.",
    console "Remove the members: `gpasswd -M '' shadow`; change the primary group of listed users: `usermod -g <group> <user>`.",
    cli "gpasswd -M '' shadow",
    shadow_group_empty);

fn shadow_group_empty(t: &Telemetry, out: &mut Out) {
    let groups = match &t.groups {
        Observed::Unknown(r) => {
            return out.not_available("", format!("/etc/group was not read: {r}"))
        }
        Observed::Known(g) => g,
    };
    let Some(shadow) = groups.iter().find(|g| g.name == "shadow") else {
        return out.pass("", "there is no `shadow` group");
    };
    let mut members: Vec<String> = shadow
        .members
        .iter()
        .map(|m| format!("`{m}` (member)"))
        .collect();
    match &t.users {
        Observed::Known(users) => members.extend(
            users
                .iter()
                .filter(|u| u.gid == shadow.gid)
                .map(|u| format!("`{}` (primary group)", u.name)),
        ),
        Observed::Unknown(r) if members.is_empty() => {
            return out.not_available(
                "",
                format!("/etc/passwd was not read to find primary members: {r}"),
            )
        }
        Observed::Unknown(_) => {}
    }
    if members.is_empty() {
        out.pass("", format!("group `shadow` (gid {}) is empty", shadow.gid));
    } else {
        out.fail("", format!("group `shadow` has {}", members.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, set_sysctl, user, Expect::*};
    use rampart_host::{Limit, ShadowEntry, WorldWritableEntry};

    #[test]
    fn mounts() {
        let t = compliant();
        for r in [
            &TMP_SEPARATE,
            &TMP_NODEV,
            &TMP_NOSUID,
            &TMP_NOEXEC,
            &SHM_NODEV,
            &SHM_NOSUID,
            &SHM_NOEXEC,
        ] {
            expect(r, &t, &[Passed]);
        }
        let mut bad = t.clone();
        if let Observed::Known(ms) = &mut bad.mounts {
            ms.retain(|m| m.mount_point != "/tmp");
            for m in ms.iter_mut().filter(|m| m.mount_point == "/dev/shm") {
                m.options = vec!["rw".into(), "nosuid".into(), "nodev".into()];
            }
        }
        expect(&TMP_SEPARATE, &bad, &[Failed("not a separate mount")]);
        expect(&TMP_NOEXEC, &bad, &[Failed("cannot apply")]);
        expect(&SHM_NOEXEC, &bad, &[Failed("without `noexec`")]);
        expect(&SHM_NODEV, &bad, &[Passed]);

        // Mounted root: fstab decides when it has the line, else not available.
        let mut offline = t.clone();
        offline.mounts = Observed::Unknown("not available for a mounted root".into());
        expect(&TMP_NOSUID, &offline, &[Passed]);
        offline.fstab = Observed::Known(Vec::new());
        expect(&TMP_SEPARATE, &offline, &[NotAvailable("no `/tmp` line")]);
        offline.fstab = Observed::Unknown("denied".into());
        expect(&SHM_NODEV, &offline, &[NotAvailable("denied")]);
    }

    #[test]
    fn core_dumps_and_aslr() {
        let t = compliant();
        expect(&CORE_DUMPS, &t, &[Passed]);
        expect(&ASLR, &t, &[Passed]);
        let mut bad = t.clone();
        if let Observed::Known(c) = &mut bad.core_dumps {
            c.limits = vec![Limit {
                domain: "*".into(),
                kind: "soft".into(),
                item: "core".into(),
                value: "0".into(),
                origin: "/etc/security/limits.conf:5".into(),
            }];
        }
        expect(&CORE_DUMPS, &bad, &[Failed("no `* hard core 0`")]);
        set_sysctl(
            &mut bad,
            "kernel.randomize_va_space",
            Observed::Known("1".into()),
        );
        expect(&ASLR, &bad, &[Failed("randomize_va_space = 1")]);

        let mut unknown = t.clone();
        set_sysctl(
            &mut unknown,
            "fs.suid_dumpable",
            Observed::Unknown("denied".into()),
        );
        set_sysctl(
            &mut unknown,
            "kernel.randomize_va_space",
            Observed::Unknown("denied".into()),
        );
        expect(&CORE_DUMPS, &unknown, &[NotAvailable("denied")]);
        expect(&ASLR, &unknown, &[NotAvailable("denied")]);
        set_sysctl(
            &mut unknown,
            "fs.suid_dumpable",
            Observed::Known("2".into()),
        );
        expect(&CORE_DUMPS, &unknown, &[Failed("suid_dumpable = 2")]);
        unknown.core_dumps = Observed::Unknown("unreadable".into());
        set_sysctl(
            &mut unknown,
            "fs.suid_dumpable",
            Observed::Known("0".into()),
        );
        expect(&CORE_DUMPS, &unknown, &[NotAvailable("unreadable")]);
    }

    #[test]
    fn login_defs_rules() {
        let t = compliant();
        for r in [&PASS_MAX_DAYS, &PASS_MIN_DAYS, &PASS_WARN_AGE] {
            expect(r, &t, &[Passed]);
        }
        let mut bad = t.clone();
        if let Observed::Known(d) = &mut bad.login_defs {
            d.insert("PASS_MAX_DAYS".into(), "99999".into());
            d.insert("PASS_MIN_DAYS".into(), "0".into());
            d.remove("PASS_WARN_AGE");
        }
        expect(&PASS_MAX_DAYS, &bad, &[Failed("99999")]);
        expect(&PASS_MIN_DAYS, &bad, &[Failed("PASS_MIN_DAYS 0")]);
        expect(&PASS_WARN_AGE, &bad, &[Failed("not set")]);
        bad.login_defs = Observed::Unknown("denied".into());
        expect(&PASS_MAX_DAYS, &bad, &[NotAvailable("denied")]);
    }

    #[test]
    fn world_writable_rule() {
        let t = compliant();
        expect(&WORLD_WRITABLE, &t, &[Passed]);
        // No system path under the root: nothing was examined, not "none found".
        let mut bare = t.clone();
        if let Observed::Known(w) = &mut bare.world_writable {
            w.examined = 0;
        }
        expect(
            &WORLD_WRITABLE,
            &bare,
            &[NotAvailable("there is nothing to assess")],
        );
        expect(
            &crate::practices::WORLD_WRITABLE,
            &bare,
            &[NotAvailable("there is nothing to assess")],
        );
        let mut bad = t.clone();
        if let Observed::Known(w) = &mut bad.world_writable {
            for p in ["/usr/bin/zz", "/etc/aa"] {
                w.entries.push(WorldWritableEntry {
                    path: p.into(),
                    meta: rampart_host::FileMeta {
                        kind: "file".into(),
                        mode: 0o666,
                        uid: 0,
                        gid: 0,
                    },
                });
            }
        }
        let rs = crate::evaluate_only(&bad, &crate::testkit::host(), &[WORLD_WRITABLE.meta.id]);
        let details: Vec<&str> = rs.iter().map(|r| r.detail.as_str()).collect();
        assert_eq!(details, ["/etc/aa", "/usr/bin/zz"]);
        expect(
            &WORLD_WRITABLE,
            &bad,
            &[Failed("/etc/aa"), Failed("/usr/bin/zz")],
        );
        let mut partial = t.clone();
        if let Observed::Known(w) = &mut partial.world_writable {
            w.unreadable
                .push("/etc/ssl/private: permission denied".into());
        }
        expect(
            &WORLD_WRITABLE,
            &partial,
            &[NotAvailable("could not be read")],
        );
        if let Observed::Known(w) = &mut partial.world_writable {
            w.unreadable.clear();
            w.truncated = true;
        }
        expect(&WORLD_WRITABLE, &partial, &[NotAvailable("bound")]);
    }

    #[test]
    fn accounts() {
        let t = compliant();
        for r in [
            &EMPTY_PASSWORDS,
            &ONLY_ROOT_UID_0,
            &DUPLICATE_UIDS,
            &DUPLICATE_GIDS,
            &SHADOW_GROUP_EMPTY,
        ] {
            expect(r, &t, &[Passed]);
        }
        let mut bad = t.clone();
        if let Observed::Known(us) = &mut bad.users {
            us.push(user("toor", 0, 0));
        }
        if let Observed::Known(s) = &mut bad.shadow {
            s.push(ShadowEntry {
                name: "guest".into(),
                password: PasswordState::Empty,
                last_change: None,
                min_days: None,
                max_days: None,
                warn_days: None,
                inactive_days: None,
            });
        }
        if let Observed::Known(gs) = &mut bad.groups {
            for g in gs.iter_mut().filter(|g| g.name == "shadow") {
                g.members.push("user".into());
            }
        }
        expect(&EMPTY_PASSWORDS, &bad, &[Failed("`guest`")]);
        expect(&ONLY_ROOT_UID_0, &bad, &[Failed("toor")]);
        expect(&DUPLICATE_UIDS, &bad, &[Failed("UID 0: root, toor")]);
        expect(&SHADOW_GROUP_EMPTY, &bad, &[Failed("`user` (member)")]);

        let mut unknown = t.clone();
        unknown.shadow = Observed::Unknown("permission denied".into());
        unknown.users = Observed::Unknown("gone".into());
        unknown.groups = Observed::Unknown("gone".into());
        expect(
            &EMPTY_PASSWORDS,
            &unknown,
            &[NotAvailable("permission denied")],
        );
        expect(&ONLY_ROOT_UID_0, &unknown, &[NotAvailable("gone")]);
        expect(&DUPLICATE_GIDS, &unknown, &[NotAvailable("gone")]);
        expect(&SHADOW_GROUP_EMPTY, &unknown, &[NotAvailable("gone")]);
    }
}
