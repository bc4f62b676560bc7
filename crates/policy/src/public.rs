//! Is a resource policy of another service (SNS topic, SQS queue, KMS key) public?
//!
//! The services do not publish their own definition; Security Hub's controls (SNS.4, SQS.3,
//! KMS.5) call a policy public when it grants to everyone. Rampart applies S3's definition
//! ([`crate::s3_bucket_policy_public_access`]) to them: an `Allow` statement is public when its
//! principal is not fixed and none of its conditions pins it (`aws:SourceAccount`,
//! `aws:SourceOwner`, `aws:SourceArn`, `aws:PrincipalOrgID`, a narrow `aws:SourceIp`, ...); it
//! is taken back only by a `Deny` that applies to everyone and covers every action and
//! resource the `Allow` names. Like the S3 analysis, it errs towards "public".

use crate::conditions::pins_allow_on;
use crate::document::{Effect, PolicyDocument, Statement};
use crate::glob;
use crate::s3_public::{allow_is_public, deny_applies_to_public, deny_covers_resources};

/// The `Allow` statements of `doc` that grant to the public, in document order.
#[must_use]
pub fn public_statements(doc: &PolicyDocument) -> Vec<&Statement> {
    public_statements_with(doc, &[])
}

/// [`public_statements`], with the service's own condition keys that name the requester's
/// account also pinning a statement (`kms:CallerAccount` for key policies).
#[must_use]
pub fn public_statements_with<'a>(doc: &'a PolicyDocument, account_keys: &[&str]) -> Vec<&'a Statement> {
    let denies: Vec<&Statement> =
        doc.statements.iter().filter(|st| st.effect == Effect::Deny && deny_applies_to_public(st)).collect();
    doc.statements
        .iter()
        .filter(|st| st.effect == Effect::Allow && allow_is_public(st))
        .filter(|st| !st.conditions.iter().any(|c| pins_allow_on(c, account_keys)))
        .filter(|allow| !denies.iter().any(|deny| deny_covers_actions(deny, allow) && deny_covers_resources(deny, allow)))
        .collect()
}

/// Whether every action the `Allow` names is also named by the `Deny`. An `Allow` with
/// `NotAction` grants nearly everything: only a deny of `*` covers it.
fn deny_covers_actions(deny: &Statement, allow: &Statement) -> bool {
    let Some(denied) = &deny.action else { return false };
    match &allow.action {
        Some(granted) => granted.iter().all(|g| denied.iter().any(|d| glob::action_covers(d, g))),
        None => denied.iter().any(|d| d == "*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn public(statements: &str) -> usize {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        public_statements(&parse(&text).unwrap()).len()
    }

    #[test]
    fn table() {
        let table: &[(&str, &str, usize)] = &[
            ("everyone", r#"{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"*"}"#, 1),
            ("AWS star", r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Resource":"*"}"#, 1),
            ("SNS default policy: pinned by AWS:SourceOwner", r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe"],"Resource":"arn:aws:sns:us-east-1:111122223333:t","Condition":{"StringEquals":{"AWS:SourceOwner":"111122223333"}}}"#, 0),
            ("pinned by org", r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}"#, 0),
            ("unrelated condition", r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#, 1),
            ("own account root", r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#, 0),
            ("service principal", r#"{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}"#, 0),
            ("public deny", r#"{"Effect":"Deny","Principal":"*","Action":"sns:Publish","Resource":"*"}"#, 0),
            (
                "taken back by a covering deny",
                r#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*"}"#,
                0,
            ),
            (
                "a narrower deny leaves it public",
                r#"{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"sqs:DeleteQueue","Resource":"*"}"#,
                1,
            ),
        ];
        for (name, statements, want) in table {
            assert_eq!(public(statements), *want, "{name}");
        }
    }

    #[test]
    fn service_account_keys_pin_only_when_given() {
        let via_account = |op: &str, value: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"kms:Decrypt","Resource":"*","Condition":{{"{op}":{{"kms:CallerAccount":"{value}"}}}}}}]}}"#
            )
        };
        let count = |text: &str, keys: &[&str]| public_statements_with(&parse(text).unwrap(), keys).len();
        let pinned = via_account("StringEquals", "111122223333");
        assert_eq!(count(&pinned, &[]), 1);
        assert_eq!(count(&pinned, &["kms:CallerAccount"]), 0);
        assert_eq!(count(&via_account("StringEqualsIfExists", "111122223333"), &["kms:CallerAccount"]), 1);
        assert_eq!(count(&via_account("StringLike", "*"), &["kms:CallerAccount"]), 1);
        assert_eq!(count(&via_account("StringNotEquals", "111122223333"), &["kms:CallerAccount"]), 1);
    }
}
