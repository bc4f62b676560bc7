//! CIS 5.2.5–5.2.23: sshd settings. The global effective value decides, and every
//! `Match` block that sets the keyword to a bad value fails the rule too (sshd applies
//! them to the connections they match). No `sshd_config`: the SSH server is not
//! installed, and the rules pass.

use rampart_host::{Observed, SshdConfig, Telemetry};
use rampart_model::Severity;

use crate::{Eval, Out, Package, Rule};

/// One keyword and the values it may take.
pub struct SshdSpec {
    /// As sshd_config(5) spells it (`PermitRootLogin`); matched case-insensitively.
    pub keyword: &'static str,
    /// The requirement in words, for the reason.
    pub want: &'static str,
    pub ok: fn(&str) -> bool,
}

macro_rules! sshd_rule {
    ($name:ident, $id:literal, $keyword:literal, $want:literal, $ok:expr, $value:literal,
     cis $cis:literal, $sev:expr, $title:literal, $why:literal) => {
        pub static $name: Rule = Rule {
            meta: super::meta(
                super::cis!($cis),
                $id,
                concat!($title, " (CIS ", $cis, ")"),
                concat!(
                    "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation ", $cis,
                    ": sshd `", $keyword, "` must be ", $want, ". ", $why
                ),
                $sev,
                concat!(
                    "Set `", $keyword, " ", $value, "` in /etc/ssh/sshd_config above any Include and Match lines, ",
                    "remove other values (also in /etc/ssh/sshd_config.d/*.conf and Match blocks), then run `sshd -t && systemctl reload ssh`."
                ),
                concat!(
                    "sed -ri 's/^\\s*", $keyword, "\\s+.*/", $keyword, " ", $value,
                    "/I' /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf; grep -qi '^", $keyword,
                    "\\s' /etc/ssh/sshd_config || sed -i '1i ", $keyword, " ", $value,
                    "' /etc/ssh/sshd_config; sshd -t && systemctl reload ssh"
                ),
            ),
            package: Package::Cis,
            eval: Eval::Sshd(SshdSpec {
                keyword: $keyword,
                want: $want,
                ok: $ok,
            }),
        };
    };
}

fn is(v: &str, want: &str) -> bool {
    v.eq_ignore_ascii_case(want)
}

fn int_at_most(v: &str, max: u64) -> bool {
    v.parse::<u64>().is_ok_and(|n| n <= max)
}

/// sshd's time format (sshd_config(5) TIME FORMATS): `90`, `1m30s`, `2h`; seconds.
pub fn parse_time(v: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut num = String::new();
    for c in v.trim().chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(num.parse::<u64>().ok()?.checked_mul(unit)?)?;
        num.clear();
    }
    if !num.is_empty() {
        total = total.checked_add(num.parse().ok()?)?;
    }
    Some(total)
}

/// `MaxStartups start:rate:full` no looser than `10:30:60` (a single number N means
/// refusing beyond N, acceptable when N ≤ 10).
pub fn max_startups_ok(v: &str) -> bool {
    let parts: Vec<Option<u64>> = v.split(':').map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [Some(n)] => *n <= 10,
        [Some(start), Some(rate), Some(full)] => *start <= 10 && *rate <= 30 && *full <= 60,
        _ => false,
    }
}

sshd_rule!(LOG_LEVEL, "host_cis_sshd_log_level", "LogLevel", "INFO or VERBOSE",
    |v| is(v, "INFO") || is(v, "VERBOSE"), "VERBOSE",
    cis "5.2.5", Severity::Low, "Ensure SSH LogLevel is appropriate",
    "Lower levels lose the record of who logged in; DEBUG levels log too much to review.");
sshd_rule!(X11_FORWARDING, "host_cis_sshd_x11_forwarding", "X11Forwarding", "no",
    |v| is(v, "no"), "no",
    cis "5.2.6", Severity::Low, "Ensure SSH X11 forwarding is disabled",
    "X11 forwarding exposes the user's display to the server and its other users.");
sshd_rule!(MAX_AUTH_TRIES, "host_cis_sshd_max_auth_tries", "MaxAuthTries", "4 or less",
    |v| int_at_most(v, 4), "4",
    cis "5.2.7", Severity::Medium, "Ensure SSH MaxAuthTries is set to 4 or less",
    "Few attempts per connection slow brute-force attacks (OpenSSH's default is 6).");
