//! `rampart iam`: IAM reasoning over the estate's inventories (issue 14). One subcommand per
//! variant; each is flags → a `rampart_app` call → text or JSON.

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use rampart_app::iam::{Built, Question};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum IamCommand {
    /// Is a principal allowed an action on a resource? Answers like IAM's
    /// SimulatePrincipalPolicy: the decision per action, the statements that matched and the
    /// context keys the request lacks.
    Simulate(SimulateArgs),
    /// Exposure paths: internet → port → vulnerable listening package → instance role →
    /// data, ranked, each with the single change that breaks it.
    Exposure(crate::iam_exposure::ExposureArgs),
    /// Privilege-escalation paths: who can get to administrator (or a principal, or a set of
    /// actions), and by which steps.
    Paths(crate::iam_paths::PathsArgs),
    /// External access, as IAM Access Analyzer reports it: who outside the zone of trust (the
    /// account or the organisation) each resource lets in, with the actions and conditions.
    Access(crate::iam_access::AccessArgs),
}

pub fn main(cmd: IamCommand) -> Result<ExitCode> {
    match cmd {
        IamCommand::Simulate(a) => simulate(a),
        IamCommand::Exposure(a) => crate::iam_exposure::exposure(a),
        IamCommand::Paths(a) => crate::iam_paths::main(a),
        IamCommand::Access(a) => crate::iam_access::main(a),
    }
}

/// Where the estate comes from: snapshot files, or the latest stored inventory of each
/// account.
#[derive(Args, Debug, Clone)]
pub struct EstateArgs {
    /// Inventory snapshots (`rampart collect aws -o FILE`); default: the latest stored
    /// inventory of each account in --db.
    #[arg(long, value_name = "FILE")]
    pub inventory: Vec<PathBuf>,
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or the
    /// user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
}

impl EstateArgs {
    /// The snapshots given, else the latest stored inventory of each account in --db.
    pub fn inventories(&self) -> Result<Vec<rampart_inventory::Inventory>> {
        if self.inventory.is_empty() {
            let spec = self.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
            let store = crate::hints::read_store(&spec)?;
            rampart_app::iam::stored(&store)
        } else {
            self.inventory.iter().map(|p| rampart_app::inputs::read_snapshot(p)).collect()
        }
    }

    /// The estate of [`EstateArgs::inventories`].
    pub fn build(&self) -> Result<Built> {
        Ok(rampart_app::iam::estate(&self.inventories()?))
    }
}

/// Writes a command's answer to stdout; never `print!`: a closed pipe ends the command
/// quietly (`crate::pipe`).
pub fn emit(out: &str) -> Result<()> {
    use std::io::Write;
    write!(crate::pipe::Watch(std::io::stdout().lock()), "{out}")?;
    Ok(())
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// The principal's ARN: `arn:aws:iam::ACCOUNT:user/NAME`, `…:role/NAME` or `…:root`.
    #[arg(long, value_name = "ARN")]
    pub principal: String,
    /// An action (`s3:GetObject`); repeat for several.
    #[arg(long, value_name = "SERVICE:ACTION", required = true)]
    pub action: Vec<String>,
    /// The resource's ARN (`arn:aws:s3:::bucket/key`); default `*`.
    #[arg(long, value_name = "ARN", default_value = "*")]
    pub resource: String,
    /// A request context key and value (`aws:SourceIp=203.0.113.7`); repeat for several
    /// keys, or the same key for a multivalued one.
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// `text` or `json`.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub estate: EstateArgs,
}

fn simulate(args: SimulateArgs) -> Result<ExitCode> {
    if !matches!(args.format.as_str(), "text" | "json") {
        bail!("--format `{}` is not known: give text or json", args.format);
    }
    let context = rampart_app::iam::parse_context(&args.context).map_err(|e| anyhow::anyhow!("--context: {e}"))?;
    let built = args.estate.build()?;
    let q = Question { principal: args.principal, actions: args.action, resource: args.resource, context };
    let sim = rampart_app::iam::simulate(&built, &q).map_err(|e| anyhow::anyhow!("{e}"))?;
    let out = match args.format.as_str() {
        "json" => format!("{}\n", serde_json::to_string_pretty(&rampart_app::iam::simulation_json(&sim))?),
        _ => rampart_app::iam::simulation_text(&sim),
    };
    emit(&out)?;
    if args.format == "text" {
        warn(&sim.warnings);
    }
    Ok(ExitCode::SUCCESS)
}

/// The estate's warnings on stderr: the first five, then how many more.
pub fn warn(warnings: &[String]) {
    for w in warnings.iter().take(5) {
        eprintln!("warning: {w}");
    }
    if warnings.len() > 5 {
        eprintln!("warning: … and {} more (--format json lists them all)", warnings.len() - 5);
    }
}
