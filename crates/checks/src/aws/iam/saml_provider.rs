//! Accounts without a SAML identity provider.
//!
//! People who sign in through an identity provider federated with SAML 2.0 get temporary
//! credentials from STS (`AssumeRoleWithSAML`) instead of long-lived IAM user passwords and keys,
//! and leave when the directory says so. An account passes when it has at least one SAML
//! provider (`ListSAMLProviders`) and fails otherwise. Federation through IAM Identity Center
//! also creates a SAML provider in each account it manages (named `AWSSSO_...`), so such
//! accounts pass. One result per account.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_saml_provider",
        title: "No SAML identity provider: people sign in as IAM users",
        description: "Without identity federation, everyone who uses the account needs an IAM user with a long-lived password or access key, which outlives their job unless someone remembers to delete it.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "IAM Identity Center console > Enable (for an organization), or IAM console > Identity providers > Add provider > SAML with your identity provider's metadata document; then give people roles instead of IAM users.",
            cli: "aws iam create-saml-provider --name <name> --saml-metadata-document file://metadata.xml",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_saml.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        match &iam.saml_providers {
            Observed::Known(p) if p.is_empty() => out.fail(res, "the account has no SAML identity provider"),
            Observed::Known(p) => {
                let names: Vec<&str> = p.iter().map(|arn| arn.rsplit('/').next().unwrap_or(arn)).collect();
                out.pass(res, format!("SAML identity provider(s): {}", names.join(", ")))
            }
            Observed::Unknown(why) => out.not_available(res, format!("the SAML providers could not be listed: {why}")),
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
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        iam(&mut inv).saml_providers = Observed::Known(vec!["arn:aws:iam::123456789012:saml-provider/AWSSSO_0123_DO_NOT_DELETE".into()]);
        let (status, reason) = single(&CHECK, &inv);
        assert_eq!(status, Status::Passed);
        assert!(reason.contains("AWSSSO_0123_DO_NOT_DELETE"), "{reason}");
        iam(&mut inv).saml_providers = Observed::Unknown("iam:ListSAMLProviders access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
