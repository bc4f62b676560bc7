//! The flags of `rampart serve` and `rampart users`, here so that the CLI only names them.

use clap::{Args, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// The findings database: a SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DATABASE
    /// (default: $RAMPART_DB or the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// `text` (for a person) or `json` (one object per line, for a log collector).
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub log_format: LogFormat,
    /// On a database without users, refuse to start (instead of creating `admin` with a
    /// one-time password printed once); create users with `rampart users add`.
    #[arg(long)]
    pub no_initial_admin: bool,
    /// Keep the audit log this many days (older entries are deleted at start and daily);
    /// 0 keeps everything (at most 36500: a century).
    #[arg(long, default_value_t = 365, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub audit_days: u32,
    /// Scheduled scans (their AWS settings) and retention.
    #[command(flatten)]
    pub schedules: crate::scheduler::SchedulerArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug, Clone)]
pub enum UsersAction {
    /// Create a user of the console and API; the password is read from standard input
    /// (one line) or asked for at a terminal.
    Add {
        /// The login name.
        name: String,
        /// admin (users, everything), analyst (workflow, notes, runs) or viewer (read only).
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB
        /// or the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Create an API token for a user (for machines: `Authorization: Bearer TOKEN`); it is
    /// printed once and stored only as a hash.
    Token {
        /// The user the token acts as (with that user's role).
        name: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB
        /// or the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// The users, their roles and how many API tokens each has.
    List {
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB
        /// or the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Delete a user with their API tokens and sessions.
    Delete {
        /// The login name.
        name: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB
        /// or the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}
