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
mod error;
mod guard;
mod login;
mod routes;
mod secret;
mod serve;
mod state;
mod users;

pub use accounts::{Accounts, Memory, Role, User, UserRecord};
pub use api::openapi_json;
pub use args::{LogFormat, ServeArgs, UsersAction};
pub use guard::Access;
pub use routes::{routes, Route};
pub use users::{add_user, issue_token};
pub use serve::{init_logging, start, tls_acceptor, Options, Running};

use std::process::ExitCode;
use std::sync::Arc;

/// `rampart serve`: serves the store until SIGINT or SIGTERM. Refuses to start while no
/// user exists, saying how to create one.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let accounts = open_accounts(&db)?;
    if accounts.users()?.is_empty() {
        let db_flag = args.db.as_ref().map(|p| format!(" --db {}", p.display())).unwrap_or_default();
        eprintln!(
            "error: no user can sign in yet: create one with `rampart users add NAME --role admin{db_flag}` \
             (it asks for the password, or reads it from standard input), then run `rampart serve` again"
        );
        return Ok(ExitCode::from(2));
    }
    let opts = Options { listen: args.listen, db, tls: args.tls_cert.clone().zip(args.tls_key.clone()) };
    serve::run_blocking(&opts, accounts)?;
    Ok(ExitCode::SUCCESS)
}

/// `rampart users ...`.
pub fn users(action: &UsersAction) -> anyhow::Result<ExitCode> {
    let db = match action {
        UsersAction::Add { db, .. } | UsersAction::Token { db, .. } | UsersAction::List { db, .. } | UsersAction::Delete { db, .. } => db.clone(),
    };
    let db = db.unwrap_or_else(rampart_hub::Store::default_path);
    let accounts = open_accounts(&db)?;
    let mut out = std::io::stdout().lock();
    users::main(action, accounts.as_ref(), &mut out)
}

/// The accounts kept in the database at `db`.
pub fn open_accounts(_db: &std::path::Path) -> anyhow::Result<Arc<dyn Accounts>> {
    // Until the store keeps accounts: in memory (nobody can sign in to `rampart serve`).
    Ok(Arc::new(Memory::default()))
}
