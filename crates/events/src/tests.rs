//! Each operator on the documented examples, their combinations, and the refusals.

use crate::{Event, Pattern};
use serde_json::{json, Value};

fn event() -> Value {
    json!({
        "version": "0", "id": "e1", "detail-type": "Security Hub Findings - Imported", "source": "rampart.hub",
        "account": "111122223333", "time": "2026-12-07T10:00:00Z", "region": "eu-west-1",
        "resources": ["arn:aws:s3:::prod-logs", "arn:aws:s3:::dev-data"],
        "detail": {
            "findings": [
                {"Severity": {"Label": "HIGH", "Normalized": 70}, "Workflow": {"Status": "NEW"}, "GeneratorId": "s3_bucket_public_read",
                 "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::prod-logs"}], "SourceIp": "10.0.1.25", "Note": null},
                {"Severity": {"Label": "LOW", "Normalized": 1}, "Workflow": {"Status": "SUPPRESSED"}, "GeneratorId": "iam_root_mfa",
                 "Resources": [{"Type": "AwsAccount", "Id": "AWS::::Account:111122223333"}]}
            ],
            "count": 2, "flag": true
        }
    })
}

fn m(p: Value) -> bool {
    Pattern::parse(&p).unwrap_or_else(|e| panic!("{p}: {e}")).matches(&event())
}

#[test]
fn literals_match_exactly_and_any_listed_value_will_do() {
    assert!(m(json!({"source": ["rampart.hub"]})));
    assert!(!m(json!({"source": ["aws.securityhub"]})));
    assert!(m(json!({"source": ["aws.securityhub", "rampart.hub"]})), "OR within a field");
    assert!(!m(json!({"source": ["rampart.hub"], "region": ["us-east-1"]})), "AND across fields");
    assert!(m(json!({"detail": {"count": [2]}})));
    assert!(m(json!({"detail": {"count": [2.0]}})), "numbers compare as numbers");
    assert!(m(json!({"detail": {"flag": [true]}})));
    assert!(!m(json!({"detail": {"flag": ["true"]}})), "a string is not a boolean");
    assert!(!m(json!({"Source": ["rampart.hub"]})), "keys are case-sensitive");
}

#[test]
fn arrays_in_the_event_match_when_any_element_does() {
    assert!(m(json!({"resources": ["arn:aws:s3:::dev-data"]})));
    assert!(m(json!({"detail": {"findings": {"Severity": {"Label": ["HIGH"]}}}})));
    assert!(m(json!({"detail": {"findings": {"Resources": {"Type": ["AwsAccount"]}}}})));
    assert!(!m(json!({"detail": {"findings": {"Severity": {"Label": ["CRITICAL"]}}}})));
}

#[test]
fn text_operators() {
    assert!(m(json!({"detail-type": [{"prefix": "Security Hub"}]})));
    assert!(m(json!({"detail-type": [{"prefix": {"equals-ignore-case": "security hub"}}]})));
    assert!(!m(json!({"detail-type": [{"prefix": "security hub"}]})));
    assert!(m(json!({"detail-type": [{"suffix": "Imported"}]})));
    assert!(m(json!({"detail-type": [{"suffix": {"equals-ignore-case": "IMPORTED"}}]})));
    assert!(m(json!({"region": [{"equals-ignore-case": "EU-WEST-1"}]})));
    assert!(m(json!({"resources": [{"wildcard": "arn:aws:s3:::prod-*"}]})));
    assert!(m(json!({"resources": [{"wildcard": "*:::*-data"}]})));
    assert!(!m(json!({"resources": [{"wildcard": "arn:aws:ec2:*"}]})));
    assert!(!m(json!({"detail": {"count": [{"prefix": "2"}]}})), "text operators match strings only");
}

#[test]
fn anything_but() {
    assert!(m(json!({"region": [{"anything-but": "us-east-1"}]})));
    assert!(!m(json!({"region": [{"anything-but": ["eu-west-1", "us-east-1"]}]})));
    assert!(m(json!({"region": [{"anything-but": {"prefix": "us-"}}]})));
    assert!(!m(json!({"region": [{"anything-but": {"suffix": "-1"}}]})));
    assert!(!m(json!({"region": [{"anything-but": {"equals-ignore-case": "EU-WEST-1"}}]})));
    assert!(m(json!({"detail": {"count": [{"anything-but": 3}]}})));
    assert!(!m(json!({"detail": {"count": [{"anything-but": [2]}]}})));
    assert!(!m(json!({"detail": {"missing": [{"anything-but": "x"}]}})), "an absent field is not 'anything but'");
    assert!(!m(json!({"detail": {"findings": {"Note": [{"anything-but": "x"}]}}})), "nor is null");
}

