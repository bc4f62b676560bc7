//! Security groups made by the EC2 console's launch wizard.
//!
//! The console's launch instance wizard creates a group named `launch-wizard-<n>` when the
//! user does not choose one, by default allowing SSH (or RDP) from anywhere. Such groups are
//! made in passing for one instance, so their rules were chosen by a default rather than by a
//! design; a group whose name contains `launch-wizard` fails, every other group passes. One
//! result per security group. The rules themselves are judged by `ec2_security_group_*`.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_security_group_launch_wizard",
        title: "Security groups created by the EC2 launch wizard are in use",
        description: "The launch wizard's groups are made in passing with a default rule (SSH or RDP from anywhere); they are rarely reviewed and are often reused for instances they were never meant for.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2SecurityGroup,
        standards: &[],
        remediation: Remediation {
            console: "VPC console > Security groups: create a group with only the rules the workload needs, attach it to the instances that use the launch-wizard group (EC2 console > the instance > Actions > Security > Change security groups), then delete the launch-wizard group.",
            cli: "aws ec2 modify-instance-attribute --instance-id <instance-id> --groups <sg-id>; aws ec2 delete-security-group --group-id <launch-wizard-sg-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/creating-security-group.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let ec2 = match &region.ec2 {
            Observed::Known(ec2) => ec2,
            Observed::Unknown(why) => {
                let all = resource(
                    account,
                    &region.name,
                    ResourceType::AwsEc2SecurityGroup,
                    account.arn("ec2", &region.name, "security-group/*"),
                    "all security groups",
                );
                out.not_available(all, format!("EC2 could not be read in {}: {why}", region.name));
                continue;
            }
        };
        for sg in &ec2.security_groups {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2SecurityGroup,
                account.arn("ec2", &region.name, &format!("security-group/{}", sg.group_id)),
                &sg.group_name,
            );
            if sg.group_name.contains("launch-wizard") {
                out.fail(res, format!("`{}` was created by the EC2 launch wizard", sg.group_name));
            } else {
                out.pass(res, "not a launch-wizard group");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::SecurityGroup;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let sg = |id: &str, name: &str| SecurityGroup { group_id: id.into(), group_name: name.into(), ..Default::default() };
        ec2(&mut inv).security_groups = vec![sg("sg-1", "web"), sg("sg-2", "launch-wizard-3")];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).ec2 = Observed::Unknown("ec2:DescribeSecurityGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
