//! EC2 instances with a public IPv4 address and an IAM instance profile.
//!
//! No Security Hub control or CIS recommendation combines the two (EC2.9 judges the public
//! address alone); it is Prowler's `ec2_instance_internet_facing_with_instance_profile` (see
//! `crate::prowler`): an instance that is not terminated fails when it has both. A compromise
//! of what it serves to the internet then hands the attacker the role's credentials through the
//! instance metadata service. One result per instance that is not terminated.

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_public_with_instance_profile",
        title: "EC2 instances with a public IP address have an IAM instance profile",
        description: "An internet-facing instance that holds a role's credentials turns a compromise of the service it exposes into access to the AWS resources the role may use.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > the instance: move it behind a load balancer in a private subnet (or remove its public address), or reduce the role of its instance profile (Actions > Security > Modify IAM role) to the least it needs; require IMDSv2.",
            cli: "aws ec2 describe-iam-instance-profile-associations --filters Name=instance-id,Values=<instance-id>; aws ec2 disassociate-iam-instance-profile --association-id <association-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, _, i, res, out| match (&i.public_ip_address, &i.iam_instance_profile_arn) {
        (Some(ip), Some(profile)) => out.fail(res, format!("public address {ip} and instance profile {profile}")),
        (Some(_), None) => out.pass(res, "public address, but no instance profile"),
        (None, _) => out.pass(res, "no public IPv4 address"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Observed};
    use rampart_model::Status;

    fn instance(id: &str, state: &str, ip: Option<&str>, profile: Option<&str>) -> Instance {
        Instance {
            instance_id: id.into(),
            state: state.into(),
            public_ip_address: ip.map(Into::into),
            iam_instance_profile_arn: profile.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let profile = Some("arn:aws:iam::123456789012:instance-profile/web");
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            instance("i-both", "running", Some("203.0.113.7"), profile),
            instance("i-public", "running", Some("203.0.113.8"), None),
            instance("i-private", "running", None, profile),
            instance("i-stopped", "stopped", Some("203.0.113.9"), profile),
            instance("i-gone", "terminated", Some("203.0.113.10"), profile),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed, Status::Passed, Status::Failed]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
