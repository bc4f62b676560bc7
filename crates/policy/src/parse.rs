//! From policy text to [`PolicyDocument`].
//!
//! The grammar is strict where AWS is strict (element names are case-sensitive,
//! unknown elements and `X` together with `NotX` are rejected): AWS never stores
//! such a policy, so meeting one means the input is not what the caller thinks
//! it is, and guessing could hide a public grant. It is lenient where AWS is
//! lenient: single values or arrays, a single `Statement` object, numbers and
//! booleans as condition values.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::{Condition, Effect, PolicyDocument, Principal, Statement};

/// Why a policy could not be parsed. Messages are one lowercase line; the
/// statement index is 1-based, as a person counts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    #[error("policy is not valid JSON at line {line} column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("policy is not valid URL-encoded text at byte {offset}: {reason}")]
    UrlEncoding { offset: usize, reason: &'static str },
    /// A problem with the document as a whole, e.g. a missing `Statement`.
    #[error("{0}")]
    Document(String),
    #[error("statement {index}: {problem}")]
    Statement { index: usize, problem: String },
}

/// Parses a policy document given as JSON text.
///
/// # Errors
///
/// [`PolicyError::Json`] when the text is not JSON; [`PolicyError::Document`]
/// or [`PolicyError::Statement`] when it is JSON but not a policy AWS would
/// accept (see the module docs for what is strict).
pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    document(value)
}

/// Parses a policy that may be percent-encoded, as IAM's `GetPolicyVersion`,
/// `GetRolePolicy`, `GetUserPolicy` and `GetAccountAuthorizationDetails` return
/// it (RFC 3986 encoding). Text that starts with `{` after trimming is taken as
/// JSON as is; anything else is percent-decoded first.
///
/// # Errors
///
/// [`PolicyError::UrlEncoding`] for a bad `%` escape or decoded bytes that
/// are not UTF-8, then as [`parse`].
pub fn parse_maybe_url_encoded(text: &str) -> Result<PolicyDocument, PolicyError> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') || trimmed.starts_with('\u{feff}') {
        parse(text)
    } else {
        parse(&percent_decode(trimmed)?)
    }
}

fn json_error(err: &serde_json::Error) -> PolicyError {
    let full = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&position).unwrap_or(&full).to_owned();
    PolicyError::Json {
        line: err.line(),
        column: err.column(),
        message,
    }
}

fn percent_decode(text: &str) -> Result<String, PolicyError> {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex);
            let lo = bytes.get(i + 2).copied().and_then(hex);
            let (Some(hi), Some(lo)) = (hi, lo) else {
                return Err(PolicyError::UrlEncoding {
                    offset: i,
                    reason: "`%` is not followed by two hex digits",
                });
            };
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|err| PolicyError::UrlEncoding {
        offset: err.utf8_error().valid_up_to(),
        reason: "the decoded bytes are not UTF-8",
    })
}

