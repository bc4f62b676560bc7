//! `rampart investigate detections`: threat detections over CloudTrail (issue 13).

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum DetectCommand {
    /// Threat detections over CloudTrail records (files or folders).
    Detections {
        /// Files or folders.
        paths: Vec<std::path::PathBuf>,
    },
}

pub fn main(cmd: DetectCommand) -> Result<ExitCode> {
    match cmd {
        DetectCommand::Detections { .. } => anyhow::bail!("`rampart investigate detections` is not built yet"),
    }
}
