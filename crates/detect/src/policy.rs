//! Reading the policy documents in request parameters (a JSON string, or an object where
//! CloudTrail parsed it).

use serde_json::Value;

/// The document of a request parameter: parsed when it is a string (URL-decoded first if
/// it is encoded, as IAM sometimes records it).
pub(crate) fn document(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::String(s) => serde_json::from_str(s).ok().or_else(|| serde_json::from_str(&url_decode(s)).ok()),
        Value::Object(_) => v.cloned(),
        _ => None,
    }
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 1) && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `Allow` statements of a policy document.
pub(crate) fn allows(doc: &Value) -> Vec<&Value> {
    let list: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    list.into_iter().filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow")).collect()
}

/// A string-or-list field as a list.
pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The AWS principals of a statement (`*` for everyone).
pub(crate) fn aws_principals(statement: &Value) -> Vec<String> {
    match statement.get("Principal") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(p @ Value::Object(_)) => strings(p.get("AWS")),
        _ => Vec::new(),
    }
}

/// The account of an AWS principal (`arn:aws:iam::123456789012:root`, a role or user ARN,
/// or a bare account id); `None` for `*` and what is not one.
pub(crate) fn account_of(principal: &str) -> Option<&str> {
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        return Some(principal);
    }
    let account = principal.strip_prefix("arn:")?.split(':').nth(3)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Whether a statement has a `Condition` (which may narrow `*` to an organisation, a VPC,
/// an address range).
pub(crate) fn conditional(statement: &Value) -> bool {
    statement.get("Condition").is_some_and(|c| c.as_object().is_some_and(|o| !o.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_principals_and_accounts() {
        let doc = document(Some(&json!(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "777788889999"]}}}"#
        )))
        .unwrap();
        let s = allows(&doc);
        assert_eq!(aws_principals(s[0]), vec!["arn:aws:iam::444455556666:root", "777788889999"]);
        assert_eq!(account_of("arn:aws:iam::444455556666:role/x"), Some("444455556666"));
        assert_eq!(account_of("777788889999"), Some("777788889999"));
        assert_eq!(account_of("*"), None);
        let encoded = document(Some(&json!("%7B%22Statement%22%3A%5B%5D%7D"))).unwrap();
        assert_eq!(encoded, json!({"Statement": []}));
        assert_eq!(document(Some(&json!("not json"))), None);
    }
}
