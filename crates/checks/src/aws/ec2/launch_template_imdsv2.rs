//! Launch templates that do not require IMDSv2.
//!
//! Security Hub EC2.170 (FSBP; AWS Config rule `ec2-launch-template-imdsv2-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-170>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-launch-template-imdsv2-check.html>.
//! As the Config rule, the **default version** of a launch template passes only when its metadata
//! options set `HttpTokens` to `required`; `optional` or not specified (the AMI or account default
//! decides, which may allow IMDSv1) fails. One result per template.
//!
//! AWS: "Checks if the currently set default version of an Amazon EC2 Launch Template requires new
//! launched instances to use V2 ... The rule is NON_COMPLIANT if 'Metadata version' is not
//! specified as V2 (IMDSv2)" (Config `ec2-launch-template-imdsv2-check`): an unset `HttpTokens`
//! fails as `optional` does (`pass_fail_not_available`); other versions are not judged.

use super::each_launch_template;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_launch_template_imdsv2",
        title: "EC2 launch templates do not require IMDSv2",
        description: "Instances launched from a template that does not require IMDSv2 answer IMDSv1's plain GET requests, so a server-side request forgery can read the instance role's credentials.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2LaunchTemplate,
        standards: &[StandardRef::fsbp("EC2.170")],
        remediation: Remediation {
            console: "EC2 console > Launch templates > the template: Actions > Modify template (Create new version), Advanced details: Metadata version = V2 only (token required); then set the new version as default.",
            cli: "aws ec2 create-launch-template-version --launch-template-id <lt-id> --source-version <n> --launch-template-data '{\"MetadataOptions\":{\"HttpTokens\":\"required\"}}'; aws ec2 modify-launch-template --launch-template-id <lt-id> --default-version <new>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_launch_template(ctx, out, |res, _, data, out| match data.metadata_http_tokens.as_deref() {
        Some("required") => out.pass(res, "the default version requires IMDSv2 (HttpTokens `required`)"),
        Some(t) => out.fail(res, format!("the default version sets HttpTokens to `{t}`: IMDSv1 is accepted")),
        None => out.fail(res, "the default version does not specify HttpTokens: IMDSv2 is not required"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LaunchTemplate, LaunchTemplateData, Observed};
    use rampart_model::Status;

    fn template(id: &str, tokens: Option<&str>) -> LaunchTemplate {
        LaunchTemplate {
            launch_template_id: id.into(),
            launch_template_name: id.into(),
            default_version: Observed::Known(LaunchTemplateData { metadata_http_tokens: tokens.map(Into::into), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut unread = template("lt-unread", None);
        unread.default_version = Observed::not_collected();
        ec2(&mut inv).launch_templates =
            Observed::Known(vec![template("lt-v2", Some("required")), template("lt-v1", Some("optional")), template("lt-unset", None), unread]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        ec2(&mut inv).launch_templates = Observed::Unknown("ec2:DescribeLaunchTemplates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
