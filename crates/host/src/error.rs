//! The error of one entry of a parsed file: the rest of the file is still read.

/// An entry (a package, a line, a record) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{problem}", entry.as_ref().map(|e| format!("entry `{e}`: ")).unwrap_or_default())]
pub struct EntryError {
    /// The entry: a package name, `line N`, a record number.
    pub entry: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl EntryError {
    /// An error in `entry`.
    pub fn new(entry: impl Into<String>, problem: impl Into<String>) -> Self {
        EntryError {
            entry: Some(entry.into()),
            problem: problem.into(),
        }
    }

    /// An error of the whole input.
    pub fn whole(problem: impl Into<String>) -> Self {
        EntryError {
            entry: None,
            problem: problem.into(),
        }
    }
}
