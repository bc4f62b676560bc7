//! `rampart iam access`: external access (issue 14, item 2), as IAM Access Analyzer's
//! external-access findings. Flags → `rampart_app::iam_access::analyze` → text or JSON.

use anyhow::{bail, Result};
use clap::Args;
use std::process::ExitCode;

/// Who outside the zone of trust each resource lets in: bucket and access point policies and
/// ACLs, role trust policies, KMS key policies and grants, Lambda, SQS, SNS, Secrets Manager,
/// ECR and EFS policies, EBS and RDS snapshot and AMI sharing; each grant with the outside
/// principal (or "public"), the actions and the conditions that limit it. Conditions that pin
/// the organisation, a VPC endpoint of the estate or a source account keep a grant inside.
/// Reads --inventory snapshots, or the latest stored inventory of each account in --db. Exit 1
/// when something is shared outside the zone.
#[derive(Args, Debug)]
pub struct AccessArgs {
    /// The zone of trust: `account` (each resource's account) or `organization` (default: the
    /// organisation when the inventories hold it, else the account).
    #[arg(long, value_name = "account|organization")]
    pub zone: Option<String>,
    /// Also list the grants to other accounts the zone keeps inside, with why.
    #[arg(long)]
    pub all: bool,
    /// `text` or `json`.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub estate: crate::iam::EstateArgs,
}

pub fn main(args: AccessArgs) -> Result<ExitCode> {
    if !matches!(args.format.as_str(), "text" | "json") {
        bail!("--format `{}` is not known: give text or json", args.format);
    }
    let zone = args.zone.as_deref().map(rampart_app::iam_access::parse_zone).transpose()?;
    let inventories = args.estate.inventories()?;
    let access = rampart_app::iam_access::analyze(&inventories, zone, rampart_app::now())?;
    let out = if args.format == "json" {
        format!("{}\n", serde_json::to_string_pretty(&rampart_app::iam_access::access_json(&access, args.all))?)
    } else {
        rampart_app::iam_access::access_text(&access, args.all)
    };
    crate::iam::emit(&out)?;
    Ok(if access.external().next().is_some() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
