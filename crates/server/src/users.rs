//! `rampart users`: creating the people and machines that may use the server.

use crate::accounts::{Accounts, Role, User};
use crate::args::UsersAction;
use crate::secret;
use anyhow::{bail, Context};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// A login name: 1–64 letters, digits, `.`, `_`, `-` or `@`.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    let ok =
        !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'));
    if !ok {
        bail!("bad user name `{}`: use 1 to 64 letters, digits, `.`, `_`, `-` or `@`", name.chars().take(80).collect::<String>());
    }
    Ok(())
}

pub fn check_password(password: &str) -> anyhow::Result<()> {
    if password.chars().count() < MIN_PASSWORD {
        bail!("the password is shorter than {MIN_PASSWORD} characters: choose a longer one");
    }
    Ok(())
}

/// Reads the password: one line of standard input, or asked twice (not echoed) at a terminal.
fn read_password(name: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).context("cannot read the password from standard input")?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.is_empty() {
            bail!(
                "no password on standard input: pipe one line, e.g. `printf '%s\\n' \"$PASSWORD\" | rampart users add {name} --role ROLE`"
            );
        }
        return Ok(p);
    }
    let ask = |prompt: &str| -> anyhow::Result<String> {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        let _ = std::process::Command::new("stty").arg("-echo").status();
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line);
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
        read.context("cannot read the password")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    let first = ask(&format!("Password for {name}: "))?;
    check_password(&first)?;
    if ask("Again: ")? != first {
        bail!("the two passwords differ: try again");
    }
    Ok(first)
}

/// Adds a user after checking the name and password; the password is kept as an argon2id hash.
pub fn add_user(accounts: &dyn Accounts, name: &str, role: Role, password: &str) -> anyhow::Result<()> {
    check_name(name)?;
    check_password(password)?;
    if accounts.user(name)?.is_some() {
        bail!("user `{name}` exists: delete it first (`rampart users delete {name}`) or choose another name");
    }
    accounts.add_user(&User::new(name, role), &secret::hash_password(password)?)
}

/// A new API token for `name`, returned once; only its digest is kept.
pub fn issue_token(accounts: &dyn Accounts, name: &str) -> anyhow::Result<String> {
    if accounts.user(name)?.is_none() {
        bail!("no user `{name}`: create it first with `rampart users add {name} --role viewer`");
    }
    let token = secret::new_token()?;
    accounts.add_token(name, &secret::digest(&token))?;
    Ok(token)
}

/// Runs a `rampart users` command against `accounts`; output goes to `out`.
pub fn main(action: &UsersAction, accounts: &dyn Accounts, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match action {
        UsersAction::Add { name, role, .. } => {
            check_name(name)?;
            let role: Role = role.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            if accounts.user(name)?.is_some() {
                bail!("user `{name}` exists: delete it first (`rampart users delete {name}`) or choose another name");
            }
            let password = read_password(name)?;
            add_user(accounts, name, role, &password)?;
            writeln!(out, "added {name} ({role})")?;
        }
        UsersAction::Token { name, .. } => {
            let token = issue_token(accounts, name)?;
            writeln!(out, "{token}")?;
            eprintln!("this token acts as {name}; it is shown only now (the server keeps only its hash): send it as `Authorization: Bearer TOKEN`");
        }
        UsersAction::List { .. } => {
            let users = accounts.users()?;
            if users.is_empty() {
                writeln!(out, "no user yet: `rampart users add NAME --role admin`")?;
            }
            for u in users {
                writeln!(out, "{:<24} {:<8} {} token(s)", u.user.name, u.user.role, u.tokens)?;
            }
        }
        UsersAction::Delete { name, .. } => {
            if !accounts.delete_user(name)? {
                bail!("no user `{name}` (see `rampart users list`)");
            }
            writeln!(out, "deleted {name} with its tokens and sessions")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::StoreAccounts;

    fn accounts() -> StoreAccounts {
        StoreAccounts::new(rampart_hub::Store::open_in_memory().unwrap())
    }

    fn run(a: &StoreAccounts, action: UsersAction) -> anyhow::Result<String> {
        let mut out = Vec::new();
        main(&action, a, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn names_and_passwords_are_checked() {
        assert!(check_name("alice.o-b_c@x").is_ok());
        for bad in ["", "a b", "a/b", "<script>", &"x".repeat(65)] {
            assert!(check_name(bad).unwrap_err().to_string().contains("bad user name"), "{bad}");
        }
        assert!(check_password("eleven char").is_err());
        assert!(check_password("twelve chars").is_ok());
        let a = accounts();
        assert!(add_user(&a, "bob", Role::Viewer, "short").is_err());
        add_user(&a, "bob", Role::Viewer, "long enough password").unwrap();
        assert!(add_user(&a, "bob", Role::Admin, "long enough password").unwrap_err().to_string().contains("exists"));
    }

    #[test]
    fn token_list_and_delete() {
        let a = accounts();
        assert!(run(&a, UsersAction::List { db: None }).unwrap().contains("no user yet"));
        add_user(&a, "ci", Role::Analyst, "long enough password").unwrap();
        let token = run(&a, UsersAction::Token { name: "ci".into(), db: None }).unwrap();
        let token = token.trim();
        assert!(token.starts_with(secret::TOKEN_PREFIX), "{token}");
        assert_eq!(a.token_user(&secret::digest(token)).unwrap().unwrap().role, Role::Analyst);
        assert!(run(&a, UsersAction::Token { name: "nobody".into(), db: None })
            .unwrap_err()
            .to_string()
            .contains("rampart users add nobody"));
        let list = run(&a, UsersAction::List { db: None }).unwrap();
        assert!(list.contains("ci") && list.contains("analyst") && list.contains("1 token(s)"), "{list}");
        assert!(run(&a, UsersAction::Add { name: "ci".into(), role: "root".into(), db: None })
            .unwrap_err()
            .to_string()
            .contains("unknown role"));
        assert!(run(&a, UsersAction::Delete { name: "ci".into(), db: None }).unwrap().contains("deleted ci"));
        assert!(a.token_user(&secret::digest(token)).unwrap().is_none());
        assert!(run(&a, UsersAction::Delete { name: "ci".into(), db: None }).is_err());
    }
}
