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
mod error;
mod guard;
mod login;
mod routes;
mod secret;
mod serve;
mod state;
mod users;

pub use accounts::{Accounts, Role, StoreAccounts, User, UserRecord};
pub use api::openapi_json;
pub use args::{LogFormat, ServeArgs, UsersAction};
pub use guard::Access;
pub use routes::{routes, Route};
pub use serve::{init_logging, start, tls_acceptor, Options, Running};
pub use users::{add_user, issue_token};

use std::process::ExitCode;
use std::sync::Arc;

/// `rampart serve`: serves the store until SIGINT or SIGTERM. Refuses to start while no
/// user exists, saying how to create one.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let accounts = open_accounts(&db)?;
    if let Some(why) = startup_refusal(accounts.as_ref(), args)? {
        eprintln!("error: {why}");
        return Ok(ExitCode::from(2));
    }
    let opts = Options { listen: args.listen, db, tls: args.tls_cert.clone().zip(args.tls_key.clone()) };
    serve::run_blocking(&opts, accounts)?;
    Ok(ExitCode::SUCCESS)
}

/// Why `rampart serve` will not start with these accounts, saying what to do; `None` when
/// it may. Nobody could sign in without a user, so the server refuses to run empty.
pub fn startup_refusal(accounts: &dyn Accounts, args: &ServeArgs) -> anyhow::Result<Option<String>> {
    if !accounts.users()?.is_empty() {
        return Ok(None);
    }
    let db_flag = args.db.as_ref().map(|p| format!(" --db {}", p.display())).unwrap_or_default();
    Ok(Some(format!(
        "no user can sign in yet: create one with `rampart users add NAME --role admin{db_flag}` \
         (it asks for the password, or reads it from standard input), then run `rampart serve` again"
    )))
}

/// `rampart users ...`: `add` creates the database if needed, `list` only reads it.
pub fn users(action: &UsersAction) -> anyhow::Result<ExitCode> {
    use rampart_hub::Store;
    let (db, open): (_, fn(&std::path::Path) -> Result<Store, rampart_hub::StoreError>) = match action {
        UsersAction::Add { db, .. } => (db, Store::open),
        UsersAction::Token { db, .. } | UsersAction::Delete { db, .. } => (db, Store::open_existing),
        UsersAction::List { db, .. } => (db, Store::open_read_only),
    };
    let path = db.clone().unwrap_or_else(Store::default_path);
    let store = open(&path).map_err(|e| anyhow::anyhow!("{e}{}", if db.is_none() { " (or pass --db PATH)" } else { "" }))?;
    let accounts = StoreAccounts::new(store);
    let mut out = std::io::stdout().lock();
    users::main(action, &accounts, &mut out)
}

/// The accounts kept in the database at `db` (created if missing).
pub fn open_accounts(db: &std::path::Path) -> anyhow::Result<Arc<dyn Accounts>> {
    let store = rampart_hub::Store::open(db).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Arc::new(StoreAccounts::new(store)))
}
