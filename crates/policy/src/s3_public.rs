//! Is an S3 bucket policy public, by S3's own definition?
//!
//! S3 starts from "public" and looks for a reason to call the policy
//! non-public: every grant must go to a fixed principal, or be pinned by a
//! condition with fixed values on one of the keys it lists ([`crate::conditions`]).
//! This module applies that per `Allow` statement, then lets `Deny` statements
//! that apply to everyone take grants back (S3's page does not describe how
//! denies are weighed; this is our reading, and it errs towards "public").
//!
//! Every approximation here goes one way: when unsure, the grant stays public.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::conditions::{pins_allow, pins_deny};
use crate::document::{Effect, PolicyDocument, Principal, Statement};
use crate::glob::{self, action_matches, is_fixed};
use crate::s3_actions::{s3_action_class, S3AccessClass, S3_ACTIONS};

/// The S3 actions a bucket policy grants to the public, by class. Each list is
/// sorted and holds canonical action names (`s3:GetObject`) from
/// [`S3_ACTIONS`], or an action or pattern as written when the table does not
/// know it (in `other`). An empty list means no public access of that class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PublicAccess {
    pub read: Vec<String>,
    pub list: Vec<String>,
    pub write: Vec<String>,
    pub other: Vec<String>,
}

impl PublicAccess {
    /// Whether the policy grants anything to the public.
    #[must_use]
    pub fn is_public(&self) -> bool {
        !(self.read.is_empty()
            && self.list.is_empty()
            && self.write.is_empty()
            && self.other.is_empty())
    }

    fn insert(&mut self, action: String) {
        let list = match s3_action_class(&action).unwrap_or(S3AccessClass::Other) {
            S3AccessClass::Read => &mut self.read,
            S3AccessClass::List => &mut self.list,
            S3AccessClass::Write => &mut self.write,
            S3AccessClass::Other => &mut self.other,
        };
        list.push(action);
    }
}

/// Which S3 actions `doc`, taken as the bucket policy of a bucket, grants to
/// the public.
///
/// An `Allow` statement grants to the public when its principal is not fixed
/// (`*`, `{"AWS": "*"}`, a principal containing a wildcard, a web-identity
/// `Federated` provider, or any `NotPrincipal`) and none of its conditions pins
/// it (a fixed `aws:SourceIp` CIDR, `aws:SourceVpce`, `aws:PrincipalOrgID`, ...).
/// A grant is taken back by a `Deny` that applies to everyone (principal `*`,
/// or `NotPrincipal` of fixed principals), whose conditions are all negations
/// of pinning keys (or that has none), and whose actions and resources cover
/// the grant's.
///
/// The second argument, the account that owns the bucket, is unused today:
/// S3's definition does not depend on it (a grant to another fixed account is
/// not public). It is in the signature so that callers need not change when
/// cross-account findings are derived here.
#[must_use]
pub fn s3_bucket_policy_public_access(
    doc: &PolicyDocument,
    _bucket_account_id: &str,
) -> PublicAccess {
    let cancelling_denies: Vec<&Statement> = doc
        .statements
        .iter()
        .filter(|st| st.effect == Effect::Deny && deny_applies_to_public(st))
        .collect();

    let mut public = BTreeSet::new();
    for allow in doc
        .statements
        .iter()
        .filter(|st| st.effect == Effect::Allow)
    {
        if !allow_is_public(allow) {
            continue;
        }
        for action in granted_actions(allow) {
            let denied = cancelling_denies.iter().any(|deny| {
                deny_covers_actions(deny, &action) && deny_covers_resources(deny, allow)
            });
            if !denied {
                public.insert(action);
            }
        }
    }

    let mut access = PublicAccess::default();
    for action in public {
        access.insert(action);
    }
    access
}

