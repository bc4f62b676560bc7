//! SNS topics whose access policy lets anyone publish, subscribe or administer.
//!
//! Security Hub SNS.4:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-4>.
//! "Public" is S3's definition applied to the topic policy (see
//! [`rampart_policy::public_statements`]): a principal of `*` counts unless a condition pins it
//! to fixed requesters; SNS's default policy, pinned by `AWS:SourceOwner`, passes. One result
//! per topic.
//!
//! AWS: "The rule is NON_COMPLIANT if the SNS topic access policy allows public access. ... To be
//! considered non-public, an SNS policy must grant access only to fixed values. This means values
//! that don't contain a wildcard or the following IAM policy element: Variables" (Config
//! `sns-topic-no-public-access`, behind SNS.4). One public statement beside the default one fails
//! the topic; an `AWS:SourceOwner` pin whose value is a wildcard does not count
//! (`one_public_statement_beside_the_default`).

use crate::aws::{each_regional, judge_public_policy};
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sns_topic_public",
        title: "SNS topic access policies allow public access",
        description: "A topic policy that grants to everyone lets anyone on the internet publish spam or forged events to the topic's subscribers, subscribe to its messages, or change it.",
        severity: Severity::High,
        category: Category::Security,
        service: "sns",
        resource_type: ResourceType::AwsSnsTopic,
        standards: &[StandardRef::fsbp("SNS.4")],
        remediation: Remediation {
            console: "SNS console > Topics > the topic > Edit > Access policy: replace the \"*\" principal with the accounts or services that need access, or add a condition such as aws:SourceAccount or aws:PrincipalOrgID.",
            cli: "aws sns set-topic-attributes --topic-arn <arn> --attribute-name Policy --attribute-value file://policy.json",
            url: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(ctx, out, "sns", ResourceType::AwsSnsTopic, "topic", |r| &r.sns, |account, region, topic, out| {
        let name = topic.arn.rsplit(':').next().unwrap_or(&topic.arn);
        let res = resource(account, &region.name, ResourceType::AwsSnsTopic, topic.arn.clone(), name);
        judge_public_policy(res, &topic.policy, &[], out);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, SnsTopic};
    use rampart_model::Status;

    fn topic(name: &str, policy: Observed<Option<String>>) -> SnsTopic {
        SnsTopic { arn: format!("arn:aws:sns:us-east-1:123456789012:{name}"), policy, kms_master_key_id: Observed::Known(None), ..Default::default() }
    }

    const DEFAULT: &str = r#"{"Version":"2008-10-17","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe","SNS:SetTopicAttributes"],"Resource":"arn:aws:sns:us-east-1:123456789012:t","Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}"#;
    const PUBLIC: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"open","Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).sns = Observed::Known(vec![
            topic("default", Observed::Known(Some(DEFAULT.into()))),
            topic("open", Observed::Known(Some(PUBLIC.into()))),
            topic("unknown", Observed::Unknown("sns:GetTopicAttributes access denied".into())),
            topic("garbled", Observed::Known(Some("{nope".into()))),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
        assert!(r[1].reason.contains("`open` (sns:Publish)"), "{}", r[1].reason);
        region(&mut inv).sns = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn one_public_statement_beside_the_default() {
        let default_plus_open = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:Subscribe"],"Resource":"arn:aws:sns:us-east-1:123456789012:t","Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}},
            {"Sid":"open-subscribe","Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Subscribe","Resource":"arn:aws:sns:us-east-1:123456789012:t"}]}"#;
        let wildcard_owner = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"*","Condition":{"StringLike":{"AWS:SourceOwner":"*"}}}]}"#;
        let mut inv = inventory();
        region(&mut inv).sns = Observed::Known(vec![
            topic("default-plus-open", Observed::Known(Some(default_plus_open.into()))),
            topic("wildcard-owner", Observed::Known(Some(wildcard_owner.into()))),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Failed]);
    }
}
