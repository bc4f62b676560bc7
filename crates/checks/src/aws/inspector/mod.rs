//! Amazon Inspector's rule packages that run on the inventory alone.

pub mod network_reachability;
