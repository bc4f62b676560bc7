//! RDS: DB instances, DB clusters, DB and cluster snapshots with who may restore them, event
//! notification subscriptions, and the EC2-Classic DB security groups.

use super::{known_or_return, non_empty, observed, ts, ts_opt};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{DbCluster, DbInstance, DbSecurityGroup, DbSnapshot, Observed, Rds, RdsEventSubscription};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Rds> {
    let client = client!(ctx, aws_sdk_rds);
    let (instances, snapshots, cluster_snapshots, security_groups, clusters, subscriptions) = futures::join!(
        ctx.call("rds:DescribeDBInstances", None, client.describe_db_instances().into_paginator().items().send().try_collect()),
        ctx.call("rds:DescribeDBSnapshots", None, client.describe_db_snapshots().into_paginator().items().send().try_collect()),
        ctx.call("rds:DescribeDBClusterSnapshots", None, client.describe_db_cluster_snapshots().into_paginator().items().send().try_collect()),
        ctx.call("rds:DescribeDBSecurityGroups", None, client.describe_db_security_groups().into_paginator().items().send().try_collect()),
        ctx.call("rds:DescribeDBClusters", None, client.describe_db_clusters().into_paginator().items().send().try_collect()),
        ctx.call("rds:DescribeEventSubscriptions", None, client.describe_event_subscriptions().into_paginator().items().send().try_collect()),
    );
    let instances = known_or_return!(instances);
    let snapshots = known_or_return!(snapshots);
    let cluster_snapshots = known_or_return!(cluster_snapshots);

    let db_snapshots = join_all(snapshots.iter().map(|s| {
        let client = &client;
        async move {
            let identifier = s.db_snapshot_identifier().unwrap_or_default().to_string();
            let snapshot_type = s.snapshot_type().unwrap_or_default().to_string();
            let restore_accounts = if !shareable(&snapshot_type) {
                Observed::Known(Vec::new())
            } else {
                observed(
                    ctx.call("rds:DescribeDBSnapshotAttributes", Some(&identifier), client.describe_db_snapshot_attributes().db_snapshot_identifier(&identifier).send())
                        .await
                        .map(|out| {
                            out.db_snapshot_attributes_result()
                                .map(|r| restore_values(r.db_snapshot_attributes().iter().map(|a| (a.attribute_name(), a.attribute_values()))))
                                .unwrap_or_default()
                        }),
                )
            };
            DbSnapshot {
                arn: s.db_snapshot_arn().unwrap_or_default().to_string(),
                source_identifier: s.db_instance_identifier().unwrap_or_default().to_string(),
                encrypted: s.encrypted().unwrap_or_default(),
                create_time: ts_opt(s.snapshot_create_time()),
                identifier,
                snapshot_type,
                restore_accounts,
            }
        }
    }))
    .await;

    let db_cluster_snapshots = join_all(cluster_snapshots.iter().map(|s| {
        let client = &client;
        async move {
            let identifier = s.db_cluster_snapshot_identifier().unwrap_or_default().to_string();
            let snapshot_type = s.snapshot_type().unwrap_or_default().to_string();
            let restore_accounts = if !shareable(&snapshot_type) {
                Observed::Known(Vec::new())
            } else {
                observed(
                    ctx.call("rds:DescribeDBClusterSnapshotAttributes", Some(&identifier), client.describe_db_cluster_snapshot_attributes().db_cluster_snapshot_identifier(&identifier).send())
                        .await
                        .map(|out| {
                            out.db_cluster_snapshot_attributes_result()
                                .map(|r| {
                                    restore_values(r.db_cluster_snapshot_attributes().iter().map(|a| (a.attribute_name(), a.attribute_values())))
                                })
                                .unwrap_or_default()
                        }),
                )
            };
            DbSnapshot {
                arn: s.db_cluster_snapshot_arn().unwrap_or_default().to_string(),
                source_identifier: s.db_cluster_identifier().unwrap_or_default().to_string(),
                encrypted: s.storage_encrypted().unwrap_or_default(),
                create_time: ts_opt(s.snapshot_create_time()),
                identifier,
                snapshot_type,
                restore_accounts,
            }
        }
    }))
    .await;

    // The parameter groups of the instances whose engine has a "refuse plain connections"
    // parameter, each read once.
    let mut groups: std::collections::BTreeMap<String, &'static str> = std::collections::BTreeMap::new();
    for i in &instances {
        if let (Some(param), Some(g)) = (ssl_parameter(i.engine().unwrap_or_default()), i.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name())) {
            groups.insert(g.to_string(), param);
        }
    }
    let group_values: std::collections::BTreeMap<String, Result<Option<String>, String>> = join_all(groups.iter().map(|(g, param)| {
        let client = &client;
        async move {
            let r = ctx
                .call("rds:DescribeDBParameters", Some(g), client.describe_db_parameters().db_parameter_group_name(g).into_paginator().items().send().try_collect())
                .await
                .map(|params| params.iter().find(|p| p.parameter_name() == Some(*param)).and_then(|p| non_empty(p.parameter_value())));
            (g.clone(), r)
        }
    }))
    .await
    .into_iter()
    .collect();

    let db_instances = instances
        .iter()
        .map(|i| {
            let subnet_group = i.db_subnet_group();
            let transport_encryption_parameter = match ssl_parameter(i.engine().unwrap_or_default()) {
                None => Observed::Known(None),
                Some(param) => match i.db_parameter_groups().first().and_then(|g| g.db_parameter_group_name()) {
                    None => Observed::Unknown("rds:DescribeDBInstances: no DB parameter group in the response".into()),
                    Some(g) => match group_values.get(g) {
                        Some(Ok(Some(v))) => Observed::Known(Some((g.to_string(), param.to_string(), v.clone()))),
                        Some(Ok(None)) => Observed::Unknown(format!("parameter group {g} does not report the value of {param}")),
                        Some(Err(why)) => Observed::Unknown(why.clone()),
                        None => Observed::Unknown(format!("parameter group {g} was not read")),
                    },
                },
            };
            DbInstance {
                db_instance_identifier: i.db_instance_identifier().unwrap_or_default().to_string(),
                arn: i.db_instance_arn().unwrap_or_default().to_string(),
                tags: i.tag_list().iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect(),
                engine: i.engine().unwrap_or_default().to_string(),
                engine_version: i.engine_version().unwrap_or_default().to_string(),
                publicly_accessible: i.publicly_accessible().unwrap_or_default(),
                storage_encrypted: i.storage_encrypted().unwrap_or_default(),
                multi_az: i.multi_az().unwrap_or_default(),
                backup_retention_period: i.backup_retention_period().unwrap_or_default(),
                auto_minor_version_upgrade: i.auto_minor_version_upgrade().unwrap_or_default(),
                deletion_protection: i.deletion_protection().unwrap_or_default(),
                iam_database_authentication_enabled: i.iam_database_authentication_enabled().unwrap_or_default(),
                vpc_id: non_empty(subnet_group.and_then(|g| g.vpc_id())),
                subnet_ids: subnet_group
                    .map(|g| g.subnets().iter().filter_map(|s| non_empty(s.subnet_identifier())).collect())
                    .unwrap_or_default(),
                vpc_security_group_ids: i
                    .vpc_security_groups()
                    .iter()
                    .filter_map(|g| non_empty(g.vpc_security_group_id()))
                    .collect(),
                db_security_groups: i
                    .db_security_groups()
                    .iter()
                    .filter_map(|g| non_empty(g.db_security_group_name()))
                    .collect(),
                endpoint_port: i.endpoint().and_then(|e| e.port()),
                monitoring_interval: Observed::Known(i.monitoring_interval().unwrap_or_default()),
                enabled_cloudwatch_logs_exports: Observed::Known(i.enabled_cloudwatch_logs_exports().to_vec()),
                copy_tags_to_snapshot: Observed::Known(i.copy_tags_to_snapshot().unwrap_or_default()),
                master_username: Observed::Known(non_empty(i.master_username())),
                db_cluster_identifier: Observed::Known(non_empty(i.db_cluster_identifier())),
                certificate_valid_till: match (i.certificate_details().and_then(|c| c.valid_till()), non_empty(i.ca_certificate_identifier())) {
                    (Some(t), _) => Observed::Known(Some(ts(t))),
                    (None, None) => Observed::Known(None),
                    // A CA is named but its certificate's validity is not reported (emulators).
                    (None, Some(ca)) => Observed::Unknown(format!("rds:DescribeDBInstances: no CertificateDetails for CA {ca}")),
                },
                transport_encryption_parameter,
                engine_lifecycle_support: Observed::Known(non_empty(i.engine_lifecycle_support())),
            }
        })
        .collect();

    // EC2-Classic is retired: most accounts get an error here, which only this field records.
    let db_security_groups = observed(security_groups).map(|groups| {
        groups
            .iter()
            .map(|g| DbSecurityGroup {
                name: g.db_security_group_name().unwrap_or_default().to_string(),
                arn: g.db_security_group_arn().unwrap_or_default().to_string(),
                cidrs: g.ip_ranges().iter().filter_map(|r| non_empty(r.cidrip())).collect(),
                ec2_security_groups: g
                    .ec2_security_groups()
                    .iter()
                    .filter_map(|s| non_empty(s.ec2_security_group_id()).or_else(|| non_empty(s.ec2_security_group_name())))
                    .collect(),
            })
            .collect()
    });

    let db_clusters = observed(clusters).map(|clusters| {
        clusters
            .iter()
            .map(|c| DbCluster {
                db_cluster_identifier: c.db_cluster_identifier().unwrap_or_default().to_string(),
                arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                tags: c.tag_list().iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect(),
                engine: c.engine().unwrap_or_default().to_string(),
                engine_mode: non_empty(c.engine_mode()),
                storage_encrypted: c.storage_encrypted().unwrap_or_default(),
                deletion_protection: c.deletion_protection().unwrap_or_default(),
                iam_database_authentication_enabled: c.iam_database_authentication_enabled().unwrap_or_default(),
                multi_az: c.multi_az().unwrap_or_default(),
                copy_tags_to_snapshot: c.copy_tags_to_snapshot().unwrap_or_default(),
                backtrack_window: c.backtrack_window(),
                master_username: non_empty(c.master_username()),
                enabled_cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
                auto_minor_version_upgrade: c.auto_minor_version_upgrade(),
                port: c.port(),
                member_instance_ids: c.db_cluster_members().iter().filter_map(|m| non_empty(m.db_instance_identifier())).collect(),
            })
            .collect()
    });
    let event_subscriptions = observed(subscriptions).map(|subs| {
        subs.iter()
            .map(|e| RdsEventSubscription {
                name: e.cust_subscription_id().unwrap_or_default().to_string(),
                arn: e.event_subscription_arn().unwrap_or_default().to_string(),
                source_type: non_empty(e.source_type()),
                source_ids: e.source_ids_list().to_vec(),
                event_categories: e.event_categories_list().to_vec(),
                enabled: e.enabled().unwrap_or_default(),
                status: e.status().unwrap_or_default().to_string(),
            })
            .collect()
    });

    Observed::Known(Rds { db_instances, db_snapshots, db_cluster_snapshots, db_security_groups, db_clusters, event_subscriptions })
}

