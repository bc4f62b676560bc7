//! CloudFormation stacks without termination protection.
//!
//! AWS: "You can prevent a stack from being accidentally deleted by enabling termination
//! protection on the stack." A nested stack carries its root stack's setting ("You can't
//! enable or disable termination protection directly on a nested stack"), so only root stacks
//! are judged. No Security Hub control in FSBP covers it; Prowler's
//! `cloudformation_stacks_termination_protection_enabled` and the AWS Config rule
//! `cloudformation-termination-protection-check` do. One result per root stack.

use super::each_stack;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudformation_stack_termination_protection",
        title: "CloudFormation stacks are not protected from deletion",
        description: "Deleting a stack deletes every resource it manages that has no retention policy; termination protection makes a deletion fail until someone deliberately turns it off.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudformation",
        resource_type: ResourceType::AwsCloudFormationStack,
        standards: &[],
        remediation: Remediation {
            console: "CloudFormation console > Stacks > the stack > Stack actions > Edit termination protection: Activated.",
            cli: "aws cloudformation update-termination-protection --enable-termination-protection --stack-name <name>",
            url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-protect-stacks.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_stack(ctx, out, |s, res, out| {
        if s.root_id.is_some() {
            return; // a nested stack: judged through its root
        }
        if s.termination_protection {
            out.pass(res, "termination protection is on");
        } else {
            out.fail(res, "termination protection is off");
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
            CloudFormationStack { termination_protection: true, ..stack("protected") },
            stack("open"),
            // Nested: not judged on its own.
            CloudFormationStack { root_id: Some(stack("protected").arn), ..stack("nested") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).cloudformation_stacks = Observed::Unknown("cloudformation:DescribeStacks access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