sshd_rule!(IGNORE_RHOSTS, "host_cis_sshd_ignore_rhosts", "IgnoreRhosts", "yes",
    |v| is(v, "yes"), "yes",
    cis "5.2.8", Severity::Medium, "Ensure SSH IgnoreRhosts is enabled",
    "Users' .rhosts and .shosts files must not grant access.");
sshd_rule!(HOSTBASED_AUTHENTICATION, "host_cis_sshd_hostbased_authentication", "HostbasedAuthentication", "no",
    |v| is(v, "no"), "no",
    cis "5.2.9", Severity::Medium, "Ensure SSH HostbasedAuthentication is disabled",
    "Trusting other hosts' word for a user's identity extends this host's trust to theirs.");
sshd_rule!(PERMIT_ROOT_LOGIN, "host_cis_sshd_permit_root_login", "PermitRootLogin", "no",
    |v| is(v, "no"), "no",
    cis "5.2.10", Severity::High, "Ensure SSH root login is disabled",
    "Administrators log in as themselves and escalate with sudo, leaving an audit trail; OpenSSH's default `prohibit-password` still admits root with a key.");
sshd_rule!(PERMIT_EMPTY_PASSWORDS, "host_cis_sshd_permit_empty_passwords", "PermitEmptyPasswords", "no",
    |v| is(v, "no"), "no",
    cis "5.2.11", Severity::High, "Ensure SSH PermitEmptyPasswords is disabled",
    "An account without a password must not be reachable remotely.");
sshd_rule!(PERMIT_USER_ENVIRONMENT, "host_cis_sshd_permit_user_environment", "PermitUserEnvironment", "no",
    |v| is(v, "no"), "no",
    cis "5.2.12", Severity::Medium, "Ensure SSH PermitUserEnvironment is disabled",
    "User-supplied environment (LD_PRELOAD, PATH) can bypass restrictions such as forced commands.");
sshd_rule!(LOGIN_GRACE_TIME, "host_cis_sshd_login_grace_time", "LoginGraceTime", "between 1 second and one minute",
    |v| parse_time(v).is_some_and(|s| (1..=60).contains(&s)), "60",
    cis "5.2.17", Severity::Low, "Ensure SSH LoginGraceTime is set to one minute or less",
    "A short grace time limits unauthenticated connections held open (0 means no limit; the default is 120 s).");
sshd_rule!(BANNER, "host_cis_sshd_banner", "Banner", "a file (not `none`)",
    |v| !is(v, "none") && !v.is_empty(), "/etc/issue.net",
    cis "5.2.19", Severity::Informational, "Ensure SSH warning banner is configured",
    "A warning banner states the site's policy before authentication.");
sshd_rule!(USE_PAM, "host_cis_sshd_use_pam", "UsePAM", "yes",
    |v| is(v, "yes"), "yes",
    cis "5.2.20", Severity::Medium, "Ensure SSH PAM is enabled",
    "PAM's account and session checks (locking, limits, access rules) apply to SSH logins only with UsePAM.");
sshd_rule!(MAX_STARTUPS, "host_cis_sshd_max_startups", "MaxStartups", "10:30:60 or stricter",
    max_startups_ok, "10:30:60",
    cis "5.2.22", Severity::Low, "Ensure SSH MaxStartups is configured",
    "Rate limiting of unauthenticated connections keeps logins available under a flood.");
sshd_rule!(MAX_SESSIONS, "host_cis_sshd_max_sessions", "MaxSessions", "10 or less",
    |v| int_at_most(v, 10), "10",
    cis "5.2.23", Severity::Low, "Ensure SSH MaxSessions is limited",
    "Limits the sessions one connection multiplexes. DIL v2.0.0 asks for 4 or less; CIS Debian Linux 12 accepts 10 (OpenSSH's default), which this rule uses.");

pub static IDLE_TIMEOUT: Rule = Rule {
    meta: super::meta(
        super::cis!("5.2.16"),
        "host_cis_sshd_idle_timeout",
        "Ensure SSH Idle Timeout Interval is configured (CIS 5.2.16)",
        "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation 5.2.16: sshd \
         `ClientAliveInterval` between 1 and 300 seconds and `ClientAliveCountMax` between 1 \
         and 3, so that unresponsive sessions end. (DIL v2.0.0 asked for a count of 0, which \
         since OpenSSH 8.2 disables the timeout instead; newer CIS benchmarks ask for more than 0.)",
        Severity::Low,
        "Set `ClientAliveInterval 300` and `ClientAliveCountMax 3` in /etc/ssh/sshd_config above any Include and Match lines, then run `sshd -t && systemctl reload ssh`.",
        "printf 'ClientAliveInterval 300\\nClientAliveCountMax 3\\n' | sed -i '1r /dev/stdin' /etc/ssh/sshd_config && sshd -t && systemctl reload ssh",
    ),
    package: Package::Cis,
    eval: Eval::Custom(idle_timeout),
};

