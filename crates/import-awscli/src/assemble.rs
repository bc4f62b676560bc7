//! From files to an inventory: walking the folder, grouping files by region, merging pages,
//! attaching per-resource outputs (listeners, target health, prefix list entries) and telling
//! known listings from absent ones.

use crate::shapes::{self, CliFile};
use crate::{region, ImportError, ImportOptions, ParseError, Parsed, Warning};
use rampart_inventory::{self as inv, Account, Inventory, Observed, Region};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

struct Loaded {
    path: PathBuf,
    /// The nearest enclosing folder named like a region.
    folder_region: Option<String>,
    file: CliFile,
}

pub(crate) fn import_dir(
    dir: &Path,
    opts: &ImportOptions,
    now: OffsetDateTime,
) -> Result<(Inventory, Vec<Warning>), ImportError> {
    check_options(opts)?;
    if !dir.is_dir() {
        return Err(ImportError::NotADirectory(dir.to_path_buf()));
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    paths.sort();
    if paths.is_empty() {
        return Err(ImportError::NoJsonFiles(dir.to_path_buf()));
    }
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|source| ImportError::Io {
            path: path.clone(),
            source,
        })?;
        files.push((path, bytes));
    }
    import_files(dir, files, opts, now)
}

pub(crate) fn import_files(
    dir: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
    opts: &ImportOptions,
    now: OffsetDateTime,
) -> Result<(Inventory, Vec<Warning>), ImportError> {
    check_options(opts)?;
    let mut warnings = Vec::new();
    let mut loaded = Vec::new();
    for (path, bytes) in files {
        let parsed = crate::parse_file(&bytes).map_err(|e| match e {
            ParseError::Json {
                line,
                column,
                message,
            } => ImportError::Json {
                path: path.clone(),
                line,
                column,
                message,
            },
            ParseError::Shape {
                field,
                line,
                column,
                message,
            } => ImportError::Shape {
                path: path.clone(),
                field,
                line,
                column,
                message,
            },
        })?;
        let file = match parsed.inner {
            Parsed::Skipped(why) => {
                warnings.push(warn(&path, why));
                continue;
            }
            Parsed::Output(f) => *f,
        };
        for key in file.other.keys() {
            warnings.push(warn(&path, format!("`{key}` is not imported; skipped")));
        }
        if file.additional_routes_available == Some(true) {
            warnings.push(warn(
                &path,
                "the route search stopped at its limit (AdditionalRoutesAvailable): the route table's routes are incomplete; narrow the search with more filters and save each result".into(),
            ));
        }
        if file.next_token.as_deref().is_some_and(|t| !t.is_empty())
            || file.next_marker.as_deref().is_some_and(|t| !t.is_empty())
        {
            warnings.push(warn(
                &path,
                "the output was cut short (it has a NextToken/NextMarker): unless its other pages are in the dump, the listing is incomplete; re-run the command without --max-items/--no-paginate".into(),
            ));
        }
        let folder_region = folder_region(dir, &path);
        loaded.push(Loaded {
            path,
            folder_region,
            file,
        });
    }

    let loose_region = loose_region(dir, &loaded, opts)?;
    let mut dumps: BTreeMap<String, Dump> = BTreeMap::new();
    for l in loaded {
        if l.file.keys().is_empty() {
            continue;
        }
        let zones: BTreeSet<String> = l
            .file
            .availability_zones()
            .into_iter()
            .filter_map(region::of_zone)
            .collect();
        let name = match &l.folder_region {
            Some(r) => {
                if let Some(other) = zones.iter().find(|z| *z != r) {
                    warnings.push(warn(&l.path, format!("is in a folder named `{r}` but names availability zones of `{other}`; read as `{r}`")));
                }
                r.clone()
            }
            // `loose_region` is `Some` whenever a loose file has content (checked there).
            None => match &loose_region {
                Some(r) => r.clone(),
                None => return Err(ImportError::NoRegion(dir.to_path_buf())),
            },
        };
        dumps.entry(name).or_default().add(l.path, l.file);
    }

    let account_id = account(&dumps, opts, &mut warnings)?;
    let home = opts
        .region
        .clone()
        .or_else(|| dumps.keys().next().cloned())
        .unwrap_or_else(|| "us-east-1".into());
    let mut account = Account::empty(&account_id, region::partition(&home), &home);
    fn not_imported<T>(what: &str) -> Observed<T> {
        Observed::Unknown(format!("not imported from aws-cli dumps: {what}"))
    }
    account.iam = not_imported("iam");
    account.s3 = not_imported("s3");
    account.route53 = not_imported("route53");
    account.cloudfront = not_imported("cloudfront");
    account.iam_server_certificates = not_imported("iam server certificates");
    for (name, dump) in dumps {
        account.regions.push(dump.into_region(&name, &mut warnings)?);
    }
    let mut inventory = Inventory::new(now);
    inventory.producer = format!("rampart {} import aws-cli", env!("CARGO_PKG_VERSION"));
    inventory.accounts.push(account);
    Ok((inventory, warnings))
}

