//! Summarising holds at most the summariser's bound, whatever the input's size: the peak
//! of memory allocated while flow logs of 40,000 and of 320,000 records (every record a
//! relationship of its own: a new peer each) are summarised under a bound of 5,000 is the
//! same within a margin, where holding the input's relationships would grow eightfold. The
//! files are generated as they are read (never held whole).

use rampart_graph::{summarise_flow_log, Summariser};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A version-2 flow log of `n` records, made line by line as it is read.
struct Generated {
    n: usize,
    next: usize,
    line: Vec<u8>,
    at: usize,
}

impl Generated {
    fn new(n: usize) -> Generated {
        let header =
            b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
                .to_vec();
        Generated { n, next: 0, line: header, at: 0 }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.line.len() {
            if self.next == self.n {
                return Ok(0);
            }
            let i = self.next;
            self.next += 1;
            let eni = i % 3;
            self.line = format!(
                "2 123456789012 eni-{eni:017x} 10.0.0.{eni} 100.{}.{}.{} 40000 443 6 3 900 {} {} ACCEPT OK\n",
                64 + (i >> 16) % 64,
                (i >> 8) & 255,
                i & 255,
                1_796_000_000 + (i % 3000),
                1_796_000_030 + (i % 3000)
            )
            .into_bytes();
            self.at = 0;
        }
        let k = buf.len().min(self.line.len() - self.at);
        buf[..k].copy_from_slice(&self.line[self.at..self.at + k]);
        self.at += k;
        Ok(k)
    }
}

fn peak_while_summarising(n: usize) -> (usize, usize) {
    let base = NOW.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut sum = Summariser::new(5_000);
    let mut flushed = 0usize;
    let stats = summarise_flow_log::<()>(
        "generated.log",
        &mut || Ok(Box::new(Generated::new(n)) as Box<dyn Read>),
        u64::MAX,
        &mut sum,
        &mut |m| panic!("{m}"),
        &mut |s: &mut Summariser| {
            flushed += s.drain().summaries.len();
            Ok(())
        },
    )
    .ok()
    .unwrap();
    flushed += sum.drain().summaries.len();
    assert_eq!(stats.summarised as usize, n);
    (PEAK.load(Ordering::Relaxed) - base, flushed)
}

#[test]
fn memory_is_bounded_by_the_summariser_not_the_input() {
    let (small, small_rows) = peak_while_summarising(40_000);
    let (large, large_rows) = peak_while_summarising(320_000);
    assert!(small_rows >= 40_000 && large_rows >= 320_000, "every record its own summary: {small_rows}, {large_rows}");
    assert!(large < small + small / 2, "peak {large} bytes for 320,000 records vs {small} for 40,000: it grows with the input");
    assert!(large < 16 << 20, "peak {large} bytes");
}