fn idle_timeout(t: &Telemetry, out: &mut Out) {
    let Some(cfg) = config(t, out) else { return };
    let interval = check(cfg, "ClientAliveInterval", |v| {
        parse_time(v).is_some_and(|s| (1..=300).contains(&s))
    });
    let count = check(cfg, "ClientAliveCountMax", |v| {
        v.parse::<u64>().is_ok_and(|n| (1..=3).contains(&n))
    });
    decide(
        out,
        [interval, count],
        "ClientAliveInterval 1–300 s and ClientAliveCountMax 1–3",
    );
}

pub static ACCESS_LIMITED: Rule = Rule {
    meta: super::meta(
        super::cis!("5.2.18"),
        "host_cis_sshd_access_limited",
        "Ensure SSH access is limited (CIS 5.2.18)",
        "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation 5.2.18: at least \
         one of sshd's `AllowUsers`, `AllowGroups`, `DenyUsers`, `DenyGroups` restricts who may \
         log in over SSH.",
        Severity::Low,
        "Add `AllowGroups <ssh-users-group>` (or AllowUsers) to /etc/ssh/sshd_config, then run `sshd -t && systemctl reload ssh`.",
        "sed -i '1i AllowGroups sshusers' /etc/ssh/sshd_config && sshd -t && systemctl reload ssh",
    ),
    package: Package::Cis,
    eval: Eval::Custom(access_limited),
};

fn access_limited(t: &Telemetry, out: &mut Out) {
    let Some(cfg) = config(t, out) else { return };
    let set: Vec<String> = ["allowusers", "allowgroups", "denyusers", "denygroups"]
        .iter()
        .filter_map(|k| {
            cfg.settings
                .get(*k)
                .map(|s| format!("`{k} {}` ({})", s.values.join(" "), s.origin))
        })
        .collect();
    // Absence is the failure: CIS 5.2.18 asks that at least one of the four be set.
    if set.is_empty() {
        out.fail("", "none of AllowUsers, AllowGroups, DenyUsers, DenyGroups is set: every account with a shell may log in over SSH");
    } else {
        out.pass("", format!("SSH access is limited by {}", set.join(", ")));
    }
}

pub static ALLOW_TCP_FORWARDING: Rule = Rule {
    meta: super::meta(
        super::cis!("5.2.21"),
        "host_cis_sshd_allow_tcp_forwarding",
        "Ensure SSH AllowTcpForwarding is disabled (CIS 5.2.21)",
        "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation 5.2.21 (level 2): \
         sshd `AllowTcpForwarding no` (or `DisableForwarding yes`), so SSH cannot tunnel \
         traffic past network controls.",
        Severity::Low,
        "Set `AllowTcpForwarding no` (or `DisableForwarding yes`) in /etc/ssh/sshd_config above any Include and Match lines, then run `sshd -t && systemctl reload ssh`.",
        "sed -i '1i AllowTcpForwarding no' /etc/ssh/sshd_config && sshd -t && systemctl reload ssh",
    ),
    package: Package::Cis,
    eval: Eval::Custom(allow_tcp_forwarding),
};

fn allow_tcp_forwarding(t: &Telemetry, out: &mut Out) {
    let Some(cfg) = config(t, out) else { return };
    let disabled = check(cfg, "DisableForwarding", |v| is(v, "yes"));
    if disabled.bad.is_empty() && disabled.value.is_some() {
        return out.pass(
            "",
            format!("{}: all forwarding is disabled", disabled.shown),
        );
    }
    let tcp = check(cfg, "AllowTcpForwarding", |v| is(v, "no"));
    decide(out, [tcp], "AllowTcpForwarding no");
}

