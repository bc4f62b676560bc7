//! The versioned, serializable snapshot of an AWS estate: accounts × regions, time-stamped.
//!
//! **Architecture invariant:** plain data. No AWS SDK types, no I/O beyond (de)serializing a
//! snapshot from bytes. Whatever the collector could not read is `Observed::Unknown`, never an
//! empty list: an empty list means "read, and there is none".
//!
//! Field names follow the AWS API names (snake_case) so that a reader of the AWS docs finds them.

mod autoscaling;
mod aws;
mod efs;
mod organizations;

pub use autoscaling::*;
pub use aws::*;
pub use efs::*;
pub use organizations::*;
/// Moved to `model` (the host telemetry document uses it too); re-exported so that
/// `rampart_inventory::Observed` keeps working.
pub use rampart_model::Observed;

use rampart_model::{Gap, Timestamp};
use serde::{Deserialize, Serialize};

/// Bumped when a change to these types would make older snapshots read wrongly.
pub const SCHEMA_VERSION: u32 = 1;

/// A snapshot of one or more AWS accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub schema_version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub collected_at: Timestamp,
    /// `rampart <version>` or whatever produced the snapshot.
    pub producer: String,
    pub accounts: Vec<Account>,
    /// What listens on EC2 instances, by instance id, from host telemetry documents joined
    /// to the snapshot (`rampart scan --telemetry FILE`); an instance without an entry has
    /// no agent data. Not collected from AWS.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub host_listeners: std::collections::BTreeMap<String, Vec<HostListener>>,
    /// When this inventory is one account of a larger scan (a queued scan evaluates one
    /// account at a time): the S3 buckets of the scan's other accounts, for the checks that
    /// look across accounts (an origin bucket owned by another scanned account). Not collected.
    #[serde(default, skip_serializing_if = "EstateBuckets::is_empty")]
    pub estate_buckets: EstateBuckets,
}

/// The S3 bucket names of a scan's accounts, and the accounts whose buckets could not be
/// listed (each with why).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateBuckets {
    pub names: std::collections::BTreeSet<String>,
    pub unknown: Vec<String>,
}

impl EstateBuckets {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.unknown.is_empty()
    }
}

/// A listening socket of an instance, as its host telemetry saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostListener {
    /// `tcp` or `udp`.
    pub protocol: String,
    /// The bound address (`0.0.0.0` and `::` are every address).
    pub address: std::net::IpAddr,
    pub port: u16,
    /// The names of the processes holding the socket, when the agent could see them.
    #[serde(default)]
    pub processes: Vec<String>,
}

impl Inventory {
    pub fn new(collected_at: Timestamp) -> Self {
        Inventory {
            schema_version: SCHEMA_VERSION,
            collected_at,
            producer: format!("rampart {}", env!("CARGO_PKG_VERSION")),
            accounts: Vec::new(),
            host_listeners: Default::default(),
            estate_buckets: Default::default(),
        }
    }