fn check_options(opts: &ImportOptions) -> Result<(), ImportError> {
    if let Some(a) = &opts.account {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImportError::BadAccount(a.clone()));
        }
    }
    if let Some(r) = &opts.region {
        if !region::is_region(r) {
            return Err(ImportError::BadRegion(r.clone()));
        }
    }
    Ok(())
}

fn warn(path: &Path, message: String) -> Warning {
    Warning {
        file: Some(path.to_path_buf()),
        message,
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| ImportError::Io {
            path: path.clone(),
            source,
        })?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn folder_region(dir: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(dir).ok()?.parent()?;
    let nearest = rel
        .components()
        .rev()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|c| region::is_region(c));
    nearest
        .or_else(|| {
            dir.file_name()
                .and_then(|n| n.to_str())
                .filter(|n| region::is_region(n))
        })
        .map(str::to_string)
}

/// The region of the files in no region folder: the one their availability zones name,
/// else `--region`.
fn loose_region(
    dir: &Path,
    loaded: &[Loaded],
    opts: &ImportOptions,
) -> Result<Option<String>, ImportError> {
    let loose: Vec<&Loaded> = loaded
        .iter()
        .filter(|l| l.folder_region.is_none() && !l.file.keys().is_empty())
        .collect();
    if loose.is_empty() {
        return Ok(opts.region.clone());
    }
    let mut zones: BTreeSet<String> = loose
        .iter()
        .flat_map(|l| l.file.availability_zones())
        .filter_map(region::of_zone)
        .collect();
    if let Some(r) = &opts.region {
        zones.insert(r.clone());
    }
    match zones.len() {
        0 => Err(ImportError::NoRegion(dir.to_path_buf())),
        1 => Ok(zones.into_iter().next()),
        _ => Err(ImportError::MixedRegions {
            path: dir.to_path_buf(),
            regions: zones.into_iter().collect(),
        }),
    }
}

fn account(
    dumps: &BTreeMap<String, Dump>,
    opts: &ImportOptions,
    warnings: &mut Vec<Warning>,
) -> Result<String, ImportError> {
    let mut levels: [BTreeSet<String>; 3] = Default::default();
    for d in dumps.values() {
        for (level, ids) in levels.iter_mut().zip(&d.owner_ids) {
            level.extend(ids.iter().cloned());
        }
    }
    if let Some(a) = &opts.account {
        let seen: BTreeSet<&String> = levels.iter().flatten().collect();
        if !seen.is_empty() && !seen.contains(a) {
            let ids: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
            warnings.push(Warning {
                file: None,
                message: format!(
                    "--account `{a}` but the dump's owner ids are {}",
                    ids.join(", ")
                ),
            });
        }
        return Ok(a.clone());
    }
    match levels.into_iter().find(|l| !l.is_empty()) {
        None => Err(ImportError::NoAccount),
        Some(ids) if ids.len() == 1 => Ok(ids.into_iter().next().unwrap_or_default()),
        Some(ids) => Err(ImportError::SeveralAccounts(ids.into_iter().collect())),
    }
}

