//! Regions whose private ECR registry does not use enhanced scanning.
//!
//! A registry's scanning configuration (`GetRegistryScanningConfiguration`) has a scan type,
//! `BASIC` (ECR's own scan of the operating system packages) or `ENHANCED` (Amazon Inspector:
//! operating system and programming language packages, rescanned continuously as new
//! vulnerabilities are published), and rules whose repository filters choose what is scanned
//! (a registry with enhanced scanning and no rule scans no repository). A region passes when the type is
//! `ENHANCED` and a rule names at least one repository filter; it fails with basic scanning or
//! enhanced scanning without rules. One result per region that has repositories (or whose
//! repositories could not be listed).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ecr_registry_enhanced_scanning",
        title: "ECR registries do not use enhanced (Inspector) scanning",
        description: "Basic scanning looks only at operating system packages and only when an image is pushed or asked for; enhanced scanning also covers language packages and rescans stored images whenever new vulnerabilities are published.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ecr",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "ECR console (in each region) > Private registry > Settings > Scanning configuration: select Enhanced scanning, add a continuous scanning filter (e.g. `*`) and save.",
            cli: "aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules '[{\"scanFrequency\":\"CONTINUOUS_SCAN\",\"repositoryFilters\":[{\"filter\":\"*\",\"filterType\":\"WILDCARD\"}]}]'",
            url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        if matches!(&region.ecr, Observed::Known(repos) if repos.is_empty()) {
            continue;
        }
        let res = resource(
            account,
            &region.name,
            ResourceType::AwsAccount,
            account.arn("ecr", &region.name, &format!("registry/{}", account.id)),
            &format!("{} {}", account.id, region.name),
        );
        let config = match &region.ecr_registry_scanning {
            Observed::Known(c) => c,
            Observed::Unknown(why) => {
                out.not_available(res, format!("the registry's scanning configuration could not be read in {}: {why}", region.name));
                continue;
            }
        };
        let filters: Vec<String> =
            config.rules.iter().flat_map(|r| r.filters.iter().map(move |f| format!("`{f}` ({})", r.scan_frequency))).collect();
        match config.scan_type.as_str() {
            "ENHANCED" if !filters.is_empty() => out.pass(res, format!("enhanced scanning of {}", filters.join(", "))),
            "ENHANCED" => out.fail(res, "enhanced scanning is on but no rule names a repository, so no repository is scanned"),
            other => out.fail(res, format!("the registry's scan type is `{other}`, not ENHANCED")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::repo;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{EcrRegistryScanning, EcrScanningRule};
    use rampart_model::Status;

    fn scanning(kind: &str, filters: &[&str]) -> Observed<EcrRegistryScanning> {
        let rules = if filters.is_empty() {
            vec![]
        } else {
            vec![EcrScanningRule { scan_frequency: "CONTINUOUS_SCAN".into(), filters: filters.iter().map(|f| f.to_string()).collect() }]
        };
        Observed::Known(EcrRegistryScanning { scan_type: kind.into(), rules })
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).ecr = Observed::Known(vec![repo("app")]);
        for (config, want) in [
            (scanning("ENHANCED", &["*"]), Status::Passed),
            (scanning("ENHANCED", &[]), Status::Failed),
            (scanning("BASIC", &["*"]), Status::Failed),
            (Observed::Unknown("ecr:GetRegistryScanningConfiguration access denied".into()), Status::NotAvailable),
        ] {
            region(&mut inv).ecr_registry_scanning = config.clone();
            assert_eq!(single(&CHECK, &inv).0, want, "{config:?}");
        }
        // Repositories unread: the registry is still judged.
        region(&mut inv).ecr = Observed::Unknown("ecr:DescribeRepositories access denied".into());
        region(&mut inv).ecr_registry_scanning = scanning("BASIC", &[]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        // No repository in the region: nothing to judge.
        region(&mut inv).ecr = Observed::Known(vec![]);
        assert!(run_check(&CHECK, &inv).is_empty());
    }
}
