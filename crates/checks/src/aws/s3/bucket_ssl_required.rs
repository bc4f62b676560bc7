//! S3 bucket policies that do not deny requests made without TLS.
//!
//! Security Hub S3.5 (FSBP) and CIS AWS Foundations v3.0.0 2.1.1, as AWS Config's
//! `s3-bucket-ssl-requests-only` reads them: the bucket policy must hold a statement with
//! `"Effect": "Deny"`, `"Principal": "*"`, actions covering all of S3 (`s3:*` or `*`),
//! resources covering the bucket and all its objects, and the condition
//! `"Bool": {"aws:SecureTransport": "false"}`. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use rampart_policy::{action_matches, Effect, PolicyDocument, Principal, Statement};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_ssl_required",
        title: "S3 bucket policies do not require requests to use SSL",
        description: "Unless the bucket policy denies requests with aws:SecureTransport false, clients may read and write the bucket over plain HTTP, where the data and signed requests can be intercepted.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::cis("2.1.1"), StandardRef::fsbp("S3.5")],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions > Bucket policy > Edit: add a statement {\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::<bucket>\",\"arn:aws:s3:::<bucket>/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}.",
            cli: "aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json (the existing policy plus the Deny statement for aws:SecureTransport false)",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        },
    },
    run,
};

fn everyone(p: &Option<Principal>) -> bool {
    match p {
        Some(Principal::Any) => true,
        Some(Principal::Specific(m)) => m.iter().any(|(k, v)| k == "AWS" && v.iter().any(|x| x == "*")),
        None => false,
    }
}

/// Whether some pattern covers `arn` (written with a literal `*` for "every object").
fn covers(patterns: &Option<Vec<String>>, arn: &str) -> bool {
    patterns.as_ref().is_some_and(|ps| ps.iter().any(|p| !p.contains('?') && action_matches(p, arn)))
}

fn denies_plain_http(s: &Statement, bucket_arn: &str) -> bool {
    s.effect == Effect::Deny
        && everyone(&s.principal)
        && s.action.as_ref().is_some_and(|a| a.iter().any(|p| !p.contains('?') && action_matches(p, "s3:*")))
        && covers(&s.resource, bucket_arn)
        && covers(&s.resource, &format!("{bucket_arn}/*"))
        && s.conditions.iter().any(|c| {
            matches!(c.operator.as_str(), "Bool" | "BoolIfExists")
                && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
        })
}

/// Whether the policy requires TLS for every request to the bucket and its objects.
pub fn requires_ssl(doc: &PolicyDocument, bucket_arn: &str) -> bool {
    doc.statements.iter().any(|s| denies_plain_http(s, bucket_arn))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |account, bucket, res, out| {
        let text = match &bucket.policy {
            Observed::Known(Some(t)) => t,
            Observed::Known(None) => return out.fail(res, "the bucket has no policy, so requests over plain HTTP are not denied"),
            Observed::Unknown(why) => return out.not_available(res, format!("bucket policy could not be read: {why}")),
        };
        let doc = match rampart_policy::parse(text) {
            Ok(d) => d,
            Err(e) => return out.malformed(res, format!("bucket policy is not valid: {e}")),
        };
        let arn = format!("arn:{}:s3:::{}", account.partition, bucket.name);
        if requires_ssl(&doc, &arn) {
            out.pass(res, "the bucket policy denies every request made without TLS (aws:SecureTransport false)");
        } else {
            out.fail(res, "no bucket policy statement denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn policy(stmt: &str) -> rampart_inventory::Inventory {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:root"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}},{stmt}]}}"#);
        with_bucket(|b| b.policy = Observed::Known(Some(text)))
    }

    const GOOD: &str = r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#;

    #[test]
    fn pass() {
        assert_eq!(single(&CHECK, &policy(GOOD)).0, Status::Passed);
        let alt = r#"{"Effect":"Deny","Principal":{"AWS":"*"},"Action":["*"],"Resource":"arn:aws:s3:::b*","Condition":{"Bool":{"aws:securetransport":false}}}"#;
        assert_eq!(single(&CHECK, &policy(alt)).0, Status::Passed);
    }

    #[test]
    fn fail() {
        for bad in [
            GOOD.replace("Deny", "Allow"),
            GOOD.replace(r#""false""#, r#""true""#),
            GOOD.replace(r#""s3:*""#, r#""s3:GetObject""#),
            GOOD.replace(r#""arn:aws:s3:::b","#, ""),
            GOOD.replace(r#","arn:aws:s3:::b/*""#, ""),
            GOOD.replace(r#""*""#, r#"{"AWS":"arn:aws:iam::123456789012:root"}"#),
        ] {
            assert_eq!(single(&CHECK, &policy(&bad)).0, Status::Failed, "{bad}");
        }
        assert_eq!(single(&CHECK, &with_bucket(|b| b.policy = Observed::Known(None))).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with_bucket(|b| b.policy = Observed::Unknown("s3:GetBucketPolicy access denied".into()))).0, Status::NotAvailable);
        let r = run_check(&CHECK, &with_bucket(|b| b.policy = Observed::Known(Some("{not json".into()))));
        assert_eq!(r[0].status, Status::NotAvailable);
    }
}
