//! EBS snapshots older than `thresholds.snapshot_max_age_days` (default 365).
//!
//! A cost check of Rampart's own: Trusted Advisor has no check for old snapshots. Snapshots are
//! billed for the blocks they hold; old ones are often left behind by deleted volumes or by
//! backup jobs without a retention rule. One result per completed snapshot owned by the account.

use super::{each_ec2_item, snapshot_resource};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_snapshot_old",
        title: "EBS snapshots older than a year",
        description: "Old snapshots keep costing storage long after the volume or the reason to keep them is gone. The age limit is `thresholds.snapshot_max_age_days` (default 365); keep long-lived backups under a retention policy (Data Lifecycle Manager, AWS Backup) or archive them.",
        severity: Severity::Low,
        category: Category::CostOptimization,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Snapshot,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Snapshots > the snapshot: Actions > Delete snapshot, or Archive snapshot to move it to the cheaper archive tier; automate retention with Data Lifecycle Manager.",
            cli: "aws ec2 delete-snapshot --snapshot-id <snap-id>  # or: aws ec2 modify-snapshot-tier --snapshot-id <snap-id> --storage-tier archive",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lifecycle.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let max_age = i64::from(ctx.thresholds.snapshot_max_age_days);
    each_ec2_item(ctx, out, ResourceType::AwsEc2Snapshot, "snapshot", |e| &e.snapshots, |account, region, _, s, out| {
        if s.state != "completed" {
            return;
        }
        let res = snapshot_resource(account, region, s);
        let Some(started) = s.start_time.as_deref() else {
            return out.not_available(res, "the snapshot's start time was not reported");
        };
        let Some(t) = parse_time(started) else {
            return out.malformed(res, format!("start time `{started}` is not an RFC 3339 time"));
        };
        let age = days_since(t, ctx.now);
        if age > max_age {
            out.fail(res, format!("the snapshot is {age} days old (more than {max_age})"));
        } else {
            out.pass(res, format!("the snapshot is {age} days old (limit {max_age})"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Snapshot};
    use rampart_model::Status;

    fn snap(id: &str, start: Option<&str>) -> Snapshot {
        Snapshot { snapshot_id: id.into(), state: "completed".into(), start_time: start.map(Into::into), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        // now = 2026-11-27
        let mut inv = inventory();
        ec2(&mut inv).snapshots = Observed::Known(vec![
            snap("snap-new", Some("2026-06-01T00:00:00Z")),
            snap("snap-old", Some("2024-06-01T00:00:00Z")),
            snap("snap-undated", None),
            Snapshot { state: "pending".into(), ..snap("snap-pending", None) },
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert!(r[1].reason.contains("(more than 365)"), "{}", r[1].reason);
        ec2(&mut inv).snapshots = Observed::Unknown("ec2:DescribeSnapshots access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn configured_age_changes_the_verdict() {
        let mut inv = inventory();
        ec2(&mut inv).snapshots = Observed::Known(vec![snap("snap-new", Some("2026-06-01T00:00:00Z"))]);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { snapshot_max_age_days: 90, ..Default::default() });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(more than 90)"), "{}", r[0].reason);
    }
}
