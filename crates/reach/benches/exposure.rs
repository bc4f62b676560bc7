//! Synthetic-estate benchmark: full internet-exposure analysis and single queries.
//!
//! `cargo bench -p rampart-reach --bench exposure` — estate of N interfaces (1k, 10k, 100k),
//! 2,000 security groups with 50,000 rules, 500 subnets, 200 network ACLs in 10 VPCs.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use rampart_inventory::*;
use rampart_reach::*;
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const VPCS: usize = 10;
const SUBNETS_PER_VPC: usize = 50; // 500 subnets
const NACLS_PER_VPC: usize = 20; // 200 NACLs
const SGS_PER_VPC: usize = 200; // 2,000 groups
const RULES_PER_SG: usize = 25; // 50,000 rules
const COMMON_PORTS: &[i32] = &[22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 27017, 3389, 25, 53];

fn rand_cidr(r: &mut Rng) -> String {
    match r.below(10) {
        0 => "0.0.0.0/0".into(),
        1 => "::/0".into(),
        2 => format!("2001:db8:{:x}::/48", r.below(65536)),
        _ => {
            let len = [8, 12, 16, 20, 24, 28, 32][r.below(7) as usize];
            let a = (r.next() as u32) & (u32::MAX.checked_shl(32 - len).unwrap_or(0));
            format!("{}/{len}", std::net::Ipv4Addr::from(a))
        }
    }
}

fn estate(n_enis: usize, seed: u64) -> Inventory {
    let mut r = Rng(seed);
    let mut e = ec2();
    for k in 0..VPCS {
        let vpc = format!("vpc-{k}");
        push(&mut e.internet_gateways, igw(&format!("igw-{k}"), &vpc));
        let local = || vec![route(&format!("10.{k}.0.0/16"), "local"), route(&format!("2001:db8:{k}::/56"), "local")];
        let subnets: Vec<String> = (0..SUBNETS_PER_VPC).map(|j| format!("subnet-{k}-{j}")).collect();
        let public: Vec<&str> = subnets.iter().step_by(2).map(String::as_str).collect();
        let private: Vec<&str> = subnets.iter().skip(1).step_by(2).map(String::as_str).collect();
        let mut pub_routes = local();
        pub_routes.push(route("0.0.0.0/0", &format!("igw-{k}")));
        pub_routes.push(route("::/0", &format!("igw-{k}")));
        pub_routes.push(route("192.168.0.0/16", "pcx-1"));
        pub_routes.push(blackhole(route("198.51.100.0/24", "igw-old")));
        let mut nat_routes = local();
        nat_routes.push(route("0.0.0.0/0", &format!("nat-{k}")));
        push(&mut e.route_tables, rtb(&format!("rtb-main-{k}"), &vpc, true, &[], local()));
        push(&mut e.route_tables, rtb(&format!("rtb-pub-{k}"), &vpc, false, &public, pub_routes));
        push(&mut e.route_tables, rtb(&format!("rtb-nat-{k}"), &vpc, false, &private, nat_routes));
        for a in 0..NACLS_PER_VPC {
            let members: Vec<&str> =
                subnets.iter().enumerate().filter(|(j, _)| j % NACLS_PER_VPC == a).map(|(_, s)| s.as_str()).collect();
            let mut entries = Vec::new();
            for i in 0..8 {
                let p = COMMON_PORTS[r.below(COMMON_PORTS.len() as u64) as usize];
                entries.push(nacl_entry(10 + i * 10, false, "6", r.below(4) != 0, &rand_cidr(&mut r), Some((p, p + r.below(3) as i32))));
            }
            entries.push(nacl_entry(100, false, "-1", true, "0.0.0.0/0", None));
            entries.push(nacl_entry(101, false, "-1", true, "::/0", None));
            entries.push(nacl_entry(50, true, "6", false, &rand_cidr(&mut r), Some((1024, 2048))));
            entries.push(nacl_entry(100, true, "6", true, "0.0.0.0/0", Some((1024, 65535))));
            entries.push(nacl_entry(101, true, "-1", true, "::/0", None));
            push(&mut e.network_acls, nacl(&format!("acl-{k}-{a}"), &vpc, &members, entries));
        }
        for g in 0..SGS_PER_VPC {
            let mut rules = Vec::with_capacity(RULES_PER_SG);
            for _ in 0..RULES_PER_SG {
                let peer = match r.below(10) {
                    0 => group_ref(&format!("sg-{k}-{}", r.below(SGS_PER_VPC as u64))),
                    _ => cidr(&rand_cidr(&mut r)),
                };
                let (proto, from, to) = match r.below(10) {
                    0 => ("udp", 53, 53),
                    1 => {
                        let a = r.below(60000) as i32;
                        ("tcp", a, a + r.below(2000) as i32)
                    }
                    2 => ("icmp", -1, -1),
                    _ => {
                        let p = COMMON_PORTS[r.below(COMMON_PORTS.len() as u64) as usize];
                        ("tcp", p, p)
                    }
                };
                rules.push(rule(proto, from, to, peer));
            }
            e.security_groups.push(sg(&format!("sg-{k}-{g}"), &vpc, rules));
        }
    }
    for i in 0..n_enis {
        let k = i % VPCS;
        let j = r.below(SUBNETS_PER_VPC as u64);
        let groups: Vec<String> = (0..1 + r.below(3)).map(|_| format!("sg-{k}-{}", r.below(SGS_PER_VPC as u64))).collect();
        let gs: Vec<&str> = groups.iter().map(String::as_str).collect();
        let public = (r.below(2) == 0).then_some("54.0.0.1");
        let v6 = format!("2001:db8:{k}::{:x}", i + 10);
        let v6 = (r.below(5) == 0).then_some(v6.as_str());
        let ip = format!("10.{k}.{}.{}", (i / 250) % 256, i % 250 + 4);
        push(
            &mut e.network_interfaces,
            eni(&format!("eni-{i}"), &format!("vpc-{k}"), &format!("subnet-{k}-{j}"), &ip, public, v6, &gs, Some(&format!("i-{i}"))),
        );
    }
    inventory(e, None)
}

fn vm_hwm_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("rampart-reach exposure benchmark ({threads} cores available)");
    println!("{:>8} {:>10} {:>12} {:>14} {:>14} {:>12}", "ENIs", "exposed", "full (ms)", "query p50 (ms)", "query max (ms)", "VmHWM (MiB)");
    for n in [1_000usize, 10_000, 100_000] {
        let inv = estate(n, 0x5eed_0000 + n as u64);
        let t = Instant::now();
        let ex = internet_exposure(&inv);
        let full = t.elapsed();
        let exposed = ex.iter().filter(|e| matches!(&e.status, Status::Known { ranges } if !ranges.is_empty())).count();
        assert_eq!(ex.len(), n);
        let mut times = Vec::new();
        let mut r = Rng(7);
        for _ in 0..101 {
            let id = format!("eni-{}", r.below(n as u64));
            let port = [22u16, 443, 3306, 8080][r.below(4) as usize];
            let t = Instant::now();
            let v = query(&inv, &Source::Internet, &id, Protocol::TCP, port);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(v);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:>8} {:>10} {:>12.1} {:>14.2} {:>14.2} {:>12.0}",
            n,
            exposed,
            full.as_secs_f64() * 1e3,
            times[times.len() / 2],
            times[times.len() - 1],
            vm_hwm_mib()
        );
    }
}
