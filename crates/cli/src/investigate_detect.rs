//! `rampart investigate detections`: threat detections over CloudTrail (issue 13). Flags →
//! `rampart_app::detect::run` → the scan's recording and output (`run::finish`), so the
//! detections are findings like any scan's: recorded, then written in `--format`.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum DetectCommand {
    /// Threat detections over CloudTrail records: log files and folders (a trail's
    /// AWSLogs/ layout, .json and .json.gz), JSON arrays of records, lookup-events output.
    /// The detections are recorded as a run (source `cloudtrail`) in --db (or the default
    /// database; --no-store to only print) and written like `rampart findings`; each carries
    /// its MITRE ATT&CK technique and the eventIDs behind it. Exit 1 when something is
    /// detected. Thresholds: the config's [detections] table (docs/detections.md).
    Detections {
        /// CloudTrail files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<std::path::PathBuf>,
        #[command(flatten)]
        out: crate::cli::OutputArgs,
    },
}

pub fn main(cmd: DetectCommand) -> Result<ExitCode> {
    match cmd {
        DetectCommand::Detections { paths, out } => {
            let config = out.config.as_deref().map(rampart_app::scan::load_config).transpose()?;
            let started = rampart_model::Timestamp::now_utc();
            let d = rampart_app::detect::run(&paths, config.as_ref(), started, &crate::progress::Stderr::new())?;
            eprintln!(
                "read {} record(s) from {} file(s){}{}",
                d.events,
                d.files,
                match d.duplicates {
                    0 => String::new(),
                    n => format!(" ({n} seen twice, counted once)"),
                },
                match (d.malformed.len(), d.unreadable.len()) {
                    (0, 0) => String::new(),
                    (m, u) => format!("; {m} malformed record(s) and {u} file(s) not CloudTrail, listed above"),
                }
            );
            if d.scan.suppressed > 0 {
                eprintln!("{} detection(s) suppressed by the configuration, kept as SUPPRESSED", d.scan.suppressed);
            }
            crate::run::finish(d.scan, &out)
        }
    }
}
