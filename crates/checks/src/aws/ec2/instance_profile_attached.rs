//! EC2 instances without an instance profile.
//!
//! An instance gets AWS credentials from its instance profile's role, delivered and rotated by
//! EC2 through the instance metadata service; an instance without one needs credentials put
//! on it some other way (long-lived access keys in files or user data) to call AWS, and cannot
//! be managed by Systems Manager without them. One result per instance that is not terminated:
//! it passes when an instance profile is associated.
//!
//! CIS AWS Foundations v3.0.0 1.18, "Ensure IAM instance roles are used for AWS resource access
//! from instances" (a Manual recommendation there, so the control stays MANUAL in the compliance
//! report: this check shows the instances an auditor would look at). AWS Security Hub has no
//! control for it.

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_profile_attached",
        title: "EC2 instances have no instance profile (IAM role)",
        description: "Software on an instance without an instance profile can only call AWS with credentials stored on it, which do not rotate and leak with the disk, an image or a backup; an instance profile's role gives short-lived credentials instead.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::cis("1.18")],
        remediation: Remediation {
            console: "EC2 console > Instances > the instance > Actions > Security > Modify IAM role: choose a role with only the permissions the instance needs, and remove stored access keys from it.",
            cli: "aws ec2 associate-iam-instance-profile --instance-id <instance-id> --iam-instance-profile Name=<profile>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, _, i, res, out| match &i.iam_instance_profile_arn {
        Some(profile) => out.pass(res, format!("instance profile {profile}")),
        None => out.fail(res, "no instance profile is associated"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Observed};
    use rampart_model::Status;

    fn instance(id: &str, state: &str, profile: Option<&str>) -> Instance {
        Instance { instance_id: id.into(), state: state.into(), iam_instance_profile_arn: profile.map(Into::into), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            instance("i-role", "running", Some("arn:aws:iam::123456789012:instance-profile/web")),
            instance("i-bare", "stopped", None),
            instance("i-gone", "terminated", None),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