/// One region's files, merged.
#[derive(Default)]
struct Dump {
    owner_ids: [BTreeSet<String>; 3],
    security_groups: Option<Vec<inv::SecurityGroup>>,
    instances: Option<Vec<inv::Instance>>,
    network_interfaces: Option<Vec<inv::NetworkInterface>>,
    prefix_lists: Option<Vec<inv::PrefixList>>,
    vpcs: Option<Vec<inv::Vpc>>,
    subnets: Option<Vec<inv::Subnet>>,
    route_tables: Option<Vec<inv::RouteTable>>,
    internet_gateways: Option<Vec<inv::InternetGateway>>,
    egress_only_internet_gateways: Option<Vec<inv::InternetGateway>>,
    nat_gateways: Option<Vec<inv::NatGateway>>,
    network_acls: Option<Vec<inv::NetworkAcl>>,
    vpc_endpoints: Option<Vec<inv::VpcEndpoint>>,
    vpc_peering_connections: Option<Vec<inv::VpcPeering>>,
    vpn_connections: Option<Vec<inv::VpnConnection>>,
    launch_templates: Option<Vec<inv::LaunchTemplate>>,
    launch_template_versions: Vec<crate::launch_templates::LaunchTemplateVersion>,
    flow_logs: Option<Vec<inv::FlowLog>>,
    volumes: Option<Vec<inv::Volume>>,
    addresses: Option<Vec<inv::ElasticIp>>,
    ebs_encryption_by_default: Option<(PathBuf, bool)>,
    ebs_conflict: bool,
    classic_load_balancers: Option<Vec<inv::ClassicLoadBalancer>>,
    load_balancers: Option<Vec<inv::LoadBalancerV2>>,
    target_groups: Option<Vec<inv::TargetGroup>>,
    /// Listeners with their load balancer's ARN.
    listeners: Option<Vec<(String, inv::ListenerV2)>>,
    /// `Entries` files: path, explicit prefix list id, CIDRs.
    prefix_list_entries: Vec<(PathBuf, Option<String>, Vec<String>)>,
    /// `TargetHealthDescriptions` files: path, explicit target group ARN, targets.
    target_health: Vec<(PathBuf, Option<String>, Vec<inv::Target>)>,
    transit_gateways: Option<Vec<inv::TransitGateway>>,
    tgw_attachments: Option<Vec<inv::TgwAttachment>>,
    tgw_vpc_attachments: Option<Vec<inv::TgwVpcAttachment>>,
    tgw_route_tables: Option<Vec<inv::TgwRouteTable>>,
    /// Per transit gateway route table outputs (or the error naming the file without an id).
    tgw_parts: Vec<crate::tgw::Part>,
    tgw_error: Option<ImportError>,
}

/// Appends a listing's items (a page, or another file of the same kind).
fn add<S, T>(slot: &mut Option<Vec<T>>, items: Option<Vec<S>>)
where
    T: for<'a> From<&'a S>,
{
    if let Some(items) = items {
        slot.get_or_insert_with(Vec::new)
            .extend(items.iter().map(T::from));
    }
}

