//! Lambda functions whose environment variables are not encrypted with a customer managed key.
//!
//! Prowler's `awslambda_function_env_vars_not_encrypted_with_cmk` (see `crate::prowler`): a
//! function with environment variables passes when it names a KMS key (`KMSKeyArn`); without
//! one Lambda uses its AWS managed key, whose policy the account cannot restrict. A function
//! without environment variables passes. One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_environment_cmk",
        title: "Lambda function environment variables are not encrypted with a customer managed KMS key",
        description: "With Lambda's AWS managed key, anyone allowed to read the function's configuration sees the variables decrypted; a customer managed key lets its key policy decide who can decrypt them and logs each use.",
        severity: Severity::Low,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > the function > Configuration > Environment variables > Edit > Encryption configuration: Use a customer master key, and choose the key.",
            cli: "aws lambda update-function-configuration --function-name <name> --kms-key-arn <key-arn>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| {
        if f.environment_variable_names.is_empty() {
            return out.pass(res, "the function has no environment variables");
        }
        match &f.kms_key_arn {
            Observed::Known(Some(key)) => out.pass(res, format!("the environment variables are encrypted with {key}")),
            Observed::Known(None) => out.fail(
                res,
                format!("{} environment variables are encrypted with Lambda's AWS managed key", f.environment_variable_names.len()),
            ),
            Observed::Unknown(why) => out.not_available(res, format!("the function's KMS key could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let vars = |f: &mut rampart_inventory::LambdaFunction| f.environment_variable_names = vec!["DB_HOST".into()];
        let inv = with_function(|f| {
            vars(f);
            f.kms_key_arn = Observed::Known(Some("arn:aws:kms:us-east-1:123456789012:key/1".into()));
        });
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        let inv = with_function(|f| {
            vars(f);
            f.kms_key_arn = Observed::Known(None);
        });
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        let inv = with_function(|f| f.kms_key_arn = Observed::Known(None));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed, "no variables");
        let inv = with_function(|f| {
            vars(f);
            f.kms_key_arn = Observed::Unknown("snapshot written before the key was collected".into());
        });
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        let mut inv = with_function(|_| {});
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