    /// Every gap recorded anywhere in the snapshot.
    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.accounts.iter().flat_map(|a| a.gaps.iter())
    }

    /// Every (account, region) the snapshot covers.
    pub fn regions(&self) -> impl Iterator<Item = (&Account, &Region)> {
        self.accounts.iter().flat_map(|a| a.regions.iter().map(move |r| (a, r)))
    }

    /// The tags of every tagged resource, by the ARN the checks give it (instances, security
    /// groups, VPCs, subnets, volumes, snapshots, Auto Scaling groups, EFS file systems and access points): what exclusion rules select on.
    pub fn tags_by_arn(&self) -> std::collections::HashMap<String, Tags> {
        let mut out = std::collections::HashMap::new();
        for (account, region) in self.regions() {
            let Some(ec2) = region.ec2.known() else { continue };
            let mut put = |kind: &str, id: &str, tags: &Tags| {
                if !tags.is_empty() {
                    out.insert(account.arn("ec2", &region.name, &format!("{kind}/{id}")), tags.clone());
                }
            };
            for i in ec2.instances.known().into_iter().flatten() {
                put("instance", &i.instance_id, &i.tags);
            }
            for g in &ec2.security_groups {
                put("security-group", &g.group_id, &g.tags);
            }
            for v in ec2.vpcs.known().into_iter().flatten() {
                put("vpc", &v.vpc_id, &v.tags);
            }
            for n in ec2.subnets.known().into_iter().flatten() {
                put("subnet", &n.subnet_id, &n.tags);
            }
            for v in ec2.volumes.known().into_iter().flatten() {
                put("volume", &v.volume_id, &v.tags);
            }
            for s in ec2.snapshots.known().into_iter().flatten() {
                put("snapshot", &s.snapshot_id, &s.tags);
            }
            for g in ec2.transit_gateways.known().into_iter().flatten() {
                put("transit-gateway", &g.transit_gateway_id, &g.tags);
            }
            for a in ec2.transit_gateway_attachments.known().into_iter().flatten() {
                put("transit-gateway-attachment", &a.transit_gateway_attachment_id, &a.tags);
            }
            for t in ec2.transit_gateway_route_tables.known().into_iter().flatten() {
                put("transit-gateway-route-table", &t.transit_gateway_route_table_id, &t.tags);
            }
        }
        for (_, region) in self.regions() {
            let Some(rds) = region.rds.known() else { continue };
            for i in rds.db_instances.iter().filter(|i| !i.tags.is_empty()) {
                out.insert(i.arn.clone(), i.tags.clone());
            }
            for c in rds.db_clusters.known().into_iter().flatten().filter(|c| !c.tags.is_empty()) {
                out.insert(c.arn.clone(), c.tags.clone());
            }
        }
        for (_, region) in self.regions() {
            let Some(asg) = region.autoscaling.known() else { continue };
            for g in asg.groups.iter().filter(|g| !g.tags.is_empty()) {
                out.insert(g.arn.clone(), g.tags.clone());
            }
        }
        for (_, region) in self.regions() {
            let Some(efs) = region.efs.known() else { continue };
            for f in efs.file_systems.iter().filter(|f| !f.tags.is_empty()) {
                out.insert(f.arn.clone(), f.tags.clone());
            }
            for a in efs.access_points.known().into_iter().flatten().filter(|a| !a.tags.is_empty()) {
                out.insert(a.arn.clone(), a.tags.clone());
            }
        }
        for account in &self.accounts {
            for b in account.s3.known().map(|s| s.buckets.as_slice()).unwrap_or_default() {
                if let Some(tags) = b.tags.known().filter(|t| !t.is_empty()) {
                    out.insert(format!("arn:{}:s3:::{}", account.partition, b.name), tags.clone());
                }
            }
        }
        out
    }

    /// Reads a snapshot, checking its schema version.
    pub fn from_json(bytes: &[u8]) -> Result<Inventory, SnapshotError> {
        #[derive(Deserialize)]
        struct Header {
            schema_version: Option<u32>,
        }
        let header: Header = serde_json::from_slice(bytes).map_err(|e| SnapshotError::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        match header.schema_version {
            None => return Err(SnapshotError::NotASnapshot),
            Some(v) if v > SCHEMA_VERSION => return Err(SnapshotError::TooNew(v)),
            Some(_) => {}
        }
        serde_json::from_slice(bytes).map_err(|e| SnapshotError::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })
    }

    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain data to a Vec cannot fail: every map key is a string.
        serde_json::to_vec_pretty(self).expect("inventory serializes")
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Why a snapshot could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot is not valid at line {line} column {column}: {message}; re-create it with `rampart collect aws -o FILE`")]
    Json { line: usize, column: usize, message: String },
    #[error("file is not a rampart snapshot (no `schema_version`); create one with `rampart collect aws -o FILE`")]
    NotASnapshot,
    #[error("snapshot schema version {0} is newer than this rampart understands ({SCHEMA_VERSION}); upgrade rampart")]
    TooNew(u32),
}

