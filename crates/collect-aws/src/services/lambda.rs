//! Lambda: functions with their network placement, resource policy and function URL.
//! Environment variables are kept by name only: their values are secrets. The values are run
//! through the access-key detector of `rampart scan secrets` here, and only its redacted matches
//! are kept ([`environment_secrets`]).

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
                environment_secrets: environment_secrets(f.environment()),
                policy: observed(policy).map(|p| p.and_then(|p| non_empty(p.policy()))),
                url_cors_allow_origins: observed(url.clone())
                    .map(|u| u.map(|u| u.cors().map(|c| c.allow_origins().to_vec()).unwrap_or_default())),
                url_auth_type: observed(url).map(|u| u.map(|u| u.auth_type().as_str().to_string())),
                last_modified: non_empty(f.last_modified()),
                package_type: f.package_type().map(|p| p.as_str().to_string()),
                // `ListFunctions` returns each function's configuration whole: these are read.
                kms_key_arn: Observed::Known(non_empty(f.kms_key_arn())),
                dead_letter_target_arn: Observed::Known(non_empty(f.dead_letter_config().and_then(|d| d.target_arn()))),
                layer_arns: Observed::Known(f.layers().iter().filter_map(|l| non_empty(l.arn())).collect()),
                function_name,
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

/// The access keys in a function's environment variable values, redacted: `NAME: access key
/// <id> with secret <prefix>…`. Unknown when Lambda could not return the variables (it reports
/// an error instead, e.g. when it cannot decrypt them with their KMS key).
fn environment_secrets(env: Option<&aws_sdk_lambda::types::EnvironmentResponse>) -> Observed<Vec<String>> {
    if let Some(e) = env.and_then(|e| e.error()) {
        let code = e.error_code().unwrap_or("error");
        return Observed::Unknown(format!("Lambda returned no environment variables ({code})"));
    }
    let mut vars: Vec<(&String, &String)> = env.and_then(|e| e.variables()).map(|v| v.iter().collect()).unwrap_or_default();
    vars.sort();
    Observed::Known(redacted_matches(&vars))
}

/// The detector's matches in the variables, each as `NAME: <what>`. The variables are scanned
/// as one `NAME=value` text, a line each, so that a name such as `AWS_SECRET_ACCESS_KEY` labels
/// its value and a key id pairs with the secret in the next variable, as in a `.env` file.
pub(super) fn redacted_matches(vars: &[(&String, &String)]) -> Vec<String> {
    let mut text = String::new();
    // The first line of each variable, to name the variable a match is on.
    let mut first_lines: Vec<(u32, &str)> = Vec::with_capacity(vars.len());
    let mut line = 1u32;
    for (name, value) in vars {
        first_lines.push((line, name.as_str()));
        text.push_str(&format!("{name}={value}\n"));
        line += 1 + value.matches('\n').count() as u32;
    }
    rampart_secrets::detect(text.as_bytes(), &rampart_secrets::DetectOptions::default())
        .into_iter()
        .map(|m| {
            let name = first_lines.iter().rev().find(|(l, _)| *l <= m.line).map(|(_, n)| *n).unwrap_or("?");
            match (m.key_id, m.secret) {
                (Some(k), Some(s)) => format!("{name}: access key {k} with secret {s}"),
                (Some(k), None) => format!("{name}: access key id {k}"),
                (None, Some(s)) => format!("{name}: secret access key {s}"),
                (None, None) => format!("{name}: an access key"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_lambda::types::{EnvironmentError, EnvironmentResponse};

    #[test]
    fn environment_secrets_are_detected_and_redacted() {
        // Assembled at run time so that this source holds no key-shaped literal.
        let (id, secret) = (format!("AKIA{}", "Q3EGRN5UVWXYZ2AB"), format!("{}/{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "Ae4Ku9M"));
        let env = EnvironmentResponse::builder()
            .variables("TABLE", "orders")
            .variables("AWS_ACCESS_KEY_ID", id.clone())
            .variables("AWS_SECRET_ACCESS_KEY", secret.clone())
            .build();
        let got = environment_secrets(Some(&env));
        let Observed::Known(found) = got else { panic!("{got:?}") };
        assert_eq!(
            found,
            vec![format!("AWS_ACCESS_KEY_ID: access key {id} with secret k9Tz…")],
            "a key id pairs with the secret next to it"
        );
        let alone = EnvironmentResponse::builder().variables("DB", "postgres://x").variables("SECRET_KEY", secret.clone()).build();
        assert_eq!(
            environment_secrets(Some(&alone)),
            Observed::Known(vec!["SECRET_KEY: secret access key k9Tz…".to_string()]),
            "the name labels the value"
        );
        assert!(!format!("{found:?}").contains(&secret), "the secret is never kept whole");
        assert_eq!(environment_secrets(None), Observed::Known(vec![]), "no variables: read, none found");
        let failed =
            EnvironmentResponse::builder().error(EnvironmentError::builder().error_code("KMSAccessDeniedException").build()).build();
        assert!(matches!(environment_secrets(Some(&failed)), Observed::Unknown(why) if why.contains("KMSAccessDeniedException")));
    }
}
