//! Policy text from the outside (bucket policies, IAM documents, possibly
//! URL-encoded): parsing and the public-access analysis must never panic, and
//! the analysis must keep its output sorted and deduplicated.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_policy::{parse, parse_maybe_url_encoded, s3_bucket_policy_public_access};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parsed in [parse(text), parse_maybe_url_encoded(text)] {
        match parsed {
            Ok(doc) => {
                let access = s3_bucket_policy_public_access(&doc, "111122223333");
                for actions in [&access.read, &access.list, &access.write, &access.other] {
                    assert!(actions.windows(2).all(|w| w[0] < w[1]), "{actions:?}");
                }
            }
            Err(err) => {
                let message = err.to_string();
                assert!(
                    !message.is_empty() && !message.contains('\n'),
                    "{message:?}"
                );
            }
        }
    }
});
