//! Launch configurations that give their instances public IP addresses.
//!
//! Security Hub AutoScaling.5 (FSBP; AWS Config rule `autoscaling-launch-config-public-ip-disabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-5>.
//! As the Config rule, a launch configuration fails when it sets `AssociatePublicIpAddress` to
//! true, and passes when it sets it to false or leaves it unset (the subnet's setting decides,
//! which `ec2_subnet_auto_assign_public_ip` judges). One result per launch configuration.
//!
//! AWS: "This rule is NON_COMPLIANT if the Launch Configuration for an Auto Scaling group has
//! AssociatePublicIpAddress set to 'true'" (Config `autoscaling-launch-config-public-ip-disabled`,
//! behind AutoScaling.5).

use super::each_launch_configuration;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_launch_config_public_ip",
        title: "Auto Scaling launch configurations assign public IP addresses",
        description: "Instances launched with a public IP address are reachable from the internet wherever their security groups allow, instead of only behind a load balancer.",
        severity: Severity::High,
        category: Category::Security,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingLaunchConfiguration,
        standards: &[StandardRef::fsbp("AutoScaling.5")],
        remediation: Remediation {
            console: "EC2 console > Launch configurations > the configuration: Actions > Copy launch configuration, Advanced details > IP address type: Do not assign a public IP address to any instances; then point the group at the copy.",
            cli: "aws autoscaling create-launch-configuration --launch-configuration-name <new> --image-id <ami> --instance-type <type> --no-associate-public-ip-address; aws autoscaling update-auto-scaling-group --auto-scaling-group-name <group> --launch-configuration-name <new>",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/change-launch-config.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_launch_configuration(ctx, out, |lc, res, out| match lc.associate_public_ip_address {
        Some(true) => out.fail(res, "the launch configuration assigns a public IP address to its instances (AssociatePublicIpAddress true)"),
        Some(false) => out.pass(res, "the launch configuration assigns no public IP address (AssociatePublicIpAddress false)"),
        None => out.pass(res, "the launch configuration does not set AssociatePublicIpAddress (the subnet's setting applies)"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{launch_configuration, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LaunchConfiguration, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let public = LaunchConfiguration { associate_public_ip_address: Some(true), ..launch_configuration("public") };
        let unset = LaunchConfiguration { associate_public_ip_address: None, ..launch_configuration("unset") };
        set(&mut inv, vec![], vec![launch_configuration("private"), public, unset]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
