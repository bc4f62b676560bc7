//! AMIs of the account that every AWS account may launch.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's `ec2_ami_public`
//! (see `crate::prowler`). An image fails when DescribeImages reports it public or its launch
//! permissions include the group `all`; images shared with named accounts pass. One result per
//! image the account owns.

use super::each_ec2_item;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ami_public",
        title: "AMIs are public",
        description: "A public AMI lets every AWS account launch it and read its disks: the software, configuration and any credentials or data left on them.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Image,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > AMIs > the AMI > Actions > Edit AMI permissions: choose Private and add only the accounts that need it. Consider Block public access for AMIs (EC2 > Data protection and security).",
            cli: "aws ec2 modify-image-attribute --image-id <ami-id> --launch-permission \"Remove=[{Group=all}]\"",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2Image,
        "image",
        |e| &e.images,
        |account, region, _, image, out| {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2Image,
                account.arn("ec2", &region.name, &format!("image/{}", image.image_id)),
                &image.image_id,
            );
            let all = matches!(&image.launch_permissions, Observed::Known(p) if p.iter().any(|g| g == "all"));
            if image.public || all {
                out.fail(
                    res,
                    "the AMI is public: any AWS account can launch it and read its snapshots",
                );
            } else {
                match &image.launch_permissions {
                    Observed::Known(p) if p.is_empty() => out.pass(res, "the AMI is private"),
                    Observed::Known(p) => out.pass(
                        res,
                        format!("the AMI is shared with {} named account(s) only", p.len()),
                    ),
                    // DescribeImages said it is not public; the permission list adds nothing here.
                    Observed::Unknown(_) => {
                        out.pass(res, "DescribeImages reports the AMI as not public")
                    }
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Image;
    use rampart_model::Status;

    fn image(id: &str, public: bool, perms: Observed<Vec<String>>) -> Image {
        Image {
            image_id: id.into(),
            name: id.into(),
            public,
            state: "available".into(),
            creation_date: None,
            launch_permissions: perms,
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).images = Observed::Known(vec![
            image("ami-private", false, Observed::Known(vec![])),
            image(
                "ami-shared",
                false,
                Observed::Known(vec!["210987654321".into()]),
            ),
            image("ami-public", true, Observed::Known(vec!["all".into()])),
            // The flag alone, or the permission alone, is enough.
            image(
                "ami-flag",
                true,
                Observed::Unknown("ec2:DescribeImageAttribute access denied".into()),
            ),
            image("ami-group", false, Observed::Known(vec!["all".into()])),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![
                Status::Passed,
                Status::Passed,
                Status::Failed,
                Status::Failed,
                Status::Failed
            ]
        );
        assert!(r[1].reason.contains("1 named account"), "{}", r[1].reason);
        ec2(&mut inv).images = Observed::Unknown("ec2:DescribeImages access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
