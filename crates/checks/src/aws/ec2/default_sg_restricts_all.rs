//! The default security group of every VPC allows no traffic at all.
//!
//! CIS AWS Foundations v3.0.0 5.4, Security Hub EC2.2: no inbound and no outbound rule in any
//! security group named `default`. One result per default group.
//!
//! AWS: "The rule is NON_COMPLIANT if the default security group has one or more inbound or
//! outbound traffic rules" (Config `vpc-default-security-group-closed`, behind EC2.2). One rule in
//! either direction fails the group, a self-reference included (`pass_fail_not_available`).

use super::sg::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_default_sg_restricts_all",
        title: "Default security groups allow traffic",
        description: "Resources launched without an explicit security group land in the VPC's default group; if it allows traffic they are reachable (and can reach out) without anyone having decided so.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[StandardRef::cis("5.4"), StandardRef::fsbp("EC2.2")],
        remediation: Remediation {
            console: "VPC console > Security groups > the group named default > Inbound rules and Outbound rules: delete every rule; give resources purpose-made groups instead.",
            cli: "aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions '<rules>' && aws ec2 revoke-security-group-egress --group-id <sg-id> --ip-permissions '<rules>'",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |_, sg, res, out| {
        if sg.group_name != "default" {
            return;
        }
        let (i, e) = (sg.ingress.len(), sg.egress.len());
        if i == 0 && e == 0 {
            out.pass(res, "the default security group has no rules");
        } else {
            out.fail(res, format!("the default security group has {i} inbound and {e} outbound rule(s)"));
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

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut open = group("sg-1", vec![rule("-1", None, None, SgPeer::Group { group_id: "sg-1".into(), user_id: None, vpc_peering_connection_id: None })]);
        open.group_name = "default".into();
        let mut egress_only = group("sg-2", vec![]);
        egress_only.group_name = "default".into();
        egress_only.egress = vec![rule("-1", None, None, world4())];
        let mut closed = group("sg-3", vec![]);
        closed.group_name = "default".into();
        let custom = group("sg-4", vec![rule("tcp", Some(22), Some(22), world4())]);
        ec2(&mut inv).security_groups = vec![open, egress_only, closed, custom];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Failed, Status::Passed]);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
