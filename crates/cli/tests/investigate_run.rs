//! `rampart investigate run | group` as a user runs them, on the embedded store: synthetic
//! CloudTrail sign-ins ingested with a GeoIP database the test builds, then an
//! investigation (text and JSON) and the finding groups; what is not configured is
//! NOT_AVAILABLE and says what to set.

use rampart_graph::mmdb::{asn_record, city_record, Writer};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env_remove("RAMPART_DB").output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).to_string(), String::from_utf8_lossy(&o.stderr).to_string())
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn rec(id: &str, time: &str, name: &str, ip: &str, ua: &str, mfa: Option<&str>) -> Value {
    let signin = name == "ConsoleLogin";
    let mut r = json!({
        "eventVersion": "1.09", "eventID": id, "eventTime": time,
        "eventSource": if signin { "signin.amazonaws.com" } else { "ec2.amazonaws.com" }, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": ip, "userAgent": ua, "requestParameters": null, "responseElements": null,
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAALICE", "arn": ALICE, "accountId": "111122223333", "userName": "alice"},
        "eventType": "AwsApiCall", "recipientAccountId": "111122223333"
    });
    if let Some(mfa) = mfa {
        r["responseElements"] = json!({"ConsoleLogin": "Success"});
        r["additionalEventData"] = json!({"MFAUsed": mfa});
        r["eventType"] = json!("AwsConsoleSignIn");
    }
    r
}

#[test]
fn an_investigation_from_the_cli_names_each_indicator_and_groups_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut c = Writer::new("GeoLite2-City");
    c.insert("198.51.100.0".parse().unwrap(), 24, &city_record("US", "United States", "New York", 40.7128, -74.006, 5));
    c.insert("203.0.113.0".parse().unwrap(), 24, &city_record("AU", "Australia", "Sydney", -33.8688, 151.2093, 10));
    let mut a = Writer::new("GeoLite2-ASN");
    a.insert("198.51.100.0".parse().unwrap(), 24, &asn_record(64500, "Example US Net"));
    a.insert("203.0.113.0".parse().unwrap(), 24, &asn_record(64501, "Example AU Net"));
    std::fs::write(dir.join("city.mmdb"), c.to_bytes()).unwrap();
    std::fs::write(dir.join("asn.mmdb"), a.to_bytes()).unwrap();
    std::fs::write(dir.join("tor.txt"), "203.0.113.0/28\n").unwrap();
    std::fs::write(
        dir.join("rampart.toml"),
        "[investigate]\ngeoip_city = \"city.mmdb\"\ngeoip_asn = \"asn.mmdb\"\nflagged_ip_lists = [\"tor.txt\"]\nmax_speed_kmh = 900\n",
    )
    .unwrap();
    let records = vec![
        rec("b1", "2026-11-25T08:00:00Z", "ConsoleLogin", "198.51.100.10", "Mozilla/5.0", Some("Yes")),
        rec("b2", "2026-11-25T08:05:00Z", "DescribeInstances", "198.51.100.10", "aws-cli/2.15.0", None),
        rec("s1", "2026-12-07T08:00:00Z", "ConsoleLogin", "198.51.100.10", "Mozilla/5.0", Some("Yes")),
        rec("s2", "2026-12-07T09:00:00Z", "ConsoleLogin", "203.0.113.5", "Mozilla/5.0", Some("No")),
        rec("s3", "2026-12-07T09:10:00Z", "DescribeInstances", "203.0.113.5", "curl/8.5.0", None),
    ];
    std::fs::create_dir(dir.join("logs")).unwrap();
    std::fs::write(dir.join("logs/trail.json"), json!({ "Records": records }).to_string()).unwrap();

    // Ingest with the config: the addresses are located, the detections recorded.
    let o = rampart(dir, &["investigate", "ingest", "cloudtrail", "logs", "--db", "r.db", "--config", "rampart.toml"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(err.contains("2 new address(es) located"), "{err}");

    // Without the config, in text: the geolocation indicators are NOT_AVAILABLE and say
    // what to set; the new user agent and the detection are still seen.
    let scope = ["--from", "2026-12-07", "--to", "2026-12-08"];
    let mut args = vec!["investigate", "run", "--principal", ALICE, "--db", "r.db"];
    args.extend(scope);
    let o = rampart(dir, &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("Flagged IP address — NOT_AVAILABLE"), "{out}");
    assert!(out.contains("flagged_ip_lists"), "{out}");
    assert!(out.contains("New user agent — OBSERVED LOW"), "{out}");
    assert!(out.contains("curl/8.5.0"), "{out}");
    assert!(out.contains("threat_console_login_without_mfa"), "{out}");
    // The locations recorded at ingest answer impossible travel even without the database.
    assert!(out.contains("Impossible travel — OBSERVED HIGH"), "{out}");

    // With the config, as JSON: every indicator with its evidence.
    let mut args = vec!["investigate", "run", "--principal", ALICE, "--db", "r.db", "--config", "rampart.toml", "--format", "json"];
    args.extend(scope);
    let o = rampart(dir, &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let ind = |k: &str| v["indicators"].as_array().unwrap().iter().find(|i| i["kind"] == k).unwrap().clone();
    assert_eq!(ind("impossible_travel")["status"], "observed");
    assert_eq!(ind("impossible_travel")["evidence"]["trips"][0]["to"]["city"], "Sydney");
    assert_eq!(ind("new_geolocation")["evidence"]["values"][0]["value"], "AU");
    assert_eq!(ind("new_asn")["evidence"]["values"][0]["value"], "AS64501");
    assert_eq!(ind("flagged_ip")["evidence"]["addresses"][0]["entry"], "203.0.113.0/28");
    assert_eq!(ind("ttp_observed")["status"], "observed");
    assert_eq!(v["severity"], "CRITICAL", "{v:#}");
    assert_eq!(v["settings"]["max_speed_kmh"], 900);

    // The entity's profile lists countries and ASNs, new ones marked.
    let o = rampart(dir, &["investigate", "entity", ALICE, "--db", "r.db", "--from", "2026-12-07", "--to", "2026-12-08"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("AU (Australia)") && out.contains("NEW"), "{out}");

    // Groups: the one detection alone makes none; the list says how it groups.
    let o = rampart(dir, &["investigate", "group", "--db", "r.db"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("within 24 hours join one group"), "{out}");
    let o = rampart(dir, &["investigate", "group", "--db", "r.db", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["groups"].is_array());

    // Bad input: one clear line each.
    let o = rampart(dir, &["investigate", "run", "--principal", "arn:aws:sts::111122223333:assumed-role/R/s", "--db", "r.db"]);
    assert!(!o.status.success());
    assert!(text(&o).1.contains("not an IAM user's or role's ARN"), "{}", text(&o).1);
    let o = rampart(dir, &["investigate", "group", "fg-0000000000000000", "--db", "r.db"]);
    assert!(!o.status.success());
    assert!(text(&o).1.contains("no finding group"), "{}", text(&o).1);
    let o = rampart(dir, &["investigate", "run", "--principal", ALICE, "--db", "r.db", "--geoip-city", "asn.mmdb"]);
    assert!(!o.status.success());
    assert!(text(&o).1.contains("given as the city/country database"), "{}", text(&o).1);
    assert!(!text(&o).1.contains("panicked"));
}
