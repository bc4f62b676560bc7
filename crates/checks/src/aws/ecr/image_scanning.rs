//! ECR repositories that do not scan images on push.
//!
//! Security Hub ECR.1. Reads the repository's `imageScanningConfiguration.scanOnPush`. The
//! registry's scanning rules (`GetRegistryScanningConfiguration`) are collected and judged by
//! `ecr_registry_enhanced_scanning`, but not counted here, following the wording quoted below: a
//! repository covered only by such a rule fails. One result per repository.
//!
//! AWS: "This control fails if a private ECR repository doesn't have image scanning configured.
//! Note that you must also configure scan on push for each repository to pass this control"
//! (Security Hub ECR.1, 2023 wording).

use super::each_repository;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecr_image_scanning",
        title: "ECR repositories do not scan images on push",
        description: "Without scanning, images with known vulnerable packages are pushed and deployed without anyone being told.",
        severity: Severity::High,
        category: Category::Security,
        service: "ecr",
        resource_type: ResourceType::AwsEcrRepository,
        standards: &[StandardRef::fsbp("ECR.1")],
        remediation: Remediation {
            console: "ECR console > Private registry > Scanning configuration: add a scan-on-push rule for the repository (or edit the repository and turn on Scan on push).",
            cli: "aws ecr put-image-scanning-configuration --repository-name <name> --image-scanning-configuration scanOnPush=true",
            url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_repository(ctx, out, |repo, res, out| {
        if repo.scan_on_push {
            out.pass(res, "images are scanned on push");
        } else {
            out.fail(res, "scanOnPush is off for the repository");
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
        region(&mut inv).ecr = Observed::Known(vec![repo("scanned"), EcrRepository { scan_on_push: false, ..repo("blind") }]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).ecr = Observed::Unknown("ecr:DescribeRepositories access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
