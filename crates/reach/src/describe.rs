//! Source sets in words: "the internet except the VPC's range (10.0.0.0/16)" rather than the
//! dozen CIDR blocks that exactly cover everything but one range. The JSON output keeps the
//! exact CIDR list (`sources`); this is only its reading.

use crate::set::{complement_has_cidrs, parse_cidr, to_cidrs, universe, AddrSet, Family};
use rampart_inventory::RouteTable;

/// An address block whose owner is known: a VPC's own range, a peered VPC's, a route's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedBlock {
    pub cidr: String,
    pub set: AddrSet,
    /// Whose it is, as a noun phrase: "the VPC's range", "peered vpc-2 (pcx-1)".
    pub name: String,
}

/// How many CIDR blocks a plain list shows before "and N more".
const SHOWN: usize = 4;

/// `set` of family `fam` in words. When the complement within the family's whole address
/// space takes fewer CIDR blocks than the set itself, the set is read as "the internet except"
/// that complement, each excluded block named after the first of `named` that covers it.
pub fn sources_text(set: &AddrSet, fam: Family, named: &[NamedBlock]) -> String {
    sources_text_listed(set, fam, &to_cidrs(set, fam), named)
}

/// [`sources_text`] for a caller that already holds `listed`, the set's CIDR blocks
/// (`to_cidrs(set, fam)`): the engine writes them for every exposed range anyway, so the words
/// cost a walk over the complement's blocks (stopping at the list's length) and strings only
/// for what is shown.
pub(crate) fn sources_text_listed(set: &AddrSet, fam: Family, listed: &[String], named: &[NamedBlock]) -> String {
    if set.is_empty() {
        return "no address".to_string();
    }
    let all = universe(fam);
    if *set == all {
        return format!("the whole internet ({})", to_cidrs(&all, fam).join(", "));
    }
    if complement_has_cidrs(set, fam, listed.len()) {
        return list(listed);
    }
    let excluded = all.difference(set);
    let mut parts = Vec::new();
    let mut rest = excluded;
    for n in named {
        if !n.set.is_empty() && n.set.is_subset(&rest) {
            parts.push(format!("{} ({})", n.name, n.cidr));
            rest = rest.difference(&n.set);
        }
    }
    parts.extend(to_cidrs(&rest, fam));
    format!("the internet except {}", list(&parts))
}

fn list(items: &[String]) -> String {
    if items.len() > SHOWN {
        format!("{} and {} more", items[..SHOWN].join(", "), items.len() - SHOWN)
    } else {
        items.join(", ")
    }
}

