//! Launch configurations that do not require IMDSv2.
//!
//! Security Hub AutoScaling.3 (FSBP; AWS Config rule `autoscaling-launchconfig-requires-imdsv2`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-3>.
//! As the control, a launch configuration passes only when its metadata options set
//! `HttpTokens` to `required`; `optional` (IMDSv1 and IMDSv2) or not specified fails. One
//! result per launch configuration, whether a group uses it or not.
//!
//! AWS: "The control fails if the Instance Metadata Service (IMDS) version is not included in the
//! launch configuration or if both IMDSv1 and IMDSv2 are enabled" (Security Hub AutoScaling.3):
//! unset fails as `optional` does (`pass_fail_not_available`).

use super::each_launch_configuration;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_launch_config_imdsv2",
        title: "Auto Scaling launch configurations do not require IMDSv2",
        description: "Instances launched from a configuration that does not require IMDSv2 answer IMDSv1's plain GET requests, so a server-side request forgery can read the instance role's credentials.",
        severity: Severity::High,
        category: Category::Security,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingLaunchConfiguration,
        standards: &[StandardRef::fsbp("AutoScaling.3")],
        remediation: Remediation {
            console: "EC2 console > Launch configurations > the configuration: Actions > Copy launch configuration, Advanced details: Metadata version = V2 only (token required); then point the group at the copy (launch configurations cannot be edited).",
            cli: "aws autoscaling create-launch-configuration --launch-configuration-name <new> --image-id <ami> --instance-type <type> --metadata-options HttpTokens=required,HttpEndpoint=enabled; aws autoscaling update-auto-scaling-group --auto-scaling-group-name <group> --launch-configuration-name <new>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_launch_configuration(ctx, out, |lc, res, out| match lc.metadata_http_tokens.as_deref() {
        Some("required") => out.pass(res, "the launch configuration requires IMDSv2 (HttpTokens `required`)"),
        Some(t) => out.fail(res, format!("the launch configuration sets HttpTokens to `{t}`: IMDSv1 is accepted")),
        None => out.fail(res, "the launch configuration does not specify HttpTokens: IMDSv2 is not required"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{launch_configuration, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScaling, LaunchConfiguration, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let optional = LaunchConfiguration { metadata_http_tokens: Some("optional".into()), ..launch_configuration("v1") };
        let unset = LaunchConfiguration { metadata_http_tokens: None, ..launch_configuration("unset") };
        set(&mut inv, vec![], vec![launch_configuration("v2"), optional, unset]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        // The groups were listed but the launch configurations were not.
        region(&mut inv).autoscaling =
            Observed::Known(AutoScaling { groups: vec![], launch_configurations: Observed::Unknown("autoscaling:DescribeLaunchConfigurations access denied".into()) });
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).autoscaling = Observed::not_collected();
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
