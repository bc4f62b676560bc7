//! The collector only reads: a full collection against moto sends only read-only operations,
//! each covered by `rampart iam-policy`, and the guard refuses a write before it is sent.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::{actions::{ACTIONS, WATCH_ACTIONS}, collect, guard, Options};

fn set_env(url: &str) {
    // Test process only: the same static credentials the harness gives child processes, set
    // once before any client reads them.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v);
    });
    let _ = url;
}

#[tokio::test(flavor = "multi_thread")]
async fn collection_sends_only_read_only_operations_listed_in_the_iam_policy() {
    let moto = harness::moto();
    harness::plant(&moto, &[]);
    set_env(&moto.url);
    let opts = Options {
        regions: Some(vec!["us-east-1".into(), "eu-west-1".into()]),
        endpoint_url: Some(moto.url.clone()),
        ..Options::default()
    };
    // As `rampart scan` does: `block_on` on a thread with the main thread's 8 MiB stack (a debug
    // build of the whole collection nests deeper than a 2 MiB test thread allows).
    let inv = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
            rt.block_on(collect(&opts))
        })
        .expect("spawn collector thread")
        .join()
        .expect("collector thread")
        .expect("collect");
    assert_eq!(inv.accounts.len(), 1);
    assert_eq!(inv.accounts[0].regions.len(), 2);

    let sent = guard::sent_operations();
    assert!(sent.len() > 40, "{sent:?}");
    // IAM action names differ from operation names for a few S3 calls.
    let renamed = [
        ("s3:ListBuckets", "s3:ListAllMyBuckets"),
        ("s3:GetBucketEncryption", "s3:GetEncryptionConfiguration"),
        ("s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
        ("s3control:GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock"),
        ("s3:GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
        ("s3:GetBucketReplication", "s3:GetReplicationConfiguration"),
        ("s3:GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
        ("s3:GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
        ("s3control:ListAccessPoints", "s3:ListAccessPoints"),
        ("s3control:GetAccessPoint", "s3:GetAccessPoint"),
        ("s3control:ListMultiRegionAccessPoints", "s3:ListMultiRegionAccessPoints"),
    ];
    let prefix = |svc: &str| -> String {
        match svc.to_ascii_lowercase().as_str() {
            "elastic load balancing" => "elasticloadbalancing".into(),
            "elastic load balancing v2" => "elasticloadbalancing".into(),
            "accessanalyzer" => "access-analyzer".into(),
            "service quotas" => "servicequotas".into(),
            "config service" => "config".into(),
            "route 53" => "route53".into(),
            "efs" => "elasticfilesystem".into(),
            "cloudwatch logs" => "logs".into(),
            "securityhub" => "securityhub".into(),
            s => s.replace(' ', ""),
        }
    };
    for op in &sent {
        let (svc, name) = op.split_once(':').unwrap();
        assert!(guard::is_read_only(name), "{op} is not read-only");
        if svc.eq_ignore_ascii_case("sts") {
            continue; // GetCallerIdentity needs no permission
        }
        let action = format!("{}:{name}", prefix(svc));
        let action = renamed.iter().find(|(from, _)| *from == action).map(|(_, to)| to.to_string()).unwrap_or(action);
        assert!(
            ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&action)),
            "{op} (as {action}) was sent but is not in the IAM policy"
        );
    }
}

/// Reading a trail's log files (`rampart watch cloudtrail`) sends only reads, each granted by
/// the watch policy (`rampart iam-policy watch`, scoped to the trail's bucket) or the scanning
/// one; the object reads are the watch policy's only, never the scanning policy's.
#[tokio::test(flavor = "multi_thread")]
async fn trail_bucket_reads_are_covered_by_the_watch_policy_only() {
    let moto = harness::moto();
    set_env(&moto.url);
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest()).endpoint_url(&moto.url).load().await;
    let plain = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    plain.create_bucket().bucket("trail-logs").send().await.unwrap();
    let key = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/07/x.json.gz";
    plain.put_object().bucket("trail-logs").key(key).body(b"{}".to_vec().into()).send().await.unwrap();

    let opts = Options { endpoint_url: Some(moto.url.clone()), ..Options::default() };
    let session = rampart_collect_aws::refresh::Session::start(&opts).await.expect("session");
    let bucket = session.trail_bucket("trail-logs").await.expect("trail bucket");
    let folders = session.list_folders(&bucket, "AWSLogs/").await.expect("folders");
    assert_eq!(folders, ["AWSLogs/123456789012/"]);
    let keys = session.list_keys(&bucket, "AWSLogs/", None, 10).await.expect("keys");
    assert_eq!(keys, [key]);
    assert_eq!(session.get_object(&bucket, key, 1 << 20).await.expect("object"), b"{}");

    // The plain client above has no guard: only the session's calls are recorded (one
    // process per test under nextest).
    let sent = guard::sent_operations();
    let renamed = [("s3:ListObjectsV2", "s3:ListBucket")];
    let mut watched = 0;
    for op in &sent {
        let (svc, name) = op.split_once(':').unwrap();
        assert!(guard::is_read_only(name), "{op} is not read-only");
        if svc.eq_ignore_ascii_case("sts") {
            continue;
        }
        let action = format!("{}:{name}", svc.to_ascii_lowercase());
        let action = renamed.iter().find(|(from, _)| *from == action).map(|(_, to)| to.to_string()).unwrap_or(action);
        let in_watch = WATCH_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&action));
        assert!(in_watch || ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&action)), "{op} (as {action}) is in no policy");
        watched += usize::from(in_watch);
    }
    assert!(watched >= 3, "{sent:?}");
    for a in ["s3:GetObject", "s3:ListBucket"] {
        assert!(WATCH_ACTIONS.contains(&a) && !ACTIONS.contains(&a), "{a}: {WATCH_ACTIONS:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guard_refuses_writes_before_sending() {
    let moto = harness::moto();
    set_env(&moto.url);
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest()).endpoint_url(&moto.url).load().await;
    let ec2 = aws_sdk_ec2::Client::from_conf(aws_sdk_ec2::config::Builder::from(&conf).interceptor(guard::ReadOnlyGuard).build());
    let err = ec2.create_vpc().cidr_block("10.9.0.0/16").send().await.expect_err("a write must be refused");
    let msg = format!("{:?}", err);
    assert!(msg.contains("only sends read-only calls"), "{msg}");
    // Nothing reached the server.
    let plain = aws_sdk_ec2::Client::new(&conf);
    let vpcs = plain.describe_vpcs().send().await.unwrap();
    assert!(vpcs.vpcs().iter().all(|v| v.cidr_block() != Some("10.9.0.0/16")));
}

