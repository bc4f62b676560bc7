//! Region names: recognising them in folder names and availability zones.

/// Whether `s` is shaped like an AWS region name: `us-east-1`, `us-gov-west-1`,
/// `us-iso-east-1`, `cn-north-1`, `eu-central-2`.
pub(crate) fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let letters = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    let (first, last) = match (parts.first(), parts.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => return false,
    };
    let shape = match parts.len() {
        3 => letters(parts[1]),
        4 => matches!(parts[1], "gov" | "iso" | "isob" | "isoe" | "isof") && letters(parts[2]),
        _ => false,
    };
    shape
        && first.len() == 2
        && letters(first)
        && (1..=2).contains(&last.len())
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// The region of an availability zone name (`us-east-1a`, `us-west-2-lax-1a`,
/// `us-east-1-wl1-bos-wlz-1`); `None` for zone ids (`use1-az1`) and anything else.
pub(crate) fn of_zone(az: &str) -> Option<String> {
    let stripped = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
    if stripped.len() < az.len() && is_region(stripped) {
        return Some(stripped.to_string());
    }
    // Local and Wavelength zones: the region is a prefix.
    let parts: Vec<&str> = az.split('-').collect();
    (3..=4)
        .filter(|&n| n < parts.len())
        .map(|n| parts[..n].join("-"))
        .find(|p| is_region(p))
}

/// The partition of a region.
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.contains("-gov-") {
        "aws-us-gov"
    } else if region.contains("-isob-") {
        "aws-iso-b"
    } else if region.contains("-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for r in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-4",
            "us-gov-west-1",
            "cn-north-1",
            "us-iso-east-1",
            "il-central-1",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in [
            "us-east",
            "us-east-1a",
            "useast-1",
            "US-EAST-1",
            "us-east-123",
            "x-east-1",
            "us--1",
            "",
            "json",
            "us-foo-bar-1",
        ] {
            assert!(!is_region(r), "{r}");
        }
    }

    #[test]
    fn zones() {
        assert_eq!(of_zone("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(of_zone("us-gov-west-1b").as_deref(), Some("us-gov-west-1"));
        assert_eq!(of_zone("us-west-2-lax-1a").as_deref(), Some("us-west-2"));
        assert_eq!(
            of_zone("us-east-1-wl1-bos-wlz-1").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(of_zone("use1-az1"), None);
        assert_eq!(of_zone("us-east-1"), None);
        assert_eq!(of_zone(""), None);
    }

    #[test]
    fn partitions() {
        assert_eq!(partition("us-east-1"), "aws");
        assert_eq!(partition("cn-northwest-1"), "aws-cn");
        assert_eq!(partition("us-gov-east-1"), "aws-us-gov");
    }
}
