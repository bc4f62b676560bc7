//! CloudFront distributions do not use field-level encryption.
//!
//! Prowler's `cloudfront_distributions_field_level_encryption_enabled` (see `crate::prowler`): a distribution passes when its default cache behaviour has a field-level encryption configuration (`FieldLevelEncryptionId`); other cache behaviours are not judged, as in Prowler. One result per distribution.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_field_level_encryption",
        title: "CloudFront distributions do not use field-level encryption",
        description: "Field-level encryption encrypts chosen POST fields (card numbers, personal data) at the edge with a public key, so that only the application holding the private key can read them, not the services in between.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[],
        remediation: Remediation {
            console: "CloudFront console > Distributions > the distribution > Behaviors > the default behaviour > Edit > Field-level encryption: choose a configuration (create one under Field-level encryption first).",
            cli: "aws cloudfront update-distribution --id <id> --distribution-config file://config-with-fle.json --if-match <etag>",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/field-level-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| match &d.default_field_level_encryption_id {
        Observed::Known(Some(id)) => out.pass(res, format!("the default cache behaviour uses field-level encryption configuration {id}")),
        Observed::Known(None) => out.fail(res, "the default cache behaviour has no field-level encryption"),
        Observed::Unknown(why) => out.not_available(res, format!("the default cache behaviour could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::one_with;
    use super::*;
    use rampart_inventory::Distribution;
    use rampart_model::Status;

    fn one(edit: impl FnOnce(&mut Distribution)) -> Status {
        one_with(&CHECK, edit)
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(one(|d| d.default_field_level_encryption_id = Observed::Known(Some("C3KM2WVD605UCY".into()))), Status::Passed);
        assert_eq!(one(|d| d.default_field_level_encryption_id = Observed::Known(None)), Status::Failed);
        assert_eq!(one(|d| d.default_field_level_encryption_id = Observed::Unknown("not collected".into())), Status::NotAvailable);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
