//! Secrets in CloudFormation stack outputs.
//!
//! Stack outputs are shown to anyone who can describe the stack (and exported values to every
//! stack of the region); a credential there is a credential published. The output values are
//! run through the `rampart scan secrets` detector at collection, and only its redacted
//! matches are in the inventory; it finds AWS access keys. No Security Hub control covers it;
//! Prowler's `cloudformation_stack_outputs_find_secrets` does. One result per stack.

use super::each_stack;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudformation_stack_output_secrets",
        title: "CloudFormation stack outputs contain AWS access keys",
        description: "Anyone allowed to describe the stack reads its outputs, and an exported output is readable by every stack of the region: an access key there has leaked.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "cloudformation",
        resource_type: ResourceType::AwsCloudFormationStack,
        standards: &[],
        remediation: Remediation {
            console: "Deactivate and rotate the key (IAM console > Users > Security credentials), then update the stack's template so the output no longer carries it (store the secret in Secrets Manager and output its ARN).",
            cli: "aws iam update-access-key --access-key-id <id> --status Inactive --user-name <user>; aws cloudformation update-stack --stack-name <name> --template-body file://template.yaml",
            url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_stack(ctx, out, |s, res, out| {
        if s.output_secrets.is_empty() {
            out.pass(res, format!("no access key in {} output(s)", s.output_keys.len()));
        } else {
            out.fail(res, format!("outputs carry secrets: {}", s.output_secrets.join("; ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::stack;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{CloudFormationStack, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).cloudformation_stacks = Observed::Known(vec![
            CloudFormationStack { output_keys: vec!["BucketName".into(), "Url".into()], ..stack("clean") },
            CloudFormationStack {
                output_keys: vec!["BucketName".into(), "DeployKey".into()],
                output_secrets: vec!["DeployKey: access key id AKIA…".into()],
                ..stack("leaky")
            },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).cloudformation_stacks = Observed::Unknown("cloudformation:DescribeStacks access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
