//! CIS 5.1.2–5.1.7 (cron), 5.2.1 (sshd_config) and 6.1.2–6.1.9 (account files):
//! owner, group and mode of one file or directory.

use rampart_host::{Observed, Telemetry};
use rampart_model::Severity;

use crate::{Eval, Out, Package, Rule};

/// What one file's owner and mode must be.
pub struct FileSpec {
    pub path: &'static str,
    /// No permission bit outside this mask (`0o644`: 644 or stricter).
    pub max_mode: u32,
    /// Acceptable group names (`root` is gid 0).
    pub groups: &'static [&'static str],
    /// The file is the rule's input, which every system the rule applies to has
    /// (`/etc/passwd`): missing, there is nothing to assess, NOT_AVAILABLE with the reason
    /// (a bare mounted root or an image without it). Otherwise a missing file is nothing
    /// to protect, PASSED (`/etc/cron.hourly` without cron, a backup never written).
    /// Never FAILED: CIS 5.1/5.2.1/6.1 audit the owner and mode of a file that exists;
    /// none of them makes the file's absence the failure.
    pub required: bool,
}

macro_rules! file_rule {
    ($name:ident, $id:literal, $path:literal, $mode:literal, $mode_text:literal,
     group $group:literal, groups $groups:expr, cis $cis:literal, $sev:expr, required $req:literal,
     $why:literal) => {
        pub static $name: Rule = Rule {
            meta: super::meta(
                super::cis!($cis),
                $id,
                concat!(
                    "Ensure permissions on ",
                    $path,
                    " are configured (CIS ",
                    $cis,
                    ")"
                ),
                concat!(
                    "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation ",
                    $cis,
                    ": ",
                    $path,
                    " is owned by root, group ",
                    $group,
                    ", mode ",
                    $mode_text,
                    " or stricter. ",
                    $why
                ),
                $sev,
                concat!(
                    "As root: chown root:",
                    $group,
                    " ",
                    $path,
                    " && chmod ",
                    $mode_text,
                    " ",
                    $path
                ),
                concat!(
                    "chown root:",
                    $group,
                    " ",
                    $path,
                    " && chmod ",
                    $mode_text,
                    " ",
                    $path
                ),
            ),
            package: Package::Cis,
            eval: Eval::File(FileSpec {
                path: $path,
                max_mode: $mode,
                groups: $groups,
                required: $req,
            }),
        };
    };
}

const ROOT: &[&str] = &["root"];
const ROOT_OR_SHADOW: &[&str] = &["root", "shadow"];

file_rule!(CRONTAB, "host_cis_crontab_permissions", "/etc/crontab", 0o600, "600", group "root", groups ROOT,
    cis "5.1.2", Severity::Medium, required false,
    "Jobs in it run as root: others must not read or change them.");
file_rule!(CRON_HOURLY, "host_cis_cron_hourly_permissions", "/etc/cron.hourly", 0o700, "700", group "root", groups ROOT,
    cis "5.1.3", Severity::Medium, required false,
    "Scripts in it run as root every hour.");
file_rule!(CRON_DAILY, "host_cis_cron_daily_permissions", "/etc/cron.daily", 0o700, "700", group "root", groups ROOT,
    cis "5.1.4", Severity::Medium, required false,
    "Scripts in it run as root every day.");
file_rule!(CRON_WEEKLY, "host_cis_cron_weekly_permissions", "/etc/cron.weekly", 0o700, "700", group "root", groups ROOT,
    cis "5.1.5", Severity::Medium, required false,
    "Scripts in it run as root every week.");
file_rule!(CRON_MONTHLY, "host_cis_cron_monthly_permissions", "/etc/cron.monthly", 0o700, "700", group "root", groups ROOT,
    cis "5.1.6", Severity::Medium, required false,
    "Scripts in it run as root every month.");
file_rule!(CRON_D, "host_cis_cron_d_permissions", "/etc/cron.d", 0o700, "700", group "root", groups ROOT,
    cis "5.1.7", Severity::Medium, required false,
    "Crontabs in it may run as root.");
file_rule!(SSHD_CONFIG, "host_cis_sshd_config_permissions", "/etc/ssh/sshd_config", 0o600, "600", group "root", groups ROOT,
    cis "5.2.1", Severity::Medium, required true,
    "It decides who may log in remotely and how.");