/// One AWS account: its global services, its regions and what could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    /// `aws`, `aws-cn` or `aws-us-gov`.
    pub partition: String,
    /// Region used for global services (IAM, S3 listing, Route 53, CloudFront).
    pub home_region: String,
    #[serde(default)]
    pub iam: Observed<Iam>,
    #[serde(default)]
    pub s3: Observed<S3>,
    #[serde(default)]
    pub route53: Observed<Vec<HostedZone>>,
    /// The ids of the account's Route 53 health checks (`ListHealthChecks`).
    #[serde(default)]
    pub route53_health_checks: Observed<Vec<String>>,
    #[serde(default)]
    pub cloudfront: Observed<Vec<Distribution>>,
    #[serde(default)]
    pub iam_server_certificates: Observed<Vec<ServerCertificate>>,
    /// The organisation the account belongs to (`DescribeOrganization`); `Known(None)`: in none.
    #[serde(default)]
    pub organization: Observed<Option<Organization>>,
    pub regions: Vec<Region>,
    /// Every call that failed, once each.
    #[serde(default)]
    pub gaps: Vec<Gap>,
}

impl Account {
    /// An account with nothing read yet: every service `Unknown("not collected")`.
    pub fn empty(id: &str, partition: &str, home_region: &str) -> Self {
        Account {
            id: id.to_string(),
            partition: partition.to_string(),
            home_region: home_region.to_string(),
            iam: Observed::not_collected(),
            s3: Observed::not_collected(),
            route53: Observed::not_collected(),
            route53_health_checks: Observed::not_collected(),
            cloudfront: Observed::not_collected(),
            iam_server_certificates: Observed::not_collected(),
            organization: Observed::not_collected(),
            regions: Vec::new(),
            gaps: Vec::new(),
        }
    }

    pub fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        format!("arn:{}:{}:{}:{}:{}", self.partition, service, region, self.id, resource)
    }
}

/// One region of an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    #[serde(default)]
    pub ec2: Observed<Ec2>,
    #[serde(default)]
    pub rds: Observed<Rds>,
    #[serde(default)]
    pub elb: Observed<Vec<ClassicLoadBalancer>>,
    #[serde(default)]
    pub elbv2: Observed<Elbv2>,
    #[serde(default)]
    pub cloudtrail: Observed<Vec<Trail>>,
    #[serde(default)]
    pub acm: Observed<Vec<AcmCertificate>>,
    #[serde(default)]
    pub kms: Observed<Vec<KmsKey>>,
    #[serde(default)]
    pub lambda: Observed<Vec<LambdaFunction>>,
    #[serde(default)]
    pub ecr: Observed<Vec<EcrRepository>>,
    #[serde(default)]
    pub ecr_registry_scanning: Observed<EcrRegistryScanning>,
    #[serde(default)]
    pub sns: Observed<Vec<SnsTopic>>,
    #[serde(default)]
    pub sqs: Observed<Vec<SqsQueue>>,
    #[serde(default)]
    pub guardduty: Observed<GuardDuty>,
    #[serde(default)]
    pub config: Observed<ConfigService>,
    #[serde(default)]
    pub securityhub: Observed<SecurityHub>,
    #[serde(default)]
    pub access_analyzer: Observed<Vec<Analyzer>>,
    #[serde(default)]
    pub service_quotas: Observed<Vec<ServiceQuota>>,
    #[serde(default)]
    pub s3_access_points: Observed<Vec<S3AccessPoint>>,
    #[serde(default)]
    pub autoscaling: Observed<AutoScaling>,
    #[serde(default)]
    pub efs: Observed<Efs>,
    #[serde(default)]
    pub log_groups: Observed<Vec<LogGroup>>,
    #[serde(default)]
    pub metric_filters: Observed<Vec<MetricFilter>>,
    #[serde(default)]
    pub metric_alarms: Observed<Vec<MetricAlarm>>,
    #[serde(default)]
    pub secrets: Observed<Vec<Secret>>,
    #[serde(default)]
    pub ecs_task_definitions: Observed<Vec<EcsTaskDefinition>>,
    #[serde(default)]
    pub ecs_clusters: Observed<Vec<EcsCluster>>,
    #[serde(default)]
    pub cloudformation_stacks: Observed<Vec<CloudFormationStack>>,
}

