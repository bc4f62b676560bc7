//! ECR repositories whose image tags can be overwritten.
//!
//! Security Hub ECR.2. Only `IMMUTABLE` passes: `IMMUTABLE_WITH_EXCLUSION` leaves the tags its
//! exclusion filters match overwritable, and `MUTABLE` / `MUTABLE_WITH_EXCLUSION` all or most
//! tags. One result per repository.
//!
//! AWS: "This control fails if a private ECR repository has tag immutability disabled. This rule
//! passes if tag immutability is enabled and has the value `IMMUTABLE`" (Security Hub ECR.2).
//! Changed in the control re-read: `IMMUTABLE_WITH_EXCLUSION` passed before, now fails
//! (`only_immutable_passes`).

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
        if repo.image_tag_mutability == "IMMUTABLE" {
            out.pass(res, "image tag mutability is `IMMUTABLE`");
        } else if repo.image_tag_mutability == "IMMUTABLE_WITH_EXCLUSION" {
            out.fail(res, "image tag mutability is `IMMUTABLE_WITH_EXCLUSION`: tags matching the exclusion filters can be overwritten");
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
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        region(&mut inv).ecr = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn only_immutable_passes() {
        let mut inv = inventory();
        region(&mut inv).ecr = Observed::Known(
            ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION", "MUTABLE"]
                .iter()
                .map(|m| EcrRepository { image_tag_mutability: m.to_string(), ..repo(m) })
                .collect(),
        );
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed, Status::Failed]);
        assert!(r[1].reason.contains("exclusion filters"), "{}", r[1].reason);
    }
}
