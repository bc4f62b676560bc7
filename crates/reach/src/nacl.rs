//! Network ACLs: stateless, first-match, evaluated per direction as sets of (port, address).
//!
//! AWS documentation followed:
//! - <https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html>,
//!   <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html>: rules are evaluated
//!   in ascending rule number, the first match decides, the final `*` rule denies.
//! - <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>: return
//!   traffic goes to the client's ephemeral ports (`engine::ephemeral`), so every flow crosses each
//!   ACL twice, once per direction.

use crate::engine::{elementary, proto_matches, push_merged, rule_ports, rule_proto, Cache, Ctx, RuleProto, Zone, R};
use crate::flow::Flow;
use crate::set::{parse_cidr, universe, AddrSet, Family, PortSet};
use crate::Protocol;
use rampart_inventory::{NaclEntry, NetworkAcl, NetworkInterface};
use std::collections::BTreeSet;

/// First-match evaluation of one direction of a network ACL, per elementary port interval.
/// (lo, hi, allowed addresses, [(rule number, addresses it decides to allow)])
pub(crate) type NaclPiece = (u16, u16, AddrSet, Vec<(i32, AddrSet)>);

pub(crate) struct NaclEval {
    pub pieces: Vec<NaclPiece>,
    /// Addresses allowed on some port of the range.
    pub any: AddrSet,
}

pub(crate) fn entry_set(e: &NaclEntry, fam: Family) -> Option<AddrSet> {
    let c = match fam {
        Family::Ipv4 => e.cidr_block.as_deref(),
        Family::Ipv6 => e.ipv6_cidr_block.as_deref(),
    }?;
    parse_cidr(c).filter(|(f, _)| *f == fam).map(|(_, s)| s)
}

pub(crate) fn sorted_entries(n: &NetworkAcl, egress: bool) -> Vec<&NaclEntry> {
    let mut v: Vec<&NaclEntry> = n.entries.iter().filter(|e| e.egress == egress).collect();
    v.sort_by_key(|e| e.rule_number);
    v
}

/// vpc-network-acls.html / nacl-rules.html: "We evaluate the rules in order, starting with the
/// lowest numbered rule ... As soon as a rule matches traffic, it's applied regardless of any
/// higher-numbered rule"; the final `*` rule denies.
pub(crate) fn eval_nacl(n: &NetworkAcl, egress: bool, p: Protocol, fam: Family, within: (u16, u16)) -> NaclEval {
    let mut rules = Vec::new();
    for e in sorted_entries(n, egress) {
        let Some(rp) = rule_proto(&e.protocol) else {
            continue;
        };
        if !proto_matches(rp, p) {
            continue;
        }
        let Some(set) = entry_set(e, fam) else {
            continue;
        };
        let (lo, hi) = rule_ports(rp, p, e.port_from, e.port_to);
        rules.push((e.rule_number, e.rule_action == "allow", lo, hi, set));
    }
    let uni = universe(fam);
    let mut ev = NaclEval { pieces: Vec::new(), any: AddrSet::empty() };
    for (lo, hi) in elementary(rules.iter().map(|r| (r.2, r.3)), within) {
        let mut remaining = uni.clone();
        let mut allowed = AddrSet::empty();
        let mut contrib = Vec::new();
        for r in rules.iter().filter(|r| r.2 <= lo && hi <= r.3) {
            if remaining.is_empty() {
                break;
            }
            if r.1 {
                let m = remaining.intersect(&r.4);
                if !m.is_empty() {
                    allowed = allowed.union(&m);
                    contrib.push((r.0, m));
                }
            }
            remaining = remaining.difference(&r.4);
        }
        ev.any = ev.any.union(&allowed);
        ev.pieces.push((lo, hi, allowed, contrib));
    }
    ev
}

impl NaclEval {
    pub fn zone(&self) -> Zone {
        let mut z = Zone::new();
        for (lo, hi, a, _) in &self.pieces {
            push_merged(&mut z, *lo, *hi, a.clone());
        }
        z
    }

    pub fn allows(&self, port: u16, a: u128) -> bool {
        self.pieces.iter().any(|p| p.0 <= port && port <= p.1 && p.2.contains(a))
    }

    /// The ports on which address `a` is allowed.
    pub fn ports_for(&self, a: u128) -> PortSet {
        PortSet::from_ranges(self.pieces.iter().filter(|p| p.2.contains(a)).map(|p| (p.0, p.1)))
    }

    pub(crate) fn rules_for(&self, ports: &PortSet, src: &AddrSet) -> BTreeSet<i32> {
        let mut out = BTreeSet::new();
        for (lo, hi, _, c) in &self.pieces {
            if !ports.intersects(&PortSet::range(*lo, *hi)) {
                continue;
            }
            for (n, s) in c {
                if s.intersects(src) {
                    out.insert(*n);
                }
            }
        }
        out
    }
}

/// Network ACL legs between two interfaces in different subnets: request out of the source
/// subnet and into the target subnet, reply out of the target subnet and into the source
/// subnet on one of the source's ephemeral ports (the same port both ways). Traffic inside one
/// subnet crosses no network ACL.
pub(crate) fn nacl_legs_ok<'a>(
    ctx: &Ctx<'a>,
    cache: &mut Cache<'a>,
    (from, from_ip): (&NetworkInterface, u128),
    (to, to_ip): (&NetworkInterface, u128),
    f: Flow,
) -> R<bool> {
    let Flow { p, port, fam } = f;
    if from.subnet_id == to.subnet_id {
        return Ok(true);
    }
    let (nf, nt) = (ctx.nacl_idx(&from.subnet_id)?, ctx.nacl_idx(&to.subnet_id)?);
    let back_out = cache.nacl(ctx, nt, true, true, p, fam).ports_for(from_ip);
    let back_in = cache.nacl(ctx, nf, false, true, p, fam).ports_for(to_ip);
    Ok(cache.nacl(ctx, nf, true, false, p, fam).allows(port, to_ip)
        && cache.nacl(ctx, nt, false, false, p, fam).allows(port, from_ip)
        && back_out.intersects(&back_in))
}

pub(crate) fn first_match(n: &NetworkAcl, egress: bool, p: Protocol, fam: Family, a: u128, port: u16) -> Option<&NaclEntry> {
    sorted_entries(n, egress).into_iter().find(|e| {
        let Some(rp) = rule_proto(&e.protocol) else {
            return false;
        };
        let proto_ok = match rp {
            RuleProto::Any => true,
            RuleProto::Num(x) => x == p.0,
        };
        let c = match fam {
            Family::Ipv4 => e.cidr_block.as_deref(),
            Family::Ipv6 => e.ipv6_cidr_block.as_deref(),
        };
        let addr_ok = c.and_then(parse_cidr).is_some_and(|(f, s)| f == fam && s.contains(a));
        let ports_ok = !p.has_ports()
            || matches!(rp, RuleProto::Any)
            || match (e.port_from, e.port_to) {
                (Some(f), Some(t)) if f >= 0 && t >= 0 => f <= i32::from(port) && i32::from(port) <= t,
                _ => true,
            };
        proto_ok && addr_ok && ports_ok
    })
}

pub(crate) fn nacl_rule_text(e: Option<&NaclEntry>, dir: &str) -> (String, i32) {
    match e {
        Some(e) => (format!("{dir} #{} {}", e.rule_number, e.rule_action), e.rule_number),
        None => (format!("no {dir} rule matches (default deny *)"), 32767),
    }
}