fn document(value: Value) -> Result<PolicyDocument, PolicyError> {
    let doc_err = PolicyError::Document;
    let Value::Object(map) = value else {
        return Err(doc_err(format!(
            "policy must be a JSON object, found {}",
            kind(&value)
        )));
    };
    let mut doc = PolicyDocument::default();
    let mut statements = None;
    for (name, value) in map {
        match name.as_str() {
            "Version" => doc.version = Some(string(&value, "Version").map_err(doc_err)?),
            "Id" => doc.id = Some(string(&value, "Id").map_err(doc_err)?),
            "Statement" => statements = Some(value),
            _ => {
                return Err(doc_err(format!(
                    "policy has an unknown element {}",
                    quote(&name)
                )))
            }
        }
    }
    let items = match statements {
        None => return Err(doc_err("policy has no `Statement` element".to_owned())),
        Some(Value::Array(items)) => items,
        Some(item @ Value::Object(_)) => vec![item],
        Some(other) => {
            return Err(doc_err(format!(
                "`Statement` must be an object or an array of objects, found {}",
                kind(&other)
            )))
        }
    };
    doc.statements = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            statement(item).map_err(|problem| PolicyError::Statement {
                index: i + 1,
                problem,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(doc)
}

fn statement(value: Value) -> Result<Statement, String> {
    let Value::Object(map) = value else {
        return Err(format!("must be a JSON object, found {}", kind(&value)));
    };
    let mut effect = None;
    let mut st = Statement::new(Effect::Allow);
    for (name, value) in map {
        match name.as_str() {
            "Sid" => st.sid = Some(string(&value, "Sid")?),
            "Effect" => effect = Some(parse_effect(&value)?),
            "Principal" => st.principal = Some(principal(value, "Principal")?),
            "NotPrincipal" => st.not_principal = Some(principal(value, "NotPrincipal")?),
            "Action" => st.action = Some(string_list(value, "Action")?),
            "NotAction" => st.not_action = Some(string_list(value, "NotAction")?),
            "Resource" => st.resource = Some(string_list(value, "Resource")?),
            "NotResource" => st.not_resource = Some(string_list(value, "NotResource")?),
            "Condition" => st.conditions = conditions(value)?,
            _ => return Err(format!("unknown element {}", quote(&name))),
        }
    }
    st.effect = effect.ok_or("`Effect` is required")?;
    exclusive(
        st.principal.is_some(),
        st.not_principal.is_some(),
        "Principal",
    )?;
    exclusive(st.action.is_some(), st.not_action.is_some(), "Action")?;
    exclusive(st.resource.is_some(), st.not_resource.is_some(), "Resource")?;
    if st.action.is_none() && st.not_action.is_none() {
        return Err("one of `Action` or `NotAction` is required".to_owned());
    }
    Ok(st)
}

fn exclusive(plain: bool, negated: bool, element: &str) -> Result<(), String> {
    if plain && negated {
        Err(format!(
            "`{element}` and `Not{element}` cannot both be present"
        ))
    } else {
        Ok(())
    }
}

fn parse_effect(value: &Value) -> Result<Effect, String> {
    match value {
        Value::String(s) if s == "Allow" => Ok(Effect::Allow),
        Value::String(s) if s == "Deny" => Ok(Effect::Deny),
        Value::String(s) => Err(format!(
            "`Effect` must be `Allow` or `Deny`, found {}",
            quote(s)
        )),
        other => Err(format!(
            "`Effect` must be `Allow` or `Deny`, found {}",
            kind(other)
        )),
    }
}

fn principal(value: Value, element: &str) -> Result<Principal, String> {
    match value {
        Value::String(s) if s == "*" => Ok(Principal::Any),
        Value::Object(map) => {
            let mut specific = BTreeMap::new();
            for (kind, values) in map {
                let values = scalar_list(values, &format!("{element}.{}", clip(&kind)))?;
                specific.insert(kind, values);
            }
            let only_aws_star = specific.len() == 1
                && specific
                    .get("AWS")
                    .is_some_and(|v| !v.is_empty() && v.iter().all(|p| p == "*"));
            Ok(if only_aws_star {
                Principal::Any
            } else {
                Principal::Specific(specific)
            })
        }
        Value::String(s) => Err(format!(
            "`{element}` must be `*` or an object, found {}",
            quote(&s)
        )),
        other => Err(format!(
            "`{element}` must be `*` or an object, found {}",
            kind(&other)
        )),
    }
}

fn conditions(value: Value) -> Result<Vec<Condition>, String> {
    let Value::Object(operators) = value else {
        return Err(format!(
            "`Condition` must be an object, found {}",
            kind(&value)
        ));
    };
    let mut out = Vec::new();
    for (operator, block) in operators {
        let Value::Object(keys) = block else {
            return Err(format!(
                "condition operator {} must map to an object, found {}",
                quote(&operator),
                kind(&block)
            ));
        };
        for (key, values) in keys {
            let values = scalar_list(
                values,
                &format!("Condition.{}.{}", clip(&operator), clip(&key)),
            )?;
            out.push(Condition {
                operator: operator.clone(),
                key,
                values,
            });
        }
    }
    Ok(out)
}

fn string(value: &Value, element: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(format!(
            "`{element}` must be a string, found {}",
            kind(other)
        )),
    }
}

/// A string or an array of strings.
fn string_list(value: Value, element: &str) -> Result<Vec<String>, String> {
    let items = match value {
        Value::Array(items) => items,
        single => vec![single],
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            other => Err(format!(
                "`{element}` must be a string or an array of strings, found {}",
                kind(&other)
            )),
        })
        .collect()
}

