//! Secrets whose resource policy lets anyone read or manage them.
//!
//! No Security Hub control covers it; Prowler's `secretsmanager_not_publicly_accessible` does.
//! "Public" is S3's definition applied to the secret's resource policy (see
//! [`rampart_policy::public_statements`]): a principal of `*` counts unless a condition pins it
//! to fixed requesters. A secret without a resource policy passes: only the account's own
//! identity policies can then grant access. One result per secret.

use super::each_secret;
use crate::aws::judge_public_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "secretsmanager_secret_public",
        title: "Secrets Manager secret policies allow public access",
        description: "A resource policy that grants to everyone lets any AWS account read the secret's value or change it, whatever the account's own IAM policies say.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "secretsmanager",
        resource_type: ResourceType::AwsSecretsManagerSecret,
        standards: &[],
        remediation: Remediation {
            console: "Secrets Manager console > Secrets > the secret > Resource permissions > Edit: replace the \"*\" principal with the accounts or roles that need access, or add a condition such as aws:PrincipalOrgID.",
            cli: "aws secretsmanager put-resource-policy --secret-id <arn> --resource-policy file://policy.json --block-public-policy",
            url: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_secret(ctx, out, |_, _, s, res, out| judge_public_policy(res, &s.policy, &[], out));
}

#[cfg(test)]
mod tests {
    use super::super::tests::secret;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Secret};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let policy = |principal: &str, condition: &str| {
            Observed::Known(Some(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"secretsmanager:GetSecretValue","Resource":"*"{condition}}}]}}"#
            )))
        };
        let mut inv = inventory();
        region(&mut inv).secrets = Observed::Known(vec![
            secret("no-policy"),
            Secret { policy: policy(r#"{"AWS":"arn:aws:iam::123456789012:root"}"#, ""), ..secret("own-account") },
            Secret { policy: policy(r#""*""#, ""), ..secret("anyone") },
            Secret { policy: policy(r#"{"AWS":"*"}"#, r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}"#), ..secret("org") },
            Secret { policy: Observed::Unknown("secretsmanager:GetResourcePolicy access denied".into()), ..secret("unread") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]);
        region(&mut inv).secrets = Observed::Unknown("secretsmanager:ListSecrets access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
