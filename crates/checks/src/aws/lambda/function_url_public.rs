//! Lambda function URLs that anyone can call without signing the request.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `awslambda_function_url_public` (see `crate::prowler`). A function fails when its URL's auth
//! type is `NONE` (Lambda then lets any unsigned HTTPS request through, and only the function
//! policy decides); `AWS_IAM` and no URL at all pass. One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_url_public",
        title: "Lambda function URLs do not require IAM authentication",
        description: "A function URL with auth type NONE is an HTTPS endpoint on the internet that runs the function for anyone who finds it, unless the function checks callers itself.",
        severity: Severity::High,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > the function > Configuration > Function URL > Edit: choose Auth type AWS_IAM (or delete the URL and put the function behind API Gateway with an authorizer).",
            cli: "aws lambda update-function-url-config --function-name <function> --auth-type AWS_IAM",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match &f.url_auth_type {
        Observed::Known(None) => out.pass(res, "the function has no function URL"),
        Observed::Known(Some(t)) if t == "NONE" => out.fail(
            res,
            "the function URL's auth type is NONE: anyone can call it without signing the request",
        ),
        Observed::Known(Some(t)) => {
            out.pass(res, format!("the function URL requires {t} authentication"))
        }
        Observed::Unknown(why) => out.not_available(
            res,
            format!("the function URL configuration could not be read: {why}"),
        ),
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
        assert_eq!(single(&CHECK, &with_function(|_| {})).0, Status::Passed);
        let (s, why) = single(
            &CHECK,
            &with_function(|f| f.url_auth_type = Observed::Known(Some("NONE".into()))),
        );
        assert_eq!(s, Status::Failed, "{why}");
        assert_eq!(
            single(
                &CHECK,
                &with_function(|f| f.url_auth_type = Observed::Known(Some("AWS_IAM".into())))
            )
            .0,
            Status::Passed
        );
        let unknown = with_function(|f| {
            f.url_auth_type = Observed::Unknown("lambda:GetFunctionUrlConfig access denied".into())
        });
        assert_eq!(single(&CHECK, &unknown).0, Status::NotAvailable);
        let mut inv = inventory();
        region(&mut inv).lambda = Observed::Unknown("lambda:ListFunctions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
