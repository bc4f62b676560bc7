//! CloudFormation: stacks with their termination protection and outputs. Output values are run
//! through the secrets detector here, as Lambda environments are; only the output keys and the
//! redacted matches are kept.

use super::{known_or_return, lambda::redacted_matches, non_empty};
use crate::call::{client, Ctx};
use rampart_inventory::{CloudFormationStack, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<CloudFormationStack>> {
    let client = client!(ctx, aws_sdk_cloudformation);
    let stacks = known_or_return!(
        ctx.call("cloudformation:DescribeStacks", None, client.describe_stacks().into_paginator().items().send().try_collect()).await
    );
    Observed::Known(stacks.iter().map(stack).collect())
}

fn stack(s: &aws_sdk_cloudformation::types::Stack) -> CloudFormationStack {
    let mut outputs: Vec<(String, String)> = s
        .outputs()
        .iter()
        .map(|o| (o.output_key().unwrap_or_default().to_string(), o.output_value().unwrap_or_default().to_string()))
        .collect();
    outputs.sort();
    let refs: Vec<(&String, &String)> = outputs.iter().map(|(k, v)| (k, v)).collect();
    CloudFormationStack {
        name: s.stack_name().unwrap_or_default().to_string(),
        arn: s.stack_id().unwrap_or_default().to_string(),
        status: s.stack_status().map(|x| x.as_str().to_string()).unwrap_or_default(),
        termination_protection: s.enable_termination_protection().unwrap_or(false),
        root_id: non_empty(s.root_id()),
        output_secrets: redacted_matches(&refs),
        output_keys: outputs.into_iter().map(|(k, _)| k).collect(),
    }
}
