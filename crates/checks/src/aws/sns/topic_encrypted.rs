//! SNS topics without server-side encryption under a KMS key.
//!
//! Security Hub SNS.1. One result per topic.
//!
//! AWS: "The controls fails if an SNS topic doesn't use a KMS key for server-side encryption (SSE)"
//! (Security Hub SNS.1); an AWS managed key (`alias/aws/sns`) is a KMS key and passes.

use crate::aws::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sns_topic_encrypted",
        title: "SNS topics are not encrypted at rest with KMS",
        description: "Without server-side encryption, messages are stored unencrypted under a key you control; with a KMS key, access to message contents also requires permission on the key and is logged.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "sns",
        resource_type: ResourceType::AwsSnsTopic,
        standards: &[StandardRef::fsbp("SNS.1")],
        remediation: Remediation {
            console: "SNS console > Topics > the topic > Edit > Encryption: enable encryption and choose a KMS key.",
            cli: "aws sns set-topic-attributes --topic-arn <arn> --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns",
            url: "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(ctx, out, "sns", ResourceType::AwsSnsTopic, "topic", |r| &r.sns, |account, region, topic, out| {
        let name = topic.arn.rsplit(':').next().unwrap_or(&topic.arn);
        let res = resource(account, &region.name, ResourceType::AwsSnsTopic, topic.arn.clone(), name);
        match &topic.kms_master_key_id {
            Observed::Known(Some(k)) if !k.is_empty() => out.pass(res, format!("encrypted with KMS key `{k}`")),
            Observed::Known(_) => out.fail(res, "the topic has no KMS key (KmsMasterKeyId is not set)"),
            Observed::Unknown(why) => out.not_available(res, format!("topic attributes could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::SnsTopic;
    use rampart_model::Status;

    fn topic(name: &str, key: Observed<Option<String>>) -> SnsTopic {
        SnsTopic { arn: format!("arn:aws:sns:us-east-1:123456789012:{name}"), policy: Observed::Known(None), kms_master_key_id: key, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).sns = Observed::Known(vec![
            topic("enc", Observed::Known(Some("alias/aws/sns".into()))),
            topic("plain", Observed::Known(None)),
            topic("unknown", Observed::Unknown("sns:GetTopicAttributes access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).sns = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