/// A scalar or an array of scalars; numbers and booleans are stringified
/// (an account id written as a number, `"aws:SecureTransport": false`).
fn scalar_list(value: Value, element: &str) -> Result<Vec<String>, String> {
    let items = match value {
        Value::Array(items) => items,
        single => vec![single],
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!(
                "`{element}` values must be strings, numbers or booleans, found {}",
                kind(&other)
            )),
        })
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// User input in backticks; see [`clip`].
fn quote(text: &str) -> String {
    format!("`{}`", clip(text))
}

/// User input made fit for a one-line message: control characters escaped,
/// cut short so an error never carries a whole document.
fn clip(text: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn err(text: &str) -> String {
        match parse(text) {
            Ok(doc) => panic!("expected an error, parsed {doc:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn statement_as_object_or_array_and_scalars_or_lists() {
        let single = parse(
            r#"{"Version":"2012-10-17","Id":"p1","Statement":{"Sid":"a","Effect":"Allow",
                "Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#,
        )
        .unwrap();
        assert_eq!(single.version.as_deref(), Some("2012-10-17"));
        assert_eq!(single.id.as_deref(), Some("p1"));
        assert_eq!(single.statements.len(), 1);
        let st = &single.statements[0];
        assert_eq!(st.sid.as_deref(), Some("a"));
        assert_eq!(st.effect, Effect::Allow);
        assert_eq!(st.principal, Some(Principal::Any));
        assert_eq!(st.action, Some(vec!["s3:GetObject".to_owned()]));
        assert_eq!(st.resource, Some(vec!["arn:aws:s3:::b/*".to_owned()]));

        let list = parse(
            r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::111122223333:root", 444455556666],
                "Service":"cloudtrail.amazonaws.com"},"NotAction":["s3:Get*","s3:List*"],"NotResource":[]}]}"#,
        )
        .unwrap();
        let st = &list.statements[0];
        assert_eq!(st.effect, Effect::Deny);
        let Some(Principal::Specific(p)) = &st.principal else {
            panic!("expected a specific principal: {:?}", st.principal)
        };
        assert_eq!(p["AWS"], ["arn:aws:iam::111122223333:root", "444455556666"]);
        assert_eq!(p["Service"], ["cloudtrail.amazonaws.com"]);
        assert_eq!(st.not_action.as_ref().map(Vec::len), Some(2));
        assert_eq!(st.not_resource, Some(vec![]));
    }

    #[test]
    fn aws_star_principal_is_any() {
        for p in [r#""*""#, r#"{"AWS":"*"}"#, r#"{"AWS":["*"]}"#] {
            let doc = parse(&format!(
                r#"{{"Statement":{{"Effect":"Allow","Principal":{p},"Action":"*"}}}}"#
            ))
            .unwrap();
            assert_eq!(doc.statements[0].principal, Some(Principal::Any), "{p}");
        }
        let doc = parse(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["*","arn:aws:iam::1:root"]},"Action":"*"}}"#).unwrap();
        assert!(matches!(
            doc.statements[0].principal,
            Some(Principal::Specific(_))
        ));
    }

    #[test]
    fn conditions_are_flattened_and_scalars_stringified() {
        let doc = parse(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{
                "Bool":{"aws:SecureTransport":false},
                "NumericLessThan":{"s3:max-keys":10},
                "ForAnyValue:StringLikeIfExists":{"aws:SourceVpce":["vpce-1","vpce-2"],"aws:SourceVpc":"vpc-1"}}}}"#,
        )
        .unwrap();
        let conds = &doc.statements[0].conditions;
        assert_eq!(conds.len(), 4);
        assert!(conds.contains(&Condition {
            operator: "Bool".into(),
            key: "aws:SecureTransport".into(),
            values: vec!["false".into()],
        }));
        assert!(conds.contains(&Condition {
            operator: "NumericLessThan".into(),
            key: "s3:max-keys".into(),
            values: vec!["10".into()],
        }));
        assert!(conds.contains(&Condition {
            operator: "ForAnyValue:StringLikeIfExists".into(),
            key: "aws:SourceVpce".into(),
            values: vec!["vpce-1".into(), "vpce-2".into()],
        }));
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let e = parse("{\n  \"Statement\": [\n    {,\n").unwrap_err();
        let PolicyError::Json { line, column, .. } = &e else {
            panic!("expected a JSON error, got {e:?}")
        };
        assert_eq!((*line, *column), (3, 6));
        let msg = e.to_string();
        assert!(
            msg.starts_with("policy is not valid JSON at line 3 column 6: "),
            "{msg}"
        );
        assert!(
            !msg.ends_with("column 6"),
            "position must not be repeated: {msg}"
        );
        assert!(err("").starts_with("policy is not valid JSON at line 1 column 0"));
    }

    #[test]
    fn wrong_effect_names_the_statement_and_value() {
        assert_eq!(
            err(
                r#"{"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Permit","Action":"*"}]}"#
            ),
            "statement 2: `Effect` must be `Allow` or `Deny`, found `Permit`"
        );
        assert_eq!(
            err(r#"{"Statement":{"Effect":true,"Action":"*"}}"#),
            "statement 1: `Effect` must be `Allow` or `Deny`, found a boolean"
        );
        assert_eq!(
            err(r#"{"Statement":{"Effect":"allow","Action":"*"}}"#),
            "statement 1: `Effect` must be `Allow` or `Deny`, found `allow`"
        );
    }

    #[test]
    fn document_shape_errors() {
        assert_eq!(
            err(r#"{"Version":"2012-10-17"}"#),
            "policy has no `Statement` element"
        );
        assert_eq!(err("[]"), "policy must be a JSON object, found an array");
        assert_eq!(
            err(r#"{"Statement":"x"}"#),
            "`Statement` must be an object or an array of objects, found a string"
        );
        assert_eq!(
            err(r#"{"Statement":[],"statement":[]}"#),
            "policy has an unknown element `statement`"
        );
        assert_eq!(
            err(r#"{"Statement":[1]}"#),
            "statement 1: must be a JSON object, found a number"
        );
        assert_eq!(
            err(r#"{"Version":1,"Statement":[]}"#),
            "`Version` must be a string, found a number"
        );
    }

    #[test]
    fn statement_shape_errors() {
        let cases = [
            (r#"{"Action":"*"}"#, "statement 1: `Effect` is required"),
            (r#"{"Effect":"Allow"}"#, "statement 1: one of `Action` or `NotAction` is required"),
            (
                r#"{"Effect":"Allow","Action":"*","NotAction":"s3:*"}"#,
                "statement 1: `Action` and `NotAction` cannot both be present",
            ),
            (
                r#"{"Effect":"Allow","Action":"*","Principal":"*","NotPrincipal":"*"}"#,
                "statement 1: `Principal` and `NotPrincipal` cannot both be present",
            ),
            (
                r#"{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}"#,
                "statement 1: `Resource` and `NotResource` cannot both be present",
            ),
            (r#"{"Effect":"Allow","Action":[1]}"#, "statement 1: `Action` must be a string or an array of strings, found a number"),
            (r#"{"Effect":"Allow","Action":"*","Principal":"everyone"}"#, "statement 1: `Principal` must be `*` or an object, found `everyone`"),
            (r#"{"Effect":"Allow","Action":"*","Principal":{"AWS":{}}}"#, "statement 1: `Principal.AWS` values must be strings, numbers or booleans, found an object"),
            (r#"{"Effect":"Allow","Action":"*","Condition":[]}"#, "statement 1: `Condition` must be an object, found an array"),
            (r#"{"Effect":"Allow","Action":"*","Condition":{"StringEquals":"x"}}"#, "statement 1: condition operator `StringEquals` must map to an object, found a string"),
            (r#"{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"k":null}}}"#, "statement 1: `Condition.StringEquals.k` values must be strings, numbers or booleans, found null"),
            (r#"{"Effect":"Allow","Action":"*","Actions":"*"}"#, "statement 1: unknown element `Actions`"),
        ];
        for (statement, expected) in cases {
            assert_eq!(
                err(&format!(r#"{{"Statement":{statement}}}"#)),
                expected,
                "{statement}"
            );
        }
    }

    #[test]
    fn long_user_input_is_cut_in_messages() {
        let long = "x".repeat(500);
        let msg = err(&format!(
            r#"{{"Statement":{{"Effect":"{long}","Action":"*"}}}}"#
        ));
        assert!(msg.len() < 150, "{msg}");
        assert!(msg.ends_with("...`"), "{msg}");
        assert_eq!(
            err(r#"{"Statement":{"Effect":"Allow","Action":"*","Bad\nKey":1}}"#),
            "statement 1: unknown element `Bad\\nKey`"
        );
    }

    #[test]
    fn url_encoded_policies_are_decoded() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        let doc = parse_maybe_url_encoded(encoded).unwrap();
        assert_eq!(doc.statements[0].action, Some(vec!["s3:*".to_owned()]));
        // Plain JSON, even with a `%` inside, is not decoded.
        let plain = r#"  {"Statement":{"Effect":"Allow","Action":"s3:%41"}}"#;
        assert_eq!(
            parse_maybe_url_encoded(plain).unwrap().statements[0].action,
            Some(vec!["s3:%41".to_owned()])
        );
        assert_eq!(
            parse_maybe_url_encoded("%7B%2").unwrap_err().to_string(),
            "policy is not valid URL-encoded text at byte 3: `%` is not followed by two hex digits"
        );
        assert!(matches!(
            parse_maybe_url_encoded("%FF%FE"),
            Err(PolicyError::UrlEncoding { offset: 0, .. })
        ));
        assert!(matches!(
            parse_maybe_url_encoded("%7B"),
            Err(PolicyError::Json { .. })
        ));
    }

    #[test]
    fn leading_bom_is_ignored() {
        assert!(parse("\u{feff}{\"Statement\":[]}").is_ok());
    }

    /// Strings from the policy grammar, so generated values reach statements.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec![
                "Version", "Id", "Statement", "Sid", "Effect", "Allow", "Deny", "Principal",
                "NotPrincipal", "AWS", "Service", "Federated", "Action", "NotAction", "Resource",
                "NotResource", "Condition", "StringEquals", "IpAddress", "NotIpAddress",
                "aws:SourceIp", "aws:SourceVpce", "*", "s3:*", "s3:GetObject", "0.0.0.0/0",
            ]).prop_map(str::to_owned),
            1 => ".{0,12}",
        ]
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            word().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 96, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(word(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>()) {
            match parse(&text) {
                Ok(doc) => { let _ = crate::s3_bucket_policy_public_access(&doc, "111122223333"); }
                Err(e) => prop_assert!(!e.to_string().contains('\n'), "{}", e),
            }
            let _ = parse_maybe_url_encoded(&text);
        }

        #[test]
        fn never_panics_on_percent_soup(text in "[%0-9a-fA-F{}\\[\\]\":, ]{0,40}") {
            let _ = parse_maybe_url_encoded(&text);
        }

        #[test]
        fn never_panics_on_arbitrary_json(value in json()) {
            let text = value.to_string();
            match parse(&text) {
                Ok(doc) => { let _ = crate::s3_bucket_policy_public_access(&doc, "111122223333"); }
                Err(e) => prop_assert!(!e.to_string().contains('\n'), "{}", e),
            }
        }

        /// Whatever the statement holds, an error names it by its 1-based index.
        #[test]
        fn statement_errors_carry_their_index(
            good in 0usize..4,
            bad in json().prop_filter("not a valid statement", |v| statement(v.clone()).is_err()),
        ) {
            let mut items = vec![serde_json::json!({"Effect": "Allow", "Action": "*"}); good];
            items.push(bad);
            let text = Value::Array(items).to_string();
            let err = parse(&format!(r#"{{"Statement":{text}}}"#)).unwrap_err();
            let is_statement_error = matches!(err, PolicyError::Statement { index, .. } if index == good + 1);
            prop_assert!(is_statement_error, "{:?}", err);
        }
    }
}
