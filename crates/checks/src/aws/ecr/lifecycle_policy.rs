//! ECR repositories without a lifecycle policy.
//!
//! Security Hub ECR.3. One result per repository.
//!
//! AWS: "This control fails if an ECR repository does not have any lifecycle policies configured"
//! (Security Hub ECR.3): any policy passes, whatever its rules.

use super::each_repository;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecr_lifecycle_policy",
        title: "ECR repositories have no lifecycle policy",
        description: "Without a lifecycle policy old, unpatched images pile up: they cost storage and stay available to be deployed by mistake.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ecr",
        resource_type: ResourceType::AwsEcrRepository,
        standards: &[StandardRef::fsbp("ECR.3")],
        remediation: Remediation {
            console: "ECR console > Repositories > the repository > Lifecycle Policy > Create rule (e.g. expire untagged images after 14 days).",
            cli: "aws ecr put-lifecycle-policy --repository-name <name> --lifecycle-policy-text file://policy.json",
            url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_repository(ctx, out, |repo, res, out| match &repo.lifecycle_policy {
        Observed::Known(Some(_)) => out.pass(res, "the repository has a lifecycle policy"),
        Observed::Known(None) => out.fail(res, "the repository has no lifecycle policy"),
        Observed::Unknown(why) => out.not_available(res, format!("lifecycle policy could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::repo;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::EcrRepository;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).ecr = Observed::Known(vec![
            repo("kept"),
            EcrRepository { lifecycle_policy: Observed::Known(None), ..repo("hoard") },
            EcrRepository { lifecycle_policy: Observed::Unknown("ecr:GetLifecyclePolicy access denied".into()), ..repo("unknown") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
    }
}
