//! AWS Config recording all supported resources in every region.
//!
//! Security Hub Config.1, CIS AWS Foundations v3.0.0 3.3. A region passes when a
//! configuration recorder is recording and records all supported resource types.
//! Security Hub Config.1 also requires the recorder to use the service-linked role; CIS 3.3 does
//! not, so that part is a check of its own mapped to Config.1 only
//! (`config_recorder_service_role`): a recorder that records everything with a custom role
//! PASSES here and fails Config.1 through it. One result per (account, region).
//! Several recorders: one recording all supported resources suffices (test
//! `several_recorders`).
//!
//! AWS: "This control checks whether AWS Config is enabled in the account for the local Region and
//! is recording all resources" (Security Hub Config.1, 2023 wording; the service-linked-role
//! sentence is quoted in `recorder_service_role.rs`).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "config_recorder_enabled",
        title: "AWS Config is not recording all resources in the region",
        description: "AWS Config keeps the configuration history of resources: without it, what changed before an incident cannot be reconstructed and config-based controls cannot run.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "config",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::fsbp("Config.1"), StandardRef::cis("3.3")],
        remediation: Remediation {
            console: "AWS Config console (in each region) > Settings > Edit: record all resource types, choose the service-linked role, and start recording.",
            cli: "aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<slr-arn> --recording-group allSupported=true,includeGlobalResourceTypes=true && aws configservice start-configuration-recorder --configuration-recorder-name default",
            url: "https://docs.aws.amazon.com/config/latest/developerguide/gs-console.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(
            account,
            &region.name,
            ResourceType::AwsAccount,
            account.arn("config", &region.name, "configuration-recorder/*"),
            &format!("{} {}", account.id, region.name),
        );
        let config = match &region.config {
            Observed::Known(c) => c,
            Observed::Unknown(why) => {
                out.not_available(res, format!("AWS Config could not be read in {}: {why}", region.name));
                continue;
            }
        };
        if let Some(r) = config.recorders.iter().find(|r| r.recording && r.all_supported) {
            out.pass(res, format!("recorder `{}` records all supported resources", r.name));
        } else if let Some(r) = config.recorders.iter().find(|r| r.recording) {
            out.fail(res, format!("recorder `{}` records only selected resource types", r.name));
        } else if config.recorders.is_empty() {
            out.fail(res, format!("no configuration recorder in {}", region.name));
        } else {
            out.fail(res, format!("the configuration recorder in {} is not recording", region.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ConfigRecorder, ConfigService};
    use rampart_model::Status;

    fn with(recorders: Vec<ConfigRecorder>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        region(&mut inv).config = Observed::Known(ConfigService { recorders });
        inv
    }

    fn rec(recording: bool, all: bool) -> ConfigRecorder {
        ConfigRecorder { name: "default".into(), all_supported: all, include_global_resource_types: true, recording, role_arn: Observed::Known(String::new()) }
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(vec![rec(true, true)])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with(vec![])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(vec![rec(false, true)])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(vec![rec(true, false)])).0, Status::Failed);
        let mut inv = inventory();
        region(&mut inv).config = Observed::Unknown("config:DescribeConfigurationRecorders access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn several_recorders() {
        let named = |name: &str, recording, all| ConfigRecorder { name: name.into(), ..rec(recording, all) };
        let (s, why) = single(&CHECK, &with(vec![named("selected", true, false), named("full", true, true)]));
        assert_eq!(s, Status::Passed);
        assert!(why.contains("`full`"), "{why}");
        let (s, why) = single(&CHECK, &with(vec![named("stopped-full", false, true), named("selected", true, false)]));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("`selected` records only selected"), "{why}");
    }
}
