//! `rampart agent`: flags → `rampart_app::host` (collect this host's telemetry) → a file
//! (`-o FILE`), or → `rampart_app::agent` (spool and upload to a server, on a schedule:
//! `--server URL`). `rampart agents`: issue, list and revoke agent tokens in a database.

use crate::cli::parse_tag;
use crate::progress::Stderr;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use rampart_app::agent::{spool::Spool, Agent, Backoff, SystemClock};
use rampart_app::Notify;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct AgentArgs {
    /// Collect once and exit: with -o, write the document; with --server, upload it (and
    /// whatever is spooled) once, exiting 1 if it could not be delivered (it stays spooled).
    #[arg(long)]
    once: bool,
    /// Root of the filesystem (default `/`).
    #[arg(long, default_value = "/")]
    root: PathBuf,
    /// Where to write the document (instead of uploading it).
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "server")]
    output: Option<PathBuf>,
    /// A tag for this host (`key=value`), which assessment targets select hosts by;
    /// repeatable.
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
    /// The server to upload to (`https://rampart.example:8443`; plain http only to loopback).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// The agent token (`rampart agents token --name HOST`; else `$RAMPART_AGENT_TOKEN`);
    /// prefer --token-file or the variable, which other users cannot read in the process list.
    #[arg(long, value_name = "TOKEN", conflicts_with = "token_file")]
    token: Option<String>,
    /// A file holding the agent token (for the systemd unit: its credential).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Trust this CA (PEM) for the server's certificate instead of the system's roots (a
    /// self-signed server: its certificate).
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// How often to collect and upload: `1h`, `30m`, `90s`.
    #[arg(long, default_value = "1h", value_name = "DURATION", value_parser = rampart_app::agent::parse_interval)]
    interval: Duration,
    /// Where documents wait while the server cannot be reached (default: the user's state
    /// directory, `~/.local/state/rampart/agent-spool`).
    #[arg(long, value_name = "DIR")]
    spool: Option<PathBuf>,
    /// At most this many documents spooled (the oldest are dropped, with a warning).
    #[arg(long, default_value_t = Spool::DEFAULT_MAX_FILES, value_name = "N")]
    spool_max_files: usize,
    /// At most this many MiB spooled (the oldest are dropped, with a warning).
    #[arg(long, default_value_t = Spool::DEFAULT_MAX_BYTES >> 20, value_name = "MIB")]
    spool_max_mib: u64,
}