impl Dump {
    fn add(&mut self, path: PathBuf, f: CliFile) {
        for (mine, theirs) in self.owner_ids.iter_mut().zip(f.owner_ids()) {
            mine.extend(theirs);
        }
        add(&mut self.security_groups, f.security_groups);
        if let Some(rs) = f.reservations {
            let instances: Vec<shapes::Instance> =
                rs.into_iter().flat_map(|r| r.instances).collect();
            add(&mut self.instances, Some(instances));
        }
        add(&mut self.network_interfaces, f.network_interfaces);
        add(&mut self.prefix_lists, f.prefix_lists);
        add(&mut self.vpcs, f.vpcs);
        add(&mut self.subnets, f.subnets);
        add(&mut self.route_tables, f.route_tables);
        add(&mut self.internet_gateways, f.internet_gateways);
        add(
            &mut self.egress_only_internet_gateways,
            f.egress_only_internet_gateways,
        );
        add(&mut self.nat_gateways, f.nat_gateways);
        add(&mut self.network_acls, f.network_acls);
        add(&mut self.vpc_endpoints, f.vpc_endpoints);
        add(&mut self.vpc_peering_connections, f.vpc_peering_connections);
        add(&mut self.vpn_connections, f.vpn_connections);
        add(&mut self.launch_templates, f.launch_templates);
        self.launch_template_versions.extend(f.launch_template_versions.unwrap_or_default());
        add(&mut self.flow_logs, f.flow_logs);
        add(&mut self.volumes, f.volumes);
        add(&mut self.addresses, f.addresses);
        if let Some(v) = f.ebs_encryption_by_default {
            match &self.ebs_encryption_by_default {
                None => self.ebs_encryption_by_default = Some((path.clone(), v)),
                Some((_, first)) => self.ebs_conflict |= *first != v,
            }
        }
        add(
            &mut self.classic_load_balancers,
            f.load_balancer_descriptions,
        );
        add(&mut self.load_balancers, f.load_balancers);
        add(&mut self.target_groups, f.target_groups);
        if let Some(ls) = f.listeners {
            self.listeners.get_or_insert_with(Vec::new).extend(
                ls.iter()
                    .map(|l| (l.load_balancer_arn.clone(), inv::ListenerV2::from(l))),
            );
        }
        add(&mut self.transit_gateways, f.transit_gateways);
        add(&mut self.tgw_attachments, f.transit_gateway_attachments);
        add(&mut self.tgw_vpc_attachments, f.transit_gateway_vpc_attachments);
        add(&mut self.tgw_route_tables, f.transit_gateway_route_tables);
        match crate::tgw::parts(
            &path,
            f.transit_gateway_route_table_id,
            f.associations,
            f.transit_gateway_route_table_propagations,
            f.routes,
        ) {
            Ok(p) => self.tgw_parts.extend(p),
            Err(e) => {
                self.tgw_error.get_or_insert(e);
            }
        }
        if let Some(es) = f.entries {
            self.prefix_list_entries.push((
                path.clone(),
                f.prefix_list_id,
                es.into_iter().filter_map(|e| e.cidr).collect(),
            ));
        }
        if let Some(ts) = f.target_health_descriptions {
            self.target_health.push((
                path,
                f.target_group_arn,
                ts.iter().map(inv::Target::from).collect(),
            ));
        }
    }