impl Region {
    pub fn empty(name: &str) -> Self {
        Region {
            name: name.to_string(),
            ec2: Observed::not_collected(),
            rds: Observed::not_collected(),
            elb: Observed::not_collected(),
            elbv2: Observed::not_collected(),
            cloudtrail: Observed::not_collected(),
            acm: Observed::not_collected(),
            kms: Observed::not_collected(),
            lambda: Observed::not_collected(),
            ecr: Observed::not_collected(),
            ecr_registry_scanning: Observed::not_collected(),
            sns: Observed::not_collected(),
            sqs: Observed::not_collected(),
            guardduty: Observed::not_collected(),
            config: Observed::not_collected(),
            securityhub: Observed::not_collected(),
            access_analyzer: Observed::not_collected(),
            service_quotas: Observed::not_collected(),
            s3_access_points: Observed::not_collected(),
            autoscaling: Observed::not_collected(),
            efs: Observed::not_collected(),
            log_groups: Observed::not_collected(),
            metric_filters: Observed::not_collected(),
            metric_alarms: Observed::not_collected(),
            secrets: Observed::not_collected(),
            ecs_task_definitions: Observed::not_collected(),
            ecs_clusters: Observed::not_collected(),
            cloudformation_stacks: Observed::not_collected(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut inv = Inventory::new(time::macros::datetime!(2026-11-27 12:00 UTC));
        let mut a = Account::empty("123456789012", "aws", "us-east-1");
        a.regions.push(Region::empty("us-east-1"));
        inv.accounts.push(a);
        let back = Inventory::from_json(&inv.to_json()).unwrap();
        assert_eq!(back, inv);
    }

    #[test]
    fn bad_snapshots_give_clear_errors() {
        let e = Inventory::from_json(b"{\"schema_version\": 1, \"accounts\": [").unwrap_err();
        assert!(e.to_string().starts_with("snapshot is not valid at line 1"), "{e}");
        let e = Inventory::from_json(b"[1,2]").unwrap_err();
        assert!(e.to_string().contains("not valid"), "{e}");
        let e = Inventory::from_json(b"{\"hello\": 1}").unwrap_err();
        assert!(matches!(e, SnapshotError::NotASnapshot));
        let e = Inventory::from_json(b"{\"schema_version\": 99}").unwrap_err();
        assert!(matches!(e, SnapshotError::TooNew(99)));
        let e = Inventory::from_json(&[0xff, 0xfe, 0x00]).unwrap_err();
        assert!(e.to_string().contains("not valid"), "{e}");
    }
}

#[cfg(test)]
mod prop {
    use super::*;
    use proptest::prelude::*;

    const DEMO: &[u8] = include_bytes!("../../../testdata/demo/estate.json");

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Inventory::from_json(&data);
        }

        #[test]
        fn damaged_demo_snapshots_never_panic(cut in 0usize..DEMO.len(), flip in 0usize..DEMO.len(), byte in any::<u8>()) {
            let mut d = DEMO.to_vec();
            d[flip] = byte;
            let _ = Inventory::from_json(&d);
            let _ = Inventory::from_json(&DEMO[..cut]);
        }
    }

    /// The demo is a recording from an emulator: what the emulator could not answer is said in
    /// words (testdata/demo/annotate_gaps.py), never as raw SDK errors that read like the
    /// user's problems.
    #[test]
    fn demo_gaps_are_explained_in_words() {
        let inv = Inventory::from_json(DEMO).unwrap();
        let gaps: Vec<_> = inv.gaps().collect();
        assert!(!gaps.is_empty(), "the demo shows what a recording could not read");
        for g in gaps {
            assert!(g.message.starts_with("not in this demo: "), "{}: {}", g.action, g.message);
            for artifact in ["ServiceError", "Unhandled", "{ ", "unexpected token", "XML"] {
                assert!(!g.message.contains(artifact), "{}: {}", g.action, g.message);
            }
        }
    }

    #[test]
    fn demo_snapshot_reads_and_round_trips() {
        let inv = Inventory::from_json(DEMO).unwrap();
        assert_eq!(Inventory::from_json(&inv.to_json()).unwrap(), inv);
    }
}