/// SNS `Publish` (the event target of `notify.rs`) is the one write Rampart makes, and it
/// stays outside scanning: a client built as scanning builds them refuses it before
/// sending, the read-only policy does not list it, and no scanning source file builds a
/// client without the guard or names the publish call.
#[tokio::test(flavor = "multi_thread")]
async fn scanning_still_cannot_publish() {
    let moto = harness::moto();
    set_env(&moto.url);
    assert!(!guard::is_read_only("Publish"));
    assert!(!ACTIONS.iter().any(|a| a.eq_ignore_ascii_case("sns:Publish")), "{ACTIONS:?}");
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest()).endpoint_url(&moto.url).load().await;
    let plain = aws_sdk_sns::Client::new(&conf);
    let topic = plain.create_topic().name("guarded").send().await.unwrap().topic_arn().unwrap().to_string();
    let guarded = aws_sdk_sns::Client::from_conf(aws_sdk_sns::config::Builder::from(&conf).interceptor(guard::ReadOnlyGuard).build());
    let err = guarded.publish().topic_arn(&topic).message("x").send().await.expect_err("Publish must be refused");
    assert!(format!("{err:?}").contains("refusing `SNS:Publish`") || format!("{err:?}").contains("only sends read-only calls"), "{err:?}");

    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 10);
    for f in files {
        if f.file_name().is_some_and(|n| n == "notify.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let name = f.strip_prefix(&src).unwrap().display().to_string();
        assert!(!text.contains(".publish(") && !text.contains("notify::"), "{name} publishes: only notify.rs may");
        assert!(!text.contains("Client::new("), "{name} builds a client without the read-only guard");
        // Every client built from a config is built with the guard, in the same statement.
        for (i, _) in text.match_indices("Client::from_conf(") {
            let stmt = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e)];
            let built = text[..i].rfind("let mut b = ").map(|s| &text[s..i]).unwrap_or("");
            assert!(stmt.contains("ReadOnlyGuard") || built.contains("interceptor(ReadOnlyGuard)"), "{name}: a client without the read-only guard: {stmt}");
        }
    }
}

/// The first build stays fast (docs/benchmarks.md, "First build"): every AWS SDK crate in the
/// lock file, service crate or runtime, is built at opt-level 0 in release. A new SDK crate
/// without its `[profile.release.package.<name>]` entry would quietly add minutes.
#[test]
fn every_aws_sdk_crate_is_built_without_optimisation_in_release() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let runtime = ["aws-config", "aws-credential-types", "aws-runtime", "aws-sigv4", "aws-types"];
    let mut missing = Vec::new();
    for name in lock.lines().filter_map(|l| l.strip_prefix("name = \"")).map(|l| l.trim_end_matches('"')) {
        let sdk = name.starts_with("aws-sdk-") || (name.starts_with("aws-smithy-") && !name.ends_with("-macros"));
        if !(sdk || runtime.contains(&name)) {
            continue;
        }
        let entry = format!("[profile.release.package.{name}]\nopt-level = 0\n");
        if !manifest.contains(&entry) && !missing.contains(&name) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "add `[profile.release.package.<name>] opt-level = 0` to Cargo.toml for {missing:?}");
}
