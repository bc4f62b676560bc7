//! External access (issue 14 item 2; docs/iam.md "External access"): who outside the zone of
//! trust each resource lets in, as IAM Access Analyzer's external-access findings say it.
//!
//! The estate is [`crate::iam::estate`]'s: its resources are built here ([`resources`]: every
//! resource-based policy and grant the collector reads — buckets with their ACLs and access
//! point policies, KMS key policies and grants, functions, queues, topics, secrets,
//! repositories, file systems, EBS and RDS snapshot sharing, AMI launch permissions), role
//! trust policies are the roles'; the engine is `rampart_iam::external`. Data the collector could not read, and policies that do not parse,
//! are listed in [`Access::incomplete`]: an analysis with entries there is not a clean bill.
//!
//! Bucket ACLs and S3 Block Public Access come as statements `iam::estate` adds to the bucket
//! (`rampart_iam::s3`): the ACL's grants as an `Allow` policy, `RestrictPublicBuckets` on a
//! public policy as a `Deny` of all but the owner's account and AWS services, which the
//! analysis weighs like any other `Deny`.

use anyhow::Result;
use rampart_iam::external::{self, ExternalAccess, Verdict, Zone, ZoneOfTrust};
use rampart_iam::{Estate, Grant, NamedPolicy, ResourceInfo};
use rampart_inventory::{Account, Inventory, Observed};
use rampart_model::{Finding, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

/// What the analysis found.
#[derive(Debug, Clone)]
pub struct Access {
    pub zone: Zone,
    /// Every grant to a principal outside the resource's account: external ones (findings)
    /// and those the zone keeps in, with why.
    pub grants: Vec<ExternalAccess>,
    /// The findings of the external grants.
    pub findings: Vec<Finding>,
    /// What could not be read or parsed, one line each: the grants it holds are not analysed.
    pub incomplete: Vec<String>,
}

impl Access {
    pub fn external(&self) -> impl Iterator<Item = &ExternalAccess> {
        self.grants.iter().filter(|a| a.is_external())
    }
}

/// The analysis as JSON: the zone, each external grant (resource, type, account, region,
/// principal, public or not, actions, conditions, unsupported condition keys, source,
/// severity, finding id), with `--all` the internal ones and why, and what was not read.
pub fn access_json(a: &Access, all: bool) -> serde_json::Value {
    use serde_json::json;
    let grant = |g: &ExternalAccess| {
        let mut v = json!({
            "resource": g.resource,
            "resourceType": g.kind,
            "account": g.account,
            "region": g.region,
            "principal": g.principal.key(),
            "principalText": g.principal.to_string(),
            "isPublic": g.principal.is_public(),
            "actions": g.actions,
            "conditions": g.conditions.iter().map(|c| json!({"operator": c.operator, "key": c.key, "values": c.values})).collect::<Vec<_>>(),
            "unsupportedConditionKeys": g.unsupported,
            "source": g.source.to_string(),
            "severity": g.severity().to_string(),
        });
        if let Verdict::Internal(why) = &g.verdict {
            v["internal"] = json!(why);
        }
        v
    };
    let ids: BTreeMap<(&str, String), &str> =
        a.findings.iter().map(|f| ((f.resource.id.as_str(), f.detail.clone()), f.id.as_str())).collect();
    let external: Vec<serde_json::Value> = a
        .external()
        .map(|g| {
            let mut v = grant(g);
            let detail = format!("{} via {}", g.principal.key(), g.source.key());
            if let Some(id) = ids.get(&(g.resource.as_str(), detail)) {
                v["findingId"] = json!(id);
            }
            v
        })
        .collect();
    let mut out = json!({ "zone": a.zone.as_str(), "external": external, "incomplete": a.incomplete });
    if all {
        out["internal"] = json!(a.grants.iter().filter(|g| !g.is_external()).map(grant).collect::<Vec<_>>());
    }
    out
}

/// The analysis as text: one line per external grant, grouped by resource; with `all` the
/// grants the zone keeps in; then what was not read.
pub fn access_text(a: &Access, all: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let external: Vec<&ExternalAccess> = a.external().collect();
    let resources: BTreeSet<&str> = external.iter().map(|g| g.resource.as_str()).collect();
    let _ = writeln!(out, "zone of trust: {}; {} external grant(s) on {} resource(s)", a.zone.as_str(), external.len(), resources.len());
    let mut last = "";
    for g in &external {
        if g.resource != last {
            let _ = writeln!(
                out,
                "
{} ({}, {})",
                g.resource,
                g.kind,
                g.region.as_deref().unwrap_or("global")
            );
            last = g.resource.as_str();
        }
        let conditions = if g.conditions.is_empty() {
            String::new()
        } else {
            format!(
                " if {}",
                g.conditions
                    .iter()
                    .map(|c| format!("{} {} [{}]", c.operator, c.key, c.values.join(", ")))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let _ = writeln!(out, "  {:8} {}: {}{}  ({})", g.severity().to_string(), g.principal, g.actions.join(", "), conditions, g.source);
        if !g.unsupported.is_empty() {
            let _ = writeln!(out, "           not analysed: {}", g.unsupported.join(", "));
        }
    }
    if all {
        let internal: Vec<&ExternalAccess> = a.grants.iter().filter(|g| !g.is_external()).collect();
        let _ = writeln!(
            out,
            "
{} grant(s) kept inside the zone:",
            internal.len()
        );
        for g in internal {
            if let Verdict::Internal(why) = &g.verdict {
                let _ = writeln!(out, "  {} → {}: {why}", g.resource, g.principal);
            }
        }
    }
    if !a.incomplete.is_empty() {
        let _ = writeln!(
            out,
            "
not read ({}): the grants they hold are not in this answer",
            a.incomplete.len()
        );
        for w in &a.incomplete {
            let _ = writeln!(out, "  {w}");
        }
    }
    out
}

/// `account` or `organization`.
pub fn parse_zone(text: &str) -> Result<Zone> {
    match text {
        "account" => Ok(Zone::Account),
        "organization" | "organisation" => Ok(Zone::Organization),
        other => anyhow::bail!("--zone `{other}` is not known: give account or organization"),
    }
}

/// The zone a scan uses: the organisation when the estate knows it, else each account.
pub fn default_zone(estate: &Estate) -> Zone {
    if estate.organization.is_some() {
        Zone::Organization
    } else {
        Zone::Account
    }
}

/// External access over `inventories` with `zone` (`None`: [`default_zone`]).
pub fn analyze(inventories: &[Inventory], zone: Option<Zone>, now: Timestamp) -> Result<Access> {
    let (estate, incomplete) = estate_of(inventories);
    analyze_estate(&estate, inventories, zone, incomplete, now)
}

/// External access over an estate already built from `inventories` (which also give the
/// networks and S3 Block Public Access settings).
pub fn analyze_estate(
    estate: &Estate,
    inventories: &[Inventory],
    zone: Option<Zone>,
    incomplete: Vec<String>,
    now: Timestamp,
) -> Result<Access> {
    let zone = zone.unwrap_or_else(|| default_zone(estate));
    let trust = ZoneOfTrust { zone, networks: networks(inventories) };
    let grants = external::analyze(estate, &trust).map_err(|e| anyhow::anyhow!("{e}"))?;
    let partitions: BTreeMap<&str, &str> =
        inventories.iter().flat_map(|i| i.accounts.iter()).map(|a| (a.id.as_str(), a.partition.as_str())).collect();
    let findings =
        grants.iter().filter_map(|a| external::to_finding(a, partitions.get(a.account.as_str()).copied().unwrap_or("aws"), now)).collect();
    Ok(Access { zone, grants, findings, incomplete })
}

/// The findings of external access in one inventory, for the scan pipeline (the zone as
/// [`default_zone`]); what could not be read is already among the inventory's gaps.
pub fn findings_of(inv: &Inventory, now: Timestamp) -> Vec<Finding> {
    match analyze(std::slice::from_ref(inv), None, now) {
        Ok(a) => a.findings,
        // The default zone is always available: the account.
        Err(_) => Vec::new(),
    }
}

/// The estate as external access reads it ([`crate::iam::estate`]: its resources come from
/// [`resources`], role trust policies with the roles), and what could not be read or parsed.
pub fn estate_of(inventories: &[Inventory]) -> (Estate, Vec<String>) {
    let built = crate::iam::estate(inventories);
    (built.estate, built.warnings)
}

/// VPC and VPC endpoint ids of the inventories, to their owning account.
pub fn networks(inventories: &[Inventory]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    // In (account, region) order, the first owner kept: the same map whatever order the
    // inventories list them in (ids are unique in AWS; copied estates may repeat them).
    let mut regions: Vec<_> = inventories.iter().flat_map(|i| i.regions()).collect();
    regions.sort_by(|a, b| (&a.0.id, &a.1.name).cmp(&(&b.0.id, &b.1.name)));
    for (account, region) in regions {
        let Some(ec2) = region.ec2.known() else { continue };
        for v in ec2.vpcs.known().into_iter().flatten() {
            let owner = if v.owner_id.is_empty() { account.id.clone() } else { v.owner_id.clone() };
            out.entry(v.vpc_id.clone()).or_insert(owner);
        }
        for e in ec2.vpc_endpoints.known().into_iter().flatten() {
            out.entry(e.vpc_endpoint_id.clone()).or_insert_with(|| account.id.clone());
        }
    }
    out
}

fn parse(name: &str, text: &str, what: &str, incomplete: &mut Vec<String>) -> Option<NamedPolicy> {
    match rampart_policy::parse_maybe_url_encoded(text) {
        Ok(document) => Some(NamedPolicy { name: name.to_string(), document }),
        Err(e) => {
            incomplete.push(format!("{what}: {name} does not parse ({e}): its grants are not analysed"));
            None
        }
    }
}

fn unknown(what: &str, field: &str, why: &str, incomplete: &mut Vec<String>) {
    incomplete.push(format!("{what}: {field} not read ({why})"));
}

/// A resource-based policy that is `Observed<Option<String>>`.
fn optional_policy(r: &mut ResourceInfo, name: &str, policy: &Observed<Option<String>>, incomplete: &mut Vec<String>) {
    match policy {
        Observed::Known(Some(text)) => r.policies.extend(parse(name, text, &r.arn.clone(), incomplete)),
        Observed::Known(None) => {}
        Observed::Unknown(why) => unknown(&r.arn, name, why, incomplete),
    }
}

fn info(arn: &str, account: &str, region: Option<&str>, kind: &str) -> ResourceInfo {
    ResourceInfo {
        arn: arn.to_string(),
        account: account.to_string(),
        region: region.map(str::to_string),
        kind: kind.to_string(),
        ..ResourceInfo::default()
    }
}

fn shared(r: &mut ResourceInfo, who: &Observed<Vec<String>>, actions: &[&str], source: &str, incomplete: &mut Vec<String>) {
    match who {
        Observed::Known(list) => r.grants.extend(list.iter().map(|g| Grant {
            grantee: g.clone(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            source: source.to_string(),
        })),
        Observed::Unknown(why) => unknown(&r.arn, source, why, incomplete),
    }
}

/// Every resource of `account` with a resource-based policy or a grant outside policies, into
/// `out`; what could not be read or parsed into `incomplete`. (Role trust policies are the
/// roles' own, in [`crate::iam::estate`]'s principals.)
pub fn resources(account: &Account, out: &mut Vec<ResourceInfo>, incomplete: &mut Vec<String>) {
    {
        let id = account.id.as_str();
        let mut buckets: BTreeMap<String, usize> = BTreeMap::new();
        match &account.s3 {
            Observed::Known(s3) => {
                for b in &s3.buckets {
                    let arn = format!("arn:{}:s3:::{}", account.partition, b.name);
                    let mut r = info(&arn, id, Some(&b.region), "AWS::S3::Bucket");
                    optional_policy(&mut r, "bucket policy", &b.policy, incomplete);
                    // The ACL and Block Public Access are statements `iam::estate` adds
                    // (`rampart_iam::s3`): one reading for the evaluation and this analysis.
                    if let Observed::Unknown(why) = &b.acl {
                        unknown(&arn, "bucket ACL", why, incomplete);
                    }
                    buckets.insert(b.name.clone(), out.len());
                    out.push(r);
                }
            }
            Observed::Unknown(why) => unknown(&format!("account {id}"), "S3 buckets", why, incomplete),
        }
        for region in &account.regions {
            let rn = region.name.as_str();
            let here = Some(rn);
            match &region.s3_access_points {
                Observed::Known(points) => {
                    for ap in points {
                        let vpc = match &ap.vpc_id {
                            Observed::Known(v) => v.clone(),
                            // Network origin known, VPC not: a VPC no one can place.
                            Observed::Unknown(_) if ap.network_origin.eq_ignore_ascii_case("VPC") => Some("vpc-unknown".into()),
                            Observed::Unknown(_) => None,
                        };
                        let name = external::access_point_policy_name(&ap.name, vpc.as_deref());
                        match (&ap.policy, buckets.get(&ap.bucket)) {
                            (Observed::Known(Some(text)), Some(&i)) => {
                                let p = parse(&name, text, &ap.arn, incomplete);
                                out[i].policies.extend(p);
                            }
                            (Observed::Known(Some(_)), None) => incomplete.push(format!(
                                "{}: the access point's bucket `{}` is not in this account's inventory: its policy is not analysed",
                                ap.arn, ap.bucket
                            )),
                            (Observed::Known(None), _) => {}
                            (Observed::Unknown(why), _) => unknown(&ap.arn, "access point policy", why, incomplete),
                        }
                    }
                }
                Observed::Unknown(why) => unknown(&format!("{id}/{rn}"), "S3 access points", why, incomplete),
            }
            if let Observed::Known(keys) = &region.kms {
                for k in keys {
                    let mut r = info(&k.arn, id, here, "AWS::KMS::Key");
                    match &k.policy {
                        Observed::Known(text) => r.policies.extend(parse("key policy", text, &k.arn, incomplete)),
                        Observed::Unknown(why) => unknown(&k.arn, "key policy", why, incomplete),
                    }
                    match &k.grants {
                        Observed::Known(grants) => r.grants.extend(grants.iter().map(|g| Grant {
                            grantee: g.grantee_principal.clone(),
                            actions: g.operations.iter().map(|o| format!("kms:{o}")).collect(),
                            source: format!("KMS grant {}", g.grant_id),
                        })),
                        Observed::Unknown(why) => unknown(&k.arn, "grants", why, incomplete),
                    }
                    out.push(r);
                }
            } else if let Observed::Unknown(why) = &region.kms {
                unknown(&format!("{id}/{rn}"), "KMS keys", why, incomplete);
            }
            let mut simple = |arn: &str, kind: &str, name: &str, policy: &Observed<Option<String>>| {
                let mut r = info(arn, id, here, kind);
                optional_policy(&mut r, name, policy, incomplete);
                if !r.policies.is_empty() {
                    out.push(r);
                }
            };
            for f in region.lambda.known().into_iter().flatten() {
                simple(&f.arn, "AWS::Lambda::Function", "function policy", &f.policy);
            }
            for q in region.sqs.known().into_iter().flatten() {
                simple(&q.arn, "AWS::SQS::Queue", "queue policy", &q.policy);
            }
            for t in region.sns.known().into_iter().flatten() {
                simple(&t.arn, "AWS::SNS::Topic", "topic policy", &t.policy);
            }
            for s in region.secrets.known().into_iter().flatten() {
                simple(&s.arn, "AWS::SecretsManager::Secret", "secret policy", &s.policy);
            }
            for e in region.ecr.known().into_iter().flatten() {
                simple(&e.arn, "AWS::ECR::Repository", "repository policy", &e.policy);
            }
            if let Some(efs) = region.efs.known() {
                for fs in &efs.file_systems {
                    simple(&fs.arn, "AWS::EFS::FileSystem", "file system policy", &fs.policy);
                }
            }
            for (what, listing) in [
                ("Lambda functions", region.lambda.as_result().err()),
                ("SQS queues", region.sqs.as_result().err()),
                ("SNS topics", region.sns.as_result().err()),
                ("Secrets Manager secrets", region.secrets.as_result().err()),
                ("ECR repositories", region.ecr.as_result().err()),
                ("EFS file systems", region.efs.as_result().err()),
                ("EC2", region.ec2.as_result().err()),
                ("RDS", region.rds.as_result().err()),
            ] {
                if let Some(why) = listing {
                    unknown(&format!("{id}/{rn}"), what, why, incomplete);
                }
            }
            if let Some(ec2) = region.ec2.known() {
                match &ec2.snapshots {
                    Observed::Known(snaps) => {
                        for s in snaps {
                            let arn = account.arn("ec2", rn, &format!("snapshot/{}", s.snapshot_id));
                            let mut r = info(&arn, id, here, "AWS::EC2::Snapshot");
                            shared(
                                &mut r,
                                &s.create_volume_permissions,
                                &["ec2:CreateVolume", "ec2:CopySnapshot"],
                                "snapshot attribute createVolumePermission",
                                incomplete,
                            );
                            if !r.grants.is_empty() {
                                out.push(r);
                            }
                        }
                    }
                    Observed::Unknown(why) => unknown(&format!("{id}/{rn}"), "EBS snapshots", why, incomplete),
                }
                match &ec2.images {
                    Observed::Known(images) => {
                        for im in images {
                            let arn = format!("arn:{}:ec2:{rn}::image/{}", account.partition, im.image_id);
                            let mut r = info(&arn, id, here, "AWS::EC2::Image");
                            shared(&mut r, &im.launch_permissions, &["ec2:RunInstances"], "image attribute launchPermission", incomplete);
                            if im.public && !r.grants.iter().any(|g| g.grantee == "all") {
                                r.grants.push(Grant {
                                    grantee: "all".into(),
                                    actions: vec!["ec2:RunInstances".into()],
                                    source: "image is public".into(),
                                });
                            }
                            if !r.grants.is_empty() {
                                out.push(r);
                            }
                        }
                    }
                    Observed::Unknown(why) => unknown(&format!("{id}/{rn}"), "AMIs", why, incomplete),
                }
            }
            if let Some(rds) = region.rds.known() {
                for (snaps, kind, action) in [
                    (&rds.db_snapshots, "AWS::RDS::DBSnapshot", "rds:RestoreDBInstanceFromDBSnapshot"),
                    (&rds.db_cluster_snapshots, "AWS::RDS::DBClusterSnapshot", "rds:RestoreDBClusterFromSnapshot"),
                ] {
                    for s in snaps {
                        let mut r = info(&s.arn, id, here, kind);
                        shared(&mut r, &s.restore_accounts, &[action, "rds:CopyDBSnapshot"], "snapshot attribute restore", incomplete);
                        if !r.grants.is_empty() {
                            out.push(r);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressions_archive_external_access_findings_with_reason_and_expiry() {
        let inv = crate::inputs::demo().unwrap();
        let a = analyze(std::slice::from_ref(&inv), None, crate::now()).unwrap();
        let Some(f) = a.findings.first() else { panic!("the demo estate shares nothing outside its account") };
        let text = format!(
            "[[suppress]]\nchecks = [\"{}\"]\narn = \"{}\"\nreason = \"shared with the auditors on purpose\"\nexpires = 2099-01-01\n",
            external::CHECK_ID,
            f.resource.id
        );
        let config = rampart_config::Config::parse(&text, std::path::Path::new("r.toml"), &rampart_checks::KNOWN).unwrap();
        let scan = crate::scan::check_inventory(&inv, "demo", Some(&config), crate::now());
        let ours: Vec<&Finding> =
            scan.findings.iter().filter(|g| g.resource.id == f.resource.id && g.check_id == external::CHECK_ID).collect();
        assert!(!ours.is_empty());
        assert!(ours.iter().all(|g| g.workflow_status == rampart_model::WorkflowStatus::Suppressed));
        assert!(scan.suppressed >= ours.len());
        // An expired rule suppresses nothing.
        let expired = text.replace("2099-01-01", "2020-01-01");
        let config = rampart_config::Config::parse(&expired, std::path::Path::new("r.toml"), &rampart_checks::KNOWN).unwrap();
        let scan = crate::scan::check_inventory(&inv, "demo", Some(&config), crate::now());
        assert!(scan
            .findings
            .iter()
            .filter(|g| g.check_id == external::CHECK_ID)
            .all(|g| g.workflow_status != rampart_model::WorkflowStatus::Suppressed));
    }

    #[test]
    fn text_and_json_name_who_and_what() {
        let inv = crate::inputs::demo().unwrap();
        let a = analyze(std::slice::from_ref(&inv), Some(Zone::Account), crate::now()).unwrap();
        let json = access_json(&a, true);
        assert_eq!(json["zone"], "account");
        assert_eq!(json["external"].as_array().unwrap().len(), a.external().count());
        assert!(json["external"].as_array().unwrap().iter().all(|g| g["findingId"].is_string()), "{json:#}");
        let text = access_text(&a, false);
        assert!(text.starts_with("zone of trust: account;"), "{text}");
        for g in a.external() {
            assert!(text.contains(&g.resource), "{text}");
        }
        assert!(parse_zone("org").is_err());
        assert_eq!(parse_zone("organization").unwrap(), Zone::Organization);
    }

    #[test]
    fn the_demo_estate_is_analysed_and_says_what_it_could_not_read() {
        let inv = crate::inputs::demo().unwrap();
        let a = analyze(std::slice::from_ref(&inv), Some(Zone::Account), crate::now()).unwrap();
        assert!(a.findings.iter().all(|f| f.check_id == external::CHECK_ID));
        assert_eq!(a.findings.len(), a.external().count());
        // Every finding is about a resource the estate holds, with a reason naming who.
        for f in &a.findings {
            assert!(!f.reason.is_empty() && !f.resource.account.is_empty(), "{f:?}");
        }
        let scan = crate::scan::check_inventory(&inv, "demo", None, crate::now());
        let from_scan: Vec<&str> = scan.findings.iter().filter(|f| f.check_id == external::CHECK_ID).map(|f| f.id.as_str()).collect();
        let mut want: Vec<&str> = a.findings.iter().map(|f| f.id.as_str()).collect();
        let mut got = from_scan.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "the scan records the same external-access findings");
    }
}
