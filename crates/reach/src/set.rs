//! Interval sets: sorted, disjoint, non-adjacent, inclusive intervals.
//!
//! Ports are `IntervalSet<u16>`, addresses `IntervalSet<u128>` (IPv4 as IPv4-mapped IPv6,
//! `::ffff:a.b.c.d`). Every operation is linear in the number of intervals: nothing in the
//! engine enumerates ports or addresses.

use serde::{Serialize, Serializer};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A point type of an interval set.
pub trait Point: Copy + Ord + fmt::Debug {
    const MIN: Self;
    const MAX: Self;
    fn succ(self) -> Option<Self>;
    fn pred(self) -> Option<Self>;
}

impl Point for u16 {
    const MIN: Self = 0;
    const MAX: Self = u16::MAX;
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn pred(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

impl Point for u128 {
    const MIN: Self = 0;
    const MAX: Self = u128::MAX;
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn pred(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

/// A set of points as sorted, disjoint, non-adjacent inclusive intervals.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct IntervalSet<T> {
    iv: Vec<(T, T)>,
}

/// Port ranges.
pub type PortSet = IntervalSet<u16>;
/// Addresses: IPv4 as IPv4-mapped IPv6 (`::ffff:0:0/96`), IPv6 as itself.
pub type AddrSet = IntervalSet<u128>;

impl<T: Point> IntervalSet<T> {
    pub fn empty() -> Self {
        IntervalSet { iv: Vec::new() }
    }

    pub fn full() -> Self {
        IntervalSet { iv: vec![(T::MIN, T::MAX)] }
    }

    /// `[lo, hi]`; empty when `lo > hi`.
    pub fn range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::empty()
        } else {
            IntervalSet { iv: vec![(lo, hi)] }
        }
    }

    pub fn point(x: T) -> Self {
        Self::range(x, x)
    }

    /// From any intervals (unsorted, overlapping, `lo > hi` dropped).
    pub fn from_ranges(ranges: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut v: Vec<(T, T)> = ranges.into_iter().filter(|(l, h)| l <= h).collect();
        v.sort_unstable();
        Self::coalesce(v)
    }

    /// Merges intervals sorted by lower bound.
    fn coalesce(sorted: Vec<(T, T)>) -> Self {
        let mut out: Vec<(T, T)> = Vec::with_capacity(sorted.len());
        for (lo, hi) in sorted {
            if let Some(last) = out.last_mut() {
                let adjacent = match last.1.succ() {
                    Some(n) => lo <= n,
                    None => true,
                };
                if adjacent {
                    if hi > last.1 {
                        last.1 = hi;
                    }
                    continue;
                }
            }
            out.push((lo, hi));
        }
        IntervalSet { iv: out }
    }

    pub fn intervals(&self) -> &[(T, T)] {
        &self.iv
    }

    pub fn is_empty(&self) -> bool {
        self.iv.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.iv.len() == 1 && self.iv[0] == (T::MIN, T::MAX)
    }

    pub fn first(&self) -> Option<T> {
        self.iv.first().map(|i| i.0)
    }

    pub fn contains(&self, x: T) -> bool {
        let i = self.iv.partition_point(|iv| iv.1 < x);
        i < self.iv.len() && self.iv[i].0 <= x
    }

    pub fn union(&self, other: &Self) -> Self {
        if other.iv.is_empty() {
            return self.clone();
        }
        if self.iv.is_empty() {
            return other.clone();
        }
        let mut v = Vec::with_capacity(self.iv.len() + other.iv.len());
        let (mut i, mut j) = (0, 0);
        while i < self.iv.len() || j < other.iv.len() {
            if j >= other.iv.len() || (i < self.iv.len() && self.iv[i] <= other.iv[j]) {
                v.push(self.iv[i]);
                i += 1;
            } else {
                v.push(other.iv[j]);
                j += 1;
            }
        }
        Self::coalesce(v)
    }

    pub fn intersect(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.iv.len() && j < other.iv.len() {
            let (a, b) = (self.iv[i], other.iv[j]);
            let lo = a.0.max(b.0);
            let hi = a.1.min(b.1);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet { iv: out }
    }

    pub fn intersects(&self, other: &Self) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.iv.len() && j < other.iv.len() {
            let (a, b) = (self.iv[i], other.iv[j]);
            if a.0.max(b.0) <= a.1.min(b.1) {
                return true;
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// The intervals of `[lo, hi]` not in the set, in order, without building a set.
    pub fn gaps(&self, lo: T, hi: T) -> impl Iterator<Item = (T, T)> + '_ {
        let mut next = Some(lo);
        let mut ivs = self.iv.iter();
        std::iter::from_fn(move || loop {
            let n = next.filter(|n| *n <= hi)?;
            match ivs.next() {
                Some(&(a, b)) => {
                    if b < n {
                        continue;
                    }
                    next = b.succ();
                    if n < a {
                        // `a > n >= MIN`, so `a` has a predecessor.
                        return Some((n, a.pred().unwrap_or(a).min(hi)));
                    }
                }
                None => {
                    next = None;
                    return Some((n, hi));
                }
            }
        })
    }

    pub fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.iv.len() + 1);
        let mut next = Some(T::MIN);
        for &(lo, hi) in &self.iv {
            if let Some(n) = next {
                if n < lo {
                    if let Some(p) = lo.pred() {
                        out.push((n, p));
                    }
                }
            }
            next = hi.succ();
        }
        if let Some(n) = next {
            out.push((n, T::MAX));
        }
        IntervalSet { iv: out }
    }

    pub fn difference(&self, other: &Self) -> Self {
        if other.iv.is_empty() || self.iv.is_empty() {
            return self.clone();
        }
        self.intersect(&other.complement())
    }

    pub fn is_subset(&self, other: &Self) -> bool {
        self.difference(other).is_empty()
    }
}

// ---------------------------------------------------------------- addresses

/// IPv4 or IPv6: AWS routes, filters and reports the two independently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        })
    }
}

