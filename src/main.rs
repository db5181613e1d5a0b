use clap::Parser;
use minutes::cli::{Cli, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("minutes: {e}");
            ExitCode::FAILURE
        }
    }
}
