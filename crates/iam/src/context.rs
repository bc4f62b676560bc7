//! The request context: condition keys to their values.

use std::collections::BTreeMap;

/// Condition keys (compared case-insensitively, as IAM does) to values. A
/// key may hold several values (multivalued keys such as `aws:TagKeys`) or
/// none (present but empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, (String, Vec<String>)>,
}

impl Context {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value` to `key` (keeps earlier values: a key given twice is
    /// multivalued).
    pub fn insert(&mut self, key: &str, value: &str) {
        self.values.entry(key.to_ascii_lowercase()).or_insert_with(|| (key.to_string(), Vec::new())).1.push(value.to_string());
    }

    /// Sets `key` to exactly `values` (possibly none).
    pub fn set(&mut self, key: &str, values: Vec<String>) {
        self.values.insert(key.to_ascii_lowercase(), (key.to_string(), values));
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.values.get(&key.to_ascii_lowercase()).map(|(_, v)| v.as_slice())
    }

    #[must_use]
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(&key.to_ascii_lowercase())
    }

    /// The value of a single-valued key (the first, if several).
    #[must_use]
    pub fn single(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.first()).map(String::as_str)
    }
}
