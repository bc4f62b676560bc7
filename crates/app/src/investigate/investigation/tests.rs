//! Investigations end to end over a real SQLite file: synthetic CloudTrail sign-ins and
//! API calls ingested (with the threat detections), a GeoIP city and ASN database the test
//! builds (`rampart_graph::mmdb`), a flagged list, then each indicator with its evidence.

use super::*;
use crate::investigate::{ingest, IngestOptions, Source};
use crate::{Level, Notify};
use rampart_graph::investigation::Evidence;
use rampart_graph::mmdb::{asn_record, city_record, Writer};
use rampart_model::Severity;
use serde_json::{json, Value};

struct Quiet;
impl Notify for Quiet {
    fn notice(&self, _: Level, _: &str) {}
}

const ACCOUNT: &str = "111122223333";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const ROLE: &str = "arn:aws:iam::111122223333:role/deploy";
/// 2026-12-07T00:00:00Z: the scope is this day.
const DAY0: i64 = 1_796_601_600;
const NY: &str = "198.51.100.10";
const SYDNEY: &str = "203.0.113.5";
const BOSTON: &str = "198.51.100.200";
const TOR: &str = "192.0.2.66";

/// The test's GeoIP databases: New York and Boston share AS64500; Sydney is AS64501;
/// Frankfurt (192.0.2.0/24, the "Tor exit") AS64502.
fn write_dbs(dir: &Path) -> (PathBuf, PathBuf) {
    let mut c = Writer::new("GeoLite2-City");
    c.insert("198.51.100.0".parse().unwrap(), 25, &city_record("US", "United States", "New York", 40.7128, -74.0060, 5));
    c.insert("198.51.100.128".parse().unwrap(), 25, &city_record("US", "United States", "Boston", 42.3601, -71.0589, 5));
    c.insert("203.0.113.0".parse().unwrap(), 24, &city_record("AU", "Australia", "Sydney", -33.8688, 151.2093, 10));
    c.insert("192.0.2.0".parse().unwrap(), 24, &city_record("DE", "Germany", "Frankfurt", 50.1109, 8.6821, 10));
    let mut a = Writer::new("GeoLite2-ASN");
    a.insert("198.51.100.0".parse().unwrap(), 24, &asn_record(64500, "Example US Net"));
    a.insert("203.0.113.0".parse().unwrap(), 24, &asn_record(64501, "Example AU Net"));
    a.insert("192.0.2.0".parse().unwrap(), 24, &asn_record(64502, "Example Hosting"));
    let (city, asn) = (dir.join("GeoLite2-City.mmdb"), dir.join("GeoLite2-ASN.mmdb"));
    std::fs::write(&city, c.to_bytes()).unwrap();
    std::fs::write(&asn, a.to_bytes()).unwrap();
    (city, asn)
}

fn alice() -> Value {
    json!({"type": "IAMUser", "principalId": "AIDAALICE", "arn": ALICE, "accountId": ACCOUNT, "accessKeyId": "AKIAALICE0000000001", "userName": "alice"})
}

