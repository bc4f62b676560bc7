//! Reachability questions as a person asks them: from the internet, an address, an
//! instance, an interface or a whole subnet, to a resource (or one of its addresses), or
//! out to the internet or an address.

use anyhow::{bail, Result};
use rampart_inventory::Inventory;
use rampart_reach::{Destination, Protocol, Source, Verdict};
use crate::shown;
use std::net::IpAddr;

/// One question.
#[derive(Debug, Clone)]
pub struct Question {
    /// `internet`, an IP address, an instance (`i-`), interface (`eni-`) or subnet (`subnet-`) id.
    pub from: String,
    /// A resource id, or `internet` / an IP address for egress.
    pub to: String,
    /// One address of the `to` resource.
    pub to_address: Option<IpAddr>,
    pub protocol: Protocol,
    pub port: u16,
}

/// The answers: one per source (a subnet is answered per interface it holds).
pub type Answers = Vec<(String, Verdict)>;

fn source(from: &str) -> Result<Source> {
    Ok(if from.eq_ignore_ascii_case("internet") {
        Source::Internet
    } else if let Ok(ip) = from.parse() {
        Source::Ip(ip)
    } else if from.starts_with("i-") || from.starts_with("eni-") {
        Source::Resource(from.to_string())
    } else {
        bail!("`{}` is neither `internet`, an IP address, nor an instance, network interface or subnet id", shown(from))
    })
}

/// Why a question makes no sense; each front end words it with its own names for the parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Egress (`to` is `internet` or an address) asked from outside (the internet, an address).
    EgressFromOutside,
    /// An address of the destination given with an egress destination.
    AddressWithEgress,
    /// `from` is none of `internet`, an address, an instance, interface or subnet id.
    UnknownSource,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::EgressFromOutside => "a question about connecting out must start from an instance, network interface or subnet id",
            Refusal::AddressWithEgress => "an address of the destination is for a resource destination, not for `internet` or an address",
            Refusal::UnknownSource => "the source is neither `internet`, an IP address, nor an instance, network interface or subnet id",
        })
    }
}

impl std::error::Error for Refusal {}

/// The question checked before anything is read: `from` and `to` make sense together.
pub fn check(q: &Question) -> Result<(), Refusal> {
    let egress = destination(&q.to);
    if egress.is_some() && (q.from.eq_ignore_ascii_case("internet") || q.from.parse::<IpAddr>().is_ok()) {
        return Err(Refusal::EgressFromOutside);
    }
    if egress.is_some() && q.to_address.is_some() {
        return Err(Refusal::AddressWithEgress);
    }
    if !q.from.starts_with("subnet-") && egress.is_none() && source(&q.from).is_err() {
        return Err(Refusal::UnknownSource);
    }
    Ok(())
}

/// `internet` or an address as the destination: a question about egress.
fn destination(to: &str) -> Option<Destination> {
    if to.eq_ignore_ascii_case("internet") {
        Some(Destination::Internet)
    } else {
        to.parse().ok().map(Destination::Ip)
    }
}

/// Answers `q` over `inv`.
pub fn ask(inv: &Inventory, q: &Question) -> Result<Answers> {
    check(q)?;
    let egress = destination(&q.to);
    // A subnet is answered per interface (the subnet itself when it holds none).
    let sources: Vec<String> = if q.from.starts_with("subnet-") {
        match rampart_reach::subnet_sources(inv, &q.from) {
            None => bail!("subnet `{}` is not in the inventory", shown(&q.from)),
            Some(v) if v.is_empty() && egress.is_none() => {
                bail!("subnet `{}` holds no network interface: ask from one of its addresses", shown(&q.from))
            }
            Some(v) if v.is_empty() => vec![q.from.clone()],
            Some(v) => v,
        }
    } else {
        vec![q.from.clone()]
    };
    let mut answers = Vec::new();
    for from in sources {
        let v = match (&egress, q.to_address) {
            (Some(dest), _) => rampart_reach::egress(inv, &from, dest, q.protocol, q.port),
            (None, Some(a)) => rampart_reach::query_address(inv, &source(&from)?, &q.to, a, q.protocol, q.port),
            (None, None) => rampart_reach::query(inv, &source(&from)?, &q.to, q.protocol, q.port),
        };
        answers.push((from, v));
    }
    Ok(answers)
}

/// The answers as one verdict, like `grep`: reachable from every source, blocked from
/// some, or cannot be told for some.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    Reachable,
    Blocked,
    Unknown,
}

pub fn overall(answers: &Answers) -> Overall {
    let any = |f: fn(&Verdict) -> bool| answers.iter().any(|(_, v)| f(v));
    if any(|v| matches!(v, Verdict::Unknown { .. })) {
        Overall::Unknown
    } else if any(|v| matches!(v, Verdict::Blocked { .. })) {
        Overall::Blocked
    } else {
        Overall::Reachable
    }
}
