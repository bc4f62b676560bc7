//! `rampart investigate`: the investigation graph (Detective) and threat detections over
//! CloudTrail. Two areas, one file each: `investigate_graph.rs` (ingest, entity profiles,
//! finding groups, investigations) and `investigate_detect.rs` (detections), `investigate_run.rs` (investigations and finding
//! groups). This file only
//! joins their subcommands under one name.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum InvestigateCommand {
    #[command(flatten)]
    Graph(crate::investigate_graph::GraphCommand),
    #[command(flatten)]
    Detect(crate::investigate_detect::DetectCommand),
    #[command(flatten)]
    Run(crate::investigate_run::RunCommand),
}

pub fn main(cmd: InvestigateCommand) -> Result<ExitCode> {
    match cmd {
        InvestigateCommand::Graph(c) => crate::investigate_graph::main(c),
        InvestigateCommand::Detect(c) => crate::investigate_detect::main(c),
        InvestigateCommand::Run(c) => crate::investigate_run::main(c),
    }
}
