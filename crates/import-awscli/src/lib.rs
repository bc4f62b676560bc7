//! `rampart import aws-cli DIR`: an [`Inventory`] from a folder of AWS CLI `describe-*` JSON
//! outputs (`--output json`), for auditors who are handed such dumps instead of access.
//!
//! **Architecture invariant:** pure parsing of the files given: no AWS calls, no network, no
//! clock (the snapshot time is an input). What the dump holds is `Observed::Known`; a listing
//! the dump does not hold is `Observed::Unknown("not in the aws-cli dump: <key>")`, never an
//! empty list, so a missing file never reads as "there are none".
//!
//! Files are recognised by their top-level keys (`SecurityGroups`, `Reservations`, `Vpcs`,
//! ...), never by their names; several files (or pages) of one kind are merged. The region of
//! a file is the nearest enclosing folder named like a region (`DIR/us-east-1/*.json`), else
//! the one its availability zones name, else `--region`. The account is `--account`, else the
//! `OwnerId` of the security groups, instances, interfaces or VPCs.
//!
//! Two outputs do not say what they describe: `get-managed-prefix-list-entries` (`Entries`)
//! and `describe-target-health` (`TargetHealthDescriptions`). Their file name must contain the
//! prefix list id (`entries-pl-0123abcd.json`) or the target group name or ARN id
//! (`target-health-web.json`), or the file may carry a `PrefixListId` / `TargetGroupArn` key.
//! Likewise the per-route-table transit gateway outputs (`Associations`,
//! `TransitGatewayRouteTablePropagations`, `Routes`): their file name must hold the route
//! table's id (`search-transit-gateway-routes.tgw-rtb-0abc12345678def90.json`), else the import
//! fails (see `tgw.rs`).
//! Launch templates (`LaunchTemplates`) take their data from
//! `describe-launch-template-versions --versions '$Default'` (`LaunchTemplateVersions`); without
//! it their default version stays unknown (see `launch_templates.rs`).

mod assemble;
mod region;
mod shapes;
mod tgw;
mod vpn;
mod launch_templates;

use std::fmt;
use std::path::{Path, PathBuf};

pub use rampart_inventory::Inventory;
use time::OffsetDateTime;

/// What the caller knows that the dump may not say.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The AWS account id; overrides the `OwnerId`s found in the files.
    pub account: Option<String>,
    /// The region of files that are not in a folder named after a region and name no
    /// availability zone.
    pub region: Option<String>,
}