file_rule!(PASSWD, "host_cis_passwd_permissions", "/etc/passwd", 0o644, "644", group "root", groups ROOT,
    cis "6.1.2", Severity::High, required true,
    "Anyone who can write it can create a root account.");
file_rule!(SHADOW, "host_cis_shadow_permissions", "/etc/shadow", 0o640, "640", group "shadow", groups ROOT_OR_SHADOW,
    cis "6.1.3", Severity::High, required true,
    "It holds the password hashes; group root is accepted as well as shadow, and 000 is stricter.");
file_rule!(GROUP, "host_cis_group_permissions", "/etc/group", 0o644, "644", group "root", groups ROOT,
    cis "6.1.4", Severity::High, required true,
    "Anyone who can write it can join privileged groups.");
file_rule!(GSHADOW, "host_cis_gshadow_permissions", "/etc/gshadow", 0o640, "640", group "shadow", groups ROOT_OR_SHADOW,
    cis "6.1.5", Severity::High, required true,
    "It holds group password hashes; group root is accepted as well as shadow.");
file_rule!(PASSWD_BACKUP, "host_cis_passwd_backup_permissions", "/etc/passwd-", 0o644, "644", group "root", groups ROOT,
    cis "6.1.6", Severity::Medium, required false,
    "The backup holds the same data as /etc/passwd.");
file_rule!(SHADOW_BACKUP, "host_cis_shadow_backup_permissions", "/etc/shadow-", 0o640, "640", group "shadow", groups ROOT_OR_SHADOW,
    cis "6.1.7", Severity::High, required false,
    "The backup holds the same password hashes as /etc/shadow.");
file_rule!(GROUP_BACKUP, "host_cis_group_backup_permissions", "/etc/group-", 0o644, "644", group "root", groups ROOT,
    cis "6.1.8", Severity::Medium, required false,
    "The backup holds the same data as /etc/group.");
file_rule!(GSHADOW_BACKUP, "host_cis_gshadow_backup_permissions", "/etc/gshadow-", 0o640, "640", group "shadow", groups ROOT_OR_SHADOW,
    cis "6.1.9", Severity::High, required false,
    "The backup holds the same data as /etc/gshadow.");