/// The parsed config, or the rule's result when there is none to judge.
pub(crate) fn config<'a>(t: &'a Telemetry, out: &mut Out) -> Option<&'a SshdConfig> {
    match &t.sshd {
        Observed::Unknown(r) => {
            out.not_available("", format!("sshd's configuration could not be read: {r}"));
            None
        }
        // Nothing to judge: a host without an SSH server (or a bare root, an image) has no
        // sshd settings to pass or fail.
        Observed::Known(None) => {
            out.not_available(
                "",
                "no `/etc/ssh/sshd_config`: the SSH server is not installed, there is nothing to assess",
            );
            None
        }
        Observed::Known(Some(cfg)) => Some(cfg),
    }
}

/// One keyword's verdict.
pub(crate) struct Checked {
    /// The global value, when the keyword is set or has a known default.
    pub value: Option<String>,
    /// `Keyword value (origin)`.
    pub shown: String,
    /// Bad values: the global one and `Match` overrides.
    pub bad: Vec<String>,
}

pub(crate) fn check(cfg: &SshdConfig, keyword: &str, ok: impl Fn(&str) -> bool) -> Checked {
    let key = keyword.to_ascii_lowercase();
    let mut bad = Vec::new();
    let (value, shown) = match cfg.settings.get(&key) {
        Some(s) => {
            let v = s.values.join(" ");
            let shown = format!("`{keyword} {v}` ({})", s.origin);
            if !ok(&v) {
                bad.push(shown.clone());
            }
            (Some(v), shown)
        }
        None => (None, format!("`{keyword}` not set, with no known default")),
    };
    for m in &cfg.match_blocks {
        for (k, v) in &m.settings {
            if *k == key && !ok(v) {
                bad.push(format!(
                    "`{keyword} {v}` in `Match {}` ({})",
                    m.criteria, m.origin
                ));
            }
        }
    }
    Checked { value, shown, bad }
}

/// FAILED when any value is bad, else NOT_AVAILABLE when any is unset, else PASSED.
pub(crate) fn decide<const N: usize>(out: &mut Out, checks: [Checked; N], want: &str) {
    let bad: Vec<String> = checks.iter().flat_map(|c| c.bad.iter().cloned()).collect();
    let shown: Vec<&str> = checks.iter().map(|c| c.shown.as_str()).collect();
    if !bad.is_empty() {
        out.fail("", format!("{}; required: {want}", bad.join("; ")));
    } else if checks.iter().any(|c| c.value.is_none()) {
        out.not_available("", format!("{}; required: {want}", shown.join("; ")));
    } else {
        out.pass("", format!("{}; required: {want}", shown.join("; ")));
    }
}

