//! S3 buckets that do not replicate to another Region.
//!
//! Prowler's `s3_bucket_cross_region_replication` (see `crate::prowler`): a bucket passes when
//! an enabled replication rule sends its objects to a bucket in another Region. The
//! destination's Region is read from the account's own buckets; a destination the inventory
//! does not hold (another account's bucket) cannot be placed and is NOT_AVAILABLE unless
//! another rule already passes. Rules to a bucket of the same Region (same-Region replication)
//! do not count. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_cross_region_replication",
        title: "S3 buckets do not replicate to another Region",
        description: "A bucket kept in one Region is lost with that Region (or with a mistaken bulk deletion there); cross-Region replication keeps a copy elsewhere.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[],
        remediation: Remediation {
            console: "S3 console > the bucket > Management > Replication rules > Create replication rule: a destination bucket in another Region (versioning on both), with an IAM role S3 can assume.",
            cli: "aws s3api put-bucket-replication --bucket <bucket> --replication-configuration file://replication.json",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |account, bucket, res, out| {
        let dests = match &bucket.replication_destinations {
            Observed::Known(d) => d,
            Observed::Unknown(why) => return out.not_available(res, format!("the replication configuration could not be read: {why}")),
        };
        if dests.is_empty() {
            return out.fail(res, "the bucket has no enabled replication rule");
        }
        let region_of = |arn: &str| -> Option<String> {
            let name = arn.rsplit(':').next().unwrap_or(arn);
            match &account.s3 {
                Observed::Known(s3) => s3.buckets.iter().find(|b| b.name == name).map(|b| b.region.clone()),
                Observed::Unknown(_) => None,
            }
        };
        let mut unplaced = Vec::new();
        for d in dests {
            match region_of(d) {
                Some(r) if r != bucket.region => return out.pass(res, format!("objects are replicated to {d} in {r}")),
                Some(_) => {}
                None => unplaced.push(d.as_str()),
            }
        }
        if unplaced.is_empty() {
            out.fail(res, format!("replication goes only to buckets in {}", bucket.region));
        } else {
            out.not_available(res, format!("the Region of {} is not known (not a bucket of the account)", unplaced.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Bucket;
    use rampart_model::Status;

    fn with_replica(dests: Observed<Vec<String>>) -> rampart_inventory::Inventory {
        let mut inv = with_bucket(|b| {
            b.name = "data".into();
            b.replication_destinations = dests;
        });
        let s3 = account(&mut inv).s3.known_mut().unwrap();
        for (name, region) in [("data-eu", "eu-west-1"), ("data-copy", "us-east-1")] {
            s3.buckets.push(Bucket {
                name: name.into(),
                region: region.into(),
                replication_destinations: Observed::Known(vec![]),
                ..Default::default()
            });
        }
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        let arn = |n: &str| format!("arn:aws:s3:::{n}");
        let first = |inv: &rampart_inventory::Inventory| {
            run_check(&CHECK, inv).into_iter().find(|r| r.resource.name == "data").map(|r| (r.status, r.reason)).unwrap()
        };
        // Same-Region first, another Region second: the second rule passes it.
        assert_eq!(first(&with_replica(Observed::Known(vec![arn("data-copy"), arn("data-eu")]))).0, Status::Passed);
        let (s, why) = first(&with_replica(Observed::Known(vec![arn("data-copy")])));
        assert_eq!((s, why.as_str()), (Status::Failed, "replication goes only to buckets in us-east-1"));
        assert_eq!(first(&with_replica(Observed::Known(vec![]))).0, Status::Failed);
        assert_eq!(first(&with_replica(Observed::Known(vec![arn("someone-elses")]))).0, Status::NotAvailable);
        assert_eq!(first(&with_replica(Observed::Unknown("denied".into()))).0, Status::NotAvailable);
    }
}
