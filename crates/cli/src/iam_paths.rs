//! `rampart iam paths`: privilege-escalation paths (issue 14, item 4). Flags →
//! `rampart_app::escalation::paths` → text or JSON.

use anyhow::{bail, Result};
use clap::Args;
use rampart_app::escalation::{paths, Paths, To};
use std::process::ExitCode;

/// Who can get to administrator, to a principal or to a set of actions, and by which steps:
/// the shortest chain of techniques (assume role, pass role to a compute service, another
/// user's credentials, attaching or changing policies, …) the IAM policy evaluation engine
/// allows, each with its requests and the statements that allow them. Reads --inventory
/// snapshots, or the latest stored inventory of each account in --db. Exit 1 when a principal
/// that is not already there has a path.
#[derive(Args, Debug)]
pub struct PathsArgs {
    /// `admin`: paths to administrator (allowed `*` on `*`, IAM included).
    #[arg(long, value_name = "admin", conflicts_with_all = ["to_principal", "to_actions"])]
    pub to: Option<String>,
    /// Paths to this principal (a user or role ARN).
    #[arg(long, value_name = "ARN", conflicts_with = "to_actions")]
    pub to_principal: Option<String>,
    /// Paths to principals allowed every one of these actions (comma-separated).
    #[arg(long, value_name = "ACTION,...", value_delimiter = ',')]
    pub to_actions: Option<Vec<String>>,
    /// Only the path from this principal (ARN).
    #[arg(long, value_name = "ARN")]
    pub from: Option<String>,
    /// `text` or `json`.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub estate: crate::iam::EstateArgs,
}

pub fn main(args: PathsArgs) -> Result<ExitCode> {
    let to = match (&args.to, &args.to_principal, &args.to_actions) {
        (Some(t), None, None) if t == "admin" => To::Admin,
        (Some(t), None, None) => bail!("--to `{t}` is not known: give --to admin, --to-principal ARN or --to-actions a,b"),
        (None, Some(p), None) => To::Principal(p.clone()),
        (None, None, Some(a)) => To::Actions(a.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
        _ => bail!("say where the paths go: --to admin, --to-principal ARN or --to-actions a,b"),
    };
    if !matches!(args.format.as_str(), "text" | "json") {
        bail!("--format `{}` is not known: give text or json", args.format);
    }
    // The same inventories `EstateArgs::build` reads: the techniques need more of them than
    // the estate holds (groups, functions, managed policies' holders).
    let inventories = args.estate.inventories()?;
    let answer = paths(&inventories, &to, args.from.as_deref())?;
    for w in &answer.warnings {
        eprintln!("warning: {w}");
    }
    if args.format == "json" {
        crate::iam::emit(&format!("{}\n", serde_json::to_string_pretty(&answer)?))?;
    } else {
        crate::iam::emit(&text(&answer))?;
    }
    Ok(if answer.paths.iter().any(|p| p.length > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The paths as text: one block per principal with a path, those already there in one line each.
fn text(a: &Paths) -> String {
    let mut out = String::new();
    let (there, paths): (Vec<_>, Vec<_>) = a.paths.iter().partition(|p| p.length == 0);
    out.push_str(&format!("{} principal(s) can reach {}; {} already there\n", paths.len(), a.goal, there.len()));
    for p in paths {
        out.push_str(&format!("\n{} — {} step(s) → {}\n", p.from, p.length, p.end));
        for (i, s) in p.steps.iter().enumerate() {
            let via = s.via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
            let whom = s.grants_to.as_deref().filter(|g| *g != s.from).map(|g| format!(" (grants {g})")).unwrap_or_default();
            out.push_str(&format!("  {}. {} → {} by {}{via}{whom}\n", i + 1, s.from, s.to, s.technique));
            for r in &s.requests {
                out.push_str(&format!("     {} on {}  allowed by {}\n", r.action, r.resource, r.allowed_by.join(", ")));
            }
        }
    }
    for p in there {
        out.push_str(&format!("{}: {}\n", p.from, p.end));
    }
    out
}
