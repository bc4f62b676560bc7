//! AWS access keys in the user data of any version of an EC2 launch template.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `ec2_launch_template_no_secrets` (see `crate::prowler`). Every version of a template counts,
//! not only the default one: any version can be launched, and anyone allowed to call
//! `ec2:DescribeLaunchTemplateVersions` can read its user data. The collector runs the detector
//! of `rampart scan secrets` ([`rampart_secrets::detect`]: AWS access key ids and secret access
//! keys) over each version's user data and keeps only its redacted matches; a template fails
//! when any one version holds a key. One result per launch template.

use super::{each_ec2_item, launch_template_resource};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_launch_template_user_data_secrets",
        title: "EC2 launch template versions have AWS access keys in their user data",
        description: "Launch template user data is readable by anyone who may describe the template's versions and by every instance launched from it; access keys in it are long-lived credentials handed to all of them, in every version until the version is deleted.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2LaunchTemplate,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > the key's user > Security credentials: deactivate and delete the access key. EC2 console > Launch templates > the template: create a version without the key (give instances an IAM role instead), make it the default, then delete the versions named.",
            cli: "aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive; aws ec2 delete-launch-template-versions --launch-template-id <lt-id> --versions <n>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2LaunchTemplate,
        "launch-template",
        |e| &e.launch_templates,
        |account, region, _, lt, out| {
            let res = launch_template_resource(account, region, lt);
            match &lt.user_data_secrets {
                Observed::Known(found) if found.is_empty() => out.pass(res, "no AWS access key in the user data of any version"),
                Observed::Known(found) => out.fail(res, format!("the user data holds {}", found.join("; "))),
                Observed::Unknown(why) => out.not_available(res, format!("the versions' user data could not be scanned: {why}")),
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::LaunchTemplate;
    use rampart_model::Status;

    fn template(id: &str, secrets: Observed<Vec<String>>) -> LaunchTemplate {
        LaunchTemplate { launch_template_id: id.into(), launch_template_name: id.into(), user_data_secrets: secrets, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).launch_templates = Observed::Known(vec![
            template("lt-clean", Observed::Known(vec![])),
            // A key in an old version fails the template even when the default one is clean.
            template("lt-leaky", Observed::Known(vec!["version 1: access key AKIA…2AB with its secret k9Tz… (line 2)".into()])),
            template("lt-unread", Observed::Unknown("ec2:DescribeLaunchTemplateVersions access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert!(r[1].reason.contains("version 1: access key"), "{}", r[1].reason);
        ec2(&mut inv).launch_templates = Observed::Unknown("ec2:DescribeLaunchTemplates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
