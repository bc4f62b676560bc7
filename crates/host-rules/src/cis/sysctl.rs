//! CIS 3.1–3.2 (network parameters) as kernel parameters that must all have one value.
//! A key the telemetry could not read (IPv6 disabled, a mounted root) is NOT_AVAILABLE
//! unless another key of the rule already fails.

use rampart_host::{Observed, Telemetry};
use rampart_model::Severity;

use crate::{Eval, Out, Package, Rule};

macro_rules! sysctl_rule {
    ($name:ident, $id:literal, cis $cis:literal, $sev:expr, $title:literal, $why:literal,
     [$(($key:literal, $value:literal)),+ $(,)?]) => {
        pub static $name: Rule = Rule {
            meta: super::meta(
                super::cis!($cis),
                $id,
                concat!($title, " (CIS ", $cis, ")"),
                concat!(
                    "CIS Distribution Independent Linux Benchmark v2.0.0, recommendation ", $cis,
                    ": kernel parameters ", $("`", $key, " = ", $value, "` "),+, ". ", $why
                ),
                $sev,
                concat!(
                    "Add the lines ", $("`", $key, " = ", $value, "` "),+,
                    "to /etc/sysctl.d/60-cis.conf, then run `sysctl --system` (and `sysctl -w net.ipv4.route.flush=1`)."
                ),
                concat!(
                    "printf '%s\\n' ", $("'", $key, " = ", $value, "' "),+,
                    ">> /etc/sysctl.d/60-cis.conf && sysctl --system"
                ),
            ),
            package: Package::Cis,
            eval: Eval::Sysctl(&[$(($key, $value)),+]),
        };
    };
}

sysctl_rule!(IP_FORWARD, "host_cis_ip_forwarding_disabled", cis "3.1.1", Severity::Medium,
    "Ensure IP forwarding is disabled",
    "A host that is not a router must not forward packets between networks.",
    [("net.ipv4.ip_forward", "0"), ("net.ipv6.conf.all.forwarding", "0")]);
sysctl_rule!(SEND_REDIRECTS, "host_cis_send_redirects_disabled", cis "3.1.2", Severity::Low,
    "Ensure packet redirect sending is disabled",
    "Only routers send ICMP redirects; an attacker on the host could use them to reroute others.",
    [("net.ipv4.conf.all.send_redirects", "0"), ("net.ipv4.conf.default.send_redirects", "0")]);
sysctl_rule!(SOURCE_ROUTE, "host_cis_source_routed_packets_rejected", cis "3.2.1", Severity::Medium,
    "Ensure source routed packets are not accepted",
    "Source routing lets a sender choose a path into networks that routing would not reach.",
    [("net.ipv4.conf.all.accept_source_route", "0"), ("net.ipv4.conf.default.accept_source_route", "0"),
     ("net.ipv6.conf.all.accept_source_route", "0"), ("net.ipv6.conf.default.accept_source_route", "0")]);
sysctl_rule!(ACCEPT_REDIRECTS, "host_cis_icmp_redirects_rejected", cis "3.2.2", Severity::Medium,
    "Ensure ICMP redirects are not accepted",
    "Forged ICMP redirects alter the routing table to intercept traffic.",
    [("net.ipv4.conf.all.accept_redirects", "0"), ("net.ipv4.conf.default.accept_redirects", "0"),
     ("net.ipv6.conf.all.accept_redirects", "0"), ("net.ipv6.conf.default.accept_redirects", "0")]);
sysctl_rule!(SECURE_REDIRECTS, "host_cis_secure_icmp_redirects_rejected", cis "3.2.3", Severity::Low,
    "Ensure secure ICMP redirects are not accepted",
    "Even redirects from known gateways can come from a compromised gateway.",
    [("net.ipv4.conf.all.secure_redirects", "0"), ("net.ipv4.conf.default.secure_redirects", "0")]);
sysctl_rule!(LOG_MARTIANS, "host_cis_suspicious_packets_logged", cis "3.2.4", Severity::Low,
    "Ensure suspicious packets are logged",
    "Logging packets with impossible source addresses shows spoofing attempts.",
    [("net.ipv4.conf.all.log_martians", "1"), ("net.ipv4.conf.default.log_martians", "1")]);
sysctl_rule!(ICMP_BROADCASTS, "host_cis_broadcast_icmp_ignored", cis "3.2.5", Severity::Low,
    "Ensure broadcast ICMP requests are ignored",
    "Answering broadcast echo requests makes the host a Smurf amplifier.",
    [("net.ipv4.icmp_echo_ignore_broadcasts", "1")]);
