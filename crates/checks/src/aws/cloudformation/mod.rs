//! CloudFormation checks on stacks.

pub mod output_secrets;
pub mod termination_protection;

use crate::aws::each_regional;
use crate::{resource, Ctx, Emit};
use rampart_inventory::CloudFormationStack;
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every stack with its resource, NOT_AVAILABLE once per region whose stacks
/// could not be listed.
pub(crate) fn each_stack(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&CloudFormationStack, Resource, &mut Emit)) {
    each_regional(
        ctx,
        out,
        "cloudformation",
        ResourceType::AwsCloudFormationStack,
        "stack",
        |r| &r.cloudformation_stacks,
        |account, region, s, out| {
            let res = resource(account, &region.name, ResourceType::AwsCloudFormationStack, s.arn.clone(), &s.name);
            f(s, res, out)
        },
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::CloudFormationStack;

    pub fn stack(name: &str) -> CloudFormationStack {
        CloudFormationStack {
            name: name.into(),
            arn: format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/0b5b7a10-0000-4000-8000-000000000000"),
            status: "CREATE_COMPLETE".into(),
            ..CloudFormationStack::default()
        }
    }
}