pub(crate) const V4_BASE: u128 = 0xffff_u128 << 32;

/// Every address of a family: `::ffff:0:0/96` for IPv4, everything for IPv6.
pub fn universe(f: Family) -> AddrSet {
    match f {
        Family::Ipv4 => AddrSet::range(V4_BASE, V4_BASE | 0xffff_ffff),
        Family::Ipv6 => AddrSet::full(),
    }
}

/// An address as a point of its family.
pub fn addr_point(ip: std::net::IpAddr) -> (Family, u128) {
    match ip {
        std::net::IpAddr::V4(a) => (Family::Ipv4, V4_BASE | u128::from(u32::from(a))),
        std::net::IpAddr::V6(a) => (Family::Ipv6, u128::from(a)),
    }
}

/// Parses `a.b.c.d/n` or `x::/n` (host bits ignored) into its family and address interval.
pub fn parse_cidr(s: &str) -> Option<(Family, AddrSet)> {
    let (addr, len) = s.trim().split_once('/')?;
    let len: u32 = len.parse().ok()?;
    if let Ok(a) = addr.parse::<Ipv4Addr>() {
        if len > 32 {
            return None;
        }
        let host = u32::MAX.checked_shr(len).unwrap_or(0);
        let lo = u32::from(a) & !host;
        let hi = lo | host;
        return Some((Family::Ipv4, AddrSet::range(V4_BASE | u128::from(lo), V4_BASE | u128::from(hi))));
    }
    let a = addr.parse::<Ipv6Addr>().ok()?;
    if len > 128 {
        return None;
    }
    let host = u128::MAX.checked_shr(len).unwrap_or(0);
    let lo = u128::from(a) & !host;
    Some((Family::Ipv6, AddrSet::range(lo, lo | host)))
}

/// The minimal CIDR blocks of sorted disjoint intervals, as (first address, host bits), in
/// address order.
fn cidr_blocks(ivs: impl Iterator<Item = (u128, u128)>) -> impl Iterator<Item = (u128, u32)> {
    ivs.flat_map(|(lo, hi)| {
        let mut next = Some(lo);
        std::iter::from_fn(move || {
            let lo = next?;
            // Largest aligned block starting at `lo` that fits in [lo, hi]: no more host bits
            // than `lo`'s trailing zeros, nor than the interval's length allows.
            let align = if lo == 0 { 128 } else { lo.trailing_zeros() };
            let fit = match (hi - lo).checked_add(1) {
                Some(len) => 127 - len.leading_zeros(),
                None => 128, // [0, u128::MAX]
            };
            let bits = align.min(fit);
            let last = if bits == 128 { u128::MAX } else { lo | ((1u128 << bits) - 1) };
            next = if last < hi { last.succ() } else { None };
            Some((lo, bits))
        })
    })
}

/// Whether the addresses of family `fam` outside `set` take at least `n` CIDR blocks; counts
/// no further than `n`, and builds no set.
pub fn complement_has_cidrs(set: &AddrSet, fam: Family, n: usize) -> bool {
    let (lo, hi) = universe(fam).intervals()[0];
    cidr_blocks(set.gaps(lo, hi)).take(n).count() >= n
}

/// The set as a minimal list of CIDR blocks of its family.
pub fn to_cidrs(set: &AddrSet, fam: Family) -> Vec<String> {
    cidr_blocks(set.intervals().iter().copied())
        .map(|(lo, bits)| match fam {
            Family::Ipv4 => format!("{}/{}", Ipv4Addr::from((lo & 0xffff_ffff) as u32), 32 - bits.min(32)),
            Family::Ipv6 => format!("{}/{}", Ipv6Addr::from(lo), 128 - bits),
        })
        .collect()
}

/// `22`, `80-81`, ... joined by `,`; `all` for 0-65535.
pub fn ports_text(p: &PortSet) -> String {
    if p.is_full() {
        return "all".into();
    }
    p.intervals().iter().map(|&(l, h)| if l == h { l.to_string() } else { format!("{l}-{h}") }).collect::<Vec<_>>().join(",")
}

