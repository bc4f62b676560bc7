//! Check ids named by `[[suppress]] checks`: each must be a check that exists. A misspelt id
//! would otherwise be accepted and suppress nothing, and the finding the user meant to
//! suppress would stay open with no word why; worse, a rule written as an exception would
//! look reviewed. The registry lives in `rampart-checks`, which depends on this crate, so the
//! caller passes what it knows.

use crate::{line_column, Config, ConfigError};
use serde::Deserialize;
use std::path::Path;

/// The check ids a configuration may name: those of the findings it is applied to.
#[derive(Clone, Copy)]
pub struct KnownChecks {
    /// Whether `id` is a check id.
    pub contains: fn(&str) -> bool,
    /// The known id nearest to an unknown one, for "did you mean"; `None` if nothing is close.
    pub suggest: fn(&str) -> Option<&'static str>,
}

const HINT: &str = "docs/checks.md lists every check id";

/// Where each `checks` entry is in the text: the parsed [`Config`] keeps no positions, so the
/// (already valid) text is read a second time for them. Other keys are ignored here; the
/// strict parse has checked them.
#[derive(Deserialize)]
struct Positions {
    #[serde(default)]
    suppress: Vec<SuppressPositions>,
}

#[derive(Deserialize)]
struct SuppressPositions {
    #[serde(default)]
    checks: Vec<toml::Spanned<String>>,
}

/// The first unknown check id of `config` (parsed from `text`), as an error at its position.
pub(crate) fn validate(
    config: &Config,
    text: &str,
    path: &Path,
    known: &KnownChecks,
) -> Result<(), ConfigError> {
    // `text` has just been parsed into `config`, so it parses again; if it somehow did not,
    // the error still names the id, at the top of the file.
    let positions = toml::from_str::<Positions>(text).ok();
    for (i, rule) in config.suppress.iter().enumerate() {
        for (j, id) in rule.checks.iter().enumerate() {
            if (known.contains)(id) {
                continue;
            }
            let at = positions
                .as_ref()
                .and_then(|p| p.suppress.get(i)?.checks.get(j))
                .map_or(0, |s| s.span().start);
            let (line, column) = line_column(text, at);
            let message = match (known.suggest)(id) {
                Some(near) => format!(
                    "unknown check `{id}` in `suppress[{i}].checks`; did you mean `{near}`?"
                ),
                None => format!("unknown check `{id}` in `suppress[{i}].checks`"),
            };
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
                hint: HINT,
            });
        }
    }
    Ok(())
}
