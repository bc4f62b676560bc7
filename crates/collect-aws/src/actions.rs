//! The IAM actions the collector calls, extracted from the call sites at build time.

include!(concat!(env!("OUT_DIR"), "/actions.rs"));

/// The least-privilege, read-only IAM policy that lets `rampart scan aws` and `rampart import
/// aws` read everything they read, as pretty-printed JSON.
pub fn iam_policy() -> String {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "RampartReadOnlyScan",
            "Effect": "Allow",
            "Action": ACTIONS,
            "Resource": "*"
        }]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The policy of the identity that scans many accounts (`--org`, `--accounts`): the management
/// account or a delegated administrator lists the organisation's accounts, and assumes the
/// member role `role` (a name, with its path if any) in each. Generated from `ORG_ACTIONS`:
/// the calls of `org.rs`. (The accounts it reads with its own credentials, its own among them,
/// need [`iam_policy`] too.)
pub fn management_policy(partition: &str, role: &str) -> String {
    let (assume, list): (Vec<&str>, Vec<&str>) = ORG_ACTIONS.iter().partition(|a| a.starts_with("sts:"));
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RampartListAccounts",
                "Effect": "Allow",
                "Action": list,
                "Resource": "*"
            },
            {
                "Sid": "RampartAssumeMemberRole",
                "Effect": "Allow",
                "Action": assume,
                "Resource": crate::org::role_arn(partition, "*", role)
            }
        ]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The bucket name `rampart iam-policy watch` prints when none is given.
pub const BUCKET_PLACEHOLDER: &str = "BUCKET";

/// The policy of the identity that watches a trail (`rampart watch cloudtrail`): the trail
/// bucket's reads (`WATCH_ACTIONS`, the calls of `trail_logs.rs`), scoped to that bucket
/// (`s3:ListBucket`, `s3:GetBucketLocation`) and to its CloudTrail log files
/// (`s3:GetObject` on `BUCKET/*AWSLogs/*`, any trail prefix before `AWSLogs/`). The resources
/// it re-reads after a change need [`iam_policy`] too; the scanning policy itself never
/// grants reading objects.
pub fn watch_policy(partition: &str, bucket: &str) -> String {
    let (objects, bucket_level): (Vec<&str>, Vec<&str>) = WATCH_ACTIONS.iter().partition(|a| a.ends_with("Object"));
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RampartWatchTrailBucket",
                "Effect": "Allow",
                "Action": bucket_level,
                "Resource": format!("arn:{partition}:s3:::{bucket}")
            },
            {
                "Sid": "RampartWatchTrailLogFiles",
                "Effect": "Allow",
                "Action": objects,
                "Resource": format!("arn:{partition}:s3:::{bucket}/*AWSLogs/*")
            }
        ]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The trust policy of the member role: the scanning account may assume it (its
/// administrators then decide which of its identities may, through their own policies),
/// with `sts:ExternalId` required when one is given.
pub fn member_trust_policy(partition: &str, scanning_account: &str, external_id: Option<&str>) -> String {
    let assume: Vec<&str> = ORG_ACTIONS.iter().copied().filter(|a| a.starts_with("sts:")).collect();
    let mut statement = serde_json::json!({
        "Sid": "RampartScanner",
        "Effect": "Allow",
        "Principal": { "AWS": format!("arn:{partition}:iam::{scanning_account}:root") },
        "Action": assume,
    });
    if let Some(id) = external_id {
        statement["Condition"] = serde_json::json!({ "StringEquals": { "sts:ExternalId": id } });
    }
    let doc = serde_json::json!({ "Version": "2012-10-17", "Statement": [statement] });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_calls_make_the_management_policy_and_only_it() {
        assert_eq!(ORG_ACTIONS, &["organizations:ListAccounts", "sts:AssumeRole"]);
        for a in ORG_ACTIONS {
            assert!(!ACTIONS.contains(a), "{a} is not for the member role");
            let (svc, op) = a.split_once(':').unwrap();
            assert!(crate::guard::is_allowed(svc, op), "{a} would be refused by the guard");
        }
        let p: serde_json::Value = serde_json::from_str(&management_policy("aws", "audit/Rampart")).unwrap();
        assert_eq!(p["Statement"][0]["Action"], serde_json::json!(["organizations:ListAccounts"]));
        assert_eq!(p["Statement"][0]["Resource"], "*");
        assert_eq!(p["Statement"][1]["Action"], serde_json::json!(["sts:AssumeRole"]));
        assert_eq!(p["Statement"][1]["Resource"], "arn:aws:iam::*:role/audit/Rampart");

        let t: serde_json::Value = serde_json::from_str(&member_trust_policy("aws", "111122223333", Some("ext-1"))).unwrap();
        let s = &t["Statement"][0];
        assert_eq!(s["Principal"]["AWS"], "arn:aws:iam::111122223333:root");
        assert_eq!(s["Action"], serde_json::json!(["sts:AssumeRole"]));
        assert_eq!(s["Condition"]["StringEquals"]["sts:ExternalId"], "ext-1");
        let t: serde_json::Value = serde_json::from_str(&member_trust_policy("aws-us-gov", "111122223333", None)).unwrap();
        assert!(t["Statement"][0].get("Condition").is_none(), "{t}");
        assert_eq!(t["Statement"][0]["Principal"]["AWS"], "arn:aws-us-gov:iam::111122223333:root");
    }

    #[test]
    fn trail_bucket_reads_are_only_in_the_watch_policy_scoped_to_the_bucket() {
        for a in ["s3:GetObject", "s3:ListBucket"] {
            assert!(!ACTIONS.contains(&a), "{a} must not be granted on every bucket by the scanning policy");
            assert!(WATCH_ACTIONS.contains(&a), "{WATCH_ACTIONS:?}");
        }
        for a in WATCH_ACTIONS {
            let (svc, op) = a.split_once(':').unwrap();
            assert!(crate::guard::is_allowed(svc, op) && crate::guard::is_read_only(op), "{a}");
        }
        let p: serde_json::Value = serde_json::from_str(&watch_policy("aws-cn", "trail-logs")).unwrap();
        let s = p["Statement"].as_array().unwrap();
        assert_eq!(s.len(), 2);
        assert!(s[0]["Action"].as_array().unwrap().contains(&serde_json::json!("s3:ListBucket")), "{p}");
        assert_eq!(s[0]["Resource"], "arn:aws-cn:s3:::trail-logs");
        assert_eq!(s[1]["Action"], serde_json::json!(["s3:GetObject"]));
        assert_eq!(s[1]["Resource"], "arn:aws-cn:s3:::trail-logs/*AWSLogs/*");
        let text = iam_policy();
        assert!(!text.contains("s3:GetObject") && !text.contains("\"s3:ListBucket\""), "{text}");
    }

    #[test]
    fn actions_are_read_only_and_well_formed() {
        assert!(ACTIONS.len() > 20, "{ACTIONS:?}");
        for a in ACTIONS {
            let (svc, op) = a.split_once(':').expect("service:Action");
            assert!(!svc.is_empty() && svc.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()), "{a}");
            assert!(crate::guard::is_read_only(op), "{a} is not a read-only action");
        }
        assert!(ACTIONS.contains(&"ec2:DescribeSecurityGroups"));
        assert!(ACTIONS.contains(&"s3:GetBucketPolicy"));
    }
}
