//! AWS access keys in the user data of EC2 instances.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `ec2_instance_secrets_user_data` (see `crate::prowler`), judged with the detector of
//! `rampart scan secrets` ([`rampart_secrets::detect`]): AWS access key ids and secret access
//! keys, not passwords or other tokens. User data is readable by anyone who may call
//! `ec2:DescribeInstanceAttribute` and by every process on the instance (through the instance
//! metadata service), and it stays in the instance's configuration. AWS's documentation
//! example keys are ignored. Gzip-compressed user data (cloud-init inflates it) is inflated at
//! collection, up to a limit; a stream that is corrupt or inflates past the limit is `Unknown`
//! and NOT_AVAILABLE here, as is user data that is not text. One result per instance.

use super::{each_ec2_item, instance_resource};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_user_data_secrets",
        title: "EC2 instance user data contains AWS access keys",
        description: "User data is not a secret store: anyone allowed to describe the instance's attributes, and every process on the instance, can read it, and it is kept with the instance's configuration. Access keys in it are long-lived credentials handed to all of them.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > the key's user > Security credentials: deactivate and delete the access key. Then give the instance an IAM role (EC2 console > the instance > Actions > Security > Modify IAM role) and remove the key from the user data (stop the instance > Actions > Instance settings > Edit user data).",
            cli: "aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive; aws ec2 associate-iam-instance-profile --instance-id <instance-id> --iam-instance-profile Name=<profile>; aws ec2 modify-instance-attribute --instance-id <instance-id> --attribute userData --value <new-user-data>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_ec2_item(
        ctx,
        out,
        ResourceType::AwsEc2Instance,
        "instance",
        |e| &e.instances,
        |account, region, _, instance, out| {
            let res = instance_resource(account, region, instance);
            let text = match &instance.user_data {
                Observed::Known(None) => return out.pass(res, "the instance has no user data"),
                Observed::Known(Some(text)) => text,
                Observed::Unknown(why) => {
                    return out
                        .not_available(res, format!("the user data could not be read: {why}"))
                }
            };
            let found = rampart_secrets::detect(
                text.as_bytes(),
                &rampart_secrets::DetectOptions::default(),
            );
            if !found.is_empty() {
                let what: Vec<String> = found
                    .iter()
                    .map(|m| match (&m.key_id, &m.secret) {
                        (Some(k), Some(s)) => {
                            format!("access key {k} with its secret {s} (line {})", m.line)
                        }
                        (Some(k), None) => format!("access key id {k} (line {})", m.line),
                        (None, Some(s)) => format!("secret access key {s} (line {})", m.line),
                        (None, None) => format!("a key (line {})", m.line),
                    })
                    .collect();
                out.fail(res, format!("the user data holds {}", what.join("; ")));
            } else if text.contains(char::REPLACEMENT_CHARACTER) {
                // The collector keeps user data as text (gzip inflated); bytes that were not UTF-8
                // are lost, so absence of keys proves nothing.
                out.not_available(res, "the user data is binary and could not be scanned");
            } else {
                out.pass(res, "no AWS access key in the user data");
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Instance;
    use rampart_model::Status;

    fn instance(id: &str, user_data: Observed<Option<String>>) -> Instance {
        Instance {
            instance_id: id.into(),
            state: "running".into(),
            user_data,
            ..Default::default()
        }
    }

    /// A key pair built at run time so that this source holds no key-shaped literal.
    fn key_pair() -> (String, String) {
        (
            format!("AKIA{}", "Q3EGRN5UVWXYZ2AB"),
            format!("{}/{}", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2", "Ae4Ku9M"),
        )
    }

    #[test]
    fn pass_fail_not_available() {
        let (id, secret) = key_pair();
        assert_eq!(secret.len(), 40);
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            instance("i-none", Observed::Known(None)),
            instance("i-clean", Observed::Known(Some("#!/bin/bash\nyum install -y nginx\n".into()))),
            instance("i-keys", Observed::Known(Some(format!("#!/bin/bash\nexport AWS_ACCESS_KEY_ID={id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n")))),
            instance("i-example", Observed::Known(Some(format!("aws configure set aws_access_key_id {}\n", rampart_secrets::EXAMPLE_KEY_ID)))),
            instance("i-gzip", Observed::Known(Some("\u{1f}\u{fffd}\u{8}\u{0}binary".into()))),
            instance("i-unknown", Observed::Unknown("ec2:DescribeInstanceAttribute access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![
                Status::Passed,
                Status::Passed,
                Status::Failed,
                Status::Passed,
                Status::NotAvailable,
                Status::NotAvailable
            ]
        );
        assert!(
            r[2].reason
                .contains(&format!("access key {id} with its secret k9Tz… (line 2)")),
            "{}",
            r[2].reason
        );
        assert!(
            !r[2].reason.contains(&secret),
            "the secret is never reported whole: {}",
            r[2].reason
        );
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
