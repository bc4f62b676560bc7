//! Check-phase benchmark: every check over a synthetic estate of 100 accounts × 4 regions
//! with ≥ 200k resources. Prints wall time (median of 5) and peak RSS.
//!
//!     cargo bench -p rampart-checks --bench check_phase [-- ACCOUNTS]

use rampart_inventory::*;
use std::time::Instant;

fn rule(proto: &str, port: i32, peer: SgPeer) -> SgRule {
    SgRule { ip_protocol: proto.into(), from_port: Some(port), to_port: Some(port), peer, description: None }
}

fn estate(accounts: usize) -> (Inventory, usize) {
    let mut inv = Inventory::new(time::macros::datetime!(2026-11-27 12:00 UTC));
    let mut resources = 0;
    for a in 0..accounts {
        let id = format!("{:012}", 100000000000u64 + a as u64);
        let mut acc = Account::empty(&id, "aws", "us-east-1");
        let mut m = std::collections::BTreeMap::new();
        m.insert("AccountMFAEnabled".to_string(), (a % 2) as i64);
        acc.iam = Observed::Known(Iam { account_summary: Observed::Known(m), ..Default::default() });
        let buckets = (0..200)
            .map(|b| {
                let name = format!("bucket-{a}-{b}");
                let policy = match b % 4 {
                    0 => Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{name}/*"}}]}}"#)),
                    1 => Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::{name}/*","Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.113.0/24"}}}}}}]}}"#)),
                    _ => None,
                };
                Bucket {
                    name,
                    region: "us-east-1".into(),
                    owner_id: Observed::Known("o".into()),
                    acl: Observed::Known(vec![Grant { grantee_type: "CanonicalUser".into(), grantee: "o".into(), permission: "FULL_CONTROL".into() }]),
                    policy: Observed::Known(policy),
                    public_access_block: Observed::Known(None),
                    ownership_controls: Observed::Known(None),
                    ..Default::default()
                }
            })
            .collect::<Vec<_>>();
        resources += buckets.len();
        acc.s3 = Observed::Known(S3 { account_public_access_block: Observed::Known(None), buckets, multi_region_access_points: Observed::Known(vec![]) });
        for r in ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"] {
            let mut region = Region::empty(r);
            let mut ec2 = Ec2 { managed_prefix_lists: Observed::Known(vec![]), ..Ec2::default() };
            let (mut instances, mut enis, mut subnets) = (Vec::new(), Vec::new(), Vec::new());
            for g in 0..400 {
                let mut ingress = vec![
                    rule("tcp", 443, SgPeer::Cidr4("0.0.0.0/0".into())),
                    rule("tcp", 22, SgPeer::Cidr4("10.0.0.0/8".into())),
                    rule("tcp", 5432, SgPeer::Group { group_id: format!("sg-{g}"), user_id: None, vpc_peering_connection_id: None }),
                ];
                if g % 10 == 0 {
                    ingress.push(rule("tcp", 3389, SgPeer::Cidr6("::/0".into())));
                }
                ec2.security_groups.push(SecurityGroup { group_id: format!("sg-{a}-{g}"), group_name: format!("g{g}"), ingress, ..Default::default() });
            }
            for i in 0..100 {
                instances.push(Instance { instance_id: format!("i-{a}-{i}"), ..Default::default() });
                enis.push(NetworkInterface { network_interface_id: format!("eni-{a}-{i}"), ..Default::default() });
            }
            for v in 0..25 {
                subnets.push(Subnet { subnet_id: format!("subnet-{a}-{v}"), ..Default::default() });
            }
            resources += ec2.security_groups.len() + instances.len() + enis.len() + subnets.len();
            ec2.instances = Observed::Known(instances);
            ec2.network_interfaces = Observed::Known(enis);
            ec2.subnets = Observed::Known(subnets);
            region.ec2 = Observed::Known(ec2);
            acc.regions.push(region);
        }
        inv.accounts.push(acc);
    }
    (inv, resources)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<f64>().unwrap_or(0.0)))
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let accounts: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100);
    let (inv, resources) = estate(accounts);
    let now = inv.collected_at;
    let mut times = Vec::new();
    let mut results = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let out = rampart_checks::run(&inv, now, &[]);
        let findings = rampart_checks::findings(out.results, now);
        results = findings.len();
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(findings);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "check phase: {accounts} accounts x 4 regions, {resources} resources, {results} results: median {:.3} s (min {:.3} s), peak RSS {:.0} MiB, {} threads available",
        times[2],
        times[0],
        peak_rss_mib(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
}
