//! GuardDuty checks and what the protection-plan checks (GuardDuty.5 to GuardDuty.10) share.

pub mod eks_audit_logs;
pub mod eks_runtime_monitoring;
pub mod enabled;
pub mod lambda_protection;
pub mod rds_protection;
pub mod s3_protection;
pub mod ec2_malware_protection;
pub mod runtime_monitoring;

use crate::{resource, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::ResourceType;
use std::collections::BTreeMap;

/// Whether `feature` (or `FEATURE/CONFIGURATION`) is `ENABLED` in a detector's feature map.
pub(crate) fn on(features: &BTreeMap<String, String>, feature: &str) -> bool {
    features.get(feature).is_some_and(|s| s == "ENABLED")
}

/// Judges every detector of every region: `check` returns `Ok(what is on)` or `Err(what is
/// missing)` from the detector's feature map. Regions without a detector get no result
/// (`guardduty_enabled`, GuardDuty.1, reports them), as in Security Hub.
pub(crate) fn each_detector(ctx: &Ctx, out: &mut Emit, check: impl Fn(&BTreeMap<String, String>) -> Result<String, String>) {
    for (account, region) in ctx.inventory.regions() {
        let g = match &region.guardduty {
            Observed::Known(g) => g,
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsGuardDutyDetector, account.arn("guardduty", &region.name, "detector/*"), "all detectors");
                out.not_available(res, format!("GuardDuty could not be read in {}: {why}", region.name));
                continue;
            }
        };
        for (id, _) in &g.detectors {
            let res = resource(account, &region.name, ResourceType::AwsGuardDutyDetector, account.arn("guardduty", &region.name, &format!("detector/{id}")), id);
            match g.features.known().map(|f| f.get(id)) {
                Some(Some(features)) => match check(features) {
                    Ok(why) => out.pass(res, why),
                    Err(why) => out.fail(res, why),
                },
                Some(None) => out.not_available(res, "the detector's features were not read"),
                None => out.not_available(res, format!("detector features not collected: {}", g.features.as_result().err().unwrap_or_default())),
            }
        }
    }
}

/// The check of a single feature.
pub(crate) fn feature(features: &BTreeMap<String, String>, name: &str, label: &str) -> Result<String, String> {
    match features.get(name) {
        Some(s) if s == "ENABLED" => Ok(format!("{label} ({name}) is enabled")),
        Some(s) => Err(format!("{label} ({name}) is {s}")),
        None => Err(format!("{label} ({name}) is not configured")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testkit::*;
    use rampart_inventory::{GuardDuty, Inventory, Observed};

    /// An inventory with detector `d1` (enabled) whose features are `features`.
    pub fn with_features(features: &[(&str, &str)]) -> Inventory {
        let mut inv = inventory();
        let map = features.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        region(&mut inv).guardduty = Observed::Known(GuardDuty {
            detectors: vec![("d1".into(), "ENABLED".into())],
            features: Observed::Known([("d1".to_string(), map)].into_iter().collect()),
        });
        inv
    }

    /// The NOT_AVAILABLE cases every protection-plan check shares.
    pub fn not_available_cases(check: &crate::Check) {
        use rampart_model::Status;
        let mut inv = with_features(&[]);
        region(&mut inv).guardduty.known_mut().unwrap().features = Observed::not_collected();
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
        region(&mut inv).guardduty = Observed::Unknown("guardduty:ListDetectors access denied".into());
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
        // No detector: GuardDuty.1's business.
        region(&mut inv).guardduty = Observed::Known(GuardDuty { detectors: vec![], features: Observed::Known(Default::default()) });
        assert!(run_check(check, &inv).is_empty());
    }
}
