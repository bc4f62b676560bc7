//! SQS queues without encryption at rest.
//!
//! Security Hub SQS.1: SSE-KMS or SSE-SQS (SQS-managed keys) passes. One result per queue.
//!
//! AWS: "The control passes if you use an Amazon SQS managed key (SSE-SQS) or an AWS Key Management
//! Service (AWS KMS) key (SSE-KMS)" (Security Hub SQS.1).

use crate::aws::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sqs_queue_encrypted",
        title: "SQS queues are not encrypted at rest",
        description: "Messages waiting in an unencrypted queue are stored in plain text.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "sqs",
        resource_type: ResourceType::AwsSqsQueue,
        standards: &[StandardRef::fsbp("SQS.1")],
        remediation: Remediation {
            console: "SQS console > Queues > the queue > Edit > Encryption: enable server-side encryption (Amazon SQS key or a KMS key).",
            cli: "aws sqs set-queue-attributes --queue-url <url> --attributes SqsManagedSseEnabled=true",
            url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(ctx, out, "sqs", ResourceType::AwsSqsQueue, "queue", |r| &r.sqs, |account, region, q, out| {
        let name = q.arn.rsplit(':').next().unwrap_or(&q.url);
        let res = resource(account, &region.name, ResourceType::AwsSqsQueue, q.arn.clone(), name);
        match (&q.kms_master_key_id, &q.sqs_managed_sse_enabled) {
            (Observed::Known(Some(k)), _) if !k.is_empty() => out.pass(res, format!("encrypted with KMS key `{k}`")),
            (_, Observed::Known(true)) => out.pass(res, "encrypted with SQS-managed keys (SSE-SQS)"),
            (Observed::Known(_), Observed::Known(false)) => out.fail(res, "neither SSE-KMS nor SSE-SQS is enabled"),
            (Observed::Unknown(why), _) | (_, Observed::Unknown(why)) => out.not_available(res, format!("queue attributes could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::SqsQueue;
    use rampart_model::Status;

    fn queue(name: &str, key: Observed<Option<String>>, sse: Observed<bool>) -> SqsQueue {
        SqsQueue {
            url: format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}"),
            arn: format!("arn:aws:sqs:us-east-1:123456789012:{name}"),
            policy: Observed::Known(None),
            kms_master_key_id: key,
            sqs_managed_sse_enabled: sse,
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).sqs = Observed::Known(vec![
            queue("kms", Observed::Known(Some("alias/aws/sqs".into())), Observed::Unknown("n/a".into())),
            queue("sse-sqs", Observed::Known(None), Observed::Known(true)),
            queue("plain", Observed::Known(None), Observed::Known(false)),
            queue("unknown", Observed::Unknown("sqs:GetQueueAttributes access denied".into()), Observed::Known(false)),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).sqs = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