    fn into_region(self, name: &str, w: &mut Vec<Warning>) -> Result<Region, ImportError> {
        if let Some(e) = self.tgw_error {
            return Err(e);
        }
        let mut r = Region::empty(name);
        let not_imported = |what: &str| format!("not imported from aws-cli dumps: {what}");
        r.rds = Observed::Unknown(not_imported("rds"));
        r.cloudtrail = Observed::Unknown(not_imported("cloudtrail"));
        r.acm = Observed::Unknown(not_imported("acm"));
        r.kms = Observed::Unknown(not_imported("kms"));
        r.lambda = Observed::Unknown(not_imported("lambda"));
        r.ecr = Observed::Unknown(not_imported("ecr"));
        r.sns = Observed::Unknown(not_imported("sns"));
        r.sqs = Observed::Unknown(not_imported("sqs"));
        r.guardduty = Observed::Unknown(not_imported("guardduty"));
        r.config = Observed::Unknown(not_imported("config"));
        r.securityhub = Observed::Unknown(not_imported("securityhub"));
        r.access_analyzer = Observed::Unknown(not_imported("access analyzer"));
        r.service_quotas = Observed::Unknown(not_imported("service quotas"));
        r.autoscaling = Observed::Unknown(not_imported("autoscaling"));
        r.efs = Observed::Unknown(not_imported("efs"));

        let mut ctx = Ctx { region: name, w };
        r.elb = ctx.listing(
            self.classic_load_balancers,
            "LoadBalancerDescriptions",
            |l| l.name.clone(),
        );
        r.elbv2 = ctx.elbv2(
            self.load_balancers,
            self.target_groups,
            self.listeners,
            self.target_health,
        );

        let Some(sgs) = self.security_groups else {
            let other = [
                self.instances.is_some(),
                self.network_interfaces.is_some(),
                self.vpcs.is_some(),
                self.subnets.is_some(),
                self.route_tables.is_some(),
                self.network_acls.is_some(),
            ];
            if other.contains(&true) {
                ctx.w.push(Warning {
                    file: None,
                    message: format!(
                        "{name}: EC2 data without SecurityGroups stays unknown as a whole; add `aws ec2 describe-security-groups --region {name}`"
                    ),
                });
            }
            r.ec2 = Observed::Unknown("not in the aws-cli dump: SecurityGroups".into());
            return Ok(r);
        };
        let mut ec2 = inv::Ec2 {
            security_groups: ctx.dedup(sgs, "SecurityGroups", |g| g.group_id.clone()),
            ..inv::Ec2::default()
        };
        ec2.instances = ctx.listing(self.instances, "Reservations", |i| i.instance_id.clone());
        ec2.network_interfaces = ctx.listing(self.network_interfaces, "NetworkInterfaces", |n| {
            n.network_interface_id.clone()
        });
        ec2.managed_prefix_lists = ctx.listing(self.prefix_lists, "PrefixLists", |p| {
            p.prefix_list_id.clone()
        });
        ctx.attach_entries(&mut ec2.managed_prefix_lists, self.prefix_list_entries);
        ec2.vpcs = ctx.listing(self.vpcs, "Vpcs", |v| v.vpc_id.clone());
        ec2.subnets = ctx.listing(self.subnets, "Subnets", |s| s.subnet_id.clone());
        ec2.route_tables = ctx.listing(self.route_tables, "RouteTables", |t| {
            t.route_table_id.clone()
        });
        ec2.internet_gateways =
            ctx.listing(self.internet_gateways, "InternetGateways", |g| g.id.clone());
        ec2.egress_only_internet_gateways = ctx.listing(
            self.egress_only_internet_gateways,
            "EgressOnlyInternetGateways",
            |g| g.id.clone(),
        );
        ec2.nat_gateways = ctx.listing(self.nat_gateways, "NatGateways", |n| {
            n.nat_gateway_id.clone()
        });
        ec2.network_acls = ctx.listing(self.network_acls, "NetworkAcls", |n| {
            n.network_acl_id.clone()
        });
        ec2.vpc_endpoints = ctx.listing(self.vpc_endpoints, "VpcEndpoints", |v| {
            v.vpc_endpoint_id.clone()
        });
        ec2.vpc_peering_connections =
            ctx.listing(self.vpc_peering_connections, "VpcPeeringConnections", |p| {
                p.vpc_peering_connection_id.clone()
            });
        ec2.transit_gateways =
            ctx.listing(self.transit_gateways, "TransitGateways", |g| g.transit_gateway_id.clone());
        ec2.transit_gateway_attachments = ctx.listing(self.tgw_attachments, "TransitGatewayAttachments", |a| {
            a.transit_gateway_attachment_id.clone()
        });
        ec2.transit_gateway_vpc_attachments =
            ctx.listing(self.tgw_vpc_attachments, "TransitGatewayVpcAttachments", |a| {
                a.transit_gateway_attachment_id.clone()
            });
        ec2.transit_gateway_route_tables = ctx.listing(self.tgw_route_tables, "TransitGatewayRouteTables", |t| {
            t.transit_gateway_route_table_id.clone()
        });
        crate::tgw::attach(&mut ec2.transit_gateway_route_tables, self.tgw_parts)?;
        ec2.vpn_connections = ctx.listing(self.vpn_connections, "VpnConnections", |v| v.vpn_connection_id.clone());
        ec2.launch_templates = ctx.listing(self.launch_templates, "LaunchTemplates", |t| t.launch_template_id.clone());
        crate::launch_templates::attach(&mut ec2.launch_templates, &self.launch_template_versions);
        ec2.flow_logs = ctx.listing(self.flow_logs, "FlowLogs", |f| f.flow_log_id.clone());
        ec2.volumes = ctx.listing(self.volumes, "Volumes", |v| v.volume_id.clone());
        ec2.addresses = ctx.listing(self.addresses, "Addresses", |a| {
            if a.allocation_id.is_empty() {
                a.public_ip.clone()
            } else {
                a.allocation_id.clone()
            }
        });
        ec2.snapshots = Observed::Unknown(not_imported(
            "Snapshots (their createVolumePermission is not in describe-snapshots)",
        ));
        ec2.images = Observed::Unknown(not_imported(
            "Images (their launchPermission is not in describe-images)",
        ));
        ec2.ebs_encryption_by_default = match self.ebs_encryption_by_default {
            None => Observed::Unknown("not in the aws-cli dump: EbsEncryptionByDefault".into()),
            Some((path, v)) => {
                if self.ebs_conflict {
                    ctx.w.push(warn(&path, format!("{name}: files disagree on EbsEncryptionByDefault; kept {v} from this one")));
                }
                Observed::Known(v)
            }
        };
        r.ec2 = Observed::Known(ec2);
        Ok(r)
    }
}

