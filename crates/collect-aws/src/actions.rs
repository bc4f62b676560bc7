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

#[cfg(test)]
mod tests {
    use super::*;

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
