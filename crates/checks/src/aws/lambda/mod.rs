//! Lambda checks and what they share.

pub mod function_public_access;
pub mod supported_runtime;
pub mod deprecated_runtime;
pub mod vpc_multi_az;
pub mod function_url_public;
pub mod function_environment_secrets;
pub mod function_in_vpc;
pub mod environment_cmk;
pub mod dead_letter_queue;
pub mod cross_account_layers;
pub mod invoke_cloudtrail_logging;
pub mod function_url_cors;

use crate::{resource, Ctx, Emit};
use rampart_inventory::LambdaFunction;
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every function, and reports NOT_AVAILABLE once per region whose functions
/// could not be listed.
pub(crate) fn each_function(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&LambdaFunction, Resource, &mut Emit)) {
    super::each_regional(ctx, out, "lambda", ResourceType::AwsLambdaFunction, "function", |r| &r.lambda, |account, region, func, out| {
        let arn = if func.arn.is_empty() { account.arn("lambda", &region.name, &format!("function:{}", func.function_name)) } else { func.arn.clone() };
        f(func, resource(account, &region.name, ResourceType::AwsLambdaFunction, arn, &func.function_name), out);
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{Inventory, LambdaFunction, Observed};

    /// An inventory with one function `f`, edited by `edit`.
    pub fn with_function(edit: impl FnOnce(&mut LambdaFunction)) -> Inventory {
        let mut f = LambdaFunction {
            function_name: "f".into(),
            arn: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            runtime: Some("python3.13".into()),
            policy: Observed::Known(None),
            url_auth_type: Observed::Known(None),
            url_cors_allow_origins: Observed::Known(None),
            package_type: Some("Zip".into()),
            ..Default::default()
        };
        edit(&mut f);
        let mut inv = crate::testkit::inventory();
        crate::testkit::region(&mut inv).lambda = Observed::Known(vec![f]);
        inv
    }
}
