//! Which package serves a listening socket, from the names of the processes holding it.
//!
//! The telemetry names each socket's processes (`/proc/<pid>/comm`) but not the package
//! that installed their executable, so the link is made by name: a package named like the
//! process, or one of the packages the distributions ship that daemon in. A process no
//! rule names links to no package (never to a guess): its port is no path.

/// Daemons and the binary packages that ship them (Debian/Ubuntu, RHEL/Amazon Linux,
/// Alpine). A name ending in `*` is a prefix (`postgresql-15`).
const DAEMONS: &[(&str, &[&str])] = &[
    ("sshd", &["openssh-server", "openssh"]),
    ("nginx", &["nginx", "nginx-core", "nginx-full", "nginx-light", "nginx-extras", "nginx-common"]),
    ("apache2", &["apache2", "apache2-bin"]),
    ("httpd", &["httpd", "httpd-core", "apache2"]),
    ("mysqld", &["mysql-server*", "mysql-community-server*", "mariadb-server*"]),
    ("mariadbd", &["mariadb-server*"]),
    ("postgres", &["postgresql*"]),
    ("redis-server", &["redis-server", "redis", "redis6", "redis7"]),
    ("memcached", &["memcached"]),
    ("named", &["bind9", "bind"]),
    ("vsftpd", &["vsftpd"]),
    ("proftpd", &["proftpd-basic", "proftpd-core", "proftpd"]),
    ("exim4", &["exim4-daemon-light", "exim4-daemon-heavy", "exim4-base"]),
    ("master", &["postfix"]),
    ("dovecot", &["dovecot-core", "dovecot"]),
    ("smbd", &["samba"]),
    ("squid", &["squid"]),
    ("haproxy", &["haproxy"]),
    ("mongod", &["mongodb-org-server", "mongodb-server"]),
    ("rpcbind", &["rpcbind"]),
    ("ntpd", &["ntp", "ntpsec"]),
    ("chronyd", &["chrony"]),
    ("cupsd", &["cups-daemon", "cups"]),
    ("xrdp", &["xrdp"]),
];

/// Whether `package` serves a socket held by `processes`.
#[must_use]
pub fn serves(package: &str, processes: &[String]) -> bool {
    processes.iter().any(|proc| {
        proc == package
            || DAEMONS.iter().filter(|(d, _)| d == proc).flat_map(|(_, pkgs)| pkgs.iter()).any(|p| match p.strip_suffix('*') {
                Some(prefix) => package.starts_with(prefix),
                None => *p == package,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::serves;

    #[test]
    fn a_daemon_links_to_its_packages_only() {
        let sshd = vec!["sshd".to_string()];
        assert!(serves("openssh-server", &sshd));
        assert!(serves("openssh", &sshd), "RPM and old Alpine ship sshd in `openssh`");
        assert!(!serves("openssh-client", &sshd), "the client does not listen");
        assert!(!serves("openssl", &sshd), "a library sshd links is not the listener");
        assert!(serves("postgresql-15", &["postgres".to_string()]));
        assert!(serves("nginx", &["nginx".to_string()]), "same name");
        assert!(!serves("nginx", &[]), "no process seen: no link");
        assert!(!serves("bash", &["python3".to_string()]));
    }
}
