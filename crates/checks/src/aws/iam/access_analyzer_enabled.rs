//! Regions without an active IAM Access Analyzer for external access.
//!
//! CIS AWS Foundations v3.0.0 1.20 "Ensure that IAM Access analyzer is enabled for all regions"
//! (Security Hub IAM.28 in its CIS standards; AWS Config `iam-external-access-analyzer-enabled`:
//! non-compliant when a region has no external access analyzer or its status is not ACTIVE).
//! External access analyzers are of type `ACCOUNT` or `ORGANIZATION`; unused- and
//! internal-access analyzers do not count. One result per region.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_access_analyzer_enabled",
        title: "IAM Access Analyzer for external access is not active in a region",
        description: "An external access analyzer reports resources (buckets, keys, roles, queues, ...) shared outside the account or organization; a region without one shares unnoticed.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("1.20")],
        remediation: Remediation {
            console: "IAM console (in the region) > Access analyzer > Analyzer settings > Create analyzer: Resource analysis - External access, zone of trust the account or the organization.",
            cli: "aws accessanalyzer create-analyzer --analyzer-name external --type ACCOUNT --region <region>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-external.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(account, &region.name, ResourceType::AwsAccount, account.arn("access-analyzer", &region.name, "external-access"), &format!("{} {}", account.id, region.name));
        let analyzers = match &region.access_analyzer {
            Observed::Known(a) => a,
            Observed::Unknown(why) => {
                out.not_available(res, format!("analyzers could not be listed in {}: {why}", region.name));
                continue;
            }
        };
        let external: Vec<_> = analyzers.iter().filter(|a| matches!(a.kind.as_str(), "ACCOUNT" | "ORGANIZATION")).collect();
        match external.iter().find(|a| a.status == "ACTIVE") {
            Some(a) => out.pass(res, format!("external access analyzer `{}` ({}) is active", a.name, a.kind)),
            None if external.is_empty() => out.fail(res, format!("no external access analyzer in {}", region.name)),
            None => out.fail(res, format!("no external access analyzer is ACTIVE in {} ({})", region.name, external.iter().map(|a| format!("{}: {}", a.name, a.status)).collect::<Vec<_>>().join(", "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Analyzer;
    use rampart_model::Status;

    fn analyzer(kind: &str, status: &str) -> Analyzer {
        Analyzer { arn: format!("arn:aws:access-analyzer:us-east-1:123456789012:analyzer/{kind}"), name: kind.to_lowercase(), kind: kind.into(), status: status.into() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).access_analyzer = Observed::Known(vec![analyzer("ACCOUNT", "ACTIVE")]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        region(&mut inv).access_analyzer = Observed::Known(vec![analyzer("ORGANIZATION", "ACTIVE")]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        region(&mut inv).access_analyzer = Observed::Known(vec![analyzer("ACCOUNT_UNUSED_ACCESS", "ACTIVE")]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed, "an unused-access analyzer is not an external access one");
        region(&mut inv).access_analyzer = Observed::Known(vec![analyzer("ACCOUNT", "DISABLED")]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        region(&mut inv).access_analyzer = Observed::Known(vec![]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        region(&mut inv).access_analyzer = Observed::Unknown("access-analyzer:ListAnalyzers denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
