//! VPC Flow Logs files (anyone who can write to the log bucket controls them): reading one,
//! plain or gzip, must never panic or inflate without bound, every malformed line must name
//! its file and line, and summarising must keep its memory bound and count every record
//! once.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_graph::{read_flow_log, summarise_flow_log, Summariser};

fuzz_target!(|data: &[u8]| {
    let mut lines = 0u64;
    let _ = read_flow_log("fuzz.log", data, 1 << 20, &mut |r| {
        lines += 1;
        if let Err(m) = r {
            assert_eq!(m.file, "fuzz.log");
            assert!(m.position.starts_with("line "));
        }
        true
    });
    let mut sum = Summariser::new(8);
    let mut flushed = 0usize;
    let mut malformed = 0u64;
    let r = summarise_flow_log::<()>(
        "fuzz.log",
        &mut || Ok(Box::new(std::io::Cursor::new(data.to_vec())) as Box<dyn std::io::Read>),
        1 << 20,
        &mut sum,
        &mut |_| malformed += 1,
        &mut |s: &mut Summariser| {
            assert!(s.len() <= 8 + 4, "the bound is kept");
            flushed += s.drain().summaries.len();
            Ok(())
        },
    );
    if let Ok(stats) = r {
        assert_eq!(stats.records, lines);
        assert_eq!(stats.malformed, malformed);
        assert_eq!(stats.records, stats.summarised + stats.no_data + stats.malformed);
    }
});
