//! The parsed form of an IAM or resource policy document.
//!
//! These are plain values: [`crate::parse`] builds them from JSON and checks the
//! shape, the analyses read them. Field names follow the policy grammar
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>).

use std::collections::BTreeMap;

/// A whole policy: `{"Version": .., "Id": .., "Statement": [..]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyDocument {
    pub version: Option<String>,
    pub id: Option<String>,
    /// In document order; a single `Statement` object becomes a one-element list.
    pub statements: Vec<Statement>,
}

/// One statement. `None` means the element is absent; the parser rejects a
/// statement that has both an element and its `Not` form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub action: Option<Vec<String>>,
    pub not_action: Option<Vec<String>>,
    pub resource: Option<Vec<String>>,
    pub not_resource: Option<Vec<String>>,
    /// All conditions of the statement; all must hold. One entry per
    /// (operator, key) pair, in the order the JSON object iterates them.
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

/// The `Principal` / `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`: everyone, anonymous included.
    Any,
    /// Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to its
    /// values, exactly as written. A value may still be or contain a wildcard
    /// (`{"AWS": ["*", "arn:..."]}`); analyses must not assume otherwise.
    Specific(BTreeMap<String, Vec<String>>),
}

/// One `"Operator": {"key": values}` entry of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// As written, set qualifier and `IfExists` suffix included, e.g.
    /// `ForAnyValue:StringLike` or `StringEqualsIfExists`.
    pub operator: String,
    /// As written; condition keys are case-insensitive, so compare with
    /// [`str::eq_ignore_ascii_case`].
    pub key: String,
    /// Numbers and booleans are stringified (`true`, `42`).
    pub values: Vec<String>,
}

impl Statement {
    /// A statement with only an effect, for building documents in code.
    #[must_use]
    pub fn new(effect: Effect) -> Self {
        Self {
            sid: None,
            effect,
            principal: None,
            not_principal: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            conditions: Vec::new(),
        }
    }
}
