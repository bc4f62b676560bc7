//! sshd's configuration as sshd reads it: `sshd_config` and the files it `Include`s
//! (in place, glob patterns in lexical order, relative paths under `/etc/ssh`);
//! keywords are case-insensitive and the first value obtained wins, except for the
//! keywords sshd accumulates. `Match` blocks (to the next `Match` or the end of the
//! file) are recorded, not applied.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::EntryError;
use crate::telemetry::{SshdConfig, SshdMatch, SshdSetting};

/// Keywords whose lines add to each other instead of the first winning.
const ACCUMULATING: &[&str] = &[
    "acceptenv",
    "allowgroups",
    "allowusers",
    "denygroups",
    "denyusers",
    "hostcertificate",
    "hostkey",
    "listenaddress",
    "port",
    "setenv",
    "subsystem",
];

/// OpenSSH's defaults (sshd_config(5), OpenSSH 9) for keywords the rules read.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("addressfamily", "any"),
    ("allowagentforwarding", "yes"),
    ("allowtcpforwarding", "yes"),
    ("banner", "none"),
    ("clientalivecountmax", "3"),
    ("clientaliveinterval", "0"),
    ("gatewayports", "no"),
    ("hostbasedauthentication", "no"),
    ("ignorerhosts", "yes"),
    ("kbdinteractiveauthentication", "yes"),
    ("logingracetime", "120"),
    ("loglevel", "INFO"),
    ("maxauthtries", "6"),
    ("maxsessions", "10"),
    ("maxstartups", "10:30:100"),
    ("passwordauthentication", "yes"),
    ("permitemptypasswords", "no"),
    ("permitrootlogin", "prohibit-password"),
    ("permittunnel", "no"),
    ("permituserenvironment", "no"),
    ("port", "22"),
    ("pubkeyauthentication", "yes"),
    ("strictmodes", "yes"),
    ("syslogfacility", "AUTH"),
    ("usedns", "no"),
    ("usepam", "no"),
    ("x11forwarding", "no"),
];

/// How deep `Include`s may nest (sshd's `READCONF_MAX_DEPTH`).
const MAX_DEPTH: usize = 16;

/// Reads the configuration files of sshd: `read(path)` returns a file's text, and
/// `glob(pattern)` the paths an `Include` pattern names. Pure over those two.
pub fn parse(
    main: &Path,
    read: &mut dyn FnMut(&Path) -> std::io::Result<String>,
    glob: &mut dyn FnMut(&Path) -> Vec<PathBuf>,
) -> Result<(SshdConfig, Vec<EntryError>), std::io::Error> {
    let text = read(main)?;
    let mut state = State::default();
    state.file(main, &text, read, glob, 0);
    let mut settings = state.settings;
    for (k, v) in DEFAULTS {
        settings
            .entry((*k).to_owned())
            .or_insert_with(|| SshdSetting {
                values: vec![(*v).to_owned()],
                origin: "default".to_owned(),
            });
    }
    Ok((
        SshdConfig {
            settings,
            match_blocks: state.matches,
            files: state.files,
        },
        state.errors,
    ))
}

#[derive(Default)]
struct State {
    settings: BTreeMap<String, SshdSetting>,
    matches: Vec<SshdMatch>,
    files: Vec<String>,
    errors: Vec<EntryError>,
}

impl State {
    fn file(
        &mut self,
        path: &Path,
        text: &str,
        read: &mut dyn FnMut(&Path) -> std::io::Result<String>,
        glob: &mut dyn FnMut(&Path) -> Vec<PathBuf>,
        depth: usize,
    ) {
        self.files.push(path.display().to_string());
        let mut in_match: Option<usize> = None;
        for (k, line) in text.lines().enumerate() {
            let origin = format!("{}:{}", path.display(), k + 1);
            let Some((keyword, value)) = split_line(line) else {
                continue;
            };
            let keyword = keyword.to_ascii_lowercase();
            if keyword == "match" {
                self.matches.push(SshdMatch {
                    criteria: value.clone(),
                    origin,
                    settings: Vec::new(),
                });
                in_match = Some(self.matches.len() - 1);
                continue;
            }
            if let Some(m) = in_match {
                self.matches[m].settings.push((keyword, value));
                continue;
            }
            if keyword == "include" {
                if depth >= MAX_DEPTH {
                    self.errors
                        .push(EntryError::new(origin, "`Include` nested too deeply"));
                    continue;
                }
                for pattern in value.split_whitespace() {
                    let pattern = if pattern.starts_with('/') {
                        PathBuf::from(pattern)
                    } else {
                        Path::new("/etc/ssh").join(pattern)
                    };
                    let mut paths = glob(&pattern);
                    paths.sort();
                    for p in paths {
                        match read(&p) {
                            Ok(t) => self.file(&p, &t, read, glob, depth + 1),
                            Err(e) => self.errors.push(EntryError::new(
                                origin.clone(),
                                format!("cannot read included `{}`: {e}", p.display()),
                            )),
                        }
                    }
                }
                continue;
            }
            if value.is_empty() {
                self.errors
                    .push(EntryError::new(origin, format!("`{keyword}` has no value")));
                continue;
            }
            match self.settings.get_mut(&keyword) {
                Some(s) if ACCUMULATING.contains(&keyword.as_str()) => s.values.push(value),
                Some(_) => {} // the first value wins
                None => {
                    self.settings.insert(
                        keyword,
                        SshdSetting {
                            values: vec![value],
                            origin,
                        },
                    );
                }
            }
        }
    }
}

