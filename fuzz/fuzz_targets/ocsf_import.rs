//! `rampart import findings --format ocsf` (and the server's BatchImportFindings route):
//! reading a document of OCSF findings never panics, whatever the bytes; every finding read
//! has an id, a product, at least one resource and a normalized severity of 0-100, and
//! every refused one names its place and an error code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_import_findings::{parse_document, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Some(Format::Ocsf), None] {
        let Ok(doc) = parse_document(data, format) else { continue };
        let n = doc.findings.len();
        for r in doc.findings {
            match r {
                Ok(f) => {
                    assert!(!f.id.trim().is_empty());
                    assert!(!f.product_arn.is_empty());
                    assert!(!f.resources.is_empty());
                    assert!(f.severity_normalized <= 100);
                    let _ = f.vulnerability();
                }
                Err(e) => {
                    assert!(e.index < n);
                    assert!(!e.code.is_empty() && !e.message.is_empty());
                }
            }
        }
    }
});
