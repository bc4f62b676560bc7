//! A one-line progress indicator on stderr, shown only when stderr is a terminal: a command
//! that takes more than a couple of seconds says what it is doing, and a pipe or a log file
//! gets nothing but the command's real output.

use std::cell::Cell;
use std::fmt::Display;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Redraws at most this often: a progress line must not cost more than the work it reports.
const EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    active: bool,
    last: Cell<Option<Instant>>,
}

impl Progress {
    /// Active when stderr is a terminal.
    pub fn on_stderr() -> Self {
        Progress { active: std::io::stderr().is_terminal(), last: Cell::new(None) }
    }

    /// Replaces the line with `what …` (throttled; the first call always draws).
    pub fn show(&self, what: impl Display) {
        if !self.active {
            return;
        }
        let now = Instant::now();
        if self.last.get().is_some_and(|t| now.duration_since(t) < EVERY) {
            return;
        }
        self.last.set(Some(now));
        // `\r` and "erase line": the indicator stays one line.
        eprint!("\r\x1b[2K{what} …");
    }

    /// Erases the line, before a line of real output or at the end.
    pub fn clear(&self) {
        if self.active && self.last.take().is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `1234567` as `1,234,567`.
pub use rampart_app::thousands;

/// A [`rampart_app::Notify`] for a person at a terminal: warnings as `warning: …` lines and
/// notes as lines on stderr, progress as the one-line indicator (only on a terminal).
pub struct Stderr(Progress);

impl Stderr {
    pub fn new() -> Self {
        Stderr(Progress::on_stderr())
    }
}

impl rampart_app::Notify for Stderr {
    fn notice(&self, level: rampart_app::Level, text: &str) {
        self.0.clear();
        match level {
            rampart_app::Level::Warning => eprintln!("warning: {text}"),
            rampart_app::Level::Info => eprintln!("{text}"),
        }
    }

    fn progress(&self, what: std::fmt::Arguments<'_>) {
        self.0.show(what);
    }

    fn progress_done(&self) {
        self.0.clear();
    }
}

/// `12345678` bytes as `11.8 MiB`.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_as_people_write_them() {
        let got: Vec<String> = [0, 999, 1000, 1234567].into_iter().map(super::thousands).collect();
        assert_eq!(got, ["0", "999", "1,000", "1,234,567"]);
        assert_eq!(super::mib(12_345_678), "11.8 MiB");
    }

    #[test]
    fn an_inactive_indicator_draws_nothing_and_clears_nothing() {
        let p = super::Progress { active: false, last: std::cell::Cell::new(None) };
        p.show("x");
        assert!(p.last.get().is_none());
    }
}
