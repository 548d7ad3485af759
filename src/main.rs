//! The `verbatim` binary: reads the command line into a checked
//! configuration, sends logs to stderr and runs the command. Everything else
//! lives in the library and in [`cli`].

mod cli;

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    init_logging();
    match cli::Config::try_from(args).and_then(cli::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the whole cause chain: "cannot read x.txt: the file is empty".
            eprintln!("verbatim: {}", cli::error_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr (stdout belongs to command results and to the MCP protocol), without colours.
fn init_logging() {
    let filter = EnvFilter::try_from_env("VERBATIM_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(filter)
        .init();
}
