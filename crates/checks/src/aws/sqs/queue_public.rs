//! SQS queues whose access policy lets anyone send, receive or administer.
//!
//! Security Hub SQS.3:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html#sqs-3>.
//! "Public" is S3's definition applied to the queue policy (see
//! [`rampart_policy::public_statements`]): a principal of `*` counts unless a condition pins it
//! to fixed requesters (e.g. `aws:SourceArn` of one SNS topic). One result per queue.

use crate::aws::{each_regional, judge_public_policy};
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sqs_queue_public",
        title: "SQS queue access policies allow public access",
        description: "A queue policy that grants to everyone lets anyone on the internet inject messages into the consumers' input, read or delete messages, or purge the queue.",
        severity: Severity::High,
        category: Category::Security,
        service: "sqs",
        resource_type: ResourceType::AwsSqsQueue,
        standards: &[StandardRef::fsbp("SQS.3")],
        remediation: Remediation {
            console: "SQS console > Queues > the queue > Edit > Access policy: replace the \"*\" principal with the accounts or services that need access, or add a condition such as aws:SourceArn or aws:PrincipalOrgID.",
            cli: "aws sqs set-queue-attributes --queue-url <url> --attributes file://policy-attribute.json",
            url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "sqs",
        ResourceType::AwsSqsQueue,
        "queue",
        |r| &r.sqs,
        |account, region, q, out| {
            let name = q.arn.rsplit(':').next().unwrap_or(&q.url);
            let res = resource(account, &region.name, ResourceType::AwsSqsQueue, q.arn.clone(), name);
            judge_public_policy(res, &q.policy, &[], out);
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, SqsQueue};
    use rampart_model::Status;

    fn queue(name: &str, policy: Observed<Option<String>>) -> SqsQueue {
        SqsQueue {
            url: format!("https://sqs.us-east-1.amazonaws.com/123456789012/{name}"),
            arn: format!("arn:aws:sqs:us-east-1:123456789012:{name}"),
            policy,
            kms_master_key_id: Observed::Known(None),
            sqs_managed_sse_enabled: Observed::Known(true),
        }
    }

    const FROM_TOPIC: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}}]}"#;
    const PUBLIC: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:*","Resource":"*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).sqs = Observed::Known(vec![
            queue("none", Observed::Known(None)),
            queue("from-topic", Observed::Known(Some(FROM_TOPIC.into()))),
            queue("open", Observed::Known(Some(PUBLIC.into()))),
            queue("unknown", Observed::Unknown("sqs:GetQueueAttributes access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).sqs = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    /// Several statements: the pinned ones (service principal, `aws:SourceArn`) do not make the
    /// queue public, one statement open to everyone does, and only it is named.
    #[test]
    fn several_statements() {
        let open = r#"{"Sid":"open","Effect":"Allow","Principal":"*","Action":"sqs:ReceiveMessage","Resource":"*"}"#;
        let mixed = FROM_TOPIC.replace("]}", &format!(",{open}]}}"));
        assert_ne!(mixed, FROM_TOPIC);
        let mut inv = inventory();
        region(&mut inv).sqs = Observed::Known(vec![queue("mixed", Observed::Known(Some(mixed)))]);
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::Failed);
        assert!(why.contains("`open` (sqs:ReceiveMessage)") && !why.contains("SendMessage"), "{why}");
    }
}
