//! An S3 bucket opened to everyone: a bucket policy that allows `*` without a condition,
//! or an ACL granting the AllUsers or AuthenticatedUsers groups.

use crate::policy::{allows, aws_principals, conditional, document};
use crate::rules::each;
use crate::{ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;

pub static RULE: Rule = Rule {
    id: "threat_bucket_made_public",
    title: "S3 bucket made public",
    guardduty_type: "Policy:S3/BucketAnonymousAccessGranted",
    severity: Severity::High,
    tactic: "Exfiltration",
    technique: "T1537",
    technique_name: "Transfer Data to Cloud Account",
    description: "A bucket policy or ACL was written that grants access to everyone (any principal, or all AWS users): the bucket's objects can be read from outside.",
    remediation: "Remove the public statement or grant, turn on S3 Block Public Access for the bucket and the account, and check the bucket's access logs.",
};

const ALL_USERS: &[&str] =
    &["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

pub fn run<'a>(events: &[&'a Event], _: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !(ok(e) && e.source == "s3.amazonaws.com") {
            return None;
        }
        let bucket = param(e, "bucketName").unwrap_or("?");
        match e.name.as_str() {
            "PutBucketPolicy" => {
                let doc = document(e.request.get("bucketPolicy").or_else(|| e.request.get("policy")))?;
                allows(&doc)
                    .iter()
                    .any(|s| !conditional(s) && aws_principals(s).iter().any(|p| p == "*"))
                    .then(|| format!("PutBucketPolicy lets any principal access the bucket `{bucket}`."))
            }
            "PutBucketAcl" => {
                let text = e.request.to_string();
                let canned = param(e, "x-amz-acl").is_some_and(|a| a.starts_with("public-") || a == "authenticated-read");
                (canned || ALL_USERS.iter().any(|g| text.contains(g)))
                    .then(|| format!("PutBucketAcl grants everyone access to the bucket `{bucket}`."))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_policy_or_acl_for_everyone_is_seen_and_conditioned_or_named_ones_are_not() {
        let public =
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
        let org = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]});
        let named = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "s3:GetObject", "Resource": "*"}]});
        let r = [
            record("pub", "s3", "PutBucketPolicy", alice(), 0, json!({"bucketName": "b", "bucketPolicy": public})),
            record("org", "s3", "PutBucketPolicy", alice(), 1, json!({"bucketName": "b", "bucketPolicy": org})),
            record("named", "s3", "PutBucketPolicy", alice(), 2, json!({"bucketName": "b", "bucketPolicy": named})),
            record("acl", "s3", "PutBucketAcl", alice(), 3, json!({"bucketName": "b", "x-amz-acl": ["public-read"]})),
            record(
                "grant",
                "s3",
                "PutBucketAcl",
                alice(),
                4,
                json!({"bucketName": "b", "AccessControlPolicy": {"AccessControlList": {"Grant": [{"Grantee": {"URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}}}),
            ),
            record("private", "s3", "PutBucketAcl", alice(), 5, json!({"bucketName": "b", "x-amz-acl": ["private"]})),
        ];
        assert_eq!(seen_by("threat_bucket_made_public", &r), vec![vec!["pub"], vec!["grant"]]);
    }
}
