//! `rampart`: flags and wiring only. The work lives in the library crates.
//!
//! Exit codes, like a linter: 0 clean, 1 findings at or above `--fail-on`, 2 usage, credential
//! or input errors (one line on stderr with a hint). `reach` answers like `grep`: 0 reachable,
//! 1 not reachable, 2 cannot be told (or an input error).
//!
//! Output closed early (`rampart ... | head`, `| grep -q`) ends the command quietly with
//! exit 0, as `ls | head` does, and without a message. How: Rust ignores SIGPIPE, so a
//! write to a closed pipe is an `EPIPE` error; every write to stdout goes through
//! `writeln!(..)?` (never `println!`, which panics on it — a test greps for it), and `main`
//! turns a broken pipe into success. Restoring SIGPIPE's default instead would also end
//! the process on a closed *socket* (the AWS SDK's and `vulndb update`'s connections),
//! killing a scan for a network hiccup.

mod agent;
mod assess;
mod audit;
mod browse;
mod cli;
mod db;
mod hints;
mod host;
mod iam;
mod iam_access;
mod iam_exposure;
mod iam_paths;
mod investigate;
mod investigate_detect;
mod investigate_graph;
mod investigate_run;
mod ip_ranges_update;
mod org;
mod pipe;
mod progress;
mod retention;
mod run;
mod vulndb;
mod vulndb_update;
mod worker;
mod watch;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return usage_error(e),
    };
    match &args.command {
        // A service's log: every request, in text or JSON (`--log-format`).
        cli::Command::Serve(serve) => rampart_server::init_logging(serve.log_format, args.verbose),
        _ => init_tracing(args.verbose),
    }
    match run::main(args) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the error and its causes.
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                msg.push_str(": ");
                msg.push_str(&cause.to_string());
            }
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A command line clap refused (or `--help` / `--version`): clap's message, with every value
/// it quotes from the command line cut to 80 characters.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Printed to stdout; a closed pipe is ignored there too.
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = if std::io::stderr().is_terminal() { e.render().ansi().to_string() } else { e.render().to_string() };
    eprint!("{}", shorten_quoted(&rendered));
    ExitCode::from(2)
}

/// Shortens each quoted part of clap's message (the user's input) with [`hints::shown`].
fn shorten_quoted(msg: &str) -> String {
    // clap quotes with '...'; the value parsers' own messages with `...`.
    let shorten = |msg: &str, quote: char| {
        msg.split(quote)
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { hints::shown(part) } else { part.to_string() })
            .collect::<Vec<_>>()
            .join(&quote.to_string())
    };
    shorten(&shorten(msg, '\''), '`')
}

/// `rampart ... | head` closing the pipe early is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    pipe::closed() || e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn,aws_config=error,aws_smithy_runtime=error",
        1 => "info,rampart=debug,rampart_collect_aws=debug",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAMPART_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in a log file or a pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .init();
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_input_in_clap_messages_is_shortened() {
        let long = "a".repeat(300);
        let msg = format!("error: unexpected argument '{long}' found\n\n  tip: to pass '{long}' as a value, use '-- {long}'\n");
        let short = super::shorten_quoted(&msg);
        assert!(short.len() < 400, "{short}");
        assert_eq!(short.matches('…').count(), 3);
        assert!(short.starts_with("error: unexpected argument 'aaaa"));
        assert_eq!(super::shorten_quoted("error: 'x' and 'y'"), "error: 'x' and 'y'");
    }
}
