use clap::Parser;
use minutes::cli::{Cli, run};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Not eprintln!: it panics when the terminal is gone.
            let _ = writeln!(std::io::stderr(), "minutes: {e}");
            ExitCode::FAILURE
        }
    }
}
