//! KMS keys whose key policy lets anyone use or manage them.
//!
//! Security Hub KMS.5:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-5>.
//! "Public" is S3's definition applied to the key policy (see
//! [`rampart_policy::public_statements`]): a principal of `*` counts unless a condition pins it
//! to fixed requesters; for key policies `kms:CallerAccount` with fixed accounts pins too (the
//! pattern of AWS managed keys' policies). Customer managed keys only; AWS managed keys carry
//! AWS's own policies. One result per customer managed key.
//!
//! AWS: "The rule is NON_COMPLIANT if the KMS key policy allows public access to the KMS key ... To
//! be considered non-public, a KMS key policy must grant access only to fixed values. This means
//! values that don't contain a wildcard or the following IAM policy element: Variables" (Config
//! `kms-key-policy-no-public-access`, behind KMS.5). One public statement among private ones
//! fails the key; a `kms:CallerAccount` pin with a wildcard value does not count
//! (`one_public_statement_among_several`).

use super::each_customer_key;
use crate::aws::judge_public_policy;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_key_public",
        title: "KMS keys are publicly accessible",
        description: "A key policy that grants to everyone lets any AWS principal decrypt data protected by the key, or change and schedule the deletion of the key, depending on the actions granted.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsKmsKey,
        standards: &[StandardRef::fsbp("KMS.5")],
        remediation: Remediation {
            console: "KMS console > Customer managed keys > the key > Key policy > Edit: replace the \"*\" principal with the accounts and roles that need the key, or add a condition such as aws:PrincipalOrgID.",
            cli: "aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://key-policy.json",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_key(ctx, out, |key, res, out| {
        let policy = match &key.policy {
            Observed::Known(p) => Observed::Known(Some(p.clone())),
            Observed::Unknown(why) => Observed::Unknown(why.clone()),
        };
        judge_public_policy(res, &policy, &["kms:CallerAccount"], out);
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::key;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::KmsKey;
    use rampart_model::Status;

    const OWN_ACCOUNT: &str = r#"{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}"#;
    const PUBLIC: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}]}"#;
    const CALLER_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut aws_managed = KmsKey { policy: Observed::Known(PUBLIC.into()), ..key("aws") };
        aws_managed.key_manager = "AWS".into();
        region(&mut inv).kms = Observed::Known(vec![
            KmsKey { policy: Observed::Known(OWN_ACCOUNT.into()), ..key("private") },
            KmsKey { policy: Observed::Known(PUBLIC.into()), ..key("public") },
            KmsKey { policy: Observed::Known(CALLER_ACCOUNT.into()), ..key("via-account") },
            KmsKey { policy: Observed::Unknown("kms:GetKeyPolicy access denied".into()), ..key("unknown") },
            aws_managed,
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]);
        region(&mut inv).kms = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn one_public_statement_among_several() {
        let mixed = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"own","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
            {"Sid":"pinned","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"123456789012"}}},
            {"Sid":"anyone","Effect":"Allow","Principal":"*","Action":"kms:DescribeKey","Resource":"*"}]}"#;
        let wildcard_pin = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:CallerAccount":"*"}}}]}"#;
        let mut inv = inventory();
        region(&mut inv).kms = Observed::Known(vec![
            KmsKey { policy: Observed::Known(mixed.into()), ..key("mixed") },
            KmsKey { policy: Observed::Known(wildcard_pin.into()), ..key("wildcard-pin") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Failed]);
    }
}