struct Ctx<'a> {
    region: &'a str,
    w: &'a mut Vec<Warning>,
}

impl Ctx<'_> {
    /// A listing: `Unknown` when no file held it, else its items without repeats.
    fn listing<T: PartialEq>(
        &mut self,
        items: Option<Vec<T>>,
        key: &str,
        id: impl Fn(&T) -> String,
    ) -> Observed<Vec<T>> {
        match items {
            None => Observed::Unknown(format!("not in the aws-cli dump: {key}")),
            Some(v) => Observed::Known(self.dedup(v, key, id)),
        }
    }

    /// Drops repeats (the same page saved twice, overlapping files), keeping the first.
    fn dedup<T: PartialEq>(
        &mut self,
        items: Vec<T>,
        key: &str,
        id: impl Fn(&T) -> String,
    ) -> Vec<T> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out: Vec<T> = Vec::with_capacity(items.len());
        for x in items {
            let k = id(&x);
            match seen.get(&k) {
                Some(&i) => {
                    if out[i] != x {
                        self.w.push(Warning {
                            file: None,
                            message: format!("{}: `{k}` appears more than once in {key} with different content; kept the first", self.region),
                        });
                    }
                }
                None => {
                    seen.insert(k, out.len());
                    out.push(x);
                }
            }
        }
        out
    }

    fn attach_entries(
        &mut self,
        lists: &mut Observed<Vec<inv::PrefixList>>,
        files: Vec<(PathBuf, Option<String>, Vec<String>)>,
    ) {
        let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, explicit, cidrs) in files {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let id = match explicit.or_else(|| prefix_list_id_in(stem)) {
                Some(id) => id,
                None => {
                    self.w.push(warn(&path, "cannot tell which prefix list these Entries belong to: put its id (`pl-...`) in the file name; skipped".into()));
                    continue;
                }
            };
            let known = lists
                .known()
                .is_some_and(|ls| ls.iter().any(|p| p.prefix_list_id == id));
            if !known {
                self.w.push(warn(
                    &path,
                    format!("Entries of `{id}`, which is not in the dump's PrefixLists; skipped"),
                ));
                continue;
            }
            by_id.entry(id).or_default().extend(cidrs);
        }
        if let Some(ls) = lists.known_mut() {
            for p in ls {
                if let Some(mut cidrs) = by_id.remove(&p.prefix_list_id) {
                    let mut seen = BTreeSet::new();
                    cidrs.retain(|c| seen.insert(c.clone()));
                    p.entries = Observed::Known(cidrs);
                }
            }
        }
    }

    fn elbv2(
        &mut self,
        lbs: Option<Vec<inv::LoadBalancerV2>>,
        tgs: Option<Vec<inv::TargetGroup>>,
        listeners: Option<Vec<(String, inv::ListenerV2)>>,
        health: Vec<(PathBuf, Option<String>, Vec<inv::Target>)>,
    ) -> Observed<inv::Elbv2> {
        let region = self.region;
        let (lbs, tgs) = match (lbs, tgs) {
            (Some(l), Some(t)) => (l, t),
            (None, None) => {
                return Observed::Unknown("not in the aws-cli dump: LoadBalancers".into())
            }
            (Some(_), None) => {
                self.w.push(Warning { file: None, message: format!("{region}: LoadBalancers without TargetGroups: ELBv2 stays unknown; add `aws elbv2 describe-target-groups`") });
                return Observed::Unknown("not in the aws-cli dump: TargetGroups".into());
            }
            (None, Some(_)) => {
                self.w.push(Warning { file: None, message: format!("{region}: TargetGroups without LoadBalancers: ELBv2 stays unknown; add `aws elbv2 describe-load-balancers`") });
                return Observed::Unknown("not in the aws-cli dump: LoadBalancers".into());
            }
        };
        let mut load_balancers = self.dedup(lbs, "LoadBalancers", |l| l.arn.clone());
        let mut target_groups = self.dedup(tgs, "TargetGroups", |t| t.arn.clone());

        if let Some(listeners) = listeners {
            let mut by_lb: BTreeMap<String, Vec<inv::ListenerV2>> = BTreeMap::new();
            for (lb, l) in listeners {
                by_lb.entry(lb).or_default().push(l);
            }
            for lb in &mut load_balancers {
                if let Some(ls) = by_lb.remove(&lb.arn) {
                    lb.listeners = Observed::Known(self.dedup(ls, "Listeners", |l| l.arn.clone()));
                }
            }
            for lb in by_lb.keys() {
                self.w.push(Warning { file: None, message: format!("{region}: Listeners of `{lb}`, which is not in the dump's LoadBalancers; skipped") });
            }
        }

        let mut by_tg: BTreeMap<String, Vec<inv::Target>> = BTreeMap::new();
        for (path, explicit, targets) in health {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let arn = match explicit {
                Some(arn) => target_groups.iter().any(|t| t.arn == arn).then_some(arn),
                None => target_group_in(stem, &target_groups),
            };
            match arn {
                Some(arn) => by_tg.entry(arn).or_default().extend(targets),
                None => self.w.push(warn(
                    &path,
                    "cannot tell which target group this TargetHealthDescriptions output describes: put the target group's name in the file name (e.g. `target-health-NAME.json`); skipped".into(),
                )),
            }
        }
        for tg in &mut target_groups {
            if let Some(ts) = by_tg.remove(&tg.arn) {
                tg.targets = Observed::Known(self.dedup(ts, "TargetHealthDescriptions", |t| {
                    format!("{}:{:?}", t.id, t.port)
                }));
            }
        }
        Observed::Known(inv::Elbv2 {
            load_balancers,
            target_groups,
        })
    }
}

