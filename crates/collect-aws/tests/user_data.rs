//! Gzip-compressed EC2 user data collected from moto (`testdata/moto/plant_user_data.py`): a key
//! inside is found, and a bomb or a corrupt stream is NOT_AVAILABLE, never a clean pass.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::{collect, Options};
use rampart_model::Status;
use std::process::Command;

#[test]
fn gzipped_user_data_is_inflated_and_scanned_bounded() {
    let moto = harness::moto();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_user_data.py"))
        .arg(&moto.url)
        .output()
        .expect("run plant_user_data.py");
    assert!(out.status.success(), "plant_user_data.py failed: {}", String::from_utf8_lossy(&out.stderr));
    // Test process only, before any client reads them.
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
    let opts = Options { regions: Some(vec!["us-east-1".into()]), endpoint_url: Some(moto.url.clone()), ..Options::default() };
    let inv = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(collect(&opts)))
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect");
    let results = rampart_checks::run(&inv, time::OffsetDateTime::now_utc(), &["ec2_instance_user_data_secrets"]).results;
    let ids: std::collections::BTreeMap<String, String> = serde_json::from_slice(&out.stdout).expect("the planted instances");
    let of = |name: &str| -> (Status, String) {
        let r: Vec<_> = results.iter().filter(|r| r.resource.name == ids[name]).collect();
        assert_eq!(r.len(), 1, "{name}: {results:#?}");
        (r[0].status, r[0].reason.clone())
    };
    let (s, why) = of("ud-gzip-key");
    assert_eq!(s, Status::Failed, "{why}");
    assert!(why.contains("access key AKIA") && why.contains("with its secret k9Tz…"), "{why}");
    assert_eq!(of("ud-gzip-clean").0, Status::Passed);
    let (s, why) = of("ud-gzip-bomb");
    assert_eq!(s, Status::NotAvailable, "{why}");
    assert!(why.contains("gzip-compressed") && why.contains("more than 1048576 bytes"), "{why}");
    let (s, why) = of("ud-gzip-corrupt");
    assert_eq!(s, Status::NotAvailable, "{why}");
    assert!(why.contains("corrupt"), "{why}");
    // The secret is never kept whole... in the findings (the inventory keeps user data as text).
    assert!(!results.iter().any(|r| r.reason.contains("Ae4Ku9M")));
}
