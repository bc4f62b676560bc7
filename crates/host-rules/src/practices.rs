//! Inspector's Security Best Practices package: remote root login, SSH password
//! authentication, password policy, ASLR, world-writable files in system paths.
//! Several share their logic with the CIS rules of the same subject.

use rampart_host::Telemetry;
use rampart_model::{CheckMeta, Severity, StandardRef};

use crate::cis::{self, SshdSpec};
use crate::{Eval, Out, Package, Rule};

/// Inspector's name of the package.
pub const PACKAGE: &str = "Security Best Practices";

const STANDARDS: &[StandardRef] = &[StandardRef::inspector(PACKAGE)];
const URL: &str =
    "https://docs.aws.amazon.com/inspector/v1/userguide/inspector_security-best-practices.html";

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

pub static SSH_ROOT_LOGIN: Rule = Rule {
    meta: meta(
        "host_bp_ssh_root_login_disabled",
        "Disable root login over SSH",
        "sshd does not let root log in (`PermitRootLogin no`, in the global section and every Match block): administrators log in as themselves and escalate with sudo.",
        Severity::Medium,
        "Set `PermitRootLogin no` in /etc/ssh/sshd_config above any Include and Match lines, then run `sshd -t && systemctl reload ssh`.",
        "sed -ri 's/^\\s*PermitRootLogin\\s+.*/PermitRootLogin no/I' /etc/ssh/sshd_config; sshd -t && systemctl reload ssh",
    ),
    package: Package::BestPractices,
    eval: Eval::Sshd(SshdSpec {
        keyword: "PermitRootLogin",
        want: "no",
        ok: |v| v.eq_ignore_ascii_case("no"),
    }),
};

pub static SSH_PASSWORD_AUTHENTICATION: Rule = Rule {
    meta: meta(
        "host_bp_ssh_password_authentication_disabled",
        "Disable password authentication over SSH",
        "sshd accepts keys only (`PasswordAuthentication no`): passwords can be guessed and phished, keys cannot. (Keyboard-interactive authentication through PAM can also ask for a password; set `KbdInteractiveAuthentication no` too.)",
        Severity::Medium,
        "Install users' public keys, set `PasswordAuthentication no` in /etc/ssh/sshd_config above any Include and Match lines, then run `sshd -t && systemctl reload ssh`.",
        "sed -ri 's/^\\s*PasswordAuthentication\\s+.*/PasswordAuthentication no/I' /etc/ssh/sshd_config; sshd -t && systemctl reload ssh",
    ),
    package: Package::BestPractices,
    eval: Eval::Sshd(SshdSpec {
        keyword: "PasswordAuthentication",
        want: "no",
        ok: |v| v.eq_ignore_ascii_case("no"),
    }),
};

pub static PASSWORD_POLICY: Rule = Rule {
    meta: meta(
        "host_bp_password_policy",
        "Configure a secure password policy",
        "/etc/login.defs sets password ageing: `PASS_MAX_DAYS` 1–365, `PASS_MIN_DAYS` ≥ 1, `PASS_WARN_AGE` ≥ 7. Complexity rules (pam_pwquality) are not in the telemetry and are not judged here.",
        Severity::Medium,
        "Set `PASS_MAX_DAYS 365`, `PASS_MIN_DAYS 1` and `PASS_WARN_AGE 7` in /etc/login.defs; apply to existing users with `chage`.",
        "sed -ri -e 's/^\\s*PASS_MAX_DAYS\\s+.*/PASS_MAX_DAYS 365/' -e 's/^\\s*PASS_MIN_DAYS\\s+.*/PASS_MIN_DAYS 1/' -e 's/^\\s*PASS_WARN_AGE\\s+.*/PASS_WARN_AGE 7/' /etc/login.defs",
    ),
    package: Package::BestPractices,
    eval: Eval::Custom(password_policy),
};

