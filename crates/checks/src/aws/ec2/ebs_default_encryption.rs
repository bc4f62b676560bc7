//! EBS encryption by default, per region.
//!
//! CIS AWS Foundations v3.0.0 2.2.1, Security Hub EC2.7. One result per region.
//!
//! AWS: "The control fails if the account level encryption is not enabled" (Security Hub EC2.7);
//! the setting is regional, so each region is judged on its own.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ebs_default_encryption",
        title: "EBS encryption by default is off",
        description: "With encryption by default off, new volumes and snapshot copies are created unencrypted unless every caller remembers to ask for encryption.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("2.2.1"), StandardRef::fsbp("EC2.7")],
        remediation: Remediation {
            console: "EC2 console (in each region) > Dashboard > Account attributes > Data protection and security > Manage: select Enable under EBS encryption.",
            cli: "aws ec2 enable-ebs-encryption-by-default --region <region>",
            url: "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(account, &region.name, ResourceType::AwsAccount, account.arn("ec2", &region.name, "ebs-encryption-by-default"), &format!("{} {}", account.id, region.name));
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsAccount, "ebs-encryption-by-default", out) else { continue };
        match ec2.ebs_encryption_by_default {
            Observed::Known(true) => out.pass(res, format!("EBS encryption by default is on in {}", region.name)),
            Observed::Known(false) => out.fail(res, format!("EBS encryption by default is off in {}", region.name)),
            Observed::Unknown(ref why) => out.not_available(res, format!("EBS encryption by default could not be read: {why}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        ec2(&mut inv).ebs_encryption_by_default = Observed::Known(false);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        ec2(&mut inv).ebs_encryption_by_default = Observed::Unknown("ec2:GetEbsEncryptionByDefault access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
