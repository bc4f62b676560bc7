//! `rampart agent`: flags → `rampart_app::host` (collect this host's telemetry) → a file.

use crate::cli::parse_tag;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct AgentArgs {
    /// Collect once and exit (the only mode for now; accepted for scripts written for later modes).
    #[arg(long)]
    once: bool,
    /// Root of the filesystem (default `/`).
    #[arg(long, default_value = "/")]
    root: PathBuf,
    /// Where to write the document.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// A tag for this host (`key=value`), which assessment targets select hosts by;
    /// repeatable.
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
}

pub fn main(args: AgentArgs) -> anyhow::Result<ExitCode> {
    let AgentArgs { once: _, root, output, tags } = args;
    crate::host::agent(&root, &output, tags)
}
