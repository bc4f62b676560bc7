//! Quotas close to or at their limit, for the quotas whose usage the inventory can count.
//!
//! Trusted Advisor "Service Limits": yellow when usage reaches 80 % of a quota, red at 100 %
//! (`thresholds.service_limit_warning_percent` / `service_limit_error_percent`). Usage is
//! counted from the inventory of the same region, so the verdict and the count come from one
//! snapshot; a quota the inventory cannot count uses the usage the collector recorded, if any.
//! Codes (Service Quotas `quota_code`):
//!
//! | quota | counted as |
//! |---|---|
//! | `vpc` L-F678F1CE VPCs per Region | VPCs |
//! | `vpc` L-A4707A72 Internet gateways per Region | internet gateways |
//! | `vpc` L-E79EC296 VPC security groups per Region | security groups |
//! | `vpc` L-DF5E4CA3 Network interfaces per Region | network interfaces |
//! | `ec2` L-0263D0A3 EC2-VPC Elastic IPs | Elastic IP addresses |
//! | `ebs` L-309BACF6 Snapshots per Region | EBS snapshots owned by the account |
//! | `rds` L-7B6409FD DB instances | RDS DB instances |
//! | `rds` L-952B80B8 DB clusters | DB clusters, as `DescribeDBClusters` lists them (Aurora, Multi-AZ DB clusters, and the Neptune and DocumentDB clusters the RDS API also lists) |
//! | `rds` L-272F1212 Manual DB instance snapshots | DB snapshots of type `manual` (automated snapshots, AWS Backup's `awsbackup` ones and snapshots shared by other accounts do not count) |
//! | `rds` L-9B510759 Manual DB cluster snapshots | DB cluster snapshots of type `manual` (same exclusions) |
//! | `rds` L-A59F4C87 Event subscriptions | RDS event notification subscriptions |
//! | `elasticloadbalancing` L-E9E9831D / L-53DA6B97 / L-69A177A2 | Classic / Application / Network load balancers |
//!
//! IAM's account-wide quotas come from IAM itself: `GetAccountSummary` returns each count next
//! to its quota (`Users` / `UsersQuota`, `Groups`, `Roles`, `Policies` — customer managed
//! policies —, `ServerCertificates`, `InstanceProfiles`; Trusted Advisor watches instance
//! profiles and server certificates among them). They are judged once per account, in its home
//! region.
//!
//! One result per collected quota and region, and per IAM quota and account.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Observed, Region, ServiceQuota};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "servicequotas_usage",
        title: "Service quota usage is at or above 80 % of the limit",
        description: "When a quota is reached, creating one more VPC, address, load balancer, DB instance or cluster, manual DB snapshot or RDS event subscription fails, often in the middle of a deployment or a scale-out. Yellow from `thresholds.service_limit_warning_percent` (default 80), red from `thresholds.service_limit_error_percent` (default 100).",
        severity: Severity::Medium,
        category: Category::ServiceLimits,
        service: "servicequotas",
        resource_type: ResourceType::Other,
        standards: &[StandardRef::ta("Service Limits")],
        remediation: Remediation {
            console: "Service Quotas console > AWS services > the service > the quota > Request increase at account level; or delete resources you no longer need.",
            cli: "aws service-quotas request-service-quota-increase --service-code <service-code> --quota-code <quota-code> --desired-value <value> --region <region>",
            url: "https://docs.aws.amazon.com/servicequotas/latest/userguide/request-quota-increase.html",
        },
    },
    run,
};

