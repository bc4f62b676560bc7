//! Which OSV ecosystem an installed package belongs to, from the host's os-release and the
//! package's kind. Pure; the host crate describes packages, this crate knows ecosystems.

/// The kinds of installed packages, as the host telemetry names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Deb,
    Rpm,
    Apk,
    Python,
    Npm,
    Cargo,
    Go,
}

/// The OSV ecosystem of a package of `kind` on a host whose os-release says `id` (`debian`,
/// `ubuntu`, `alpine`, `rhel`, ...) and `version_id`; `None` when OSV has no data for it.
pub fn ecosystem(kind: Kind, os_id: Option<&str>, version_id: Option<&str>) -> Option<String> {
    match kind {
        Kind::Python => Some("PyPI".into()),
        Kind::Npm => Some("npm".into()),
        Kind::Cargo => Some("crates.io".into()),
        Kind::Go => Some("Go".into()),
        Kind::Deb => {
            let v = version_id?;
            match os_id? {
                // `Debian:12`: the major release.
                "debian" => Some(format!("Debian:{}", v.split('.').next().unwrap_or(v))),
                // Ubuntu LTS releases are the even-year `.04` ones: `Ubuntu:22.04:LTS`.
                "ubuntu" => {
                    let lts = v.ends_with(".04")
                        && v.split('.')
                            .next()
                            .and_then(|y| y.parse::<u32>().ok())
                            .is_some_and(|y| y % 2 == 0);
                    Some(if lts {
                        format!("Ubuntu:{v}:LTS")
                    } else {
                        format!("Ubuntu:{v}")
                    })
                }
                _ => None,
            }
        }
        Kind::Apk => {
            let v = version_id?;
            (os_id? == "alpine").then(|| {
                let mut parts = v.split('.');
                format!(
                    "Alpine:v{}.{}",
                    parts.next().unwrap_or("3"),
                    parts.next().unwrap_or("0")
                )
            })
        }
        Kind::Rpm => match os_id? {
            "rhel" => Some("Red Hat".into()),
            "rocky" => Some("Rocky Linux".into()),
            "almalinux" => Some("AlmaLinux".into()),
            "opensuse-leap" | "opensuse-tumbleweed" => Some("openSUSE".into()),
            "sles" => Some("SUSE".into()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems() {
        assert_eq!(
            ecosystem(Kind::Deb, Some("debian"), Some("12")).as_deref(),
            Some("Debian:12")
        );
        assert_eq!(
            ecosystem(Kind::Deb, Some("ubuntu"), Some("22.04")).as_deref(),
            Some("Ubuntu:22.04:LTS")
        );
        assert_eq!(
            ecosystem(Kind::Deb, Some("ubuntu"), Some("23.10")).as_deref(),
            Some("Ubuntu:23.10")
        );
        assert_eq!(
            ecosystem(Kind::Apk, Some("alpine"), Some("3.19.1")).as_deref(),
            Some("Alpine:v3.19")
        );
        assert_eq!(
            ecosystem(Kind::Rpm, Some("rhel"), Some("9.3")).as_deref(),
            Some("Red Hat")
        );
        assert_eq!(ecosystem(Kind::Deb, Some("gentoo"), Some("1")), None);
        assert_eq!(ecosystem(Kind::Python, None, None).as_deref(), Some("PyPI"));
    }
}
