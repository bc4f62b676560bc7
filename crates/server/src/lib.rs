//! `rampart serve`: the HTTP API (`/api/v1`, with an OpenAPI document) and the web console
//! over the findings store the CLI writes.
//!
//! **Architecture invariant:** this is the only crate that serves HTTP. Every route is in
//! one table (`routes.rs`) with the least role it needs; all but the health check and the
//! sign-in page (with its style sheet) need a signed-in caller, and every state-changing
//! request made with a session cookie carries the session's CSRF token. Pages are rendered
//! with maud, which escapes every value. No SQL here: the store is `rampart_hub`'s.
//!
//! **API boundary:** the JSON API's shapes (`api.rs`, checked in as `docs/openapi.json`),
//! the flags of `rampart serve` and `rampart users` ([`ServeArgs`], [`UsersAction`]).

mod accounts;
mod api;
mod args;
mod console;
pub mod delivery;
mod delivery_email;
mod error;
mod guard;
mod login;
mod routes;
pub mod scheduler;
mod secret;
mod serve;
mod state;
mod users;

pub use accounts::{Accounts, Role, StoreAccounts, User, UserRecord};
pub use api::openapi_json;
pub use args::{LogFormat, ServeArgs, UsersAction};
pub use guard::Access;
pub use routes::{routes, Route};
pub use scheduler::SchedulerArgs;
pub use serve::{init_logging, start, start_scheduled, tls_acceptor, Options, Running};
pub use users::{add_user, issue_token};

use std::process::ExitCode;
use std::sync::Arc;

/// `rampart serve`: serves the store until SIGINT or SIGTERM. On a database without users
/// it first creates `admin` with a one-time password, printed once to standard error
/// ([`initial_admin`]), or refuses to start with `--no-initial-admin`.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let accounts = open_accounts(&db)?;
    if let Some(why) = startup_refusal(accounts.as_ref(), args)? {
        eprintln!("error: {why}");
        return Ok(ExitCode::from(2));
    }
    if let Some(message) = first_start(accounts.as_ref(), args)? {
        // Straight to the terminal, never through the log (which may be collected).
        eprintln!("{message}");
    }
    args.schedules.ensure_trails(&db)?;
    scheduler::prune_daily(db.clone(), args.schedules.retention(args.audit_days));
    scheduler::spawn(db.clone(), &args.schedules);
    let opts = Options { listen: args.listen, db, tls: args.tls_cert.clone().zip(args.tls_key.clone()) };
    serve::run_blocking(&opts, accounts)?;
    Ok(ExitCode::SUCCESS)
}

/// The name of the user created at first start.
pub const INITIAL_ADMIN: &str = "admin";

/// Why `rampart serve` will not start with these accounts, saying what to do; `None` when
/// it may: there are users, or there are none and the first start may create one (not
/// `--no-initial-admin`).
pub fn startup_refusal(accounts: &dyn Accounts, args: &ServeArgs) -> anyhow::Result<Option<String>> {
    if !args.no_initial_admin || !accounts.users()?.is_empty() {
        return Ok(None);
    }
    let db_flag = args.db.as_ref().map(|p| format!(" --db {}", rampart_app::db::shown(p))).unwrap_or_default();
    Ok(Some(format!(
        "no user can sign in yet: create one with `rampart users add NAME --role admin{db_flag}` \
         (it asks for the password, or reads it from standard input), then run `rampart serve` again"
    )))
}

/// What `rampart serve` prints (to standard error, once) when it created the initial
/// admin ([`initial_admin`]): the one-time password and what to do with it. `None` when
/// users existed already.
pub fn first_start(accounts: &dyn Accounts, args: &ServeArgs) -> anyhow::Result<Option<String>> {
    let Some(password) = initial_admin(accounts)? else {
        return Ok(None);
    };
    let scheme = if args.tls_cert.is_some() { "https" } else { "http" };
    Ok(Some(format!(
        "rampart serve: no user yet, so one was created: `{INITIAL_ADMIN}` (role admin) with the one-time password\n\n    {password}\n\n\
         Sign in at {scheme}://{}/login and choose your own password (it is asked for first).\n\
         This password is shown only now and kept only as a hash. Start with --no-initial-admin to refuse instead.",
        args.listen
    )))
}

