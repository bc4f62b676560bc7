//! The inventory kept with each run: recorded by [`crate::Scan::record`] (the snapshot and
//! an index of its resources in the hub's `inventory` store), read back for browsing and
//! for reachability questions over what the last scan saw.
//!
//! A resource is an object of a list the snapshot holds per account or per region
//! (`iam.users`, `ec2.instances`, `rds.db_clusters`, `lambda`, ...): every collection, not
//! only those a check looks at. It is named as findings name it (its ARN where it has one,
//! built for EC2's resources and S3 buckets, which the snapshot keeps by id or name), so
//! that a resource's findings are found; its type is the ASFF type where one is known,
//! else the collection's path in the snapshot (`ec2.managed_prefix_lists`).

use anyhow::{Context, Result};
use rampart_hub::{InventoryInfo, InventoryResource, Store, StoreError};
use rampart_inventory::Inventory;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};

/// Lists that are not resources: what could not be read, and per-account reports.
const NOT_RESOURCES: &[&str] = &["gaps", "iam.credential_report", "service_quotas", "route53_health_checks"];

/// Known collections: (path in the snapshot, ASFF type, id field, EC2 ARN resource kind).
const KINDS: &[(&str, &str, &str, &str)] = &[
    ("iam.users", "AwsIamUser", "user_name", ""),
    ("iam.roles", "AwsIamRole", "role_name", ""),
    ("iam.policies", "AwsIamPolicy", "policy_name", ""),
    ("iam.groups", "AwsIamGroup", "group_name", ""),
    ("s3.buckets", "AwsS3Bucket", "name", ""),
    ("route53", "AwsRoute53HostedZone", "id", ""),
    ("cloudfront", "AwsCloudFrontDistribution", "id", ""),
    ("iam_server_certificates", "AwsIamServerCertificate", "name", ""),
    ("ec2.instances", "AwsEc2Instance", "instance_id", "instance"),
    ("ec2.network_interfaces", "AwsEc2NetworkInterface", "network_interface_id", "network-interface"),
    ("ec2.security_groups", "AwsEc2SecurityGroup", "group_id", "security-group"),
    ("ec2.managed_prefix_lists", "ec2.managed_prefix_lists", "prefix_list_id", "prefix-list"),
    ("ec2.vpcs", "AwsEc2Vpc", "vpc_id", "vpc"),
    ("ec2.subnets", "AwsEc2Subnet", "subnet_id", "subnet"),
    ("ec2.route_tables", "AwsEc2RouteTable", "route_table_id", "route-table"),
    ("ec2.internet_gateways", "ec2.internet_gateways", "id", "internet-gateway"),
    ("ec2.nat_gateways", "ec2.nat_gateways", "nat_gateway_id", "natgateway"),
    ("ec2.network_acls", "AwsEc2NetworkAcl", "network_acl_id", "network-acl"),
    ("ec2.vpc_endpoints", "ec2.vpc_endpoints", "vpc_endpoint_id", "vpc-endpoint"),
    ("ec2.vpc_peering_connections", "AwsEc2VpcPeeringConnection", "vpc_peering_connection_id", "vpc-peering-connection"),
    ("ec2.transit_gateways", "AwsEc2TransitGateway", "transit_gateway_id", "transit-gateway"),
    ("ec2.transit_gateway_attachments", "ec2.transit_gateway_attachments", "transit_gateway_attachment_id", "transit-gateway-attachment"),
    (
        "ec2.transit_gateway_vpc_attachments",
        "ec2.transit_gateway_attachments",
        "transit_gateway_attachment_id",
        "transit-gateway-attachment",
    ),
    (
        "ec2.transit_gateway_route_tables",
        "ec2.transit_gateway_route_tables",
        "transit_gateway_route_table_id",
        "transit-gateway-route-table",
    ),
    ("ec2.volumes", "AwsEc2Volume", "volume_id", "volume"),
    ("ec2.snapshots", "AwsEc2Snapshot", "snapshot_id", "snapshot"),
    ("ec2.launch_templates", "AwsEc2LaunchTemplate", "launch_template_id", "launch-template"),
    ("ec2.vpn_connections", "AwsEc2VpnConnection", "vpn_connection_id", "vpn-connection"),
    ("ec2.client_vpn_endpoints", "AwsEc2ClientVpnEndpoint", "client_vpn_endpoint_id", "client-vpn-endpoint"),
    ("rds.db_instances", "AwsRdsDbInstance", "db_instance_identifier", ""),
    ("rds.db_clusters", "AwsRdsDbCluster", "db_cluster_identifier", ""),
    ("rds.db_snapshots", "AwsRdsDbSnapshot", "identifier", ""),
    ("rds.db_cluster_snapshots", "AwsRdsDbClusterSnapshot", "identifier", ""),
    ("rds.event_subscriptions", "AwsRdsEventSubscription", "name", ""),
    ("elb", "AwsElbLoadBalancer", "name", ""),
    ("elbv2.load_balancers", "AwsElbv2LoadBalancer", "name", ""),
    ("cloudtrail", "AwsCloudTrailTrail", "name", ""),
    ("acm", "AwsCertificateManagerCertificate", "arn", ""),
    ("kms", "AwsKmsKey", "key_id", ""),
    ("lambda", "AwsLambdaFunction", "function_name", ""),
    ("ecr", "AwsEcrRepository", "name", ""),
    ("sns", "AwsSnsTopic", "arn", ""),
    ("sqs", "AwsSqsQueue", "url", ""),
    ("log_groups", "AwsLogsLogGroup", "name", ""),
    ("metric_alarms", "AwsCloudWatchAlarm", "name", ""),
    ("secrets", "AwsSecretsManagerSecret", "name", ""),
    ("ecs_task_definitions", "AwsEcsTaskDefinition", "arn", ""),
    ("ecs_clusters", "AwsEcsCluster", "name", ""),
    ("cloudformation_stacks", "AwsCloudFormationStack", "name", ""),
    ("efs.file_systems", "AwsEfsFileSystem", "file_system_id", ""),
    ("efs.access_points", "AwsEfsAccessPoint", "access_point_id", ""),
    ("autoscaling.groups", "AwsAutoScalingAutoScalingGroup", "name", ""),
    ("s3_access_points", "AwsS3AccessPoint", "name", ""),
];

