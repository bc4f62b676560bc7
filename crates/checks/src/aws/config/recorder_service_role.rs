//! AWS Config recorders that do not use AWS Config's service-linked role.
//!
//! Security Hub Config.1 (FSBP), as AWS words it: "If you don't use the service-linked role and
//! don't set the includeConfigServiceLinkedRoleCheck parameter to false, the control fails
//! because other roles might not have the necessary permissions for AWS Config to accurately
//! record your resources." `config_recorder_enabled` judges the rest of Config.1 (and CIS 3.3,
//! which does not ask for the role); this check is the role part, and Prowler's
//! `config_recorder_using_aws_service_role` (see `crate::prowler`): a recording recorder passes
//! when its `roleARN` is
//! `arn:<partition>:iam::<account>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`.
//! Recorders that are not recording are left to `config_recorder_enabled`. With several
//! recorders in a region, each recording one is judged, and any one with another role fails
//! Config.1 for the region. One result per recording recorder.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "config_recorder_service_role",
        title: "AWS Config recorders do not use the AWS Config service-linked role",
        description: "A custom role may lack the permissions AWS Config needs to read every resource type, so the configuration history silently misses resources; the service-linked role always has them.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "config",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::fsbp("Config.1")],
        remediation: Remediation {
            console: "AWS Config console (in the region) > Settings > Edit > AWS Config role: Use an existing AWS Config service-linked role.",
            cli: "aws configservice put-configuration-recorder --configuration-recorder name=<name>,roleARN=arn:aws:iam::<account>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig --recording-group <unchanged>",
            url: "https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let config = match &region.config {
            Observed::Known(c) => c,
            Observed::Unknown(why) => {
                let res = resource(
                    account,
                    &region.name,
                    ResourceType::AwsAccount,
                    account.arn("config", &region.name, "configuration-recorder/*"),
                    &format!("{} {}", account.id, region.name),
                );
                out.not_available(res, format!("AWS Config could not be read in {}: {why}", region.name));
                continue;
            }
        };
        let slr =
            format!("arn:{}:iam::{}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", account.partition, account.id);
        for r in config.recorders.iter().filter(|r| r.recording) {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsAccount,
                account.arn("config", &region.name, &format!("configuration-recorder/{}", r.name)),
                &format!("{} {} {}", account.id, region.name, r.name),
            );
            match &r.role_arn {
                Observed::Known(role) if *role == slr => out.pass(res, format!("recorder `{}` uses AWSServiceRoleForConfig", r.name)),
                Observed::Known(role) => out.fail(res, format!("recorder `{}` uses {role}", r.name)),
                Observed::Unknown(why) => out.not_available(res, format!("the role of recorder `{}` could not be read: {why}", r.name)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ConfigRecorder, ConfigService};
    use rampart_model::Status;

    const SLR: &str = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

    fn rec(name: &str, recording: bool, role: Observed<String>) -> ConfigRecorder {
        ConfigRecorder { name: name.into(), all_supported: true, include_global_resource_types: true, recording, role_arn: role }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).config = Observed::Known(ConfigService {
            recorders: vec![
                rec("slr", true, Observed::Known(SLR.into())),
                // One of two recording recorders with a custom role fails.
                rec("custom", true, Observed::Known("arn:aws:iam::123456789012:role/config-role".into())),
                rec("unread", true, Observed::Unknown("snapshot written before the role was collected".into())),
                rec("stopped", false, Observed::Known("arn:aws:iam::123456789012:role/config-role".into())),
            ],
        });
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert_eq!(r[1].reason, "recorder `custom` uses arn:aws:iam::123456789012:role/config-role");
        region(&mut inv).config = Observed::Unknown("config:DescribeConfigurationRecorders access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
