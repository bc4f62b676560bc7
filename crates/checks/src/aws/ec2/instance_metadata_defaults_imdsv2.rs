//! Regions whose instance metadata defaults do not require IMDSv2.
//!
//! The account-level defaults of a region (`GetInstanceMetadataDefaults`) are what a new
//! instance's metadata options are set to when neither its launch request nor its AMI sets them
//! (EC2 User Guide, "Order of precedence for instance metadata options"); `ModifyInstanceMetadataDefaults`:
//! "If an account-level setting is cleared with `no-preference`, then the instance launch
//! considers the other instance metadata settings". A region passes when `HttpTokens` is
//! `required` ("IMDSv2 is required, which means that IMDSv1 is disabled"), as Security Hub EC2.8
//! asks of each instance; `optional` or no default fails. One result per region; running
//! instances are judged by `ec2_imdsv2_required`.

use super::each_region_setting;
use crate::{Check, Ctx, Emit};
use rampart_inventory::InstanceMetadataDefaults;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_metadata_defaults_imdsv2",
        title: "New instances do not require IMDSv2 by default",
        description: "Without an account-level default of IMDSv2 only, an instance launched without explicit metadata options answers IMDSv1 requests, which a server-side request forgery in its software can use to steal its role's credentials.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console (in each region) > Dashboard > Account attributes > Data protection and security > IMDS defaults > Manage: set Metadata version to V2 only (token required).",
            cli: "aws ec2 modify-instance-metadata-defaults --http-tokens required --region <region>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let what = "the instance metadata defaults";
    each_region_setting(ctx, out, "instance-metadata-defaults", what, |e| &e.instance_metadata_defaults, judge)
}

fn judge(d: &InstanceMetadataDefaults, region: &str) -> Result<String, String> {
    match d.http_tokens.as_deref() {
        Some("required") => Ok(format!("new instances in {region} require IMDSv2 (HttpTokens `required`)")),
        Some(other) => Err(format!("the instance metadata default in {region} is HttpTokens `{other}`: new instances accept IMDSv1")),
        None => Err(format!(
            "no instance metadata default is set in {region}: new instances accept IMDSv1 unless their launch request or AMI requires IMDSv2"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Observed;
    use rampart_model::Status;

    #[test]
    fn only_required_passes() {
        let mut inv = inventory();
        for (tokens, want) in [(Some("required"), Status::Passed), (Some("optional"), Status::Failed), (None, Status::Failed)] {
            ec2(&mut inv).instance_metadata_defaults = Observed::Known(InstanceMetadataDefaults {
                http_tokens: tokens.map(str::to_string),
                http_endpoint: Some("enabled".into()),
            });
            assert_eq!(single(&CHECK, &inv).0, want, "{tokens:?}");
        }
        ec2(&mut inv).instance_metadata_defaults = Observed::Unknown("ec2:GetInstanceMetadataDefaults not supported".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