pub(crate) fn allow_is_public(st: &Statement) -> bool {
    let principal_public = match (&st.principal, &st.not_principal) {
        // Everyone but a few: as public as it gets.
        (_, Some(_)) => true,
        (Some(principal), None) => principal_is_public(principal),
        // S3 refuses a bucket policy statement without a principal; such a
        // statement grants nothing on a bucket.
        (None, None) => false,
    };
    principal_public && !st.conditions.iter().any(pins_allow)
}

fn principal_is_public(principal: &Principal) -> bool {
    match principal {
        Principal::Any => true,
        Principal::Specific(map) => map.iter().any(|(kind, values)| {
            values.iter().any(|value| {
                !is_fixed(value)
                    // `graph.facebook.com`, `accounts.google.com`, ...: anyone
                    // with an account there. SAML providers are IAM ARNs.
                    || (kind == "Federated" && !value.starts_with("arn:"))
            })
        }),
    }
}

/// The actions a statement grants, expanded against [`S3_ACTIONS`]. An S3
/// action or pattern the table does not know is kept as written, so a grant
/// is never lost; non-S3 actions are dropped (they mean nothing on a bucket).
fn granted_actions(st: &Statement) -> Vec<String> {
    let known = S3_ACTIONS.iter().map(|(name, _)| *name);
    match (&st.action, &st.not_action) {
        (Some(patterns), _) => {
            let mut out: Vec<String> = known
                .filter(|name| patterns.iter().any(|p| action_matches(p, name)))
                .map(str::to_owned)
                .collect();
            for pattern in patterns {
                let is_s3 = pattern
                    .get(..3)
                    .is_some_and(|p| p.eq_ignore_ascii_case("s3:"));
                let expands = S3_ACTIONS
                    .iter()
                    .any(|(name, _)| action_matches(pattern, name));
                let known_literal = s3_action_class(pattern).is_some();
                if is_s3 && !known_literal && (is_fixed(pattern) || !expands) {
                    out.push(pattern.clone());
                }
            }
            out
        }
        (None, Some(excluded)) => known
            .filter(|name| !excluded.iter().any(|p| action_matches(p, name)))
            .map(str::to_owned)
            .collect(),
        (None, None) => Vec::new(),
    }
}

/// A `Deny` that leaves only fixed requesters standing: it names everyone
/// (or everyone but fixed principals) and each of its conditions, if any,
/// is the negation of a pinning key.
pub(crate) fn deny_applies_to_public(st: &Statement) -> bool {
    let everyone = match (&st.principal, &st.not_principal) {
        (Some(Principal::Any), None) => true,
        (Some(Principal::Specific(map)), None) => map
            .get("AWS")
            .is_some_and(|values| values.iter().any(|v| v == "*")),
        (None, Some(Principal::Specific(map))) => {
            !map.is_empty()
                && map.iter().all(|(kind, values)| {
                    !values.is_empty()
                        && values
                            .iter()
                            .all(|v| is_fixed(v) && (kind != "Federated" || v.starts_with("arn:")))
                })
        }
        _ => false,
    };
    everyone && st.conditions.iter().all(pins_deny)
}

fn deny_covers_actions(deny: &Statement, action: &str) -> bool {
    match (&deny.action, &deny.not_action) {
        (Some(patterns), _) => patterns.iter().any(|p| glob::action_covers(p, action)),
        (None, Some(excluded)) => !excluded.iter().any(|p| glob::action_may_overlap(p, action)),
        (None, None) => false,
    }
}

/// The resources a statement names: a list, or everything but a list. A
/// missing `Resource` reads as everything.
enum Resources<'a> {
    Only(&'a [String]),
    AllBut(&'a [String]),
}

fn resources(st: &Statement) -> Resources<'_> {
    match (&st.resource, &st.not_resource) {
        (_, Some(excluded)) => Resources::AllBut(excluded),
        (Some(listed), None) => Resources::Only(listed),
        (None, None) => Resources::AllBut(&[]),
    }
}

