//! AWS access keys in the environment variables of Lambda functions.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `awslambda_function_no_secrets_in_variables` (see `crate::prowler`), judged with the detector
//! of `rampart scan secrets`: AWS access key ids and secret access keys, not passwords or other
//! tokens. The collector runs the detector over the values and keeps only its redacted matches
//! (`LambdaFunction::environment_secrets`); values are never stored. Environment variables are
//! readable by anyone allowed `lambda:GetFunctionConfiguration` and by all code in the function,
//! and they are copied into every published version. One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_environment_secrets",
        title: "Lambda function environment variables contain AWS access keys",
        description: "Environment variables are configuration, visible to whoever may read the function's configuration and kept in every version; long-lived access keys there are handed to all of them. The function's execution role already gives it credentials.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > the key's user > Security credentials: deactivate and delete the access key. Then give the function's execution role the permissions it needs, and remove the variables (Lambda console > the function > Configuration > Environment variables); keep other secrets in Secrets Manager.",
            cli: "aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive; aws lambda update-function-configuration --function-name <function> --environment Variables={...without the keys...}",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match &f.environment_secrets {
        Observed::Known(found) if found.is_empty() => out.pass(res, "no AWS access key in the environment variables"),
        Observed::Known(found) => out.fail(res, format!("the environment variables hold {}", found.join("; "))),
        Observed::Unknown(why) => out.not_available(res, format!("the environment variables could not be scanned: {why}")),
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
        let clean = with_function(|f| f.environment_secrets = Observed::Known(vec![]));
        assert_eq!(single(&CHECK, &clean).0, Status::Passed);
        let leaked = with_function(|f| f.environment_secrets = Observed::Known(vec!["AWS_ACCESS_KEY_ID: access key id AKIA…".into()]));
        let (s, why) = single(&CHECK, &leaked);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("AWS_ACCESS_KEY_ID: access key id"), "{why}");
        // A snapshot from before the field existed: not scanned, never PASSED.
        assert_eq!(single(&CHECK, &with_function(|_| {})).0, Status::NotAvailable);
        let failed = with_function(|f| {
            f.environment_secrets = Observed::Unknown("Lambda returned no environment variables (KMSAccessDeniedException)".into())
        });
        assert_eq!(single(&CHECK, &failed).0, Status::NotAvailable);
        let mut inv = inventory();
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
