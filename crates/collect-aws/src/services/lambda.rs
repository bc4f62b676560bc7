//! Lambda: functions with their network placement, resource policy and function URL.
//! Environment variables are kept by name only: their values are secrets.

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{LambdaFunction, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<LambdaFunction>> {
    let client = client!(ctx, aws_sdk_lambda);
    let functions = known_or_return!(
        ctx.call("lambda:ListFunctions", None, client.list_functions().into_paginator().items().send().try_collect()).await
    );

    let out = join_all(functions.iter().map(|f| {
        let client = &client;
        async move {
            let function_name = f.function_name().unwrap_or_default().to_string();
            let arn = f.function_arn().unwrap_or_default().to_string();
            let (policy, url) = futures::join!(
                ctx.call_opt("lambda:GetPolicy", Some(&arn), &["ResourceNotFoundException"], client.get_policy().function_name(&function_name).send()),
                ctx.call_opt("lambda:GetFunctionUrlConfig", Some(&arn), &["ResourceNotFoundException"], client.get_function_url_config().function_name(&function_name).send()),
            );
            let vpc = f.vpc_config();
            let mut environment_variable_names: Vec<String> =
                f.environment().and_then(|e| e.variables()).map(|v| v.keys().cloned().collect()).unwrap_or_default();
            environment_variable_names.sort();
            LambdaFunction {
                runtime: f.runtime().map(|r| r.as_str().to_string()),
                role: f.role().unwrap_or_default().to_string(),
                vpc_id: non_empty(vpc.and_then(|v| v.vpc_id())),
                subnet_ids: vpc.map(|v| v.subnet_ids().to_vec()).unwrap_or_default(),
                security_group_ids: vpc.map(|v| v.security_group_ids().to_vec()).unwrap_or_default(),
                environment_variable_names,
                policy: observed(policy).map(|p| p.and_then(|p| non_empty(p.policy()))),
                url_auth_type: observed(url).map(|u| u.map(|u| u.auth_type().as_str().to_string())),
                last_modified: non_empty(f.last_modified()),
                package_type: f.package_type().map(|p| p.as_str().to_string()),
                function_name,
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}