/// Counts the usage of a quota in `region`: `None` when Rampart cannot count it, `Err` with why
/// when the data it counts could not be read.
fn count(region: &Region, q: &ServiceQuota) -> Option<Result<usize, String>> {
    fn ec2(region: &Region, what: &str, list: impl FnOnce(&rampart_inventory::Ec2) -> Result<usize, String>) -> Result<usize, String> {
        match &region.ec2 {
            Observed::Known(e) => list(e).map_err(|why| format!("{what} could not be listed: {why}")),
            Observed::Unknown(why) => Err(format!("EC2 could not be read: {why}")),
        }
    }
    fn len<T>(o: &Observed<Vec<T>>) -> Result<usize, String> {
        o.as_result().map(Vec::len).map_err(str::to_string)
    }
    fn rds(region: &Region, what: &str, count: impl FnOnce(&rampart_inventory::Rds) -> Result<usize, String>) -> Result<usize, String> {
        match &region.rds {
            Observed::Known(r) => count(r).map_err(|why| format!("{what} could not be listed: {why}")),
            Observed::Unknown(why) => Err(format!("RDS could not be read: {why}")),
        }
    }
    // The manual-snapshot quotas count `manual` snapshots only: not `automated` ones, nor AWS
    // Backup's (`awsbackup`), which the RDS quotas page says do not count.
    fn manual(snapshots: &[rampart_inventory::DbSnapshot]) -> usize {
        snapshots.iter().filter(|s| s.snapshot_type == "manual").count()
    }
    let v2 = |kind: &str| match &region.elbv2 {
        Observed::Known(v2) => Ok(v2.load_balancers.iter().filter(|lb| lb.kind == kind).count()),
        Observed::Unknown(why) => Err(format!("load balancers could not be listed: {why}")),
    };
    Some(match (q.service_code.as_str(), q.quota_code.as_str()) {
        ("vpc", "L-F678F1CE") => ec2(region, "VPCs", |e| len(&e.vpcs)),
        ("vpc", "L-A4707A72") => ec2(region, "internet gateways", |e| len(&e.internet_gateways)),
        ("vpc", "L-E79EC296") => ec2(region, "security groups", |e| Ok(e.security_groups.len())),
        ("vpc", "L-DF5E4CA3") => ec2(region, "network interfaces", |e| len(&e.network_interfaces)),
        ("ec2", "L-0263D0A3") => ec2(region, "Elastic IP addresses", |e| len(&e.addresses)),
        ("ebs", "L-309BACF6") => ec2(region, "snapshots", |e| len(&e.snapshots)),
        ("rds", "L-7B6409FD") => rds(region, "DB instances", |r| Ok(r.db_instances.len())),
        ("rds", "L-952B80B8") => rds(region, "DB clusters", |r| len(&r.db_clusters)),
        ("rds", "L-272F1212") => rds(region, "DB snapshots", |r| Ok(manual(&r.db_snapshots))),
        ("rds", "L-9B510759") => rds(region, "DB cluster snapshots", |r| Ok(manual(&r.db_cluster_snapshots))),
        ("rds", "L-A59F4C87") => rds(region, "event subscriptions", |r| len(&r.event_subscriptions)),
        ("elasticloadbalancing", "L-E9E9831D") => len(&region.elb).map_err(|why| format!("classic load balancers could not be listed: {why}")),
        ("elasticloadbalancing", "L-53DA6B97") => v2("application"),
        ("elasticloadbalancing", "L-69A177A2") => v2("network"),
        _ => return None,
    })
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let (warn, error) = (f64::from(ctx.thresholds.service_limit_warning_percent), f64::from(ctx.thresholds.service_limit_error_percent));
    crate::aws::each_regional(ctx, out, "servicequotas", ResourceType::Other, "quota", |r| &r.service_quotas, |account, region, q, out| {
        let id = account.arn("servicequotas", &region.name, &format!("{}/{}", q.service_code, q.quota_code));
        let res = resource(account, &region.name, ResourceType::Other, id, &q.quota_name);
        let usage = match count(region, q) {
            Some(Ok(n)) => n as f64,
            Some(Err(why)) => return out.not_available(res, format!("usage of `{}` cannot be counted: {why}", q.quota_name)),
            None => match q.usage {
                Some(u) => u,
                None => return out.not_available(res, format!("Rampart cannot count the usage of `{}` ({}) from the inventory", q.quota_name, q.quota_code)),
            },
        };
        judge(out, res, &q.quota_name, usage, q.value, warn, error);
    });
    for account in &ctx.inventory.accounts {
        let home = &account.home_region;
        let summary = match account.iam.as_result().map_err(str::to_string).and_then(|i| i.account_summary.as_result().map_err(str::to_string)) {
            Ok(s) => s,
            Err(why) => {
                let res = resource(account, home, ResourceType::Other, account.arn("servicequotas", home, "iam/*"), "IAM quotas");
                out.not_available(res, format!("the IAM account summary could not be read: {why}"));
                continue;
            }
        };
        for (key, name) in IAM_QUOTAS {
            let (Some(used), Some(quota)) = (summary.get(*key), summary.get(&format!("{key}Quota"))) else { continue };
            let res = resource(account, home, ResourceType::Other, account.arn("servicequotas", home, &format!("iam/{key}")), name);
            judge(out, res, name, *used as f64, *quota as f64, warn, error);
        }
    }
}