fn password_policy(t: &Telemetry, out: &mut Out) {
    let checks: [(&str, fn(i64) -> bool, &str); 3] = [
        (
            "PASS_MAX_DAYS",
            |n| (1..=365).contains(&n),
            "between 1 and 365",
        ),
        ("PASS_MIN_DAYS", |n| n >= 1, "at least 1"),
        ("PASS_WARN_AGE", |n| n >= 7, "at least 7"),
    ];
    let (mut good, mut bad, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    for (key, ok, want) in checks {
        match cis::system::login_defs_value(t, key, ok, want) {
            Ok(r) => good.push(r),
            Err((true, r)) => bad.push(r),
            Err((false, r)) => unknown.push(r),
        }
    }
    unknown.dedup();
    if !bad.is_empty() {
        out.fail("", bad.join("; "));
    } else if !unknown.is_empty() {
        out.not_available("", unknown.join("; "));
    } else {
        out.pass("", good.join(", "));
    }
}

pub static ASLR: Rule = Rule {
    meta: meta(
        "host_bp_aslr_enabled",
        "Enable address space layout randomization (ASLR)",
        "`kernel.randomize_va_space = 2`: the kernel randomizes the addresses of stack, heap, libraries and VDSO, which defeats exploits that need fixed addresses.",
        Severity::Medium,
        "Add `kernel.randomize_va_space = 2` to /etc/sysctl.d/60-aslr.conf, then run `sysctl --system`.",
        "echo 'kernel.randomize_va_space = 2' >> /etc/sysctl.d/60-aslr.conf && sysctl -w kernel.randomize_va_space=2",
    ),
    package: Package::BestPractices,
    eval: Eval::Custom(cis::system::aslr),
};

pub static WORLD_WRITABLE: Rule = Rule {
    meta: meta(
        "host_bp_no_world_writable_system_files",
        "No world-writable files in system paths",
        "No file under /bin, /sbin, /usr/bin, /usr/sbin or /etc is writable by every user (nor a directory there without the sticky bit): any local user could replace programs or configuration that root runs. One result per offending path.",
        Severity::High,
        "Remove the write bit for others: `chmod o-w <path>`; find them with `find /bin /sbin /usr/bin /usr/sbin /etc -xdev -perm -0002 ! -type l`.",
        "chmod o-w <path>",
    ),
    package: Package::BestPractices,
    eval: Eval::Custom(cis::system::world_writable),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, set_sshd, set_sysctl, Expect::*};
    use rampart_host::Observed;

    #[test]
    fn pass_fail_not_available() {
        let t = compliant();
        for r in [
            &SSH_ROOT_LOGIN,
            &SSH_PASSWORD_AUTHENTICATION,
            &PASSWORD_POLICY,
            &ASLR,
            &WORLD_WRITABLE,
        ] {
            expect(r, &t, &[Passed]);
        }
        let mut bad = t.clone();
        set_sshd(&mut bad, "permitrootlogin", "yes");
        set_sshd(&mut bad, "passwordauthentication", "yes");
        set_sysctl(
            &mut bad,
            "kernel.randomize_va_space",
            Observed::Known("0".into()),
        );
        if let Observed::Known(d) = &mut bad.login_defs {
            d.insert("PASS_MAX_DAYS".into(), "99999".into());
        }
        expect(&SSH_ROOT_LOGIN, &bad, &[Failed("PermitRootLogin yes")]);
        expect(
            &SSH_PASSWORD_AUTHENTICATION,
            &bad,
            &[Failed("PasswordAuthentication yes")],
        );
        expect(&PASSWORD_POLICY, &bad, &[Failed("PASS_MAX_DAYS 99999")]);
        expect(&ASLR, &bad, &[Failed("= 0")]);

        let mut unknown = t.clone();
        unknown.sshd = Observed::Unknown("denied".into());
        unknown.login_defs = Observed::Unknown("denied".into());
        unknown.sysctl = Observed::Unknown("mounted root".into());
        unknown.world_writable = Observed::Unknown("not walked".into());
        expect(&SSH_ROOT_LOGIN, &unknown, &[NotAvailable("denied")]);
        expect(
            &SSH_PASSWORD_AUTHENTICATION,
            &unknown,
            &[NotAvailable("denied")],
        );
        expect(&PASSWORD_POLICY, &unknown, &[NotAvailable("denied")]);
        expect(&ASLR, &unknown, &[NotAvailable("mounted root")]);
        expect(&WORLD_WRITABLE, &unknown, &[NotAvailable("not walked")]);
    }
}
