//! The standards' control catalogs, as static data.

mod cis;
mod fsbp;
mod ta;

pub use cis::CIS_AWS_3_0;
pub use fsbp::FSBP;
pub use ta::TRUSTED_ADVISOR;

use crate::Standard;

/// Every standard Rampart knows, in display order.
pub static STANDARDS: &[&Standard] = &[&CIS_AWS_3_0, &FSBP, &TRUSTED_ADVISOR];

/// Looks a standard up by its id (`cis-aws-3.0`, `fsbp`, `trusted-advisor`).
pub fn standard(id: &str) -> Option<&'static Standard> {
    STANDARDS.iter().copied().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ControlKind;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_titles_present() {
        for s in STANDARDS {
            let mut seen = BTreeSet::new();
            for c in s.controls {
                assert!(seen.insert(c.id), "{}: duplicate control {}", s.id, c.id);
                assert!(
                    !c.title.is_empty() && !c.title.ends_with('.'),
                    "{}: {}",
                    s.id,
                    c.id
                );
            }
        }
    }

    #[test]
    fn catalog_sizes() {
        // CIS v3.0.0 has 62 recommendations: 22 IAM, 9 storage, 9 logging, 16 monitoring, 6 networking.
        assert_eq!(CIS_AWS_3_0.controls.len(), 62);
        let manual = CIS_AWS_3_0
            .controls
            .iter()
            .filter(|c| c.kind == ControlKind::Manual)
            .count();
        assert_eq!(manual, 27);
        assert!(FSBP.controls.len() >= 120, "{}", FSBP.controls.len());
        assert!(TRUSTED_ADVISOR.controls.len() >= 19);
    }

    #[test]
    fn cis_numbering_spot_checks() {
        let title = |id: &str| CIS_AWS_3_0.control(id).map(|c| c.title).unwrap_or_default();
        assert!(title("1.4").contains("root' user account access key"));
        assert!(title("1.5").contains("MFA is enabled for the 'root'"));
        assert!(title("1.12").contains("45 days"));
        assert!(title("2.2.1").contains("EBS volume encryption"));
        assert!(title("5.6").contains("IMDSv2"));
        assert_eq!(
            CIS_AWS_3_0.control("5.5").map(|c| c.kind),
            Some(ControlKind::Manual)
        );
    }

    #[test]
    fn lookup_by_id() {
        assert_eq!(standard("fsbp").map(|s| s.id), Some("fsbp"));
        assert!(standard("pci").is_none());
    }
}
