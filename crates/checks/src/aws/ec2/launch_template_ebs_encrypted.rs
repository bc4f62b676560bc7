//! Launch templates that turn EBS encryption off for a volume.
//!
//! Security Hub EC2.181 (FSBP; AWS Config rule `ec2-launch-templates-ebs-volume-encrypted`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-181>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-launch-templates-ebs-volume-encrypted.html>.
//! A launch template fails when `Encrypted` is set to `false` for any EBS volume of its block
//! device mappings; a volume that does not set it (EBS encryption by default or the snapshot
//! decides) does not fail, as in AWS. The **default version** is evaluated. One result per
//! template.
//!
//! AWS: "The rule is NON_COMPLIANT if encryption is set to False for any EBS volume configured in
//! the launch template." (AWS Config `ec2-launch-templates-ebs-volume-encrypted`). One volume set
//! to `false` among encrypted ones fails (test `pass_fail_not_available`, `lt-plain`).

use super::each_launch_template;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_launch_template_ebs_encrypted",
        title: "EC2 launch templates do not encrypt attached EBS volumes",
        description: "Volumes created from a template that sets encryption off hold their data, and every snapshot of it, unencrypted at rest.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2LaunchTemplate,
        standards: &[StandardRef::fsbp("EC2.181")],
        remediation: Remediation {
            console: "EC2 console > Launch templates > the template: Actions > Modify template (Create new version), Storage: set Encrypted for every EBS volume; then set the new version as default.",
            cli: "aws ec2 create-launch-template-version --launch-template-id <lt-id> --source-version <n> --launch-template-data '{\"BlockDeviceMappings\":[{\"DeviceName\":\"/dev/xvda\",\"Ebs\":{\"Encrypted\":true}}]}'; aws ec2 modify-launch-template --launch-template-id <lt-id> --default-version <new>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_launch_template(ctx, out, |res, _, data, out| {
        let off: Vec<&str> = data
            .block_device_mappings
            .iter()
            .filter(|b| b.ebs && b.encrypted == Some(false))
            .map(|b| b.device_name.as_deref().unwrap_or("?"))
            .collect();
        if off.is_empty() {
            out.pass(res, "no EBS volume of the default version sets encryption off");
        } else {
            out.fail(res, format!("the default version sets encryption off for the EBS volume {}", off.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LaunchTemplate, LaunchTemplateBlockDevice, LaunchTemplateData, Observed};
    use rampart_model::Status;

    fn template(id: &str, disks: Vec<LaunchTemplateBlockDevice>) -> LaunchTemplate {
        LaunchTemplate {
            launch_template_id: id.into(),
            launch_template_name: id.into(),
            default_version: Observed::Known(LaunchTemplateData { block_device_mappings: disks, ..Default::default() }),
            ..Default::default()
        }
    }

    fn disk(name: &str, ebs: bool, encrypted: Option<bool>) -> LaunchTemplateBlockDevice {
        LaunchTemplateBlockDevice { device_name: Some(name.into()), ebs, encrypted }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut unread = template("lt-unread", vec![]);
        unread.default_version = Observed::not_collected();
        ec2(&mut inv).launch_templates = Observed::Known(vec![
            template("lt-none", vec![]),
            template("lt-encrypted", vec![disk("/dev/xvda", true, Some(true)), disk("/dev/sdb", false, None)]),
            template("lt-unset", vec![disk("/dev/xvda", true, None)]),
            template("lt-plain", vec![disk("/dev/xvda", true, Some(true)), disk("/dev/sdf", true, Some(false))]),
            unread,
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]
        );
        assert!(r[3].reason.contains("/dev/sdf"), "{}", r[3].reason);
        ec2(&mut inv).launch_templates = Observed::Unknown("ec2:DescribeLaunchTemplates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
