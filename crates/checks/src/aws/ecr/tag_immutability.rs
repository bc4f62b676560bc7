//! ECR repositories whose image tags can be overwritten.
//!
//! Security Hub ECR.2. `IMMUTABLE` and `IMMUTABLE_WITH_EXCLUSION` pass. One result per
//! repository.

use super::each_repository;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecr_tag_immutability",
        title: "ECR repositories allow image tags to be overwritten",
        description: "With mutable tags, anyone who can push can replace the image behind a tag that deployments trust, e.g. `v1.2.3`, without the digest-pinned history showing it.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ecr",
        resource_type: ResourceType::AwsEcrRepository,
        standards: &[StandardRef::fsbp("ECR.2")],
        remediation: Remediation {
            console: "ECR console > Repositories > the repository > Edit: set Tag immutability to Immutable.",
            cli: "aws ecr put-image-tag-mutability --repository-name <name> --image-tag-mutability IMMUTABLE",
            url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_repository(ctx, out, |repo, res, out| {
        if repo.image_tag_mutability.starts_with("IMMUTABLE") {
            out.pass(res, format!("image tag mutability is `{}`", repo.image_tag_mutability));
        } else {
            out.fail(res, format!("image tag mutability is `{}`", repo.image_tag_mutability));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::repo;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcrRepository, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).ecr = Observed::Known(vec![
            repo("immutable"),
            EcrRepository { image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION".into(), ..repo("mostly") },
            EcrRepository { image_tag_mutability: "MUTABLE".into(), ..repo("mutable") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed]);
        region(&mut inv).ecr = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
