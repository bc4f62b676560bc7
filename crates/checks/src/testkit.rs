//! Test helpers: a one-account inventory to edit, and `run_check` to run one check on it.

use crate::{Check, Ctx, Emit, Thresholds};
use rampart_inventory::{Account, Ec2, Elbv2, Iam, Inventory, Observed, Rds, Region, S3};
use rampart_model::{CheckResult, Status, Timestamp};

pub const ACCOUNT: &str = "123456789012";

pub fn now() -> Timestamp {
    time::macros::datetime!(2026-11-27 12:00 UTC)
}

/// An inventory with one account, one region, and every service read and empty.
pub fn inventory() -> Inventory {
    let mut inv = Inventory::new(now());
    let mut a = Account::empty(ACCOUNT, "aws", "us-east-1");
    a.iam = Observed::Known(Iam {
        account_summary: Observed::Known(Default::default()),
        password_policy: Observed::Known(None),
        virtual_mfa_devices: Observed::Known(vec![]),
        credential_report: Observed::Known(vec![]),
        users: Observed::Known(vec![]),
        groups: Observed::Known(vec![]),
        roles: Observed::Known(vec![]),
        policies: Observed::Known(vec![]),
        saml_providers: Observed::Known(vec![]),
    });
    a.route53 = Observed::Known(vec![]);
    a.cloudfront = Observed::Known(vec![]);
    a.iam_server_certificates = Observed::Known(vec![]);
    a.s3 = Observed::Known(S3 { account_public_access_block: Observed::Known(None), buckets: vec![], multi_region_access_points: Observed::Known(vec![]) });
    let mut r = Region::empty("us-east-1");
    r.ec2 = Observed::Known(Ec2 {
        managed_prefix_lists: Observed::Known(vec![]),
        instances: Observed::Known(vec![]),
        snapshots: Observed::Known(vec![]),
        ebs_encryption_by_default: Observed::Known(true),
        ..Ec2::default()
    });
    r.rds = Observed::Known(Rds {
        db_security_groups: Observed::Known(vec![]),
        db_clusters: Observed::Known(vec![]),
        event_subscriptions: Observed::Known(vec![]),
        ..Rds::default()
    });
    r.elb = Observed::Known(vec![]);
    r.elbv2 = Observed::Known(Elbv2::default());
    r.cloudtrail = Observed::Known(vec![]);
    r.s3_access_points = Observed::Known(vec![]);
    a.regions.push(r);
    inv.accounts.push(a);
    inv
}

pub fn account(inv: &mut Inventory) -> &mut Account {
    &mut inv.accounts[0]
}

pub fn iam(inv: &mut Inventory) -> &mut Iam {
    inv.accounts[0].iam.known_mut().expect("testkit IAM is known")
}

pub fn region(inv: &mut Inventory) -> &mut Region {
    &mut inv.accounts[0].regions[0]
}

pub fn ec2(inv: &mut Inventory) -> &mut Ec2 {
    region(inv).ec2.known_mut().expect("testkit EC2 is known")
}

pub fn rds(inv: &mut Inventory) -> &mut Rds {
    region(inv).rds.known_mut().expect("testkit RDS is known")
}

/// Statuses of all results, in order.
pub fn statuses(check: &Check, inv: &Inventory) -> Vec<Status> {
    run_check(check, inv).iter().map(|r| r.status).collect()
}

pub fn run_check(check: &Check, inv: &Inventory) -> Vec<CheckResult> {
    run_check_with(check, inv, &Thresholds::default())
}

/// Runs `check` with custom thresholds.
pub fn run_check_with(check: &Check, inv: &Inventory, thresholds: &Thresholds) -> Vec<CheckResult> {
    let ctx = Ctx { inventory: inv, now: now(), thresholds, ip_ranges: None };
    let mut emit = Emit::default();
    emit.start(check.meta.id);
    (check.run)(&ctx, &mut emit);
    emit.finish().results
}

/// Runs `check` and returns the single result's status and reason.
pub fn single(check: &Check, inv: &Inventory) -> (Status, String) {
    let r = run_check(check, inv);
    assert_eq!(r.len(), 1, "expected one result, got {r:#?}");
    (r[0].status, r[0].reason.clone())
}
