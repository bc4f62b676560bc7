//! Lambda function URLs whose CORS configuration allows every origin.
//!
//! A function URL's CORS `AllowOrigins` lists the origins whose web pages a browser lets call
//! the URL and read the answer; `*` allows any web site. A function fails when its URL allows
//! `*`, and passes when its URL names specific origins or has no CORS configuration (browsers
//! then refuse cross-origin reads). Functions without a URL are not judged. One result per
//! function with a URL; whether anyone may call it at all is `lambda_function_url_public`.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_url_cors_any_origin",
        title: "Lambda function URLs allow cross-origin requests from any web site",
        description: "With `*` among a function URL's allowed origins, a script on any web site a user visits can call the function from the user's browser and read the answer, which exposes whatever the function returns to that user or their network.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > Functions > the function > Configuration > Function URL > Edit > Configure cross-origin resource sharing (CORS): replace `*` in Allow origin with the origins that need it.",
            cli: "aws lambda update-function-url-config --function-name <name> --cors 'AllowOrigins=https://app.example.com'",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match &f.url_cors_allow_origins {
        Observed::Known(None) => {}
        Observed::Known(Some(origins)) if origins.iter().any(|o| o.trim() == "*") => {
            out.fail(res, "the function URL's CORS configuration allows any origin (`*`)")
        }
        Observed::Known(Some(origins)) if origins.is_empty() => out.pass(res, "the function URL allows no cross-origin requests"),
        Observed::Known(Some(origins)) => {
            out.pass(res, format!("the function URL allows cross-origin requests from {}", origins.join(", ")))
        }
        Observed::Unknown(why) => out.not_available(res, format!("the function URL configuration could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_function;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn any_origin_among_several_fails() {
        let cases: [(Observed<Option<Vec<String>>>, Option<Status>); 5] = [
            (Observed::Known(Some(vec!["https://app.example.com".into(), "*".into()])), Some(Status::Failed)),
            (Observed::Known(Some(vec!["https://app.example.com".into()])), Some(Status::Passed)),
            (Observed::Known(Some(vec![])), Some(Status::Passed)),
            (Observed::Known(None), None),
            (Observed::Unknown("lambda:GetFunctionUrlConfig access denied".into()), Some(Status::NotAvailable)),
        ];
        for (cors, want) in cases {
            let inv = with_function(|f| f.url_cors_allow_origins = cors.clone());
            assert_eq!(statuses(&CHECK, &inv).first().copied(), want, "{cors:?}");
        }
    }
}