/// Something skipped or guessed while importing; the import still succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file concerned, if any.
    pub file: Option<PathBuf>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a dump could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a folder; pass the folder holding the aws-cli JSON outputs", .0.display())]
    NotADirectory(PathBuf),
    #[error("no *.json files under `{}`; save each `aws ... describe-*` output with `--output json > NAME.json`", .0.display())]
    NoJsonFiles(PathBuf),
    #[error("{}:{line}:{column}: not valid JSON: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}:{column}: unexpected shape at `{field}`: {message}; is it unmodified `aws ... --output json` output?", path.display())]
    Shape {
        path: PathBuf,
        field: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot tell the AWS account of the dump (no `OwnerId` in SecurityGroups, Reservations, NetworkInterfaces or Vpcs); pass --account")]
    NoAccount,
    #[error("the dump names several AWS accounts ({}); pass --account to say whose it is", .0.join(", "))]
    SeveralAccounts(Vec<String>),
    #[error("--account `{0}` is not a 12-digit AWS account id")]
    BadAccount(String),
    #[error("--region `{0}` is not an AWS region name (like `us-east-1`)")]
    BadRegion(String),
    #[error("cannot tell the region of the files directly in `{}`: put them in a folder named after their region (e.g. `us-east-1/`) or pass --region", .0.display())]
    NoRegion(PathBuf),
    #[error("the files directly in `{}` mix regions {}: put each region's files in a folder named after it", path.display(), regions.join(", "))]
    MixedRegions { path: PathBuf, regions: Vec<String> },
    #[error("{}: cannot tell which transit gateway route table this `{key}` output belongs to: put its id in the file name (e.g. `{}.tgw-rtb-0123456789abcdef0.json`)", path.display(), path.file_stem().and_then(|s| s.to_str()).unwrap_or("routes"))]
    TgwRouteTableUnnamed { path: PathBuf, key: &'static str },
    #[error("{}: `{key}` of `{id}`, which is not in the dump's TransitGatewayRouteTables; add `aws ec2 describe-transit-gateway-route-tables` output or fix the file name", path.display())]
    TgwRouteTableUnknown { path: PathBuf, key: &'static str, id: String },
}

/// Why one file could not be read, without its path (see [`parse_file`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("line {line} column {column}: not valid JSON: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("line {line} column {column}: unexpected shape at `{field}`: {message}")]
    Shape {
        field: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// One file, read: what it holds, or why it is skipped.
#[derive(Debug)]
pub struct ParsedFile {
    inner: Parsed,
}

#[derive(Debug)]
enum Parsed {
    Output(Box<shapes::CliFile>),
    /// Nothing to read; the reason is a warning.
    Skipped(String),
}

impl ParsedFile {
    /// The top-level keys this importer read from the file.
    pub fn keys(&self) -> Vec<&'static str> {
        match &self.inner {
            Parsed::Output(f) => f.keys(),
            Parsed::Skipped(_) => Vec::new(),
        }
    }

    /// Top-level keys present but not imported.
    pub fn unknown_keys(&self) -> Vec<&str> {
        match &self.inner {
            Parsed::Output(f) => f.other.keys().map(String::as_str).collect(),
            Parsed::Skipped(_) => Vec::new(),
        }
    }

    /// Why the file holds nothing to import (empty, not an object), if so.
    pub fn skipped(&self) -> Option<&str> {
        match &self.inner {
            Parsed::Skipped(why) => Some(why),
            Parsed::Output(_) => None,
        }
    }
}

/// Reads one file's bytes: UTF-8 (with or without BOM) or UTF-16 with BOM (Windows
/// PowerShell's `>`), holding one JSON object as the AWS CLI prints it.
pub fn parse_file(bytes: &[u8]) -> Result<ParsedFile, ParseError> {
    let text = decode(bytes)?;
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        let why = "file is empty (did the aws command fail?); its listing stays unknown";
        return Ok(ParsedFile {
            inner: Parsed::Skipped(why.into()),
        });
    }
    if !trimmed.starts_with('{') {
        // Valid JSON that is not an object (e.g. `--query` output) cannot be recognised.
        serde_json::from_str::<serde::de::IgnoredAny>(&text).map_err(json_error)?;
        let why = "not a JSON object as `aws ... describe-* --output json` prints (was `--query` used?); skipped";
        return Ok(ParsedFile {
            inner: Parsed::Skipped(why.into()),
        });
    }
    let mut de = serde_json::Deserializer::from_str(&text);
    let file: shapes::CliFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            ParseError::Shape {
                field,
                line: inner.line(),
                column: inner.column(),
                message: strip_position(&inner.to_string()),
            }
        } else {
            json_error(inner)
        }
    })?;
    de.end().map_err(json_error)?;
    Ok(ParsedFile {
        inner: Parsed::Output(Box::new(file)),
    })
}

fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let utf16 = |le: bool, body: &[u8]| -> Result<String, ParseError> {
        let units: Vec<u16> = body
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| ParseError::Json {
            line: 1,
            column: 1,
            message: "invalid UTF-16".into(),
        })
    };
    match bytes {
        [0xef, 0xbb, 0xbf, rest @ ..] => utf8(rest),
        [0xff, 0xfe, rest @ ..] => utf16(true, rest),
        [0xfe, 0xff, rest @ ..] => utf16(false, rest),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, ParseError> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let upto = &bytes[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        ParseError::Json {
            line,
            column,
            message: "invalid UTF-8".into(),
        }
    })
}

fn json_error(e: serde_json::Error) -> ParseError {
    ParseError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Imports every `*.json` file under `dir` (recursively, in path order) as one account.
///
/// Returns the inventory and what was skipped or guessed. Fails on the first file that is
/// not valid JSON or not shaped like the CLI's output (naming file, line, column and field),
/// and when the account or a region cannot be told.
pub fn import_dir(
    dir: &Path,
    opts: &ImportOptions,
    now: OffsetDateTime,
) -> Result<(Inventory, Vec<Warning>), ImportError> {
    assemble::import_dir(dir, opts, now)
}

/// [`import_dir`] over files already read: `(path, bytes)` pairs, paths under `dir` (their
/// folders give the regions). No I/O.
pub fn import_files(
    dir: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
    opts: &ImportOptions,
    now: OffsetDateTime,
) -> Result<(Inventory, Vec<Warning>), ImportError> {
    assemble::import_files(dir, files, opts, now)
}
