//! Findings filters from the outside (an API body, a saved insight, an automation rule's
//! criteria: Security Hub's AwsSecurityFindingFilters JSON) and GetFindings requests:
//! parsing must never panic, and what parses must write back to JSON that parses to the
//! same filters.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_hub::{FindingFilters, FindingQuery};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(filters) = FindingFilters::from_json_str(text) {
        let again = FindingFilters::from_json(&filters.to_json()).expect("written filters parse");
        assert_eq!(again, filters);
    }
    let _ = FindingQuery::from_json_str(text);
});
