//! `rampart iam exposure`: the ranked exposure paths of the estate (issue 14 item 5;
//! docs/iam.md "Exposure paths") — flags → `rampart_app::exposure::analyse` → text or JSON.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ExposureArgs {
    /// Host telemetry documents (`rampart agent -o FILE`); default: the latest document of
    /// each host the agents uploaded to --db within --since-days.
    #[arg(long, value_name = "FILE")]
    pub telemetry: Vec<PathBuf>,
    /// How far back the agents' uploaded documents count, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub since_days: u32,
    /// The vulnerability database (default: $RAMPART_VULNDB or the user's data directory).
    #[arg(long, value_name = "PATH")]
    pub vulndb: Option<PathBuf>,
    /// `text` or `json`.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub estate: crate::iam::EstateArgs,
}

pub fn exposure(args: ExposureArgs) -> Result<ExitCode> {
    if !matches!(args.format.as_str(), "text" | "json") {
        bail!("--format `{}` is not known: give text or json", args.format);
    }
    // The inventories themselves (not only their estate): reachability and instances read them.
    let inventories = args.estate.inventories()?;
    let docs = if args.telemetry.is_empty() {
        let spec = args.estate.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
        let store = crate::hints::read_store(&spec)?;
        let since = time::OffsetDateTime::now_utc() - time::Duration::days(i64::from(args.since_days));
        rampart_app::exposure::stored_docs(&store, since)?
    } else {
        args.telemetry
            .iter()
            .map(|p| {
                Ok(rampart_app::exposure::HostDoc { source: p.display().to_string(), telemetry: rampart_app::inputs::read_telemetry(p)? })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let mut warnings = Vec::new();
    let vulndb = rampart_app::exposure::open_vulndb(args.vulndb.as_deref(), &mut warnings)?;
    let (report, estate_warnings) = rampart_app::exposure::analyse(&inventories, &docs, vulndb.as_ref())?;
    warnings.extend(estate_warnings);
    let out = match args.format.as_str() {
        "json" => format!("{}\n", serde_json::to_string_pretty(&report)?),
        _ => rampart_app::exposure::text(&report),
    };
    crate::iam::emit(&out)?;
    crate::iam::warn(&warnings);
    // As `iam access` and `iam paths`: 1 when there is something to fix.
    Ok(if report.paths.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
