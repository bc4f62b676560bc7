//! Regions whose block public access for AMIs is off.
//!
//! `GetImageBlockPublicAccessState`: "`block-new-sharing` - Any attempt to publicly share your
//! AMIs in the specified Region is blocked. `unblocked` - Your AMIs in the specified Region can
//! be publicly shared" (EC2 API Reference). The first passes, the second fails. Unlike the
//! snapshot setting it does not hide AMIs that were already public; those are judged one by one
//! by `ec2_ami_public`. One result per region.

use super::each_region_setting;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_ami_block_public_access",
        title: "Block public access for AMIs is off",
        description: "Block public access for AMIs is a regional switch that refuses every request to make an AMI of the account public, so an image holding data or credentials cannot be published by mistake.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console (in each region) > Dashboard > Account attributes > Data protection and security > Block public access for AMIs > Manage: select Block new public sharing.",
            cli: "aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing --region <region>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_region_setting(
        ctx,
        out,
        "image-block-public-access",
        "block public access for AMIs",
        |e| &e.image_block_public_access,
        |s, r| judge(s, r),
    )
}

fn judge(state: &str, region: &str) -> Result<String, String> {
    if state == "block-new-sharing" {
        Ok(format!("block public access for AMIs is `{state}` in {region}"))
    } else {
        Err(format!("block public access for AMIs is `{state}` in {region}: AMIs can be made public"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        for (state, want) in [("block-new-sharing", Status::Passed), ("unblocked", Status::Failed)] {
            ec2(&mut inv).image_block_public_access = Observed::Known(state.into());
            assert_eq!(single(&CHECK, &inv).0, want, "{state}");
        }
        ec2(&mut inv).image_block_public_access = Observed::Unknown("ec2:GetImageBlockPublicAccessState not supported".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