impl Serialize for IntervalSet<u16> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iv.iter().map(|&(l, h)| if l == h { l.to_string() } else { format!("{l}-{h}") }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive(v: &[(u16, u16)], x: u16) -> bool {
        v.iter().any(|&(l, h)| l <= x && x <= h)
    }

    proptest! {
        #[test]
        fn set_algebra_matches_membership(a in proptest::collection::vec((0u16..64, 0u16..64), 0..6),
                                          b in proptest::collection::vec((0u16..64, 0u16..64), 0..6)) {
            let sa = PortSet::from_ranges(a.clone());
            let sb = PortSet::from_ranges(b.clone());
            let (u, i, d, c) = (sa.union(&sb), sa.intersect(&sb), sa.difference(&sb), sa.complement());
            for x in 0u16..70 {
                let (ia, ib) = (naive(&a, x), naive(&b, x));
                prop_assert_eq!(sa.contains(x), ia);
                prop_assert_eq!(u.contains(x), ia || ib);
                prop_assert_eq!(i.contains(x), ia && ib);
                prop_assert_eq!(d.contains(x), ia && !ib);
                prop_assert_eq!(c.contains(x), !ia);
            }
            prop_assert_eq!(sa.intersects(&sb), !i.is_empty());
            for (lo, hi) in [(0u16, u16::MAX), (3, 40), (10, 10), (64, 80)] {
                let window = PortSet::range(lo, hi);
                prop_assert_eq!(PortSet::from_ranges(sa.gaps(lo, hi)), window.difference(&sa));
                prop_assert_eq!(sa.gaps(lo, hi).count(), window.difference(&sa).intervals().len());
            }
            // canonical: disjoint, sorted, non-adjacent
            for w in u.intervals().windows(2) {
                prop_assert!(w[0].1 + 1 < w[1].0);
            }
        }
    }

    /// The first implementation of `to_cidrs`: shrink from the alignment of `lo` one bit at a
    /// time until the block fits.
    fn naive_blocks(set: &AddrSet) -> Vec<(u128, u32)> {
        let mut out = Vec::new();
        for &(lo, hi) in set.intervals() {
            let mut lo = lo;
            loop {
                let mut bits = if lo == 0 { 128 } else { lo.trailing_zeros() };
                while bits > 0 && (if bits == 128 { u128::MAX } else { lo | ((1u128 << bits) - 1) }) > hi {
                    bits -= 1;
                }
                out.push((lo, bits));
                let last = if bits == 128 { u128::MAX } else { lo | ((1u128 << bits) - 1) };
                match last.checked_add(1) {
                    Some(n) if last < hi => lo = n,
                    _ => break,
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn cidr_blocks_are_the_minimal_cover(v in proptest::collection::vec((any::<u128>(), 0u32..128, 0u32..40), 0..5),
                                             edge in 0usize..4) {
            // Random intervals of random sizes, plus the edges of the address space.
            let mut ivs: Vec<(u128, u128)> = v.iter().map(|&(a, sh, len)| {
                let lo = a >> sh;
                (lo, lo.saturating_add((1u128 << len) + u128::from(len)))
            }).collect();
            match edge {
                1 => ivs.push((0, 5)),
                2 => ivs.push((u128::MAX - 7, u128::MAX)),
                3 => ivs.push((0, u128::MAX)),
                _ => {}
            }
            let set = AddrSet::from_ranges(ivs);
            let blocks: Vec<(u128, u32)> = cidr_blocks(set.intervals().iter().copied()).collect();
            prop_assert_eq!(&blocks, &naive_blocks(&set));
            for fam in [Family::Ipv4, Family::Ipv6] {
                let outside = universe(fam).difference(&set);
                let n = to_cidrs(&outside, fam).len();
                prop_assert!(complement_has_cidrs(&set, fam, n));
                prop_assert!(!complement_has_cidrs(&set, fam, n + 1));
            }
        }
    }

    #[test]
    fn cidrs_round_trip() {
        let (f, s) = parse_cidr("10.0.0.0/8").unwrap();
        assert_eq!(to_cidrs(&s, f), vec!["10.0.0.0/8"]);
        let (_, all) = parse_cidr("0.0.0.0/0").unwrap();
        assert_eq!(all, universe(Family::Ipv4));
        assert_eq!(to_cidrs(&all, Family::Ipv4), vec!["0.0.0.0/0"]);
        assert_eq!(to_cidrs(&AddrSet::full(), Family::Ipv6), vec!["::/0"]);
        let minus = all.difference(&s);
        assert_eq!(to_cidrs(&minus, Family::Ipv4).len(), 8);
        let (f6, s6) = parse_cidr("2001:db8::/32").unwrap();
        assert_eq!(to_cidrs(&s6, f6), vec!["2001:db8::/32"]);
        assert!(parse_cidr("10.0.0.0/33").is_none());
        let (_, one) = parse_cidr("255.255.255.255/32").unwrap();
        assert_eq!(one, AddrSet::point(V4_BASE | 0xffff_ffff));
        let (_, one6) = parse_cidr("2001:db8::1/128").unwrap();
        assert_eq!(to_cidrs(&one6, Family::Ipv6), vec!["2001:db8::1/128"]);
        assert!(parse_cidr("nonsense").is_none());
    }
}
