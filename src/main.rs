#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use minutes::cli::{Cli, Prepared, run, say};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Made beside the parsing of the command line (the first frame waits).
    let prepared = Prepared::start();
    let cli = Cli::parse();
    match run(cli, prepared) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("minutes: {e}"));
            ExitCode::FAILURE
        }
    }
}
