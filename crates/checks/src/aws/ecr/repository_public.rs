//! ECR repositories whose repository policy lets anyone pull, push or administer images.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `ecr_repositories_not_publicly_accessible` (see `crate::prowler`), judged with S3's
//! definition of a public policy (see [`rampart_policy::public_statements`]): a statement that
//! allows `*` counts unless a condition pins the requester to fixed values (account,
//! organization, source ARN, VPC). A repository without a policy is private. One result per
//! repository.

use super::each_repository;
use crate::aws::judge_public_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecr_repository_public",
        title: "ECR repository policies allow public access",
        description: "A repository policy that grants to everyone lets anyone pull the images (and the code, configuration and credentials baked into them) or, with write actions, replace them with their own.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "ecr",
        resource_type: ResourceType::AwsEcrRepository,
        standards: &[],
        remediation: Remediation {
            console: "ECR console > Private registry > Repositories > the repository > Permissions > Edit policy JSON: replace the \"*\" principal with the accounts that need access, or add an aws:PrincipalOrgID condition.",
            cli: "aws ecr get-repository-policy --repository-name <name>; aws ecr set-repository-policy --repository-name <name> --policy-text file://policy.json (or aws ecr delete-repository-policy --repository-name <name>)",
            url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_repository(ctx, out, |repo, res, out| {
        judge_public_policy(res, &repo.policy, &[], out)
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::repo;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcrRepository, Observed};
    use rampart_model::Status;

    const PUBLIC_PULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"]}]}"#;
    const ORG_PULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"org","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}"#;
    const ONE_ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let with = |name: &str, policy: Observed<Option<String>>| EcrRepository {
            policy,
            ..repo(name)
        };
        region(&mut inv).ecr = Observed::Known(vec![
            with("no-policy", Observed::Known(None)),
            with("public", Observed::Known(Some(PUBLIC_PULL.into()))),
            with("org-only", Observed::Known(Some(ORG_PULL.into()))),
            with("one-account", Observed::Known(Some(ONE_ACCOUNT.into()))),
            with(
                "unknown",
                Observed::Unknown("ecr:GetRepositoryPolicy access denied".into()),
            ),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![
                Status::Passed,
                Status::Failed,
                Status::Passed,
                Status::Passed,
                Status::NotAvailable
            ]
        );
        assert!(r[1].reason.contains("`pull`"), "{}", r[1].reason);
        region(&mut inv).ecr = Observed::Unknown("ecr:DescribeRepositories access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
