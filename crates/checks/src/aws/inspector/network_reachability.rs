//! Inspector's Network Reachability package: which ports of each ENI-bearing resource the
//! internet can reach, computed by `rampart-reach` from routes, network ACLs, security groups
//! and load balancers (no packets sent).
//!
//! One result per exposed (protocol, port range, address family), typed as Inspector classic
//! does. Without agent data for the instance (`Inventory::host_listeners`, joined from host
//! telemetry by instance id): `RecognizedPortNoAgent` for a well-known service port,
//! `UnrecognizedPortNoAgent` otherwise. With it: `RecognizedPortWithListener` /
//! `UnrecognizedPortWithListener` for each exposed port something listens on (naming the
//! process), `RecognizedPortNoListener` for a well-known port nothing listens on; an
//! unrecognized port nothing listens on is not reported (Inspector has no such type). A
//! socket bound to a loopback address is not reachable from outside. A resource with
//! nothing reachable PASSES; one whose network data was not read is NOT_AVAILABLE.
//! <https://docs.aws.amazon.com/inspector/v1/userguide/inspector_network-reachability.html>

use crate::{resource, Check, Ctx, Emit};
use rampart_model::{CheckMeta, Remediation, ResourceType, Severity, StandardRef, Status};
use rampart_reach::{Exposure, Status as ReachStatus};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "inspector_network_reachability",
        title: "Port reachable from the internet",
        description: "The VPC configuration (internet gateway route, network ACLs, security groups, load balancer listeners) lets anyone on the internet open connections to this port. Remote administration and database ports should never be; others only when the service is meant to be public.",
        severity: Severity::Medium,
        category: rampart_model::Category::Security,
        service: "inspector",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::inspector("Network Reachability")],
        remediation: Remediation {
            console: "Run `rampart reach --to <resource> --port <port>` to see the path; then narrow the security group rule (EC2 console > Security Groups > Inbound rules) or the network ACL entry that admits the internet, or move the resource to a private subnet.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
            url: "https://docs.aws.amazon.com/inspector/v1/userguide/inspector_network-reachability.html",
        },
    },
    run,
};

/// Well-known service ports and what runs there; the first group is remote administration
/// and databases (high), web ports are low, the rest medium.
const ADMIN_AND_DATA: &[(u16, &str)] = &[
    (22, "SSH"), (23, "Telnet"), (3389, "RDP"), (5900, "VNC"), (5985, "WinRM"), (5986, "WinRM"),
    (1433, "SQL Server"), (1521, "Oracle"), (3306, "MySQL"), (5432, "PostgreSQL"),
    (6379, "Redis"), (9042, "Cassandra"), (9200, "Elasticsearch"), (11211, "Memcached"),
    (27017, "MongoDB"), (5984, "CouchDB"), (2375, "Docker API"), (2379, "etcd"), (6443, "Kubernetes API"),
];
const WEB: &[(u16, &str)] = &[(80, "HTTP"), (443, "HTTPS"), (8080, "HTTP alt"), (8443, "HTTPS alt")];
const OTHER: &[(u16, &str)] = &[
    (20, "FTP data"), (21, "FTP"), (25, "SMTP"), (53, "DNS"), (110, "POP3"), (111, "RPC"),
    (135, "MS RPC"), (137, "NetBIOS"), (138, "NetBIOS"), (139, "NetBIOS"), (143, "IMAP"),
    (161, "SNMP"), (389, "LDAP"), (445, "SMB"), (465, "SMTPS"), (587, "SMTP submission"),
    (636, "LDAPS"), (993, "IMAPS"), (995, "POP3S"), (2049, "NFS"), (5601, "Kibana"),
];

