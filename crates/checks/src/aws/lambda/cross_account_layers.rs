//! Lambda functions that use layers published by other accounts.
//!
//! Prowler's `awslambda_function_using_cross_account_layers` (see `crate::prowler`): a function
//! fails when one of its layers (layer version ARNs,
//! `arn:aws:lambda:<region>:<account>:layer:<name>:<version>`) belongs to another account than
//! the function's. A layer's code runs inside the function with its role; its publisher decides
//! what that code is. A function without layers passes. One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_cross_account_layers",
        title: "Lambda functions use layers from other accounts",
        description: "A layer's code runs inside the function, with its role and its data; a layer from another account is code whose content and updates someone else controls.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > the function > Code > Layers > Edit: replace each layer of another account with a copy published in this account after review.",
            cli: "aws lambda publish-layer-version --layer-name <name> --zip-file fileb://layer.zip; aws lambda update-function-configuration --function-name <name> --layers <own-layer-version-arn>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| {
        let layers = match &f.layer_arns {
            Observed::Known(l) => l,
            Observed::Unknown(why) => return out.not_available(res, format!("the function's layers could not be read: {why}")),
        };
        if layers.is_empty() {
            return out.pass(res, "the function uses no layers");
        }
        let other: Vec<&str> =
            layers.iter().map(String::as_str).filter(|arn| arn.split(':').nth(4) != Some(res.account.as_str())).collect();
        if other.is_empty() {
            out.pass(res, format!("its {} layers are the account's own", layers.len()))
        } else {
            out.fail(res, format!("layers of other accounts: {}", other.join(", ")))
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
        let own = "arn:aws:lambda:us-east-1:123456789012:layer:utils:3".to_string();
        let foreign = "arn:aws:lambda:us-east-1:999999999999:layer:agent:12".to_string();
        let inv = with_function(|f| f.layer_arns = Observed::Known(vec![own.clone()]));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        // One foreign layer among own ones fails the function.
        let inv = with_function(|f| f.layer_arns = Observed::Known(vec![own.clone(), foreign.clone()]));
        let (status, reason) = single(&CHECK, &inv);
        assert_eq!(
            (status, reason.as_str()),
            (Status::Failed, "layers of other accounts: arn:aws:lambda:us-east-1:999999999999:layer:agent:12")
        );
        let inv = with_function(|f| f.layer_arns = Observed::Known(vec![]));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        let inv = with_function(|f| f.layer_arns = Observed::Unknown("not collected".into()));
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
