#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use minutes::cli::{Cli, run, say};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("minutes: {e}"));
            ExitCode::FAILURE
        }
    }
}