#[test]
fn numeric_ranges() {
    assert!(m(json!({"detail": {"count": [{"numeric": [">", 0, "<=", 5]}]}})));
    assert!(!m(json!({"detail": {"count": [{"numeric": [">", 2]}]}})));
    assert!(m(json!({"detail": {"count": [{"numeric": ["=", 2]}]}})));
    assert!(m(json!({"detail": {"findings": {"Severity": {"Normalized": [{"numeric": [">=", 70]}]}}}})));
    assert!(!m(json!({"region": [{"numeric": [">", 0]}]})), "numeric matches numbers only");
}

#[test]
fn exists_and_null() {
    assert!(m(json!({"detail": {"count": [{"exists": true}]}})));
    assert!(m(json!({"detail": {"missing": [{"exists": false}]}})));
    assert!(!m(json!({"detail": {"missing": [{"exists": true}]}})));
    assert!(!m(json!({"detail": {"count": [{"exists": false}]}})));
    assert!(m(json!({"detail": {"findings": {"Note": [null]}}})), "a literal null matches a null");
    assert!(m(json!({"detail": {"findings": {"Note": [{"exists": true}]}}})), "a null is present");
    assert!(!m(json!({"nothing": {"deeper": [{"exists": true}]}})));
}

#[test]
fn cidr_blocks() {
    assert!(m(json!({"detail": {"findings": {"SourceIp": [{"cidr": "10.0.0.0/16"}]}}})));
    assert!(!m(json!({"detail": {"findings": {"SourceIp": [{"cidr": "10.1.0.0/16"}]}}})));
    assert!(m(json!({"detail": {"findings": {"SourceIp": [{"cidr": "0.0.0.0/0"}]}}})));
    assert!(!m(json!({"detail": {"findings": {"SourceIp": [{"cidr": "::/0"}]}}})), "an IPv4 address is in no IPv6 block");
}

#[test]
fn or_alternatives() {
    assert!(m(json!({"source": ["rampart.hub"], "$or": [{"region": ["us-east-1"]}, {"detail": {"count": [2]}}]})));
    assert!(!m(json!({"$or": [{"region": ["us-east-1"]}, {"detail": {"count": [3]}}]})));
}

#[test]
fn bad_patterns_are_refused_naming_where() {
    let e = |p: Value| Pattern::parse(&p).unwrap_err().to_string();
    assert!(e(json!(["x"])).contains("a pattern is a JSON object"));
    assert!(e(json!({})).contains("empty pattern"));
    assert!(e(json!({"detail": {"count": []}})).contains("detail.count"));
    assert!(e(json!({"source": "x"})).contains("a list"));
    assert!(e(json!({"source": [{"regex": "x"}]})).contains("unknown operator `regex`"));
    assert!(e(json!({"source": [{"prefix": 3}]})).contains("`prefix` takes a string"));
    assert!(e(json!({"n": [{"numeric": [">", "x"]}]})).contains("numbers"));
    assert!(e(json!({"n": [{"numeric": ["~", 1]}]})).contains("operators"));
    assert!(e(json!({"n": [{"numeric": [">", 1, "<"]}]})).contains("pairs"));
    assert!(e(json!({"n": [{"exists": "yes"}]})).contains("true or false"));
    assert!(e(json!({"n": [{"cidr": "10.0.0.0/33"}]})).contains("not a CIDR block"));
    assert!(e(json!({"n": [{"prefix": "a", "suffix": "b"}]})).contains("exactly one operator"));
    assert!(e(json!({"n": [{"anything-but": {"numeric": [">", 1]}}]})).contains("cannot hold `numeric`"));
    assert!(e(json!({"$or": [{"a": ["b"]}]})).contains("at least two"));
    assert!(Pattern::parse_str("{not json").unwrap_err().to_string().contains("not JSON"));
    let mut deep = json!({"x": ["y"]});
    for _ in 0..40 {
        deep = json!({ "d": deep });
    }
    assert!(e(deep).contains("nested more than"));
}

#[test]
fn an_event_round_trips_through_its_envelope_and_matches_by_its_fields() {
    let ev: Event = serde_json::from_value(event()).unwrap();
    assert_eq!(ev.detail_type, crate::DETAIL_TYPE_IMPORTED);
    let back = ev.to_json();
    assert_eq!(back["detail-type"], "Security Hub Findings - Imported");
    assert_eq!(back["time"], "2026-12-07T10:00:00Z");
    assert!(Pattern::parse(&json!({"detail-type": [crate::DETAIL_TYPE_IMPORTED], "account": ["111122223333"]})).unwrap().matches(&back));
}
