//! S3 bucket policies that do not deny requests made without TLS.
//!
//! Security Hub S3.5 (FSBP) and CIS AWS Foundations v3.0.0 2.1.1, as AWS Config's
//! `s3-bucket-ssl-requests-only` reads them: the bucket policy must hold a statement with
//! `"Effect": "Deny"`, `"Principal": "*"`, actions covering all of S3 (`s3:*` or `*`),
//! resources covering the bucket and all its objects, and the condition
//! `"Bool": {"aws:SecureTransport": "false"}`. One result per bucket.
//!
//! AWS: "Checks if S3 buckets have policies that require requests to use SSL/TLS. The rule is
//! NON_COMPLIANT if any S3 bucket has policies allowing HTTP requests." (AWS Config,
//! `s3-bucket-ssl-requests-only`, the rule behind S3.5,
//! <https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-ssl-requests-only.html>).
//! CIS 2.1.1 (as its description reads in public copies; the benchmark itself was not read
//! here): "Bucket policies that allow HTTPS requests without explicitly denying HTTP requests
//! will not comply with this recommendation."
//! CIS's remediation statement (same copies) names only `arn:aws:s3:::<bucket>/*`; a bucket
//! that follows it to the letter fails here, because S3.5's rule (the AWS Knowledge Center's
//! compliant example) denies on the bucket and its objects: the stricter reading is kept.
//!
//! Several statements: the bucket and its objects may be covered by two deny statements (one
//! for `arn:aws:s3:::b`, one for `arn:aws:s3:::b/*`): together they deny every plain-HTTP
//! request, so the bucket passes. A deny that carries any condition besides
//! `aws:SecureTransport` (a source IP, a VPC endpoint, a principal tag) only denies plain HTTP to
//! some requests and leaves it allowed to the others, so it does not count.

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

/// Whether `s` denies every S3 action to everyone whenever `aws:SecureTransport` is false, on
/// whatever resources it names. Its only condition must be that one: any other condition
/// narrows the deny to some requests.
fn denies_plain_http(s: &Statement) -> bool {
    s.effect == Effect::Deny
        && everyone(&s.principal)
        && s.action.as_ref().is_some_and(|a| a.iter().any(|p| !p.contains('?') && action_matches(p, "s3:*")))
        && !s.conditions.is_empty()
        && s.conditions.iter().all(|c| {
            matches!(c.operator.as_str(), "Bool" | "BoolIfExists")
                && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
        })
}

/// Whether the policy requires TLS for every request to the bucket and its objects: the
/// denying statements together cover both the bucket and `bucket/*`.
pub fn requires_ssl(doc: &PolicyDocument, bucket_arn: &str) -> bool {
    let denies: Vec<&Statement> = doc.statements.iter().filter(|s| denies_plain_http(s)).collect();
    denies.iter().any(|s| covers(&s.resource, bucket_arn)) && denies.iter().any(|s| covers(&s.resource, &format!("{bucket_arn}/*")))
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
            out.fail(
                res,
                "no bucket policy statement denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false",
            );
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
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:root"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}},{stmt}]}}"#
        );
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

    /// The boundary between statements: a deny split over two statements (bucket, objects)
    /// covers both; a deny over the objects only, next to an allow, leaves the bucket's own
    /// operations open over HTTP; a deny narrowed by a second condition leaves other requests
    /// open (it was counted before).
    #[test]
    fn several_statements() {
        let bucket_only = GOOD.replace(r#","arn:aws:s3:::b/*""#, "");
        let objects_only = GOOD.replace(r#""arn:aws:s3:::b","#, "");
        assert_eq!(single(&CHECK, &policy(&format!("{bucket_only},{objects_only}"))).0, Status::Passed);
        assert_eq!(single(&CHECK, &policy(&format!("{objects_only},{objects_only}"))).0, Status::Failed);
        let narrowed = GOOD.replace(
            r#""Bool":{"aws:SecureTransport":"false"}"#,
            r#""Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#,
        );
        assert_ne!(narrowed, GOOD);
        assert_eq!(single(&CHECK, &policy(&narrowed)).0, Status::Failed);
        let narrowed_split =
            format!("{bucket_only},{}", objects_only.replace(r#"}}}"#, r#"},"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}"#));
        assert_eq!(single(&CHECK, &policy(&narrowed_split)).0, Status::Failed, "{narrowed_split}");
    }

    #[test]
    fn not_available() {
        assert_eq!(
            single(&CHECK, &with_bucket(|b| b.policy = Observed::Unknown("s3:GetBucketPolicy access denied".into()))).0,
            Status::NotAvailable
        );
        let r = run_check(&CHECK, &with_bucket(|b| b.policy = Observed::Known(Some("{not json".into()))));
        assert_eq!(r[0].status, Status::NotAvailable);
    }
}
