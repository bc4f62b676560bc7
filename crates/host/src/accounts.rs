//! Local users and groups: `/etc/passwd`, `/etc/group`, `/etc/shadow` (flags and
//! ageing only: the hash is never kept) and `/etc/login.defs`.

use std::collections::BTreeMap;

use crate::error::EntryError;
use crate::telemetry::{Group, PasswordState, ShadowEntry, User};

fn lines(text: &str) -> impl Iterator<Item = (String, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(k, l)| (format!("line {}", k + 1), l))
}

/// Parses passwd(5).
pub fn parse_passwd(text: &str) -> (Vec<User>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (at, line) in lines(text) {
        let f: Vec<&str> = line.split(':').collect();
        // NIS compat entries (`+`, `-user`) are not local users.
        if line.starts_with(['+', '-']) {
            continue;
        }
        match (
            f.len(),
            f.get(2).and_then(|u| u.parse().ok()),
            f.get(3).and_then(|g| g.parse().ok()),
        ) {
            (7, Some(uid), Some(gid)) if !f[0].is_empty() => out.push(User {
                name: f[0].to_owned(),
                uid,
                gid,
                home: f[5].to_owned(),
                shell: f[6].to_owned(),
                passwd_field: match f[1] {
                    "x" => PasswordState::NoPassword,
                    other => PasswordState::of(other),
                },
            }),
            _ => errors.push(EntryError::new(
                format!(
                    "{at}{}",
                    f.first()
                        .filter(|n| !n.is_empty())
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                ),
                "not 7 fields `name:password:uid:gid:gecos:home:shell` with numeric ids",
            )),
        }
    }
    (out, errors)
}

/// Parses group(5).
pub fn parse_group(text: &str) -> (Vec<Group>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (at, line) in lines(text) {
        if line.starts_with(['+', '-']) {
            continue;
        }
        let f: Vec<&str> = line.split(':').collect();
        match (f.len(), f.get(2).and_then(|g| g.parse().ok())) {
            (4, Some(gid)) if !f[0].is_empty() => out.push(Group {
                name: f[0].to_owned(),
                gid,
                members: f[3]
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            _ => errors.push(EntryError::new(
                at,
                "not 4 fields `name:password:gid:members` with a numeric gid",
            )),
        }
    }
    (out, errors)
}

/// Parses shadow(5), keeping only what the password field says and the ageing
/// fields. Errors never quote the line (it holds a hash).
pub fn parse_shadow(text: &str) -> (Vec<ShadowEntry>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (at, line) in lines(text) {
        if line.starts_with(['+', '-']) {
            continue;
        }
        let f: Vec<&str> = line.split(':').collect();
        if f.len() < 8 || f[0].is_empty() {
            errors.push(EntryError::new(at, "fewer than 8 fields"));
            continue;
        }
        let num = |i: usize| f.get(i).and_then(|v| v.trim().parse::<i64>().ok());
        out.push(ShadowEntry {
            name: f[0].to_owned(),
            password: PasswordState::of(f[1]),
            last_change: num(2),
            min_days: num(3),
            max_days: num(4),
            warn_days: num(5),
            inactive_days: num(6),
        });
    }
    (out, errors)
}

/// The `KEY value` settings of login.defs(5).
pub fn parse_login_defs(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.splitn(2, char::is_whitespace);
            Some((it.next()?.to_owned(), it.next()?.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_and_group() {
        let (users, errors) = parse_passwd(
            "root:x:0:0:root:/root:/bin/bash\ntoor::0:0::/:/bin/sh\n+@nis\nbad:x:notanumber:0::/:/bin/sh\n",
        );
        assert_eq!(users.len(), 2);
        assert_eq!(users[1].passwd_field, PasswordState::Empty);
        assert_eq!(users[0].passwd_field, PasswordState::NoPassword);
        assert_eq!(errors[0].entry.as_deref(), Some("line 4 (bad)"));
        let (groups, errors) = parse_group("sudo:x:27:alice,bob\nempty:x:5:\nbroken\n");
        assert_eq!(groups[0].members, ["alice", "bob"]);
        assert!(groups[1].members.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn shadow_keeps_flags_never_hashes() {
        let hash = "$6$saltsalt$Zb6aPvNrq6K9uX3n1M0kQwYt5U0QeG8H4.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        let text = format!(
            "root:{hash}:19700:0:99999:7:::\nnobody:*:19700:0:99999:7:::\nlocked:!{hash}:19700::::::\nnopass::19700:0:99999:7:::\nshort:{hash}\n"
        );
        let (entries, errors) = parse_shadow(&text);
        let states: Vec<_> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.password))
            .collect();
        assert_eq!(
            states,
            [
                ("root", PasswordState::Set),
                ("nobody", PasswordState::NoPassword),
                ("locked", PasswordState::Locked),
                ("nopass", PasswordState::Empty),
            ]
        );
        assert_eq!(entries[0].max_days, Some(99999));
        let dump = format!(
            "{entries:?}{errors:?}{}",
            serde_json::to_string(&entries).unwrap()
        );
        assert!(!dump.contains("saltsalt"), "a hash leaked: {dump}");
        assert_eq!(errors[0].to_string(), "entry `line 5`: fewer than 8 fields");
    }

    #[test]
    fn this_machine_passwd_has_root() {
        let (users, errors) = parse_passwd(&std::fs::read_to_string("/etc/passwd").unwrap());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(users.iter().any(|u| u.uid == 0 && u.name == "root"));
    }

    #[test]
    fn login_defs() {
        let m = parse_login_defs("# c\nPASS_MAX_DAYS\t99999\nUMASK 022\nLONE\n");
        assert_eq!(m["PASS_MAX_DAYS"], "99999");
        assert_eq!(m.len(), 2);
    }
}
