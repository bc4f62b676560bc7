//! A snapshot file is outside input: reading it must never panic, and whatever it reads must
//! survive every check without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(inv) = rampart_inventory::Inventory::from_json(data) {
        let out = rampart_checks::run(&inv, inv.collected_at, &[]);
        let _ = rampart_checks::findings(out.results, inv.collected_at);
        // What was read writes back and reads again to the same value.
        let again = rampart_inventory::Inventory::from_json(&inv.to_json()).expect("round trip");
        assert_eq!(again, inv);
    }
});