/// The blocks a route table sends somewhere other than an internet gateway, named after
/// where they go: these are what an internet exposure excludes (replies to them do not
/// leave through the internet gateway). Longer prefixes first, so that the most specific
/// owner names a block.
pub(crate) fn route_blocks(t: &RouteTable, fam: Family, peer_vpc: impl Fn(&str) -> Option<String>) -> Vec<NamedBlock> {
    let mut out: Vec<(u32, NamedBlock)> = Vec::new();
    for r in &t.routes {
        let Some(c) = (match fam {
            Family::Ipv4 => r.destination_cidr_block.as_deref(),
            Family::Ipv6 => r.destination_ipv6_cidr_block.as_deref(),
        }) else {
            continue;
        };
        let Some((f, set)) = parse_cidr(c) else { continue };
        if f != fam || r.target.starts_with("igw-") {
            continue;
        }
        let name = if r.target == "local" {
            "the VPC's range".to_string()
        } else if r.target.starts_with("pcx-") {
            match peer_vpc(&r.target) {
                Some(v) => format!("peered {v} ({})", r.target),
                None => format!("the range routed to {}", r.target),
            }
        } else {
            format!("the range routed to {}", r.target)
        };
        let len = c.rsplit_once('/').and_then(|(_, l)| l.parse().ok()).unwrap_or(0);
        out.push((len, NamedBlock { cidr: c.to_string(), set, name }));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cidr.cmp(&b.1.cidr)));
    out.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(c: &str, name: &str) -> NamedBlock {
        NamedBlock { cidr: c.into(), set: parse_cidr(c).unwrap().1, name: name.into() }
    }

    fn set(cs: &[&str]) -> AddrSet {
        cs.iter().fold(AddrSet::empty(), |a, c| a.union(&parse_cidr(c).unwrap().1))
    }

    #[test]
    fn everything_but_the_vpc_reads_as_its_complement() {
        let s = universe(Family::Ipv4).difference(&set(&["10.0.0.0/16"]));
        // 16 blocks exactly; one excluded range names them better.
        assert_eq!(to_cidrs(&s, Family::Ipv4).len(), 16);
        let vpc = block("10.0.0.0/16", "the VPC's range");
        assert_eq!(sources_text(&s, Family::Ipv4, &[vpc]), "the internet except the VPC's range (10.0.0.0/16)");
        // Unnamed: the block itself.
        assert_eq!(sources_text(&s, Family::Ipv4, &[]), "the internet except 10.0.0.0/16");
    }

    #[test]
    fn several_excluded_ranges_named_by_whose_they_are() {
        let s = universe(Family::Ipv4).difference(&set(&["10.0.0.0/16", "10.1.0.0/16", "192.0.2.0/24"]));
        let named = [block("10.0.0.0/16", "the VPC's range"), block("10.1.0.0/16", "peered vpc-2 (pcx-1)")];
        assert_eq!(
            sources_text(&s, Family::Ipv4, &named),
            "the internet except the VPC's range (10.0.0.0/16), peered vpc-2 (pcx-1) (10.1.0.0/16), 192.0.2.0/24"
        );
    }

    #[test]
    fn short_sets_are_listed_and_long_lists_cut() {
        assert_eq!(sources_text(&set(&["203.0.113.0/24"]), Family::Ipv4, &[]), "203.0.113.0/24");
        let many = set(&["1.0.0.0/24", "3.0.0.0/24", "5.0.0.0/24", "7.0.0.0/24", "9.0.0.0/24"]);
        assert_eq!(sources_text(&many, Family::Ipv4, &[]), "1.0.0.0/24, 3.0.0.0/24, 5.0.0.0/24, 7.0.0.0/24 and 1 more");
        assert_eq!(sources_text(&universe(Family::Ipv6), Family::Ipv6, &[]), "the whole internet (::/0)");
        assert_eq!(sources_text(&AddrSet::empty(), Family::Ipv4, &[]), "no address");
    }

    #[test]
    fn ipv6_complement() {
        let s = universe(Family::Ipv6).difference(&set(&["2001:db8:1::/56"]));
        let named = [block("2001:db8:1::/56", "the VPC's range")];
        assert_eq!(sources_text(&s, Family::Ipv6, &named), "the internet except the VPC's range (2001:db8:1::/56)");
    }

    #[test]
    fn route_blocks_name_local_and_peering_routes_most_specific_first() {
        let mut t = RouteTable { route_table_id: "rtb-1".into(), vpc_id: "vpc-1".into(), ..RouteTable::default() };
        for (d, tgt) in [("10.0.0.0/16", "local"), ("10.1.0.0/16", "pcx-1"), ("0.0.0.0/0", "igw-1"), ("10.2.3.0/24", "tgw-1")] {
            t.routes.push(rampart_inventory::Route {
                destination_cidr_block: Some(d.into()),
                target: tgt.into(),
                state: "active".into(),
                ..Default::default()
            });
        }
        let b = route_blocks(&t, Family::Ipv4, |p| (p == "pcx-1").then(|| "vpc-2".to_string()));
        let names: Vec<&str> = b.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["the range routed to tgw-1", "the VPC's range", "peered vpc-2 (pcx-1)"]);
    }
}