/// Automated snapshots cannot be shared (AWS refuses `ModifyDBSnapshotAttribute` on them), so
/// their restore list is known to be empty without asking.
/// The parameter that makes an engine refuse connections without TLS: `rds.force_ssl` for
/// PostgreSQL and SQL Server, `require_secure_transport` for MySQL and MariaDB. Aurora keeps
/// them in the cluster parameter group; other engines have none.
fn ssl_parameter(engine: &str) -> Option<&'static str> {
    match engine {
        "postgres" => Some("rds.force_ssl"),
        e if e.starts_with("sqlserver-") => Some("rds.force_ssl"),
        "mysql" | "mariadb" => Some("require_secure_transport"),
        _ => None,
    }
}

fn shareable(snapshot_type: &str) -> bool {
    snapshot_type != "automated"
}

/// The values of the `restore` attribute: `all` (public) or account ids.
fn restore_values<'a>(attrs: impl Iterator<Item = (Option<&'a str>, &'a [String])>) -> Vec<String> {
    let mut out: Vec<String> = attrs
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_attribute_only() {
        let all = vec!["all".to_string()];
        let other = vec!["x".to_string()];
        let attrs = vec![(Some("restore"), all.as_slice()), (Some("other"), other.as_slice()), (None, other.as_slice())];
        assert_eq!(restore_values(attrs.into_iter()), vec!["all".to_string()]);
    }

    #[test]
    fn automated_snapshots_are_not_shareable() {
        assert!(!shareable("automated"));
        assert!(shareable("manual"));
        assert!(shareable("awsbackup"));
    }
}