/// Evaluates an [`SshdSpec`].
pub fn eval(spec: &SshdSpec, t: &Telemetry, out: &mut Out) {
    let Some(cfg) = config(t, out) else { return };
    let c = check(cfg, spec.keyword, spec.ok);
    let want = format!("`{}` {}", spec.keyword, spec.want);
    decide(out, [c], &want);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, set_sshd, Expect::*};
    use rampart_host::SshdMatch;

    #[test]
    fn time_and_startups_formats() {
        assert_eq!(parse_time("60"), Some(60));
        assert_eq!(parse_time("1m"), Some(60));
        assert_eq!(parse_time("1m30s"), Some(90));
        assert_eq!(parse_time("2H"), Some(7200));
        assert_eq!(parse_time("1x"), None);
        assert!(max_startups_ok("10:30:60"));
        assert!(max_startups_ok("5:30:20"));
        assert!(!max_startups_ok("10:30:100"));
        assert!(max_startups_ok("10"));
        assert!(!max_startups_ok("11"));
        assert!(!max_startups_ok("a:b"));
    }

    #[test]
    fn table() {
        // (rule, keyword, good value, bad value, expected fragment of the failure)
        let cases: &[(&Rule, &str, &str, &str, &str)] = &[
            (
                &LOG_LEVEL,
                "loglevel",
                "VERBOSE",
                "DEBUG3",
                "LogLevel DEBUG3",
            ),
            (
                &X11_FORWARDING,
                "x11forwarding",
                "no",
                "yes",
                "X11Forwarding yes",
            ),
            (&MAX_AUTH_TRIES, "maxauthtries", "4", "6", "MaxAuthTries 6"),
            (
                &IGNORE_RHOSTS,
                "ignorerhosts",
                "yes",
                "no",
                "IgnoreRhosts no",
            ),
            (
                &HOSTBASED_AUTHENTICATION,
                "hostbasedauthentication",
                "no",
                "yes",
                "yes",
            ),
            (
                &PERMIT_ROOT_LOGIN,
                "permitrootlogin",
                "no",
                "prohibit-password",
                "prohibit-password",
            ),
            (
                &PERMIT_EMPTY_PASSWORDS,
                "permitemptypasswords",
                "no",
                "yes",
                "yes",
            ),
            (
                &PERMIT_USER_ENVIRONMENT,
                "permituserenvironment",
                "no",
                "yes",
                "yes",
            ),
            (
                &LOGIN_GRACE_TIME,
                "logingracetime",
                "1m",
                "0",
                "LoginGraceTime 0",
            ),
            (&BANNER, "banner", "/etc/issue.net", "none", "Banner none"),
            (&USE_PAM, "usepam", "yes", "no", "UsePAM no"),
            (
                &MAX_STARTUPS,
                "maxstartups",
                "10:30:60",
                "10:30:100",
                "10:30:100",
            ),
            (&MAX_SESSIONS, "maxsessions", "10", "20", "MaxSessions 20"),
        ];
        for (rule, key, good, bad, fragment) in cases {
            let mut t = compliant();
            set_sshd(&mut t, key, good);
            expect(rule, &t, &[Passed]);
            set_sshd(&mut t, key, bad);
            expect(rule, &t, &[Failed(fragment)]);
            // A Match block that sets the bad value fails even when the global is good.
            set_sshd(&mut t, key, good);
            if let Observed::Known(Some(cfg)) = &mut t.sshd {
                cfg.match_blocks.push(SshdMatch {
                    criteria: "User deploy".into(),
                    origin: "/etc/ssh/sshd_config:40".into(),
                    settings: vec![((*key).into(), (*bad).into())],
                });
            }
            expect(rule, &t, &[Failed("Match User deploy")]);
            // Unset with no default: cannot tell.
            if let Observed::Known(Some(cfg)) = &mut t.sshd {
                cfg.match_blocks.clear();
                cfg.settings.remove(*key);
            }
            expect(rule, &t, &[NotAvailable("not set")]);
        }
    }

    #[test]
    fn unknown_and_absent_config() {
        let mut t = compliant();
        t.sshd = Observed::Unknown("permission denied".into());
        for r in [
            &PERMIT_ROOT_LOGIN,
            &IDLE_TIMEOUT,
            &ACCESS_LIMITED,
            &ALLOW_TCP_FORWARDING,
        ] {
            expect(r, &t, &[NotAvailable("permission denied")]);
        }
        // No sshd_config (no SSH server, a bare root, an image): nothing to assess, not
        // a clean pass.
        t.sshd = Observed::Known(None);
        for r in [
            &PERMIT_ROOT_LOGIN,
            &IDLE_TIMEOUT,
            &ACCESS_LIMITED,
            &ALLOW_TCP_FORWARDING,
            &crate::practices::SSH_ROOT_LOGIN,
            &crate::practices::SSH_PASSWORD_AUTHENTICATION,
        ] {
            expect(r, &t, &[NotAvailable("no `/etc/ssh/sshd_config`")]);
        }
    }

    #[test]
    fn custom_rules() {
        let mut t = compliant();
        expect(&IDLE_TIMEOUT, &t, &[Passed]);
        set_sshd(&mut t, "clientaliveinterval", "0");
        expect(&IDLE_TIMEOUT, &t, &[Failed("ClientAliveInterval 0")]);
        set_sshd(&mut t, "clientaliveinterval", "300");
        set_sshd(&mut t, "clientalivecountmax", "0");
        expect(&IDLE_TIMEOUT, &t, &[Failed("ClientAliveCountMax 0")]);

        expect(&ACCESS_LIMITED, &t, &[Passed]);
        if let Observed::Known(Some(cfg)) = &mut t.sshd {
            cfg.settings.remove("allowgroups");
        }
        expect(&ACCESS_LIMITED, &t, &[Failed("none of")]);

        expect(&ALLOW_TCP_FORWARDING, &t, &[Passed]);
        set_sshd(&mut t, "allowtcpforwarding", "yes");
        expect(
            &ALLOW_TCP_FORWARDING,
            &t,
            &[Failed("AllowTcpForwarding yes")],
        );
        set_sshd(&mut t, "disableforwarding", "yes");
        expect(&ALLOW_TCP_FORWARDING, &t, &[Passed]);
    }
}
