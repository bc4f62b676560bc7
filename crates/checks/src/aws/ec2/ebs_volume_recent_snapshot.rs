//! EBS volumes without a recent snapshot.
//!
//! Trusted Advisor "Amazon EBS Snapshots" (fault tolerance): yellow when a volume's newest
//! snapshot is more than 7 days old (`thresholds.volume_snapshot_max_age_days`), red when it
//! is more than 30 days old or the volume has none. Only completed snapshots of the volume
//! count. One result per volume that is `available` or `in-use`.

use super::{each_ec2_item, volume_resource};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

/// Trusted Advisor's red mark; a configured yellow limit above it moves it up.
pub const RED_AGE_DAYS: i64 = 30;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_volume_recent_snapshot",
        title: "EBS volumes have no recent snapshot",
        description: "A volume without a recent snapshot cannot be restored to a recent state after a failure, a deletion or ransomware. The limit is `thresholds.volume_snapshot_max_age_days` (default 7); no snapshot, or none within 30 days, is red.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Volume,
        standards: &[StandardRef::ta("Amazon EBS Snapshots")],
        remediation: Remediation {
            console: "EC2 console > Volumes > the volume > Actions > Create snapshot; schedule snapshots with Data Lifecycle Manager or an AWS Backup plan.",
            cli: "aws ec2 create-snapshot --volume-id <vol-id> --description \"backup\"  # schedule: aws dlm create-lifecycle-policy ...",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lifecycle.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let max_age = i64::from(ctx.thresholds.volume_snapshot_max_age_days);
    let red_age = RED_AGE_DAYS.max(max_age);
    each_ec2_item(ctx, out, ResourceType::AwsEc2Volume, "volume", |e| &e.volumes, |account, region, ec2, v, out| {
        if v.state != "available" && v.state != "in-use" {
            return;
        }
        let res = volume_resource(account, region, v);
        let snapshots = match &ec2.snapshots {
            Observed::Known(s) => s,
            Observed::Unknown(why) => return out.not_available(res, format!("snapshots could not be listed: {why}")),
        };
        let mut newest = None;
        let mut undated = 0;
        for s in snapshots.iter().filter(|s| s.volume_id.as_deref() == Some(v.volume_id.as_str()) && s.state == "completed") {
            match s.start_time.as_deref().and_then(parse_time) {
                Some(t) => newest = newest.max(Some(t)),
                None => undated += 1,
            }
        }
        match newest {
            Some(t) => {
                let age = days_since(t, ctx.now);
                if age > red_age {
                    out.fail_with(res, Severity::High, format!("the newest snapshot is {age} days old (more than {red_age})"));
                } else if age > max_age {
                    out.fail(res, format!("the newest snapshot is {age} days old (more than {max_age})"));
                } else {
                    out.pass(res, format!("the newest snapshot is {age} days old (limit {max_age})"));
                }
            }
            None if undated > 0 => out.not_available(res, format!("{undated} snapshot(s) of the volume have no readable start time")),
            None => out.fail_with(res, Severity::High, "the volume has no snapshot"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Snapshot, Volume};
    use rampart_model::Status;

    fn vol(id: &str) -> Volume {
        Volume { volume_id: id.into(), state: "in-use".into(), ..Default::default() }
    }

    fn snap(volume: &str, start: Option<&str>) -> Snapshot {
        Snapshot { snapshot_id: format!("snap-{volume}-{}", start.unwrap_or("x")), volume_id: Some(volume.into()), state: "completed".into(), start_time: start.map(Into::into), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        // now = 2026-11-27 12:00
        let mut inv = inventory();
        ec2(&mut inv).volumes = Observed::Known(vec![vol("vol-fresh"), vol("vol-week"), vol("vol-month"), vol("vol-none"), vol("vol-undated")]);
        ec2(&mut inv).snapshots = Observed::Known(vec![
            snap("vol-fresh", Some("2026-10-01T00:00:00Z")),
            snap("vol-fresh", Some("2026-11-26T00:00:00Z")),
            snap("vol-week", Some("2026-11-10T00:00:00Z")),
            snap("vol-month", Some("2026-09-01T00:00:00Z")),
            // A failed snapshot does not count.
            Snapshot { state: "error".into(), ..snap("vol-none", Some("2026-11-26T00:00:00Z")) },
            snap("vol-undated", None),
        ]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<_> = r.iter().map(|r| (r.status, r.severity)).collect();
        assert_eq!(
            got,
            vec![
                (Status::Passed, None),
                (Status::Failed, None),
                (Status::Failed, Some(Severity::High)),
                (Status::Failed, Some(Severity::High)),
                (Status::NotAvailable, None),
            ]
        );
        assert!(r[1].reason.contains("17 days old (more than 7)"), "{}", r[1].reason);

        ec2(&mut inv).snapshots = Observed::Unknown("ec2:DescribeSnapshots access denied".into());
        assert!(run_check(&CHECK, &inv).iter().all(|r| r.status == Status::NotAvailable));
        ec2(&mut inv).volumes = Observed::Unknown("ec2:DescribeVolumes access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn configured_age_changes_the_verdict() {
        let mut inv = inventory();
        ec2(&mut inv).volumes = Observed::Known(vec![vol("vol-week")]);
        ec2(&mut inv).snapshots = Observed::Known(vec![snap("vol-week", Some("2026-11-10T00:00:00Z"))]);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { volume_snapshot_max_age_days: 21, ..Default::default() });
        assert_eq!(r[0].status, Status::Passed);
        assert!(r[0].reason.contains("(limit 21)"), "{}", r[0].reason);
    }
}