fn deploy(session: &str) -> Value {
    json!({"type": "AssumedRole", "principalId": format!("AROADEPLOY:{session}"),
           "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/deploy/{session}"), "accountId": ACCOUNT, "accessKeyId": "ASIADEPLOY000000001",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROADEPLOY", "arn": ROLE, "accountId": ACCOUNT, "userName": "deploy"}}})
}

/// A record at `at` (Unix seconds).
#[allow(clippy::too_many_arguments)]
fn rec(id: &str, at: i64, source: &str, name: &str, who: Value, ip: &str, ua: &str, request: Value) -> Value {
    json!({
        "eventVersion": "1.09", "userIdentity": who, "eventTime": rampart_graph::text_time(at),
        "eventSource": format!("{source}.amazonaws.com"), "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": ip, "userAgent": ua, "requestParameters": request, "responseElements": null,
        "requestID": format!("req-{id}"), "eventID": id, "readOnly": false, "eventType": "AwsApiCall",
        "managementEvent": true, "recipientAccountId": ACCOUNT, "eventCategory": "Management"
    })
}

fn login(id: &str, at: i64, who: Value, ip: &str, mfa: &str) -> Value {
    let mut r = rec(id, at, "signin", "ConsoleLogin", who, ip, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", json!(null));
    r["responseElements"] = json!({"ConsoleLogin": "Success"});
    r["additionalEventData"] = json!({"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": mfa});
    r["eventType"] = json!("AwsConsoleSignIn");
    r
}

const CLI: &str = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0";
const H: i64 = 3600;

/// Ten days before the scope: alice signs in (with MFA) and works from New York with the
/// CLI; the role works from New York. In the scope: alice signs in from New York at 08:00,
/// then from Sydney an hour later without MFA, creates a key for bob with a new user agent,
/// and calls from the flagged address; the role is used from Sydney.
fn records() -> Vec<Value> {
    let base = DAY0 - 10 * 86_400;
    vec![
        login("b1", base + 8 * H, alice(), NY, "Yes"),
        rec("b2", base + 8 * H + 60, "ec2", "DescribeInstances", alice(), NY, CLI, json!({})),
        rec("b3", base + 9 * H, "ec2", "DescribeInstances", alice(), BOSTON, CLI, json!({})),
        rec("b4", base + 9 * H, "s3", "ListBuckets", deploy("build-1"), NY, CLI, json!({})),
        login("s1", DAY0 + 8 * H, alice(), NY, "Yes"),
        login("s2", DAY0 + 9 * H, alice(), SYDNEY, "No"),
        rec("s3", DAY0 + 9 * H + 120, "iam", "CreateAccessKey", alice(), SYDNEY, "python-requests/2.31.0", json!({"userName": "bob"})),
        rec("s4", DAY0 + 10 * H, "ec2", "DescribeInstances", alice(), TOR, CLI, json!({})),
        // Boston, 300 km from New York, two hours after: possible.
        rec("s5", DAY0 + 6 * H, "ec2", "DescribeInstances", alice(), BOSTON, CLI, json!({})),
        rec("s6", DAY0 + 12 * H, "s3", "ListBuckets", deploy("build-2"), SYDNEY, CLI, json!({})),
    ]
}

/// A store with the records ingested (with the GeoIP databases when `geo`), and the
/// databases' and the flagged list's paths.
fn setup(geo: bool) -> (tempfile::TempDir, Store, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (city, asn) = write_dbs(dir.path());
    let tor = dir.path().join("tor-exits.txt");
    std::fs::write(&tor, format!("# Tor exit nodes\n{TOR}\n198.18.0.0/15\n")).unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("trail.json"), serde_json::to_vec(&json!({"Records": records()})).unwrap()).unwrap();
    let mut store = Store::open(&dir.path().join("rampart.db")).unwrap();
    let mut opts = IngestOptions::new(Source::CloudTrail, vec![logs]);
    if geo {
        let mut s = Settings::default();
        s.set_geoip(Some(&city), Some(&asn)).unwrap();
        opts.geo = s.geo.clone();
    }
    let report = ingest(&mut store, &opts, DAY0 + 2 * 86_400, &Quiet).unwrap();
    assert_eq!(report.malformed, 0);
    assert_eq!(report.located, geo.then_some(4), "the four addresses are located at ingest");
    (dir, store, city, asn, tor)
}

fn full_settings(city: &Path, asn: &Path, tor: &Path) -> Settings {
    let mut s = Settings::default();
    s.set_geoip(Some(city), Some(asn)).unwrap();
    s.add_lists(&[tor.to_path_buf()]).unwrap();
    s
}

fn get(inv: &Investigation, k: IndicatorKind) -> &Indicator {
    inv.indicators.iter().find(|i| i.kind == k).unwrap()
}

#[test]
fn every_indicator_is_seen_with_its_evidence() {
    let (_dir, store, city, asn, tor) = setup(false);
    let inv = run(&store, ALICE, Some(DAY0), Some(DAY0 + 86_400), 45, &full_settings(&city, &asn, &tor)).unwrap();
    assert!(inv.baseline_has_data);
    assert_eq!(inv.indicators.len(), 8);
    let status = |k| get(&inv, k).status;

    // Impossible travel: New York 08:00 → Sydney 09:00 (about 16,000 km in an hour), and
    // on to Frankfurt; Boston → New York (300 km in 2 h) is not.
    assert_eq!(status(IndicatorKind::ImpossibleTravel), IndicatorStatus::Observed);
    let Evidence::Trips { trips } = &get(&inv, IndicatorKind::ImpossibleTravel).evidence else { panic!() };
    let first = &trips[0];
    assert_eq!((first.from.ip.as_str(), first.to.ip.as_str()), (NY, SYDNEY), "{trips:#?}");
    assert_eq!(first.from.geo.city.as_deref(), Some("New York"));
    assert!((15_900.0..16_000.0).contains(&first.distance_km), "{}", first.distance_km);
    assert!(first.speed_kmh.unwrap() > 15_000.0);
    assert!(!trips.iter().any(|t| t.from.ip == BOSTON || t.to.ip == BOSTON), "Boston to New York in two hours is travellable");
    assert!(trips.iter().any(|t| t.from.ip == SYDNEY && t.to.ip == TOR), "Sydney to Frankfurt in under an hour");

    // New geolocation: Australia and Germany; the US was seen in the baseline.
    let Evidence::NewValues { values } = &get(&inv, IndicatorKind::NewGeolocation).evidence else { panic!() };
    let countries: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(countries, ["AU", "DE"]);
    assert_eq!(values[0].ips, [SYDNEY]);
    assert_eq!(values[0].name, "Australia");
    assert_eq!(get(&inv, IndicatorKind::NewGeolocation).severity, Some(Severity::Medium));

    // New ASN: AS64501 and AS64502, not AS64500 (Boston and New York, both baseline).
    let Evidence::NewValues { values } = &get(&inv, IndicatorKind::NewAsn).evidence else { panic!() };
    assert_eq!(values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["AS64501", "AS64502"]);
    assert_eq!(values[0].name, "Example AU Net");

    // New user agent: python-requests (the CLI and the browser were seen in the baseline).
    let Evidence::NewValues { values } = &get(&inv, IndicatorKind::NewUserAgent).evidence else { panic!() };
    assert_eq!(values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["python-requests/2.31.0"]);

    // Flagged: the Tor exit, with its list and entry.
    let Evidence::Addresses { addresses } = &get(&inv, IndicatorKind::FlaggedIp).evidence else { panic!() };
    assert_eq!(addresses.len(), 1);
    assert_eq!((addresses[0].ip.as_str(), addresses[0].list.as_str(), addresses[0].entry.as_str()), (TOR, "tor-exits.txt", TOR));

    // TTPs: the sign-in without MFA and the key for bob (both detections recorded at ingest).
    let Evidence::Findings { findings } = &get(&inv, IndicatorKind::TtpObserved).evidence else { panic!() };
    let checks: BTreeSet<&str> = findings.iter().map(|f| f.check_id.as_str()).collect();
    assert!(checks.contains("threat_console_login_without_mfa") && checks.contains("threat_access_key_for_other_user"), "{checks:?}");
    assert!(findings.iter().all(|f| f.ttps.iter().any(|t| t.starts_with("TTPs/"))));

    // The two detections share alice within hours: one group, related.
    assert_eq!(status(IndicatorKind::RelatedFindingGroups), IndicatorStatus::Observed);
    let Evidence::Groups { groups: related } = &get(&inv, IndicatorKind::RelatedFindingGroups).evidence else { panic!() };
    let listed = groups(&store, &Settings::default()).unwrap();
    assert!(listed.groups.iter().any(|g| g.id == related[0].id));
    let g = group(&store, &related[0].id, &Settings::default()).unwrap();
    assert!(g.findings.len() >= 2);
    assert_eq!(g.entities[0].id, ALICE);
    assert!(g.tactics.contains(&"Persistence".to_string()), "{:?}", g.tactics);
    assert!(!g.timeline.is_empty());
    assert!(group(&store, "fg-0000000000000000", &Settings::default()).unwrap_err().to_string().contains("rampart investigate group"));

    // No other finding names alice.
    assert_eq!(status(IndicatorKind::RelatedFindings), IndicatorStatus::NotObserved);
    // Severity: the highest indicator (impossible travel, flagged: High), raised one level as
    // techniques were used from somewhere new.
    assert_eq!(inv.severity, Severity::Critical);
    assert_eq!(inv.access_keys, ["AKIAALICE0000000001"]);
    // Every investigation serialises.
    let v = serde_json::to_value(&inv).unwrap();
    assert_eq!(v["indicators"][1]["kind"], "impossible_travel");
    assert_eq!(v["indicators"][1]["evidence"]["type"], "trips");
}

#[test]
fn without_a_geoip_database_or_lists_the_indicators_are_not_available_and_say_what_to_configure() {
    let (_dir, store, ..) = setup(false);
    let inv = run(&store, ALICE, Some(DAY0), Some(DAY0 + 86_400), 45, &Settings::default()).unwrap();
    for k in [IndicatorKind::ImpossibleTravel, IndicatorKind::NewGeolocation] {
        let i = get(&inv, k);
        assert_eq!(i.status, IndicatorStatus::NotAvailable, "{k:?}");
        assert!(i.summary.contains("geoip_city"), "{}", i.summary);
    }
    assert!(get(&inv, IndicatorKind::NewAsn).summary.contains("geoip_asn"));
    assert_eq!(get(&inv, IndicatorKind::FlaggedIp).status, IndicatorStatus::NotAvailable);
    assert!(get(&inv, IndicatorKind::FlaggedIp).summary.contains("flagged_ip_lists"));
    // What needs no database is still answered.
    assert_eq!(get(&inv, IndicatorKind::NewUserAgent).status, IndicatorStatus::Observed);
    assert_eq!(get(&inv, IndicatorKind::TtpObserved).status, IndicatorStatus::Observed);
}

#[test]
fn locations_recorded_at_ingest_answer_without_the_database_later() {
    let (_dir, store, ..) = setup(true);
    let inv = run(&store, ALICE, Some(DAY0), Some(DAY0 + 86_400), 45, &Settings::default()).unwrap();
    assert_eq!(get(&inv, IndicatorKind::ImpossibleTravel).status, IndicatorStatus::Observed);
    assert_eq!(get(&inv, IndicatorKind::NewAsn).status, IndicatorStatus::Observed);
    assert!(inv.geoip.iter().any(|s| s.starts_with("located at ingest: GeoLite2-City")), "{:?}", inv.geoip);
    // And the entity's places: countries and ASNs with what is new.
    let p = entity_places(&store, ALICE, DAY0, DAY0 + 86_400, 45, &Settings::default()).unwrap();
    let au = p.countries.iter().find(|c| c.value == "AU").unwrap();
    assert!(au.new);
    assert!(!p.countries.iter().find(|c| c.value == "US").unwrap().new);
    assert_eq!(p.asns.len(), 3);
    assert!(p.not_available.is_empty());
}

#[test]
fn a_roles_investigation_reads_its_sessions_and_a_baseline_without_data_calls_nothing_new() {
    let (_dir, store, city, asn, tor) = setup(false);
    let s = full_settings(&city, &asn, &tor);
    let inv = run(&store, ROLE, Some(DAY0), Some(DAY0 + 86_400), 45, &s).unwrap();
    assert_eq!(inv.sessions.len(), 2, "{:?}", inv.sessions);
    assert_eq!(inv.access_keys, ["ASIADEPLOY000000001"]);
    let Evidence::NewValues { values } = &get(&inv, IndicatorKind::NewGeolocation).evidence else { panic!("{inv:#?}") };
    assert_eq!(values[0].value, "AU");
    // A baseline of 0 days holds nothing: new-anything is not available, never "nothing new".
    let inv = run(&store, ALICE, Some(DAY0), Some(DAY0 + 86_400), 0, &s).unwrap();
    for k in [IndicatorKind::NewGeolocation, IndicatorKind::NewAsn, IndicatorKind::NewUserAgent] {
        assert_eq!(get(&inv, k).status, IndicatorStatus::NotAvailable, "{k:?}");
        assert!(get(&inv, k).summary.contains("baseline"));
    }
    // Impossible travel needs no baseline.
    assert_eq!(get(&inv, IndicatorKind::ImpossibleTravel).status, IndicatorStatus::Observed);
    // A faster threshold than the flight: nothing impossible.
    let mut fast = s.clone();
    fast.max_speed_kmh = 100_000;
    let inv = run(&store, ALICE, Some(DAY0), Some(DAY0 + 86_400), 45, &fast).unwrap();
    assert_eq!(get(&inv, IndicatorKind::ImpossibleTravel).status, IndicatorStatus::NotObserved);
}

#[test]
fn bad_input_is_a_clear_error() {
    let (dir, store, city, ..) = setup(false);
    let e = run(&store, "arn:aws:sts::111122223333:assumed-role/deploy/x", None, None, 45, &Settings::default()).unwrap_err();
    assert!(e.to_string().contains("not an IAM user's or role's ARN"), "{e}");
    let e = run(&store, "arn:aws:iam::111122223333:user/nobody", None, None, 45, &Settings::default()).unwrap_err();
    assert!(e.to_string().contains("ingest its CloudTrail"), "{e}");
    let mut s = Settings::default();
    let e = s.set_geoip(None, Some(&city)).unwrap_err();
    assert!(format!("{e:#}").contains("given as the ASN database"), "{e:#}");
    let bad = dir.path().join("list.txt");
    std::fs::write(&bad, "1.2.3.4\nnot-an-address\n").unwrap();
    let e = s.add_lists(&[bad]).unwrap_err();
    assert!(format!("{e:#}").contains("list.txt: line 2"), "{e:#}");
    let c = rampart_config::Investigate { geoip_city: Some("missing.mmdb".into()), ..Default::default() };
    let e = Settings::from_config(&c, dir.path()).unwrap_err();
    assert!(format!("{e:#}").contains("missing.mmdb"), "{e:#}");
}
