//! Lambda functions without a dead-letter queue.
//!
//! Prowler's `awslambda_function_no_dead_letter_queue` (see `crate::prowler`): a function
//! passes when it has a dead-letter target (`DeadLetterConfig.TargetArn`, an SQS queue or SNS
//! topic) for the asynchronous invocations that fail all their retries. Asynchronous
//! invocation destinations (`OnFailure`) are another way to keep those events and are not read.
//! One result per function.

use super::each_function;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "lambda_function_dead_letter_queue",
        title: "Lambda functions do not have a dead-letter queue",
        description: "An asynchronous invocation that fails all its retries is dropped without a trace unless a dead-letter queue (or an on-failure destination) keeps the event.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "lambda",
        resource_type: ResourceType::AwsLambdaFunction,
        standards: &[],
        remediation: Remediation {
            console: "Lambda console > the function > Configuration > Asynchronous invocation > Edit > Dead-letter queue service: Amazon SQS or Amazon SNS, and the queue or topic.",
            cli: "aws lambda update-function-configuration --function-name <name> --dead-letter-config TargetArn=<queue-or-topic-arn>",
            url: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_function(ctx, out, |f, res, out| match &f.dead_letter_target_arn {
        Observed::Known(Some(t)) => out.pass(res, format!("failed asynchronous events go to {t}")),
        Observed::Known(None) => out.fail(res, "the function has no dead-letter queue"),
        Observed::Unknown(why) => out.not_available(res, format!("the function's dead-letter configuration could not be read: {why}")),
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
        let inv = with_function(|f| f.dead_letter_target_arn = Observed::Known(Some("arn:aws:sqs:us-east-1:123456789012:dlq".into())));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        let inv = with_function(|f| f.dead_letter_target_arn = Observed::Known(None));
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        let inv = with_function(|f| f.dead_letter_target_arn = Observed::Unknown("not collected".into()));
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