#[derive(Subcommand, Debug)]
pub enum AgentsAction {
    /// Issue a new agent a token: printed once on standard output, kept only as its digest.
    /// The token only uploads telemetry, and is bound to the host of its first upload.
    Token {
        /// The agent's name, usually its host's.
        #[arg(long, value_name = "HOST")]
        name: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// The agents: host, version, last seen, health; silent ones flagged.
    List {
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Revoke an agent's token: it can upload no more (its documents are kept).
    Revoke {
        /// The agent's name (as given to `rampart agents token --name`; see `rampart agents list`).
        name: String,
        /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}

pub fn main(args: AgentArgs) -> Result<ExitCode> {
    if let Some(output) = &args.output {
        return crate::host::agent(&args.root, output, args.tags);
    }
    let Some(server) = args.server.clone() else {
        bail!("give -o FILE (write the document) or --server URL with --token-file FILE (upload it): see docs/agents.md");
    };
    let token = match (&args.token, &args.token_file) {
        (Some(t), _) => t.clone(),
        (None, Some(f)) => std::fs::read_to_string(f)
            .with_context(|| format!("cannot read --token-file `{}`: check the path and that this user may read it", f.display()))?,
        (None, None) if std::env::var("RAMPART_AGENT_TOKEN").is_ok_and(|t| !t.trim().is_empty()) => {
            std::env::var("RAMPART_AGENT_TOKEN").unwrap_or_default()
        }
        (None, None) => bail!(
            "give the agent token with --token-file FILE (or $RAMPART_AGENT_TOKEN): issue one with `rampart agents token --name HOST`"
        ),
    };
    let root = rampart_host::Root::dir(&args.root)
        .map_err(|e| anyhow::anyhow!("{e}: give --root the directory a root filesystem is mounted at"))?;
    let uploader = rampart_app::agent::upload::Https::new(&server, &token, args.ca_cert.as_deref(), args.interval)?;
    let spool = Spool::open(
        &args.spool.clone().unwrap_or_else(Spool::default_dir),
        args.spool_max_files,
        args.spool_max_mib.saturating_mul(1 << 20),
    )?;
    let notify = Stderr::new();
    let tags = args.tags.clone();
    let collect = move |now| {
        let mut t = rampart_app::host::collect_root(&root, now, &rampart_app::Collected::default());
        t.tags = tags.iter().cloned().collect();
        t
    };
    let agent = Agent { spool, uploader: &uploader, collect: &collect, notify: &notify };
    if args.once {
        agent.collect_and_spool(rampart_app::now())?;
        let d = agent.deliver()?;
        return match d.stopped {
            None => {
                notify.info(&format!("delivered {} document(s) to {server}", d.delivered));
                Ok(if d.rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
            }
            Some(e) => {
                let left = agent.spool.list().map(|l| l.len()).unwrap_or(0);
                eprintln!("error: {e}; {left} document(s) spooled in `{}` for the next run", agent.spool.dir().display());
                Ok(ExitCode::from(1))
            }
        };
    }
    notify.info(&format!("reporting to {server} every {} s; spool `{}`", args.interval.as_secs(), agent.spool.dir().display()));
    // Agents that lost the server together spread their retries (by process id).
    let spread = f64::from(std::process::id() % 1000) / 1000.0;
    // Retries at most every quarter of the interval (15 minutes for the hourly default).
    let cap = (args.interval / 4).clamp(Duration::from_secs(30), Duration::from_secs(900));
    let mut backoff = Backoff::new(Duration::from_secs(30), cap, spread);
    rampart_app::agent::run_loop(&agent, args.interval, &mut backoff, &SystemClock, &|| false)?;
    Ok(ExitCode::SUCCESS)
}

/// `rampart agents ...`.
pub fn agents(action: AgentsAction) -> Result<ExitCode> {
    let open = |db: &Option<PathBuf>, write: bool| -> Result<(rampart_hub::Store, PathBuf)> {
        let path = db.clone().unwrap_or_else(rampart_hub::Store::default_path);
        let mode = if write { rampart_hub::PgMode::Create } else { rampart_hub::PgMode::ReadOnly };
        let store = rampart_app::db::open(&path, mode);
        Ok((store.map_err(|e| crate::hints::store(e, "--db"))?, path))
    };
    match action {
        AgentsAction::Token { name, db } => {
            let (mut store, _) = open(&db, true)?;
            let by = rampart_server::cli_audit("agents token", &[], true).user;
            let issued = rampart_app::agent::issue(&mut store, &name, &by, rampart_app::now());
            let _ = store.record_audit(&rampart_server::cli_audit("agents token", &[name.clone()], issued.is_ok()));
            let token = issued?;
            writeln!(crate::pipe::Watch(std::io::stdout().lock()), "{token}")?;
            eprintln!(
                "agent `{name}`: keep the token secret (it is shown once); on the host put it in /etc/rampart/agent.token (mode 600)"
            );
        }
        AgentsAction::Revoke { name, db } => {
            let (mut store, _) = open(&db, true)?;
            let done = rampart_app::agent::revoke(&mut store, &name, rampart_app::now());
            let _ = store.record_audit(&rampart_server::cli_audit("agents revoke", &[name.clone()], done.is_ok()));
            done?;
            eprintln!("agent `{name}` revoked");
        }
        AgentsAction::List { db } => {
            let (store, _) = open(&db, false)?;
            let now = rampart_app::now();
            let mut out = String::from("AGENT\tSTATE\tHOST\tVERSION\tLAST SEEN\tHEALTH\n");
            for a in store.agents()? {
                let state = if a.revoked_at.is_some() {
                    "revoked"
                } else if rampart_app::agent::is_silent(&a, now) {
                    "SILENT"
                } else if a.last_seen.is_none() {
                    "waiting"
                } else {
                    "reporting"
                };
                let health = if a.health.is_empty() { "ok".to_string() } else { format!("{} not read", a.health.len()) };
                out.push_str(&format!(
                    "{}\t{state}\t{}\t{}\t{}\t{health}\n",
                    a.name,
                    a.host_id.as_deref().unwrap_or("-"),
                    a.version.as_deref().filter(|v| !v.is_empty()).unwrap_or("-"),
                    a.last_seen.map(rampart_model::rfc3339).unwrap_or_else(|| "never".into()),
                ));
            }
            write!(crate::pipe::Watch(std::io::stdout().lock()), "{out}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
