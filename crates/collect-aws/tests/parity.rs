//! The Prowler-parity checks' data collected from moto (`testdata/moto/plant_parity.py`) and
//! what the checks make of it: each check of `rampart_checks::MOTO_TESTED_PARITY` fails on one
//! planted resource and passes on another, and the checks whose other side moto cannot
//! represent fail where they should.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::{collect, Options};
use rampart_inventory::Inventory;
use rampart_model::{CheckResult, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// (check, the planted resource that fails it, the one that passes it), by logical name.
const PLANTED: &[(&str, &str, &str)] = &[
    ("ec2_vpc_subnets_multi_az", "vpc-single", "vpc-multi"),
    ("ec2_vpc_endpoint_multi_az", "vpce-one", "vpce-two"),
    ("ec2_security_group_unused", "sg-unused", "sg-used"),
    ("ec2_instance_detailed_monitoring", "mon-off", "mon-on"),
    ("ec2_launch_template_user_data_secrets", "lt-leaky", "lt-clean"),
    ("lambda_function_environment_cmk", "fn-bad", "fn-good"),
    ("autoscaling_group_capacity_rebalance", "asg-plain", "asg-rebalance"),
    ("config_recorder_service_role", "custom-role", "slr"),
    ("rds_cluster_default_port", "aurora-default-port", "aurora-other-port"),
    ("rds_instance_transport_encrypted", "pg-open", "pg-forced"),
    ("efs_multi_az", "efs-open", "efs-locked"),
    ("efs_file_system_public", "efs-open", "efs-locked"),
    ("route53_query_logging", "quiet", "logged"),
    ("iam_administrator_access_with_mfa", "admins", "admins-mfa"),
    ("iam_inline_policy_service_wildcard", "trail-admin", "reader"),
    ("s3_bucket_cross_region_replication", "parity-plain", "parity-src"),
    ("s3_bucket_object_lock", "parity-plain", "parity-locked"),
    ("cloudfront_geo_restriction", "cf-open", "cf-guarded"),
    ("cloudfront_field_level_encryption", "cf-open", "cf-guarded"),
    ("cloudtrail_insights_enabled", "trail-plain", "trail-insights"),
    ("sns_subscription_http", "subs-mixed", "subs-https"),
    ("ecr_registry_enhanced_scanning", "registry-basic", "registry-enhanced"),
    ("lambda_function_url_cors_any_origin", "fn-bad", "fn-good"),
    ("ec2_security_group_launch_wizard", "launch-wizard-1", "sg-used"),
    ("ec2_instance_profile_attached", "mon-off", "mon-on"),
];

/// Account-wide checks shown both ways by `account_checks_both_ways_on_moto` (one account per
/// moto server: the failing side is collected before the passing side is planted).
const ACCOUNT_BOTH_WAYS: &[&str] = &["iam_saml_provider"];

/// Region settings whose API moto 5 does not implement (it answers HTTP 500): the checks must
/// say NOT_AVAILABLE, never PASSED; their verdicts are unit-tested.
const NOT_IN_MOTO: &[(&str, &str)] = &[
    ("ec2_ebs_snapshot_block_public_access", "ec2:GetSnapshotBlockPublicAccessState"),
    ("ec2_ami_block_public_access", "ec2:GetImageBlockPublicAccessState"),
    ("ec2_instance_metadata_defaults_imdsv2", "ec2:GetInstanceMetadataDefaults"),
];

/// Checks whose pass side moto cannot represent (unit-tested instead): (check, failing resource).
const FAIL_ONLY: &[(&str, &str)] = &[
    // moto reports no `MultiRegion` for single-Region keys (AWS always does).
    ("kms_key_multi_region", "kms-mrk"),
    // moto drops `DeadLetterConfig`.
    ("lambda_function_dead_letter_queue", "fn-bad"),
];

/// Checks whose fail side moto cannot represent (unit-tested instead): (check, passing resource).
const PASS_ONLY: &[(&str, &str)] = &[
    // For a bucket without notifications moto answers `GetBucketNotificationResponse`, not the
    // `NotificationConfiguration` document AWS sends, so the SDK cannot parse it: NOT_AVAILABLE.
    ("s3_bucket_event_notifications", "parity-src"),
];

fn set_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (k, v) in [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            std::env::set_var(k, v);
        }
    });
}

/// A moto of its own, planted, collected in us-east-1 and us-west-2; the planted names.
fn plant_and_collect() -> (Inventory, BTreeMap<String, String>) {
    let moto = harness::moto();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_parity.py"))
        .arg(moto.url.as_str())
        .output()
        .expect("run plant_parity.py");
    assert!(out.status.success(), "plant_parity.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let names: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).expect("plant_parity.py prints its names");
    (collect_from(&moto.url, &["us-east-1", "us-west-2"]), names)
}

/// Collects the account behind `url` in `regions`.
fn collect_from(url: &str, regions: &[&str]) -> Inventory {
    set_env();
    let opts = Options {
        regions: Some(regions.iter().map(|r| r.to_string()).collect()),
        endpoint_url: Some(url.to_string()),
        ..Options::default()
    };
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
            rt.block_on(collect(&opts))
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect")
}

fn of<'a>(results: &'a [CheckResult], check: &str, name: &str) -> Vec<(Status, &'a str)> {
    results
        .iter()
        .filter(|r| r.check_id == check && (r.resource.name == name || r.resource.id == name))
        .map(|r| (r.status, r.reason.as_str()))
        .collect()
}

