//! S3 replication to a bucket of an outside account (`PutBucketReplication` whose rule names
//! a destination `Account` that is neither the bucket's nor a trusted one): every new object
//! is copied out of the account.

use crate::rules::each;
use crate::{ok, param, Hit, Rule, Thresholds};
use rampart_cloudtrail::Event;
use rampart_model::Severity;
use serde_json::Value;

pub static RULE: Rule = Rule {
    id: "threat_replication_outside",
    title: "S3 replication to an outside account",
    guardduty_type: "",
    severity: Severity::High,
    tactic: "Exfiltration",
    technique: "T1537",
    technique_name: "Transfer Data to Cloud Account",
    description: "A bucket's replication was set to copy its objects to a bucket owned by an account outside the organisation.",
    remediation: "Remove the replication rule, find out what was replicated already, and confirm the change with the bucket's owner.",
};

/// The destination accounts of a replication configuration (any `Destination.Account`).
fn destinations(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k.eq_ignore_ascii_case("Destination") {
                    if let Some(a) = x.get("Account").and_then(Value::as_str) {
                        out.push(a.to_string());
                    }
                }
                destinations(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| destinations(x, out)),
        _ => {}
    }
}

pub fn run<'a>(events: &[&'a Event], t: &Thresholds, out: &mut Vec<Hit<'a>>) {
    each(&RULE, events, out, |e| {
        if !(ok(e) && e.source == "s3.amazonaws.com" && e.name == "PutBucketReplication") {
            return None;
        }
        let mut accounts = Vec::new();
        destinations(&e.request, &mut accounts);
        accounts.retain(|a| t.outside(a, &e.account));
        accounts.sort();
        accounts.dedup();
        (!accounts.is_empty()).then(|| {
            format!(
                "PutBucketReplication replicates the bucket `{}` to account {}.",
                param(e, "bucketName").unwrap_or("?"),
                accounts.join(", ")
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::*;
    use serde_json::json;

    #[test]
    fn a_destination_in_an_outside_account_is_seen_and_one_in_the_same_account_is_not() {
        let rule = |account: &str| {
            json!({"bucketName": "b", "ReplicationConfiguration": {"Role": "arn:aws:iam::111122223333:role/r",
            "Rule": [{"ID": "r1", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::dest", "Account": account}}]}})
        };
        let r = [
            record("out", "s3", "PutBucketReplication", alice(), 0, rule("999988887777")),
            record("own", "s3", "PutBucketReplication", alice(), 1, rule(ACCOUNT)),
            record(
                "none",
                "s3",
                "PutBucketReplication",
                alice(),
                2,
                json!({"bucketName": "b", "ReplicationConfiguration": {"Rule": {"Destination": {"Bucket": "arn:aws:s3:::d"}}}}),
            ),
        ];
        assert_eq!(seen_by("threat_replication_outside", &r), vec![vec!["out"]]);
    }
}
