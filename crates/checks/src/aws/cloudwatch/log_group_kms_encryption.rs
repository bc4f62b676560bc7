//! Log groups encrypted with a KMS key of the account's choosing.
//!
//! CloudWatch Logs always encrypts log data at rest; associating a KMS key puts decryption
//! under that key's policy (and CloudTrail's record of its use). No Security Hub control or
//! CIS recommendation covers it; Prowler's `cloudwatch_log_group_kms_encryption_enabled` does.
//! One result per log group.

use super::super::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudwatch_log_group_kms_encryption",
        title: "CloudWatch log groups are not encrypted with a KMS key",
        description: "Without a KMS key of its own, anyone allowed to read the log group reads its events; with one, reading also needs the key, whose policy and use are controlled and logged separately.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudwatch",
        resource_type: ResourceType::AwsLogsLogGroup,
        standards: &[],
        remediation: Remediation {
            console: "Not in the console for an existing group: use the CLI (the key's policy must allow the logs service principal of the region).",
            cli: "aws logs associate-kms-key --log-group-name <name> --kms-key-id <key-arn>",
            url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "logs",
        ResourceType::AwsLogsLogGroup,
        "log-group",
        |r| &r.log_groups,
        |account, region, g, out| {
            let res = resource(account, &region.name, ResourceType::AwsLogsLogGroup, g.arn.clone(), &g.name);
            match &g.kms_key_id {
                Some(key) => out.pass(res, format!("encrypted with KMS key `{key}`")),
                None => out.fail(res, "no KMS key is associated (CloudWatch Logs' own encryption only)"),
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LogGroup, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let group = |name: &str, key: Option<&str>| LogGroup {
            name: name.into(),
            arn: format!("arn:aws:logs:us-east-1:123456789012:log-group:{name}"),
            retention_in_days: None,
            kms_key_id: key.map(str::to_string),
        };
        let mut inv = inventory();
        region(&mut inv).log_groups =
            Observed::Known(vec![group("cmk", Some("arn:aws:kms:us-east-1:123456789012:key/k")), group("plain", None)]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).log_groups = Observed::Unknown("logs:DescribeLogGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
