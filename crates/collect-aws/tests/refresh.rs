//! Reading one resource again (change-triggered checks): a group or bucket that exists is
//! read whole, one that is gone is `None`, and one that cannot be read is an error — never
//! "gone"; a trail's bucket is listed and read through the same guarded calls.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::refresh::Session;
use rampart_collect_aws::Options;
use std::process::Command;

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

fn opts(url: &str) -> Options {
    Options { endpoint_url: Some(url.to_string()), ..Options::default() }
}

/// As `rampart` runs it: on a thread with the main thread's 8 MiB stack (a debug build of a
/// bucket's reads nests deeper than a 2 MiB test thread allows).
#[test]
fn one_group_or_bucket_is_read_again_gone_is_none_and_a_refusal_is_an_error() {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(reread()))
        .expect("spawn")
        .join()
        .expect("the test thread");
}

async fn reread() {
    let moto = harness::moto();
    set_env();
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/trail.py"))
        .arg(&moto.url)
        .arg("setup")
        .output()
        .expect("run trail.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ids: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let web = ids["web"].as_str().unwrap();

    let s = Session::start(&opts(&moto.url)).await.unwrap();
    assert_eq!(s.account, "123456789012");
    let g = s.security_group("us-east-1", web).await.unwrap().expect("the group exists");
    assert_eq!((g.group_id.as_str(), g.group_name.as_str()), (web, "web"));
    assert!(g.ingress.is_empty());
    assert_eq!(s.security_group("us-east-1", "sg-0123456789abcdef0").await.unwrap(), None);
    let b = s.bucket("trail-logs").await.unwrap().expect("the bucket exists");
    assert_eq!(b.name, "trail-logs");
    assert_eq!(s.bucket("no-such-bucket-here").await.unwrap(), None);

    let bucket = s.trail_bucket("trail-logs").await.unwrap();
    assert_eq!(bucket.region, "us-east-1");
    assert!(s.list_keys(&bucket, "AWSLogs/", None, 10).await.unwrap().is_empty());
    // moto answers some of a bucket's reads in a shape the SDK refuses (as in a scan): those
    // are gaps of the bucket; the group and the listing read cleanly.
    let gaps = s.take_gaps();
    assert!(gaps.iter().all(|g| g.action.starts_with("s3:GetBucket") && g.resource.as_deref() == Some("trail-logs")), "{gaps:#?}");

    // Refused: an error with the action, and a gap; not "gone".
    let proxy = harness::deny_proxy(&moto, &["ec2:DescribeSecurityGroups"]);
    let s = Session::start(&opts(&proxy.url)).await.unwrap();
    let e = s.security_group("us-east-1", web).await.unwrap_err();
    assert!(e.starts_with("ec2:DescribeSecurityGroups access denied"), "{e}");
    let gaps = s.take_gaps();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].resource.as_deref(), Some(web));
}

/// A trail folder holding more files read already than one listing returns: the listing goes
/// on past them, a batch at a time, to the files not read yet (with batches of 500 keys here;
/// a poll lists 1,000 at a time). Listing once, as before, found nothing new.
#[test]
fn the_listing_goes_past_a_batch_of_files_read_already() {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(listing()))
        .expect("spawn")
        .join()
        .expect("the test thread");
}

async fn listing() {
    let moto = harness::moto();
    set_env();
    let put = r#"
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
s3.create_bucket(Bucket="busy-trail")
for i in range(1200):
    s3.put_object(Bucket="busy-trail", Key="AWSLogs/1/CloudTrail/us-east-1/2026/12/07/f%04d.json.gz" % i, Body=b"")
s3.put_object(Bucket="busy-trail", Key="AWSLogs/2/other", Body=b"")
"#;
    let out = Command::new(harness::venv().join("bin/python")).arg("-c").arg(put).arg(&moto.url).output().expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = Session::start(&opts(&moto.url)).await.unwrap();
    let bucket = s.trail_bucket("busy-trail").await.unwrap();
    let folder = "AWSLogs/1/CloudTrail/us-east-1/";
    let read_already = |k: &str| k < "AWSLogs/1/CloudTrail/us-east-1/2026/12/07/f1150";
    let mut listings = Vec::new();
    let mut keep = |keys: Vec<String>| -> Result<Vec<String>, String> {
        listings.push(keys.len());
        Ok(keys.into_iter().filter(|k| !read_already(k)).collect())
    };
    let start = "AWSLogs/1/CloudTrail/us-east-1/2026/12/06/";
    let new = s.list_keys_until(&bucket, folder, Some(start), 500, 30, &mut keep).await.unwrap();
    assert_eq!(listings, [500, 500, 200], "three listings, each after the last");
    let names: Vec<&str> = new.iter().map(|k| k.rsplit('/').next().unwrap()).collect();
    assert_eq!(names.len(), 30);
    assert_eq!((names[0], names[29]), ("f1150.json.gz", "f1179.json.gz"));
    // One listing of a batch, as before: nothing new.
    let once = s.list_keys(&bucket, folder, Some(start), 500).await.unwrap();
    assert!(once.iter().all(|k| read_already(k)));
    // Fewer new files than wanted: all of them, and the folder's end stops the listing.
    let all = s
        .list_keys_until(&bucket, folder, Some(start), 500, 1000, &mut |keys| Ok(keys.into_iter().filter(|k| !read_already(k)).collect()))
        .await
        .unwrap();
    assert_eq!(all.len(), 50);
}