/// Fields that name an object of a collection this table does not know, in order.
const ID_FIELDS: &[&str] = &["arn", "id", "name", "identifier"];

/// Every resource of `inv`, with where it is in the snapshot's JSON (`value`, which is
/// `inv` serialized).
pub fn resources(value: &Value) -> Vec<InventoryResource> {
    let mut out = Vec::new();
    let accounts = value.get("accounts").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (a, account) in accounts.iter().enumerate() {
        let Some(fields) = account.as_object() else { continue };
        let text = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let scope = Scope { account: text("id"), partition: text("partition"), region: text("home_region") };
        let base = format!("/accounts/{a}");
        walk_services(fields, &base, &scope, &["id", "partition", "home_region", "regions"], &mut out);
        let regions = fields.get("regions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (r, region) in regions.iter().enumerate() {
            let Some(rf) = region.as_object() else { continue };
            let scope = Scope { region: rf.get("name").and_then(Value::as_str).unwrap_or_default().to_string(), ..scope.clone() };
            walk_services(rf, &format!("{base}/regions/{r}"), &scope, &["name"], &mut out);
        }
    }
    out
}

#[derive(Clone)]
struct Scope {
    account: String,
    partition: String,
    region: String,
}

/// `{"known": x}` is `x`; `{"unknown": ..}` is nothing (not read).
fn known<'a>(v: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
    match v.as_object() {
        Some(o) if o.len() == 1 && o.contains_key("known") => Some((&o["known"], format!("{pointer}/known"))),
        Some(o) if o.len() == 1 && o.contains_key("unknown") => None,
        _ => Some((v, pointer.to_string())),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The services of an account or a region: a list is a collection; an object's lists are
/// its collections (`ec2.instances`).
fn walk_services(fields: &Map<String, Value>, base: &str, scope: &Scope, skip: &[&str], out: &mut Vec<InventoryResource>) {
    for (service, v) in fields.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
        let Some((v, pointer)) = known(v, &format!("{base}/{}", escape(service))) else { continue };
        match v {
            Value::Array(items) => collection(service, items, &pointer, scope, out),
            Value::Object(o) => {
                for (name, v) in o {
                    let Some((v, pointer)) = known(v, &format!("{pointer}/{}", escape(name))) else { continue };
                    if let Value::Array(items) = v {
                        collection(&format!("{service}.{name}"), items, &pointer, scope, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn collection(path: &str, items: &[Value], pointer: &str, scope: &Scope, out: &mut Vec<InventoryResource>) {
    if NOT_RESOURCES.contains(&path) {
        return;
    }
    let kind = KINDS.iter().find(|k| k.0 == path);
    for (i, item) in items.iter().enumerate() {
        let Some(o) = item.as_object() else { return };
        let text = |k: &str| o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let id = match kind {
            Some((_, _, field, _)) => text(field),
            None => ID_FIELDS.iter().find_map(|f| text(f)),
        };
        let Some(id) = id else { continue };
        // A global resource with a region of its own (a bucket) is filed under it.
        let region = text("region").unwrap_or_else(|| scope.region.clone());
        let arn = text("arn").unwrap_or_else(|| match kind {
            Some((_, _, _, ec2)) if !ec2.is_empty() => {
                format!("arn:{}:ec2:{}:{}:{ec2}/{id}", scope.partition, scope.region, scope.account)
            }
            _ if path == "s3.buckets" => format!("arn:{}:s3:::{id}", scope.partition),
            _ if path == "route53" => format!("arn:{}:route53:::hostedzone/{}", scope.partition, id.trim_start_matches("/hostedzone/")),
            _ => id.clone(),
        });
        let tag_name = o.get("tags").and_then(|t| t.get("Name")).and_then(Value::as_str).map(str::to_string);
        let name = tag_name.or_else(|| text("name")).unwrap_or_default();
        out.push(InventoryResource {
            arn,
            id,
            kind: kind.map_or(path, |k| k.1).to_string(),
            account: scope.account.clone(),
            region,
            name,
            pointer: format!("{pointer}/{i}"),
        });
    }
}

/// Records `inv` as run `run_id`'s inventory (the run must be recorded).
pub fn record(store: &mut Store, run_id: &str, inv: &Inventory) -> Result<(), StoreError> {
    let value = serde_json::to_value(inv).map_err(|e| StoreError::InvalidImport(format!("the inventory does not serialize: {e}")))?;
    let json = serde_json::to_vec(&value).map_err(|e| StoreError::InvalidImport(format!("the inventory does not serialize: {e}")))?;
    store.record_inventory(run_id, inv.collected_at, &json, &resources(&value))
}

/// The latest recorded inventory, read; `None` when no run kept one.
pub fn latest(store: &Store) -> Result<Option<(InventoryInfo, Inventory)>> {
    let Some(info) = store.latest_inventory()? else { return Ok(None) };
    let json = store.inventory_json(&info.run_id)?.with_context(|| format!("the inventory of run {} is gone", info.run_id))?;
    let inv = Inventory::from_json(&json).with_context(|| format!("the inventory of run {} cannot be read", info.run_id))?;
    Ok(Some((info, inv)))
}

/// [`latest`], read once and shared while it stays the latest: a server answers every
/// reachability question over the same inventory without inflating and parsing it again.
/// Kept per database file (one at a time); an in-memory store is read each time.
pub fn latest_shared(store: &Store) -> Result<Option<(InventoryInfo, Arc<Inventory>)>> {
    type Last = Option<(std::path::PathBuf, InventoryInfo, Arc<Inventory>)>;
    static LAST: Mutex<Last> = Mutex::new(None);
    let Some(info) = store.latest_inventory()? else { return Ok(None) };
    let cacheable = store.path() != std::path::Path::new(":memory:");
    if cacheable {
        let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((path, known, inv)) = &*last {
            if path == store.path() && *known == info {
                return Ok(Some((info, Arc::clone(inv))));
            }
        }
    }
    let Some((info, inv)) = latest(store)? else { return Ok(None) };
    let inv = Arc::new(inv);
    if cacheable {
        *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some((store.path().to_path_buf(), info.clone(), Arc::clone(&inv)));
    }
    Ok(Some((info, inv)))
}

/// One resource of run `run_id`'s inventory (by ARN or id) and its JSON in the snapshot.
pub fn resource(store: &Store, run_id: &str, arn_or_id: &str) -> Result<Option<(InventoryResource, Value)>> {
    let Some(r) = store.inventory_resource(run_id, arn_or_id)? else { return Ok(None) };
    let json = store.inventory_json(run_id)?.with_context(|| format!("the inventory of run {run_id} is gone"))?;
    let value: Value = serde_json::from_slice(&json).with_context(|| format!("the inventory of run {run_id} cannot be read"))?;
    let mut item = value.pointer(&r.pointer).cloned().unwrap_or(Value::Null);
    withhold_user_data(&mut item);
    Ok(Some((r, item)))
}

/// Replaces every string under a `user_data` member with a note of its length: an
/// instance's user data often holds passwords and keys, and every viewer may read a
/// resource's JSON. The secrets checks read it at scan time and report what they found.
fn withhold_user_data(v: &mut Value) {
    fn blank(v: &mut Value) {
        match v {
            Value::String(s) => *s = format!("(withheld: {} bytes of user data; the secrets checks read it)", s.len()),
            Value::Array(a) => a.iter_mut().for_each(blank),
            Value::Object(m) => m.values_mut().for_each(blank),
            _ => {}
        }
    }
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "user_data" {
                    blank(child);
                } else {
                    withhold_user_data(child);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(withhold_user_data),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_hub::ResourceFilter;
    use rampart_model::Status;

    #[test]
    fn user_data_is_never_answered() {
        let mut v = serde_json::json!({"id": "i-1", "user_data": {"value": "#!/bin/sh\nexport PASS=hunter2"}, "nested": [{"user_data": "x"}]});
        withhold_user_data(&mut v);
        let text = v.to_string();
        assert!(!text.contains("hunter2") && text.contains("withheld: 29 bytes"), "{text}");
        assert_eq!(v["nested"][0]["user_data"], "(withheld: 1 bytes of user data; the secrets checks read it)");
        assert_eq!(v["id"], "i-1");
    }

    fn demo_store() -> (Store, crate::Scan) {
        let mut store = Store::open_in_memory().unwrap();
        let inv = crate::inputs::demo().unwrap();
        let mut scan = crate::scan::check_inventory(&inv, "demo", None, crate::now());
        scan.record(&mut store).unwrap();
        (store, scan)
    }

    #[test]
    fn a_recorded_scan_keeps_its_inventory_whole_and_indexed() {
        let (store, scan) = demo_store();
        let (info, inv) = latest(&store).unwrap().expect("the scan kept its inventory");
        assert_eq!(info.run_id, scan.run.id);
        assert_eq!(inv, crate::inputs::demo().unwrap(), "the stored snapshot reads back equal");
        assert!(info.stored_bytes * 4 < info.json_bytes, "compressed: {info:?}");
        // Every instance of the demo is listed, named as its findings name it.
        let instances = store
            .inventory_resources(&info.run_id, &ResourceFilter { kind: Some("AwsEc2Instance".into()), ..Default::default() }, None, 500)
            .unwrap();
        let want: usize = inv.regions().filter_map(|(_, r)| r.ec2.known()).map(|e| e.instances.known().map_or(0, Vec::len)).sum();
        assert!(want > 0);
        assert_eq!(instances.total as usize, want);
        for r in &instances.resources {
            assert!(
                r.resource.arn.starts_with("arn:aws:ec2:") && r.resource.arn.ends_with(&format!("instance/{}", r.resource.id)),
                "{r:?}"
            );
        }
        // A failed finding's resource is in the inventory with that finding counted.
        let failed_instance = scan
            .findings
            .iter()
            .find(|f| f.status == Status::Failed && f.resource.id.contains(":instance/"))
            .expect("the demo has a failing instance");
        let row = instances.resources.iter().find(|r| r.resource.arn == failed_instance.resource.id).expect("listed");
        let count = scan.findings.iter().filter(|f| f.status == Status::Failed && f.resource.id == row.resource.arn).count();
        assert_eq!(row.failed as usize, count);
        // Resources no check failed are listed too (a route table has no finding at all).
        let tables = store
            .inventory_resources(&info.run_id, &ResourceFilter { kind: Some("AwsEc2RouteTable".into()), ..Default::default() }, None, 500)
            .unwrap();
        assert!(tables.total > 0);
        // One resource by id, with its JSON.
        let (r, json) = resource(&store, &info.run_id, &row.resource.id).unwrap().unwrap();
        assert_eq!(r.arn, row.resource.arn);
        assert_eq!(json["instance_id"], row.resource.id.as_str());
    }

    #[test]
    fn pages_cover_every_resource_once() {
        let (store, _) = demo_store();
        let info = store.latest_inventory().unwrap().unwrap();
        let mut seen = std::collections::BTreeSet::new();
        let mut after = None;
        loop {
            let page = store.inventory_resources(&info.run_id, &ResourceFilter::default(), after.as_deref(), 7).unwrap();
            assert_eq!(page.total, info.resources);
            for r in &page.resources {
                assert!(seen.insert(r.resource.arn.clone()), "{} twice", r.resource.arn);
            }
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(seen.len() as u64, info.resources);
        assert!(info.resources > 100, "the demo holds more than a hundred resources: {}", info.resources);
    }

    #[test]
    fn only_the_latest_inventories_are_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let inv = crate::inputs::demo().unwrap();
        let mut ids = Vec::new();
        for _ in 0..rampart_hub::INVENTORIES_KEPT + 2 {
            let mut scan = crate::scan::check_inventory(&inv, "demo", None, crate::now());
            scan.record(&mut store).unwrap();
            ids.push(scan.run.id.clone());
        }
        let kept: Vec<String> = store.inventories().unwrap().into_iter().map(|i| i.run_id).collect();
        ids.reverse();
        assert_eq!(kept, ids[..rampart_hub::INVENTORIES_KEPT]);
        assert!(store.inventory_json(&ids[rampart_hub::INVENTORIES_KEPT]).unwrap().is_none(), "the oldest was deleted");
        assert_eq!(store.runs().unwrap().len(), ids.len(), "runs stay");
    }

    #[test]
    fn the_shared_inventory_is_the_latest_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("rampart.db")).unwrap();
        let inv = crate::inputs::demo().unwrap();
        let mut scan = crate::scan::check_inventory(&inv, "demo", None, crate::now());
        scan.record(&mut store).unwrap();
        let (first, a) = latest_shared(&store).unwrap().unwrap();
        let (_, b) = latest_shared(&store).unwrap().unwrap();
        assert!(Arc::ptr_eq(&a, &b), "read once");
        let mut empty = inv.clone();
        empty.accounts.clear();
        let mut scan = crate::scan::check_inventory(&empty, "empty", None, crate::now());
        scan.record(&mut store).unwrap();
        let (second, c) = latest_shared(&store).unwrap().unwrap();
        assert_ne!(second.run_id, first.run_id);
        assert!(c.accounts.is_empty(), "a newer scan's inventory replaces it");
    }

    #[test]
    fn a_scan_without_inventory_keeps_none() {
        let mut store = Store::open_in_memory().unwrap();
        let inv = crate::inputs::demo().unwrap();
        let mut scan = crate::scan::check_inventory(&inv, "demo", None, crate::now());
        scan.inventory = None;
        scan.record(&mut store).unwrap();
        assert!(latest(&store).unwrap().is_none());
    }
}

/// The JSON of an inventory collected at `collected_at` around its accounts: what comes
/// before the first account and after the last (see [`account_part`]).
pub fn snapshot_frame(collected_at: rampart_model::Timestamp) -> (Vec<u8>, Vec<u8>) {
    const ACCOUNTS: &str = "\"accounts\":[]";
    // Invariant: an inventory always serializes, and holds the (empty) accounts list.
    let text = serde_json::to_string(&Inventory::new(collected_at)).expect("an inventory serializes");
    let at = text.find(ACCOUNTS).expect("the inventory's accounts") + ACCOUNTS.len() - 1;
    (text[..at].as_bytes().to_vec(), text[at..].as_bytes().to_vec())
}

/// The only account of `inv` as the `index`-th account of a larger snapshot: its JSON and
/// its resources (their pointers into that snapshot).
pub fn account_part(inv: &Inventory, index: usize) -> Result<(Vec<u8>, Vec<InventoryResource>)> {
    let value = serde_json::to_value(inv).context("the inventory does not serialize")?;
    let mut resources = resources(&value);
    for r in &mut resources {
        if let Some(rest) = r.pointer.strip_prefix("/accounts/0") {
            r.pointer = format!("/accounts/{index}{rest}");
        }
    }
    let account = value.get("accounts").and_then(|a| a.get(0)).context("the part has no account")?;
    Ok((serde_json::to_vec(account)?, resources))
}
