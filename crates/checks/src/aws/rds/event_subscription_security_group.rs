//! RDS event subscriptions for DB security group events that miss critical categories.
//!
//! Security Hub RDS.22:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-22>.
//! Required categories for `db-security-group` subscriptions: `configuration change`, `failure`.
//! See `super::event_subscriptions`. One result per
//! event subscription whose source type is `db-security-group`.
//!
//! AWS: the control's source type and event categories, quoted in `event_subscriptions.rs`; a
//! subscription missing one category fails (`partial`).

use super::event_subscriptions::judge;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_event_subscription_security_group",
        title: "RDS event subscriptions for DB security group events miss critical categories",
        description: "Without notifications on configuration change, failure events of DB security groups, nobody hears about them until something breaks.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsEventSubscription,
        standards: &[StandardRef::fsbp("RDS.22")],
        remediation: Remediation {
            console: "RDS console > Event subscriptions > the subscription > Edit: enable it, keep Source type DB security group, and select the event categories configuration change, failure (or all); save.",
            cli: "aws rds modify-event-subscription --subscription-name <name> --enabled --event-categories \"configuration change\" failure",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Subscribing.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    judge(ctx, out, "db-security-group", &["configuration change", "failure"]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        use super::super::event_subscriptions::tests::sub;
        let mut inv = inventory();
        let disabled = RdsEventSubscription { enabled: false, ..sub("off", "db-security-group", &[]) };
        rds(&mut inv).event_subscriptions = Observed::Known(vec![
            sub("all", "db-security-group", &[]),
            sub("listed", "db-security-group", &["configuration change", "failure"]),
            sub("partial", "db-security-group", &["failure"]),
            disabled,
            sub("other-type", "db-instance", &[]),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed]);
        rds(&mut inv).event_subscriptions = Observed::Unknown("rds:DescribeEventSubscriptions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
