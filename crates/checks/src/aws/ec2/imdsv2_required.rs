//! EC2 instances that still accept IMDSv1 (`HttpTokens` = `optional`).
//!
//! Security Hub EC2.8; CIS AWS Foundations v3.0.0 5.6. An instance whose metadata endpoint is
//! disabled passes. Terminated instances are skipped. One result per instance.
//!
//! AWS: "The rule is NON_COMPLIANT if the HttpTokens is set to optional." (AWS Config
//! `ec2-imdsv2-check`, the rule behind EC2.8,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-imdsv2-check.html>).
//! Deliberate divergence: an instance whose metadata endpoint is disabled passes here even with
//! `HttpTokens` `optional` (nothing answers IMDSv1 requests), where the Config rule's wording
//! fails it.

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_imdsv2_required",
        title: "EC2 instances do not require IMDSv2",
        description: "IMDSv1 answers plain GET requests, so a server-side request forgery in an application on the instance can read the instance role's credentials; IMDSv2's session tokens block that.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::fsbp("EC2.8"), StandardRef::cis("5.6")],
        remediation: Remediation {
            console: "EC2 console > Instances > the instance > Actions > Instance settings > Modify instance metadata options: set IMDSv2 to Required.",
            cli: "aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required --http-endpoint enabled",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Instance, "instance", out) else { continue };
        let instances = match &ec2.instances {
            Observed::Known(i) => i,
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsEc2Instance, account.arn("ec2", &region.name, "instance/*"), "all instances");
                out.not_available(res, format!("instances could not be listed: {why}"));
                continue;
            }
        };
        for i in instances.iter().filter(|i| i.state != "terminated") {
            let res = resource(account, &region.name, ResourceType::AwsEc2Instance, account.arn("ec2", &region.name, &format!("instance/{}", i.instance_id)), &i.instance_id);
            match (i.metadata_http_endpoint.as_deref(), i.metadata_http_tokens.as_deref()) {
                (Some("disabled"), _) => out.pass(res, "the instance metadata service is disabled"),
                (_, Some("required")) => out.pass(res, "IMDSv2 is required"),
                (_, Some(t)) => out.fail(res, format!("metadata HttpTokens is `{t}`: IMDSv1 is accepted")),
                (_, None) => out.not_available(res, "the instance's metadata options were not reported"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Instance;
    use rampart_model::Status;

    fn inst(id: &str, endpoint: Option<&str>, tokens: Option<&str>) -> Instance {
        Instance {
            instance_id: id.into(),
            state: "running".into(),
            metadata_http_endpoint: endpoint.map(Into::into),
            metadata_http_tokens: tokens.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut gone = inst("i-gone", Some("enabled"), Some("optional"));
        gone.state = "terminated".into();
        ec2(&mut inv).instances = Observed::Known(vec![
            inst("i-v2", Some("enabled"), Some("required")),
            inst("i-off", Some("disabled"), Some("optional")),
            inst("i-v1", Some("enabled"), Some("optional")),
            inst("i-unknown", None, None),
            gone,
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