/// `GetAccountSummary` keys whose `<key>Quota` is the account's IAM quota, and the quota's name.
const IAM_QUOTAS: &[(&str, &str)] = &[
    ("Users", "IAM users per account"),
    ("Groups", "IAM groups per account"),
    ("Roles", "IAM roles per account"),
    ("Policies", "IAM customer managed policies per account"),
    ("ServerCertificates", "IAM server certificates per account"),
    ("InstanceProfiles", "IAM instance profiles per account"),
];

/// Trusted Advisor's colours for `usage` of `value`: red from `error` %, yellow from `warn` %.
fn judge(out: &mut Emit, res: rampart_model::Resource, name: &str, usage: f64, value: f64, warn: f64, error: f64) {
    // A zero quota is exhausted by any use at all.
    let percent = if value > 0.0 { usage / value * 100.0 } else if usage > 0.0 { f64::INFINITY } else { 0.0 };
    let what = format!("{name} uses {usage} of {value} ({percent:.0} %)");
    if percent >= error {
        out.fail_with(res, Severity::High, format!("{what}, at or above the {error} % error threshold"));
    } else if percent >= warn {
        out.fail(res, format!("{what}, at or above the {warn} % warning threshold"));
    } else {
        out.pass(res, format!("{what}, below the {warn} % warning threshold"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClassicLoadBalancer, DbCluster, DbSnapshot, Inventory, LoadBalancerV2, RdsEventSubscription, Vpc};
    use rampart_model::Status;

    fn quota(service: &str, code: &str, value: f64) -> ServiceQuota {
        ServiceQuota { service_code: service.into(), quota_code: code.into(), quota_name: format!("{service} {code}"), value, usage: None }
    }

    fn vpcs(n: usize) -> Observed<Vec<Vpc>> {
        Observed::Known((0..n).map(|i| Vpc { vpc_id: format!("vpc-{i}"), ..Default::default() }).collect())
    }

    /// `n` manual snapshots, plus one automated and one AWS Backup snapshot, which the manual
    /// snapshot quotas do not count.
    fn snapshots(n: usize) -> Vec<DbSnapshot> {
        let of = |kind: &str| DbSnapshot { snapshot_type: kind.into(), ..Default::default() };
        let mut out = vec![of("manual"); n];
        out.extend([of("automated"), of("awsbackup")]);
        out
    }

    /// With a quota of 5, `plant(n)` objects: 3 pass, 4 (80 %) are yellow, 5 (100 %) red; and when
    /// `unknown` makes the counted data unreadable, NOT_AVAILABLE naming the failed call.
    fn pass_yellow_red_unknown(service: &str, code: &str, plant: impl Fn(&mut Inventory, usize), unknown: impl Fn(&mut Inventory, String)) {
        let mut inv = inventory();
        region(&mut inv).service_quotas = Observed::Known(vec![quota(service, code, 5.0)]);
        for (n, status, severity) in [(0, Status::Passed, None), (3, Status::Passed, None), (4, Status::Failed, None), (5, Status::Failed, Some(Severity::High))] {
            plant(&mut inv, n);
            let r = run_check(&CHECK, &inv);
            assert_eq!((r.len(), r[0].status, r[0].severity), (1, status, severity), "{code}, {n}: {}", r[0].reason);
            assert!(r[0].reason.contains(&format!("uses {n} of 5")), "{code}: {}", r[0].reason);
        }
        unknown(&mut inv, "rds:Describe access denied".into());
        let (status, why) = single(&CHECK, &inv);
        assert_eq!(status, Status::NotAvailable, "{code}: {why}");
        assert!(why.contains("rds:Describe access denied"), "{code}: {why}");
    }

    #[test]
    fn rds_db_clusters() {
        pass_yellow_red_unknown(
            "rds",
            "L-952B80B8",
            |inv, n| rds(inv).db_clusters = Observed::Known(vec![DbCluster::default(); n]),
            |inv, why| rds(inv).db_clusters = Observed::Unknown(why),
        );
    }

    #[test]
    fn rds_manual_db_instance_snapshots() {
        pass_yellow_red_unknown(
            "rds",
            "L-272F1212",
            |inv, n| rds(inv).db_snapshots = snapshots(n),
            // The snapshots are read with the rest of RDS: unknown with it.
            |inv, why| region(inv).rds = Observed::Unknown(why),
        );
    }

    #[test]
    fn rds_manual_db_cluster_snapshots() {
        pass_yellow_red_unknown(
            "rds",
            "L-9B510759",
            |inv, n| rds(inv).db_cluster_snapshots = snapshots(n),
            |inv, why| region(inv).rds = Observed::Unknown(why),
        );
    }

    #[test]
    fn rds_event_subscriptions() {
        pass_yellow_red_unknown(
            "rds",
            "L-A59F4C87",
            |inv, n| rds(inv).event_subscriptions = Observed::Known(vec![RdsEventSubscription::default(); n]),
            |inv, why| rds(inv).event_subscriptions = Observed::Unknown(why),
        );
    }

    #[test]
    fn pass_yellow_red() {
        let mut inv = inventory();
        region(&mut inv).service_quotas = Observed::Known(vec![quota("vpc", "L-F678F1CE", 5.0)]);
        for (n, status, severity) in [(3, Status::Passed, None), (4, Status::Failed, None), (5, Status::Failed, Some(Severity::High)), (6, Status::Failed, Some(Severity::High))] {
            ec2(&mut inv).vpcs = vpcs(n);
            let r = run_check(&CHECK, &inv);
            assert_eq!((r.len(), r[0].status, r[0].severity), (1, status, severity), "{n} VPCs: {}", r[0].reason);
        }
        let r = run_check(&CHECK, &inv);
        assert!(r[0].reason.contains("uses 6 of 5 (120 %)") && r[0].reason.contains("100 % error threshold"), "{}", r[0].reason);
        assert_eq!(r[0].resource.id, "arn:aws:servicequotas:us-east-1:123456789012:vpc/L-F678F1CE");
    }

    #[test]
    fn every_watched_quota_is_counted() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![ClassicLoadBalancer::default(); 2]);
        region(&mut inv).elbv2 = Observed::Known(rampart_inventory::Elbv2 {
            load_balancers: vec![
                LoadBalancerV2 { kind: "application".into(), ..Default::default() },
                LoadBalancerV2 { kind: "network".into(), ..Default::default() },
                LoadBalancerV2 { kind: "network".into(), ..Default::default() },
            ],
            target_groups: vec![],
        });
        ec2(&mut inv).vpcs = vpcs(2);
        ec2(&mut inv).internet_gateways = Observed::Known(vec![Default::default(); 2]);
        ec2(&mut inv).security_groups = vec![Default::default(); 2];
        ec2(&mut inv).network_interfaces = Observed::Known(vec![Default::default(); 2]);
        ec2(&mut inv).addresses = Observed::Known(vec![Default::default(); 2]);
        ec2(&mut inv).snapshots = Observed::Known(vec![Default::default(); 2]);
        rds(&mut inv).db_instances = vec![Default::default(); 2];
        rds(&mut inv).db_clusters = Observed::Known(vec![Default::default(); 2]);
        rds(&mut inv).db_snapshots = snapshots(2);
        rds(&mut inv).db_cluster_snapshots = snapshots(2);
        rds(&mut inv).event_subscriptions = Observed::Known(vec![Default::default(); 2]);
        let codes = [
            ("vpc", "L-F678F1CE"),
            ("vpc", "L-A4707A72"),
            ("vpc", "L-E79EC296"),
            ("vpc", "L-DF5E4CA3"),
            ("ec2", "L-0263D0A3"),
            ("ebs", "L-309BACF6"),
            ("rds", "L-7B6409FD"),
            ("rds", "L-952B80B8"),
            ("rds", "L-272F1212"),
            ("rds", "L-9B510759"),
            ("rds", "L-A59F4C87"),
            ("elasticloadbalancing", "L-E9E9831D"),
            ("elasticloadbalancing", "L-69A177A2"),
        ];
        // Each of these counts 2: a quota of 2 is red, of 10 green.
        region(&mut inv).service_quotas = Observed::Known(codes.iter().map(|(s, c)| quota(s, c, 2.0)).collect());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed; codes.len()]);
        region(&mut inv).service_quotas = Observed::Known(codes.iter().map(|(s, c)| quota(s, c, 10.0)).collect());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed; codes.len()]);
        // One application load balancer out of 1.
        region(&mut inv).service_quotas = Observed::Known(vec![quota("elasticloadbalancing", "L-53DA6B97", 1.0)]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
    }

    #[test]
    fn configured_percentages_change_the_verdict() {
        let mut inv = inventory();
        region(&mut inv).service_quotas = Observed::Known(vec![quota("vpc", "L-F678F1CE", 5.0)]);
        ec2(&mut inv).vpcs = vpcs(3); // 60 %
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        let t = crate::Thresholds { service_limit_warning_percent: 50, service_limit_error_percent: 60, ..Default::default() };
        let r = run_check_with(&CHECK, &inv, &t);
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::High)));
        assert!(r[0].reason.contains("60 % error threshold"), "{}", r[0].reason);
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        region(&mut inv).service_quotas = Observed::Unknown("servicequotas:GetServiceQuota access denied".into());
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("servicequotas:GetServiceQuota"), "{why}");

        // The counted data is unknown.
        region(&mut inv).service_quotas = Observed::Known(vec![quota("vpc", "L-F678F1CE", 5.0), quota("rds", "L-7B6409FD", 40.0)]);
        ec2(&mut inv).vpcs = Observed::Unknown("ec2:DescribeVpcs access denied".into());
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        let r = run_check(&CHECK, &inv);
        assert!(r.iter().all(|r| r.status == Status::NotAvailable), "{r:#?}");
        assert!(r[0].reason.contains("ec2:DescribeVpcs"), "{}", r[0].reason);

        // A quota Rampart cannot count: the recorded usage, else NOT_AVAILABLE.
        let mut other = quota("lambda", "L-B99A9384", 1000.0);
        region(&mut inv).service_quotas = Observed::Known(vec![other.clone()]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        other.usage = Some(900.0);
        region(&mut inv).service_quotas = Observed::Known(vec![other]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
    }

    #[test]
    fn iam_quotas_come_from_the_account_summary() {
        let mut inv = inventory();
        let summary: std::collections::BTreeMap<String, i64> = [("Users", 4), ("UsersQuota", 5), ("Roles", 1000), ("RolesQuota", 1000), ("Groups", 3), ("GroupsQuota", 300), ("Policies", 7)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        iam(&mut inv).account_summary = Observed::Known(summary);
        let r: Vec<_> = run_check(&CHECK, &inv).into_iter().filter(|r| r.resource.id.contains(":iam/")).collect();
        let got: Vec<(&str, Status, Option<Severity>)> = r.iter().map(|r| (r.resource.name.as_str(), r.status, r.severity)).collect();
        // Policies has no quota in this summary: no result for it.
        assert_eq!(
            got,
            vec![
                ("IAM users per account", Status::Failed, None),
                ("IAM groups per account", Status::Passed, None),
                ("IAM roles per account", Status::Failed, Some(Severity::High)),
            ]
        );
        assert!(r[0].reason.contains("IAM users per account uses 4 of 5 (80 %)"), "{}", r[0].reason);
        iam(&mut inv).account_summary = Observed::Unknown("iam:GetAccountSummary denied".into());
        let r: Vec<_> = run_check(&CHECK, &inv).into_iter().filter(|r| r.resource.id.contains(":iam/")).collect();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].status, Status::NotAvailable);
    }
}

