//! EC2 instances stopped for longer than `thresholds.stopped_instance_max_days` (default 30).
//!
//! Security Hub EC2.4 (FSBP; AWS Config rule `ec2-stopped-instance`, parameter `AllowedDays`,
//! default 30): <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-4>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-stopped-instance.html>.
//! A stopped instance fails when it has been stopped for longer than the allowed number of days
//! **or when that time cannot be determined** (as AWS Config does). The stop time is the one EC2
//! writes into `StateTransitionReason` (`User initiated (2026-11-27 12:00:00 GMT)`). Instances in
//! any other state pass; terminated instances are out of scope. One result per instance.
//!
//! AWS: "The rule is NON_COMPLIANT if the state of an Amazon EC2 instance has been stopped for
//! longer than the allowed number of days, or if the amount of time cannot be determined"
//! (Config `ec2-stopped-instance`). Exactly 30 days passes, a second more fails
//! (`day_30_passes_a_second_more_fails`).

use super::each_live_instance;
use crate::aws::parse_time;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef, Timestamp};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_stopped_too_long",
        title: "EC2 instances stopped for more than 30 days",
        description: "A long-stopped instance keeps its volumes, addresses and permissions but misses every patch; when it is started again it runs outdated software. Terminate instances that are no longer needed (snapshot or image first). The limit is `thresholds.stopped_instance_max_days` (default 30, AWS's `AllowedDays`).",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::fsbp("EC2.4")],
        remediation: Remediation {
            console: "EC2 console > Instances > the stopped instance: create an AMI or snapshots if its data is needed, then Instance state > Terminate instance.",
            cli: "aws ec2 create-image --instance-id <id> --name <name>; aws ec2 terminate-instances --instance-ids <id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let max_days = i64::from(ctx.thresholds.stopped_instance_max_days);
    each_live_instance(ctx, out, |_, _, _, i, res, out| {
        if i.state != "stopped" {
            return out.pass(res, format!("the instance is {}, not stopped", i.state));
        }
        let reason = match &i.state_transition_reason {
            Observed::Known(r) => r.as_deref().unwrap_or(""),
            Observed::Unknown(why) => return out.not_available(res, format!("the instance's state transition reason was not read: {why}")),
        };
        let Some(stopped) = stop_time(reason) else {
            return out.fail(
                res,
                format!("the instance is stopped and the time it stopped cannot be determined (state transition reason `{reason}`)"),
            );
        };
        let days = (ctx.now - stopped).whole_days();
        if ctx.now - stopped > time::Duration::days(max_days) {
            out.fail(res, format!("the instance has been stopped for {days} days (more than {max_days})"));
        } else {
            out.pass(res, format!("the instance has been stopped for {days} days (limit {max_days})"));
        }
    });
}

/// The time in `User initiated (2026-11-27 12:00:00 GMT)`: the last parenthesized
/// `YYYY-MM-DD HH:MM:SS` followed by `GMT` or `UTC`.
fn stop_time(reason: &str) -> Option<Timestamp> {
    let open = reason.rfind('(')?;
    let inner = &reason[open + 1..];
    let inner = &inner[..inner.find(')')?];
    let (date_time, zone) = inner.trim().rsplit_once(' ')?;
    if zone != "GMT" && zone != "UTC" {
        return None;
    }
    let (date, clock) = date_time.split_once(' ')?;
    parse_time(&format!("{date}T{clock}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Instance;
    use rampart_model::Status;

    fn inst(id: &str, state: &str, reason: Observed<Option<String>>) -> Instance {
        Instance { instance_id: id.into(), state: state.into(), state_transition_reason: reason, ..Default::default() }
    }

    fn stopped(id: &str, reason: &str) -> Instance {
        inst(id, "stopped", Observed::Known(Some(reason.into())))
    }

    #[test]
    fn stop_times() {
        assert_eq!(stop_time("User initiated (2026-11-20 08:30:00 GMT)"), parse_time("2026-11-20T08:30:00Z"));
        assert_eq!(stop_time("User initiated (2026-11-20 08:30:00 UTC)"), parse_time("2026-11-20T08:30:00Z"));
        assert_eq!(stop_time("Server.ScheduledStop"), None);
        assert_eq!(stop_time("User initiated (yesterday)"), None);
        assert_eq!(stop_time("User initiated (2026-11-20 08:30:00 CET)"), None);
    }

    #[test]
    fn pass_fail_not_available() {
        // now = 2026-11-27 12:00 UTC
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            inst("i-running", "running", Observed::Known(None)),
            stopped("i-recent", "User initiated (2026-11-20 08:30:00 GMT)"),
            stopped("i-old", "User initiated (2026-09-01 08:30:00 GMT)"),
            stopped("i-undated", "Server.InternalError"),
            inst("i-unread", "stopped", Observed::not_collected()),
            inst("i-gone", "terminated", Observed::Known(None)),
        ]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<Status> = r.iter().map(|r| r.status).collect();
        assert_eq!(got, vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        assert!(r[2].reason.contains("(more than 30)"), "{}", r[2].reason);
        assert!(r[3].reason.contains("cannot be determined"), "{}", r[3].reason);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn configured_days_change_the_verdict() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![stopped("i-recent", "User initiated (2026-11-20 08:30:00 GMT)")]);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { stopped_instance_max_days: 5, ..Default::default() });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("(more than 5)"), "{}", r[0].reason);
    }

    #[test]
    fn day_30_passes_a_second_more_fails() {
        // now = 2026-11-27 12:00 UTC; the control fails "longer than" the allowed days.
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            stopped("i-30-days", "User initiated (2026-10-28 12:00:00 GMT)"),
            stopped("i-30-days-1s", "User initiated (2026-10-28 11:59:59 GMT)"),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
    }
}
