//! Security groups that open remote server administration ports (22, 3389) to the world.
//!
//! CIS AWS Foundations v3.0.0 5.2 (IPv4) and 5.3 (IPv6); FSBP EC2.53 (IPv4) and EC2.54 (IPv6).
//! Security Hub's EC2.13 (22) and EC2.14 (3389) check the same, but belong to CIS v1.2.0, PCI
//! DSS and NIST 800-53, not to FSBP (their "Related requirements" in
//! https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html name no FSBP), so
//! they are not claimed as FSBP references. One result per security group.
//!
//! CIS 5.2 (in public copies of its text; the benchmark itself was not read here): no security
//! group should allow unrestricted ingress to remote server administration ports "using either
//! the TCP (6), UDP (17) or ALL (-1) protocols". AWS's own sentence for EC2.53/EC2.54 could not be
//! retrieved here. The IPv4 (5.2, EC2.53) and IPv6 (5.3, EC2.54) items are judged by one check:
//! a group open only from `::/0` also fails the IPv4 items (stricter, never laxer). One rule open
//! to the world whose range contains 22 or 3389 fails the group, whatever its other rules say.

use super::sg::{each_group, open_ingress, open_ports};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub const ADMIN_PORTS: &[i32] = &[22, 3389];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_sg_admin_ports_unrestricted",
        title: "Security groups allow ingress from 0.0.0.0/0 or ::/0 to remote administration ports",
        description: "SSH (22) and RDP (3389) open to the internet invite brute-force attacks and exploitation of the remote access service.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[
            StandardRef::cis("5.2"),
            StandardRef::cis("5.3"),
            StandardRef::fsbp("EC2.53"),
            StandardRef::fsbp("EC2.54"),
        ],
        remediation: Remediation {
            console: "EC2 console > Security Groups > select the group > Inbound rules > Edit inbound rules: restrict the SSH/RDP rules to known address ranges, or use Systems Manager Session Manager instead.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --protocol tcp --port 22 --cidr 0.0.0.0/0",
            url: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |ec2, sg, res, out| {
        let (open, unknown) = open_ingress(ec2, sg);
        // CIS counts TCP, UDP and all-protocol rules (RDP also runs over UDP 3389).
        let bad = open_ports(&open, ADMIN_PORTS);
        if !bad.is_empty() {
            out.fail(res, format!("remote administration open to the internet: {}", bad.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("cannot tell whether the group is open: {}", unknown.join("; ")));
        } else {
            out.pass(res, "ports 22 and 3389 are not open to 0.0.0.0/0 or ::/0");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::sg::tests::{group, rule, world4};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, SgPeer};
    use rampart_model::Status;

    fn with(g: rampart_inventory::SecurityGroup) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2.known_mut().unwrap().security_groups = vec![g];
        inv
    }

    #[test]
    fn fail() {
        let inv = with(group("sg", vec![rule("tcp", Some(3380), Some(3390), SgPeer::Cidr6("::/0".into()))]));
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/3389"));
        let inv = with(group("sg", vec![rule("udp", Some(3389), Some(3389), world4())]));
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
    }

    #[test]
    fn pass() {
        let inv = with(group(
            "sg",
            vec![rule("tcp", Some(22), Some(22), SgPeer::Cidr4("203.0.113.0/24".into())), rule("udp", Some(53), Some(53), world4())],
        ));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
    }

    /// Several rules: an SSH rule restricted to a range next to an all-traffic rule from `::/0`
    /// fails; a range containing 22 fails; restricted rules and security-group sources do not.
    #[test]
    fn several_rules() {
        let group_ref = SgPeer::Group { group_id: "sg-bastion".into(), user_id: None, vpc_peering_connection_id: None };
        let rules = vec![
            rule("tcp", Some(22), Some(22), SgPeer::Cidr4("203.0.113.0/24".into())),
            rule("tcp", Some(3389), Some(3389), group_ref.clone()),
            rule("-1", None, None, SgPeer::Cidr6("::/0".into())),
        ];
        let (s, why) = single(&CHECK, &with(group("sg", rules)));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/22 from ::/0") && why.contains("udp/3389 from ::/0") && !why.contains("203.0.113"), "{why}");
        let (s, why) = single(
            &CHECK,
            &with(group("sg", vec![rule("tcp", Some(443), Some(443), world4()), rule("tcp", Some(1), Some(1024), world4())])),
        );
        assert_eq!(s, Status::Failed);
        assert!(why.contains("tcp/22 from 0.0.0.0/0") && !why.contains("3389"), "{why}");
        let ok = vec![
            rule("tcp", Some(22), Some(22), SgPeer::Cidr4("203.0.113.0/24".into())),
            rule("tcp", Some(3389), Some(3389), group_ref),
            rule("tcp", Some(443), Some(443), world4()),
        ];
        assert_eq!(single(&CHECK, &with(group("sg", ok))).0, Status::Passed);
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        account(&mut inv).regions[0].ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
