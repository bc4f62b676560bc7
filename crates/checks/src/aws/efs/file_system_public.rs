//! EFS file systems open to every client that reaches them.
//!
//! Prowler's `efs_not_publicly_accessible` (see `crate::prowler`): a file system fails when it
//! has no file system policy (EFS then grants full access, root included, to every NFS client
//! that can reach a mount target: only security groups stand in the way), or when a statement
//! of its policy allows everyone (`Principal` `*`) without a condition that pins the caller's
//! account or organization ([`rampart_policy::public_statements`], the definition the SNS, SQS
//! and KMS checks use). A condition such as `elasticfilesystem:AccessedViaMountTarget` does not
//! restrict who: any client inside the VPC still qualifies. One statement is enough to fail.
//! One result per file system.

use super::each_file_system;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "efs_file_system_public",
        title: "EFS file systems grant access to any client",
        description: "Without a file system policy, or with one that allows every principal, any host that can reach a mount target over NFS can mount, read and write the file system (as root unless an access point says otherwise).",
        severity: Severity::High,
        category: Category::Security,
        service: "efs",
        resource_type: ResourceType::AwsEfsFileSystem,
        standards: &[],
        remediation: Remediation {
            console: "EFS console > File systems > the file system > File system policy > Edit: deny root access and anonymous access, and allow ClientMount only to the IAM roles that need it (with IAM authorization on the mount).",
            cli: "aws efs put-file-system-policy --file-system-id <fs-id> --policy file://least-privilege-policy.json",
            url: "https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_file_system(ctx, out, |_, _, fs, res, out| {
        let text = match &fs.policy {
            Observed::Known(Some(t)) => t,
            Observed::Known(None) => {
                return out.fail(res, "the file system has no policy: every client that reaches a mount target has full access")
            }
            Observed::Unknown(why) => return out.not_available(res, format!("the file system policy could not be read: {why}")),
        };
        match rampart_policy::parse_maybe_url_encoded(text) {
            Err(e) => out.malformed(res, format!("the file system policy is not valid: {e}")),
            Ok(doc) => {
                let public = rampart_policy::public_statements(&doc);
                if public.is_empty() {
                    out.pass(res, "no policy statement grants access to everyone");
                } else {
                    let which: Vec<String> = public
                        .iter()
                        .map(|st| {
                            let actions = st.action.as_ref().map(|a| a.join(", ")).unwrap_or_else(|| "NotAction".into());
                            match &st.sid {
                                Some(sid) => format!("`{sid}` ({actions})"),
                                None => format!("({actions})"),
                            }
                        })
                        .collect();
                    out.fail(res, format!("statements allow any client: {}", which.join("; ")));
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::EfsFileSystem;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let with = |name: &str, p: Observed<Option<String>>| EfsFileSystem { policy: p, ..file_system(name) };
        let policy = |s: &str| Observed::Known(Some(s.to_string()));
        let role_only = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"elasticfilesystem:ClientMount","Resource":"*"}]}"#;
        // The second of two statements opens it, with a condition that does not restrict who.
        let open = r#"{"Statement":[{"Sid":"App","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"elasticfilesystem:ClientWrite","Resource":"*"},{"Sid":"Any","Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*","Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}]}"#;
        let org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"elasticfilesystem:ClientMount","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}"#;
        let mut inv = inventory();
        set(
            &mut inv,
            vec![
                with("role-only", policy(role_only)),
                with("open", policy(open)),
                with("none", Observed::Known(None)),
                with("org", policy(org)),
                with("unread", Observed::Unknown("elasticfilesystem:DescribeFileSystemPolicy access denied".into())),
                with("broken", policy("{not json")),
            ],
            vec![],
        );
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Failed, Status::Failed, Status::Passed, Status::NotAvailable, Status::NotAvailable]
        );
        assert!(r[1].reason.contains("`Any`") && !r[1].reason.contains("`App`"), "{}", r[1].reason);
        region(&mut inv).efs = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