/// Evaluates a [`FileSpec`]: one host-wide result (detail empty).
pub fn eval(spec: &FileSpec, t: &Telemetry, out: &mut Out) {
    let path = spec.path;
    let meta = match t.files.get(path) {
        None => {
            return out.not_available(
                "",
                format!("the telemetry has no owner and mode of `{path}`"),
            )
        }
        Some(Observed::Unknown(r)) => return out.not_available("", r.clone()),
        Some(Observed::Known(None)) if spec.required => {
            return out.not_available(
                "",
                format!("`{path}` does not exist: there is nothing to assess"),
            )
        }
        Some(Observed::Known(None)) => {
            return out.pass("", format!("`{path}` does not exist: nothing to protect"))
        }
        Some(Observed::Known(Some(m))) => m,
    };
    let mut problems = Vec::new();
    if meta.uid != 0 {
        problems.push(format!("owned by uid {} instead of root", meta.uid));
    }
    let extra = meta.mode & !spec.max_mode;
    if extra != 0 {
        problems.push(format!(
            "mode {:04o} grants {:04o} beyond {:04o}",
            meta.mode, extra, spec.max_mode
        ));
    }
    let group_name = if meta.gid == 0 {
        Some("root".to_owned())
    } else {
        t.groups.known().and_then(|gs| {
            gs.iter()
                .find(|g| g.gid == meta.gid)
                .map(|g| g.name.clone())
        })
    };
    let allowed = spec.groups.join(" or ");
    match &group_name {
        Some(g) if spec.groups.contains(&g.as_str()) => {}
        Some(g) => problems.push(format!(
            "group `{g}` (gid {}) instead of {allowed}",
            meta.gid
        )),
        // Only a named non-root group could be right; without the group list we cannot tell.
        None if spec.groups.iter().any(|g| *g != "root") && t.groups.known().is_none() => {
            if problems.is_empty() {
                return out.not_available(
                    "",
                    format!(
                        "`{path}` has group gid {}, and the group list could not be read to tell whether it is {allowed}",
                        meta.gid
                    ),
                );
            }
        }
        None => problems.push(format!("group gid {} instead of {allowed}", meta.gid)),
    }
    let shown = format!(
        "`{path}`: {} {:04o}, uid {}, group {}",
        meta.kind,
        meta.mode,
        meta.uid,
        group_name.unwrap_or_else(|| meta.gid.to_string())
    );
    if problems.is_empty() {
        out.pass("", format!("{shown}: as required"));
    } else {
        out.fail("", format!("{shown}: {}", problems.join("; ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, file, Expect::*};

    #[test]
    fn pass_fail_not_available() {
        let t = compliant();
        expect(&PASSWD, &t, &[Passed]);
        expect(&SHADOW, &t, &[Passed]);

        let mut bad = t.clone();
        bad.files
            .insert("/etc/passwd".into(), file("file", 0o666, 0, 0));
        bad.files
            .insert("/etc/shadow".into(), file("file", 0o640, 0, 42));
        bad.files
            .insert("/etc/crontab".into(), file("file", 0o644, 1000, 0));
        expect(&PASSWD, &bad, &[Failed("grants 0022")]);
        expect(&SHADOW, &bad, &[Passed]); // gid 42 is `shadow` in the fixture
        expect(&CRONTAB, &bad, &[Failed("owned by uid 1000")]);
        bad.files
            .insert("/etc/shadow".into(), file("file", 0o640, 0, 1000));
        expect(&SHADOW, &bad, &[Failed("group `user`")]);

        let mut gone = t.clone();
        gone.files
            .insert("/etc/passwd".into(), Observed::Known(None));
        gone.files
            .insert("/etc/passwd-".into(), Observed::Known(None));
        expect(&PASSWD_BACKUP, &gone, &[Passed]);

        let mut unknown = t.clone();
        unknown.files.insert(
            "/etc/shadow".into(),
            Observed::Unknown("cannot stat".into()),
        );
        unknown.files.remove("/etc/crontab");
        expect(&SHADOW, &unknown, &[NotAvailable("cannot stat")]);
        expect(&CRONTAB, &unknown, &[NotAvailable("has no owner")]);

        // gid not root, group list unreadable: cannot tell it is `shadow`.
        unknown.groups = Observed::Unknown("no".into());
        unknown
            .files
            .insert("/etc/gshadow".into(), file("file", 0o640, 0, 42));
        expect(&GSHADOW, &unknown, &[NotAvailable("group list")]);
        // ... but a bad mode still fails.
        unknown
            .files
            .insert("/etc/gshadow".into(), file("file", 0o644, 0, 42));
        expect(&GSHADOW, &unknown, &[Failed("beyond 0640")]);
    }

    /// The input files of a bare root or an image (no /etc/passwd, no sshd_config): no
    /// high-severity failure for a file that is not there.
    #[test]
    fn an_absent_input_file_is_not_available() {
        let mut gone = compliant();
        for (rule, path) in [
            (&PASSWD, "/etc/passwd"),
            (&GROUP, "/etc/group"),
            (&SHADOW, "/etc/shadow"),
            (&GSHADOW, "/etc/gshadow"),
            (&SSHD_CONFIG, "/etc/ssh/sshd_config"),
        ] {
            gone.files.insert(path.into(), Observed::Known(None));
            expect(
                rule,
                &gone,
                &[NotAvailable("does not exist: there is nothing to assess")],
            );
        }
        // Files that exist only with the software or after a change: nothing to protect.
        for (rule, path) in [
            (&CRONTAB, "/etc/crontab"),
            (&CRON_D, "/etc/cron.d"),
            (&SHADOW_BACKUP, "/etc/shadow-"),
        ] {
            gone.files.insert(path.into(), Observed::Known(None));
            expect(rule, &gone, &[Passed]);
        }
    }

    #[test]
    fn directories_and_stricter_modes() {
        let mut t = compliant();
        t.files
            .insert("/etc/cron.d".into(), file("dir", 0o755, 0, 0));
        expect(&CRON_D, &t, &[Failed("0055")]);
        t.files
            .insert("/etc/cron.d".into(), file("dir", 0o700, 0, 0));
        expect(&CRON_D, &t, &[Passed]);
        t.files
            .insert("/etc/shadow".into(), file("file", 0o000, 0, 0));
        expect(&SHADOW, &t, &[Passed]);
        t.files
            .insert("/etc/passwd".into(), file("file", 0o4644, 0, 0));
        expect(&PASSWD, &t, &[Failed("4000")]);
    }
}
