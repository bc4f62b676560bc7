//! Stdout that remembers it was closed: a renderer may wrap the write error in its own
//! (the `csv` crate turns it into a `csv::Error` inside an `io::Error` of kind `Other`), so
//! the error that reaches `main` can hide that the reader went away. `main` asks
//! [`closed`] as well as the error's chain.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether a write to stdout failed because its reader closed the pipe.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// A writer that records a broken pipe before passing the error on.
pub struct Watch<W>(pub W);

fn note<T>(r: io::Result<T>) -> io::Result<T> {
    if let Err(e) = &r {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }
    r
}

impl<W: Write> Write for Watch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        note(self.0.write(buf))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        note(self.0.write_all(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        note(self.0.flush())
    }
}