/// Whether every resource the `Allow` names is also named by the `Deny`.
pub(crate) fn deny_covers_resources(deny: &Statement, allow: &Statement) -> bool {
    use Resources::{AllBut, Only};
    match (resources(allow), resources(deny)) {
        (Only(granted), Only(denied)) => granted
            .iter()
            .all(|g| denied.iter().any(|d| glob::covers(d, g))),
        // No granted resource may fall in what the deny spares.
        (Only(granted), AllBut(spared)) => granted
            .iter()
            .all(|g| spared.iter().all(|s| !glob::may_overlap(g, s))),
        // Nearly everything is granted: only a deny of everything covers it.
        (AllBut(_), Only(denied)) => denied.iter().any(|d| glob::covers(d, "*")),
        // What the deny spares must be among what the allow leaves out.
        (AllBut(not_granted), AllBut(spared)) => spared
            .iter()
            .all(|s| not_granted.iter().any(|n| glob::covers(n, s))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use proptest::prelude::*;

    const ACCOUNT: &str = "111122223333";

    /// The classes with public access, e.g. `"read,list"`; `""` when not public.
    fn classes(access: &PublicAccess) -> String {
        [
            ("read", &access.read),
            ("list", &access.list),
            ("write", &access.write),
            ("other", &access.other),
        ]
        .iter()
        .filter(|(_, actions)| !actions.is_empty())
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(",")
    }

    fn access(statements: &str) -> PublicAccess {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        let doc = parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        s3_bucket_policy_public_access(&doc, ACCOUNT)
    }

    /// Checks one policy (its statements, comma-separated) against the classes
    /// it should grant publicly.
    fn check(name: &str, statements: &str, expected: &str) {
        let got = access(statements);
        assert_eq!(classes(&got), expected, "{name}: {got:?}");
        assert_eq!(got.is_public(), !expected.is_empty(), "{name}");
    }

    const PUBLIC_READ: &str = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;

    /// `Allow *` of `action` on `resource` with `condition` (a JSON object body).
    fn allow(action: &str, resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":{action},"Resource":{resource},"Condition":{{{condition}}}}}"#
        )
    }

    fn deny(action: &str, resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Effect":"Deny","Principal":"*","Action":{action},"Resource":{resource},"Condition":{{{condition}}}}}"#
        )
    }

    #[test]
    fn policy_table() {
        let get = r#""s3:GetObject""#;
        let objects = r#""arn:aws:s3:::b/*""#;
        let both = r#"["arn:aws:s3:::b","arn:aws:s3:::b/*"]"#;
        let table: Vec<(&str, String, &str)> = vec![
            ("public read", PUBLIC_READ.into(), "read"),
            ("AWS star principal", r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}"#.into(), "read"),
            ("star among others", r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:root","*"]},"Action":"s3:ListBucket","Resource":"*"}"#.into(), "list"),
            ("s3:* on bucket and objects", allow(r#""s3:*""#, both, ""), "read,list,write,other"),
            ("bare * action", allow(r#""*""#, both, ""), "read,list,write,other"),
            ("s3:Get*", allow(r#""s3:Get*""#, both, ""), "read,other"),
            ("s3:List*", allow(r#""s3:List*""#, both, ""), "list"),
            ("lowercase action", allow(r#""S3:putobject""#, objects, ""), "write"),
            ("non-s3 action", allow(r#""sqs:SendMessage""#, objects, ""), ""),
            ("metadata only", allow(r#"["s3:GetBucketAcl","s3:GetBucketPolicy"]"#, both, ""), "other"),
            ("ip pinned", allow(get, objects, r#""IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/48"]}"#), ""),
            ("ip 0.0.0.0/0", allow(get, objects, r#""IpAddress":{"aws:SourceIp":"0.0.0.0/0"}"#), "read"),
            ("ip /1", allow(get, objects, r#""IpAddress":{"aws:SourceIp":["203.0.113.0/24","0.0.0.0/1"]}"#), "read"),
            ("ip /8 is narrow enough", allow(get, objects, r#""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#), ""),
            ("vpce pinned", allow(get, objects, r#""StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}"#), ""),
            ("vpc pinned (doc example)", allow(r#""s3:PutObject""#, r#""*""#, r#""StringEquals":{"aws:SourceVpc":"vpc-91237329"}"#), ""),
            ("vpc StringLike wildcard (doc example)", allow(r#""s3:PutObject""#, r#""*""#, r#""StringLike":{"aws:SourceVpc":"vpc-*"}"#), "write"),
            ("org id pinned", allow(get, objects, r#""StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}"#), ""),
            ("principal account pinned", allow(get, objects, r#""StringEquals":{"aws:PrincipalAccount":["444455556666"]}"#), ""),
            ("source arn pinned", allow(get, objects, r#""ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}"#), ""),
            ("source arn wildcard", allow(get, objects, r#""ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::*:distribution/*"}"#), "read"),
            ("StringLike star value", allow(get, objects, r#""StringLike":{"aws:SourceVpce":"*"}"#), "read"),
            ("IfExists does not pin", allow(get, objects, r#""StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}"#), "read"),
            ("ForAllValues does not pin", allow(get, objects, r#""ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-1"}"#), "read"),
            ("negated operator does not pin an allow", allow(get, objects, r#""StringNotEquals":{"aws:SourceVpce":"vpce-1"}"#), "read"),
            ("unrelated condition", allow(get, objects, r#""Bool":{"aws:SecureTransport":"true"}"#), "read"),
            ("one pinning condition is enough (AND)", allow(get, objects, r#""Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpce":"vpce-1"}"#), ""),
            ("userid role pattern", allow(get, objects, r#""StringLike":{"aws:userid":"AROAEXAMPLEID:*"}"#), ""),
            ("policy variable is not fixed", allow(get, objects, r#""StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}"#), "read"),
            ("NotPrincipal allow", r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#.into(), "read"),
            ("cross-account principal", r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:root","444455556666"]},"Action":"s3:*","Resource":"*"}"#.into(), ""),
            ("service principal", r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/AWSLogs/*"}"#.into(), ""),
            ("canonical user", r#"{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"*"}"#.into(), ""),
            ("wildcard account in principal", r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:GetObject","Resource":"*"}"#.into(), "read"),
            ("web identity federation (doc example)", r#"{"Effect":"Allow","Principal":{"Federated":"graph.facebook.com"},"Action":"s3:PutObject","Resource":"*"}"#.into(), "write"),
            ("SAML federation", r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/corp"},"Action":"s3:PutObject","Resource":"*"}"#.into(), ""),
            ("no principal (identity policy)", r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#.into(), ""),
            ("unconditional deny cancels", format!("{PUBLIC_READ},{}", deny(get, objects, "")), ""),
            ("deny s3:* on * cancels", format!("{PUBLIC_READ},{}", deny(r#""s3:*""#, r#""*""#, "")), ""),
            ("deny NotIpAddress fixed cidr", format!("{PUBLIC_READ},{}", deny(r#""s3:*""#, both, r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#)), ""),
            ("deny NotIpAddress 0.0.0.0/0", format!("{PUBLIC_READ},{}", deny(r#""s3:*""#, both, r#""NotIpAddress":{"aws:SourceIp":"0.0.0.0/0"}"#)), "read"),
            ("deny StringNotEquals vpce", format!("{PUBLIC_READ},{}", deny(r#""*""#, r#""*""#, r#""StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}"#)), ""),
            ("deny StringNotEqualsIfExists org id", format!("{PUBLIC_READ},{}", deny(r#""*""#, r#""*""#, r#""StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}"#)), ""),
            ("deny two negated pins", format!("{PUBLIC_READ},{}", deny(r#""*""#, r#""*""#, r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"},"StringNotEquals":{"aws:SourceVpce":"vpce-1"}"#)), ""),
            ("deny negated wildcard", format!("{PUBLIC_READ},{}", deny(r#""*""#, r#""*""#, r#""StringNotLike":{"aws:SourceVpce":"vpce-*"}"#)), "read"),
            ("deny on plain http only", format!("{PUBLIC_READ},{}", deny(r#""s3:*""#, both, r#""Bool":{"aws:SecureTransport":"false"}"#)), "read"),
            ("deny pin plus unrelated condition", format!("{PUBLIC_READ},{}", deny(r#""s3:*""#, both, r#""NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Bool":{"aws:SecureTransport":"false"}"#)), "read"),
            ("deny covering part of the resources", format!("{PUBLIC_READ},{}", deny(get, r#""arn:aws:s3:::b/private/*""#, "")), "read"),
            ("deny covering other bucket", format!("{PUBLIC_READ},{}", deny(get, r#""arn:aws:s3:::other/*""#, "")), "read"),
            ("deny to a specific principal", format!(r#"{PUBLIC_READ},{{"Effect":"Deny","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":"s3:*","Resource":"*"}}"#), "read"),
            ("deny NotPrincipal fixed", format!(r#"{PUBLIC_READ},{{"Effect":"Deny","NotPrincipal":{{"AWS":"arn:aws:iam::111122223333:role/reader"}},"Action":"s3:*","Resource":"*"}}"#), ""),
            ("deny of another action", format!("{PUBLIC_READ},{}", deny(r#""s3:PutObject""#, r#""*""#, "")), "read"),
            ("deny NotAction sparing the granted action", format!("{PUBLIC_READ},{}", deny_not_action(r#""s3:GetObject""#)), "read"),
            ("deny NotAction sparing something else", format!("{PUBLIC_READ},{}", deny_not_action(r#""s3:PutObject""#)), ""),
            ("NotAction allow grants the rest", r#"{"Effect":"Allow","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}"#.into(), "read,list,write,other"),
            ("NotAction allow excluding writes", r#"{"Effect":"Allow","Principal":"*","NotAction":["s3:Put*","s3:Delete*","s3:Restore*","s3:Abort*","s3:Replicate*","s3:Bypass*","s3:ObjectOwner*","s3:Create*"],"Resource":"*"}"#.into(), "read,list,other"),
            ("NotAction allow excluding all of s3", r#"{"Effect":"Allow","Principal":"*","NotAction":"s3:*","Resource":"*"}"#.into(), ""),
            ("pinned and unpinned statements", format!("{},{}", allow(r#""s3:ListBucket""#, r#""arn:aws:s3:::b""#, r#""StringEquals":{"aws:SourceVpce":"vpce-1"}"#), allow(get, objects, "")), "read"),
        ];
        assert!(table.len() >= 25);
        for (name, statements, expected) in &table {
            check(name, statements, expected);
        }
    }

    fn deny_not_action(spared: &str) -> String {
        format!(r#"{{"Effect":"Deny","Principal":"*","NotAction":{spared},"Resource":"*"}}"#)
    }

    #[test]
    fn action_lists_are_canonical_sorted_and_deduplicated() {
        let got = access(&allow(
            r#"["S3:GETOBJECT","s3:GetObject*","s3:ListBucket"]"#,
            r#""*""#,
            "",
        ));
        assert_eq!(
            got.read,
            [
                "s3:GetObject",
                "s3:GetObjectTorrent",
                "s3:GetObjectVersion",
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionTorrent"
            ]
        );
        assert_eq!(got.list, ["s3:ListBucket"]);
        assert_eq!(
            got.other,
            [
                "s3:GetObjectAcl",
                "s3:GetObjectAttributes",
                "s3:GetObjectLegalHold",
                "s3:GetObjectRetention",
                "s3:GetObjectTagging",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionAttributes",
                "s3:GetObjectVersionTagging"
            ]
        );
        assert!(got.write.is_empty());
    }

    #[test]
    fn unknown_s3_actions_are_kept_as_other() {
        let got = access(&allow(
            r#"["s3:GetShinyNewThing","s3:Describe*","sqs:*"]"#,
            r#""*""#,
            "",
        ));
        assert_eq!(got.other, ["s3:Describe*", "s3:GetShinyNewThing"]);
        assert!(got.read.is_empty() && got.list.is_empty() && got.write.is_empty());
    }

    #[test]
    fn deny_takes_back_only_the_actions_it_names() {
        let got = access(&format!(
            "{},{}",
            allow(r#""s3:*""#, r#""*""#, ""),
            deny(r#"["s3:GetObject","s3:Put*"]"#, r#""*""#, "")
        ));
        assert!(!got.read.contains(&"s3:GetObject".to_owned()));
        assert!(got.read.contains(&"s3:GetObjectVersion".to_owned()));
        assert!(
            got.write.iter().all(|a| !a.starts_with("s3:Put")),
            "{:?}",
            got.write
        );
        assert!(got.write.contains(&"s3:DeleteObject".to_owned()));
    }

    #[test]
    fn deny_resource_coverage() {
        let allow_two = allow(
            r#""s3:GetObject""#,
            r#"["arn:aws:s3:::b/a/*","arn:aws:s3:::b/c/*"]"#,
            "",
        );
        let partial = deny(r#""s3:GetObject""#, r#""arn:aws:s3:::b/a/*""#, "");
        let full = deny(
            r#""s3:GetObject""#,
            r#"["arn:aws:s3:::b/a/*","arn:aws:s3:::b/c/*"]"#,
            "",
        );
        let wider = deny(r#""s3:GetObject""#, r#""arn:aws:s3:::b/*""#, "");
        check(
            "deny one of two prefixes",
            &format!("{allow_two},{partial}"),
            "read",
        );
        check("deny both prefixes", &format!("{allow_two},{full}"), "");
        check("deny a wider prefix", &format!("{allow_two},{wider}"), "");
        let deny_not_resource = |spared: &str| {
            format!(r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":{spared}}}"#)
        };
        check(
            "deny sparing the granted prefix",
            &format!(
                "{allow_two},{}",
                deny_not_resource(r#""arn:aws:s3:::b/a/*""#)
            ),
            "read",
        );
        check(
            "deny sparing another prefix",
            &format!(
                "{allow_two},{}",
                deny_not_resource(r#""arn:aws:s3:::b/public/*""#)
            ),
            "",
        );
        let allow_not_resource = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/private/*"}"#;
        check(
            "allow NotResource, deny a prefix",
            &format!("{allow_not_resource},{wider}"),
            "read",
        );
        check(
            "allow NotResource, deny all",
            &format!(
                "{allow_not_resource},{}",
                deny(r#""s3:GetObject""#, r#""*""#, "")
            ),
            "",
        );
        check(
            "allow NotResource, deny sparing less",
            &format!(
                "{allow_not_resource},{}",
                deny_not_resource(r#""arn:aws:s3:::b/private/secret/*""#)
            ),
            "",
        );
        check(
            "allow NotResource, deny sparing more",
            &format!(
                "{allow_not_resource},{}",
                deny_not_resource(r#""arn:aws:s3:::b/*""#)
            ),
            "read",
        );
    }

    #[test]
    fn empty_policy_is_not_public() {
        assert!(!access("").is_public());
        assert_eq!(access(""), PublicAccess::default());
    }

    /// Policy-shaped JSON built from the vocabulary the analysis cares about,
    /// so that the properties below reach the interesting branches.
    pub(crate) fn policy_json() -> impl Strategy<Value = String> {
        let principal = prop_oneof![
            Just(r#""Principal":"*""#.to_owned()),
            Just(r#""Principal":{"AWS":"*"}"#.to_owned()),
            Just(r#""Principal":{"AWS":"arn:aws:iam::444455556666:root"}"#.to_owned()),
            Just(r#""NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"}"#.to_owned()),
            Just(r#""Principal":{"Service":"cloudtrail.amazonaws.com"}"#.to_owned()),
        ];
        let action = prop_oneof![
            Just(r#""Action":"*""#),
            Just(r#""Action":"s3:*""#),
            Just(r#""Action":"s3:GetObject""#),
            Just(r#""Action":["s3:Get*","s3:List*"]"#),
            Just(r#""Action":"s3:Put*""#),
            Just(r#""NotAction":"s3:GetObject""#),
            Just(r#""NotAction":["s3:*"]"#),
            Just(r#""Action":"s3:NewThing""#),
        ];
        let resource = prop_oneof![
            Just(r#""Resource":"*""#),
            Just(r#""Resource":"arn:aws:s3:::b/*""#),
            Just(r#""Resource":["arn:aws:s3:::b","arn:aws:s3:::b/private/*"]"#),
            Just(r#""NotResource":"arn:aws:s3:::b/public/*""#),
            Just(r#""Resource":"arn:aws:s3:::b/?""#),
        ];
        let condition = prop_oneof![
            Just(""),
            Just(r#","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#),
            Just(r#","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#),
            Just(r#","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#),
            Just(r#","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#),
            Just(r#","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}"#),
            Just(r#","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#),
            Just(r#","Condition":{"Bool":{"aws:SecureTransport":"false"}}"#),
        ];
        let effect = prop_oneof![Just("Allow"), Just("Deny")];
        let statement = (effect, principal, action, resource, condition)
            .prop_map(|(e, p, a, r, c)| format!(r#"{{"Effect":"{e}",{p},{a},{r}{c}}}"#));
        proptest::collection::vec(statement, 0..5).prop_map(|sts| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                sts.join(",")
            )
        })
    }

    fn actions(access: &PublicAccess) -> BTreeSet<String> {
        [&access.read, &access.list, &access.write, &access.other]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }

    proptest! {
        #[test]
        fn generated_policies_parse_and_analyse(text in policy_json()) {
            let doc = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let got = s3_bucket_policy_public_access(&doc, ACCOUNT);
            for list in [&got.read, &got.list, &got.write, &got.other] {
                prop_assert!(list.windows(2).all(|w| w[0] < w[1]), "not sorted or duplicated: {:?}", list);
            }
        }

        /// A deny never widens public access, and removing the policy's allows
        /// leaves nothing public.
        #[test]
        fn denies_only_narrow(text in policy_json(), extra in policy_json()) {
            let doc = parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let extra = parse(&extra).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let before = actions(&s3_bucket_policy_public_access(&doc, ACCOUNT));
            let mut with_denies = doc.clone();
            with_denies.statements.extend(extra.statements.into_iter().filter(|s| s.effect == Effect::Deny));
            let after = actions(&s3_bucket_policy_public_access(&with_denies, ACCOUNT));
            prop_assert!(after.is_subset(&before), "{:?} not within {:?}", after, before);

            let mut denies_only = doc;
            denies_only.statements.retain(|s| s.effect == Effect::Deny);
            prop_assert!(!s3_bucket_policy_public_access(&denies_only, ACCOUNT).is_public());
        }

        /// An unconditional `Deny *` of everything on everything leaves nothing public.
        #[test]
        fn deny_all_closes_everything(text in policy_json()) {
            let mut doc = parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            doc.statements.push(Statement {
                principal: Some(Principal::Any),
                action: Some(vec!["*".into()]),
                resource: Some(vec!["*".into()]),
                ..Statement::new(Effect::Deny)
            });
            prop_assert_eq!(s3_bucket_policy_public_access(&doc, ACCOUNT), PublicAccess::default());
        }
    }
}
