//! Rampart's configuration file (`rampart.toml`): resource exclusions, per-check
//! suppressions and the thresholds of checks.
//!
//! * `[[exclude]]` removes resources from every check, like Trusted Advisor's excluded
//!   items: their results are kept, marked (workflow SUPPRESSED) and reported as excluded.
//! * `[[suppress]]` turns the results of the named checks on the chosen resources into
//!   SUPPRESSED findings. Nothing is ever deleted.
//! * Every rule has a mandatory `reason` and an optional `expires` date; a rule stops
//!   applying the day after its expiry, so an expired suppression re-opens its findings on
//!   the next scan.
//! * `[thresholds]` holds the numbers checks compare against, with documented defaults.
//!
//! Selectors (`account`, `region`, `arn`, `tags`) must all match when given; `account`,
//! `region` and `arn` are globs where `*` matches any run of characters and `?` one.
//!
//! **Architecture invariant:** parsing is strict (unknown keys and unknown check ids are errors
//! that name the file, line and column) and applying is pure: no I/O besides [`Config::load`]
//! reading the file, no clock (`now` is an argument). This crate knows no check registry: the
//! caller says which ids exist ([`KnownChecks`]).

mod glob;
mod investigate;
mod known;
mod rules;
mod thresholds;

pub use glob::glob_match;
pub use investigate::Investigate;
pub use known::KnownChecks;
pub use rules::{Action, Applied, ExcludeRule, Hit, Selector, SuppressRule};
pub use thresholds::{Bound, Stricter, Thresholds, BENCHMARK_BOUNDS};

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration file, parsed and validated.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub thresholds: Thresholds,
    /// The thresholds and lists of the threat detections over CloudTrail
    /// (`rampart investigate detections`; docs/detections.md).
    #[serde(default)]
    pub detections: rampart_detect::Thresholds,
    /// The investigation graph's GeoIP databases, flagged-address lists and numbers
    /// (`rampart investigate run|group`; docs/investigate.md).
    #[serde(default)]
    pub investigate: Investigate,
    #[serde(default)]
    pub exclude: Vec<ExcludeRule>,
    #[serde(default)]
    pub suppress: Vec<SuppressRule>,
}

/// What can go wrong with a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // The I/O error is part of the message, so it is not also returned as `source()` (a
    // caller printing the chain would print it twice).
    #[error("cannot read `{}`: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message} ({hint})", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: &'static str,
    },
}

const HINT: &str = "docs/rampart.example.toml documents every key";

impl Config {
    /// Reads and parses the file at `path`; every check id it names must be one of `known`.
    pub fn load(path: &Path, known: &KnownChecks) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        Config::parse(&text, path, known)
    }

    /// Parses `text`; `path` only names the file in errors. A check id that is not one of
    /// `known` is an error (a misspelt id would otherwise suppress nothing, silently).
    pub fn parse(text: &str, path: &Path, known: &KnownChecks) -> Result<Config, ConfigError> {
        let config = Config::parse_keys(text, path)?;
        known::validate(&config, text, path, known)?;
        Config::within_benchmarks(&config, text, path)?;
        Ok(config)
    }

    /// The strict TOML parse: unknown keys and bad values are errors with their position.
    fn parse_keys(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim_end().to_string(),
                hint: HINT,
            }
        })?;
        Ok(config)
    }
}

impl Config {
    /// A threshold looser than the benchmark requirement it stands for is an error at its
    /// position: it would make a check report a failing requirement compliant.
    fn within_benchmarks(config: &Config, text: &str, path: &Path) -> Result<(), ConfigError> {
        let Some((bound, value)) = config.thresholds.looser_than_benchmarks().into_iter().next() else {
            return Ok(());
        };
        #[derive(Deserialize)]
        struct Positions {
            #[serde(default)]
            thresholds: std::collections::BTreeMap<String, toml::Spanned<toml::Value>>,
        }
        let at = toml::from_str::<Positions>(text)
            .ok()
            .and_then(|p| p.thresholds.get(bound.key).map(|v| v.span().start))
            .unwrap_or(0);
        let (line, column) = line_column(text, at);
        Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: format!(
                "`thresholds.{} = {value}` is looser than {}: a threshold can only make a check stricter; use {}, or keep the default and suppress the finding with a reason",
                bound.key,
                bound.requirement,
                bound.allowed()
            ),
            hint: HINT,
        })
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