/// The one prefix list id (`pl-` and at least 8 hex digits) in a file name.
fn prefix_list_id_in(stem: &str) -> Option<String> {
    let mut ids = BTreeSet::new();
    let mut rest = stem;
    while let Some(i) = rest.find("pl-") {
        let hex: String = rest[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        if hex.len() >= 8 {
            ids.insert(format!("pl-{hex}"));
        }
        rest = &rest[i + 3..];
    }
    (ids.len() == 1).then(|| ids.into_iter().next()).flatten()
}

/// The target group a file name names: by the id at the end of its ARN, else by the longest
/// name found in the file name between separators.
fn target_group_in(stem: &str, tgs: &[inv::TargetGroup]) -> Option<String> {
    let by_id = tgs.iter().find(|t| {
        t.arn
            .rsplit('/')
            .next()
            .is_some_and(|id| id.len() >= 8 && stem.contains(id))
    });
    if let Some(t) = by_id {
        return Some(t.arn.clone());
    }
    let sep = |c: Option<char>| !matches!(c, Some(c) if c.is_ascii_alphanumeric());
    tgs.iter()
        .filter(|t| !t.name.is_empty())
        .filter(|t| {
            stem.match_indices(t.name.as_str()).any(|(i, m)| {
                sep(stem[..i].chars().next_back()) && sep(stem[i + m.len()..].chars().next())
            })
        })
        .max_by_key(|t| t.name.len())
        .map(|t| t.arn.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_list_ids_in_names() {
        assert_eq!(
            prefix_list_id_in("entries-pl-0123abcd").as_deref(),
            Some("pl-0123abcd")
        );
        assert_eq!(
            prefix_list_id_in("pl-63a5400a_entries").as_deref(),
            Some("pl-63a5400a")
        );
        assert_eq!(prefix_list_id_in("entries"), None);
        assert_eq!(prefix_list_id_in("pl-12"), None);
        assert_eq!(prefix_list_id_in("pl-0123abcd-vs-pl-0123abce"), None);
    }

    #[test]
    fn target_groups_in_names() {
        let tg = |name: &str, id: &str| inv::TargetGroup {
            arn: format!(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/{id}"
            ),
            name: name.into(),
            ..Default::default()
        };
        let tgs = [
            tg("web", "1111111111111111"),
            tg("web-2", "2222222222222222"),
        ];
        assert_eq!(
            target_group_in("target-health-web", &tgs),
            Some(tgs[0].arn.clone())
        );
        assert_eq!(
            target_group_in("target-health-web-2", &tgs),
            Some(tgs[1].arn.clone())
        );
        assert_eq!(
            target_group_in("th-2222222222222222", &tgs),
            Some(tgs[1].arn.clone())
        );
        assert_eq!(target_group_in("webapp", &tgs), None);
        assert_eq!(target_group_in("target-health", &tgs), None);
    }
}
