//! The traffic a question is about, passed whole instead of as loose arguments.

use crate::set::Family;
use crate::Protocol;

/// One direction of traffic: protocol, destination port (`0` for port-less protocols) and the
/// address family of both ends. Which ends it joins is the caller's (an interface, a subnet, an
/// address): the engine asks the same questions of every hop with the same `Flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flow {
    pub p: Protocol,
    pub port: u16,
    pub fam: Family,
}