sysctl_rule!(BOGUS_ICMP, "host_cis_bogus_icmp_responses_ignored", cis "3.2.6", Severity::Low,
    "Ensure bogus ICMP responses are ignored",
    "Bogus error responses would otherwise fill the logs.",
    [("net.ipv4.icmp_ignore_bogus_error_responses", "1")]);
sysctl_rule!(RP_FILTER, "host_cis_reverse_path_filtering", cis "3.2.7", Severity::Medium,
    "Ensure Reverse Path Filtering is enabled",
    "Strict reverse path filtering drops packets whose source could not be answered on the interface they came in on.",
    [("net.ipv4.conf.all.rp_filter", "1"), ("net.ipv4.conf.default.rp_filter", "1")]);
sysctl_rule!(SYNCOOKIES, "host_cis_tcp_syn_cookies", cis "3.2.8", Severity::Medium,
    "Ensure TCP SYN Cookies is enabled",
    "SYN cookies keep the host accepting connections during a SYN flood.",
    [("net.ipv4.tcp_syncookies", "1")]);
sysctl_rule!(ACCEPT_RA, "host_cis_ipv6_router_advertisements_rejected", cis "3.2.9", Severity::Low,
    "Ensure IPv6 router advertisements are not accepted",
    "Forged router advertisements reroute IPv6 traffic; static routes are safer on servers.",
    [("net.ipv6.conf.all.accept_ra", "0"), ("net.ipv6.conf.default.accept_ra", "0")]);

/// FAILED when any key has another value, else NOT_AVAILABLE when any could not be
/// read, else PASSED.
pub fn eval(keys: &[(&str, &str)], t: &Telemetry, out: &mut Out) {
    let values = match &t.sysctl {
        Observed::Unknown(r) => {
            return out.not_available("", format!("kernel parameters were not read: {r}"))
        }
        Observed::Known(v) => v,
    };
    let mut bad = Vec::new();
    let mut good = Vec::new();
    let mut unknown = Vec::new();
    for (key, want) in keys {
        match values.get(*key) {
            Some(Observed::Known(v)) if v.trim() == *want => good.push(format!("`{key} = {v}`")),
            Some(Observed::Known(v)) => bad.push(format!("`{key} = {v}` (want {want})")),
            Some(Observed::Unknown(r)) => unknown.push(format!("`{key}`: {r}")),
            None => unknown.push(format!("`{key}`: not in the telemetry")),
        }
    }
    if !bad.is_empty() {
        out.fail("", bad.join(", "));
    } else if !unknown.is_empty() {
        out.not_available("", format!("could not read {}", unknown.join("; ")));
    } else {
        out.pass("", good.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{compliant, expect, set_sysctl, Expect::*};

    #[test]
    fn every_sysctl_rule_passes_fails_and_is_not_available() {
        for rule in [
            &IP_FORWARD,
            &SEND_REDIRECTS,
            &SOURCE_ROUTE,
            &ACCEPT_REDIRECTS,
            &SECURE_REDIRECTS,
            &LOG_MARTIANS,
            &ICMP_BROADCASTS,
            &BOGUS_ICMP,
            &RP_FILTER,
            &SYNCOOKIES,
            &ACCEPT_RA,
        ] {
            let Eval::Sysctl(keys) = &rule.eval else {
                panic!("{} is a sysctl rule", rule.meta.id)
            };
            // Every key must be one the collector reads.
            for (k, _) in *keys {
                assert!(
                    rampart_host::system::SYSCTL_KEYS.contains(k),
                    "{k} is not collected"
                );
            }
            let t = compliant();
            expect(rule, &t, &[Passed]);
            let (key, want) = keys[keys.len() - 1];
            let flipped = if want == "0" { "1" } else { "0" };
            let mut bad = t.clone();
            set_sysctl(&mut bad, key, Observed::Known(flipped.into()));
            expect(rule, &bad, &[Failed(key)]);
            let mut unknown = t.clone();
            set_sysctl(&mut unknown, key, Observed::Unknown("no such file".into()));
            expect(rule, &unknown, &[NotAvailable("no such file")]);
        }
        let mut t = compliant();
        t.sysctl = Observed::Unknown("not available for a mounted root".into());
        expect(&IP_FORWARD, &t, &[NotAvailable("mounted root")]);
    }
}
