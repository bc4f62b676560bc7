//! Which conditions pin a statement to a fixed set of requesters, following
//! S3's definition of a public bucket policy ("The meaning of 'public'").
//!
//! A condition *pins* when it compares one of the keys S3 lists against fixed
//! values (no `*`, `?` or `${...}` policy variable), with an operator under
//! which a request that lacks the key, or carries any other value, fails.

use std::net::IpAddr;

use crate::document::Condition;
use crate::glob::is_fixed;

/// The condition keys S3 accepts as restricting a bucket policy, and how their
/// values must look to count as fixed.
fn pinning_key(key: &str) -> Option<KeyKind> {
    const FIXED: &[&str] = &[
        "aws:SourceArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceOwner",
        "aws:SourceAccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:DataAccessPointAccount",
        // "An AWS principal, user, role, or service principal (e.g.
        // aws:PrincipalOrgID)": the principal-identifying global keys.
        "aws:PrincipalOrgID",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
    ];
    if key.eq_ignore_ascii_case("aws:SourceIp") {
        Some(KeyKind::Cidr)
    } else if key.eq_ignore_ascii_case("aws:userid") {
        Some(KeyKind::UserId)
    } else if key.eq_ignore_ascii_case("s3:DataAccessPointArn") {
        Some(KeyKind::AccessPointArn)
    } else if FIXED.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        Some(KeyKind::Fixed)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    /// `aws:SourceIp`: CIDRs no broader than /8 (IPv4) or /32 (IPv6).
    Cidr,
    /// Any fixed value.
    Fixed,
    /// `aws:userid`: fixed, or a fixed role id followed by `:*` ("outside the
    /// pattern AROLEID:*", read as: that one wildcard form is tolerated).
    UserId,
    /// `s3:DataAccessPointArn`: fixed, or a wildcard in the access point name
    /// only, with partition, region and account fixed.
    AccessPointArn,
}

/// How a condition operator compares, once its qualifiers are taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// `StringEquals`, `StringLike`, `ArnEquals`, `ArnLike` and the
    /// `IgnoreCase` form: the key must equal (or match) one of the values.
    StringMatch,
    /// `IpAddress`.
    IpMatch,
    /// The `Not` forms of the above: the key must match none of the values.
    StringMismatch,
    IpMismatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetQualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

struct Operator {
    qualifier: SetQualifier,
    compare: Compare,
    if_exists: bool,
}

fn operator(text: &str) -> Option<Operator> {
    let (qualifier, rest) = match text.split_once(':') {
        None => (SetQualifier::None, text),
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => {
            (SetQualifier::ForAnyValue, rest)
        }
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => {
            (SetQualifier::ForAllValues, rest)
        }
        Some(_) => return None,
    };
    let (base, if_exists) = match rest.len().checked_sub("IfExists".len()) {
        Some(cut) if rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case("IfExists") => {
            (&rest[..cut], true)
        }
        _ => (rest, false),
    };
    let compare = match base.to_ascii_lowercase().as_str() {
        "stringequals" | "stringequalsignorecase" | "stringlike" | "arnequals" | "arnlike" => {
            Compare::StringMatch
        }
        "stringnotequals"
        | "stringnotequalsignorecase"
        | "stringnotlike"
        | "arnnotequals"
        | "arnnotlike" => Compare::StringMismatch,
        "ipaddress" => Compare::IpMatch,
        "notipaddress" => Compare::IpMismatch,
        _ => return None,
    };
    Some(Operator {
        qualifier,
        compare,
        if_exists,
    })
}

/// Whether an `Allow` statement with this condition grants only to requests
/// carrying one of a fixed set of values of a key S3 lists. `IfExists` forms do
/// not pin (a request without the key passes), nor do `ForAllValues` ones (an
/// empty or absent set passes), nor negated operators (every other value passes).
pub(crate) fn pins_allow(condition: &Condition) -> bool {
    let Some(op) = operator(&condition.operator) else {
        return false;
    };
    let Some(kind) = pinning_key(&condition.key) else {
        return false;
    };
    let positive = match kind {
        KeyKind::Cidr => op.compare == Compare::IpMatch,
        _ => op.compare == Compare::StringMatch,
    };
    positive
        && !op.if_exists
        && op.qualifier != SetQualifier::ForAllValues
        && values_fixed(kind, &condition.values)
}

/// [`pins_allow`] for a service's own keys that name the requester's account (such as KMS's
/// `kms:CallerAccount`): a positive string comparison with fixed values, without `IfExists` or
/// `ForAllValues`.
pub(crate) fn pins_allow_on(condition: &Condition, keys: &[&str]) -> bool {
    if !keys.iter().any(|k| k.eq_ignore_ascii_case(&condition.key)) {
        return false;
    }
    let Some(op) = operator(&condition.operator) else {
        return false;
    };
    op.compare == Compare::StringMatch
        && !op.if_exists
        && op.qualifier != SetQualifier::ForAllValues
        && values_fixed(KeyKind::Fixed, &condition.values)
}

