//! `rampart investigate ingest | entity | group | run`: the behaviour graph (issue 13).

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum GraphCommand {
    /// Read CloudTrail, VPC Flow Logs or GuardDuty findings into the investigation graph.
    Ingest {
        /// Files or folders.
        paths: Vec<std::path::PathBuf>,
    },
}

pub fn main(cmd: GraphCommand) -> Result<ExitCode> {
    match cmd {
        GraphCommand::Ingest { .. } => anyhow::bail!("`rampart investigate ingest` is not built yet"),
    }
}
