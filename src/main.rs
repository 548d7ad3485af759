//! The `verbatim` binary: reads the command line, sends logs to stderr and
//! runs the command. Everything else lives in the library and in [`cli`].

mod cli;
mod serve_cmd;

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    init_logging();
    match cli::run(args.into()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the whole cause chain: "cannot read x.txt: the file is empty".
            eprintln!("verbatim: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr (stdout belongs to results and, later, to MCP), without colours.
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