/// Whether a `Deny` statement with this condition denies every request except
/// those carrying one of a fixed set of values of a key S3 lists, e.g.
/// `NotIpAddress aws:SourceIp 203.0.113.0/24` or `StringNotEquals
/// aws:SourceVpce vpce-1`. A negated operator is true when the key is absent,
/// so requests without the key are denied too; `IfExists` only widens the deny
/// and is accepted. Set qualifiers are not (`ForAnyValue` is false on an absent
/// key, which would let such requests through).
pub(crate) fn pins_deny(condition: &Condition) -> bool {
    let Some(op) = operator(&condition.operator) else {
        return false;
    };
    let Some(kind) = pinning_key(&condition.key) else {
        return false;
    };
    let negated = match kind {
        KeyKind::Cidr => op.compare == Compare::IpMismatch,
        _ => op.compare == Compare::StringMismatch,
    };
    negated && op.qualifier == SetQualifier::None && values_fixed(kind, &condition.values)
}

/// What a condition asks of a request's value of its key, for analyses that ask who can
/// satisfy it (external access): one of its values, none of them, or something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// A positive string, ARN or IP comparison without `IfExists` or `ForAllValues`: a
    /// request must carry the key with a value that matches one of the condition's values.
    OneOf,
    /// A negated comparison without a set qualifier (`IfExists` allowed): it holds for every
    /// request whose value matches none of the values, and for one that lacks the key.
    NoneOf,
    /// Anything else (numeric, date, `Bool`, `Null`, set qualifiers, `IfExists` on a
    /// positive operator, an unknown operator).
    Other,
}

/// [`Restriction`] of `condition`, read with the same operator grammar as S3's definition
/// of public ([`pins_allow`], [`pins_deny`]).
#[must_use]
pub fn restriction(condition: &Condition) -> Restriction {
    let Some(op) = operator(&condition.operator) else {
        return Restriction::Other;
    };
    match op.compare {
        Compare::StringMatch | Compare::IpMatch
            if !op.if_exists && op.qualifier != SetQualifier::ForAllValues =>
        {
            Restriction::OneOf
        }
        Compare::StringMismatch | Compare::IpMismatch if op.qualifier == SetQualifier::None => {
            Restriction::NoneOf
        }
        _ => Restriction::Other,
    }
}

fn values_fixed(kind: KeyKind, values: &[String]) -> bool {
    !values.is_empty()
        && values.iter().all(|value| match kind {
            KeyKind::Cidr => narrow_cidr(value),
            KeyKind::Fixed => is_fixed(value),
            KeyKind::UserId => {
                is_fixed(value)
                    || value
                        .strip_suffix(":*")
                        .is_some_and(|role| !role.is_empty() && is_fixed(role))
            }
            KeyKind::AccessPointArn => is_fixed(value) || access_point_wildcard_name(value),
        })
}

/// `arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME` where only NAME has wildcards.
fn access_point_wildcard_name(value: &str) -> bool {
    let Some((head, name)) = value.split_once(":accesspoint/") else {
        return false;
    };
    let parts: Vec<&str> = head.split(':').collect();
    matches!(parts.as_slice(), ["arn", partition, "s3", region, account]
        if [partition, region, account].iter().all(|p| !p.is_empty() && is_fixed(p)))
        && !name.contains('/')
}

