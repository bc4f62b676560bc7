//! Account-level S3 Block Public Access: all four settings on.
//!
//! Security Hub S3.1, CIS AWS Foundations v3.0.0 2.1.4.
//!
//! AWS: "The rule is NON_COMPLIANT if the configuration item does not match one or more settings
//! from parameters (or default)." (AWS Config `s3-account-level-public-access-blocks-periodic`,
//! the rule behind S3.1, whose four parameters default to True,
//! <https://docs.aws.amazon.com/config/latest/developerguide/s3-account-level-public-access-blocks-periodic.html>).
//! One setting off among four on fails (test `each_setting_alone`).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_account_public_access_block",
        title: "S3 Block Public Access is not fully enabled for the account",
        description: "With all four account-level Block Public Access settings on, no bucket in the account can be made public by mistake, whatever its ACL or policy says.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("2.1.4"), StandardRef::fsbp("S3.1")],
        remediation: Remediation {
            console: "S3 console > Block Public Access settings for this account > Edit: turn on all four settings.",
            cli: "aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let res = resource(
            account,
            &account.home_region,
            ResourceType::AwsAccount,
            format!("arn:{}:s3::{}:account", account.partition, account.id),
            &account.id,
        );
        let bpa = match &account.s3 {
            Observed::Known(s3) => &s3.account_public_access_block,
            Observed::Unknown(why) => {
                out.not_available(res, format!("S3 could not be read: {why}"));
                continue;
            }
        };
        match bpa {
            Observed::Unknown(why) => out.not_available(res, format!("account Block Public Access could not be read: {why}")),
            Observed::Known(None) => out.fail(res, "account-level Block Public Access is not configured"),
            Observed::Known(Some(b)) => {
                let off: Vec<&str> = [
                    ("BlockPublicAcls", b.block_public_acls),
                    ("IgnorePublicAcls", b.ignore_public_acls),
                    ("BlockPublicPolicy", b.block_public_policy),
                    ("RestrictPublicBuckets", b.restrict_public_buckets),
                ]
                .iter()
                .filter(|(_, on)| !on)
                .map(|(n, _)| *n)
                .collect();
                if off.is_empty() {
                    out.pass(res, "all four account-level Block Public Access settings are on");
                } else {
                    out.fail(res, format!("account-level Block Public Access settings off: {}", off.join(", ")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::PublicAccessBlock;
    use rampart_model::Status;

    fn with(b: Observed<Option<PublicAccessBlock>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).s3.known_mut().unwrap().account_public_access_block = b;
        inv
    }

    #[test]
    fn cases() {
        let all = PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        };
        assert_eq!(single(&CHECK, &with(Observed::Known(Some(all)))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with(Observed::Known(None))).0, Status::Failed);
        let (s, why) = single(&CHECK, &with(Observed::Known(Some(PublicAccessBlock { block_public_acls: true, ..all_off() }))));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("IgnorePublicAcls"));
        assert_eq!(single(&CHECK, &with(Observed::Unknown("denied".into()))).0, Status::NotAvailable);
    }

    /// Several settings: turning any one of the four off, the other three on, fails and names it.
    #[test]
    fn each_setting_alone() {
        let all = PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        };
        let cases = [
            ("BlockPublicAcls", PublicAccessBlock { block_public_acls: false, ..all }),
            ("IgnorePublicAcls", PublicAccessBlock { ignore_public_acls: false, ..all }),
            ("BlockPublicPolicy", PublicAccessBlock { block_public_policy: false, ..all }),
            ("RestrictPublicBuckets", PublicAccessBlock { restrict_public_buckets: false, ..all }),
        ];
        for (name, b) in cases {
            let (s, why) = single(&CHECK, &with(Observed::Known(Some(b))));
            assert_eq!(s, Status::Failed, "{name}");
            assert_eq!(why, format!("account-level Block Public Access settings off: {name}"));
        }
    }

    fn all_off() -> PublicAccessBlock {
        PublicAccessBlock::default()
    }
}