fn recognized(port: u16) -> Option<(&'static str, Severity)> {
    let find = |list: &[(u16, &'static str)]| list.iter().find(|(p, _)| *p == port).map(|(_, n)| *n);
    find(ADMIN_AND_DATA)
        .map(|n| (n, Severity::High))
        .or_else(|| find(WEB).map(|n| (n, Severity::Low)))
        .or_else(|| find(OTHER).map(|n| (n, Severity::Medium)))
}

fn resource_of(ctx: &Ctx, e: &Exposure) -> Option<rampart_model::Resource> {
    let account = ctx.inventory.accounts.iter().find(|a| a.id == e.account_id)?;
    let (kind, id) = match e.resource_type.as_str() {
        "instance" => (ResourceType::AwsEc2Instance, account.arn("ec2", &e.region, &format!("instance/{}", e.resource_id))),
        "load_balancer" if e.resource_id.starts_with("arn:") => (ResourceType::AwsElbv2LoadBalancer, e.resource_id.clone()),
        "load_balancer" => (ResourceType::AwsElbLoadBalancer, account.arn("elasticloadbalancing", &e.region, &format!("loadbalancer/{}", e.resource_id))),
        "region" => (ResourceType::Other, account.arn("ec2", &e.region, "network-interface/*")),
        _ => (ResourceType::AwsEc2NetworkInterface, account.arn("ec2", &e.region, &format!("network-interface/{}", e.network_interface_id.as_deref().unwrap_or(&e.resource_id)))),
    };
    Some(resource(account, &e.region, kind, id, &e.resource_id))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for e in rampart_reach::internet_exposure(ctx.inventory) {
        let Some(res) = resource_of(ctx, &e) else { continue };
        let eni = e.network_interface_id.clone().unwrap_or_default();
        match &e.status {
            ReachStatus::Unknown { missing } => {
                out.result(res, Status::NotAvailable, &eni, format!("cannot tell what the internet reaches: {}", missing.join("; ")), None);
            }
            ReachStatus::Known { ranges } if ranges.is_empty() => {
                out.result(res, Status::Passed, &eni, "nothing on this network interface is reachable from the internet", None);
            }
            ReachStatus::Known { ranges } => {
                for r in ranges {
                    let path: Vec<String> = r.steps.iter().map(|s| format!("{} {}", s.component_type, s.component_id)).collect();
                    // "the internet except the VPC's range (10.0.0.0/16)", not a dozen CIDR blocks.
                    let sources = r.sources_text.clone();
                    if !r.protocol.has_ports() {
                        let detail = format!("{eni} {}/{}", r.protocol, r.family);
                        out.result(res.clone(), Status::Failed, &detail, format!("UnrecognizedPortNoAgent: {} from {sources}; path: {}", r.protocol, path.join(" → ")), Some(Severity::Low));
                        continue;
                    }
                    let agent = if e.resource_type == "instance" { ctx.inventory.host_listeners.get(&e.resource_id) } else { None };
                    if let Some(listeners) = agent {
                        with_agent(out, &res, &eni, r, listeners, &sources, &path.join(" → "));
                        continue;
                    }
                    let mut rest = r.ports.clone();
                    for &(lo, hi) in r.ports.intervals() {
                        for port in lo..=hi {
                            let Some((name, severity)) = recognized(port) else { continue };
                            rest = rest.difference(&rampart_reach::set::PortSet::point(port));
                            let detail = format!("{eni} {}/{port}/{}", r.protocol, r.family);
                            out.result(res.clone(), Status::Failed, &detail, format!("RecognizedPortNoAgent: {name} ({}/{port}) reachable from {sources}; path: {}", r.protocol, path.join(" → ")), Some(severity));
                        }
                    }
                    for &(lo, hi) in rest.intervals() {
                        let ports = if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") };
                        let detail = format!("{eni} {}/{ports}/{}", r.protocol, r.family);
                        out.result(res.clone(), Status::Failed, &detail, format!("UnrecognizedPortNoAgent: {}/{ports} reachable from {sources}; path: {}", r.protocol, path.join(" → ")), Some(Severity::Medium));
                    }
                }
            }
        }
    }
}

/// The results of one exposed range of an instance whose listening sockets are known.
fn with_agent(
    out: &mut Emit,
    res: &rampart_model::Resource,
    eni: &str,
    r: &rampart_reach::ExposedRange,
    listeners: &[rampart_inventory::HostListener],
    sources: &str,
    path: &str,
) {
    let proto = r.protocol.to_string();
    let family_ok = |a: &std::net::IpAddr| match (r.family, a) {
        // A `::` socket also takes IPv4 (Linux's default `bindv6only = 0`).
        (rampart_reach::set::Family::Ipv4, std::net::IpAddr::V4(_)) => true,
        (rampart_reach::set::Family::Ipv4, std::net::IpAddr::V6(v6)) => v6.is_unspecified(),
        (rampart_reach::set::Family::Ipv6, std::net::IpAddr::V6(_)) => true,
        (rampart_reach::set::Family::Ipv6, std::net::IpAddr::V4(_)) => false,
    };
    let mut listening: std::collections::BTreeMap<u16, std::collections::BTreeSet<&str>> = Default::default();
    for l in listeners.iter().filter(|l| l.protocol == proto && !l.address.is_loopback() && family_ok(&l.address) && r.ports.contains(l.port)) {
        let names = listening.entry(l.port).or_default();
        names.extend(l.processes.iter().map(String::as_str));
    }
    for (port, names) in &listening {
        let who = if names.is_empty() { "a process the agent could not see".to_owned() } else { names.iter().copied().collect::<Vec<_>>().join(", ") };
        let detail = format!("{eni} {proto}/{port}/{}", r.family);
        match recognized(*port) {
            Some((name, severity)) => out.result(res.clone(), Status::Failed, &detail, format!("RecognizedPortWithListener: {name} ({proto}/{port}) reachable from {sources}, {who} listening; path: {path}"), Some(severity)),
            None => out.result(res.clone(), Status::Failed, &detail, format!("UnrecognizedPortWithListener: {proto}/{port} reachable from {sources}, {who} listening; path: {path}"), Some(Severity::Medium)),
        }
    }
    for &(lo, hi) in r.ports.intervals() {
        for port in lo..=hi {
            if listening.contains_key(&port) {
                continue;
            }
            if let Some((name, _)) = recognized(port) {
                let detail = format!("{eni} {proto}/{port}/{}", r.family);
                out.result(res.clone(), Status::Failed, &detail, format!("RecognizedPortNoListener: {name} ({proto}/{port}) reachable from {sources}, nothing listening; path: {path}"), Some(Severity::Low));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_classes() {
        assert_eq!(recognized(22).map(|r| r.1), Some(Severity::High));
        assert_eq!(recognized(443).map(|r| r.1), Some(Severity::Low));
        assert_eq!(recognized(25).map(|r| r.1), Some(Severity::Medium));
        assert_eq!(recognized(31337), None);
    }

    #[test]
    fn demo_estate_public_and_private_instances() {
        let inv = rampart_inventory::Inventory::from_json(include_bytes!("../../../../../testdata/demo/estate.json")).unwrap();
        let ctx = Ctx { inventory: &inv, now: inv.collected_at, thresholds: &Default::default(), ip_ranges: None };
        let mut emit = Emit::default();
        emit.start(CHECK.meta.id);
        run(&ctx, &mut emit);
        let results = emit.finish().results;
        assert!(results.iter().any(|r| r.status == Status::Passed), "private instances pass");
        // Nothing NOT_AVAILABLE when the whole network was read.
        assert!(results.iter().all(|r| r.status != Status::NotAvailable), "{results:#?}");
    }

    #[test]
    fn agent_data_types_exposed_ports_by_what_listens() {
        use rampart_inventory::{HostListener, SgPeer, SgRule};
        let mut inv = rampart_inventory::Inventory::from_json(include_bytes!("../../../../../testdata/demo/estate.json")).unwrap();
        // The demo's public web server in us-east-1 (HTTPS open); also open 8000-8100.
        let region = inv.accounts[0].regions.iter_mut().find(|r| r.name == "us-east-1").unwrap();
        let ec2 = region.ec2.known_mut().unwrap();
        let web = ec2.instances.known().unwrap().iter().find(|i| i.tags.get("Name").map(String::as_str) == Some("public-web")).unwrap().clone();
        for g in ec2.security_groups.iter_mut().filter(|g| web.security_group_ids.contains(&g.group_id)) {
            g.ingress.push(SgRule { ip_protocol: "tcp".into(), from_port: Some(8000), to_port: Some(8100), peer: SgPeer::Cidr4("0.0.0.0/0".into()), description: None });
        }
        let l = |address: &str, port: u16, p: &str| HostListener { protocol: "tcp".into(), address: address.parse().unwrap(), port, processes: vec![p.into()] };
        inv.host_listeners.insert(
            web.instance_id.clone(),
            vec![l("0.0.0.0", 443, "nginx"), l("::", 8090, "java"), l("127.0.0.1", 8080, "debug-ui"), l("0.0.0.0", 22, "sshd")],
        );
        let ctx = Ctx { inventory: &inv, now: inv.collected_at, thresholds: &Default::default(), ip_ranges: None };
        let mut emit = Emit::default();
        emit.start(CHECK.meta.id);
        run(&ctx, &mut emit);
        let results = emit.finish().results;
        let of_web: Vec<(&str, &str)> = results
            .iter()
            .filter(|r| r.resource.id.ends_with(&web.instance_id) && r.status == Status::Failed)
            .map(|r| (r.reason.split(':').next().unwrap(), r.detail.rsplit(' ').next().unwrap()))
            .collect();
        assert_eq!(
            of_web,
            [
                ("RecognizedPortWithListener", "tcp/443/IPv4"),
                ("UnrecognizedPortWithListener", "tcp/8090/IPv4"),
                // Only on loopback: nothing the internet reaches listens there.
                ("RecognizedPortNoListener", "tcp/8080/IPv4"),
            ],
            "{results:#?}"
        );
        let reasons: Vec<&str> = results.iter().filter(|r| r.resource.id.ends_with(&web.instance_id)).map(|r| r.reason.as_str()).collect();
        assert!(reasons[0].contains("nginx listening") && reasons[1].contains("java listening"), "{reasons:#?}");
        // sshd listens, but SSH is not reachable: no finding for it. The other region's web
        // server has no agent data and keeps the NoAgent types.
        assert!(!reasons.iter().any(|r| r.contains("/22)")));
        assert!(results.iter().any(|r| !r.resource.id.ends_with(&web.instance_id) && r.reason.starts_with("RecognizedPortNoAgent")));
    }
}