/// Splits a line into (keyword, value): `Keyword value`, `Keyword=value`; comments
/// and blank lines are `None`. Double quotes around the value are removed.
fn split_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let end = line
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(line.len());
    let keyword = &line[..end];
    let mut rest = line[end..].trim_start();
    if let Some(r) = rest.strip_prefix('=') {
        rest = r.trim_start();
    }
    let value = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(rest);
    Some((keyword.to_owned(), value.to_owned()))
}

/// Matches a glob pattern's final component (`*`, `?`) against a name.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    // Hidden files only match a pattern that starts with a dot, as glob(3).
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    go(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files<'a>(
        map: &'a [(&'a str, &'a str)],
    ) -> (
        impl FnMut(&Path) -> std::io::Result<String> + 'a,
        impl FnMut(&Path) -> Vec<PathBuf> + 'a,
    ) {
        let read = move |p: &Path| {
            map.iter()
                .find(|(k, _)| Path::new(k) == p)
                .map(|(_, v)| (*v).to_owned())
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        };
        let glob = move |p: &Path| {
            let dir = p.parent().unwrap();
            let pat = p.file_name().unwrap().to_str().unwrap();
            map.iter()
                .map(|(k, _)| Path::new(k))
                .filter(|k| {
                    k.parent() == Some(dir)
                        && glob_match(pat, k.file_name().unwrap().to_str().unwrap())
                })
                .map(Path::to_path_buf)
                .collect()
        };
        (read, glob)
    }

    #[test]
    fn first_value_wins_across_includes_and_match_is_recorded() {
        let map = [
            (
                "/etc/ssh/sshd_config",
                "# comment\nInclude /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nPort 22\nport=2222\nX11Forwarding \"yes\"\nPasswordAuthentication\nMatch User backup\n  PasswordAuthentication yes\n",
            ),
            ("/etc/ssh/sshd_config.d/50-cloud.conf", "PasswordAuthentication no\n"),
            ("/etc/ssh/sshd_config.d/10-hard.conf", "PermitRootLogin no\nInclude extra.conf\n"),
            ("/etc/ssh/sshd_config.d/README", "PermitRootLogin yes\n"),
            ("/etc/ssh/extra.conf", "MaxAuthTries 3\nMatch Address 10.0.0.0/8\nPermitRootLogin yes\n"),
        ];
        let (mut read, mut glob) = files(&map);
        let (cfg, errors) = parse(Path::new("/etc/ssh/sshd_config"), &mut read, &mut glob).unwrap();
        let get = |k: &str| cfg.settings[k].values.join(",");
        assert_eq!(get("permitrootlogin"), "no");
        assert_eq!(
            cfg.settings["permitrootlogin"].origin,
            "/etc/ssh/sshd_config.d/10-hard.conf:1"
        );
        assert_eq!(get("passwordauthentication"), "no");
        assert_eq!(get("maxauthtries"), "3");
        assert_eq!(get("port"), "22,2222");
        assert_eq!(get("x11forwarding"), "yes");
        assert_eq!(get("permitemptypasswords"), "no");
        assert_eq!(cfg.settings["permitemptypasswords"].origin, "default");
        assert_eq!(cfg.match_blocks.len(), 2);
        assert_eq!(cfg.match_blocks[0].criteria, "Address 10.0.0.0/8");
        assert_eq!(
            cfg.match_blocks[1].settings,
            [("passwordauthentication".to_owned(), "yes".to_owned())]
        );
        assert_eq!(
            cfg.files,
            [
                "/etc/ssh/sshd_config",
                "/etc/ssh/sshd_config.d/10-hard.conf",
                "/etc/ssh/extra.conf",
                "/etc/ssh/sshd_config.d/50-cloud.conf"
            ]
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "entry `/etc/ssh/sshd_config:7`: `passwordauthentication` has no value"
        );
    }

    #[test]
    fn defaults_when_empty_and_include_loops_stop() {
        let map = [("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config\n")];
        let (mut read, mut glob) = files(&map);
        let (cfg, errors) = parse(Path::new("/etc/ssh/sshd_config"), &mut read, &mut glob).unwrap();
        assert_eq!(
            cfg.settings["permitrootlogin"].values,
            ["prohibit-password"]
        );
        assert_eq!(cfg.settings["passwordauthentication"].values, ["yes"]);
        assert!(errors.iter().any(|e| e.problem.contains("too deeply")));
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.conf", "a.conf"));
        assert!(!glob_match("*.conf", "a.conf.bak"));
        assert!(!glob_match("*", ".hidden"));
        assert!(glob_match("a?c", "abc"));
    }
}
