//! Network ACLs associated with no subnet.
//!
//! Security Hub EC2.16 (FSBP): a network ACL that no subnet uses fails. A VPC's default network
//! ACL cannot be deleted, so it is not evaluated. One result per non-default network ACL.
//!
//! AWS: "The rule is NON_COMPLIANT if a network ACL is not associated with a subnet" (Config
//! `vpc-network-acl-unused-check`, behind EC2.16). Disagreement kept: the rule names no exception
//! for a VPC's default network ACL, which AWS does not let anyone delete; Rampart leaves it out
//! rather than fail a resource whose only remedy ("remove") is impossible.

use super::each_ec2_item;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_nacl_unused",
        title: "Unused network ACLs are not removed",
        description: "Network ACLs that no subnet uses clutter the VPC and invite mistakes: one may be attached later with rules nobody has reviewed.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2NetworkAcl,
        standards: &[StandardRef::fsbp("EC2.16")],
        remediation: Remediation {
            console: "VPC console > Network ACLs > the network ACL (Associated with: 0 Subnets) > Actions > Delete network ACLs.",
            cli: "aws ec2 delete-network-acl --network-acl-id <acl-id>",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(ctx, out, ResourceType::AwsEc2NetworkAcl, "network-acl", |e| &e.network_acls, |account, region, _, acl, out| {
        if acl.is_default {
            return;
        }
        let res = super::nacl_resource(account, region, acl);
        if acl.subnet_ids.is_empty() {
            out.fail(res, "the network ACL is associated with no subnet");
        } else {
            out.pass(res, format!("the network ACL is associated with {}", acl.subnet_ids.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{NetworkAcl, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).network_acls = Observed::Known(vec![
            NetworkAcl { network_acl_id: "acl-used".into(), subnet_ids: vec!["subnet-1".into()], ..Default::default() },
            NetworkAcl { network_acl_id: "acl-unused".into(), ..Default::default() },
            NetworkAcl { network_acl_id: "acl-default".into(), is_default: true, ..Default::default() },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).network_acls = Observed::Unknown("ec2:DescribeNetworkAcls access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