#[test]
fn the_docs_claim_exactly_what_this_test_shows() {
    let claimed: BTreeSet<&str> = rampart_checks::MOTO_TESTED_PARITY.iter().copied().collect();
    let shown: BTreeSet<&str> = PLANTED.iter().map(|(c, _, _)| *c).chain(ACCOUNT_BOTH_WAYS.iter().copied()).collect();
    assert_eq!(claimed, shown);
    let docs = std::fs::read_to_string(harness::repo_root().join("docs/checks.md")).unwrap();
    let marked: BTreeSet<&str> =
        docs.lines().filter(|l| l.ends_with("| fail + pass (collect-aws parity test) |")).filter_map(|l| l.split('`').nth(1)).collect();
    assert_eq!(marked, shown, "docs/checks.md is stale: `UPDATE_DOCS=1 cargo test -p rampart-checks docs`");
}

#[test]
fn parity_checks_fail_and_pass_on_planted_resources() {
    let (inv, names) = plant_and_collect();
    let r = rampart_checks::run(&inv, time::OffsetDateTime::now_utc(), &[]).results;
    let name = |logical: &str| names.get(logical).unwrap_or_else(|| panic!("plant_parity.py did not name {logical}")).clone();
    for (check, fail, pass) in PLANTED {
        let (f, p) = (of(&r, check, &name(fail)), of(&r, check, &name(pass)));
        assert!(matches!(f.as_slice(), [(Status::Failed, _)]), "{check} on {fail}: {f:?}");
        assert!(matches!(p.as_slice(), [(Status::Passed, _)]), "{check} on {pass}: {p:?}");
    }
    for (check, fail) in FAIL_ONLY {
        let f = of(&r, check, &name(fail));
        assert!(matches!(f.as_slice(), [(Status::Failed, _)]), "{check} on {fail}: {f:?}");
    }
    for (check, pass) in PASS_ONLY {
        let p = of(&r, check, &name(pass));
        assert!(matches!(p.as_slice(), [(Status::Passed, _)]), "{check} on {pass}: {p:?}");
    }
    // Settings moto cannot answer are never judged, in either region.
    for (check, action) in NOT_IN_MOTO {
        let got: Vec<(Status, &str)> = r.iter().filter(|r| r.check_id == *check).map(|r| (r.status, r.reason.as_str())).collect();
        assert_eq!(got.len(), 2, "{check}: one result per region: {got:?}");
        assert!(got.iter().all(|(s, why)| *s == Status::NotAvailable && why.contains(action)), "{check}: {got:?}");
    }
    // Dangling A records, judged with the bundled AWS IP ranges (2022-09-01): the account's
    // Elastic IP passes, an address in AWS's ranges fails, and one outside a snapshot that old
    // is unknown, never passed.
    let dangling = |host: &str| -> Vec<(Status, &str)> {
        r.iter()
            .filter(|x| x.check_id == "route53_dangling_ip" && x.reason.starts_with(&format!("{host}.quiet.example. ")))
            .map(|x| (x.status, x.reason.as_str()))
            .collect()
    };
    let own = dangling("own");
    // (moto hands out Elastic IPs from 127.0.0.0/8, so this one passes as not public; the
    // account-address rule is unit-tested.)
    assert!(matches!(own.as_slice(), [(Status::Passed, why)] if why.contains(&name("own-eip"))), "{own:?}");
    let released = dangling("released");
    assert!(matches!(released.as_slice(), [(Status::Failed, why)] if why.contains("in AWS's range 3.5.140.0/22")), "{released:?}");
    let outside = dangling("outside");
    assert!(
        matches!(outside.as_slice(), [(Status::NotAvailable, why)] if why.contains("outside AWS's IP ranges of 2022-09-01")),
        "{outside:?}"
    );
    // Subscriptions are kept without their endpoints.
    assert!(!serde_json::to_string(&inv).unwrap().contains("hooks.example.com"), "an SNS endpoint was stored");
    // moto's answer for a bucket without notifications cannot be parsed: never a verdict.
    let plain = of(&r, "s3_bucket_event_notifications", &name("parity-plain"));
    assert!(matches!(plain.as_slice(), [(Status::NotAvailable, _)]), "{plain:?}");
    // The key in version 1 of lt-leaky is found though the default version is clean, and only
    // its redacted form is kept.
    let leaky = of(&r, "ec2_launch_template_user_data_secrets", "lt-leaky");
    assert!(leaky[0].1.contains("version 1: access key AKIA"), "{leaky:?}");
    let json = serde_json::to_string(&inv).unwrap();
    assert!(!json.contains(&format!("{}{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "/Ae4Ku9M")), "a planted secret was stored whole");
}

#[test]
fn account_checks_both_ways_on_moto() {
    let moto = harness::moto();
    let account = "123456789012";
    let saml = |inv: &Inventory| {
        let r = rampart_checks::run(inv, time::OffsetDateTime::now_utc(), &["iam_saml_provider"]).results;
        of(&r, "iam_saml_provider", account).into_iter().map(|(s, why)| (s, why.to_string())).collect::<Vec<_>>()
    };
    let before = saml(&collect_from(&moto.url, &["us-east-1"]));
    assert!(matches!(before.as_slice(), [(Status::Failed, _)]), "{before:?}");
    let out = Command::new(harness::venv().join("bin/python"))
        .arg("-c")
        .arg(
            "import boto3, sys\n\
             iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
             iam.create_saml_provider(Name='corp-idp', SAMLMetadataDocument='<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.com\"/>' + 'x' * 1000)\n\
             assert len(iam.list_saml_providers()['SAMLProviderList']) == 1\n",
        )
        .arg(moto.url.as_str())
        .output()
        .expect("run python");
    assert!(out.status.success(), "creating the SAML provider failed: {}", String::from_utf8_lossy(&out.stderr));
    let after = saml(&collect_from(&moto.url, &["us-east-1"]));
    assert!(matches!(after.as_slice(), [(Status::Passed, why)] if why.contains("corp-idp")), "{after:?}");
}