/// First start: when no user exists, creates [`INITIAL_ADMIN`] with a random one-time
/// password that must be changed at first sign-in, and returns that password (to be shown
/// once; only its hash is kept). `None` when there are users already. The audit log
/// records the creation (not the password).
pub fn initial_admin(accounts: &dyn Accounts) -> anyhow::Result<Option<String>> {
    if !accounts.users()?.is_empty() {
        return Ok(None);
    }
    let password = secret::one_time_password()?;
    let user = User { name: INITIAL_ADMIN.to_string(), role: Role::Admin, must_change_password: true };
    accounts.add_user(&user, &secret::hash_password(&password)?)?;
    accounts.audit(&cli_audit("serve: initial admin", &[INITIAL_ADMIN.to_string()], true))?;
    Ok(Some(password))
}

/// Records a state-changing CLI command in the audit log of the store `db` (a SQLite
/// file's path or a `postgres://` URL; it must exist): `command` acted on `targets`, and
/// worked or not.
pub fn record_cli_audit(db: &std::path::Path, command: &str, targets: &[String], ok: bool) -> anyhow::Result<()> {
    let mut store = rampart_app::db::open(db, rampart_hub::PgMode::Existing).map_err(|e| anyhow::anyhow!("{e}"))?;
    store.record_audit(&cli_audit(command, targets, ok))?;
    Ok(())
}

/// An audit entry for a command run on this machine: the user is `cli:<OS user>`.
pub fn cli_audit(command: &str, targets: &[String], ok: bool) -> rampart_hub::AuditEntry {
    let os_user = ["SUDO_USER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".to_string());
    rampart_hub::AuditEntry {
        id: 0,
        at: time::OffsetDateTime::now_utc(),
        user: format!("cli:{os_user}"),
        role: String::new(),
        method: "CLI".into(),
        route: command.to_string(),
        targets: targets.to_vec(),
        status: if ok { 200 } else { 400 },
        client: "cli".into(),
        user_agent: format!("rampart {}", env!("CARGO_PKG_VERSION")),
        repeats: 1,
    }
}

/// `rampart users ...`: `add` creates the database if needed, `list` only reads it.
pub fn users(action: &UsersAction) -> anyhow::Result<ExitCode> {
    use rampart_hub::{PgMode, Store};
    let (db, mode) = match action {
        UsersAction::Add { db, .. } => (db, PgMode::Create),
        UsersAction::Token { db, .. } | UsersAction::Delete { db, .. } => (db, PgMode::Existing),
        UsersAction::List { db, .. } => (db, PgMode::ReadOnly),
    };
    let path = db.clone().unwrap_or_else(Store::default_path);
    let store =
        rampart_app::db::open(&path, mode).map_err(|e| anyhow::anyhow!("{e}{}", if db.is_none() { " (or pass --db PATH|URL)" } else { "" }))?;
    let accounts = StoreAccounts::new(store);
    let mut out = std::io::stdout().lock();
    let result = users::main(action, &accounts, &mut out);
    // Changes are audited (listing is not): who ran it on this machine, on whom, whether it worked.
    let audited = match action {
        UsersAction::Add { name, .. } => Some(("users add", name)),
        UsersAction::Token { name, .. } => Some(("users token", name)),
        UsersAction::Delete { name, .. } => Some(("users delete", name)),
        UsersAction::List { .. } => None,
    };
    if let Some((command, name)) = audited {
        accounts.audit(&cli_audit(command, std::slice::from_ref(name), result.is_ok()))?;
    }
    result
}

/// The accounts kept in the store `db`, a SQLite file's path (created if missing) or a
/// `postgres://` URL (migrated).
pub fn open_accounts(db: &std::path::Path) -> anyhow::Result<Arc<dyn Accounts>> {
    let store = rampart_app::db::open(db, rampart_hub::PgMode::Create).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Arc::new(StoreAccounts::at(store, db)))
}