/// A CIDR (or a bare address) that S3 does not consider public: not broader
/// than /8 for IPv4 or /32 for IPv6. (RFC 1918 ranges, which S3 exempts, are
/// all /8 or narrower, so they need no special case.)
fn narrow_cidr(value: &str) -> bool {
    let (address, prefix) = match value.trim().split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (value.trim(), None),
    };
    let Ok(address) = address.parse::<IpAddr>() else {
        return false;
    };
    let (max, narrowest_public) = match address {
        IpAddr::V4(_) => (32, 8),
        IpAddr::V6(_) => (128, 32),
    };
    let prefix = match prefix {
        None => max,
        Some(p) => match p.parse::<u8>() {
            Ok(p) if p <= max => p,
            _ => return false,
        },
    };
    prefix >= narrowest_public
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(operator: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: operator.into(),
            key: key.into(),
            values: values.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn restriction_of_operators() {
        let r = |op: &str| restriction(&cond(op, "aws:SourceAccount", &["111122223333"]));
        assert_eq!(r("StringEquals"), Restriction::OneOf);
        assert_eq!(r("ForAnyValue:StringLike"), Restriction::OneOf);
        assert_eq!(r("ArnLike"), Restriction::OneOf);
        assert_eq!(r("StringEqualsIfExists"), Restriction::Other);
        assert_eq!(r("ForAllValues:StringEquals"), Restriction::Other);
        assert_eq!(r("StringNotEquals"), Restriction::NoneOf);
        assert_eq!(r("StringNotEqualsIfExists"), Restriction::NoneOf);
        assert_eq!(r("ForAnyValue:StringNotEquals"), Restriction::Other);
        assert_eq!(r("NumericEquals"), Restriction::Other);
        assert_eq!(r("Bogus"), Restriction::Other);
    }

    #[test]
    fn cidr_breadth() {
        for narrow in [
            "203.0.113.0/24",
            "10.0.0.0/8",
            "192.0.2.7",
            "192.0.2.7/32",
            "2001:db8::/32",
            "2001:db8::1",
            " 198.51.100.0/24 ",
        ] {
            assert!(narrow_cidr(narrow), "{narrow}");
        }
        for broad in [
            "0.0.0.0/0",
            "0.0.0.0/1",
            "10.0.0.0/7",
            "::/0",
            "2001:db8::/31",
            "*",
            "1.2.3.4/33",
            "1.2.3.4/",
            "not-an-ip/8",
            "::/-1",
        ] {
            assert!(!narrow_cidr(broad), "{broad}");
        }
    }

    #[test]
    fn allow_pins() {
        let yes = [
            cond(
                "IpAddress",
                "aws:SourceIp",
                &["203.0.113.0/24", "198.51.100.7"],
            ),
            cond("StringEquals", "aws:SourceVpce", &["vpce-1a2b3c"]),
            cond("StringEquals", "AWS:SOURCEVPC", &["vpc-91237329"]),
            cond("StringLike", "aws:PrincipalOrgID", &["o-abc123"]),
            cond(
                "ForAnyValue:StringEquals",
                "aws:PrincipalAccount",
                &["111122223333"],
            ),
            cond(
                "ArnEquals",
                "aws:SourceArn",
                &["arn:aws:cloudfront::111122223333:distribution/E1"],
            ),
            cond("StringLike", "aws:userid", &["AROAEXAMPLEID:*"]),
            cond("StringEquals", "aws:userid", &["AIDAEXAMPLE"]),
            cond(
                "ArnLike",
                "s3:DataAccessPointArn",
                &["arn:aws:s3:us-west-2:123456789012:accesspoint/*"],
            ),
            cond(
                "StringEquals",
                "s3:DataAccessPointAccount",
                &["123456789012"],
            ),
            cond(
                "StringEquals",
                "s3:x-amz-server-side-encryption-aws-kms-key-id",
                &["arn:aws:kms:us-east-1:111122223333:key/k"],
            ),
        ];
        for c in &yes {
            assert!(pins_allow(c), "{c:?}");
        }
        let no = [
            cond("IpAddress", "aws:SourceIp", &["0.0.0.0/0"]),
            cond(
                "IpAddress",
                "aws:SourceIp",
                &["203.0.113.0/24", "0.0.0.0/1"],
            ),
            cond("IpAddressIfExists", "aws:SourceIp", &["203.0.113.0/24"]),
            cond("StringEqualsIfExists", "aws:SourceVpce", &["vpce-1"]),
            cond("StringLike", "aws:SourceVpc", &["vpc-*"]),
            cond("StringLike", "aws:SourceVpce", &["vpce-?"]),
            cond(
                "StringEquals",
                "aws:SourceAccount",
                &["${aws:PrincipalAccount}"],
            ),
            cond(
                "ForAllValues:StringEquals",
                "aws:PrincipalOrgID",
                &["o-abc"],
            ),
            cond("StringNotEquals", "aws:SourceVpce", &["vpce-1"]),
            cond("NotIpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
            cond("StringEquals", "aws:SourceIp", &["203.0.113.0/24"]),
            cond("IpAddress", "aws:SourceVpce", &["203.0.113.0/24"]),
            cond("StringEquals", "aws:Referer", &["https://example.com"]),
            cond("Bool", "aws:SecureTransport", &["true"]),
            cond("StringEquals", "aws:SourceVpce", &[]),
            cond("StringLike", "aws:userid", &["*"]),
            cond("StringLike", "aws:userid", &[":*"]),
            cond(
                "ArnLike",
                "s3:DataAccessPointArn",
                &["arn:aws:s3:us-west-2:*:accesspoint/*"],
            ),
            cond("ArnLike", "s3:DataAccessPointArn", &["arn:aws:s3:*"]),
            cond("Foo:StringEquals", "aws:SourceVpce", &["vpce-1"]),
        ];
        for c in &no {
            assert!(!pins_allow(c), "{c:?}");
        }
    }

    #[test]
    fn deny_pins() {
        let yes = [
            cond("NotIpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
            cond("StringNotEquals", "aws:SourceVpce", &["vpce-1"]),
            cond("StringNotEqualsIfExists", "aws:PrincipalOrgID", &["o-abc"]),
            cond("StringNotEquals", "aws:PrincipalAccount", &["111122223333"]),
            cond(
                "ArnNotLike",
                "aws:PrincipalArn",
                &["arn:aws:iam::111122223333:role/r"],
            ),
        ];
        for c in &yes {
            assert!(pins_deny(c), "{c:?}");
        }
        let no = [
            cond("NotIpAddress", "aws:SourceIp", &["0.0.0.0/0"]),
            cond("StringNotLike", "aws:SourceVpce", &["vpce-*"]),
            cond("ForAnyValue:StringNotEquals", "aws:SourceVpce", &["vpce-1"]),
            cond("StringEquals", "aws:SourceVpce", &["vpce-1"]),
            cond("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
            cond("Bool", "aws:SecureTransport", &["false"]),
        ];
        for c in &no {
            assert!(!pins_deny(c), "{c:?}");
        }
    }
}
